//! Inputs that slip through (issue 16): characters a reader cannot see in the values that
//! identify a document, and Markdown files that are not named `*.md`.

use super::{expect_rejected, site};

#[test]
fn invisible_characters_are_errors_and_invisible_twins_are_duplicates() {
    let s = site("invisible-characters");
    expect_rejected("invisible-characters", s.path());
}

#[test]
fn markdown_files_not_named_md_are_reported() {
    let s = site("markdown-extension");
    expect_rejected("markdown-extension", s.path());
}

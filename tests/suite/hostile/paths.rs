//! Paths that try to leave the content or output folder: attachments, PDFs, ids, slugs, page
//! names and symbolic links.

use super::{doc, expect_rejected, site, write};

#[test]
fn paths_and_ids_that_leave_their_folder_are_errors() {
    let s = site("unsafe-paths");
    expect_rejected("unsafe-paths", s.path());
    // Nothing was written where the hostile id pointed.
    let parent = s.path().parent().unwrap();
    assert!(!parent.join("tmp/pwned").exists() && !s.path().join("tmp").exists());
}

#[test]
fn slugs_that_leave_the_output_are_configuration_errors() {
    let s = site("unsafe-slug");
    expect_rejected("unsafe-slug", s.path());
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_content_are_errors() {
    use std::os::unix::fs::symlink;
    let s = site("symlinks");
    let root = s.path();
    // Outside the content folder: a valid document and an attachment, both carrying a canary.
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.md",
        doc("", "CANARY-SYMLINK-DOCUMENT\n"),
    );
    write(outside.path(), "files/secret.pdf", "CANARY-SYMLINK-PDF");
    let docs = root.join("content/documents");
    symlink(outside.path().join("secret.md"), docs.join("linked.md")).unwrap();
    symlink(outside.path().join("files"), docs.join("files")).unwrap();
    symlink(
        outside.path().join("files/secret.pdf"),
        docs.join("linked.pdf"),
    )
    .unwrap();
    // A relative link inside content/ that climbs out of it.
    symlink("../../../../etc", docs.join("etc")).unwrap();
    write(
        root,
        "content/documents/a.md",
        doc(
            "attachments:\n  - linked.pdf\n  - files/secret.pdf\n",
            "正文。\n",
        ),
    );
    expect_rejected("symlinks", root);
}

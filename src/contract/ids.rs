//! The spelling rules of ids and URL slugs, and the placeholder `gazette new` writes.

/// The marker `gazette new` writes where an editor must fill something in; a value still
/// holding it is an error, so a half-filled file is never published.
pub const PLACEHOLDER: &str = "待填写";

/// `[a-z0-9][a-z0-9-]*`.
pub fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[a-z0-9][a-z0-9-]*` slugs share the id rule.
pub fn is_slug(s: &str) -> bool {
    is_id(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_ascii_words_joined_by_hyphens() {
        assert!(is_id("2024-lzf-3"));
        assert!(!is_id("-x"));
        assert!(!is_id("Abc"));
        assert!(!is_id("办法"));
        assert!(!is_slug(""));
    }
}

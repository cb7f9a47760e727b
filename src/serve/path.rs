//! From a request path to a file inside the served folder — and never outside it.
//!
//! Two layers, so one mistake is not enough: the decoded path is refused outright if any segment
//! is `.` or `..`, empty (`//`), or holds a NUL, a backslash or a colon (a Windows drive); then
//! the joined path is canonicalised (resolving symbolic links) and must still lie inside the
//! canonical served folder. Everything refused is a plain 404: the response does not say why.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file inside the served folder (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect to `<path>/`.
    AddSlash,
    NotFound,
}

/// Resolves `path` (the request target without its query, still percent-encoded) in `site`.
pub fn resolve(site: &Path, path: &str) -> Resolved {
    let Some(rel) = relative(path) else {
        return Resolved::NotFound;
    };
    let Ok(base) = site.canonicalize() else {
        return Resolved::NotFound;
    };
    let inside = |p: &Path| p.canonicalize().ok().filter(|real| real.starts_with(&base));
    let Some(real) = inside(&base.join(&rel)) else {
        return Resolved::NotFound;
    };
    let wants_dir = path.ends_with('/');
    if real.is_dir() {
        if !wants_dir {
            return Resolved::AddSlash;
        }
        return match inside(&real.join("index.html")) {
            Some(index) if index.is_file() => Resolved::File(index),
            _ => Resolved::NotFound,
        };
    }
    if real.is_file() && !wants_dir {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// The decoded request path as a relative path of plain segments, or `None` when it is not one.
pub fn relative(path: &str) -> Option<PathBuf> {
    let decoded = String::from_utf8(percent_decode(path)?).ok()?;
    let rest = decoded.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    let mut rel = PathBuf::new();
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            // Only a trailing slash may leave an empty segment (`/`, `/dir/`).
            if i + 1 == segments.len() {
                continue;
            }
            return None;
        }
        if *seg == "." || *seg == ".." || seg.contains(['\0', '\\', ':']) {
            return None;
        }
        rel.push(seg);
    }
    Some(rel)
}

/// `%XX` escapes to bytes (percent-encoding); `None` for a malformed escape.
pub fn percent_decode(s: &str) -> Option<Vec<u8>> {
    // percent-encoding passes a malformed escape through as text; a path with one is refused.
    let well_formed = s.split('%').skip(1).all(|rest| {
        rest.as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    well_formed.then(|| percent_encoding::percent_decode_str(s).collect())
}

/// The `Content-Type` of a served file, by extension (mime_guess); text types say
/// `charset=utf-8` (every text file gazette writes is UTF-8).
pub fn content_type(path: &Path) -> Cow<'static, str> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    // OFD (GB/T 33190, the Chinese fixed-layout format gazettes attach) is not in mime_guess.
    let kind = match ext.as_str() {
        "ofd" => Some("application/ofd"),
        _ => mime_guess::from_ext(&ext).first_raw(),
    };
    let Some(kind) = kind else {
        return Cow::Borrowed("application/octet-stream");
    };
    let text = kind.starts_with("text/")
        || matches!(
            kind,
            "application/json" | "application/javascript" | "application/xml" | "image/svg+xml"
        );
    if text {
        Cow::Owned(format!("{kind}; charset=utf-8"))
    } else {
        Cow::Borrowed(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        assert_eq!(relative("/"), Some(PathBuf::new()));
        assert_eq!(relative("/a/b/"), Some(PathBuf::from("a/b")));
        assert_eq!(
            relative("/documents/%E6%96%87.pdf"),
            Some(PathBuf::from("documents/文.pdf"))
        );
        for bad in [
            "/../gazette.toml",
            "/%2e%2e/gazette.toml",
            "/%2E%2E/gazette.toml",
            "/a/%2e%2e%2f%2e%2e/x",
            "/a/..%2fb",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a//b",
            "/./a",
            "/a%00b",
            "/a%5cb",
            "/c:/windows",
            "/%zz",
            "/%e6",
            "relative",
        ] {
            assert_eq!(relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn folders_get_their_index_and_a_slash() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("docs")).unwrap();
        std::fs::write(site.join("docs/index.html"), "x").unwrap();
        std::fs::write(site.join("a.css"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let canon = site.canonicalize().unwrap();
        assert_eq!(
            resolve(&site, "/docs/"),
            Resolved::File(canon.join("docs/index.html"))
        );
        assert_eq!(resolve(&site, "/docs"), Resolved::AddSlash);
        assert_eq!(
            resolve(&site, "/a.css"),
            Resolved::File(canon.join("a.css"))
        );
        assert_eq!(resolve(&site, "/a.css/"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/missing"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/"), Resolved::NotFound, "no index.html");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), site.join("out")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("s.txt")).unwrap();
            assert_eq!(resolve(&site, "/out/secret.txt"), Resolved::NotFound);
            assert_eq!(resolve(&site, "/s.txt"), Resolved::NotFound);
            assert_eq!(resolve(&site, "/out"), Resolved::NotFound);
        }
    }

    #[test]
    fn text_types_carry_their_charset() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.PDF")), "application/pdf");
        assert_eq!(
            content_type(Path::new("documents.csv")),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("feed.xml")),
            "text/xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("search.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("a.OFD")), "application/ofd");
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
        assert_eq!(
            content_type(Path::new("x.unknown")),
            "application/octet-stream"
        );
    }
}

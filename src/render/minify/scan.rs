//! Reading HTML with placeholders the way it matters to [`super::template`]: the tags in
//! order, where each placeholder stands (text, a quoted attribute value, a raw-text body), and
//! `None` wherever a placeholder could not be put back safely.

use super::{CLOSE, OPEN, SSI_CLOSE, SSI_OPEN, placeholder};

/// What [`scan`] finds in HTML with placeholders.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Scanned {
    /// Start and end tags, in order: (`true` for an end tag, lower-case name).
    pub(super) tags: Vec<(bool, String)>,
    /// The placeholders' numbers in document order, except that those in one tag's attributes
    /// are sorted (minify-html sorts attributes).
    pub(super) placeholders: Vec<usize>,
    /// The placeholders of each attribute value that has some.
    pub(super) attribute_values: Vec<Vec<usize>>,
    /// The placeholders among elements: not in an attribute, not in the body of `<script>`,
    /// `<style>`, `<title>` or `<textarea>`.
    pub(super) in_text: Vec<usize>,
}

/// Reads HTML the way it matters here; `None` when a placeholder is anywhere but in text, in a
/// quoted attribute value or in the body of a raw-text element.
pub(super) fn scan(html: &str) -> Option<Scanned> {
    let mut found = Scanned::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_from = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        let starts_tag = |skip: usize| {
            rest.as_bytes()
                .get(skip)
                .is_some_and(|b| b.is_ascii_alphabetic())
        };
        if rest[1..].trim_start_matches('/').starts_with(OPEN) {
            return None; // a tag's name
        }
        if rest.starts_with("<!--") {
            text(&mut found, &html[text_from..i])?;
            let end = i + rest.find("-->").map_or(rest.len(), |e| e + 3);
            let comment = &html[i..end];
            if comment.contains(OPEN) {
                // Only a placeholder as a whole comment.
                let inner = comment.strip_prefix(SSI_OPEN)?.strip_suffix(SSI_CLOSE)?;
                let ns = numbers(inner)?;
                if ns.len() != 1 || placeholder(ns[0]) != inner {
                    return None;
                }
                found.placeholders.extend(&ns);
                found.in_text.extend(ns);
            }
            i = end;
            text_from = i;
        } else if rest.starts_with("</") && starts_tag(2) || starts_tag(1) {
            text(&mut found, &html[text_from..i])?;
            let end_tag = rest.starts_with("</");
            let (name, end, values) = start_tag(html, i + if end_tag { 2 } else { 1 })?;
            if end_tag && !values.is_empty() {
                return None;
            }
            let mut in_tag: Vec<usize> = Vec::new();
            for v in &values {
                let ns = numbers(v)?;
                if !ns.is_empty() {
                    in_tag.extend(&ns);
                    found.attribute_values.push(ns);
                }
            }
            in_tag.sort_unstable();
            found.placeholders.extend(in_tag);
            found.tags.push((end_tag, name.clone()));
            i = end;
            if !end_tag && matches!(name.as_str(), "script" | "style" | "title" | "textarea") {
                // Raw text, up to its end tag: minify-html leaves a script or style as it is
                // (JavaScript and CSS minification are off), placeholders included.
                let close = format!("</{name}");
                let body_end = html[i..]
                    .to_ascii_lowercase()
                    .find(&close)
                    .map_or(html.len(), |e| i + e);
                found.placeholders.extend(numbers(&html[i..body_end])?);
                i = body_end;
            }
            text_from = i;
        } else if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            text(&mut found, &html[text_from..i])?;
            let end = i + rest.find('>').map_or(rest.len(), |e| e + 1);
            if html[i..end].contains(OPEN) {
                return None;
            }
            i = end;
            text_from = i;
        } else {
            i += 1;
        }
    }
    text(&mut found, &html[text_from..])?;
    Some(found)
}

/// The placeholders in a stretch of text between tags.
fn text(found: &mut Scanned, text: &str) -> Option<()> {
    let ns = numbers(text)?;
    found.placeholders.extend(&ns);
    found.in_text.extend(ns);
    Some(())
}

/// The numbers of the placeholders in `s`, in order.
fn numbers(s: &str) -> Option<Vec<usize>> {
    let mut ns = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(OPEN) {
        let end = rest[start..].find(CLOSE)? + start;
        ns.push(rest[start + OPEN.len_utf8()..end].trim().parse().ok()?);
        rest = &rest[end + CLOSE.len_utf8()..];
    }
    Some(ns)
}

/// A tag from just after `<` (or `</`): its lower-case name, the index after its `>` and its
/// quoted attribute values. `None` if a placeholder is in its name, an attribute name or an
/// unquoted value.
fn start_tag(html: &str, from: usize) -> Option<(String, usize, Vec<&str>)> {
    let bytes = html.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace();
    let mut i = from;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let name = html[from..i].to_ascii_lowercase();
    let mut values = Vec::new();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            break;
        }
        let word = |mut j: usize| {
            while j < bytes.len() && !is_space(bytes[j]) && !matches!(bytes[j], b'>' | b'=') {
                j += 1;
            }
            j
        };
        let name_end = word(i + 1);
        if html[i..name_end].contains(OPEN) {
            return None;
        }
        i = name_end;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = i + 1 + html[i + 1..].find(q as char)?;
                values.push(&html[i + 1..end]);
                i = end + 1;
            }
            Some(_) => {
                let end = word(i);
                if html[i..end].contains(OPEN) {
                    return None;
                }
                i = end;
            }
            None => return None,
        }
    }
    Some((name, i + 1, values))
}

//! Per-document facets (status, kind, issuer, year) for the search page's filters.
//!
//! A filter needs to know, for every result, whether it has the chosen value; with 100 000
//! documents a per-document table would cost every filtered query hundreds of kilobytes. Instead
//! each value of a facet has its own small file listing its documents' ordinals, fetched only when
//! that filter is chosen, as whichever is shorter: a delta-coded list (`{"n":3,"d":[4,1,7]}`) or a
//! bitmap (`{"n":3,"b":"<base64>"}`, bit `i % 8` of byte `i / 8` for ordinal `i`). Years need no
//! file at all: ordinals run newest first, so a year is a contiguous range stated in the manifest.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::SearchDoc;
use super::lunr::cmp_utf16;

/// A facet value's document set, encoded as the shorter of the two forms.
pub(super) fn encode_set(ordinals: &[u32], doc_count: usize) -> Vec<u8> {
    let mut previous = 0u32;
    let deltas: Vec<u32> = ordinals
        .iter()
        .map(|&o| {
            let d = o - previous;
            previous = o;
            d
        })
        .collect();
    let list = json!({"d": deltas, "n": ordinals.len()}).to_string();
    let mut bits = vec![0u8; doc_count.div_ceil(8)];
    for &o in ordinals {
        bits[o as usize / 8] |= 1 << (o % 8);
    }
    let bitmap = json!({"b": base64(&bits), "n": ordinals.len()}).to_string();
    if bitmap.len() < list.len() {
        bitmap
    } else {
        list
    }
    .into_bytes()
}

/// Standard base64 with padding (what the browser's `atob` reads).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The facets of documents in ordinal order: the manifest's `facets` object, and the set files
/// as (path relative to the versioned directory, contents).
pub(super) fn facets(docs: &[&SearchDoc]) -> (Value, Vec<(String, Vec<u8>)>) {
    let mut files = Vec::new();
    let mut manifest = serde_json::Map::new();
    type Extract = fn(&SearchDoc) -> Vec<(String, String)>;
    let keyed: [(&str, &str, Extract); 3] = [
        ("status", "s", |d| {
            // Documents without a validity of their own are in no status facet.
            if d.status.is_empty() {
                vec![]
            } else {
                vec![(d.status.clone(), d.status_label.clone())]
            }
        }),
        ("kind", "k", |d| {
            vec![(d.kind.clone(), d.kind_label.clone())]
        }),
        ("issuer", "i", |d| {
            d.issuers.iter().map(|i| (i.clone(), i.clone())).collect()
        }),
    ];
    for (facet, prefix, extract) in keyed {
        // value → (label, ordinals); BTreeMap then UTF-16 sort for a deterministic order.
        let mut sets: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
        for (ordinal, doc) in docs.iter().enumerate() {
            for (value, label) in extract(doc) {
                let set = sets.entry(value).or_insert_with(|| (label, Vec::new()));
                if set.1.last() != Some(&(ordinal as u32)) {
                    set.1.push(ordinal as u32);
                }
            }
        }
        let mut values: Vec<(String, (String, Vec<u32>))> = sets.into_iter().collect();
        values.sort_by(|a, b| cmp_utf16(&a.0, &b.0));
        let entries: Vec<Value> = values
            .into_iter()
            .enumerate()
            .map(|(n, (value, (label, ordinals)))| {
                let file = format!("f/{prefix}{n}.json.gz");
                files.push((file.clone(), encode_set(&ordinals, docs.len())));
                json!({"value": value, "label": label, "count": ordinals.len(), "file": file})
            })
            .collect();
        manifest.insert(facet.to_string(), Value::Array(entries));
    }
    let mut years: Vec<Value> = Vec::new();
    let mut start = 0usize;
    for (ordinal, doc) in docs.iter().enumerate() {
        let ends_run = docs
            .get(ordinal + 1)
            .is_none_or(|next| next.year != doc.year);
        if ends_run {
            years.push(json!({"value": doc.year, "count": ordinal + 1 - start,
                              "from": start, "to": ordinal + 1}));
            start = ordinal + 1;
        }
    }
    manifest.insert("year".to_string(), Value::Array(years));
    (Value::Object(manifest), files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn sets_take_the_shorter_encoding() {
        assert_eq!(encode_set(&[3, 10], 1000), br#"{"d":[3,7],"n":2}"#);
        let dense: Vec<u32> = (0..1000).filter(|o| o % 3 != 0).collect();
        let encoded = String::from_utf8(encode_set(&dense, 1000)).unwrap();
        assert!(encoded.contains("\"b\":"), "{encoded}");
        assert_eq!(encode_set(&[0, 9], 16), br#"{"d":[0,9],"n":2}"#);
        assert_eq!(encode_set(&[0, 1, 2, 8], 9), br#"{"b":"BwE=","n":4}"#);
    }
}

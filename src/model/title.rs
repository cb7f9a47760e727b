//! Titles in 书名号, nested per GB/T 15834-2011 §4.15: a title inside a title takes the single
//! 书名号 〈〉, one inside that the double again. Wrapping is done in one place so that no page,
//! list, banner, feed or search record can print `《《…》解读》` or `《…《…》…》`.

/// `关于修改《办法》的通知` → `《关于修改〈办法〉的通知》`. A title that is already one whole
/// title in 《》 is returned as it is.
pub(crate) fn book_title(title: &str) -> String {
    let title = title.trim();
    if is_wrapped(title) {
        return title.to_string();
    }
    let mut out = String::with_capacity(title.len() + 6);
    out.push('《');
    for c in title.chars() {
        out.push(match c {
            '《' => '〈',
            '》' => '〉',
            '〈' => '《',
            '〉' => '》',
            c => c,
        });
    }
    out.push('》');
    out
}

/// `《…》` whose first 《 closes at the very end (not `《甲》和《乙》`).
fn is_wrapped(title: &str) -> bool {
    if !(title.starts_with('《') && title.ends_with('》')) {
        return false;
    }
    let mut depth = 0usize;
    let last = title.chars().count() - 1;
    for (i, c) in title.chars().enumerate() {
        match c {
            '《' => depth += 1,
            '》' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != last {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::book_title;

    #[test]
    fn nests_per_gb_t_15834() {
        assert_eq!(book_title("洛阳市政务公开规定"), "《洛阳市政务公开规定》");
        assert_eq!(
            book_title("关于修改《洛阳市政务公开规定》的决定"),
            "《关于修改〈洛阳市政务公开规定〉的决定》"
        );
        assert_eq!(
            book_title("《关于印发〈办法〉的通知》解读"),
            "《〈关于印发《办法》的通知〉解读》",
            "three levels alternate"
        );
    }

    #[test]
    fn never_wraps_twice() {
        assert_eq!(book_title("《办法》"), "《办法》");
        assert_eq!(
            book_title("《关于〈办法〉的通知》"),
            "《关于〈办法〉的通知》"
        );
        assert_eq!(book_title("《甲》和《乙》"), "《〈甲〉和〈乙〉》");
    }
}

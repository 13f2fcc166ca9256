//! REQUEST_PATH_SEGMENTS (a Portcullis extension): the request path cut at
//! its slashes, so a rule can read a value an application takes from the
//! middle of its path (`/files/<value>/view`) on its own. REQUEST_FILENAME
//! holds the whole path, and REQUEST_BASENAME only its last segment: a
//! payload in a middle segment starts after harmless text, and a whole-value
//! decoding (`t:base64DecodeAuto`) never sees it alone.
//!
//! The path is cut **before** percent-decoding, so an encoded slash (`%2F`)
//! stays inside its segment, as a router sees it; each segment is then
//! percent-decoded once, as REQUEST_FILENAME is. Empty segments (`//`) are
//! left out; the others are keyed by their position among the non-empty
//! ones, from `0`. Path parameters (`;jsessionid=...`) stay in their
//! segment. At most [`MAX_SEGMENTS`] entries are made: the last one holds
//! the rest of the path, unsplit, so nothing after the bound goes unread.

/// Most entries REQUEST_PATH_SEGMENTS holds; the last holds the rest of the
/// path.
pub(crate) const MAX_SEGMENTS: usize = 64;

/// The path part of `path_raw` (the request target without query and
/// fragment): itself in origin form (`/a/b`), the part from the first slash
/// after the authority in absolute form (`http://host/a/b`), nothing when an
/// absolute form has no path or the target is `*`.
fn path_part(path_raw: &[u8]) -> &[u8] {
    if path_raw.first() == Some(&b'/') {
        return path_raw;
    }
    let Some(colon) = memchr::memchr(b':', path_raw) else {
        return path_raw;
    };
    let Some(rest) = path_raw
        .get(colon + 1..)
        .and_then(|r| r.strip_prefix(b"//"))
    else {
        return path_raw;
    };
    match memchr::memchr(b'/', rest) {
        Some(slash) => rest.get(slash..).unwrap_or(b""),
        None => b"",
    }
}

/// Call `f` with each non-empty raw segment of `path_raw` (not yet
/// decoded), at most [`MAX_SEGMENTS`], the last one holding the rest.
pub(crate) fn raw_segments(path_raw: &[u8], mut f: impl FnMut(&[u8])) {
    let mut rest = path_part(path_raw);
    let mut n = 0;
    loop {
        // Drop the slashes before the next segment.
        let start = rest.iter().position(|&c| c != b'/').unwrap_or(rest.len());
        rest = rest.get(start..).unwrap_or(b"");
        if rest.is_empty() {
            return;
        }
        n += 1;
        if n == MAX_SEGMENTS {
            f(rest);
            return;
        }
        let end = memchr::memchr(b'/', rest).unwrap_or(rest.len());
        f(rest.get(..end).unwrap_or(b""));
        rest = rest.get(end..).unwrap_or(b"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &str) -> Vec<String> {
        let mut v = Vec::new();
        raw_segments(p.as_bytes(), |s| {
            v.push(String::from_utf8_lossy(s).into_owned())
        });
        v
    }

    #[test]
    fn cuts_at_slashes_and_skips_empty_segments() {
        assert_eq!(segs("/files/abc/view"), ["files", "abc", "view"]);
        assert_eq!(segs("//a///b/"), ["a", "b"]);
        assert_eq!(segs("/"), Vec::<String>::new());
        assert_eq!(segs(""), Vec::<String>::new());
        assert_eq!(
            segs("/a%2Fb/c"),
            ["a%2Fb", "c"],
            "an encoded slash stays in its segment"
        );
        assert_eq!(
            segs("/shop;jsessionid=1/cart"),
            ["shop;jsessionid=1", "cart"]
        );
        assert_eq!(segs("/a\\b/c"), ["a\\b", "c"], "only / separates");
    }

    #[test]
    fn absolute_form_reads_the_path_only() {
        assert_eq!(segs("http://example.com/a/b"), ["a", "b"]);
        assert_eq!(segs("https://user@example.com:8443/x"), ["x"]);
        assert_eq!(segs("http://example.com"), Vec::<String>::new());
        assert_eq!(segs("*"), ["*"]);
    }

    #[test]
    fn bounded_with_the_rest_in_the_last_entry() {
        let path: String = (0..100).map(|i| format!("/s{i}")).collect();
        let v = segs(&path);
        assert_eq!(v.len(), MAX_SEGMENTS);
        assert_eq!(v[MAX_SEGMENTS - 2], format!("s{}", MAX_SEGMENTS - 2));
        let rest: String = (MAX_SEGMENTS - 1..100)
            .map(|i| format!("s{i}"))
            .collect::<Vec<_>>()
            .join("/");
        assert_eq!(v[MAX_SEGMENTS - 1], rest);
        // Exactly the bound: no remainder to keep.
        let path: String = (0..MAX_SEGMENTS).map(|i| format!("/s{i}")).collect();
        assert_eq!(
            segs(&path).last().map(String::as_str),
            Some(format!("s{}", MAX_SEGMENTS - 1).as_str())
        );
    }
}

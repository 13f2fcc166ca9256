//! `normalizePath` and `normalizePathWin`.

use std::borrow::Cow;

use super::util::{byte_at, finish_owned};

/// True if the path normaliser would leave `input` untouched: no `//`, no
/// `.` ending a segment (a `.` followed by `/` or at the very end), and for
/// Windows no backslash at all. Anything else takes the full algorithm.
fn surely_unchanged(input: &[u8], win: bool) -> bool {
    if input.last() == Some(&b'.') {
        return false;
    }
    if win && memchr::memchr(b'\\', input).is_some() {
        return false;
    }
    !input
        .windows(2)
        .any(|w| w[1] == b'/' && (w[0] == b'/' || w[0] == b'.'))
}

/// `t:normalizePath` / `t:normalizePathWin`. Returns the value and
/// ModSecurity's "changed" flag.
///
/// A line-by-line port of ModSecurity's `normalize_path_inplace`, which
/// removes `./` and `x/../` segments and collapses repeated slashes, with
/// these properties (all ModSecurity's own):
/// - `..` above the root is dropped for absolute paths (`/../a` -> `/a`);
///   for relative paths it is kept when nothing is left to remove
///   (`../a` stays, `a/../../b` -> `../b`).
/// - A trailing slash is kept only if the input had one (`/a/b/..` -> `/a`).
/// - A segment merely *ending* in `..` (`x..`) is treated as a back
///   reference.
/// - `win` converts backslashes to slashes *as it walks* (the byte under
///   the cursor and the one after it, before looking at them), exactly as
///   ModSecurity does; the only visible difference from converting
///   everything first is that the last byte of a run of three or more
///   separators can stay a backslash (`a\\\b` -> `a\b`).
///
/// Coraza uses Go's `filepath.Clean` instead (and, for the Windows variant,
/// strips NTFS stream suffixes and trailing dots); results differ for `..`
/// above the root, relative paths and `x..` segments. We follow ModSecurity.
pub(super) fn normalize_path(input: &[u8], win: bool) -> (Cow<'_, [u8]>, bool) {
    if input.is_empty() || surely_unchanged(input, win) {
        return (Cow::Borrowed(input), false);
    }
    let mut buf = input.to_vec();
    let (len, changed) = normalize_in_place(&mut buf, win);
    buf.truncate(len);
    (finish_owned(input, buf), changed)
}

/// Is `b` a separator (`/`, or `\` on Windows)?
#[inline]
fn is_sep(b: u8, win: bool) -> bool {
    b == b'/' || (win && b == b'\\')
}

/// Store `b` at `idx` (never out of range in practice: indices stay below
/// the buffer length; a bad index is ignored rather than panicking).
#[inline]
fn put(buf: &mut [u8], idx: isize, b: u8) {
    if let Some(slot) = usize::try_from(idx).ok().and_then(|i| buf.get_mut(i)) {
        *slot = b;
    }
}

/// Byte at a signed index (NUL when out of range, like the C string).
#[inline]
fn at(buf: &[u8], idx: isize) -> u8 {
    usize::try_from(idx).map_or(0, |i| byte_at(buf, i))
}

/// The normaliser proper, on a non-empty buffer; returns the new length and
/// the "changed" flag. `src`/`dst` are the C pointers as indices (`dst` can
/// briefly go negative, exactly where the C pointer goes before the buffer).
fn normalize_in_place(buf: &mut [u8], win: bool) -> (usize, bool) {
    let Ok(end) = isize::try_from(buf.len()) else {
        return (buf.len(), false);
    };
    let end = end - 1; // index of the last byte
    if end < 0 {
        return (0, false);
    }
    let relative = !is_sep(at(buf, 0), win);
    let trailing = is_sep(at(buf, end), win);
    let mut hitroot = false;
    let mut done = false;
    let mut changed = false;
    let (mut src, mut dst): (isize, isize) = (0, 0);

    while !done && src <= end && dst <= end {
        if win {
            if at(buf, src) == b'\\' {
                put(buf, src, b'/');
                changed = true;
            }
            if src < end && at(buf, src + 1) == b'\\' {
                put(buf, src + 1, b'/');
                changed = true;
            }
        }

        // Normalise only at the end of a path segment (or of the input).
        let at_segment_end = if src == end {
            done = true;
            true
        } else {
            at(buf, src + 1) == b'/'
        };

        if at_segment_end {
            if src != end && at(buf, src) == b'/' {
                // Empty segment: the copy below skips the extra slashes.
                changed = true;
            } else if at(buf, src) == b'.' {
                if dst > 0 && at(buf, dst - 1) == b'.' {
                    // Back reference.
                    if relative && (hitroot || dst - 2 <= 0) {
                        // Nothing to go back over: keep the "..".
                        hitroot = true;
                    } else {
                        // Remove the back reference and the previous segment.
                        dst -= 3;
                        while dst > 0 && at(buf, dst) != b'/' {
                            dst -= 1;
                        }
                        // But do not go above the root.
                        if dst <= 0 {
                            hitroot = true;
                            dst = 0;
                            // Keep the root slash of an absolute path that
                            // ends on a back reference.
                            if !relative && src == end {
                                dst += 1;
                            }
                        }
                        if done {
                            continue;
                        }
                        src += 1;
                        changed = true;
                    }
                } else if dst == 0 {
                    // Relative self reference: dropped.
                    changed = true;
                    if done {
                        continue;
                    }
                    src += 1;
                } else if at(buf, dst - 1) == b'/' {
                    // Self reference: dropped with its slash.
                    changed = true;
                    if done {
                        continue;
                    }
                    dst -= 1;
                    src += 1;
                }
            } else if dst > 0 {
                // A regular path segment.
                hitroot = false;
            }
        }

        // Copy the byte, skipping to the last of several slashes.
        if at(buf, src) == b'/' {
            let oldsrc = src;
            while src < end && is_sep(at(buf, src + 1), win) {
                src += 1;
            }
            if oldsrc != src {
                changed = true;
            }
            // A relative path never starts with the slash.
            if relative && dst == 0 {
                src += 1;
                continue;
            }
        }
        let b = at(buf, src);
        put(buf, dst, b);
        dst += 1;
        src += 1;
    }

    // No trailing slash in the output unless the input had one.
    if !trailing && dst > 0 && at(buf, dst - 1) == b'/' {
        dst -= 1;
    }
    (usize::try_from(dst).unwrap_or(0), changed)
}

#[cfg(test)]
mod tests {
    use super::{normalize_in_place, surely_unchanged};

    /// The fast path may only skip inputs the full algorithm leaves alone.
    #[test]
    fn fast_path_is_sound() {
        let alphabet = b"//..\\\\ab";
        let mut state = 0x1234_5678_9abc_def1_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let input: Vec<u8> = (0..len)
                .map(|k| alphabet[((state >> (4 * k + 8)) % alphabet.len() as u64) as usize])
                .collect();
            for win in [false, true] {
                if input.is_empty() || !surely_unchanged(&input, win) {
                    continue;
                }
                let mut buf = input.clone();
                let (n, changed) = normalize_in_place(&mut buf, win);
                buf.truncate(n);
                assert_eq!(
                    buf,
                    input,
                    "win={win} input={:?}",
                    input.escape_ascii().to_string()
                );
                assert!(
                    !changed,
                    "win={win} input={:?}",
                    input.escape_ascii().to_string()
                );
            }
        }
    }
}

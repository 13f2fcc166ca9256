//! Which bytes can make a transformation change its input. The evaluator
//! keeps, per value, the set of bytes it contains; a transformation whose
//! trigger bytes are all absent is skipped (the value is its own result), so
//! a plain value such as `shoes` costs one pass over its bytes instead of a
//! call per transformation in every chain.

use super::Transform;

/// A set of bytes (256 bits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteSet(pub [u64; 4]);

impl ByteSet {
    /// The bytes present in `input`.
    #[inline]
    pub fn of(input: &[u8]) -> ByteSet {
        let mut s = [0u64; 4];
        for &b in input {
            s[(b >> 6) as usize] |= 1u64 << (b & 63);
        }
        ByteSet(s)
    }

    /// Whether the two sets share a byte.
    #[inline]
    pub fn intersects(&self, other: &ByteSet) -> bool {
        (self.0[0] & other.0[0]) | (self.0[1] & other.0[1]) | (self.0[2] & other.0[2]) | (self.0[3] & other.0[3]) != 0
    }

    /// Whether `b` is in the set.
    #[inline]
    pub fn contains(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
    }

    const fn with(mut self, b: u8) -> ByteSet {
        self.0[(b >> 6) as usize] |= 1u64 << (b & 63);
        self
    }

    const fn with_all(mut self, bytes: &[u8]) -> ByteSet {
        let mut i = 0;
        while i < bytes.len() {
            self = self.with(bytes[i]);
            i += 1;
        }
        self
    }

    const fn with_range(mut self, lo: u8, hi: u8) -> ByteSet {
        let mut b = lo;
        loop {
            self = self.with(b);
            if b == hi {
                break;
            }
            b += 1;
        }
        self
    }
}

const EMPTY: ByteSet = ByteSet([0; 4]);
/// C `isspace`: what compressWhitespace and trim look at.
const C_SPACE: ByteSet = EMPTY.with_all(b" \t\n\x0b\x0c\r");
const UPPER: ByteSet = EMPTY.with_range(b'A', b'Z');
const LOWER: ByteSet = EMPTY.with_range(b'a', b'z');
const HIGH: ByteSet = EMPTY.with_range(0x80, 0xff);

const URL: ByteSet = EMPTY.with_all(b"%+");
/// `urlDecodeNested` leaves values without `%` alone (`+` included).
const PERCENT: ByteSet = EMPTY.with(b'%');
const BACKSLASH: ByteSet = EMPTY.with(b'\\');
const AMP: ByteSet = EMPTY.with(b'&');
const NUL: ByteSet = EMPTY.with(0);
// `"`, `'`, `\`, `^` are deleted; ` ,;\t\r\n` become (runs of) spaces; a
// space before `/` or `(` is deleted; letters are lowercased.
const CMD_LINE: ByteSet = UPPER.with_all(b"\"'\\^ ,;\t\r\n");
const REMOVE_WS: ByteSet = C_SPACE.with(0xa0).with(0xc2);
const COMMENTS: ByteSet = EMPTY.with_all(b"/*<-#");
const REPLACE_COMMENTS: ByteSet = EMPTY.with(b'/');
const PATH: ByteSet = EMPTY.with_all(b"./");
const PATH_WIN: ByteSet = PATH.with(b'\\');
const UTF8: ByteSet = HIGH.with(0);
// A byte order mark starts with 0xFF or 0xFE; interleaved ASCII has NULs.
const UTF16: ByteSet = EMPTY.with_all(b"\x00\xfe\xff");

static TRIGGERS: [Option<ByteSet>; 38] = {
    let mut t: [Option<ByteSet>; 38] = [None; 38];
    t[Transform::CmdLine as usize] = Some(CMD_LINE);
    t[Transform::CompressWhitespace as usize] = Some(C_SPACE);
    t[Transform::CssDecode as usize] = Some(BACKSLASH);
    t[Transform::EscapeSeqDecode as usize] = Some(BACKSLASH);
    t[Transform::HtmlEntityDecode as usize] = Some(AMP);
    t[Transform::JsDecode as usize] = Some(BACKSLASH);
    t[Transform::Lowercase as usize] = Some(UPPER);
    t[Transform::NormalizePath as usize] = Some(PATH);
    t[Transform::NormalizePathWin as usize] = Some(PATH_WIN);
    t[Transform::RemoveComments as usize] = Some(COMMENTS);
    t[Transform::RemoveCommentsChar as usize] = Some(COMMENTS);
    t[Transform::RemoveNulls as usize] = Some(NUL);
    t[Transform::RemoveWhitespace as usize] = Some(REMOVE_WS);
    t[Transform::ReplaceComments as usize] = Some(REPLACE_COMMENTS);
    t[Transform::ReplaceNulls as usize] = Some(NUL);
    t[Transform::Trim as usize] = Some(C_SPACE);
    t[Transform::TrimLeft as usize] = Some(C_SPACE);
    t[Transform::TrimRight as usize] = Some(C_SPACE);
    t[Transform::Uppercase as usize] = Some(LOWER);
    t[Transform::UrlDecode as usize] = Some(URL);
    t[Transform::UrlDecodeUni as usize] = Some(URL);
    t[Transform::UrlDecodeNested as usize] = Some(PERCENT);
    t[Transform::Utf16Decode as usize] = Some(UTF16);
    t[Transform::Utf8ToUnicode as usize] = Some(UTF8);
    t
};

impl Transform {
    /// Bytes without which this transformation returns its input unchanged:
    /// `Some(set)` means an input containing no byte of `set` is its own
    /// result; `None` means any input may change (hashes, encoders, ...).
    #[inline]
    pub fn triggers(self) -> Option<&'static ByteSet> {
        TRIGGERS.get(self as usize).and_then(Option::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The soundness of the skip: for every transformation with triggers,
    /// inputs built only from non-trigger bytes come back unchanged.
    #[test]
    fn inputs_without_triggers_are_unchanged() {
        assert_eq!(Transform::ALL.len(), TRIGGERS.len());
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for &t in Transform::ALL {
            let Some(trig) = t.triggers() else { continue };
            let allowed: Vec<u8> = (0..=255u8).filter(|b| !trig.contains(*b)).collect();
            // Every allowed byte alone, in pairs, and random strings of them.
            for &a in &allowed {
                assert!(matches!(t.apply(&[a]), std::borrow::Cow::Borrowed(_)), "{t} changed [{a:#x}]");
                for &b in allowed.iter().step_by(7) {
                    assert!(matches!(t.apply(&[a, b]), std::borrow::Cow::Borrowed(_)), "{t} changed [{a:#x}, {b:#x}]");
                }
            }
            for _ in 0..3000 {
                let len = (next() % 40) as usize;
                let v: Vec<u8> = (0..len).map(|_| allowed[(next() % allowed.len() as u64) as usize]).collect();
                assert!(matches!(t.apply(&v), std::borrow::Cow::Borrowed(_)), "{t} changed {v:?}");
                checked += 1;
            }
        }
        assert!(checked > 50_000, "{checked}");
    }
}

//! The code point to byte map of `SecUnicodeMapFile`, used by `urlDecodeUni`.

/// Marker for "no entry" in [`UnicodeMap`]'s table.
const NONE: u16 = u16::MAX;

/// A loaded unicode map (`SecUnicodeMapFile FILE CODEPAGE`): for each
/// 16-bit code point, optionally the byte `%uHHHH` decodes to.
///
/// Without a map, `urlDecodeUni` keeps the low byte of `%uHHHH` (with the
/// full-width ASCII shift); with one, mapped code points take the mapped
/// byte and unmapped ones fall back to that rule.
#[derive(Clone, PartialEq, Eq)]
pub struct UnicodeMap {
    /// 65536 entries: the mapped byte, or [`NONE`].
    table: Box<[u16]>,
}

impl std::fmt::Debug for UnicodeMap {
    /// Shows the number of entries rather than the whole table.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.table.iter().filter(|&&v| v != NONE).count();
        f.debug_struct("UnicodeMap")
            .field("entries", &entries)
            .finish()
    }
}

impl Default for UnicodeMap {
    /// Same as [`UnicodeMap::new`].
    fn default() -> Self {
        Self::new()
    }
}

/// C `strtol` on a token: leading whitespace, optional sign, optional `0x`
/// for base 16, then digits; stops at the first non-digit, saturates.
fn strtol(s: &[u8], radix: u32) -> i64 {
    let mut i = s
        .iter()
        .take_while(|&&b| super::util::is_c_space(b))
        .count();
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    if radix == 16
        && s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        i += 2;
    }
    let mut value: i64 = 0;
    for &b in s.get(i..).unwrap_or(&[]) {
        let Some(d) = char::from(b).to_digit(radix) else {
            break;
        };
        value = value
            .saturating_mul(i64::from(radix))
            .saturating_add(i64::from(d));
    }
    if negative {
        -value
    } else {
        value
    }
}

impl UnicodeMap {
    /// A map with only ModSecurity's built-in entries (RFC 3490 full
    /// stops): U+3002, U+FF61, U+FF0E and U+002E all map to `.`.
    pub fn new() -> Self {
        let mut map = UnicodeMap {
            table: vec![NONE; 65536].into_boxed_slice(),
        };
        for code in [0x3002, 0xff61, 0xff0e, 0x002e] {
            map.insert(code, b'.');
        }
        map
    }

    /// Map `code` to `byte`, replacing any previous entry.
    pub fn insert(&mut self, code: u16, byte: u8) {
        if let Some(slot) = self.table.get_mut(usize::from(code)) {
            *slot = u16::from(byte);
        }
    }

    /// The byte `code` maps to, if any.
    pub fn get(&self, code: u16) -> Option<u8> {
        match self.table.get(usize::from(code)) {
            Some(&v) if v != NONE => Some((v & 0xff) as u8),
            _ => None,
        }
    }

    /// Build the map ModSecurity loads from the text of a `unicode.mapping`
    /// file for `codepage` (e.g. 20127 for US-ASCII).
    ///
    /// Returns `None` for code page 0, since ModSecurity then never
    /// consults the map. As in ModSecurity, a code page missing from the
    /// file yields just the built-in entries; the file is parsed the same
    /// way (whitespace-separated tokens; after the token naming the code
    /// page, `hhhh:hh` tokens are entries until the first token without
    /// a `:`).
    pub fn from_mapping_file(text: &[u8], codepage: u32) -> Option<UnicodeMap> {
        if codepage == 0 {
            return None;
        }
        let mut map = UnicodeMap::new();
        let mut found = false;
        let mut processing = false;
        let tokens = text
            .split(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .filter(|t| !t.is_empty());
        for token in tokens {
            // `atol(p)` compared as an unsigned int.
            if (strtol(token, 10) as u32) == codepage {
                found = true;
            }
            let has_colon = token.contains(&b':');
            if found && has_colon {
                processing = true;
                // strtok_r(mapping, ":"): skip leading ':', the code runs to
                // the next ':', the mapped value is everything after it.
                let rest = token
                    .get(token.iter().take_while(|&&b| b == b':').count()..)
                    .unwrap_or(&[]);
                let (code_text, value_text) = match rest.iter().position(|&b| b == b':') {
                    Some(p) => (
                        rest.get(..p).unwrap_or(&[]),
                        rest.get(p + 1..).unwrap_or(&[]),
                    ),
                    None => (rest, &[][..]),
                };
                let code = strtol(code_text, 16) as i32;
                let value = strtol(value_text, 16) as i32;
                if let Ok(code) = u16::try_from(code) {
                    if let Some(slot) = map.table.get_mut(usize::from(code)) {
                        // ModSecurity stores an int and treats -1 as "no entry".
                        *slot = if value == -1 {
                            NONE
                        } else {
                            u16::from(value as u8)
                        };
                    }
                }
            }
            if processing && !has_colon {
                break;
            }
        }
        Some(map)
    }
}

//! Shared helpers: C-string style byte access, hex digits and a lazily
//! allocating output buffer.

use std::borrow::Cow;

/// Byte at `i`, or NUL past the end.
///
/// ModSecurity works on `std::string` buffers, which are NUL-terminated, and
/// several transformations peek at `input[len]` (and rely on it being NUL to
/// stop). Returning 0 out of range reproduces that exactly without panicking.
#[inline]
pub(super) fn byte_at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// `input[from..to]`, or an empty slice if the range is out of bounds.
#[inline]
pub(super) fn slice(s: &[u8], from: usize, to: usize) -> &[u8] {
    s.get(from..to).unwrap_or(&[])
}

/// Value of one ASCII hex digit (`VALID_HEX` in ModSecurity), if it is one.
#[inline]
pub(super) fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// True if `b` is an ASCII hex digit.
#[inline]
pub(super) fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// ModSecurity's `xsingle2c`: the value of one hex digit, computed with the
/// same unchecked (wrapping) arithmetic, so non-hex input yields the same
/// garbage byte as ModSecurity (only `t:hexDecode` feeds it non-hex bytes).
#[inline]
pub(super) fn xsingle2c(b: u8) -> u8 {
    if b >= b'A' {
        (b & 0xdf).wrapping_sub(b'A').wrapping_add(10)
    } else {
        b.wrapping_sub(b'0')
    }
}

/// ModSecurity's `x2c`: two hex digits to one byte (wrapping, see [`xsingle2c`]).
#[inline]
pub(super) fn x2c(hi: u8, lo: u8) -> u8 {
    xsingle2c(hi).wrapping_mul(16).wrapping_add(xsingle2c(lo))
}

/// `x2c` over `s[i]`, `s[i + 1]` (NUL past the end).
#[inline]
pub(super) fn x2c_at(s: &[u8], i: usize) -> u8 {
    x2c(byte_at(s, i), byte_at(s, i + 1))
}

/// C `isspace` in the "C" locale: space, `\t`, `\n`, `\v`, `\f`, `\r`.
#[inline]
pub(super) fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Lowercase hex digits, as ModSecurity's `c2x` and `hexEncode` print them.
pub(super) const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Wrap a freshly built buffer, keeping the crate-wide invariant that an
/// output equal to the input is returned as `Cow::Borrowed(input)`.
#[inline]
pub(super) fn finish_owned(input: &[u8], out: Vec<u8>) -> Cow<'_, [u8]> {
    if out.len() == input.len() && out == input {
        Cow::Borrowed(input)
    } else {
        Cow::Owned(out)
    }
}

/// An output buffer that is only allocated at the first change.
///
/// Decoders walk the input and report each change as "replace
/// `input[at..resume]` with these bytes"; untouched runs in between are
/// copied as whole slices. If nothing is ever replaced, [`Lazy::finish`]
/// returns the input borrowed and no allocation happened.
pub(super) struct Lazy<'a> {
    input: &'a [u8],
    out: Vec<u8>,
    /// Input bytes before `pos` are already accounted for in `out`.
    pos: usize,
    active: bool,
    /// Extra capacity to reserve on activation (for growing transforms).
    extra: usize,
}

impl<'a> Lazy<'a> {
    /// A builder over `input` that allocates nothing yet.
    #[inline]
    pub(super) fn new(input: &'a [u8]) -> Self {
        Lazy {
            input,
            out: Vec::new(),
            pos: 0,
            active: false,
            extra: 0,
        }
    }

    /// Like [`Lazy::new`], reserving `extra` bytes beyond the input length
    /// when the buffer is first allocated.
    #[inline]
    pub(super) fn with_extra(input: &'a [u8], extra: usize) -> Self {
        Lazy {
            input,
            out: Vec::new(),
            pos: 0,
            active: false,
            extra,
        }
    }

    /// Copy the pending input up to `at`, then skip input up to `resume`.
    #[inline]
    fn flush_to(&mut self, at: usize, resume: usize) {
        if !self.active {
            self.active = true;
            self.out
                .reserve(self.input.len().saturating_add(self.extra));
        }
        if at > self.pos {
            self.out.extend_from_slice(slice(self.input, self.pos, at));
        }
        self.pos = resume.max(self.pos);
    }

    /// Replace `input[at..resume]` with `bytes`.
    #[inline]
    pub(super) fn replace(&mut self, at: usize, resume: usize, bytes: &[u8]) {
        self.flush_to(at, resume);
        self.out.extend_from_slice(bytes);
    }

    /// Replace `input[at..resume]` with the single byte `b`.
    #[inline]
    pub(super) fn replace_byte(&mut self, at: usize, resume: usize, b: u8) {
        self.flush_to(at, resume);
        self.out.push(b);
    }

    /// Append one byte to the output; only meaningful right after a
    /// `replace*`/`delete` call, which positions the output.
    #[inline]
    pub(super) fn push(&mut self, b: u8) {
        if self.active {
            self.out.push(b);
        }
    }

    /// Drop `input[at..resume]`.
    #[inline]
    pub(super) fn delete(&mut self, at: usize, resume: usize) {
        self.flush_to(at, resume);
    }

    /// Append the rest of the input and return the result.
    pub(super) fn finish(mut self) -> Cow<'a, [u8]> {
        if !self.active {
            return Cow::Borrowed(self.input);
        }
        let len = self.input.len();
        if self.pos < len {
            self.out.extend_from_slice(slice(self.input, self.pos, len));
        }
        finish_owned(self.input, self.out)
    }
}

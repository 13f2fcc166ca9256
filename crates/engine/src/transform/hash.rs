//! `sha1` and `md5`: raw binary digests (20 and 16 bytes), as ModSecurity
//! returns them (not hex; chain `t:hexEncode` for that).
//!
//! Small self-contained implementations (FIPS 180-4 SHA-1, RFC 1321 MD5) so
//! the engine needs no extra crates on wasm32. These are for matching only,
//! not for security.

use std::borrow::Cow;

use super::util::finish_owned;

/// Feed `input` plus Merkle-Damgard padding to `block` in 64-byte blocks.
/// `big_endian_len` selects how the bit length is appended.
fn for_each_block(input: &[u8], big_endian_len: bool, mut block: impl FnMut(&[u8; 64])) {
    let mut chunks = input.chunks_exact(64);
    for chunk in &mut chunks {
        let mut b = [0u8; 64];
        b.copy_from_slice(chunk);
        block(&b);
    }
    let rest = chunks.remainder();
    let bits = (input.len() as u64).wrapping_mul(8);
    let len_bytes = if big_endian_len {
        bits.to_be_bytes()
    } else {
        bits.to_le_bytes()
    };
    // At most two final blocks: the rest, 0x80, zeros, 8 length bytes.
    let mut tail = [0u8; 128];
    let r = rest.len();
    if let Some(dst) = tail.get_mut(..r) {
        dst.copy_from_slice(rest);
    }
    if let Some(b) = tail.get_mut(r) {
        *b = 0x80;
    }
    let total = if r < 56 { 64 } else { 128 };
    if let Some(dst) = tail.get_mut(total - 8..total) {
        dst.copy_from_slice(&len_bytes);
    }
    for chunk in tail.get(..total).unwrap_or(&[]).chunks_exact(64) {
        let mut b = [0u8; 64];
        b.copy_from_slice(chunk);
        block(&b);
    }
}

/// SHA-1 digest of `input`.
pub(super) fn sha1(input: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    for_each_block(input, true, |block| {
        let mut w = [0u32; 80];
        for (t, word) in block.chunks_exact(4).enumerate().take(16) {
            w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (t, &wt) in w.iter().enumerate() {
            let (f, k) = match t {
                0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
                20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(wt);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (hv, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hv = hv.wrapping_add(v);
        }
    });
    let mut out = [0u8; 20];
    for (dst, word) in out.chunks_exact_mut(4).zip(h) {
        dst.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// MD5 per-round shift amounts.
const MD5_S: [u32; 64] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, //
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, //
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, //
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

/// MD5 constants: floor(abs(sin(i + 1)) * 2^32).
const MD5_K: [u32; 64] = [
    0xd76a_a478,
    0xe8c7_b756,
    0x2420_70db,
    0xc1bd_ceee,
    0xf57c_0faf,
    0x4787_c62a,
    0xa830_4613,
    0xfd46_9501,
    0x6980_98d8,
    0x8b44_f7af,
    0xffff_5bb1,
    0x895c_d7be,
    0x6b90_1122,
    0xfd98_7193,
    0xa679_438e,
    0x49b4_0821,
    0xf61e_2562,
    0xc040_b340,
    0x265e_5a51,
    0xe9b6_c7aa,
    0xd62f_105d,
    0x0244_1453,
    0xd8a1_e681,
    0xe7d3_fbc8,
    0x21e1_cde6,
    0xc337_07d6,
    0xf4d5_0d87,
    0x455a_14ed,
    0xa9e3_e905,
    0xfcef_a3f8,
    0x676f_02d9,
    0x8d2a_4c8a,
    0xfffa_3942,
    0x8771_f681,
    0x6d9d_6122,
    0xfde5_380c,
    0xa4be_ea44,
    0x4bde_cfa9,
    0xf6bb_4b60,
    0xbebf_bc70,
    0x289b_7ec6,
    0xeaa1_27fa,
    0xd4ef_3085,
    0x0488_1d05,
    0xd9d4_d039,
    0xe6db_99e5,
    0x1fa2_7cf8,
    0xc4ac_5665,
    0xf429_2244,
    0x432a_ff97,
    0xab94_23a7,
    0xfc93_a039,
    0x655b_59c3,
    0x8f0c_cc92,
    0xffef_f47d,
    0x8584_5dd1,
    0x6fa8_7e4f,
    0xfe2c_e6e0,
    0xa301_4314,
    0x4e08_11a1,
    0xf753_7e82,
    0xbd3a_f235,
    0x2ad7_d2bb,
    0xeb86_d391,
];

/// MD5 digest of `input`.
pub(super) fn md5(input: &[u8]) -> [u8; 16] {
    let mut h: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for_each_block(input, false, |block| {
        let mut m = [0u32; 16];
        for (t, word) in block.chunks_exact(4).enumerate().take(16) {
            m[t] = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        }
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(MD5_K[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(MD5_S[i]));
        }
        for (hv, v) in h.iter_mut().zip([a, b, c, d]) {
            *hv = hv.wrapping_add(v);
        }
    });
    let mut out = [0u8; 16];
    for (dst, word) in out.chunks_exact_mut(4).zip(h) {
        dst.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// `t:sha1`.
pub(super) fn sha1_transform(input: &[u8]) -> Cow<'_, [u8]> {
    finish_owned(input, sha1(input).to_vec())
}

/// `t:md5`.
pub(super) fn md5_transform(input: &[u8]) -> Cow<'_, [u8]> {
    finish_owned(input, md5(input).to_vec())
}

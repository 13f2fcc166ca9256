//! No-panic loops: random and mutated inputs for every parser.
use super::*;

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random bytes biased towards the syntax of each format.
fn input(rng: &mut XorShift, alphabet: &[&[u8]], seed: &[u8]) -> Vec<u8> {
    let mut v = if rng.below(2) == 0 { seed.to_vec() } else { Vec::new() };
    for _ in 0..rng.below(40) {
        let at = rng.below(v.len() + 1);
        match rng.below(4) {
            0 if !v.is_empty() => {
                let end = (at + rng.below(4)).min(v.len());
                v.drain(at.min(end)..end);
            }
            1 => v.insert(at, rng.next() as u8),
            _ => {
                let piece = alphabet[rng.below(alphabet.len())];
                v.splice(at..at, piece.iter().copied());
            }
        }
    }
    v
}

#[derive(Default)]
struct Count(usize);
impl BodySink for Count {
    fn arg(&mut self, name: &[u8], value: &[u8]) {
        self.0 += name.len() + value.len();
    }
    fn file(&mut self, f: &[u8], n: &[u8], c: &[u8]) {
        self.0 += f.len() + n.len() + c.len();
    }
    fn xml_text(&mut self, t: &[u8]) {
        self.0 += t.len();
    }
}

const ROUNDS: usize = 20_000;

#[test]
fn urlencoded_never_panics() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let alpha: &[&[u8]] = &[b"%", b"+", b"=", b"&", b"%4", b"%41", b"a", b"\xff"];
    for _ in 0..ROUNDS {
        let v = input(&mut rng, alpha, b"a=1&b=%41");
        let limits = Limits { max_args: rng.below(5), ..Limits::default() };
        parse_urlencoded(&v, &limits, &mut Count::default());
    }
}

#[test]
fn multipart_never_panics() {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let alpha: &[&[u8]] = &[
        b"\r\n", b"\n", b"\r", b"--b", b"--b--", b"--", b"\"", b"'", b";", b"=", b" ", b"\t", b"\\", b":", b"\0",
        b"Content-Disposition: form-data; name=", b"filename=", b"filename*=utf-8''", b"\x0b",
    ];
    let cts: &[&[u8]] = &[b"multipart/form-data; boundary=b", b"multipart/form-data; boundary=\"b\"", b"multipart/form-data boundary= b"];
    let seed = b"--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\r\nX: y\r\n\r\nv\r\n--b--\r\n";
    for _ in 0..ROUNDS {
        let v = input(&mut rng, alpha, seed);
        let ct = if rng.below(8) == 0 { input(&mut rng, alpha, cts[0]) } else { cts[rng.below(cts.len())].to_vec() };
        let limits = Limits { max_files: rng.below(3), ..Limits::default() };
        let out = parse_multipart(&ct, &v, &limits, &mut Count::default());
        let _ = out.error.map(|e| BodyError::from(e).to_string());
    }
    // Long lines around the 4096-byte buffer.
    for len in 4090..4100 {
        let mut v = seed.to_vec();
        v.splice(60..60, std::iter::repeat_n(b'\r', len));
        parse_multipart(cts[0], &v, &Limits::default(), &mut Count::default());
    }
}

#[test]
fn json_never_panics() {
    let mut rng = XorShift(0xdead_beef_cafe_f00d);
    let alpha: &[&[u8]] = &[
        b"{", b"}", b"[", b"]", b",", b":", b"\"", b"\\", b"\\u", b"\\ud800", b"\\udc00", b"0", b"-", b".", b"e", b"true", b"nul", b"\xff", b"\xc3",
    ];
    for _ in 0..ROUNDS {
        let v = input(&mut rng, alpha, br#"{"a":[1,{"b":"c\u00e9"}],"d":null}"#);
        let limits = Limits { max_args: rng.below(6), json_depth: rng.below(4), ..Limits::default() };
        let _ = parse_json(&v, &limits, &mut Count::default()).map_err(|e| e.to_string());
    }
}

#[test]
fn xml_never_panics() {
    let mut rng = XorShift(0x0123_4567_89ab_cdef);
    let alpha: &[&[u8]] = &[
        b"<", b">", b"</", b"/>", b"&", b";", b"&#", b"&#x", b"\"", b"'", b"=", b" ", b"\r", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<?", b"?>",
        b"<!DOCTYPE a [", b"<!ENTITY e \"&e;x\">", b"&e;", b"]>", b"\xff", b"\xef\xbf\xbe", b"\0",
    ];
    let seeds: &[&[u8]] = &[
        b"<?xml version=\"1.0\"?><r a=\"1\"><b c='&lt;'>t&amp;<![CDATA[x]]></b></r>",
        b"<!DOCTYPE r [<!ENTITY e \"v\"><!ATTLIST r a CDATA #IMPLIED>]><r a=\"&e;\">&e;</r>",
        b"\xff\xfe<\0r\0/\0>\0",
        b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><r>\x80\x81</r>",
    ];
    for _ in 0..ROUNDS {
        let seed = seeds[rng.below(seeds.len())];
        let v = input(&mut rng, alpha, seed);
        let _ = parse_xml(&v, &Limits::default(), &mut Count::default()).map_err(|e| e.detail());
    }
}

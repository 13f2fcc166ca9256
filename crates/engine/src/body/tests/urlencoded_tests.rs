use super::*;

fn run(input: &[u8], limits: Limits) -> (Vec<(String, String)>, UrlencodedOutcome) {
    let mut c = Collect::default();
    let out = parse_urlencoded(input, &limits, &mut c);
    (c.args, out)
}

#[test]
fn table() {
    // (input, args, URLENCODED_ERROR)
    let cases: &[(&[u8], &[(&str, &str)], bool)] = &[
        (b"", &[], false),
        (b"a=1", &[("a", "1")], false),
        (b"a=1&b=2&a=3", &[("a", "1"), ("b", "2"), ("a", "3")], false),
        (b"a+b=c+d", &[("a b", "c d")], false),
        (b"%41%62=%7e%7E", &[("Ab", "~~")], false),
        (b"a", &[("a", "")], false),
        (b"=v", &[("", "v")], false),
        (b"a=", &[("a", "")], false),
        (b"a=b=c", &[("a", "b=c")], false),
        // getline: an empty piece in the middle is an argument, a trailing
        // separator is not.
        (b"a=1&&b=2", &[("a", "1"), ("", ""), ("b", "2")], false),
        (b"a=1&", &[("a", "1")], false),
        (b"&", &[("", "")], false),
        (b"&a", &[("", ""), ("a", "")], false),
        // Invalid escapes are kept and flagged (in values and in names).
        (b"a=%", &[("a", "%")], true),
        (b"a=%4", &[("a", "%4")], true),
        (b"a=%zz1", &[("a", "%zz1")], true),
        (b"%g=1", &[("%g", "1")], true),
        (b"a=%%41", &[("a", "%A")], true),
        // Decoding may produce any byte.
        (b"a=%00%ff", &[("a", "\\x00\\xff")], false),
        (b"\xff=\xfe", &[("\\xff", "\\xfe")], false),
        (b"q=1%27%20or%201=1", &[("q", "1' or 1=1")], false),
    ];
    for (input, args, invalid) in cases {
        let (got, out) = run(input, Limits::default());
        let args: Vec<_> = pairs(args).into_iter().map(|(n, v)| (n.replace("\\x00", "\0"), v.replace("\\x00", "\0"))).collect();
        assert_eq!(got, args, "input {:?}", show(input));
        assert_eq!(out.invalid_encoding, *invalid, "input {:?}", show(input));
        assert_eq!(out.args, got.len());
        assert!(!out.limit_reached);
    }
}

#[test]
fn argument_limit_skips_but_still_flags() {
    let limits = Limits { max_args: 2, ..Limits::default() };
    let (got, out) = run(b"a=1&b=2&c=3&d=%", limits);
    assert_eq!(got, pairs(&[("a", "1"), ("b", "2")]));
    assert!(out.limit_reached);
    assert!(out.invalid_encoding, "skipped arguments still set URLENCODED_ERROR");
    assert_eq!(out.args, 2);
}

#[test]
fn other_separator() {
    let mut c = Collect::default();
    parse_urlencoded_with_separator(b"a=1;b=2&c", b';', &Limits::default(), &mut c);
    assert_eq!(c.args, pairs(&[("a", "1"), ("b", "2&c")]));
}

#[test]
fn decoder_reports_invalid_count() {
    let mut out = Vec::new();
    assert_eq!(url_decode_nonstrict(b"%41%+%4g%", &mut out), 3);
    assert_eq!(out, b"A% %4g%");
}

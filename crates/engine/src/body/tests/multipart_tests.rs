use super::*;

const CT: &[u8] = b"multipart/form-data; boundary=b";

fn mp_with(ct: &[u8], body: &[u8], limits: Limits) -> (Collect, MultipartOutcome) {
    let mut c = Collect::default();
    let out = parse_multipart(ct, body, &limits, &mut c);
    (c, out)
}

fn mp(ct: &[u8], body: &[u8]) -> (Collect, MultipartOutcome) {
    mp_with(ct, body, Limits::default())
}

fn err(out: &MultipartOutcome) -> Option<String> {
    out.error.clone().map(|e| BodyError::from(e).to_string())
}

/// A well-formed body with a field and a file.
const GOOD: &[u8] = b"--b\r\n\
Content-Disposition: form-data; name=\"a\"\r\n\
\r\n\
hello\r\n\
--b\r\n\
Content-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\
Content-Type: text/plain\r\n\
\r\n\
line1\r\nline2\r\n\
--b--\r\n";

#[test]
fn good_body() {
    let (c, out) = mp(CT, GOOD);
    assert_eq!(err(&out), None);
    assert!(out.processed);
    assert_eq!(c.args, pairs(&[("a", "hello")]));
    assert_eq!(c.files, vec![("f".into(), "x.txt".into(), "line1\r\nline2".into())]);
    assert_eq!(c.names, vec!["a", "f"]);
    assert_eq!(c.filenames, vec!["x.txt"]);
    assert_eq!(out.last_name.as_deref(), Some(&b"f"[..]));
    assert_eq!(out.last_filename.as_deref(), Some(&b"x.txt"[..]));
    assert_eq!(out.flags().iter().filter(|(_, v)| *v != 0).count(), 1, "only UNMATCHED_BOUNDARY=2");
    assert_eq!(
        c.headers,
        pairs(&[
            ("a", "Content-Disposition: form-data; name=\"a\""),
            ("f", "Content-Disposition: form-data; name=\"f\"; filename=\"x.txt\""),
            ("f", "Content-Type: text/plain"),
        ])
    );
    assert!(!out.strict_error());
    // v3: 2 once a second boundary matched.
    assert_eq!(out.unmatched_boundary, 2);
    assert!(out.crlf_line && !out.lf_line && !out.crlf_lf_lines());
}

#[test]
fn field_values_keep_their_line_breaks() {
    // v3 would give "l1l2l3"; the application receives the line breaks.
    let body = b"--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nl1\r\nl2\nl3\r\n--b--\r\n";
    let (c, _) = mp(CT, body);
    assert_eq!(c.args, pairs(&[("t", "l1\r\nl2\nl3")]));
}

#[test]
fn empty_values_and_empty_file() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n\
--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"empty\"\r\n\r\n\r\n\
--b\r\nContent-Disposition: form-data; name=\"g\"; filename=\"\"\r\n\r\nx\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert_eq!(err(&out), None);
    // filename="" makes a field, not a file (v3).
    assert_eq!(c.args, pairs(&[("e", ""), ("g", "x")]));
    assert_eq!(c.files, vec![("f".into(), "empty".into(), String::new())]);
    assert!(!out.strict_error());
}

#[test]
fn large_file_lines_cross_the_4096_buffer() {
    for len in [4094, 4095, 4096, 4097, 9000] {
        let mut content = vec![b'x'; len];
        content[len / 2] = b'\r';
        let mut body = b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n".to_vec();
        body.extend_from_slice(&content);
        body.extend_from_slice(b"\r\n--b--\r\n");
        let (c, out) = mp(CT, &body);
        assert_eq!(err(&out), None, "len {len}");
        assert_eq!(c.files[0].2.len(), len, "len {len}");
    }
}

#[test]
fn final_boundary_without_line_end() {
    let (c, out) = mp(CT, b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--");
    assert_eq!(err(&out), None);
    assert_eq!(c.args, pairs(&[("a", "v")]));
}

#[test]
fn truncated_bodies_add_no_arguments() {
    let cut = &GOOD[..GOOD.len() - 9];
    let (c, out) = mp(CT, cut);
    assert_eq!(err(&out).as_deref(), Some("Multipart parsing error: Multipart: Final boundary missing."));
    assert!(c.args.is_empty() && c.files.is_empty());
    // What was seen while parsing is still recorded.
    assert_eq!(c.names, vec!["a", "f"]);
    assert_eq!(c.headers.len(), 1);
    let (_, out) = mp(CT, b"no boundary here");
    assert_eq!(err(&out).as_deref(), Some("Multipart parsing error: Multipart: No boundaries found in payload."));
    let (_, out) = mp(CT, b"");
    assert_eq!(err(&out), None, "an empty body is not an error in v3");
}

#[test]
fn content_type_errors() {
    let cases: &[(&[u8], Option<&str>)] = &[
        (b"", Some("Multipart: Content-Type header not available.")),
        (b"multipart/mixed; boundary=b", Some("Multipart: Invalid MIME type.")),
        (b"multipart/form-data", Some("Multipart: Boundary not found in C-T.")),
        (b"multipart/form-data; BOUNDARY=b", Some("Multipart: Invalid boundary in C-T (case sensitivity).")),
        (b"multipart/form-data; boundary=a; boundary=b", Some("Multipart: Multiple boundary parameters in C-T.")),
        // v3 bug #3610: "boundary" inside the value and a later '=' count twice.
        (b"multipart/form-data; boundary=geckoformboundary1;charset=UTF-8", Some("Multipart: Multiple boundary parameters in C-T.")),
        (b"multipart/form-data; x boundary=b", Some("Multipart: Invalid boundary in C-T (malformed).")),
        (b"multipart/form-data; boundary", Some("Multipart: Invalid boundary in C-T (malformed).")),
        (b"multipart/form-data; boundaryx=b", Some("Multipart: Invalid boundary in C-T (parameter name).")),
        (b"multipart/form-data; boundary=\"b", Some("Multipart: Invalid boundary in C-T (quote).")),
        (b"multipart/form-data; boundary=a{b", Some("Multipart: Invalid boundary in C-T (characters).")),
        (b"multipart/form-data; boundary=b ", Some("Multipart: Invalid boundary in C-T (characters).")),
        (b"multipart/form-data; boundary=;x", Some("Multipart: Invalid boundary in C-T (empty).")),
        // Tolerated: a parameter after the boundary.
        (b"multipart/form-data; boundary=b; charset=utf-8", None),
        (b"Multipart/Form-Data; boundary=b", None),
    ];
    for (ct, want) in cases {
        let (_, out) = mp(ct, GOOD);
        let want = want.map(|w| format!("Multipart parsing error: {w}"));
        assert_eq!(err(&out), want, "ct {:?}", show(ct));
        assert_eq!(out.hard_error, want.is_some(), "ct {:?}", show(ct));
        assert_eq!(out.processed, want.is_none());
    }
    let long = [b"multipart/form-data; boundary=".as_slice(), &[b'b'; 1000]].concat();
    assert_eq!(err(&mp(&long, GOOD).1).as_deref(), Some("Multipart parsing error: Multipart: Invalid boundary in C-T (length)."));
}

#[test]
fn empty_boundary_is_silently_skipped_like_v3() {
    for ct in [&b"multipart/form-data; boundary="[..], b"multipart/form-data; boundary=\"\""] {
        let (c, out) = mp(ct, GOOD);
        assert!(!out.processed);
        assert_eq!(err(&out), None);
        assert!(c.args.is_empty());
    }
}

#[test]
fn part_errors() {
    // No data and a final boundary without line end: the part's error is
    // the last one recorded. (After a header error v3 stays in the header
    // state, so data lines and even boundary lines that follow are read as
    // headers and would overwrite it.)
    let part = |headers: &str| format!("--b\r\n{headers}\r\n\r\n--b--").into_bytes();
    let cases: &[(&str, &str)] = &[
        ("Content-Type: text/plain", "Multipart: Part missing Content-Disposition header."),
        ("Content-Disposition: form-data", "Multipart: Content-Disposition header missing name field."),
        ("Content-Disposition: attachment; name=a", "Multipart: Invalid Content-Disposition header (-1): attachment; name=a"),
        ("Content-Disposition: form-data name=a", "Multipart: Invalid Content-Disposition header (-2): form-data name=a"),
        ("Content-Disposition: form-data; name=a; ", "Multipart: Invalid Content-Disposition header (-3): form-data; name=a; "),
        ("Content-Disposition: form-data; name=a; size=3", "Multipart: Invalid Content-Disposition header (-11): form-data; name=a; size=3"),
        ("Content-Disposition: form-data; name=a b", "Multipart: Invalid Content-Disposition header (-12): form-data; name=a b"),
        ("Content-Disposition: form-data; name x", "Multipart: Invalid Content-Disposition header (-13): form-data; name x"),
        ("Content-Disposition: form-data; name=a; name=b", "Multipart: Invalid Content-Disposition header (-14): form-data; name=a; name=b"),
        ("Content-Disposition: form-data; name=a; filename*=utf-8''x", "Multipart: Invalid Content-Disposition header (-21): form-data; name=a; filename*=utf-8''x"),
        ("Content-Disposition: form-data; name=a; filename = x", "Multipart: Invalid Content-Disposition header (filename)."),
        ("Content-Disposition: form-data; name=a\r\nNo colon here", "Multipart: Invalid part header (colon missing): No colon here\\x0d\\x0a"),
        ("Content-Disposition: form-data; name=a\r\n: x", "Multipart: Invalid part header (header name missing)."),
        ("Content-Disposition: form-data; name=a\r\n\tfolded first? no: folded onto C-D", "Multipart: Invalid Content-Disposition header (-12): form-data; name=a folded first? no: folded onto C-D"),
        ("Content-Disposition: form-data; name=a\r\nX-\x01: y", "Multipart: Invalid part header (contains invalid character)."),
        ("Content-\x0eDisposition: form-data; name=a", "Multipart: Part missing Content-Disposition header."),
        (" folded: first", "Multipart: Part missing Content-Disposition header."),
    ];
    for (headers, want) in cases {
        let (_, out) = mp(CT, &part(headers));
        assert_eq!(err(&out).as_deref(), Some(format!("Multipart parsing error: {want}").as_str()), "headers {headers:?}");
    }
}

#[test]
fn invalid_header_character_like_crs_922130() {
    // Test 922130-1: a 0x0E before a header name, then a good header.
    let body = b"--boundary\r\n\x0eContent-Disposition: form-data; name=\"file\"; filename=\"1.php\"\r\n\
Content-Disposition: form-data; name=\"post\"\r\n\r\n<?php var_dump(file_get_contents(\"/etc/passwd\"));\r\n--boundary--";
    let (c, out) = mp(b"multipart/form-data; boundary=boundary", body);
    assert_eq!(
        err(&out).as_deref(),
        Some("Multipart parsing error: Multipart: Invalid part header (contains invalid character).")
    );
    // Parsing went on: the second header made a normal part.
    assert_eq!(c.args, pairs(&[("post", "<?php var_dump(file_get_contents(\"/etc/passwd\"));")]));
}

#[test]
fn content_disposition_values() {
    let cd = |v: &str| {
        let body = format!("--b\r\nContent-Disposition: {v}\r\n\r\nx\r\n--b--\r\n");
        mp(CT, body.as_bytes())
    };
    let (c, out) = cd(r#"form-data; name="a\"b\\c\d"; filename="C:\dir\f.txt""#);
    assert_eq!(err(&out), None);
    assert_eq!(c.files, vec![("a\"b\\c\\d".into(), "C:\\dir\\f.txt".into(), "x".into())]);
    let (c, out) = cd("form-data;name=tok;\tfilename=f.php");
    assert_eq!(err(&out), None);
    assert_eq!(c.files[0].0, "tok");
    assert_eq!(c.files[0].1, "f.php");
    let (c, out) = cd("form-data; name=a; filename=\"x\"; filename*=UTF-8''%e2%82%ac.txt");
    assert_eq!(err(&out), None);
    assert_eq!(c.files[0].1, "x");
    assert!(!out.invalid_quoting);
}

#[test]
fn crs_920120_file_names() {
    // FILES holds the file name, FILES_NAMES the field name.
    let body = b"--b\r\nContent-Disposition: form-data; name=\"fi=le\"; filename=\"test\"\r\nContent-Type: text/plain\r\n\r\n\
email: security@example.com\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nContact info.\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert_eq!(err(&out), None);
    assert_eq!(c.files, vec![("fi=le".into(), "test".into(), "email: security@example.com\r\n".into())]);
    assert_eq!(c.args, pairs(&[("note", "Contact info.")]));
}

#[test]
fn crs_922110_part_headers_per_field() {
    let body = b"------WebKitFormBoundary\r\nContent-Disposition: form-data; name=\"username\"\r\n\
Content-Type: text/plain; charset=utf-7\r\n\r\n+ADw-img+ACA-src+AD0-x+AD4-\r\n------WebKitFormBoundary\r\n\
Content-Disposition: form-data; name=\"username\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nlegitimate\r\n\
------WebKitFormBoundary--\r\n";
    let (c, out) = mp(b"multipart/form-data; boundary=----WebKitFormBoundary", body);
    assert_eq!(err(&out), None);
    let ct: Vec<_> = c.headers.iter().filter(|(_, l)| l.starts_with("Content-Type")).cloned().collect();
    assert_eq!(
        ct,
        pairs(&[("username", "Content-Type: text/plain; charset=utf-7"), ("username", "Content-Type: text/plain; charset=utf-8")])
    );
    assert_eq!(c.args, pairs(&[("username", "+ADw-img+ACA-src+AD0-x+AD4-"), ("username", "legitimate")]));
}

#[test]
fn crs_922100_charset_field_with_lf_lines() {
    // go-ftw turns LF into CRLF; without that the body has bare LFs.
    let body = b"--boundary\nContent-disposition: form-data; name=\"_charset_\"\n\nutf-7\n--boundary\n\
Content-disposition: form-data; name=\"positive\"\nContent-Type: text/plain\n\nLet me see.\n--boundary--\n";
    let (c, out) = mp(b"multipart/form-data; boundary=boundary", body);
    assert_eq!(err(&out), None);
    assert_eq!(c.args, pairs(&[("_charset_", "utf-7"), ("positive", "Let me see.")]));
    assert!(out.lf_line && out.strict_error());
}

// ---- one test per MULTIPART_* flag ------------------------------------------

#[test]
fn flag_boundary_quoted() {
    let (_, out) = mp(b"multipart/form-data; boundary=\"b\"", GOOD);
    assert!(out.boundary_quoted && out.strict_error());
    assert_eq!(err(&out), None);
}

#[test]
fn flag_boundary_whitespace() {
    let (_, out) = mp(b"multipart/form-data; boundary =b", GOOD);
    assert!(out.boundary_whitespace && out.strict_error());
}

#[test]
fn flag_missing_semicolon() {
    let (_, out) = mp(b"multipart/form-data boundary=b", GOOD);
    assert!(out.missing_semicolon && out.strict_error());
}

#[test]
fn flag_data_before() {
    let body = [b"preamble\r\n".as_slice(), GOOD].concat();
    let (c, out) = mp(CT, &body);
    assert!(out.data_before && out.strict_error());
    assert_eq!(c.args.len(), 1);
}

#[test]
fn flag_data_after() {
    let body = [GOOD, b"epilogue".as_slice()].concat();
    let (_, out) = mp(CT, &body);
    assert!(out.data_after && out.strict_error());
    assert_eq!(err(&out), None);
}

#[test]
fn flag_header_folding() {
    let body = b"--b\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nv\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert!(out.header_folding && !out.invalid_header_folding && out.strict_error());
    assert_eq!(c.args, pairs(&[("a", "v")]));
    assert_eq!(c.headers, pairs(&[("a", "Content-Disposition: form-data; name=\"a\"")]));
}

#[test]
fn flag_invalid_header_folding() {
    let body = b"--b\r\nContent-Disposition: form-data;\r\n\x0bname=\"a\"\r\n\r\nv\r\n--b--\r\n";
    let (_, out) = mp(CT, body);
    assert!(out.header_folding && out.invalid_header_folding && out.strict_error());
}

#[test]
fn flag_lf_line() {
    let body = b"--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n";
    let (c, out) = mp(CT, body);
    assert!(out.lf_line && !out.crlf_lf_lines() && out.strict_error());
    assert_eq!(c.args, pairs(&[("a", "v")]));
}

#[test]
fn flag_crlf_lf_lines() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\n\r\nv\r\n--b--\r\n";
    let (_, out) = mp(CT, body);
    assert!(out.lf_line && out.crlf_line && out.crlf_lf_lines() && out.strict_error());
}

#[test]
fn flag_invalid_quoting() {
    let body = b"--b\r\nContent-Disposition: form-data; name='a'\r\n\r\nv\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert!(out.invalid_quoting && out.strict_error());
    assert_eq!(c.args, pairs(&[("a", "v")]));
    let body = b"--b\r\nContent-Disposition: form-data; name=a'b\r\n\r\nv\r\n--b--\r\n";
    assert!(mp(CT, body).1.invalid_quoting);
}

#[test]
fn flag_invalid_part() {
    // A part without a name is dropped.
    let body = b"--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nw\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert!(out.invalid_part && out.strict_error());
    assert_eq!(c.args, pairs(&[("a", "w")]));
    // A boundary where part data should start is read as data.
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--b\r\nx\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert!(out.invalid_part);
    assert_eq!(c.args, pairs(&[("a", "--b\r\nx")]));
}

#[test]
fn flag_unmatched_boundary() {
    // 1: a line that starts like a boundary but is not ours, when no later
    // boundary line resets it to 2 (v3 quirk: the final boundary without a
    // line end does not).
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--x\r\n--b--";
    let (c, out) = mp(CT, body);
    assert_eq!(out.unmatched_boundary, 1);
    assert_eq!(c.args, pairs(&[("a", "--x")]));
    // ... and the boundary text inside a line.
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx--b\r\n--b--";
    assert_eq!(mp(CT, body).1.unmatched_boundary, 1);
    // 2 for an ordinary body, 0 for a single boundary.
    assert_eq!(mp(CT, GOOD).1.unmatched_boundary, 2);
    assert!(!mp(CT, GOOD).1.strict_error(), "not part of MULTIPART_STRICT_ERROR");
}

#[test]
fn flag_file_limit_exceeded() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"f1\"; filename=\"a\"\r\n\r\n1\r\n\
--b\r\nContent-Disposition: form-data; name=\"f2\"; filename=\"b\"\r\n\r\n2\r\n--b--\r\n";
    let limits = Limits { max_files: 1, ..Limits::default() };
    let (c, out) = mp_with(CT, body, limits);
    assert!(out.file_limit_exceeded && out.strict_error());
    assert_eq!(
        err(&out).as_deref(),
        Some("Multipart parsing error: Multipart: Upload file limit exceeded 1. Use SecUploadFileLimit to change the limit.")
    );
    assert_eq!(c.files.len(), 2, "the files are still listed");
    assert!(!mp(CT, body).1.file_limit_exceeded, "no limit by default");
}

#[test]
fn hard_errors_stop_parsing() {
    // A boundary line with trailing text is a hard error; v3 then reports
    // the missing final boundary (its last error).
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--bx\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert!(out.hard_error && out.strict_error());
    assert_eq!(err(&out).as_deref(), Some("Multipart parsing error: Multipart: Final boundary missing."));
    assert!(c.args.is_empty());
    // Whitespace or quotes before the boundary.
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n-- b\r\n--b--\r\n";
    assert!(mp(CT, body).1.hard_error);
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--\"b\"\r\n--b--\r\n";
    assert!(mp(b"multipart/form-data; boundary=\"b\"", body).1.hard_error);
    // A header line of 4096 bytes or more.
    let long = [b"--b\r\nX: ".as_slice(), &[b'y'; 5000], b"\r\n\r\nv\r\n--b--\r\n"].concat();
    let (_, out) = mp(CT, &long);
    assert!(out.hard_error);
}

#[test]
fn nul_in_headers() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\x00\r\n\r\n--b--";
    let (_, out) = mp(CT, body);
    // The NUL error comes first; the missing C-D error overwrites it.
    assert_eq!(err(&out).as_deref(), Some("Multipart parsing error: Multipart: Part missing Content-Disposition header."));
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX: \x00\r\n\r\nv\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert_eq!(err(&out).as_deref(), Some("Multipart parsing error: Multipart: Nul byte in part headers."));
    assert_eq!(c.args, pairs(&[("a", "v")]));
}

#[test]
fn no_files_length_counts_headers_and_fields() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--b--\r\n";
    let (_, out) = mp(CT, body);
    // Header line (42) + blank line (2) + "hello" (5).
    assert_eq!(out.no_files_length, 42 + 2 + 5);
}

#[test]
fn unterminated_quote_is_refused_after_recording_the_name() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"abc\r\n\r\n--b--";
    let (c, out) = mp(CT, body);
    assert_eq!(c.names, vec!["abc"]);
    assert_eq!(
        err(&out).as_deref(),
        Some("Multipart parsing error: Multipart: Invalid Content-Disposition header (-12): form-data; name=\"abc")
    );
}

// Regressions found by fuzzing (fuzz/, target body_processors): inputs
// whose cost grew with the square of their size. The time bounds are two
// orders of magnitude above the fixed code's (debug build, wasm included)
// and far below the old code's.

/// A part whose second header (`X-A: 1`) is followed by `n` folded
/// continuation lines (`\n x`).
fn folded_body(n: usize) -> Vec<u8> {
    let mut body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-A: 1".to_vec();
    for _ in 0..n {
        body.extend_from_slice(b"\n x");
    }
    body.extend_from_slice(b"\r\n\r\nv\r\n--b--\r\n");
    body
}

/// The line v3 records for `X-A` after `n` folds: the value stops being
/// recorded once it is over 4096 bytes ("1" and 2047 folds of " x" fit).
fn folded_line(n: usize) -> String {
    format!("X-A: 1{}", " x".repeat(n.min(2047)))
}

/// Each folded line used to copy the whole header value and its recorded
/// line again: 40,000 folds (a 120 KB body) took 1.9 s and 1.5 GB.
#[test]
fn fuzz_multipart_folded_header_is_linear() {
    let body = folded_body(40_000);
    let (c, out) = linear_time(|| mp(CT, &body));
    assert!(out.header_folding);
    assert_eq!(c.args, pairs(&[("a", "v")]));
    assert_eq!(c.headers, vec![("a".to_string(), "Content-Disposition: form-data; name=\"a\"".to_string()), ("a".to_string(), folded_line(40_000))]);
}

/// Folded lines join with one space; the line recorded for a header that
/// grew over 4096 bytes is its last value that fit, and the error says so.
#[test]
fn fuzz_multipart_folded_header_lines() {
    let body = b"--b\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\nX-A: 1\r\n  2\r\n\t 3\r\n\r\nv\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert!(out.header_folding && !out.invalid_header_folding);
    assert_eq!(err(&out), None);
    assert_eq!(c.args, pairs(&[("a", "v")]));
    assert_eq!(c.headers, pairs(&[("a", "Content-Disposition: form-data; name=\"a\""), ("a", "X-A: 1 2 3")]));
    for n in [2046, 2047, 2048, 2049] {
        let (c, out) = mp(CT, &folded_body(n));
        let too_long = (n > 2047).then_some("Multipart parsing error: Multipart: Part header too long.");
        assert_eq!(err(&out).as_deref(), too_long, "{n}");
        assert_eq!(c.headers.get(1).map(|h| h.1.clone()), Some(folded_line(n)), "{n}");
    }
}

/// Every new part header was compared with all earlier ones (to refuse a
/// repeated name): 32,000 header lines in one part took 2.6 s.
#[test]
fn fuzz_multipart_many_part_headers_is_linear() {
    let mut body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n".to_vec();
    for i in 0..32_000 {
        body.extend_from_slice(format!("X{i}: v\r\n").as_bytes());
    }
    body.extend_from_slice(b"\r\nv\r\n--b--\r\n");
    let (c, out) = linear_time(|| mp(CT, &body));
    assert_eq!(err(&out), None);
    assert_eq!(c.args, pairs(&[("a", "v")]));
    assert_eq!(c.headers.len(), 32_001);
}

/// A repeated part header (any case) is ignored without an error, as in v3.
#[test]
fn fuzz_multipart_repeated_part_header_is_ignored() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: x\r\ncontent-TYPE: y\r\ncontent-disposition: form-data; name=\"z\"\r\n\r\nv\r\n--b--\r\n";
    let (c, out) = mp(CT, body);
    assert_eq!(err(&out), None);
    assert_eq!(c.args, pairs(&[("a", "v")]));
    assert_eq!(c.headers, pairs(&[("a", "Content-Disposition: form-data; name=\"a\""), ("a", "Content-Type: x")]));
}

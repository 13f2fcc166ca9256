use super::*;
use crate::body::xml::MAX_TEXT_NODES;

fn run(input: &[u8]) -> (Collect, Result<(), XmlError>) {
    let mut c = Collect::default();
    let r = parse_xml(input, &Limits::default(), &mut c);
    (c, r)
}

/// (document, well-formed, XML:/* values, XML://@* values). Each case was
/// checked against libxml2 2.9.14 driven as v3 drives it.
#[test]
fn table() {
    type Case = (&'static [u8], bool, &'static [&'static str], &'static [&'static str]);
    let cases: &[Case] = &[
        (b"<a>x</a>", true, &["x"], &[]),
        (b"<?xml version=\"1.0\"?><root><a probe=\"cat /etc/passwd\"></a></root>", true, &[""], &["cat /etc/passwd"]),
        // Entities and character references in attributes and text.
        (b"<r><a p=\"&#13;&#10;MAIL FROM:&lt;a@b.com&gt;\">x &amp; y &#x41;&#66;</a></r>", true, &["x & y AB"], &["\r\nMAIL FROM:<a@b.com>"]),
        // Attribute normalization: literal tab/CR/LF become spaces, CRLF one.
        (b"<r a=\"1\r\n2\t3\n4\"/>", true, &[""], &["1 2 3 4"]),
        // Text: CRLF and CR become LF; CDATA is kept raw; comments and PIs
        // are not text.
        (b"<r>a\r\nb\rc<![CDATA[<x>\r]]><!--c--><?pi d?>e</r>", true, &["a\nb\nc<x>\re"], &[]),
        // All descendants' text, in order.
        (b"<r>1<a>2<b>3</b></a>4</r>", true, &["1234"], &[]),
        (b"<r x=\"1\"><a y='2' z=\"3\"/></r>", true, &[""], &["1", "2", "3"]),
        // Namespace declarations are not attributes; xml:lang is.
        (b"<a xmlns=\"u\" xmlns:p=\"v\" p:b=\"1\" xml:lang=\"en\"/>", true, &[""], &["1", "en"]),
        // Internal entities are replaced, external ones never loaded.
        (b"<!DOCTYPE r [<!ENTITY e \"ent&#38;lt;val\"><!ENTITY x SYSTEM \"file:///etc/passwd\">]><r at=\"&e;\">&e;&x;</r>", true, &["ent<val"], &["ent<val"]),
        // Prolog and epilogue: declaration, comments, PIs, whitespace.
        (b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<!--c--><?p?>\n<r>x</r>\n<!--t-->\n", true, &["x"], &[]),
        // Declared ISO-8859-1 is converted to UTF-8.
        (b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r a=\"\xe9\">\xe9t\xe9</r>", true, &["\u{e9}t\u{e9}"], &["\u{e9}"]),
        // UTF-16 with a BOM.
        (b"\xff\xfe<\0r\0>\0x\0<\0/\0r\0>\0", true, &["x"], &[]),
        // Errors, with what libxml2's partial tree still yields.
        (b"", false, &[], &[]),
        (b"test", false, &[], &[]),
        (b"<a><b>x</b>", false, &["x"], &[]),
        (b"<root><a>hello & world</a></root>", false, &["hello "], &[]),
        (b"<a>x</b>", false, &["x"], &[]),
        (b"<a>x</a><b/>", false, &["x"], &[]),
        (b"<a>x</a>y", false, &["x"], &[]),
        (b"<a b=\"1\" b=\"2\"/>", false, &[], &[]),
        (b"<a b=\"1\"c=\"2\"/>", false, &[], &[]),
        (b"<a b=\"<\"/>", false, &[], &[]),
        (b"<a>&undefined;</a>", false, &[""], &[]),
        (b"<a>&#0;</a>", false, &[""], &[]),
        (b"<a>]]></a>", false, &[""], &[]),
        (b"<a><!-- a -- b --></a>", false, &[""], &[]),
        (b"<a><?xml version=\"1.0\"?></a>", false, &[""], &[]),
        (b"<a>\x01</a>", false, &[""], &[]),
        (b"<a>\xff</a>", false, &[""], &[]),
        (b"<a>te\xffst</a>", false, &["te"], &[]),
        (b"<?xml version=\"2.0\"?><a/>", false, &[], &[]),
        (b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>", false, &[], &[]),
        // The push parser at the end of input: a clean start tag still
        // makes an element, a single trailing byte of text is dropped.
        (b"<a b=\"1\" ", false, &[""], &["1"]),
        (b"<a b=\"1\"", false, &[], &[]),
        (b"<a>te", false, &["te"], &[]),
        (b"<a>t", false, &[""], &[]),
        // Undeclared entities are fine when the DTD is external.
        (b"<!DOCTYPE a SYSTEM \"a.dtd\"><a>&x;y</a>", true, &["y"], &[]),
        // Entity loops are errors.
        (b"<!DOCTYPE a [<!ENTITY x \"&x;\">]><a>&x;</a>", false, &[""], &[]),
    ];
    for (doc, ok, text, attrs) in cases {
        let (c, r) = run(doc);
        assert_eq!(r.is_ok(), *ok, "doc {:?}: {r:?}", show(doc));
        assert_eq!(c.xml_text, text.iter().map(|t| t.to_string()).collect::<Vec<_>>(), "doc {:?}", show(doc));
        let got: Vec<_> = c.xml_attrs.iter().map(|(_, v)| v.clone()).collect();
        assert_eq!(got, attrs.iter().map(|t| t.to_string()).collect::<Vec<_>>(), "doc {:?}", show(doc));
    }
}

/// `XML://text()`: each text node on its own, as XPath's `//text()` on
/// libxml2's tree gives them (a reference does not split a node, markup
/// and CDATA do), without the whitespace-only ones.
#[test]
fn text_nodes() {
    let cases: &[(&[u8], &[&str])] = &[
        (b"<a>x</a>", &["x"]),
        (b"<r>1<a>2<b>3</b></a>4</r>", &["1", "2", "3", "4"]),
        (b"<r>\n  <id>7</id>\n  <url>http://169.254.169.254/</url>\n</r>", &["7", "http://169.254.169.254/"]),
        (b"<r>x &amp; y<!--c-->z<?p?>w</r>", &["x & y", "z", "w"]),
        (b"<r>a<![CDATA[<b>]]>c</r>", &["a", "<b>", "c"]),
        (b"<r><a/><![CDATA[ ]]></r>", &[]),
        (b"<!DOCTYPE r [<!ENTITY e \"ent\">]><r>&e;x</r>", &["entx"]),
        // After an error, what was read (as for XML:/*).
        (b"<a><b>x</b>yz", &["x", "yz"]),
        (b"<root><a>hello & world</a></root>", &["hello "]),
    ];
    for (doc, want) in cases {
        let (c, _) = run(doc);
        assert_eq!(c.xml_nodes, want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{}", show(doc));
    }
}

#[test]
fn text_nodes_are_bounded_and_the_last_holds_the_rest() {
    let doc = format!("<r>{}</r>", "<a>x</a>\n".repeat(MAX_TEXT_NODES + 500));
    let (c, r) = run(doc.as_bytes());
    assert!(r.is_ok());
    assert_eq!(c.xml_nodes.len(), MAX_TEXT_NODES);
    assert!(c.xml_nodes[..MAX_TEXT_NODES - 1].iter().all(|n| n == "x"));
    let last = &c.xml_nodes[MAX_TEXT_NODES - 1];
    assert_eq!(last.matches('x').count(), 501, "the last value holds the rest");
}

#[test]
fn error_text_is_v3s() {
    let (_, r) = run(b"<a>");
    let e = r.unwrap_err();
    assert_eq!(BodyError::from(e.clone()).to_string(), "XML parsing error: XML: Failed parsing document.");
    assert_eq!(e.kind, XmlErrorKind::PrematureEnd);
}

#[test]
fn depth_limit_257() {
    let deep = |n: usize| [b"<a>".repeat(n), b"x".to_vec(), b"</a>".repeat(n)].concat();
    assert!(run(&deep(257)).1.is_ok());
    let (c, r) = run(&deep(258));
    assert_eq!(r.unwrap_err().kind, XmlErrorKind::TooDeep);
    assert_eq!(c.xml_text, vec![""]);
}

#[test]
fn billion_laughs_is_refused() {
    let mut doc = b"<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">".to_vec();
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        doc.extend(format!("<!ENTITY {i} \"{}\">", format!("&{prev};").repeat(10)).bytes());
    }
    doc.extend(b"]><l>&i;</l>");
    let (c, r) = run(&doc);
    assert_eq!(r.unwrap_err().kind, XmlErrorKind::EntityLoop);
    assert!(c.xml_text[0].len() < 10 * doc.len() + 200_000);
}

#[test]
fn crs_payloads() {
    // 921110-12 / 932300-11 shapes: references inside attribute values.
    let (c, r) = run(b"<?xml version=\"1.0\"?><root><a probe=\"&#10;POST / HTTP/1.1\"></a></root>");
    assert!(r.is_ok());
    assert_eq!(c.xml_attrs, pairs(&[("probe", "\nPOST / HTTP/1.1")]));
    // 944210-16: text of nested elements.
    let (c, _) = run(b"<?xml version=\"1.0\"?><xml><element attribute_name=\"attribute_value\">rO0ABQ</element></xml>");
    assert_eq!(c.xml_text, vec!["rO0ABQ"]);
    assert_eq!(c.xml_attrs, pairs(&[("attribute_name", "attribute_value")]));
}

// Regressions found by fuzzing (fuzz/, target body_processors): inputs
// whose cost grew with the square of their size (time bounds: see the
// multipart ones).

/// Each attribute was compared with all earlier ones of its element:
/// 40,000 attributes (430 KB) took 5.2 s; 40,000 namespace declarations 6.8 s.
#[test]
fn fuzz_xml_many_attributes_is_linear() {
    let attrs: Vec<String> = (0..40_000).map(|i| format!("x{i}=\"{i}\"")).collect();
    let doc = format!("<a {}/>", attrs.join(" "));
    let (c, r) = linear_time(|| run(doc.as_bytes()));
    assert_eq!(r, Ok(()));
    assert_eq!(c.xml_attrs.len(), 40_000);
    assert_eq!(c.xml_attrs[39_999], ("x39999".to_string(), "39999".to_string()));
    let decls: Vec<String> = (0..40_000).map(|i| format!("xmlns:p{i}=\"u\"")).collect();
    let doc = format!("<a {}/>", decls.join(" "));
    let (c, r) = linear_time(|| run(doc.as_bytes()));
    assert_eq!(r, Ok(()));
    assert!(c.xml_attrs.is_empty());
}

/// A repeated attribute is still refused, wherever it is.
#[test]
fn fuzz_xml_repeated_attribute_is_refused() {
    for doc in [&b"<a x='1' x='2'/>"[..], b"<a x='1' y='2' z='3' y='4'/>", b"<r><a p:b='1' q='2' p:b='3'></a></r>"] {
        let (_, r) = run(doc);
        assert_eq!(r.map_err(|e| e.kind), Err(XmlErrorKind::AttributeRedefined), "{}", show(doc));
    }
    // Attributes of different elements never clash.
    let (c, r) = run(b"<r x='1'><a x='2'/><a x='3' y='4'/></r>");
    assert_eq!(r, Ok(()));
    assert_eq!(c.xml_attrs.len(), 4);
}

/// Each entity declaration and reference scanned all declarations: 20,000
/// declarations with 3,000 references took 1.4 s.
#[test]
fn fuzz_xml_many_entities_is_linear() {
    let mut doc = String::from("<!DOCTYPE r [");
    for i in 0..20_000 {
        doc.push_str(&format!("<!ENTITY e{i} 'v{i}'>"));
    }
    doc.push_str("]><r>");
    for i in (0..20_000).step_by(7) {
        doc.push_str(&format!("&e{i};"));
    }
    doc.push_str("</r>");
    let (c, r) = linear_time(|| run(doc.as_bytes()));
    assert_eq!(r, Ok(()));
    assert!(c.xml_text[0].starts_with("v0v7v14"), "{}", &c.xml_text[0][..20]);
}

/// The first declaration of an entity wins; parameter entities are not
/// general ones.
#[test]
fn fuzz_xml_first_entity_declaration_wins() {
    let (c, r) = run(b"<!DOCTYPE r [<!ENTITY % e 'p'><!ENTITY e 'one'><!ENTITY e 'two'>]><r a='&e;'>&e;</r>");
    assert_eq!(r, Ok(()));
    assert_eq!(c.xml_text, ["one"]);
    assert_eq!(c.xml_attrs, pairs(&[("a", "one")]));
}

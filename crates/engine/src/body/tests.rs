//! Tests for the body processors: table tests per processor, CRS-derived
//! cases, one test per `MULTIPART_*` flag, and a no-panic loop over random
//! bytes for each parser.

use super::*;

mod json_tests;
mod multipart_tests;
mod random;
mod urlencoded_tests;
mod xml_tests;

/// Records every sink call as readable text.
#[derive(Default, Debug)]
pub(super) struct Collect {
    pub args: Vec<(String, String)>,
    pub files: Vec<(String, String, String)>,
    pub headers: Vec<(String, String)>,
    pub names: Vec<String>,
    pub filenames: Vec<String>,
    pub xml_text: Vec<String>,
    pub xml_attrs: Vec<(String, String)>,
    pub xml_nodes: Vec<String>,
}

/// Run `f`, failing when it takes 3 s or more: the fuzz regressions' guard
/// against cost growing with the square of the input (the quadratic
/// versions took 5 s and more; the linear ones take milliseconds).
pub(super) fn linear_time<T>(f: impl FnOnce() -> T) -> T {
    let t = std::time::Instant::now();
    let out = f();
    assert!(t.elapsed() < std::time::Duration::from_secs(3), "{:?}", t.elapsed());
    out
}

/// Bytes as text: UTF-8 as is, other bytes as `\xHH`.
pub(super) fn show(b: &[u8]) -> String {
    let mut s = String::new();
    for chunk in b.utf8_chunks() {
        s.push_str(chunk.valid());
        for x in chunk.invalid() {
            s.push_str(&format!("\\x{x:02x}"));
        }
    }
    s
}

impl BodySink for Collect {
    fn arg(&mut self, name: &[u8], value: &[u8]) {
        self.args.push((show(name), show(value)));
    }
    fn file(&mut self, field: &[u8], filename: &[u8], content: &[u8]) {
        self.files.push((show(field), show(filename), show(content)));
    }
    fn part_header(&mut self, field: &[u8], line: &[u8]) {
        self.headers.push((show(field), show(line)));
    }
    fn multipart_name(&mut self, name: &[u8]) {
        self.names.push(show(name));
    }
    fn multipart_filename(&mut self, filename: &[u8]) {
        self.filenames.push(show(filename));
    }
    fn xml_text(&mut self, text: &[u8]) {
        self.xml_text.push(show(text));
    }
    fn xml_attr(&mut self, name: &[u8], value: &[u8]) {
        self.xml_attrs.push((show(name), show(value)));
    }
    fn xml_text_node(&mut self, text: &[u8]) {
        self.xml_nodes.push(show(text));
    }
}

/// `[("a","1"), ...]` from `&[("a","1")]`.
pub(super) fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

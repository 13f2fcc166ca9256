//! Placeholder: replaced by the full body-processor module.
/// Receives decoded arguments.
pub trait ArgSink { /// One argument.
    fn arg(&mut self, name: &[u8], value: &[u8]); }
/// Parse urlencoded.
pub fn parse_urlencoded(input: &[u8], sink: &mut impl ArgSink) {
    for part in input.split(|&b| b == b'&') {
        if part.is_empty() { continue; }
        let (n, v) = match part.iter().position(|&b| b == b'=') { Some(i) => (&part[..i], &part[i + 1..]), None => (part, &b""[..]) };
        sink.arg(n, v);
    }
}

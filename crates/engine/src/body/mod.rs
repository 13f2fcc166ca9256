//! TEMPORARY body-processor stub (replaced by the body helper's module).
use crate::variable::Variable;

/// Receives what a body processor finds.
pub trait BodySink {
    /// One argument.
    fn arg(&mut self, name: &[u8], value: &[u8]);
    /// One file part.
    fn file(&mut self, _field: &[u8], _filename: &[u8], _content: &[u8]) {}
    /// One part header line.
    fn part_header(&mut self, _field: &[u8], _line: &[u8]) {}
    /// XML root text.
    fn xml_text(&mut self, _text: &[u8]) {}
    /// XML attribute.
    fn xml_attr(&mut self, _name: &[u8], _value: &[u8]) {}
}

/// Limits.
pub struct Limits {
    /// SecArgumentsLimit.
    pub max_args: usize,
    /// JSON depth.
    pub json_depth: usize,
    /// Files.
    pub max_files: usize,
}

/// A body error.
#[derive(Debug)]
pub struct BodyError(pub String);
impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(&self.0) }
}

/// Multipart outcome.
#[derive(Debug, Default)]
pub struct MultipartOutcome {
    /// Error.
    pub error: Option<BodyError>,
    /// Last file name.
    pub last_filename: Option<Vec<u8>>,
    /// Last field name.
    pub last_name: Option<Vec<u8>>,
}
impl MultipartOutcome {
    /// Flags as variables.
    pub fn flags(&self) -> Vec<(Variable, bool)> { Vec::new() }
}

/// JSON.
pub fn parse_json(_body: &[u8], _l: &Limits, _s: &mut impl BodySink) -> Result<(), BodyError> { Ok(()) }
/// XML.
pub fn parse_xml(_body: &[u8], _l: &Limits, _s: &mut impl BodySink) -> Result<(), BodyError> { Ok(()) }
/// Multipart.
pub fn parse_multipart(_ct: &[u8], _body: &[u8], _l: &Limits, _s: &mut impl BodySink) -> MultipartOutcome { MultipartOutcome::default() }

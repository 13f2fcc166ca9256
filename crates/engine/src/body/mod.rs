//! Request body processors: urlencoded, multipart, JSON and XML.
//!
//! Each processor reads a complete body (`&[u8]`, no I/O) and pushes what it
//! finds into a caller's [`BodySink`] as borrowed slices, so the engine can
//! copy them into its own arena without intermediate collections. The
//! processors reproduce ModSecurity v3 (libmodsecurity, the semantic
//! reference): the same variable names and values, the same error flags and
//! the same `REQBODY_ERROR_MSG` texts. Where v3 has a quirk that CRS or its
//! tests can observe, the quirk is reproduced and documented in place
//! (search for "v3 quirk").
//!
//! | processor | entry point | SecLang variables it feeds |
//! |---|---|---|
//! | urlencoded | [`parse_urlencoded`] | `ARGS_GET`/`ARGS_POST`, `URLENCODED_ERROR` |
//! | multipart | [`parse_multipart`] | `ARGS_POST`, `FILES*`, `MULTIPART_*`, `REQBODY_ERROR` |
//! | JSON | [`parse_json`] | `ARGS_POST`, `REQBODY_ERROR` |
//! | XML | [`parse_xml`] | `XML:/*`, `XML://@*`, `REQBODY_ERROR` |
//!
//! [`graphql`] is no processor: with `SecGraphQLArguments On` it reads the
//! GraphQL documents the others found (a `query` argument) for the string
//! values written inside them (a Portcullis extension).
//!
//! None of the parsers panics on any input, recurses on input nesting, or
//! allocates per input byte: each keeps a few scratch buffers that grow to
//! at most the body size.

pub mod graphql;
mod json;
mod multipart;
mod urlencoded;
mod xml;

use core::fmt;

pub use json::{parse_json, JsonError, JsonErrorKind};
pub use multipart::{parse_multipart, MultipartError, MultipartOutcome};
pub use urlencoded::{
    parse_urlencoded, parse_urlencoded_with_separator, url_decode_nonstrict, UrlencodedOutcome,
};
pub use xml::{parse_xml, XmlError, XmlErrorKind};

/// Receives what a body processor finds. Every method but [`BodySink::arg`]
/// has an empty default, so a sink implements only what it stores.
///
/// Slices are only valid during the call: a sink that keeps them must copy.
pub trait BodySink {
    /// One argument (`ARGS` and `ARGS_POST`, or `ARGS_GET` for a query
    /// string): decoded name and value, in body order. Names may repeat.
    fn arg(&mut self, name: &[u8], value: &[u8]);

    /// One multipart file part: field name (`FILES_NAMES`), file name as sent
    /// (`FILES`), and its content (`FILES_TMP_CONTENT`; its length is
    /// `FILES_SIZES`, their sum `FILES_COMBINED_SIZE`). Called in body order,
    /// after all arguments of earlier parts.
    fn file(&mut self, _field: &[u8], _filename: &[u8], _content: &[u8]) {}

    /// One header line of a multipart part (`MULTIPART_PART_HEADERS:<field>`),
    /// e.g. `b"Content-Type: text/plain"` without its line ending. `field` is
    /// the part's name and is empty for a part without one (v3 records those
    /// too).
    fn part_header(&mut self, _field: &[u8], _line: &[u8]) {}

    /// One `name=` value seen in a part's `Content-Disposition`
    /// (`MULTIPART_NAME`), recorded as soon as it is parsed, even when the
    /// part is later rejected.
    fn multipart_name(&mut self, _name: &[u8]) {}

    /// One `filename=` value seen in a part's `Content-Disposition`
    /// (`MULTIPART_FILENAME`), recorded like [`BodySink::multipart_name`].
    fn multipart_filename(&mut self, _filename: &[u8]) {}

    /// The single value of `XML:/*`: the text content of the root element
    /// (all descendant text and CDATA, entities replaced, comments and
    /// processing instructions left out). Called at most once, only when the
    /// document has a root element, also after a well-formedness error (v3
    /// keeps libxml2's partial tree).
    fn xml_text(&mut self, _text: &[u8]) {}

    /// One value of `XML://@*`: an attribute of some element, in document
    /// order. Namespace declarations (`xmlns`, `xmlns:p`) are not attributes
    /// in XPath and are not reported.
    fn xml_attr(&mut self, _name: &[u8], _value: &[u8]) {}

    /// One value of `XML://text()`: a text node of the root element, in
    /// document order: a run of character data (references replaced)
    /// between two pieces of markup, or a CDATA section. Nodes of only
    /// whitespace (indentation) are not reported.
    fn xml_text_node(&mut self, _text: &[u8]) {}
}

/// Limits a body processor enforces. The defaults are ModSecurity's when the
/// directive is not set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How many more arguments this call may add: `SecArgumentsLimit` minus
    /// the arguments the transaction already holds (v3 counts all of `ARGS`).
    /// `usize::MAX` when the directive is not set. Urlencoded skips arguments
    /// over the limit; JSON stops with an error, as v3 does. Multipart
    /// ignores it (v3 adds multipart arguments without the check).
    pub max_args: usize,
    /// `SecRequestBodyJsonDepthLimit`: maximum nesting of JSON objects and
    /// arrays (v3 default 10000).
    pub json_depth: usize,
    /// `SecUploadFileLimit`: maximum number of multipart file parts with
    /// content; 0 means no limit. v3 enforces it only while it writes files
    /// to disk (`SecUploadKeepFiles`/`SecTmpSaveUploadedFiles` on), so an
    /// engine that mimics a default v3 passes 0.
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_args: usize::MAX, json_depth: 10_000, max_files: 0 }
    }
}

/// Why a body processor failed: the engine sets `REQBODY_ERROR=1` and
/// `REQBODY_ERROR_MSG` (and the `REQBODY_PROCESSOR_ERROR*` twins) from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// The multipart processor failed.
    Multipart(MultipartError),
    /// The JSON processor failed.
    Json(JsonError),
    /// The XML processor failed.
    Xml(XmlError),
}

impl fmt::Display for BodyError {
    /// The text v3 stores in `REQBODY_ERROR_MSG`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Multipart(e) => write!(f, "Multipart parsing error: {e}"),
            BodyError::Json(e) => write!(f, "JSON parsing error: {e}"),
            BodyError::Xml(e) => write!(f, "XML parsing error: {e}"),
        }
    }
}

impl std::error::Error for BodyError {}

impl From<MultipartError> for BodyError {
    fn from(e: MultipartError) -> Self {
        BodyError::Multipart(e)
    }
}

impl From<JsonError> for BodyError {
    fn from(e: JsonError) -> Self {
        BodyError::Json(e)
    }
}

impl From<XmlError> for BodyError {
    fn from(e: XmlError) -> Self {
        BodyError::Xml(e)
    }
}

/// Writes bytes for an error message: printable ASCII as is, a backslash
/// doubled, anything else as `\xHH`, so messages stay one unambiguous line
/// whatever the input held.
fn write_escaped(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for &b in bytes {
        if b == b'\\' {
            f.write_str("\\\\")?;
        } else if (0x20..0x7f).contains(&b) {
            write!(f, "{}", b as char)?;
        } else {
            write!(f, "\\x{b:02x}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::type_complexity)]
mod tests;

//! Placeholder: replaced by the full transformation module.
use std::borrow::Cow;
/// One SecLang transformation (`t:name`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transform { Lowercase, UrlDecodeUni, RemoveNulls, CompressWhitespace, HtmlEntityDecode, CmdLine, NormalizePath }
impl Transform {
    /// Parse a SecLang name.
    pub fn from_name(name: &str) -> Option<Transform> {
        Some(match name.to_ascii_lowercase().as_str() {
            "lowercase" => Transform::Lowercase,
            "urldecodeuni" => Transform::UrlDecodeUni,
            "removenulls" => Transform::RemoveNulls,
            "compresswhitespace" => Transform::CompressWhitespace,
            "htmlentitydecode" => Transform::HtmlEntityDecode,
            "cmdline" => Transform::CmdLine,
            "normalizepath" => Transform::NormalizePath,
            _ => return None,
        })
    }
    /// SecLang name.
    pub fn name(self) -> &'static str { "stub" }
    /// Apply.
    pub fn apply(self, input: &[u8]) -> Cow<'_, [u8]> {
        match self {
            Transform::Lowercase => if input.iter().any(|b| b.is_ascii_uppercase()) { Cow::Owned(input.to_ascii_lowercase()) } else { Cow::Borrowed(input) },
            _ => Cow::Borrowed(input),
        }
    }
}

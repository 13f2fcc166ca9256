//! SecLang variables: a closed enum, one variant per name.
//!
//! The SecLang spelling lives only in [`Variable::name`] and
//! [`Variable::from_name`]; everything else works with the enum.

macro_rules! variables {
    ($($(#[$doc:meta])* $v:ident = $name:literal, $coll:literal;)*) => {
        /// A SecLang variable (`ARGS`, `REQUEST_HEADERS`, `TX`, ...).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Variable { $($(#[$doc])* $v,)* }

        impl Variable {
            /// Every variable, in declaration order.
            pub const ALL: &'static [Variable] = &[$(Variable::$v,)*];

            /// The SecLang name (`REQUEST_HEADERS`).
            pub fn name(self) -> &'static str {
                match self { $(Variable::$v => $name,)* }
            }

            /// Parse a SecLang name, case-insensitively.
            pub fn from_name(name: &str) -> Option<Variable> {
                $(if name.eq_ignore_ascii_case($name) { return Some(Variable::$v); })*
                None
            }

            /// Whether the variable is a collection (takes `:key` selectors and
            /// yields one value per entry) rather than a single value.
            pub fn is_collection(self) -> bool {
                match self { $(Variable::$v => $coll,)* }
            }
        }
    };
}

variables! {
    /// All arguments: query string, then body.
    Args = "ARGS", true;
    /// Names of all arguments.
    ArgsNames = "ARGS_NAMES", true;
    /// Query-string arguments.
    ArgsGet = "ARGS_GET", true;
    /// Names of query-string arguments.
    ArgsGetNames = "ARGS_GET_NAMES", true;
    /// Body arguments (urlencoded, multipart fields, JSON, ...).
    ArgsPost = "ARGS_POST", true;
    /// Names of body arguments.
    ArgsPostNames = "ARGS_POST_NAMES", true;
    /// Total length of all argument names and values.
    ArgsCombinedSize = "ARGS_COMBINED_SIZE", false;
    /// The whole request URI as received (path and query).
    RequestUri = "REQUEST_URI", false;
    /// The request URI as received, including an absolute-form scheme and host.
    RequestUriRaw = "REQUEST_URI_RAW", false;
    /// The path without the query string.
    RequestFilename = "REQUEST_FILENAME", false;
    /// The last path segment.
    RequestBasename = "REQUEST_BASENAME", false;
    /// The path's non-empty segments (Portcullis extension), keyed by
    /// position from `0`: cut at `/` before percent-decoding, then each
    /// decoded once; at most 64, the last holding the rest of the path.
    RequestPathSegments = "REQUEST_PATH_SEGMENTS", true;
    /// `METHOD URI PROTOCOL`.
    RequestLine = "REQUEST_LINE", false;
    /// The request method.
    RequestMethod = "REQUEST_METHOD", false;
    /// The request protocol (`HTTP/1.1`).
    RequestProtocol = "REQUEST_PROTOCOL", false;
    /// The query string without `?`.
    QueryString = "QUERY_STRING", false;
    /// Request headers (keys compared case-insensitively).
    RequestHeaders = "REQUEST_HEADERS", true;
    /// Request header names.
    RequestHeadersNames = "REQUEST_HEADERS_NAMES", true;
    /// Cookies from the `Cookie` headers.
    RequestCookies = "REQUEST_COOKIES", true;
    /// Cookie names.
    RequestCookiesNames = "REQUEST_COOKIES_NAMES", true;
    /// The raw request body (as far as it was buffered).
    RequestBody = "REQUEST_BODY", false;
    /// Length of the request body.
    RequestBodyLength = "REQUEST_BODY_LENGTH", false;
    /// The body processor in use (`URLENCODED`, `MULTIPART`, `JSON`, `XML`).
    ReqbodyProcessor = "REQBODY_PROCESSOR", false;
    /// `1` when the body processor failed, else `0`.
    ReqbodyError = "REQBODY_ERROR", false;
    /// The body processor's error message.
    ReqbodyErrorMsg = "REQBODY_ERROR_MSG", false;
    /// Alias of REQBODY_ERROR kept by ModSecurity.
    ReqbodyProcessorError = "REQBODY_PROCESSOR_ERROR", false;
    /// Alias of REQBODY_ERROR_MSG.
    ReqbodyProcessorErrorMsg = "REQBODY_PROCESSOR_ERROR_MSG", false;
    /// `1` when a urlencoded body had invalid escapes.
    UrlencodedError = "URLENCODED_ERROR", false;
    /// `1` when the request body exceeded the limit.
    InboundDataError = "INBOUND_DATA_ERROR", false;
    /// `1` when the response body exceeded the limit.
    OutboundDataError = "OUTBOUND_DATA_ERROR", false;
    /// Uploaded file names, keyed by field name.
    Files = "FILES", true;
    /// Field names of uploaded files.
    FilesNames = "FILES_NAMES", true;
    /// Sizes of uploaded files.
    FilesSizes = "FILES_SIZES", true;
    /// Sum of the uploaded files' sizes.
    FilesCombinedSize = "FILES_COMBINED_SIZE", false;
    /// Temporary file names (never set here: nothing is written to disk).
    FilesTmpnames = "FILES_TMPNAMES", true;
    /// Contents of uploaded files.
    FilesTmpContent = "FILES_TMP_CONTENT", true;
    /// Headers of every multipart part.
    MultipartPartHeaders = "MULTIPART_PART_HEADERS", true;
    /// File name of the last file part.
    MultipartFilename = "MULTIPART_FILENAME", false;
    /// Field name of the last file part.
    MultipartName = "MULTIPART_NAME", false;
    /// `1` when any strict multipart check failed.
    MultipartStrictError = "MULTIPART_STRICT_ERROR", false;
    /// `1` when the body had an unmatched boundary.
    MultipartUnmatchedBoundary = "MULTIPART_UNMATCHED_BOUNDARY", false;
    /// `1` when the boundary was quoted.
    MultipartBoundaryQuoted = "MULTIPART_BOUNDARY_QUOTED", false;
    /// `1` when the boundary had whitespace.
    MultipartBoundaryWhitespace = "MULTIPART_BOUNDARY_WHITESPACE", false;
    /// `1` when data preceded the first boundary.
    MultipartDataBefore = "MULTIPART_DATA_BEFORE", false;
    /// `1` when data followed the last boundary.
    MultipartDataAfter = "MULTIPART_DATA_AFTER", false;
    /// `1` when part headers were folded.
    MultipartHeaderFolding = "MULTIPART_HEADER_FOLDING", false;
    /// `1` when a line ended in LF only.
    MultipartLfLine = "MULTIPART_LF_LINE", false;
    /// `1` when CRLF and LF line endings were mixed.
    MultipartCrlfLfLines = "MULTIPART_CRLF_LF_LINES", false;
    /// `1` when a Content-Disposition lacked a semicolon.
    MultipartMissingSemicolon = "MULTIPART_MISSING_SEMICOLON", false;
    /// `1` when a part header had invalid quoting.
    MultipartInvalidQuoting = "MULTIPART_INVALID_QUOTING", false;
    /// `1` when a part was invalid.
    MultipartInvalidPart = "MULTIPART_INVALID_PART", false;
    /// `1` when header folding was invalid.
    MultipartInvalidHeaderFolding = "MULTIPART_INVALID_HEADER_FOLDING", false;
    /// `1` when too many files were uploaded.
    MultipartFileLimitExceeded = "MULTIPART_FILE_LIMIT_EXCEEDED", false;
    /// XML body nodes, addressed by XPath (`XML:/*`, `XML://@*`).
    Xml = "XML", true;
    /// The client address.
    RemoteAddr = "REMOTE_ADDR", false;
    /// The client port.
    RemotePort = "REMOTE_PORT", false;
    /// The client host name (the address: no DNS lookups).
    RemoteHost = "REMOTE_HOST", false;
    /// The server address.
    ServerAddr = "SERVER_ADDR", false;
    /// The server name (the Host header).
    ServerName = "SERVER_NAME", false;
    /// The server port.
    ServerPort = "SERVER_PORT", false;
    /// The response status code.
    ResponseStatus = "RESPONSE_STATUS", false;
    /// The response protocol.
    ResponseProtocol = "RESPONSE_PROTOCOL", false;
    /// Response headers.
    ResponseHeaders = "RESPONSE_HEADERS", true;
    /// Response header names.
    ResponseHeadersNames = "RESPONSE_HEADERS_NAMES", true;
    /// The response body (as far as it was buffered).
    ResponseBody = "RESPONSE_BODY", false;
    /// The response Content-Length.
    ResponseContentLength = "RESPONSE_CONTENT_LENGTH", false;
    /// The response Content-Type.
    ResponseContentType = "RESPONSE_CONTENT_TYPE", false;
    /// The response status line.
    StatusLine = "STATUS_LINE", false;
    /// Transaction variables set by `setvar`, and captures `TX:0`-`TX:9`.
    Tx = "TX", true;
    /// Environment variables set by `setenv`.
    Env = "ENV", true;
    /// The value of the last match.
    MatchedVar = "MATCHED_VAR", false;
    /// The full name of the last matched variable (`ARGS:id`).
    MatchedVarName = "MATCHED_VAR_NAME", false;
    /// All values matched by the current rule so far.
    MatchedVars = "MATCHED_VARS", true;
    /// Names of all values matched by the current rule so far.
    MatchedVarsNames = "MATCHED_VARS_NAMES", true;
    /// The transaction's unique id.
    UniqueId = "UNIQUE_ID", false;
    /// The raw request: request line, headers and body.
    FullRequest = "FULL_REQUEST", false;
    /// Length of FULL_REQUEST.
    FullRequestLength = "FULL_REQUEST_LENGTH", false;
    /// Microseconds since the transaction started (always 0: the engine has no clock).
    Duration = "DURATION", false;
    /// Highest severity of the rules that matched.
    HighestSeverity = "HIGHEST_SEVERITY", false;
    /// Metadata of the running rule (`RULE:id`, `%{rule.msg}`).
    Rule = "RULE", true;
    /// Persistent collections are not kept in Envoy; they read as empty.
    Ip = "IP", true;
    /// Persistent session collection (reads as empty).
    Session = "SESSION", true;
    /// Persistent global collection (reads as empty).
    Global = "GLOBAL", true;
    /// Persistent user collection (reads as empty).
    User = "USER", true;
    /// Persistent resource collection (reads as empty).
    Resource = "RESOURCE", true;
    /// Geo lookup results (reads as empty).
    Geo = "GEO", true;
    /// Authentication type (empty).
    AuthType = "AUTH_TYPE", false;
    /// Web server error log (empty).
    WebserverErrorLog = "WEBSERVER_ERROR_LOG", false;
    /// Seconds since the epoch (set by the host, else 0).
    TimeEpoch = "TIME_EPOCH", false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &v in Variable::ALL {
            assert_eq!(Variable::from_name(v.name()), Some(v));
            assert_eq!(Variable::from_name(&v.name().to_ascii_lowercase()), Some(v));
        }
        assert!(Variable::ALL.len() < 256);
    }
}

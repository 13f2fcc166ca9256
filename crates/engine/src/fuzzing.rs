//! Internals the fuzz targets (`fuzz/`) drive directly, below the
//! [`crate::RuleSet`]/[`crate::Transaction`] API: the request body processors
//! and the transformations. Compiled only with the `fuzzing` feature and
//! hidden from the docs: not part of the engine's API, no stability promise.

/// Request body processors (urlencoded, multipart, JSON, XML) and what they
/// report, and the GraphQL string reader; see the engine's `body` module.
pub mod body {
    pub use crate::body::graphql;
    pub use crate::body::{
        parse_json, parse_multipart, parse_urlencoded, parse_urlencoded_with_separator, parse_xml, url_decode_nonstrict, BodyError,
        BodySink, JsonError, JsonErrorKind, Limits, MultipartError, MultipartOutcome, UrlencodedOutcome, XmlError, XmlErrorKind,
    };
}

/// Transformations (`t:` actions) and the `%u` unicode map; see the engine's
/// `transform` module.
pub mod transform {
    pub use crate::transform::{Applied, Transform, UnicodeMap};
}

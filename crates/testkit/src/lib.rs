//! Test models shared by the engine tests, the CLI and the benchmarks.
//!
//! No engine dependency: everything here is plain data and pure functions,
//! so the native runner (`portcullis ftw`), engine tests and a future
//! over-HTTP runner share one reading of the test inputs.
//!
//! - [`corpus`]: the request corpus (`tests/corpus/*.json`).
//! - [`ftw`]: go-ftw YAML tests: model, loader, go-ftw's request building,
//!   stage checks.
//! - [`http`]: [`HttpRequest`], the bytes of one request, a tolerant raw
//!   request parser, and response heads and message framing for the
//!   over-HTTP runner.
//! - [`backend`]: the simulated CRS test backend (albedo).
//! - [`baseline`]: the known-failures file.
//! - [`filter`]: test selection by name (`942100,-920`).
//! - [`crs`]: locating and reading a CRS directory into memory.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![deny(missing_docs)]

pub mod backend;
pub mod baseline;
pub mod corpus;
pub mod crs;
pub mod filter;
pub mod ftw;
pub mod http;

pub use baseline::Baseline;
pub use corpus::CorpusRequest;
pub use filter::TestFilter;
pub use http::{parse_raw_request, HttpRequest};

//! Fuzz harnesses for the Portcullis engine.
//!
//! Every harness is a plain `fn(&[u8])` in [`targets`] (and [`filter`]) that must never
//! panic on any input; a panic (or an `assert!` of a documented invariant
//! failing) is a bug. The same functions run under libFuzzer
//! (`fuzz_targets/`, `cargo +nightly fuzz run <name>`) and under the stable
//! mutation loop of [`driver`] (`src/bin/fuzz-<name>.rs`).
//!
//! - [`request`]: the text format the `crs_request` harness reads a request
//!   and its response from (raw HTTP with a response marker).
//! - [`seeds`]: seed corpora from the CRS regression tests and the shared
//!   request corpus (`src/bin/fuzz-seeds.rs` writes them).
//! - [`dict`]: libFuzzer dictionary files, also used by the driver.
//! - [`filter`]: the fifth harness, `filter_driver` (the proxy-wasm
//!   filter's `Driver` over a fake host).

pub mod dict;
pub mod driver;
pub mod filter;
pub mod request;
pub mod seeds;
pub mod targets;

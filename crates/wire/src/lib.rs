//! The formats that cross the wire between the filter (in Envoy) and the collector: one
//! definition, compiled into both, so a field cannot be spelled one way by the sender and
//! another by the receiver.
//!
//! Everything here is plain data with serde: no I/O, no proxy-wasm, no storage. It builds for
//! `wasm32-wasip1` (the filter) and natively (the collector).

#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod counters;
pub mod verdict;
pub mod ip_list;
pub mod time;

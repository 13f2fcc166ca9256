//! Per-request policy building blocks (docs/policies.md), host-neutral and
//! tested natively; the plugin and the Driver wire them to the configuration
//! and to Envoy.
//!
//! - [`client_ip`]: which address a request comes from (`client_ip`).
//! - [`ip`]: IP lists (`ip_allow`, `ip_deny`, `ip_graylist`) as merged ranges.
//! - [`ratelimit`]: rate-limit rules and token buckets in proxy-wasm shared data.
//! - `fake` (tests, feature `fake-host`): an in-memory shared-data store.

pub mod client_ip;
pub mod ip;
pub mod ratelimit;

#[cfg(any(test, feature = "fake-host"))]
pub mod fake;

//! Portcullis proxy-wasm filter: thin glue between Envoy and the engine.
//!
//! - [`config`]: the JSON plugin configuration (serde, errors by JSON path).
//! - [`plugin`]: configuration + rule set compiled once per VM, transaction pool.
//! - [`driver`]: every decision (callback → phase, pausing, body limits,
//!   replying once, verdicts) over a small [`driver::Host`] trait, tested natively.
//! - [`console`]: the console's IP lists as a worker fetches and enforces them (`ip_lists`).
//! - [`verdict`], [`queue`], [`metrics`]: verdict records, their bounded queue, counters;
//!   [`counters`]: traffic counts per policy, reported each flush interval (exactly once);
//!   [`otlp`]: a batch as OpenTelemetry logs (`verdict_log.format: otlp`).
//! - `host`, `root`, `stream` (wasm32 only): the only code that makes hostcalls.

pub mod config;
pub mod counters;
pub mod console;
pub mod driver;
pub mod metrics;
pub mod otlp;
pub mod plugin;
pub mod policy;
pub mod queue;
pub mod verdict;

#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod root;
#[cfg(target_arch = "wasm32")]
mod stream;

#[cfg(target_arch = "wasm32")]
proxy_wasm::main! {{
    proxy_wasm::set_log_level(proxy_wasm::types::LogLevel::Info);
    // After set_log_level, which installs the SDK's own hook: a panic aborts
    // the VM (panic = "abort"), so say loudly where it happened first.
    std::panic::set_hook(Box::new(|info| {
        let _ = proxy_wasm::hostcalls::log(proxy_wasm::types::LogLevel::Critical, &format!("portcullis: panic: {info}"));
    }));
    proxy_wasm::set_root_context(|context_id| Box::new(root::Root::new(context_id)));
}}

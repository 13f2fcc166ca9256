//! The `crs_request` harness under the stable mutation driver (no nightly, no libFuzzer):
//! `cargo run --release --no-default-features --features driver --bin fuzz-crs_request -- --help`.

fn main() -> std::process::ExitCode {
    portcullis_fuzz::driver::main("crs_request", portcullis_fuzz::targets::crs_request)
}

//! The `filter_driver` harness under the stable mutation driver (no nightly, no libFuzzer):
//! `cargo run --release --no-default-features --features driver --bin fuzz-filter_driver -- --help`.

fn main() -> std::process::ExitCode {
    portcullis_fuzz::driver::main("filter_driver", portcullis_fuzz::filter::filter_driver)
}

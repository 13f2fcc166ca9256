//! The `transforms` harness under the stable mutation driver (no nightly, no libFuzzer):
//! `cargo run --release --no-default-features --features driver --bin fuzz-transforms -- --help`.

fn main() -> std::process::ExitCode {
    portcullis_fuzz::driver::main("transforms", portcullis_fuzz::targets::transforms)
}

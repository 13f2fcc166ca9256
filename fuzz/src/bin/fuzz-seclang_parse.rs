//! The `seclang_parse` harness under the stable mutation driver (no nightly, no libFuzzer):
//! `cargo run --release --no-default-features --features driver --bin fuzz-seclang_parse -- --help`.

fn main() -> std::process::ExitCode {
    portcullis_fuzz::driver::main("seclang_parse", portcullis_fuzz::targets::seclang_parse)
}

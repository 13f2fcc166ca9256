//! The `body_processors` harness under the stable mutation driver (no nightly, no libFuzzer):
//! `cargo run --release --no-default-features --features driver --bin fuzz-body_processors -- --help`.

fn main() -> std::process::ExitCode {
    portcullis_fuzz::driver::main("body_processors", portcullis_fuzz::targets::body_processors)
}

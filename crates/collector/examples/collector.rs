//! Runs the collector as `portcullis collector` would, before the CLI wires it in:
//! `cargo run -p portcullis-collector --example collector -- --listen 127.0.0.1:8686 --db /tmp/v.db`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(portcullis_collector::run_cli(&args));
}

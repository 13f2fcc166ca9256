//! libFuzzer entry point of the `body_processors` harness ([`portcullis_fuzz::targets::body_processors`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis_fuzz::targets::body_processors(data));

//! libFuzzer entry point of the `transforms` harness ([`portcullis_fuzz::targets::transforms`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis_fuzz::targets::transforms(data));

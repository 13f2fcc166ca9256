//! libFuzzer entry point of the `crs_request` harness ([`portcullis_fuzz::targets::crs_request`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis_fuzz::targets::crs_request(data));

//! libFuzzer entry point of the `filter_driver` harness ([`portcullis_fuzz::filter::filter_driver`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis_fuzz::filter::filter_driver(data));

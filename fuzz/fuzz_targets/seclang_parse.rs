//! libFuzzer entry point of the `seclang_parse` harness ([`portcullis_fuzz::targets::seclang_parse`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis_fuzz::targets::seclang_parse(data));

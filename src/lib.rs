//! Portcullis proxy-wasm filter (stub).

//! Portcullis collector (stub).

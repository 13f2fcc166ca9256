//! Test models (stub).

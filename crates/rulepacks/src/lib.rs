//! Embedded rule packs (stub).

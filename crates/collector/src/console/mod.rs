//! The operator console: its read API (`/api/summary`, `/api/timeline`, `/api/nodes`, the
//! extended `/api/verdicts`), its sign-in (`/api/session`) and its page (`/`, assets embedded).
//!
//! - `params`: the query parameters every read shares (window and filters), validated into
//!   the `stats` module's `Filters` and `Window`, with 400s that say what is wrong.
//! - `handlers`: the route handlers, plain async functions over typed extractors; the routes are
//!   declared in the router (`http.rs`) (the reads behind the admin check of `fn api`).
//! - what the reads answer, their windows and the rollups' facets are in `stats`, below the
//!   store that computes them;
//! - `page`: the HTML, CSS and JavaScript of the page, compiled into the binary.

pub(crate) mod handlers;
pub(crate) mod page;
pub(crate) mod params;

//! The operator console: its read API (`/api/summary`, `/api/timeline`, `/api/nodes`, the
//! extended `/api/verdicts`), its sign-in (`/api/session`) and its page (`/`, assets embedded).
//!
//! - `params`: the query parameters every read shares (window and filters), validated into
//!   [`model::Filters`] and a [`window::Window`], with 400s that say what is wrong.
//! - `handlers`: the route handlers, plain async functions over typed extractors; the routes are
//!   declared in the router (`http.rs`) (the reads behind the admin check of `fn api`).
//! - `model`: what the reads answer; `window`: time windows, rollup spans, timeline steps;
//! - `facets`: what each verdict adds to the rollups (`store::rollup`);
//! - `page`: the HTML, CSS and JavaScript of the page, compiled into the binary.

pub(crate) mod facets;
pub(crate) mod handlers;
pub(crate) mod model;
pub(crate) mod page;
pub(crate) mod params;
pub(crate) mod window;

pub(crate) use facets::{name as facet, Facets};

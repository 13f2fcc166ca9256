//! What the console counts, independent of HTTP and storage: the facets each verdict adds to the
//! rollups (`facets`), time windows, rollup spans and timeline steps (`window`), and the shapes
//! of the console's answers (`model`). Record validation, the store and the console's handlers
//! all build on it; it builds on nothing above the record format.

pub(crate) mod facets;
pub(crate) mod model;
pub(crate) mod window;

pub(crate) use facets::{name as facet, Facets};

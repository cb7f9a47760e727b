//! The document contract's vocabulary: the JSON Schemas, the spelling of ids, slugs and
//! 发文字号, dates, and the placeholder `gazette new` writes.
//!
//! This is the leaf every stage shares (`config`, `validate`, `proofread`, `import`, the CLI's
//! `new` and `import` commands). It imports nothing from the pipeline but the diagnostic type
//! and the positioned YAML tree its schema check reports on, so no stage has to reach into
//! another to learn what a valid value looks like.

pub mod attachments;
pub mod dates;
pub mod doc_number;
pub mod ids;
pub mod schema;

pub use dates::{chinese_date, parse_chinese_date, parse_date};
pub use ids::{PLACEHOLDER, is_id, is_slug};
pub use schema::Schemas;

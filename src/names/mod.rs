//! Name algorithms on plain text: romanization and collation in each
//! language's alphabet. (A person's name forms are in [`crate::model::names`].)

pub mod collate;
pub mod romanize;

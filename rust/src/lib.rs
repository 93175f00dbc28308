//! untangle's compiled core.
//!
//! The stages, each its own module: `trigram` reads pocketsphinx's English trigram model in
//! place; `tokenize` and `segment` read a text as untangle.tokenizer and untangle.segment do;
//! `lexicon` keeps what a family's dictionary says of each word type; `prepare` makes a text
//! into the fit's `document`, a text as the fit sees it; `spinner` the model of the spinner (levels,
//! substitution table); `decode` candidates, lattices and their posteriors (`lattice` runs the
//! forward-backward); `kinds` which paragraphs are spun; `first_look` a cheap first reading that
//! leaves clearly clean text unfitted; `fit` the per-document EM; `decision` which readings
//! become changes; `word_types` numbers a text's distinct words. The Python
//! bindings (feature `python`, which maturin turns on) expose them as `untangle._core`; without
//! them `cargo test` needs no Python.

pub mod decision;
pub mod decode;
pub mod document;
pub mod first_look;
pub mod fit;
pub mod kinds;
pub mod lattice;
pub mod lexicon;
pub mod params;
pub mod prepare;
pub mod rows;
pub mod screen;
pub mod segment;
pub mod sorted_lines;
pub mod spinner;
pub mod tokenize;
pub mod trigram;
pub mod vocabulary;
pub mod word_types;

#[cfg(feature = "python")]
mod python;

/// The core's allocations (many small, short-lived strings and vectors per word) go to mimalloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

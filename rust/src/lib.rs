//! untangle's compiled core.
//!
//! `trigram` reads pocketsphinx's English trigram model in place; `lattice` runs forward-backward
//! over a sentence's readings with it. The Python bindings (feature `python`, which maturin turns
//! on) expose both as `untangle._core`; without them `cargo test` needs no Python.

pub mod lattice;
pub mod trigram;

#[cfg(feature = "python")]
mod python;

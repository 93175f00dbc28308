//! A document as the fit sees it: sentences of words, each with its candidate originals.
//!
//! Python builds it (tokenizing, the dictionary's look-ups and the level keys stay there) and
//! interns every string the model compares: a word's lower-case form, an entry's original and
//! spun form share one id space; words go to the language model as `Token`s.

use crate::lattice::Token;

/// The level a word shares: (class, frequency band) as one small number, class * BANDS + band.
pub type Key = usize;

pub const BANDS: usize = 5;
/// Classes of a level key: bare headwords, inflected forms, capitalised, punctuation attached.
pub const KEY_BARE: usize = 0;
pub const KEY_CLASSES: usize = 4;
pub const KEYS: usize = KEY_CLASSES * BANDS;

pub fn key_class(key: Key) -> usize {
    key / BANDS
}

pub fn key_band(key: Key) -> usize {
    key % BANDS
}

/// One way a spinner may have produced a spun form from an original.
#[derive(Clone, Debug)]
pub struct Entry {
    pub original: u32,
    pub spun: u32,
    pub words: Vec<Token>,
    pub prior: f64,
    pub picks: u32,
    pub original_zipf: f64,
}

/// A dictionary entry whose spun form starts at a position, spanning `length` words; `key` is
/// the level of its original written there.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    pub length: usize,
    pub entry: usize,
    pub key: Key,
}

/// Word classes of the segmenter (untangle.segment): only "bare" matters to the fit itself.
pub const BARE: u8 = 0;

#[derive(Clone, Debug)]
pub struct Word {
    /// The lower-case form as the language model reads it.
    pub token: Token,
    /// The lower-case form's interned id.
    pub lower: u32,
    /// The segmenter's class (BARE, capitalised, attached).
    pub class: u8,
    /// The level of the word left as written; None if no entry restores to it, or an earlier
    /// family settled it.
    pub written_key: Option<Key>,
    /// The level of "spun from an unlisted original" here.
    pub unknown_key: Key,
    /// The dictionary's candidates, likeliest first (only the first few are ever scored).
    pub candidates: Vec<Candidate>,
}

#[derive(Clone, Debug)]
pub struct Sentence {
    pub paragraph: i64,
    pub words: Vec<Word>,
}

/// Everything the fit reads.
pub struct Document {
    pub sentences: Vec<Sentence>,
    pub entries: Vec<Entry>,
}

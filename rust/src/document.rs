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
pub const KEY_INFLECTED: usize = 1;
pub const KEY_CAPITALISED: usize = 2;
pub const KEY_ATTACHED: usize = 3;
pub const KEY_CLASSES: usize = 4;
pub const KEYS: usize = KEY_CLASSES * BANDS;

/// The level key of an original `zipf` frequent, written where a word of segmenter class
/// `class` stands: bare headwords by frequency band, inflected forms (not headwords) pooled, the
/// capitalised and punctuation-attached classes pooled (untangle.engine.level_key).
pub fn level_key(class: u8, zipf: f64, headword: bool) -> Key {
    match class {
        BARE if !headword => KEY_INFLECTED * BANDS,
        BARE => KEY_BARE * BANDS + zipf_band(zipf),
        CAPITALISED => KEY_CAPITALISED * BANDS,
        _ => KEY_ATTACHED * BANDS,
    }
}

/// Frequency band of a Zipf value: <3, 3-4, 4-5, 5-6, >=6.
pub fn zipf_band(zipf: f64) -> usize {
    (zipf.trunc() as i64 - 2).clamp(0, 4) as usize
}

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
    /// Whether the original is a headword of the spinner's thesaurus (not an inflected form).
    pub headword: bool,
}

/// A dictionary entry whose spun form starts at a position, spanning `length` words; `key` is
/// the level of its original written there.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    pub length: usize,
    pub entry: usize,
    pub key: Key,
}

/// Word classes of the segmenter (untangle.segment): bare, capitalised, punctuation attached.
pub const BARE: u8 = 0;
pub const CAPITALISED: u8 = 1;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_keys_follow_the_engine() {
        assert_eq!(level_key(BARE, 6.7, true), KEY_BARE * BANDS + 4);
        assert_eq!(level_key(BARE, 3.2, true), KEY_BARE * BANDS + 1);
        assert_eq!(level_key(BARE, 1.0, true), KEY_BARE * BANDS);
        assert_eq!(level_key(BARE, 5.0, false), KEY_INFLECTED * BANDS);
        assert_eq!(level_key(CAPITALISED, 6.0, false), KEY_CAPITALISED * BANDS);
        assert_eq!(level_key(2, 6.0, true), KEY_ATTACHED * BANDS);
    }
}

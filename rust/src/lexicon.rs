//! What one family's dictionary says of each word type the core has met: its frequency,
//! whether a spinner could have replaced it, and the entries whose spun form starts with it.
//!
//! The dictionary stays in Python (untangle.dictionary reads its sorted file in place); the
//! core asks for a type the first time a text has it and keeps the answer, bounded, as
//! untangle.candidates keeps its own caches. `P` is what the caller keeps beside an entry (the
//! Python `Entry` object a change is made from).

use rustc_hash::FxHashMap as HashMap;

/// An entry of the dictionary: one way a spinner may have produced a spun form from an original.
#[derive(Clone, Debug)]
pub struct LexEntry<P> {
    pub original: String,
    /// The original's words as the language model's vocabulary ids (None: a word it does not know).
    pub original_ids: Vec<Option<u32>>,
    pub spun: String,
    /// The spun form's words when it is a phrase ("quality league"); None for one word.
    pub phrase: Option<Vec<String>>,
    pub prior: f64,
    pub picks: u32,
    pub original_zipf: f64,
    /// Whether the original is a headword of the spinner's thesaurus.
    pub headword: bool,
    pub payload: P,
}

/// A word type as the dictionary knows it.
#[derive(Clone, Debug)]
pub struct TypeInfo<P> {
    /// Its vocabulary id in the language model (None if the model does not know it).
    pub id: Option<u32>,
    /// Its Zipf frequency (0.0 if the dictionary records none).
    pub zipf: f64,
    /// Some entry restores to it: a spinner could have replaced it.
    pub original: bool,
    pub headword: bool,
    /// The entries whose spun form starts with it, in the dictionary's order (likeliest first).
    pub entries: Vec<LexEntry<P>>,
}

impl<P> LexEntry<P> {
    /// How many words it spans where it matches at `position` of `lowers`: one-word entries
    /// always match, a phrase where the next words are its words, joined by single spaces.
    pub fn length_at(&self, lowers: &[&str], joined: &[bool], position: usize) -> Option<usize> {
        let Some(words) = &self.phrase else {
            return Some(1);
        };
        let fits = position + words.len() <= lowers.len()
            && words.iter().enumerate().all(|(offset, part)| {
                lowers[position + offset] == part && (offset + 1 == words.len() || joined[position + offset])
            });
        fits.then_some(words.len())
    }
}

/// The types met so far, at most `limit` of them (emptied when full: memory stays flat over a
/// long stream of documents).
#[derive(Debug)]
pub struct Lexicon<P> {
    types: HashMap<String, TypeInfo<P>>,
    limit: usize,
    /// What its types were read for (numbers the caller gives it): the model whose vocabulary
    /// ids they hold, and how many one-word entries a type keeps.
    reading: (usize, usize),
}

impl<P> Lexicon<P> {
    pub fn new(limit: usize) -> Self {
        Lexicon {
            types: HashMap::default(),
            limit,
            reading: (0, 0),
        }
    }

    /// The types of `words` not yet known, each once, in order of first appearance.
    pub fn missing<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut seen = rustc_hash::FxHashSet::default();
        words
            .into_iter()
            .filter(|w| !self.types.contains_key(*w) && seen.insert(*w))
            .map(str::to_owned)
            .collect()
    }

    /// Make room for a document's types read for `reading` (a model, a number of entries kept):
    /// empty the table once it holds `limit` of them, or when they were read for another.
    pub fn make_room(&mut self, reading: (usize, usize)) {
        if self.types.len() >= self.limit || self.reading != reading {
            self.types.clear();
            self.reading = reading;
        }
    }

    pub fn insert(&mut self, word: String, info: TypeInfo<P>) {
        self.types.insert(word, info);
    }

    pub fn get(&self, word: &str) -> Option<&TypeInfo<P>> {
        self.types.get(word)
    }

    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(spun: &str) -> LexEntry<()> {
        LexEntry {
            original: "x".into(),
            original_ids: vec![None],
            spun: spun.into(),
            phrase: spun.contains(' ').then(|| spun.split(' ').map(str::to_owned).collect()),
            prior: 0.5,
            picks: 0,
            original_zipf: 5.0,
            headword: true,
            payload: (),
        }
    }

    #[test]
    fn a_phrase_matches_only_its_words_joined_by_single_spaces() {
        let phrase = entry("quality league");
        let lowers = ["a", "quality", "league", "quality"];
        assert_eq!(phrase.length_at(&lowers, &[true, true, false, false], 1), Some(2));
        assert_eq!(
            phrase.length_at(&lowers, &[true, false, false, false], 1),
            None,
            "not joined"
        );
        assert_eq!(
            phrase.length_at(&lowers, &[true, true, true, true], 3),
            None,
            "past the end"
        );
        assert_eq!(entry("helium").length_at(&lowers, &[false; 4], 0), Some(1));
    }

    #[test]
    fn the_lexicon_stays_bounded_and_belongs_to_one_reading() {
        let info = || TypeInfo::<()> {
            id: None,
            zipf: 0.0,
            original: false,
            headword: true,
            entries: Vec::new(),
        };
        let mut lexicon = Lexicon::new(2);
        lexicon.make_room((1, 8));
        lexicon.insert("a".into(), info());
        lexicon.insert("b".into(), info());
        assert_eq!(lexicon.missing(["a", "c", "c", "b", "d"]), vec!["c", "d"]);
        lexicon.make_room((1, 8));
        assert!(lexicon.is_empty(), "full: emptied before the next document");
        lexicon.insert("a".into(), info());
        lexicon.make_room((2, 8));
        assert!(lexicon.get("a").is_none(), "another model's ids are not kept");
        lexicon.insert("a".into(), info());
        lexicon.make_room((2, 12));
        assert!(lexicon.get("a").is_none(), "types that kept fewer entries are not kept");
    }
}

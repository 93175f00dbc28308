//! The model's vocabulary, indexed in place: an open-addressing table of word ids over the words
//! as they lie in the mapped file. Building a map of owned strings cost more than everything
//! else a one-line input needs (72,500 allocations at every start); this is two flat arrays.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

/// Word ids by their text: `starts[id]..ends[id]` is the word's place in the words section.
#[derive(Debug)]
pub struct Vocabulary {
    starts: Vec<u32>,
    ends: Vec<u32>,
    slots: Vec<u32>, // id + 1 per slot, 0 for an empty slot; a power of two long
    aliases: HashMap<String, u32>,
}

fn hash(word: &[u8]) -> u64 {
    FxBuildHasher.hash_one(word)
}

impl Vocabulary {
    /// Index the NUL-separated `words` (the first `count` of them; id = position). A word that
    /// occurs twice keeps its first id. Returns None if a word is not UTF-8.
    pub fn index(words: &[u8], count: usize) -> Option<Self> {
        // One check of the whole section: a NUL byte never sits inside a UTF-8 sequence, so
        // every word between NULs is UTF-8 too (checking word by word took a fifth of opening the model).
        std::str::from_utf8(words).ok()?;
        let mut starts = Vec::with_capacity(count);
        let mut ends = Vec::with_capacity(count);
        let mut start = 0usize;
        for at in memchr::memchr_iter(0, words) {
            if starts.len() == count {
                break;
            }
            starts.push(start as u32);
            ends.push(at as u32);
            start = at + 1;
        }
        if starts.len() < count && start < words.len() {
            starts.push(start as u32); // a last word with no NUL after it
            ends.push(words.len() as u32);
        }
        // Load at most two thirds: the table of a 72,500-word model stays 512 KB, in cache.
        let size = (starts.len() * 3 / 2 + 1).next_power_of_two().max(2);
        let mut vocabulary = Vocabulary {
            starts,
            ends,
            slots: vec![0; size],
            aliases: HashMap::default(),
        };
        for id in 0..vocabulary.starts.len() {
            let word = vocabulary.word(words, id as u32);
            let mut slot = hash(word) as usize & (size - 1);
            loop {
                match vocabulary.slots[slot] {
                    0 => {
                        vocabulary.slots[slot] = id as u32 + 1;
                        break;
                    }
                    taken if vocabulary.word(words, taken - 1) == word => break, // a repeat: the first id stays
                    _ => slot = (slot + 1) & (size - 1),
                }
            }
        }
        Some(vocabulary)
    }

    fn word<'a>(&self, words: &'a [u8], id: u32) -> &'a [u8] {
        &words[self.starts[id as usize] as usize..self.ends[id as usize] as usize]
    }

    /// How many distinct words the table holds.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|&&slot| slot != 0).count()
    }

    /// Whether the table holds no word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of `word` in `words` (the section the table was built over), or of the word it
    /// is an alias of.
    pub fn id(&self, words: &[u8], word: &str) -> Option<u32> {
        let bytes = word.as_bytes();
        let mask = self.slots.len() - 1;
        let mut slot = hash(bytes) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => return self.aliases.get(word).copied(),
                taken if self.word(words, taken - 1) == bytes => return Some(taken - 1),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Read `alias` as the word with this id, unless the vocabulary holds `alias` itself.
    pub fn alias(&mut self, words: &[u8], alias: &str, id: u32) {
        if self.id(words, alias).is_none() {
            self.aliases.insert(alias.to_owned(), id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_found_at_its_first_position_and_strangers_are_not() {
        let words = b"<s>\0the\0of\0the\0caf\xc3\xa9\0";
        let vocabulary = Vocabulary::index(words, 5).unwrap();
        assert_eq!(vocabulary.id(words, "<s>"), Some(0));
        assert_eq!(vocabulary.id(words, "the"), Some(1));
        assert_eq!(vocabulary.id(words, "of"), Some(2));
        assert_eq!(vocabulary.id(words, "café"), Some(4));
        assert_eq!(vocabulary.id(words, "th"), None);
        assert_eq!(vocabulary.id(words, ""), None);
        assert_eq!(vocabulary.len(), 4);
    }

    #[test]
    fn an_alias_reads_as_its_word_but_never_shadows_a_known_one() {
        let words = b"one\0two\0";
        let mut vocabulary = Vocabulary::index(words, 2).unwrap();
        vocabulary.alias(words, "1", 0);
        vocabulary.alias(words, "two", 0);
        assert_eq!(vocabulary.id(words, "1"), Some(0));
        assert_eq!(vocabulary.id(words, "two"), Some(1));
    }

    #[test]
    fn a_last_word_without_its_nul_is_indexed_and_words_past_the_count_are_not() {
        let words = b"one\0two\0three";
        let vocabulary = Vocabulary::index(words, 3).unwrap();
        assert_eq!(vocabulary.id(words, "three"), Some(2));
        let shorter = Vocabulary::index(words, 2).unwrap();
        assert_eq!(shorter.id(words, "two"), Some(1));
        assert_eq!(shorter.id(words, "three"), None);
    }

    #[test]
    fn a_word_that_is_not_utf8_is_refused() {
        assert!(Vocabulary::index(b"ok\0\xff\xfe\0", 2).is_none());
    }
}

//! A text made into the document the fit reads, all in the core: tokens, sentences, each
//! position's candidates from the family's lexicon and the level keys (what untangle.segment,
//! untangle.candidates and untangle.compiled do in Python for a text the core declines).

use rustc_hash::FxHashMap as HashMap;

use crate::document::{level_key, Candidate, Document, Entry, Sentence, Word};
use crate::lattice::Token as ModelToken;
use crate::lexicon::{LexEntry, Lexicon};
use crate::segment::{sentences, SegmentedWord};
use crate::tokenize::{is_alpha, tokenize, CharTable, Token};
use crate::trigram::TrigramModel;
use crate::word_types::word_types;

/// Strings as small numbers (a word's lower-case form, an original, a spun form share one id
/// space) and words as the model's tokens; unknown words collected for their unigram scores.
pub struct Strings<'m> {
    model: &'m TrigramModel,
    ids: HashMap<String, u32>,
    pub names: Vec<String>,
    unknown: HashMap<String, u32>,
    pub unknown_words: Vec<String>,
}

impl<'m> Strings<'m> {
    pub fn new(model: &'m TrigramModel) -> Self {
        Strings {
            model,
            ids: HashMap::default(),
            names: Vec::new(),
            unknown: HashMap::default(),
            unknown_words: Vec::new(),
        }
    }

    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(text.to_owned(), id);
        self.names.push(text.to_owned());
        id
    }

    pub fn token(&mut self, word: &str) -> ModelToken {
        let id = self.model.id(word);
        self.token_of(word, id)
    }

    /// `token`, with the word's vocabulary id (or None) already looked up.
    pub fn token_of(&mut self, word: &str, id: Option<u32>) -> ModelToken {
        if let Some(id) = id {
            return ModelToken::Known(id);
        }
        if let Some(&k) = self.unknown.get(word) {
            return ModelToken::Unknown(k);
        }
        let k = self.unknown_words.len() as u32;
        self.unknown.insert(word.to_owned(), k);
        self.unknown_words.push(word.to_owned());
        ModelToken::Unknown(k)
    }
}

/// A text's tokens and sentences, and its word types; None if it has a character the table
/// does not cover.
pub struct Segmented {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Vec<SegmentedWord>>,
    /// Each distinct lower-case form, in the order first met, and each word's place among them
    /// (by sentence): a family asks its lexicon about a type once, not at every occurrence.
    pub types: Vec<String>,
    pub type_of: Vec<Vec<u32>>,
}

pub fn segmented(text: &str, table: &CharTable) -> Option<Segmented> {
    let tokens = tokenize(text, table)?;
    let sentences = sentences(text, &tokens, table);
    let (types, at) = word_types(sentences.iter().flatten().map(|word| word.lower.as_str()));
    let types = types.into_iter().map(str::to_owned).collect();
    let mut at = at.into_iter();
    let type_of = sentences
        .iter()
        .map(|words| at.by_ref().take(words.len()).collect())
        .collect();
    Some(Segmented {
        tokens,
        sentences,
        types,
        type_of,
    })
}

impl Segmented {
    /// Every word type (distinct lower-case form), in the order first met.
    pub fn distinct_lowers(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(String::as_str)
    }

    /// Offsets in characters of the words `start..end` of sentence `sentence`.
    pub fn span(&self, sentence: usize, start: usize, end: usize) -> (usize, usize) {
        let words = &self.sentences[sentence];
        (
            self.tokens[words[start].token].char_start,
            self.tokens[words[end - 1].token].char_end,
        )
    }

    /// Each paragraph's number and span in characters, from its first word to its last.
    pub fn paragraphs(&self) -> Vec<(i64, usize, usize)> {
        let mut spans: Vec<(i64, usize, usize)> = Vec::new();
        for (number, words) in self.sentences.iter().enumerate() {
            let paragraph = words[0].paragraph;
            let (start, end) = self.span(number, 0, words.len());
            // Sentences come in order and a paragraph's sentences together: only the last
            // span can be this sentence's (a search of them all was quadratic in paragraphs).
            match spans.last_mut() {
                Some(span) if span.0 == paragraph => span.2 = end,
                _ => spans.push((paragraph, start, end)),
            }
        }
        spans
    }
}

/// The fit's document for `text`, the lexicon entries its local entry numbers stand for, and
/// how many positions have candidates; Err(word) if the lexicon does not know a word yet.
/// `settled` are character spans an earlier family restored: no evidence of this family's level.
pub fn document<'l, P>(
    text: &str,
    segmented: &Segmented,
    lexicon: &'l Lexicon<P>,
    settled: &[(usize, usize)],
    reverse_preselect: usize,
    table: &CharTable,
    strings: &mut Strings,
) -> Result<(Document, Vec<&'l LexEntry<P>>, usize), String> {
    let mut local: HashMap<*const LexEntry<P>, usize> = HashMap::default();
    let mut used: Vec<&'l LexEntry<P>> = Vec::new();
    let mut eligible = 0;
    let mut settled: Vec<(usize, usize)> = settled.to_vec();
    settled.sort_unstable();
    let is_settled = |at: usize| {
        let index = settled.partition_point(|s| s.0 <= at);
        index > 0 && at < settled[index - 1].1
    };
    // Each word type's lexicon entry, looked up once.
    let infos = segmented
        .types
        .iter()
        .map(|lower| lexicon.get(lower).ok_or_else(|| lower.clone()))
        .collect::<Result<Vec<_>, String>>()?;
    let mut scratch: Vec<Candidate> = Vec::with_capacity(reverse_preselect);
    let mut found_words = Vec::with_capacity(segmented.sentences.len());
    for (words, types) in segmented.sentences.iter().zip(&segmented.type_of) {
        let lowers: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
        let joined: Vec<bool> = words.iter().map(|w| w.joined_to_next).collect();
        let mut here = Vec::with_capacity(words.len());
        for ((position, word), &kind) in words.iter().enumerate().zip(types) {
            let token = &segmented.tokens[word.token];
            let info = infos[kind as usize];
            let written = &text[token.start..token.end];
            scratch.clear(); // the position's candidates, copied out once at their final length
            if is_alpha(written, table) || written.contains('-') || written.bytes().all(|b| b.is_ascii_digit()) {
                let matching = info.entries.iter().filter_map(|entry| {
                    entry
                        .length_at(&lowers, &joined, position)
                        .map(|length| (length, entry))
                });
                for (rank, (length, entry)) in matching.enumerate() {
                    if rank == 0 {
                        eligible += 1;
                    }
                    if rank >= reverse_preselect {
                        break;
                    }
                    let next = used.len();
                    let index = *local.entry(entry as *const _).or_insert(next);
                    if index == next {
                        used.push(entry);
                    }
                    let key = level_key(word.class, entry.original_zipf, entry.headword);
                    scratch.push(Candidate {
                        length,
                        entry: index,
                        key,
                    });
                }
            }
            let candidates = scratch.to_vec();
            let written_key = (info.original && !is_settled(token.char_start))
                .then(|| level_key(word.class, info.zipf, info.headword));
            let unknown_key = if candidates.is_empty() {
                0
            } else {
                level_key(word.class, info.zipf, true)
            };
            here.push((written_key, unknown_key, candidates));
        }
        found_words.push(here);
    }
    let entries = used
        .iter()
        .map(|entry| {
            let words = entry
                .original
                .split(' ')
                .zip(&entry.original_ids)
                .map(|(word, &id)| strings.token_of(word, id))
                .collect();
            Entry {
                original: strings.id(&entry.original),
                spun: strings.id(&entry.spun),
                words,
                prior: entry.prior,
                picks: entry.picks,
                original_zipf: entry.original_zipf,
                headword: entry.headword,
            }
        })
        .collect();
    // Each word type's token and string id, made once.
    let type_ids: Vec<(ModelToken, u32)> = segmented
        .types
        .iter()
        .zip(&infos)
        .map(|(lower, info)| (strings.token_of(lower, info.id), strings.id(lower)))
        .collect();
    let mut built = Vec::with_capacity(found_words.len());
    for ((words, types), found) in segmented.sentences.iter().zip(&segmented.type_of).zip(found_words) {
        let mut sentence = Sentence {
            paragraph: words[0].paragraph,
            words: Vec::with_capacity(words.len()),
        };
        for ((word, &kind), (written_key, unknown_key, candidates)) in words.iter().zip(types).zip(found) {
            let (token, lower) = type_ids[kind as usize];
            sentence.words.push(Word {
                token,
                lower,
                class: word.class,
                written_key,
                unknown_key,
                candidates,
            });
        }
        built.push(sentence);
    }
    Ok((
        Document {
            sentences: built,
            entries,
        },
        used,
        eligible,
    ))
}

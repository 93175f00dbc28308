//! A first look at a document before its fit, for a text the screen found little evidence in:
//! the fit's first reading, made cheaply. Each word's evidence at the prior spin levels, as the
//! fit's first pass reads it (the word as written against its candidates, each weighed by its
//! emission and its context gain), with no lattice; then the paragraphs' verdict (`kinds`) at the
//! usual levels and at the low rate. Where both find every paragraph clean, the fit would change
//! nothing, and the text is left as written without one: a change needs P(paragraph spun) times
//! P(swap | spun) of at least `Params::hold_back_floor` (0.2), and every spun document of ours
//! that the fit changes reads far above the bounds below at one level or the other.
//!
//! The gains are read cheaply: where the words' own frequencies make the candidates together
//! less likely than the word as written (STRENGTH), by those frequencies alone; elsewhere between
//! the written neighbours (the fit also tries restored right neighbours). Every candidate counts
//! (the fit keeps the few best). bench/screen.py prints how far apart clean and spun documents
//! read; rust's tests, that the look clears a clean text and not its spun copy.

use crate::decode::best_window;
use crate::document::{Document, KEYS};
use crate::kinds::{spun_paragraphs, Verdict};
use crate::lattice::{Scoring, Token};
use crate::params::Params;
use crate::spinner::{replacement, Levels, Table};
use rustc_hash::FxHashMap as HashMap;

/// At the usual levels, a paragraph the look reads as spun with at most this probability is
/// clean. Measured by bench/screen.py over the 266 spun documents of ours that the built-in
/// family's fit changes: those reading below it read at least 0.24 at the low rate (above
/// LOW_RATE_CLEAN), so none is left unfitted. The bound was the fit's own `Params::negligible`
/// (1e-3, a paragraph not fitted after its first pass), which left formal prose to the fit: legal
/// English reads 2e-3 to 3e-2 here, and its fit (9 ms a 7 KB piece) changed nothing.
pub const USUAL_CLEAN: f64 = 1e-2;
/// At the low rate, a paragraph the look reads as spun with at most this probability is clean:
/// no spun document of ours that the fit changes and that the usual levels read as clean reads
/// below 0.24 here, and no clean text of ours above 0.05.
pub const LOW_RATE_CLEAN: f64 = 0.1;
/// A position whose candidates' frequencies (weighted ln of the sum of P(spun | original)
/// P(original) over P(written)) reach this is read in context; below, by frequency alone.
pub const STRENGTH: f64 = 0.0;

/// What the look found: the verdict at the usual levels and, where enough word types read as
/// spun for a low-rate spinner to be a reading, at the low rate.
#[derive(Clone, Debug)]
pub struct Look {
    pub usual: Verdict,
    pub low_rate: Option<Verdict>,
}

impl Look {
    /// The largest P(paragraph spun) of the usual reading and of the low-rate one (0 without it).
    pub fn most_spun(&self) -> (f64, f64) {
        let most = |verdict: &Verdict| verdict.paragraphs.items.iter().map(|(_, p)| *p).fold(0.0, f64::max);
        (most(&self.usual), self.low_rate.as_ref().map_or(0.0, most))
    }

    /// Whether every paragraph reads clean at the usual levels (USUAL_CLEAN) and at the low
    /// rate (LOW_RATE_CLEAN).
    pub fn clean(&self) -> bool {
        let (usual, low_rate) = self.most_spun();
        usual < USUAL_CLEAN && low_rate < LOW_RATE_CLEAN
    }
}

/// Weighted ln P of `tokens` by their unigram scores.
fn unigrams(scoring: &Scoring, tokens: &[Token]) -> f64 {
    tokens.iter().map(|&token| scoring.unigram(token)).sum()
}

/// Every candidate's gain at every position: by the words' frequencies where the candidates are
/// weak (STRENGTH), else the candidate's words against the written ones between the written
/// neighbours (two left, two right).
fn gains(document: &Document, scoring: &Scoring, p: &Params) -> Vec<Vec<Vec<f64>>> {
    let entries = &document.entries;
    // Each entry's words' unigram scores and ln prior, worked out once (not once per position).
    let entry_unigrams: Vec<f64> = entries.iter().map(|entry| unigrams(scoring, &entry.words)).collect();
    let entry_log_priors: Vec<f64> = entries.iter().map(|entry| entry.prior.ln()).collect();
    let start = scoring.start_token();
    let mut written: HashMap<usize, f64> = HashMap::default();
    let mut priors: Vec<f64> = Vec::new();
    let mut found = Vec::with_capacity(document.sentences.len());
    for sentence in &document.sentences {
        let tokens: Vec<Token> = sentence.words.iter().map(|w| w.token).collect();
        let mut sentence_gains = Vec::with_capacity(tokens.len());
        for position in 0..tokens.len() {
            written.clear();
            let mut left_words = [start; 2];
            let reach = position.min(2);
            for (slot, &token) in left_words.iter_mut().zip(tokens[..position].iter().rev()) {
                *slot = token;
            }
            let left = &left_words[..reach];
            let candidates = &sentence.words[position].candidates[..];
            let candidates = &candidates[..candidates.len().min(p.reverse_preselect)];
            let by_frequency: Vec<f64> = candidates
                .iter()
                .map(|candidate| {
                    let end = (position + candidate.length).min(tokens.len());
                    entry_unigrams[candidate.entry] - unigrams(scoring, &tokens[position..end])
                })
                .collect();
            priors.clear();
            priors.extend(
                candidates
                    .iter()
                    .zip(&by_frequency)
                    .map(|(candidate, gain)| entry_log_priors[candidate.entry] + gain),
            );
            if candidates.is_empty() || log_sum(&priors) < STRENGTH {
                sentence_gains.push(by_frequency);
                continue;
            }
            let in_context = candidates
                .iter()
                .map(|candidate| {
                    let end = (position + candidate.length).min(tokens.len());
                    let right = [&tokens[end..(end + 2).min(tokens.len())]];
                    let as_written = *written
                        .entry(candidate.length)
                        .or_insert_with(|| best_window(scoring, start, left, &tokens[position..end], &right));
                    best_window(scoring, start, left, &entries[candidate.entry].words, &right) - as_written
                })
                .collect();
            sentence_gains.push(in_context);
        }
        found.push(sentence_gains);
    }
    found
}

/// ln of the sum of e^value over `logs` (not empty).
fn log_sum(logs: &[f64]) -> f64 {
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    top + logs.iter().map(|value| (value - top).exp()).sum::<f64>().ln()
}

/// Each word's evidence at `levels`: ln of P(written | spun paragraph) over P(written | clean),
/// the fit's first pass position by position. That pass reads an empty substitution table: a
/// word stays as written with 1 - its level, and a swap is emitted with P(replaced), its level,
/// times the entry's prior (`log_priors`, ln of `Table::prior` for each entry).
fn evidence(
    document: &Document,
    gains: &[Vec<Vec<f64>>],
    levels: &Levels,
    log_priors: &[f64],
    p: &Params,
) -> Vec<(i64, u32, f64)> {
    let stays: Vec<f64> = (0..KEYS).map(|key| (1.0 - levels.at(key)).max(1e-9).ln()).collect();
    let replaced: Vec<f64> = (0..KEYS)
        .map(|key| replacement(levels.at(key), 0.0, p.max_spin).ln())
        .collect();
    let mut found = Vec::with_capacity(document.sentences.iter().map(|s| s.words.len()).sum());
    let mut logs = Vec::new();
    for (sentence, sentence_gains) in document.sentences.iter().zip(gains) {
        for (word, word_gains) in sentence.words.iter().zip(sentence_gains) {
            let stay = word.written_key.map_or(0.0, |key| stays[key]);
            if word_gains.is_empty() {
                found.push((sentence.paragraph, word.lower, stay));
                continue;
            }
            logs.clear();
            logs.push(stay);
            for (candidate, gain) in word.candidates.iter().zip(word_gains) {
                logs.push(gain + replaced[candidate.key] + log_priors[candidate.entry]);
            }
            found.push((sentence.paragraph, word.lower, log_sum(&logs)));
        }
    }
    found
}

/// Look at `document`: the fit's first reading, cheaply (the module's docstring).
pub fn look(document: &Document, scoring: &Scoring, p: &Params) -> Look {
    let gains = gains(document, scoring, p);
    let table = Table::new(*p);
    let log_priors: Vec<f64> = document.entries.iter().map(|entry| table.prior(entry).ln()).collect();
    let words = evidence(document, &gains, &Levels::prior(1.0, p), &log_priors, p);
    let usual = spun_paragraphs(words.iter().copied(), 0.0, p);
    let mut by_type: HashMap<u32, (f64, usize)> = HashMap::default();
    for &(_, word, value) in &words {
        let tally = by_type.entry(word).or_insert((0.0, 0));
        tally.0 += value;
        tally.1 += 1;
    }
    let odd = by_type
        .values()
        .filter(|(sum, count)| sum / *count as f64 >= 1.0)
        .count();
    let low_rate = (odd >= p.low_rate_min_odd_types).then(|| {
        let words = evidence(document, &gains, &Levels::prior(p.low_rate_scale, p), &log_priors, p);
        spun_paragraphs(words.into_iter(), p.low_rate_penalty, p)
    });
    Look { usual, low_rate }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Candidate, Entry, Sentence, Word, BANDS, KEY_BARE};
    use crate::trigram::TrigramModel;

    /// Paragraphs of sentences as the fit's document, with a table of two swaps ("helium" <- "he",
    /// "successful" <- "in"); every other word is an original (a spinner could have replaced it),
    /// as most common words are in the built-in table.
    fn document_of(model: &TrigramModel, paragraphs: &[&str]) -> Document {
        let id = |w: &str| model.id(w).unwrap();
        let key = KEY_BARE * BANDS + 4;
        let entry = |original: &str, spun: &str| Entry {
            original: id(original),
            spun: id(spun),
            words: vec![Token::Known(id(original))],
            prior: 0.5,
            picks: 1,
            original_zipf: 6.5,
            headword: true,
        };
        let entries = vec![entry("he", "helium"), entry("in", "successful")];
        let mut sentences = Vec::new();
        for (paragraph, text) in paragraphs.iter().enumerate() {
            for sentence in text.split(". ") {
                let words = sentence
                    .split(' ')
                    .map(|w| Word {
                        token: Token::Known(id(w)),
                        lower: id(w),
                        class: crate::document::BARE,
                        written_key: (!matches!(w, "helium" | "successful")).then_some(key),
                        unknown_key: key,
                        candidates: match w {
                            "helium" => vec![Candidate {
                                length: 1,
                                entry: 0,
                                key,
                            }],
                            "successful" => vec![Candidate {
                                length: 1,
                                entry: 1,
                                key,
                            }],
                            _ => vec![],
                        },
                    })
                    .collect();
                sentences.push(Sentence {
                    paragraph: paragraph as i64,
                    words,
                });
            }
        }
        Document { sentences, entries }
    }

    /// The look at `paragraphs`, read by the shipped model (None where UNTANGLE_LM_PATH does not
    /// name it).
    fn looked(paragraphs: &[&str]) -> Option<Look> {
        let path = std::env::var_os("UNTANGLE_LM_PATH")?;
        let model = TrigramModel::open(std::path::Path::new(&path)).unwrap();
        let document = document_of(&model, paragraphs);
        let p = Params::default();
        let (start, end) = (model.id("<s>").unwrap(), model.id("</s>").unwrap());
        let scoring = Scoring::new(&model, p.context_weight, &[], start, end);
        Some(look(&document, &scoring, &p))
    }

    #[test]
    fn the_first_pass_emissions_are_the_empty_table_s() {
        let p = Params::default();
        let mut table = Table::new(p);
        let entry = |prior: f64, picks: u32| Entry {
            original: 1,
            spun: 2,
            words: vec![Token::Known(1)],
            prior,
            picks,
            original_zipf: 6.5,
            headword: true,
        };
        for (index, entry) in [entry(0.5, 1), entry(0.01, 4), entry(1.0, 0)].iter().enumerate() {
            for level in [0.3, 0.06, 0.02, 0.95, 0.99] {
                let shortcut = replacement(level, 0.0, p.max_spin).ln() + table.prior(entry).ln();
                let full = table.log_emission(index, entry, level, 0.0);
                assert!((shortcut - full).abs() < 1e-12, "{level}: {shortcut} vs {full}");
            }
            assert!((table.stays(9, 0.3) - 0.7).abs() < 1e-12);
        }
    }

    #[test]
    fn a_spun_text_is_not_clean_to_the_look() {
        let spun = "helium said successful the morning that helium would go. helium was successful the town all day";
        let Some(seen) = looked(&[spun, spun, "the meeting was short"]) else {
            return;
        };
        assert!(!seen.clean(), "{:?}", seen.most_spun());
    }

    #[test]
    fn helium_among_originals_left_as_written_reads_clean() {
        let clean = "he said in the morning that the liquid helium in the tank would last. he was in the town \
                     all day and he said the gas in the pipes was cold";
        let Some(seen) = looked(&[clean, clean, clean, clean]) else {
            return;
        };
        assert!(seen.clean(), "{:?}", seen.most_spun());
    }
}

//! The decision: which readings become changes (sure ones, and best guesses where the word as
//! written is itself unlikely) and which are held back. The Python module untangle.decision's
//! `decide`, up to building the changes: Python words them and drops guesses that overlap.

use rustc_hash::FxHashMap as HashMap;

use crate::decode::{Arc, Reading};
use crate::document::Document;
use crate::fit::Fit;
use crate::kinds::Ordered;
use crate::params::Params;

/// How sure a suggestion is: applied, applied as a marked best guess, or only reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Sure,
    Guess,
    HeldBack,
}

/// One suggestion: the sentence, the arc read there and P(it is right).
#[derive(Clone, Copy, Debug)]
pub struct Suggestion {
    pub sentence: usize,
    pub arc: Arc,
    pub probability: f64,
    pub tier: Tier,
}

/// A position with readings: (sentence, start, readings likeliest first, P(as written)).
type Position = (usize, usize, Vec<(f64, Arc)>, f64);

fn is_guess(readings: &[(f64, Arc)], as_written: f64, p: &Params) -> bool {
    if as_written > p.guess_max_as_written || readings.is_empty() {
        return false;
    }
    let best = readings[0].0;
    best >= p.hold_back_floor && best >= p.guess_share * (1.0 - as_written)
}

/// Every suggestion of a fitted document at `threshold`, in the order Python's decide makes them.
pub fn decide(document: &Document, fit: &Fit, threshold: f64, guesses: bool, p: &Params) -> Vec<Suggestion> {
    let mut type_written: HashMap<u32, f64> = HashMap::default();
    let mut positions: Vec<Position> = Vec::new();
    for (index, (sentence, state)) in document.sentences.iter().zip(&fit.sentences).enumerate() {
        let spun = fit.paragraphs.get(&sentence.paragraph).unwrap_or(0.0);
        let mut by_start: Ordered<usize, usize> = Ordered::new();
        let mut readings: Vec<Vec<(f64, Arc)>> = Vec::new();
        let mut kept: Ordered<usize, f64> = Ordered::new();
        for &(arc, given_spun) in &state.posteriors {
            match arc.reading {
                Reading::Written => *kept.slot(arc.start, 0.0) = given_spun,
                Reading::Swap(_) => {
                    let slot = *by_start.slot(arc.start, readings.len());
                    if slot == readings.len() {
                        readings.push(Vec::new());
                    }
                    readings[slot].push((spun * given_spun, arc));
                }
                Reading::Unlisted(_) => {}
            }
        }
        for &(start, given_kept) in &kept.items {
            let lower = sentence.words[start].lower;
            let written = 1.0 - spun * (1.0 - given_kept);
            let slot = type_written.entry(lower).or_insert(0.0);
            *slot = slot.max(written);
        }
        for &(start, slot) in &by_start.items {
            let as_written = 1.0 - spun * (1.0 - kept.get(&start).unwrap_or(0.0));
            let mut here = std::mem::take(&mut readings[slot]);
            here.sort_by(|a, b| b.0.total_cmp(&a.0)); // stable: ties keep their order
            positions.push((index, start, here, as_written));
        }
    }
    let mut suggestions = Vec::new();
    for (index, start, readings, as_written) in positions {
        let lower = document.sentences[index].words[start].lower;
        let guess = guesses
            && type_written.get(&lower).copied().unwrap_or(0.0) <= p.guess_max_type_as_written
            && is_guess(&readings, as_written, p);
        for (rank, &(probability, arc)) in readings.iter().enumerate() {
            let first_guess = guess && rank == 0;
            if probability < p.hold_back_floor && !first_guess {
                continue;
            }
            let tier = if probability >= threshold {
                Tier::Sure
            } else if first_guess {
                Tier::Guess
            } else {
                Tier::HeldBack
            };
            suggestions.push(Suggestion {
                sentence: index,
                arc,
                probability,
                tier,
            });
        }
    }
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Decoded;
    use crate::document::{Sentence, Word, BARE};
    use crate::lattice::Token;
    use crate::spinner::{Levels, Table};

    /// "they took the territory back": "territory" read as written at `keep`, the rest of the
    /// mass on "jurisdiction" (0.6 of it) and "district".
    fn decided(keep: f64, threshold: f64, guesses: bool) -> Vec<(usize, Tier)> {
        let word = |lower: u32| Word {
            token: Token::Known(lower),
            lower,
            class: BARE,
            written_key: None,
            unknown_key: 0,
            candidates: vec![],
        };
        let document = Document {
            sentences: vec![Sentence {
                paragraph: 0,
                words: (0..5).map(word).collect(),
            }],
            entries: vec![],
        };
        let arc = |reading| Arc {
            start: 3,
            end: 4,
            reading,
            emission: 0.0,
            key: 0,
        };
        let posteriors = vec![
            (arc(Reading::Written), keep),
            (arc(Reading::Swap(0)), (1.0 - keep) * 0.6),
            (arc(Reading::Swap(1)), (1.0 - keep) * 0.4),
        ];
        let mut paragraphs = Ordered::new();
        *paragraphs.slot(0, 0.0) = 1.0;
        let p = Params::default();
        let fit = Fit {
            sentences: vec![Decoded {
                posteriors,
                ..Decoded::default()
            }],
            paragraphs,
            document_spun: 1.0,
            levels: Levels::prior(1.0, &p),
            table: Table::new(p),
        };
        decide(&document, &fit, threshold, guesses, &p)
            .into_iter()
            .map(|s| match s.arc.reading {
                Reading::Swap(entry) => (entry, s.tier),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn a_word_unlikely_as_written_gets_its_likeliest_original_as_a_guess() {
        assert_eq!(decided(0.05, 0.7, true), vec![(0, Tier::Guess), (1, Tier::HeldBack)]);
        assert_eq!(
            decided(0.05, 0.7, false),
            vec![(0, Tier::HeldBack), (1, Tier::HeldBack)]
        );
        assert_eq!(decided(0.05, 0.5, true), vec![(0, Tier::Sure), (1, Tier::HeldBack)]);
    }

    #[test]
    fn a_word_likely_as_written_gets_no_guess() {
        assert_eq!(decided(0.6, 0.7, true), vec![(0, Tier::HeldBack)]); // 0.24 held back, 0.16 below the floor
        assert_eq!(decided(0.9, 0.7, true), vec![]);
    }
}

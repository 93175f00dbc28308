//! The Python module `untangle._core`: the trigram model and the lattice decoder.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::decode::Reading;
use crate::document::{Candidate, Document, Entry, Sentence, Word, KEYS};
use crate::fit;
use crate::lattice::{self, Arc, Scoring, Token};
use crate::params::Params;
use crate::trigram;

/// A word as Python passes it: (token, lower-case id, segmenter class, written level key or -1,
/// unlisted-original level key, candidates as (length, entry index, level key)).
type PyWord = (i64, u32, u8, i64, usize, Vec<(usize, usize, usize)>);
/// An entry: (original id, spun id, original's tokens, prior, pick rules, original's Zipf).
type PyEntry = (u32, u32, Vec<i64>, f64, u32, f64);
/// A decoded sentence: choices per position as (gain, length, entry, key), its arcs as (start,
/// end, reading 0 written / 1 swap / 2 unlisted, entry or -1, emission, posterior), evidence,
/// spun shares and weight.
type PySentence = (
    Option<Vec<Vec<(f64, usize, usize, usize)>>>,
    Vec<(usize, usize, u8, i64, f64, f64)>,
    Vec<f64>,
    Vec<f64>,
    f64,
);
/// The fitted table: rules, pair counts, original counts, kept as written, spun words, support,
/// written spun (word, class, spun, seen).
type PyTable = (
    Vec<f64>,
    Vec<(u32, u32, f64)>,
    Vec<(u32, f64)>,
    Vec<(u32, f64)>,
    f64,
    Vec<(u32, Vec<(u32, f64)>)>,
    Vec<(u32, u8, f64, f64)>,
);
type PyFit = (Vec<PySentence>, Vec<(i64, f64)>, f64, (Vec<f64>, f64), Option<PyTable>);

/// The model's settings from untangle.engine's constants, by their Python names; every one must
/// be given (a missing name is an error, not a silent default).
fn parameters(given: &Bound<'_, PyDict>) -> PyResult<Params> {
    fn get<'py, T: FromPyObject<'py>>(given: &Bound<'py, PyDict>, name: &str) -> PyResult<T> {
        given
            .get_item(name)?
            .ok_or_else(|| PyValueError::new_err(format!("model setting {name} missing")))?
            .extract()
    }
    let kinds: Vec<(f64, f64)> = get(given, "DOCUMENT_KINDS")?;
    let by_class: Vec<f64> = get(given, "PRIOR_SPIN_BY_CLASS")?;
    Ok(Params {
        context_weight: get(given, "CONTEXT_WEIGHT")?,
        prior_spin_by_class: by_class
            .try_into()
            .map_err(|_| PyValueError::new_err("PRIOR_SPIN_BY_CLASS needs four levels"))?,
        prior_spin_weight: get(given, "PRIOR_SPIN_WEIGHT")?,
        min_spun_level: get(given, "MIN_SPUN_LEVEL")?,
        min_spun_band: get(given, "MIN_SPUN_BAND")?,
        max_spin: get(given, "MAX_SPIN")?,
        max_word_evidence: get(given, "MAX_WORD_EVIDENCE")?,
        leak: get(given, "LEAK")?,
        burstiness: get(given, "BURSTINESS")?,
        pi_pseudo_count: get(given, "PI_PSEUDO_COUNT")?,
        written_pseudo_count: get(given, "WRITTEN_PSEUDO_COUNT")?,
        pick_start: get(given, "PICK_START")?,
        pick_pseudo_count: get(given, "PICK_PSEUDO_COUNT")?,
        reverse_preselect: get(given, "REVERSE_PRESELECT")?,
        right_alternatives: get(given, "RIGHT_ALTERNATIVES")?,
        preselect: get(given, "PRESELECT")?,
        max_candidates: get(given, "MAX_CANDIDATES")?,
        hopeless: get(given, "HOPELESS")?,
        joint_floor: get(given, "JOINT_FLOOR")?,
        unknown_origin_share: get(given, "UNKNOWN_ORIGIN_SHARE")?,
        prior_document_spun: get(given, "PRIOR_DOCUMENT_SPUN")?,
        document_kinds: kinds
            .try_into()
            .map_err(|_| PyValueError::new_err("DOCUMENT_KINDS needs three kinds"))?,
        em_iterations: get(given, "EM_ITERATIONS")?,
        negligible: get(given, "NEGLIGIBLE")?,
        low_rate_scale: get(given, "LOW_RATE_SCALE")?,
        low_rate_min_odd_types: get(given, "LOW_RATE_MIN_ODD_TYPES")?,
        low_rate_penalty: get(given, "LOW_RATE_PENALTY")?,
    })
}

fn key(value: usize) -> PyResult<usize> {
    if value < KEYS {
        Ok(value)
    } else {
        Err(PyValueError::new_err(format!("level key {value} out of range")))
    }
}

fn document(sentences: Vec<(i64, Vec<PyWord>)>, entries: Vec<PyEntry>, unknown: usize) -> PyResult<Document> {
    let checked = |value: i64| -> PyResult<Token> {
        let found = token(value)?;
        match found {
            Token::Unknown(k) if k as usize >= unknown => {
                Err(PyValueError::new_err(format!("unknown word {k} has no score")))
            }
            _ => Ok(found),
        }
    };
    let entries = entries
        .into_iter()
        .map(|(original, spun, words, prior, picks, original_zipf)| {
            let words = words.into_iter().map(checked).collect::<PyResult<Vec<_>>>()?;
            if words.is_empty() || prior <= 0.0 {
                return Err(PyValueError::new_err(
                    "an entry needs original words and a positive prior",
                ));
            }
            Ok(Entry {
                original,
                spun,
                words,
                prior,
                picks,
                original_zipf,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let mut built = Vec::with_capacity(sentences.len());
    for (paragraph, words) in sentences {
        let count = words.len();
        let mut sentence = Sentence {
            paragraph,
            words: Vec::with_capacity(count),
        };
        for (position, (token, lower, class, written_key, unknown_key, candidates)) in words.into_iter().enumerate() {
            let candidates = candidates
                .into_iter()
                .map(|(length, entry, level)| {
                    if entry >= entries.len() || length == 0 || position + length > count {
                        return Err(PyValueError::new_err(format!(
                            "candidate at {position}: entry {entry}, length {length}"
                        )));
                    }
                    Ok(Candidate {
                        length,
                        entry,
                        key: key(level)?,
                    })
                })
                .collect::<PyResult<Vec<_>>>()?;
            let written_key = if written_key < 0 {
                None
            } else {
                Some(key(written_key as usize)?)
            };
            sentence.words.push(Word {
                token: checked(token)?,
                lower,
                class,
                written_key,
                unknown_key: key(unknown_key)?,
                candidates,
            });
        }
        if sentence.words.is_empty() {
            return Err(PyValueError::new_err("a sentence has no words"));
        }
        built.push(sentence);
    }
    Ok(Document {
        sentences: built,
        entries,
    })
}

fn exported(found: fit::Fit, with_table: bool) -> PyFit {
    let sentences = found
        .sentences
        .into_iter()
        .map(|state| {
            let choices = state.choices.map(|choices| {
                choices
                    .into_iter()
                    .map(|here| here.into_iter().map(|c| (c.gain, c.length, c.entry, c.key)).collect())
                    .collect()
            });
            let arcs = state
                .posteriors
                .into_iter()
                .map(|(arc, p)| {
                    let (reading, entry) = match arc.reading {
                        Reading::Written => (0, -1),
                        Reading::Swap(entry) => (1, entry as i64),
                        Reading::Unlisted(entry) => (2, entry as i64),
                    };
                    (arc.start, arc.end, reading, entry, arc.emission, p)
                })
                .collect();
            (choices, arcs, state.evidence, state.spun_share, state.weight)
        })
        .collect();
    let table = found.table;
    let exported_table = with_table.then(|| {
        (
            table.rules.to_vec(),
            table.pair_counts.iter().map(|(&(o, s), &v)| (o, s, v)).collect(),
            table.original_counts.iter().map(|(&o, &v)| (o, v)).collect(),
            table.kept_as_written.iter().map(|(&w, &v)| (w, v)).collect(),
            table.spun_words,
            table.support.iter().map(|(&o, forms)| (o, forms.clone())).collect(),
            table
                .written_spun
                .iter()
                .map(|(&(w, c), &(s, n))| (w, c, s, n))
                .collect(),
        )
    });
    (
        sentences,
        found.paragraphs.items,
        found.document_spun,
        (found.levels.levels.to_vec(), found.levels.scale),
        exported_table,
    )
}

/// pocketsphinx's English trigram model, memory-mapped from its file.
#[pyclass(frozen, module = "untangle._core")]
struct TrigramModel {
    inner: trigram::TrigramModel,
}

/// An arc as Python passes it: (end, word tokens, emission). A token >= 0 is a vocabulary id;
/// -1 - k is the k-th of the sentence's unknown words.
type PyArc = (usize, Vec<i64>, f64);

fn token(value: i64) -> PyResult<Token> {
    if value >= 0 {
        u32::try_from(value)
            .map(Token::Known)
            .map_err(|_| PyValueError::new_err("word id out of range"))
    } else {
        u32::try_from(-1 - value)
            .map(Token::Unknown)
            .map_err(|_| PyValueError::new_err("unknown-word index out of range"))
    }
}

#[pymethods]
impl TrigramModel {
    #[new]
    fn new(path: PathBuf) -> PyResult<Self> {
        trigram::TrigramModel::open(&path)
            .map(|inner| TrigramModel { inner })
            .map_err(|error| PyOSError::new_err(error.to_string()))
    }

    /// The n-gram counts: (unigrams, bigrams, trigrams).
    #[getter]
    fn counts(&self) -> (u32, u32, u32) {
        let [a, b, c] = self.inner.counts();
        (a, b, c)
    }

    /// The vocabulary id of `word`, or None if the model does not know it.
    fn id(&self, word: &str) -> Option<u32> {
        self.inner.id(word)
    }

    /// log P(words[0] | words[1], words[2]) to base 1.0001, truncated to an integer as
    /// pocketsphinx's NGramModel.prob returns it (history most recent first); None for a word
    /// the model does not know.
    fn prob(&self, words: Vec<String>) -> PyResult<Option<i32>> {
        let (word, history) = words
            .split_first()
            .ok_or_else(|| PyValueError::new_err("prob needs at least one word"))?;
        let history: Vec<&str> = history.iter().take(2).map(String::as_str).collect();
        Ok(self.inner.prob(word, &history))
    }

    /// Forward-backward over a sentence's lattice: each arc's posterior (flattened in order)
    /// and ln P(lattice). `arcs_from[i]` holds the arcs starting at position i as
    /// (end, tokens, emission); `unknown` the weighted ln P of each unknown word; `weight` the
    /// language model's scale. The interpreter is released while it runs.
    fn arc_posteriors(
        &self,
        py: Python<'_>,
        arcs_from: Vec<Vec<PyArc>>,
        unknown: Vec<f64>,
        weight: f64,
    ) -> PyResult<(Vec<f64>, f64)> {
        let n = arcs_from.len();
        let mut lattice: Vec<Vec<Arc>> = Vec::with_capacity(n);
        for (position, arcs) in arcs_from.into_iter().enumerate() {
            if arcs.is_empty() {
                return Err(PyValueError::new_err(format!("position {position} has no arc")));
            }
            let mut here = Vec::with_capacity(arcs.len());
            for (end, words, emission) in arcs {
                if end <= position || end > n || words.is_empty() {
                    return Err(PyValueError::new_err(format!(
                        "an arc from {position} ends at {end} with {} words",
                        words.len()
                    )));
                }
                let words = words.into_iter().map(token).collect::<PyResult<Vec<_>>>()?;
                if let Some(Token::Unknown(k)) = words
                    .iter()
                    .find(|t| matches!(t, Token::Unknown(k) if *k as usize >= unknown.len()))
                {
                    return Err(PyValueError::new_err(format!("unknown word {k} has no score")));
                }
                here.push(Arc { end, words, emission });
            }
            lattice.push(here);
        }
        let start = self
            .inner
            .id("<s>")
            .ok_or_else(|| PyValueError::new_err("the model has no <s>"))?;
        let end = self
            .inner
            .id("</s>")
            .ok_or_else(|| PyValueError::new_err("the model has no </s>"))?;
        let model = &self.inner;
        Ok(py.allow_threads(|| {
            let scoring = Scoring::new(model, weight, &unknown, start, end);
            lattice::arc_posteriors(&lattice, &scoring)
        }))
    }

    /// Fit a document and decode every sentence (untangle's per-document EM); see
    /// untangle.compiled for the layout of the arguments and the result (the fitted
    /// substitution table only `with_table`). The interpreter is released while it runs.
    fn fit_document(
        &self,
        py: Python<'_>,
        sentences: Vec<(i64, Vec<PyWord>)>,
        entries: Vec<PyEntry>,
        unknown: Vec<f64>,
        with_table: bool,
        params: &Bound<'_, PyDict>,
    ) -> PyResult<PyFit> {
        let params = parameters(params)?;
        let document = document(sentences, entries, unknown.len())?;
        let start = self
            .inner
            .id("<s>")
            .ok_or_else(|| PyValueError::new_err("the model has no <s>"))?;
        let end = self
            .inner
            .id("</s>")
            .ok_or_else(|| PyValueError::new_err("the model has no </s>"))?;
        let model = &self.inner;
        let found = py.allow_threads(|| {
            let scoring = Scoring::new(model, params.context_weight, &unknown, start, end);
            fit::fit(&document, &scoring, &params)
        });
        Ok(exported(found, with_table))
    }
}

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<TrigramModel>()?;
    Ok(())
}

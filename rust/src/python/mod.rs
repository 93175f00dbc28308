//! The Python module `untangle._core`: the trigram model and the lattice decoder.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::decision::{self, Tier};
use crate::decode::Reading;
use crate::document::{level_key, Candidate, Document, Entry, Sentence, Word, KEYS};
use crate::fit;
use crate::prepare::Strings;

mod family;
mod screen;
use crate::lattice::{self, Arc, Scoring, Token};
use crate::params::Params;
use crate::trigram;
use rustc_hash::FxHashMap as HashMap;

/// A word as Python passes it: (lower-case form, segmenter class, written level key or -1,
/// unlisted-original level key, candidates as (length, entry index)).
type PyWord = (String, u8, i64, usize, Vec<(usize, usize)>);
/// An entry: (original, spun form, prior, pick rules, original's Zipf, whether the original is
/// a headword).
type PyEntry = (String, String, f64, u32, f64, bool);
/// A decoded sentence: its arcs as (start, end, reading 0 written / 1 swap / 2 unlisted, entry
/// or -1, emission, posterior given that its paragraph is spun).
type PySentence = Vec<(usize, usize, u8, i64, f64, f64)>;
/// The fitted table: rules, pair counts, original counts, kept as written, spun words, support,
/// written spun (word, class, spun, seen).
type PyTable = (
    Vec<f64>,
    Vec<(String, String, f64)>,
    Vec<(String, f64)>,
    Vec<(String, f64)>,
    f64,
    Vec<(String, Vec<(String, f64)>)>,
    Vec<(String, u8, f64, f64)>,
);
/// A suggestion of the decision: (sentence, start, end, entry, probability, tier 0 sure / 1
/// guess / 2 held back).
type PySuggestion = (usize, usize, usize, usize, f64, u8);
type PyFit = (
    Vec<PySentence>,
    Vec<(i64, f64)>,
    f64,
    (Vec<f64>, f64),
    Option<PyTable>,
    Option<Vec<PySuggestion>>,
);

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
        hold_back_floor: get(given, "HOLD_BACK_FLOOR")?,
        guess_max_as_written: get(given, "GUESS_MAX_AS_WRITTEN")?,
        guess_share: get(given, "GUESS_SHARE")?,
        guess_max_type_as_written: get(given, "GUESS_MAX_TYPE_AS_WRITTEN")?,
    })
}

fn key(value: usize) -> PyResult<usize> {
    if value < KEYS {
        Ok(value)
    } else {
        Err(PyValueError::new_err(format!("level key {value} out of range")))
    }
}

fn document(sentences: Vec<(i64, Vec<PyWord>)>, entries: Vec<PyEntry>, strings: &mut Strings) -> PyResult<Document> {
    let entries = entries
        .into_iter()
        .map(|(original, spun, prior, picks, original_zipf, headword)| {
            if original.is_empty() || prior.is_nan() || prior <= 0.0 {
                return Err(PyValueError::new_err("an entry needs an original and a positive prior"));
            }
            let words = original.split(' ').map(|word| strings.token(word)).collect();
            Ok(Entry {
                original: strings.id(&original),
                spun: strings.id(&spun),
                words,
                prior,
                picks,
                original_zipf,
                headword,
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
        for (position, (lower, class, written_key, unknown_key, candidates)) in words.into_iter().enumerate() {
            let candidates = candidates
                .into_iter()
                .map(|(length, entry)| {
                    if entry >= entries.len() || length == 0 || position + length > count {
                        return Err(PyValueError::new_err(format!(
                            "candidate at {position}: entry {entry}, length {length}"
                        )));
                    }
                    let original = &entries[entry];
                    let key = level_key(class, original.original_zipf, original.headword);
                    Ok(Candidate { length, entry, key })
                })
                .collect::<PyResult<Vec<_>>>()?;
            let written_key = if written_key < 0 {
                None
            } else {
                Some(key(written_key as usize)?)
            };
            sentence.words.push(Word {
                token: strings.token(&lower),
                lower: strings.id(&lower),
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

fn exported(found: fit::Fit, with_table: bool, names: &[String], decided: Option<Vec<PySuggestion>>) -> PyFit {
    let arcs_wanted = decided.is_none();
    let sentences = found
        .sentences
        .into_iter()
        .map(|state| {
            if !arcs_wanted {
                return Vec::new(); // the decision was taken here: nobody reads the arcs
            }
            state
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
                .collect()
        })
        .collect();
    let table = found.table;
    let name = |id: u32| names[id as usize].clone();
    let exported_table = with_table.then(|| {
        (
            table.rules.to_vec(),
            table
                .pair_counts
                .iter()
                .map(|(&(o, s), &v)| (name(o), name(s), v))
                .collect(),
            table.original_counts.iter().map(|(&o, &v)| (name(o), v)).collect(),
            table.kept_as_written.iter().map(|(&w, &v)| (name(w), v)).collect(),
            table.spun_words,
            table
                .support
                .iter()
                .map(|(&o, forms)| (name(o), forms.iter().map(|&(s, v)| (name(s), v)).collect()))
                .collect(),
            table
                .written_spun
                .iter()
                .map(|(&(w, c), &(s, n))| (name(w), c, s, n))
                .collect(),
        )
    });
    (
        sentences,
        found.paragraphs.items,
        found.document_spun,
        (found.levels.levels.to_vec(), found.levels.scale),
        exported_table,
        decided,
    )
}

/// pocketsphinx's English trigram model, memory-mapped from its file.
#[pyclass(frozen, module = "untangle._core")]
pub struct TrigramModel {
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

/// The weighted unigram scores of the words the model does not know, from Python's callback.
fn scores_of_unknown(strings: &Strings, unknown_scores: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let unknown: Vec<f64> = if strings.unknown_words.is_empty() {
        Vec::new()
    } else {
        unknown_scores.call1((strings.unknown_words.clone(),))?.extract()?
    };
    if unknown.len() != strings.unknown_words.len() {
        return Err(PyValueError::new_err("unknown_scores must give one score per word"));
    }
    Ok(unknown)
}

fn tier_number(tier: Tier) -> u8 {
    match tier {
        Tier::Sure => 0,
        Tier::Guess => 1,
        Tier::HeldBack => 2,
    }
}

impl TrigramModel {
    /// The vocabulary ids of the sentence's start and end, "<s>" and "</s>".
    fn boundaries(&self) -> PyResult<(u32, u32)> {
        let id = |word: &str| {
            self.inner
                .id(word)
                .ok_or_else(|| PyValueError::new_err(format!("the model has no {word}")))
        };
        Ok((id("<s>")?, id("</s>")?))
    }

    /// Fit `document` and, with `decide` (threshold, guesses), take the decision: its
    /// suggestions as (sentence, start, end, entry, probability, tier). The interpreter is
    /// released while it runs.
    fn fit_and_decide(
        &self,
        py: Python<'_>,
        document: &Document,
        unknown: &[f64],
        params: &Params,
        decide: Option<(f64, bool)>,
    ) -> PyResult<(fit::Fit, Option<Vec<PySuggestion>>)> {
        let (start, end) = self.boundaries()?;
        let model = &self.inner;
        Ok(py.allow_threads(|| {
            let scoring = Scoring::new(model, params.context_weight, unknown, start, end);
            let found = fit::fit(document, &scoring, params);
            let decided = decide.map(|(threshold, guesses)| {
                decision::decide(document, &found, threshold, guesses, params)
                    .into_iter()
                    .map(|s| {
                        let Reading::Swap(entry) = s.arc.reading else {
                            unreachable!("only swaps are suggested")
                        };
                        (
                            s.sentence,
                            s.arc.start,
                            s.arc.end,
                            entry,
                            s.probability,
                            tier_number(s.tier),
                        )
                    })
                    .collect()
            });
            (found, decided)
        }))
    }

    /// The first look at `document` (crate::first_look), the interpreter released.
    fn first_look(
        &self,
        py: Python<'_>,
        document: &Document,
        unknown: &[f64],
        params: &Params,
    ) -> PyResult<crate::first_look::Look> {
        let (start, end) = self.boundaries()?;
        let model = &self.inner;
        Ok(py.allow_threads(|| {
            let scoring = Scoring::new(model, params.context_weight, unknown, start, end);
            crate::first_look::look(document, &scoring, params)
        }))
    }
}

#[pymethods]
impl TrigramModel {
    /// The model in the file at `path`; `aliases` maps words it should read as others it knows
    /// (numbers written as digits, read as their spoken names).
    #[new]
    #[pyo3(signature = (path, aliases = None))]
    fn new(path: PathBuf, aliases: Option<HashMap<String, String>>) -> PyResult<Self> {
        let mut inner = trigram::TrigramModel::open(&path).map_err(|error| PyOSError::new_err(error.to_string()))?;
        for (alias, word) in aliases.unwrap_or_default() {
            inner.add_alias(&alias, &word);
        }
        Ok(TrigramModel { inner })
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
        let (start, end) = self.boundaries()?;
        let model = &self.inner;
        Ok(py.allow_threads(|| {
            let scoring = Scoring::new(model, weight, &unknown, start, end);
            lattice::arc_posteriors(&lattice, &scoring)
        }))
    }

    /// Fit a document and decode every sentence (untangle's per-document EM); see
    /// untangle.compiled for the layout of the arguments and the result (the fitted
    /// substitution table only `with_table`). `unknown_scores` is called once with the words
    /// the model does not know and returns their weighted unigram scores. With `decide`
    /// (threshold, guesses) the decision is taken here too and its suggestions come back in
    /// place of the arcs. The interpreter is released while the fit runs.
    #[pyo3(signature = (sentences, entries, unknown_scores, with_table, params, decide=None))]
    #[allow(clippy::too_many_arguments)] // the Python call's arguments, each documented above
    fn fit_document(
        &self,
        py: Python<'_>,
        sentences: Vec<(i64, Vec<PyWord>)>,
        entries: Vec<PyEntry>,
        unknown_scores: &Bound<'_, PyAny>,
        with_table: bool,
        params: &Bound<'_, PyDict>,
        decide: Option<(f64, bool)>,
    ) -> PyResult<PyFit> {
        let params = parameters(params)?;
        let mut strings = Strings::new(&self.inner);
        let document = document(sentences, entries, &mut strings)?;
        let unknown = scores_of_unknown(&strings, unknown_scores)?;
        let (found, decided) = self.fit_and_decide(py, &document, &unknown, &params, decide)?;
        Ok(exported(found, with_table, &strings.names, decided))
    }
}

/// A sorted file mapped in place, searched for the lines between two keys
/// (untangle.dictionary.SortedLines: the Python search was most of a first pass over a new
/// text's words).
#[pyclass(frozen, module = "untangle._core")]
pub struct SortedFile {
    data: memmap2::Mmap,
    /// Rows read so far by word (the screen reads a text's word types first, then a family
    /// reads the same ones).
    rows: crate::rows::RowCache,
    /// Its searches, through an index of its lines once they are many (sorted_lines::Searches).
    searches: crate::sorted_lines::Searches,
}

/// Words whose rows a file keeps: a document's word types, and the next one's, with room to
/// spare (some 50 bytes a row).
const KEPT_WORDS: usize = 1 << 14;

impl SortedFile {
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The substitution table's rows whose spun form starts with `word` (rows::starting_with),
    /// read from the file once.
    pub fn starting_with(&self, start: usize, word: &str, pick_limit: u32) -> Option<Vec<crate::rows::Row<'_>>> {
        self.rows
            .starting_with(&self.searches, &self.data, start, word, pick_limit)
    }

    /// The originals file's reading of `word` (rows::original).
    pub fn original(&self, start: usize, word: &str) -> Option<Option<(f64, bool)>> {
        crate::rows::original(&self.searches, &self.data, start, word)
    }
}

#[pymethods]
impl SortedFile {
    #[new]
    fn new(path: PathBuf) -> PyResult<Self> {
        let file = std::fs::File::open(&path).map_err(|error| PyOSError::new_err(error.to_string()))?;
        // SAFETY: the data files are read only, as the trigram model's is (trigram.rs).
        let data = unsafe { memmap2::Mmap::map(&file) }.map_err(|error| PyOSError::new_err(error.to_string()))?;
        Ok(SortedFile {
            data,
            rows: crate::rows::RowCache::new(KEPT_WORDS),
            searches: Default::default(),
        })
    }

    /// (byte offset, line) of every non-empty line from byte `start` on with `low <= line < high`.
    fn between(&self, start: usize, low: &[u8], high: &[u8]) -> PyResult<Vec<(usize, String)>> {
        self.searches
            .between(&self.data, start, low, high)
            .into_iter()
            .map(|(offset, line)| {
                std::str::from_utf8(line)
                    .map(|text| (offset, text.to_owned()))
                    .map_err(|_| PyValueError::new_err(format!("the line at byte {offset} is not UTF-8")))
            })
            .collect()
    }
}

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<TrigramModel>()?;
    module.add_class::<family::Family>()?;
    module.add_class::<family::TextReader>()?;
    module.add_class::<screen::Screen>()?;
    module.add_class::<SortedFile>()?;
    Ok(())
}

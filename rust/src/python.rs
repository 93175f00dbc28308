//! The Python module `untangle._core`: the trigram model and the lattice decoder.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use crate::lattice::{self, Arc, Scoring, Token};
use crate::trigram;

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
                return Err(PyValueError::new_err(format!(
                    "position {position} has no arc"
                )));
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
                    return Err(PyValueError::new_err(format!(
                        "unknown word {k} has no score"
                    )));
                }
                here.push(Arc {
                    end,
                    words,
                    emission,
                });
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
            let scoring = Scoring {
                model,
                weight,
                unknown: &unknown,
                start,
                end,
            };
            lattice::arc_posteriors(&lattice, &scoring)
        }))
    }
}

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<TrigramModel>()?;
    Ok(())
}

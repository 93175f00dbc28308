//! `untangle._core.Family`: a family's whole per-document path in the core, text in,
//! suggestions out (untangle.compiled_text is its Python side).

use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::{parameters, scores_of_unknown, SortedFile, TrigramModel};
use crate::kinds::Ordered;
use crate::lexicon::{LexEntry, Lexicon, TypeInfo};
use crate::prepare::{document, segmented, Segmented, Strings};
use crate::tokenize::{is_alpha, CharTable};
use rustc_hash::FxHashMap as HashMap;

/// An entry as the describe callback gives it: (original, spun form, prior, pick rules,
/// original's Zipf, whether the original is a headword, the Python entry).
type PyLexEntry = (String, String, f64, u32, f64, bool, Py<PyAny>);
/// A word type as the describe callback gives it: (Zipf, is an original, is a headword, entries).
type PyTypeInfo = (f64, bool, bool, Vec<PyLexEntry>);
/// A suggestion in the text's offsets: (start, end, end of its first word, Python entry,
/// probability, tier 0 sure / 1 guess / 2 held back).
type PyTextSuggestion = (usize, usize, usize, Py<PyAny>, f64, u8);
/// The restoration: suggestions, paragraphs as (number, start, end, P(spun)), P(document
/// spun), and how many positions had candidates.
/// A family's restoration: its suggestions, each paragraph's span and P(spun), P(document spun),
/// how many words could be spun, and where the first look was asked for, the largest P(paragraph
/// spun) it read at the usual levels and at the low rate.
type PyRestored = (
    Vec<PyTextSuggestion>,
    Vec<(i64, usize, usize, f64)>,
    f64,
    usize,
    Option<(f64, f64)>,
);

/// The characters the core reads as Python classes them, and what it reads of a text without a family.
#[pyclass(frozen, module = "untangle._core")]
pub struct TextReader {
    table: CharTable,
    /// The last text read and its reading: a cascade's families, then the inferred family's
    /// count, read the same text one after another (a text no earlier family changed).
    last: Mutex<Option<(String, Arc<Segmented>)>>,
}

/// The longest text whose reading is kept for the next call (its words take some fifteen times
/// its size; the engine reads long documents a window at a time).
const KEPT_TEXT_LIMIT: usize = 1 << 20;

impl TextReader {
    pub fn table(&self) -> &CharTable {
        &self.table
    }

    /// `text`'s tokens and sentences, or None if it has a character outside the table; the
    /// last text's reading is kept, so a text read again is not read twice.
    pub fn read(&self, text: &str) -> Option<Arc<Segmented>> {
        if let Ok(last) = self.last.lock() {
            if let Some((_, reading)) = last.as_ref().filter(|(kept, _)| kept == text) {
                return Some(Arc::clone(reading));
            }
        }
        let reading = Arc::new(segmented(text, &self.table)?);
        if text.len() <= KEPT_TEXT_LIMIT {
            if let Ok(mut last) = self.last.lock() {
                *last = Some((text.to_owned(), Arc::clone(&reading)));
            }
        }
        Some(reading)
    }
}

#[pymethods]
impl TextReader {
    /// A reader of `ranges` of characters: (first code point, flags per character as
    /// untangle.compiled_text builds them, their lower-case forms).
    #[new]
    fn new(ranges: Vec<(u32, Vec<u8>, String)>) -> PyResult<Self> {
        let mut table = CharTable::default();
        for (first, flags, lowers) in ranges {
            table
                .add(first, flags, lowers.chars().collect())
                .map_err(PyValueError::new_err)?;
        }
        Ok(TextReader {
            table,
            last: Mutex::new(None),
        })
    }

    /// `text` as the core reads it, for tests against untangle.tokenizer and untangle.segment:
    /// its tokens as (start, end, kind) in characters, and its sentences' words as (token
    /// index, lower-case form, class, paragraph, joined to the next); None if it has a
    /// character outside the table.
    #[allow(clippy::type_complexity)] // the two lists, each documented above
    fn segment(
        &self,
        text: &str,
    ) -> Option<(
        Vec<(usize, usize, &'static str)>,
        Vec<Vec<(usize, String, u8, i64, bool)>>,
    )> {
        let read = segmented(text, &self.table)?;
        let tokens = read
            .tokens
            .iter()
            .map(|t| (t.char_start, t.char_end, t.kind.name()))
            .collect();
        let sentences = read
            .sentences
            .into_iter()
            .map(|words| {
                words
                    .into_iter()
                    .map(|w| (w.token, w.lower, w.class, w.paragraph, w.joined_to_next))
                    .collect()
            })
            .collect();
        Some((tokens, sentences))
    }

    /// How often each alphabetic lower-case word form (str.isalpha) occurs in `text`'s
    /// sentences (untangle.segment's words), or None if it has a character outside the table.
    /// A word is alphabetic as written or lower-cased alike (no character of the table is a
    /// letter in one case only, tests/test_compiled_text.py), so the written form is asked: a
    /// lower-case form may fall outside the table.
    fn alphabetic_word_counts(&self, text: &str) -> Option<HashMap<String, usize>> {
        self.alphabetic_counts(text, None).map(|(_, counts)| counts)
    }

    /// How many alphabetic words `text` has, and how often each of `words` occurs among them
    /// (as `alphabetic_word_counts` counts them): what the inferred family asks first, since
    /// nearly every text misses none of the common words and needs no other count.
    fn alphabetic_counts_of(&self, text: &str, words: Vec<String>) -> Option<(usize, HashMap<String, usize>)> {
        self.alphabetic_counts(text, Some(&words))
    }
}

impl TextReader {
    /// The alphabetic words' number and counts by type, of every type or only of `only`.
    fn alphabetic_counts(&self, text: &str, only: Option<&[String]>) -> Option<(usize, HashMap<String, usize>)> {
        let read = self.read(text)?;
        // By word type: whether it is alphabetic (asked of its first occurrence) and its count.
        let mut by_type: Vec<(Option<bool>, usize)> = vec![(None, 0); read.types.len()];
        for (words, types) in read.sentences.iter().zip(&read.type_of) {
            for (word, &kind) in words.iter().zip(types) {
                let (alphabetic, count) = &mut by_type[kind as usize];
                let token = &read.tokens[word.token];
                *count += usize::from(
                    *alphabetic.get_or_insert_with(|| is_alpha(&text[token.start..token.end], &self.table)),
                );
            }
        }
        let total = by_type.iter().map(|(_, count)| count).sum();
        let wanted: Option<rustc_hash::FxHashSet<&str>> = only.map(|words| words.iter().map(String::as_str).collect());
        let counts = read
            .types
            .iter()
            .zip(by_type)
            .filter(|(word, (alphabetic, _))| {
                *alphabetic == Some(true) && wanted.as_ref().is_none_or(|w| w.contains(word.as_str()))
            })
            .map(|(word, (_, count))| (word.clone(), count))
            .collect();
        Some((total, counts))
    }
}

/// An entry's payload: the Python `Entry` a change is made from, or a row the core read from
/// the table itself, whose `Entry` is made the first time a change needs it.
enum Payload {
    Python(Py<PyAny>),
    Read(Arc<ReadEntry>),
}

impl Payload {
    fn clone_ref(&self, py: Python<'_>) -> Self {
        match self {
            Payload::Python(entry) => Payload::Python(entry.clone_ref(py)),
            Payload::Read(read) => Payload::Read(Arc::clone(read)),
        }
    }

    /// The Python `Entry`, made with `entry_type` for a row the core read.
    fn entry(&self, py: Python<'_>, entry_type: Option<&Py<PyAny>>) -> PyResult<Py<PyAny>> {
        let read = match self {
            Payload::Python(entry) => return Ok(entry.clone_ref(py)),
            Payload::Read(read) => read,
        };
        if let Some(made) = read.made.get() {
            return Ok(made.clone_ref(py));
        }
        let entry_type =
            entry_type.ok_or_else(|| PyValueError::new_err("a family that reads files needs entry_type"))?;
        let (spun, original, relation, prior, spun_zipf, original_zipf, picks) = &read.row;
        let keywords = PyDict::new(py);
        keywords.set_item("picks", picks)?;
        let made = entry_type
            .bind(py)
            .call(
                (spun, original, relation, prior, spun_zipf, original_zipf),
                Some(&keywords),
            )?
            .unbind();
        Ok(read.made.get_or_init(|| made).clone_ref(py))
    }
}

/// A row the core read from the table: (spun, original, relation, prior, spun_zipf,
/// original_zipf, picks), and its Python `Entry` once made.
struct ReadEntry {
    row: (String, String, String, f64, f64, f64, u32),
    made: OnceLock<Py<PyAny>>,
}

#[pyclass(frozen, module = "untangle._core")]
pub struct Family {
    /// The reader of characters, shared with the other families and the screen.
    reader: Py<TextReader>,
    lexicon: Mutex<Lexicon<Payload>>,
    files: Option<Files>,
    /// What makes a Python `Entry` of a row the core read (untangle.dictionary.Entry).
    entry_type: Option<Py<PyAny>>,
    /// Where given, the only words the dictionary says anything of: any other word is no
    /// original, starts no spun form and has no frequency, without asking describe.
    listed: Option<rustc_hash::FxHashSet<String>>,
}

/// A family's data files the core reads itself: the substitution table and the originals file,
/// each mapped with its first data byte, and the number of pick rules.
struct Files {
    table: (Py<SortedFile>, usize),
    originals: (Py<SortedFile>, usize),
    pick_limit: u32,
}

impl Files {
    /// What the files say of `word`, as untangle.compiled_text's describe gives it from the
    /// Python dictionary; None if a row is not one the core reads (Python describes the word).
    /// Of its one-word entries only the first `preselect` are kept: a position's candidates are
    /// its first `preselect` entries that match there (prepare::document), and a one-word entry
    /// always matches, so no later one is ever a candidate (phrases are all kept). Their
    /// originals' rows are not read either.
    fn type_info(
        &self,
        model: &crate::trigram::TrigramModel,
        word: &str,
        preselect: usize,
    ) -> Option<TypeInfo<Payload>> {
        let (originals, originals_start) = (self.originals.0.get(), self.originals.1);
        let mut rows = self.table.0.get().starting_with(self.table.1, word, self.pick_limit)?;
        let zipf_as_spun = rows
            .iter()
            .find(|row| row.spun == word)
            .map_or(0.0, |row| row.spun_zipf);
        let mut singles = 0;
        rows.retain(|row| {
            let phrase = row.spun.contains(' ');
            singles += usize::from(!phrase);
            phrase || singles <= preselect
        });
        let original = |word: &str| originals.original(originals_start, word);
        let listed = original(word)?;
        let zipf = listed.map_or(zipf_as_spun, |(zipf, _)| zipf);
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let headword = original(row.original)?.is_none_or(|(_, h)| h);
            entries.push(LexEntry {
                original_ids: row.original.split(' ').map(|w| model.id(w)).collect(),
                original: row.original.to_owned(),
                spun: row.spun.to_owned(),
                phrase: row
                    .spun
                    .contains(' ')
                    .then(|| row.spun.split(' ').map(str::to_owned).collect()),
                prior: row.prior,
                picks: row.picks,
                original_zipf: row.original_zipf,
                headword,
                payload: Payload::Read(Arc::new(ReadEntry {
                    row: (
                        row.spun.to_owned(),
                        row.original.to_owned(),
                        row.relation.to_owned(),
                        row.prior,
                        row.spun_zipf,
                        row.original_zipf,
                        row.picks,
                    ),
                    made: OnceLock::new(),
                })),
            });
        }
        Some(TypeInfo {
            id: model.id(word),
            zipf,
            original: listed.is_some(),
            headword: listed.is_none_or(|(_, h)| h),
            entries,
        })
    }
}

fn type_info(
    py: Python<'_>,
    model: &crate::trigram::TrigramModel,
    word: &str,
    (zipf, original, headword, entries): PyTypeInfo,
) -> PyResult<TypeInfo<Payload>> {
    let entries = entries
        .into_iter()
        .map(|(original, spun, prior, picks, original_zipf, headword, payload)| {
            if original.is_empty() || spun.is_empty() || prior.is_nan() || prior <= 0.0 {
                return Err(PyValueError::new_err(
                    "an entry needs an original, a spun form and a positive prior",
                ));
            }
            let phrase = spun.contains(' ').then(|| spun.split(' ').map(str::to_owned).collect());
            Ok(LexEntry {
                original_ids: original.split(' ').map(|w| model.id(w)).collect(),
                original,
                spun,
                phrase,
                prior,
                picks,
                original_zipf,
                headword,
                payload: Payload::Python(payload.clone_ref(py)),
            })
        })
        .collect::<PyResult<_>>()?;
    Ok(TypeInfo {
        id: model.id(word),
        zipf,
        original,
        headword,
        entries,
    })
}

#[pymethods]
impl Family {
    /// A family's path over the characters `reader` reads, with room for `limit` word types.
    /// With `files` (the substitution table and the originals file, each a mapped file and its
    /// first data byte, and the number of pick rules), the core reads what the dictionary says
    /// of a word from them itself where it can, and makes a change's entry with `entry_type`
    /// (the Python `Entry` class); describe reads the rest. With `listed`, describe is asked
    /// about those words only (a dictionary of a few rows says nothing of the others).
    #[new]
    #[pyo3(signature = (reader, limit, files=None, entry_type=None, listed=None))]
    #[allow(clippy::type_complexity)] // the two files and the pick rules, documented above
    fn new(
        reader: Py<TextReader>,
        limit: usize,
        files: Option<((Py<SortedFile>, usize), (Py<SortedFile>, usize), u32)>,
        entry_type: Option<Py<PyAny>>,
        listed: Option<Vec<String>>,
    ) -> PyResult<Self> {
        if files.is_some() && entry_type.is_none() {
            return Err(PyValueError::new_err("a family that reads files needs entry_type"));
        }
        Ok(Family {
            reader,
            lexicon: Mutex::new(Lexicon::new(limit.max(1))),
            files: files.map(|(table, originals, pick_limit)| Files {
                table,
                originals,
                pick_limit,
            }),
            entry_type,
            listed: listed.map(|words| words.into_iter().collect()),
        })
    }

    /// How many word types the family knows now.
    #[getter]
    fn types(&self) -> usize {
        self.lexicon.lock().map_or(0, |l| l.len())
    }

    /// Restore `text` with `model`: None if it has a character outside the table (the caller
    /// reads it in Python). `describe` is called with the word types the family has not met
    /// and returns what its dictionary knows of each; `settled` are spans an earlier family
    /// restored; `unknown_scores`, `params` and `decide` (threshold, guesses) as for
    /// `TrigramModel.fit_document`. With `look`, a first look (crate::first_look) comes
    /// before the fit, and a text it finds clearly clean is not fitted. The interpreter is
    /// released while the look and the fit run.
    #[pyo3(signature = (model, text, describe, settled, unknown_scores, params, decide, look=false))]
    #[allow(clippy::too_many_arguments)] // the Python call's arguments, each documented above
    fn restore(
        &self,
        py: Python<'_>,
        model: &Bound<'_, TrigramModel>,
        text: &str,
        describe: &Bound<'_, PyAny>,
        settled: Vec<(usize, usize)>,
        unknown_scores: &Bound<'_, PyAny>,
        params: &Bound<'_, PyDict>,
        decide: (f64, bool),
        look: bool,
    ) -> PyResult<Option<PyRestored>> {
        let reader = self.reader.get();
        let Some(text_segmented) = reader.read(text) else {
            return Ok(None);
        };
        let params = parameters(params)?;
        let model = model.get();
        let poisoned = |_| PyValueError::new_err("the family's lexicon was left broken by a failed call");
        // The model's address: the lexicon's vocabulary ids are of the model it last read with.
        let model_key = model as *const TrigramModel as usize;
        self.lexicon
            .lock()
            .map_err(poisoned)?
            .make_room((model_key, params.reverse_preselect));
        let mut strings = Strings::new(&model.inner);
        let (built, payloads, eligible) = loop {
            let mut lexicon = self.lexicon.lock().map_err(poisoned)?;
            let mut missing = lexicon.missing(text_segmented.distinct_lowers());
            if let Some(files) = &self.files {
                missing.retain(
                    |word| match files.type_info(&model.inner, word, params.reverse_preselect) {
                        Some(info) => {
                            lexicon.insert(word.clone(), info);
                            false
                        }
                        None => true,
                    },
                );
            }
            if let Some(listed) = &self.listed {
                missing.retain(|word| {
                    if listed.contains(word) {
                        return true;
                    }
                    let unlisted = TypeInfo {
                        id: model.inner.id(word),
                        zipf: 0.0,
                        original: false,
                        headword: true,
                        entries: Vec::new(),
                    };
                    lexicon.insert(word.clone(), unlisted);
                    false
                });
            }
            if missing.is_empty() {
                // No word of the text starts an entry: no position to fit, the text is clean as
                // written (what `document` would find, without building it).
                if text_segmented
                    .distinct_lowers()
                    .all(|word| lexicon.get(word).is_none_or(|info| info.entries.is_empty()))
                {
                    break (None, Vec::new(), 0);
                }
                let (built, used, eligible) = document(
                    text,
                    &text_segmented,
                    &lexicon,
                    &settled,
                    params.reverse_preselect,
                    reader.table(),
                    &mut strings,
                )
                .map_err(|word| PyValueError::new_err(format!("no type for {word:?}")))?;
                let payloads: Vec<Payload> = used.iter().map(|e| e.payload.clone_ref(py)).collect();
                break (Some(built), payloads, eligible);
            }
            drop(lexicon); // the callback runs Python: another thread may take the lexicon meanwhile
            let described: Vec<PyTypeInfo> = describe.call1((missing.clone(),))?.extract()?;
            if described.len() != missing.len() {
                return Err(PyValueError::new_err("describe must give one type per word"));
            }
            let infos = missing
                .iter()
                .zip(described)
                .map(|(word, info)| type_info(py, &model.inner, word, info))
                .collect::<PyResult<Vec<_>>>()?;
            let mut lexicon = self.lexicon.lock().map_err(poisoned)?;
            for (word, info) in missing.into_iter().zip(infos) {
                lexicon.insert(word, info);
            }
        };
        let paragraphs = text_segmented.paragraphs();
        let Some(built) = built.filter(|_| eligible > 0) else {
            let clean = paragraphs.into_iter().map(|(n, a, b)| (n, a, b, 0.0)).collect();
            return Ok(Some((Vec::new(), clean, 0.0, 0, None)));
        };
        let unknown = scores_of_unknown(&strings, unknown_scores)?;
        let mut looked = None;
        if look {
            let seen = model.first_look(py, &built, &unknown, &params)?;
            looked = Some(seen.most_spun());
            if seen.clean() {
                let paragraphs = with_spun(paragraphs, &seen.usual.paragraphs);
                return Ok(Some((Vec::new(), paragraphs, seen.usual.document, eligible, looked)));
            }
        }
        let (found, decided) = model.fit_and_decide(py, &built, &unknown, &params, Some(decide))?;
        let suggestions = decided
            .unwrap_or_default()
            .into_iter()
            .map(|(sentence, start, end, entry, probability, tier)| {
                let (from, to) = text_segmented.span(sentence, start, end);
                let (_, first_end) = text_segmented.span(sentence, start, start + 1);
                let entry = payloads[entry].entry(py, self.entry_type.as_ref())?;
                Ok((from, to, first_end, entry, probability, tier))
            })
            .collect::<PyResult<_>>()?;
        let paragraphs = with_spun(paragraphs, &found.paragraphs);
        Ok(Some((suggestions, paragraphs, found.document_spun, eligible, looked)))
    }
}

/// Each paragraph's number and span with its P(spun) from a verdict (0 where it has none).
fn with_spun(paragraphs: Vec<(i64, usize, usize)>, spun: &Ordered<i64, f64>) -> Vec<(i64, usize, usize, f64)> {
    let spun: HashMap<i64, f64> = spun.items.iter().copied().collect();
    paragraphs
        .into_iter()
        .map(|(n, a, b)| (n, a, b, spun.get(&n).copied().unwrap_or(0.0)))
        .collect()
}

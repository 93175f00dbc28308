//! The screen's reading of a document (untangle.screen): its lower-case words as the screen's
//! pattern finds them, and the likelihood ratio of "spun" against "clean" from the spun forms
//! among them, by frequency alone and in context.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::rows::Row;
use crate::tokenize::{CharTable, LETTER};
use crate::trigram::TrigramModel;

/// A spun form: its words, strength, term ln(1 - s + s e^strength) at each spin rate the
/// screen tries, and its originals (each its words joined by spaces) with P(spun | original).
#[derive(Clone, Debug)]
pub struct Form {
    pub words: Vec<String>,
    pub strength: f64,
    pub terms: Vec<f64>,
    pub originals: Vec<(Box<str>, f64)>,
    /// Its words' and originals' vocabulary ids, worked out once for the model it was first
    /// read in context with (that model's address; None: a word the model does not know).
    pub ids: OnceLock<(usize, Option<FormIds>)>,
}

/// A form's words and its originals' words as a model's vocabulary ids.
#[derive(Clone, Debug)]
pub struct FormIds {
    words: Vec<u32>,
    originals: Vec<Vec<u32>>,
}

impl Form {
    pub fn new(words: Vec<String>, strength: f64, terms: Vec<f64>, originals: Vec<(Box<str>, f64)>) -> Self {
        Form {
            words,
            strength,
            terms,
            originals,
            ids: OnceLock::new(),
        }
    }

    /// The ids of its words and its originals' in `model`; None if the model lacks one.
    fn ids_in(&self, model: &TrigramModel) -> Option<FormIds> {
        Some(FormIds {
            words: self.words.iter().map(|w| model.id(w)).collect::<Option<_>>()?,
            originals: self
                .originals
                .iter()
                .map(|(original, _)| original.split(' ').map(|w| model.id(w)).collect::<Option<_>>())
                .collect::<Option<_>>()?,
        })
    }
}

/// ln(1 - s + s e^strength) at each spin rate s, the strength capped at `strongest`.
pub fn terms(strength: f64, rates: &[f64], strongest: f64) -> Vec<f64> {
    let capped = strength.min(strongest);
    rates
        .iter()
        .map(|rate| (1.0 - rate + rate * capped.exp()).ln())
        .collect()
}

/// ln of the sum of e^value over `logs` (not empty).
fn log_sum(logs: &[f64]) -> f64 {
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    top + logs.iter().map(|value| (value - top).exp()).sum::<f64>().ln()
}

/// A word's forms, strongest first, from the rows whose spun form starts with it, table by
/// table (untangle.screen.Screen.forms), each table's rows in its order (rows::in_table_order):
/// a form's strength is ln of the sum over its rows of
/// P(original) P(spun | original), over P(spun as itself); its terms ln(1 - s + s e^strength)
/// at each spin rate s, the strength capped at `strongest`.
pub fn forms_of(tables: &[Vec<Row>], rates: &[f64], strongest: f64) -> Vec<Form> {
    let mut groups: Vec<(&str, Vec<&Row>)> = Vec::new();
    for rows in tables {
        for row in rows {
            match groups.iter_mut().find(|(spun, _)| *spun == row.spun) {
                Some((_, group)) => group.push(row),
                None => groups.push((row.spun, vec![row])),
            }
        }
    }
    let mut forms: Vec<Form> = groups
        .into_iter()
        .map(|(spun, rows)| {
            let logs: Vec<f64> = rows.iter().map(|row| row.reverse_prior()).collect();
            let strength = log_sum(&logs) - rows[0].spun_zipf * std::f64::consts::LN_10;
            Form::new(
                spun.split(' ').map(str::to_owned).collect(),
                strength,
                terms(strength, rates, strongest),
                rows.iter().map(|row| (row.original.into(), row.prior)).collect(),
            )
        })
        .collect();
    forms.sort_by(|a, b| b.strength.total_cmp(&a.strength));
    forms
}

/// The words of `text.lower()` as `[^\W\d_]+(?:[-'’][^\W\d_]+)*` finds them; None if a
/// character (or its lower-case form) is outside the table. One pass: a joiner after a word is
/// held until the next character says whether the word goes on.
pub fn words(text: &str, table: &CharTable) -> Option<Words> {
    // Each ASCII character's lower-case form and whether that is a letter, looked up once (None:
    // read through the table as any other character is).
    let mut ascii: [Option<(char, bool)>; 128] = [None; 128];
    for (code, slot) in (0u8..128).zip(ascii.iter_mut()) {
        if let Some((flags, lower)) = table.get(char::from(code)) {
            if let Some((lower_flags, _)) = table.get(lower).filter(|_| flags & crate::tokenize::DECLINE == 0) {
                *slot = Some((lower, lower_flags & LETTER != 0));
            }
        }
    }
    let mut lowered: Vec<u8> = Vec::with_capacity(text.len());
    let mut spans = Vec::with_capacity(text.len() / 5); // about one word per five bytes of prose
    let mut start = None; // where the word being read starts in `lowered`
    let mut joiner = None;
    let mut at = 0;
    while at < text.len() {
        let byte = text.as_bytes()[at];
        let fast = if byte.is_ascii() {
            ascii[usize::from(byte)]
        } else {
            None
        };
        let (lower, letter) = match fast {
            Some(read) => {
                at += 1;
                read
            }
            None => {
                let c = text[at..].chars().next()?;
                at += c.len_utf8();
                let (flags, lower) = table.get(c)?;
                if flags & crate::tokenize::DECLINE != 0 {
                    return None;
                }
                (lower, table.get(lower)?.0 & LETTER != 0)
            }
        };
        if letter {
            if start.is_none() {
                start = Some(lowered.len());
            }
            if let Some(joined) = joiner.take() {
                push_char(&mut lowered, joined);
            }
            push_char(&mut lowered, lower);
        } else if let Some(from) = start {
            if joiner.is_none() && matches!(lower, '-' | '\'' | '\u{2019}') {
                joiner = Some(lower);
            } else {
                joiner = None;
                spans.push((from, lowered.len()));
                start = None;
            }
        }
    }
    if let Some(from) = start {
        spans.push((from, lowered.len()));
    }
    Some(Words {
        lowered: String::from_utf8(lowered).ok()?,
        spans,
    })
}

/// Append `c`'s UTF-8 bytes (one push for ASCII).
#[inline]
fn push_char(bytes: &mut Vec<u8>, c: char) {
    if c.is_ascii() {
        bytes.push(c as u8);
    } else {
        bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
}

/// A text's words, lower-cased one after another in one string.
pub struct Words {
    lowered: String,
    spans: Vec<(usize, usize)>,
}

impl Words {
    /// The words in order.
    pub fn list(&self) -> Vec<&str> {
        self.spans.iter().map(|&(a, b)| &self.lowered[a..b]).collect()
    }
}

/// The best spin rate's ln likelihood ratio of `words` (-inf when none is a listed spun form):
/// at each position the strongest form that matches there counts, and the words it spans are
/// passed over. `forms_at(position)` gives the forms starting with the word there, strongest
/// first.
pub fn score<'f>(words: &[&str], forms_at: impl Fn(usize) -> &'f [Form]) -> f64 {
    best_rate(words, forms_at)
}

/// How the screen reads a form in context (untangle.screen.Screen.score_in_context).
pub struct Context<'a> {
    pub model: &'a TrigramModel,
    /// The engine's context weight on the model's log probabilities.
    pub weight: f64,
    /// Forms at least this strong are read in context.
    pub strength: f64,
    /// Written words either side of a form that its context holds.
    pub reach: usize,
    pub rates: &'a [f64],
    pub strongest: f64,
}

impl Context<'_> {
    /// Weighted ln P(middle, then right | left), `left` most recent first, as the Python
    /// LanguageModel.logprob of each word (a history cut at an unknown word; every word of
    /// `middle` and `right` known).
    fn window(&self, left: &[Option<u32>], middle: &[u32], right: &[u32]) -> f64 {
        let (mut h1, mut h2) = (left.first().copied().flatten(), left.get(1).copied().flatten());
        let mut total = 0.0;
        for &word in middle.iter().chain(right) {
            let raw = self.model.truncated(word, h1, h1.and(h2));
            total += f64::from(raw) * crate::lattice::LN_BASE * self.weight;
            (h1, h2) = (Some(word), h1);
        }
        total
    }

    /// The terms of `form` at `position` of the text's words (`ids`, their vocabulary ids): in
    /// context where it is strong enough and the model knows its words and its originals',
    /// else its own.
    fn terms<'f>(&self, ids: &[Option<u32>], position: usize, form: &'f Form) -> Cow<'f, [f64]> {
        if form.strength < self.strength {
            return Cow::Borrowed(&form.terms);
        }
        let address = self.model as *const TrigramModel as usize;
        let fresh;
        let known = match form.ids.get_or_init(|| (address, form.ids_in(self.model))) {
            (cached, known) if *cached == address => known,
            _ => {
                fresh = form.ids_in(self.model);
                &fresh
            }
        };
        let Some(known) = known else {
            return Cow::Borrowed(&form.terms);
        };
        let end = position + form.words.len();
        let left: Vec<Option<u32>> = ids[position.saturating_sub(self.reach)..position]
            .iter()
            .rev()
            .copied()
            .collect();
        // What follows an unknown word reads the same after any form: the context stops there.
        let right: Vec<u32> = ids[end.min(ids.len())..(end + self.reach).min(ids.len())]
            .iter()
            .map_while(|id| *id)
            .collect();
        let written = self.window(&left, &known.words, &right);
        let gains: Vec<f64> = known
            .originals
            .iter()
            .zip(&form.originals)
            .map(|(original, (_, prior))| prior.ln() + self.window(&left, original, &right) - written)
            .collect();
        Cow::Owned(terms(log_sum(&gains), self.rates, self.strongest))
    }
}

/// The score of `words` with each form read in context where `context` reads it, the lesser of
/// two counts: every occurrence, and each form once with the mean of its occurrences' terms
/// (untangle.screen.Screen.score_in_context); `ids` are the words' ids in the context's model.
pub fn score_in_context<'f>(
    words: &[&str],
    ids: &[Option<u32>],
    forms_at: impl Fn(usize) -> &'f [Form],
    context: &Context,
) -> f64 {
    let mut every: Vec<f64> = Vec::new();
    // Each form's summed terms and occurrences, in the order first met.
    let mut by_form: Vec<(Vec<f64>, usize)> = Vec::new();
    let mut place: rustc_hash::FxHashMap<*const Form, usize> = Default::default();
    each_form(words, forms_at, |position, form| {
        let terms = context.terms(ids, position, form);
        add(&mut every, terms.iter().copied());
        let next = by_form.len();
        let at = *place.entry(form as *const Form).or_insert(next);
        if at == next {
            by_form.push((vec![0.0; terms.len()], 0));
        }
        let (sums, count) = &mut by_form[at];
        sums.iter_mut().zip(terms.iter()).for_each(|(sum, term)| *sum += term);
        *count += 1;
    });
    let mut once: Vec<f64> = Vec::new();
    for (sums, count) in &by_form {
        add(&mut once, sums.iter().map(|sum| sum / *count as f64));
    }
    best(every).min(best(once))
}

/// The best spin rate's sum of each form's own terms over the spun forms of `words`.
fn best_rate<'f>(words: &[&str], forms_at: impl Fn(usize) -> &'f [Form]) -> f64 {
    let mut totals: Vec<f64> = Vec::new();
    each_form(words, forms_at, |_, form| add(&mut totals, form.terms.iter().copied()));
    best(totals)
}

/// Calls `found(position, form)` for the strongest form of `words` that matches at each position,
/// passing over the words of each form found.
fn each_form<'f>(words: &[&str], forms_at: impl Fn(usize) -> &'f [Form], mut found: impl FnMut(usize, &'f Form)) {
    let mut position = 0;
    while position < words.len() {
        let mut step = 1;
        for form in forms_at(position) {
            let span = form.words.len();
            if span == 1 || (position + span <= words.len() && words[position..position + span] == form.words[..]) {
                found(position, form);
                step = span;
                break;
            }
        }
        position += step;
    }
}

/// Adds a form's terms, one per spin rate, to `totals`.
fn add(totals: &mut Vec<f64>, terms: impl Iterator<Item = f64>) {
    for (rate, term) in terms.enumerate() {
        if rate == totals.len() {
            totals.push(0.0);
        }
        totals[rate] += term;
    }
}

/// The best spin rate's total (-inf where no form was found).
fn best(totals: Vec<f64>) -> f64 {
    totals.into_iter().fold(f64::NEG_INFINITY, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tests::ascii_table;

    #[test]
    fn forms_merge_rows_of_one_spun_form_and_come_strongest_first() {
        let row = |spun, prior: f64, spun_zipf, original_zipf| Row {
            spun,
            original: "o",
            relation: "synonym",
            prior,
            spun_zipf,
            original_zipf,
            picks: 0,
        };
        // "quality" from two originals (ln(0.5 e^(5 ln10) + 0.25 e^(4 ln10)) - 3 ln10), the
        // phrase "quality league" from the second table, stronger.
        let first = vec![row("quality", 0.25, 3.0, 4.0), row("quality", 0.5, 3.0, 5.0)];
        let second = vec![row("quality league", 1.0, 1.0, 5.0)];
        let forms = forms_of(&[first, second], &[0.5], 30.0);
        let ln10 = std::f64::consts::LN_10;
        let strength = (0.5 * (5.0 * ln10).exp() + 0.25 * (4.0 * ln10).exp()).ln() - 3.0 * ln10;
        assert_eq!(forms[0].words, vec!["quality", "league"]);
        assert_eq!(forms[1].words, vec!["quality"]);
        assert!((forms[1].terms[0] - (0.5 + 0.5 * strength.exp()).ln()).abs() < 1e-12);
        // The cap: a strength past `strongest` counts as `strongest`.
        let capped = forms_of(&[vec![row("x", 1.0, 0.0, 9.0)]], &[0.5], 2.0);
        assert!((capped[0].terms[0] - (0.5 + 0.5 * 2f64.exp()).ln()).abs() < 1e-12);
    }

    #[test]
    fn words_follow_the_screen_pattern() {
        let found = words("Helium's well-known x1y -a- 'b' it\u{2019}s", &ascii_table()).unwrap();
        assert_eq!(
            found.list(),
            vec!["helium's", "well-known", "x", "y", "a", "b", "it\u{2019}s"]
        );
        assert!(words("caf\u{e9}", &ascii_table()).is_none(), "outside the table");
        for (text, expected) in [
            ("a--b", vec!["a", "b"]),
            ("a-'b", vec!["a", "b"]),
            ("a-", vec!["a"]),
            ("-a-b-", vec!["a-b"]),
            ("it's-x y", vec!["it's-x", "y"]),
            ("A1-b", vec!["a", "b"]),
            ("", vec![]),
            ("'-'", vec![]),
        ] {
            assert_eq!(words(text, &ascii_table()).unwrap().list(), expected, "{text}");
        }
    }

    #[test]
    fn the_score_sums_the_strongest_matching_form_per_position() {
        let form = |words: &[&str], terms: Vec<f64>| {
            Form::new(words.iter().map(|w| w.to_string()).collect(), 0.0, terms, Vec::new())
        };
        let one = vec![form(&["helium"], vec![1.0, 2.0])];
        let phrase = vec![
            form(&["quality", "league"], vec![3.0, 1.0]),
            form(&["quality"], vec![-1.0, -1.0]),
        ];
        let none: Vec<Form> = Vec::new();
        let forms = |w: &str| -> &[Form] {
            match w {
                "helium" => &one,
                "quality" => &phrase,
                _ => &none,
            }
        };
        let words = ["helium", "quality", "league", "quality", "x"];
        // helium (1, 2) + "quality league" (3, 1) + quality alone (-1, -1): the best rate's 3.
        assert_eq!(score(&words, |p| forms(words[p])), 3.0);
        assert_eq!(score(&words[4..], |p| forms(words[4 + p])), f64::NEG_INFINITY);
    }

    /// The forms of a text whose only listed word is "helium".
    fn only_helium<'f>(forms: &'f [Form]) -> impl Fn(&str) -> &'f [Form] + Copy {
        move |word| if word == "helium" { forms } else { &[] }
    }

    /// "helium" as a spun "he" by frequency, read in context by the shipped model (where
    /// UNTANGLE_LM_PATH names it): weak after "liquid", strong before "said".
    #[test]
    fn a_form_read_in_context_weighs_its_originals_in_their_neighbours() {
        let Some(path) = std::env::var_os("UNTANGLE_LM_PATH") else {
            return;
        };
        let model = TrigramModel::open(std::path::Path::new(&path)).unwrap();
        let rates = [0.1];
        // "helium", a strong form (7 nats), from the given original.
        let helium_from = |original: &str| {
            vec![Form::new(
                vec!["helium".into()],
                7.0,
                terms(7.0, &rates, 30.0),
                vec![(original.into(), 0.5)],
            )]
        };
        let helium = helium_from("he");
        let forms = only_helium(&helium);
        let context = Context {
            model: &model,
            weight: 0.6,
            strength: 1.0,
            reach: 2,
            rates: &rates,
            strongest: 30.0,
        };
        fn read<'f>(text: &str, context: &Context, forms: impl Fn(&str) -> &'f [Form]) -> f64 {
            let words: Vec<&str> = text.split(' ').collect();
            let ids: Vec<Option<u32>> = words.iter().map(|w| context.model.id(w)).collect();
            score_in_context(&words, &ids, |p| forms(words[p]), context)
        }
        let liquid_words: Vec<&str> = "cooled with liquid helium today".split(' ').collect();
        let by_frequency = score(&liquid_words, |p| forms(liquid_words[p]));
        let liquid = read("cooled with liquid helium today", &context, forms);
        let said = read("the mayor said helium said that", &context, forms);
        assert!(liquid < by_frequency, "{liquid} < {by_frequency}");
        assert!(said > liquid, "{said} > {liquid}");
        // In context the score is the lesser of every occurrence counted and each form counted
        // once with the mean of its occurrences: "helium said" again in the same words adds
        // nothing, and "liquid helium" again counts twice (it reads as written).
        let twice = |text: &str| read(&format!("{text} {text}"), &context, forms);
        assert!(said > 0.0 && liquid < 0.0, "{said} {liquid}");
        assert!((twice("the mayor said helium said that") - said).abs() < 1e-12);
        assert!((twice("cooled with liquid helium today") - 2.0 * liquid).abs() < 1e-9);
        let both = read(
            "the mayor said helium said that cooled with liquid helium today",
            &context,
            forms,
        );
        let mean = (said + liquid) / 2.0;
        assert!(
            (both - mean.min(said + liquid)).abs() < 1e-9,
            "{both}: {said} and {liquid}"
        );
        // A form weaker than the context's least strength keeps its own terms.
        let weak = Context {
            strength: 8.0,
            ..context
        };
        assert_eq!(read("cooled with liquid helium today", &weak, forms), by_frequency);
        // A form whose original the model does not know keeps its own terms too.
        let unknown = helium_from("zzqxv");
        let forms = only_helium(&unknown);
        assert_eq!(read("cooled with liquid helium today", &context, forms), by_frequency);
    }
}

//! Sentences of words from the tokens, as untangle.segment groups them: a word's lower-case
//! form, its class (bare, capitalised, punctuation attached), its paragraph, and whether a
//! single space joins it to the next word (a phrase's words must be joined).

use crate::document::{BARE, CAPITALISED};
use crate::tokenize::{case_of, lower, Case, CharTable, Kind, Token};

/// The segmenter's third class: punctuation attached before or after the word.
pub const ATTACHED: u8 = 2;
const ABBREVIATION_MAX_LEN: usize = 3; // "Mr.", "Gen.", "U.S." do not end a sentence

/// A word of a sentence: its token, its lower-case form and what the fit reads of it.
#[derive(Clone, Debug)]
pub struct SegmentedWord {
    pub token: usize,
    pub lower: String,
    pub class: u8,
    pub paragraph: i64,
    pub joined_to_next: bool,
}

fn line_breaks(text: &str) -> usize {
    let mut count = 0;
    let mut previous = '\0';
    for c in text.chars() {
        match c {
            '\n' if previous == '\r' => {}
            '\n' | '\r' | '\u{2029}' => count += 1,
            _ => {}
        }
        previous = c;
    }
    count
}

/// The length in bytes of the line break at the start of `text`: CRLF, LF, a lone CR, U+2029.
fn line_break(text: &str) -> Option<usize> {
    if text.starts_with("\r\n") {
        Some(2)
    } else if text.starts_with(['\n', '\r']) {
        Some(1)
    } else if text.starts_with('\u{2029}') {
        Some('\u{2029}'.len_utf8())
    } else {
        None
    }
}

/// Whether `text` separates paragraphs by blank lines (untangle.segment.is_wrapped): a line
/// break, white space other than line breaks, and another line break.
pub fn is_wrapped(text: &str, table: &CharTable) -> bool {
    // Only a line break starts a gap: '\n', '\r', or U+2029, whose UTF-8 starts with 0xE2.
    memchr::memchr3_iter(b'\n', b'\r', 0xE2, text.as_bytes()).any(|at| {
        let Some(first) = line_break(&text[at..]) else {
            return false;
        };
        let rest = &text[at + first..];
        let gap = rest
            .char_indices()
            .find(|&(_, c)| {
                matches!(c, '\r' | '\n' | '\u{2029}')
                    || table.get(c).is_none_or(|(f, _)| f & crate::tokenize::SPACE == 0)
            })
            .map_or(rest.len(), |(i, _)| i);
        line_break(&rest[gap..]).is_some()
    })
}

/// Words a new sentence has room for before it grows (most sentences are shorter).
const SENTENCE_ROOM: usize = 32;

const WRAPS: [&str; 5] = ["\n", "\r\n", "\r", " \n", " \r\n"];

/// Group the word and number tokens of `text` into sentences (untangle.segment.sentences).
pub fn sentences(text: &str, tokens: &[Token], table: &CharTable) -> Vec<Vec<SegmentedWord>> {
    let wrapped = is_wrapped(text, table);
    let slice = |t: &Token| &text[t.start..t.end];
    let mut result = Vec::new();
    let mut current: Vec<SegmentedWord> = Vec::with_capacity(SENTENCE_ROOM);
    let mut paragraph = 0i64;
    let last = tokens.len().saturating_sub(1);
    for (index, token) in tokens.iter().enumerate() {
        let here = slice(token);
        match token.kind {
            Kind::Space => {
                if here == " " {
                    continue;
                }
                let breaks = line_breaks(here);
                if breaks > 0 && !(wrapped && breaks == 1) {
                    if !current.is_empty() {
                        result.push(std::mem::replace(&mut current, Vec::with_capacity(SENTENCE_ROOM)));
                    }
                    paragraph += 1;
                }
                continue;
            }
            Kind::Punct => {
                let ends = matches!(here, "." | "!" | "?" | "\u{2026}");
                let after_abbreviation = index > 0 && {
                    let previous = &tokens[index - 1];
                    let word = slice(previous);
                    previous.kind == Kind::Word
                        && case_of(word, table) != Case::Lower
                        && word.chars().count() <= ABBREVIATION_MAX_LEN
                };
                if ends && !after_abbreviation && !current.is_empty() {
                    result.push(std::mem::replace(&mut current, Vec::with_capacity(SENTENCE_ROOM)));
                }
                continue;
            }
            Kind::Word | Kind::Number => {}
            Kind::Url | Kind::Email => continue, // not prose
        }
        let after = (index < last).then(|| &tokens[index + 1]);
        let class = if matches!(case_of(here, table), Case::Title | Case::Upper | Case::Mixed) {
            CAPITALISED
        } else if (index > 0 && tokens[index - 1].kind == Kind::Punct) || after.is_some_and(|a| a.kind == Kind::Punct) {
            ATTACHED
        } else {
            BARE
        };
        let joined = after.is_some_and(|a| {
            a.kind == Kind::Space
                && (slice(a) == " " || (wrapped && WRAPS.contains(&slice(a))))
                && index + 1 < last
                && tokens[index + 2].kind == Kind::Word
        });
        current.push(SegmentedWord {
            token: index,
            lower: lower(here, table),
            class,
            paragraph,
            joined_to_next: joined,
        });
    }
    if !current.is_empty() {
        result.push(current);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tests::ascii_table;
    use crate::tokenize::tokenize;

    fn words(text: &str) -> Vec<Vec<(String, u8, i64, bool)>> {
        let table = ascii_table();
        let tokens = tokenize(text, &table).unwrap();
        sentences(text, &tokens, &table)
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|w| (w.lower, w.class, w.paragraph, w.joined_to_next))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn sentences_end_at_marks_but_not_after_abbreviations() {
        let found = words("Mr. Smith went home. Then, he slept");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0][0], ("mr".to_string(), CAPITALISED, 0, false));
        assert_eq!(found[0][1].0, "smith");
        assert_eq!(found[1][0], ("then".to_string(), CAPITALISED, 0, false));
        assert_eq!(found[1][1], ("he".to_string(), BARE, 0, true));
    }

    #[test]
    fn line_breaks_end_paragraphs_unless_the_text_is_wrapped() {
        assert_eq!(words("one two\nthree")[1][0].2, 1);
        let wrapped = words("one two\nthree\n\nfour");
        assert_eq!(wrapped[0].len(), 3);
        assert!(wrapped[0][1].3, "a wrap joins like a space");
        assert_eq!(wrapped[1][0].2, 1);
        assert!(is_wrapped("a\r\n \r\nb", &ascii_table()));
        assert!(!is_wrapped("a\r\nb\nc", &ascii_table()));
    }
}

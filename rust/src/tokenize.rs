//! The lossless tokenizer of untangle.tokenizer, over the characters whose classes Python gave.
//!
//! Python's `re` decides what a letter, a digit and a space are by its own Unicode tables;
//! instead of guessing them, the core takes a `CharTable` built by Python from those same
//! tables, and declines (returns None) a text with a character outside it: Python tokenizes
//! that text itself, so both always split a text the same way.

/// `[^\W\d_]` in Python's `re`: a letter of a word.
pub const LETTER: u8 = 1;
/// `\d`: a decimal digit.
pub const DIGIT: u8 = 2;
/// `\w`: a word character (letters, digits, numerals, the underscore).
pub const WORD: u8 = 4;
/// `\s`: white space.
pub const SPACE: u8 = 8;
/// `str.isalpha()`.
pub const ALPHA: u8 = 16;
/// `str.islower()` of the character alone.
pub const LOWER: u8 = 32;
/// `str.isupper()` of the character alone.
pub const UPPER: u8 = 64;
/// A character the core must not read (its lower-case form is not one character).
pub const DECLINE: u8 = 128;

/// The classes and lower-case form of each character of a few ranges, as Python reads them.
#[derive(Clone, Debug, Default)]
pub struct CharTable {
    ranges: Vec<Range>,
}

#[derive(Clone, Debug)]
struct Range {
    first: u32,
    flags: Vec<u8>,
    lowers: Vec<char>,
}

impl CharTable {
    /// Add the characters from `first` on: their flags and their one-character lower-case forms.
    pub fn add(&mut self, first: u32, flags: Vec<u8>, lowers: Vec<char>) -> Result<(), String> {
        if flags.len() != lowers.len() {
            return Err("a range needs one lower-case form per character".into());
        }
        let end = first as u64 + flags.len() as u64;
        if self
            .ranges
            .iter()
            .any(|r| (first as u64) < r.first as u64 + r.flags.len() as u64 && (r.first as u64) < end)
        {
            return Err(format!("the range from {first:#x} overlaps another"));
        }
        self.ranges.push(Range { first, flags, lowers });
        self.ranges.sort_by_key(|r| r.first);
        Ok(())
    }

    /// The flags and lower-case form of `c`, or None if the table does not cover it.
    pub fn get(&self, c: char) -> Option<(u8, char)> {
        let code = c as u32;
        if let Some(low) = self.ranges.first().filter(|r| r.first == 0) {
            // Most characters of a text are in the first range (ASCII and Latin): no search.
            if let (Some(&flags), Some(&lower)) = (low.flags.get(code as usize), low.lowers.get(code as usize)) {
                return Some((flags, lower));
            }
        }
        let at = self.ranges.partition_point(|r| r.first <= code).checked_sub(1)?;
        let range = &self.ranges[at];
        let offset = (code - range.first) as usize;
        Some((*range.flags.get(offset)?, range.lowers[offset]))
    }

    fn flags(&self, c: char) -> u8 {
        self.get(c).map_or(0, |(flags, _)| flags)
    }
}

/// What a token is (untangle.tokenizer.Kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
    Space,
    Punct,
    Url,
    Email,
}

impl Kind {
    /// The name untangle.tokenizer.Kind gives it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Number => "number",
            Kind::Space => "space",
            Kind::Punct => "punct",
            Kind::Url => "url",
            Kind::Email => "email",
        }
    }
}

/// A slice of the text, in bytes (for Rust) and in characters (Python's offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub kind: Kind,
}

/// The characters of a text with their byte offsets, and where each class run ends.
struct Scanner<'t> {
    text: &'t str,
    chars: Vec<(usize, char, u8)>,
}

impl Scanner<'_> {
    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c, _)| c)
    }

    fn has(&self, i: usize, flag: u8) -> bool {
        self.chars.get(i).is_some_and(|&(_, _, f)| f & flag != 0)
    }

    fn run(&self, mut i: usize, accept: impl Fn(char, u8) -> bool) -> usize {
        while let Some(&(_, c, f)) = self.chars.get(i) {
            if !accept(c, f) {
                break;
            }
            i += 1;
        }
        i
    }

    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _, _)| b)
    }

    /// `(?:https?://|ftp://|www\.)[^\s<>"'“”‘’]+(?<![.,;:!?)\]}])`
    fn url(&self, i: usize) -> Option<usize> {
        let rest = &self.text[self.byte(i)..];
        let prefix = ["https://", "http://", "ftp://", "www."]
            .into_iter()
            .find(|p| rest.starts_with(p))?;
        let body = i + prefix.len(); // the prefixes are ASCII: one character per byte
        let mut end = self.run(body, |c, f| {
            f & SPACE == 0 && !"<>\"'\u{201c}\u{201d}\u{2018}\u{2019}".contains(c)
        });
        while end > body && ".,;:!?)]}".contains(self.chars[end - 1].1) {
            end -= 1;
        }
        (end > body).then_some(end)
    }

    /// `[\w.+-]+@[\w-]+(?:\.[\w-]+)+`
    fn email(&self, i: usize) -> Option<usize> {
        let local = self.run(i, |c, f| f & WORD != 0 || matches!(c, '.' | '+' | '-'));
        if local == i || self.char_at(local) != Some('@') {
            return None;
        }
        let domain_char = |c: char, f: u8| f & WORD != 0 || c == '-';
        let mut end = self.run(local + 1, domain_char);
        if end == local + 1 {
            return None;
        }
        let mut groups = 0;
        while self.char_at(end) == Some('.') {
            let next = self.run(end + 1, domain_char);
            if next == end + 1 {
                break;
            }
            end = next;
            groups += 1;
        }
        (groups > 0).then_some(end)
    }

    /// `\d+(?:[.,:/]\d+)*(?:[^\W\d_]+)?`
    fn number(&self, i: usize) -> Option<usize> {
        if !self.has(i, DIGIT) {
            return None;
        }
        let digits = |_: char, f: u8| f & DIGIT != 0;
        let mut end = self.run(i, digits);
        while matches!(self.char_at(end), Some('.' | ',' | ':' | '/')) && self.has(end + 1, DIGIT) {
            end = self.run(end + 1, digits);
        }
        Some(self.run(end, |_, f| f & LETTER != 0))
    }

    /// `[^\W\d_]+(?:['’\-][^\W\d_]+|\d+)*`
    fn word(&self, i: usize) -> Option<usize> {
        if !self.has(i, LETTER) {
            return None;
        }
        let letters = |_: char, f: u8| f & LETTER != 0;
        let mut end = self.run(i, letters);
        loop {
            if matches!(self.char_at(end), Some('\'' | '\u{2019}' | '-')) && self.has(end + 1, LETTER) {
                end = self.run(end + 1, letters);
            } else if self.has(end, DIGIT) {
                end = self.run(end, |_, f| f & DIGIT != 0);
            } else {
                return Some(end);
            }
        }
    }
}

/// The tokens of `text`, covering it exactly, in order; None if a character is outside `table`.
pub fn tokenize(text: &str, table: &CharTable) -> Option<Vec<Token>> {
    let mut chars = Vec::with_capacity(text.len());
    for (b, c) in text.char_indices() {
        let (flags, _) = table.get(c)?;
        if flags & DECLINE != 0 {
            return None;
        }
        chars.push((b, c, flags));
    }
    let scanner = Scanner { text, chars };
    // A URL needs "://" or "www." and an address '@' somewhere in the text: prose has neither,
    // and each token is then spared the two tries.
    let may_link = text.contains("://") || text.contains("www.");
    let may_mail = text.contains('@');
    let mut tokens = Vec::with_capacity(text.len() / 3);
    let mut i = 0;
    let n = scanner.chars.len();
    while i < n {
        let (end, kind) = if let Some(end) = may_link.then(|| scanner.url(i)).flatten() {
            (end, Kind::Url)
        } else if let Some(end) = may_mail.then(|| scanner.email(i)).flatten() {
            (end, Kind::Email)
        } else if let Some(end) = scanner.number(i) {
            (end, Kind::Number)
        } else if let Some(end) = scanner.word(i) {
            (end, Kind::Word)
        } else if scanner.has(i, SPACE) {
            (scanner.run(i, |_, f| f & SPACE != 0), Kind::Space)
        } else {
            (i + 1, Kind::Punct)
        };
        tokens.push(Token {
            start: scanner.byte(i),
            end: scanner.byte(end),
            char_start: i,
            char_end: end,
            kind,
        });
        i = end;
    }
    Some(tokens)
}

/// untangle.tokenizer.Case: the case pattern of a word's cased letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Lower,
    Title,
    Upper,
    Mixed,
    None,
}

/// The case pattern of `word` (letters only count), as untangle.tokenizer.case_of reads it.
pub fn case_of(word: &str, table: &CharTable) -> Case {
    let mut count = 0usize;
    let (mut lower, mut upper, mut first_upper, mut rest_lower) = (true, true, false, true);
    for c in word.chars() {
        let f = table.flags(c);
        if f & ALPHA == 0 || f & (LOWER | UPPER) == 0 {
            continue;
        }
        let is_upper = f & UPPER != 0;
        let is_lower = f & LOWER != 0;
        if count == 0 {
            first_upper = is_upper;
        } else if !is_lower {
            rest_lower = false;
        }
        lower &= is_lower;
        upper &= is_upper;
        count += 1;
    }
    match count {
        0 => Case::None,
        _ if lower => Case::Lower,
        1 if upper => Case::Title,
        _ if upper => Case::Upper,
        _ if first_upper && rest_lower => Case::Title,
        _ => Case::Mixed,
    }
}

/// Every character of `text` alphabetic (`str.isalpha()`; false for an empty text).
pub fn is_alpha(text: &str, table: &CharTable) -> bool {
    !text.is_empty() && text.chars().all(|c| table.flags(c) & ALPHA != 0)
}

/// `text.lower()`, with curly apostrophes read as straight ones (untangle.segment).
pub fn lower(text: &str, table: &CharTable) -> String {
    let mut lowered = String::with_capacity(text.len()); // room for the usual case, one allocation
    lowered.extend(text.chars().map(|c| match table.get(c).map_or(c, |(_, l)| l) {
        '\u{2019}' | '\u{2018}' => '\'',
        l => l,
    }));
    lowered
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// Python's classes for ASCII and the curly quotes, written out for tests without Python.
    pub fn ascii_table() -> CharTable {
        let mut table = CharTable::default();
        let class = |c: char| {
            let mut f = 0;
            if c.is_ascii_alphabetic() {
                f |= LETTER | WORD | ALPHA | if c.is_ascii_lowercase() { LOWER } else { UPPER };
            }
            if c.is_ascii_digit() {
                f |= DIGIT | WORD;
            }
            if c == '_' {
                f |= WORD;
            }
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f') {
                f |= SPACE;
            }
            f
        };
        let ascii: Vec<char> = (0u8..128).map(char::from).collect();
        table
            .add(
                0,
                ascii.iter().map(|&c| class(c)).collect(),
                ascii.iter().map(|c| c.to_ascii_lowercase()).collect(),
            )
            .unwrap();
        table
            .add(0x2018, vec![0; 4], vec!['\u{2018}', '\u{2019}', '\u{201a}', '\u{201b}'])
            .unwrap();
        table.add(0x201c, vec![0; 2], vec!['\u{201c}', '\u{201d}']).unwrap();
        table
    }

    fn split(text: &str) -> Vec<(&str, Kind)> {
        tokenize(text, &ascii_table())
            .unwrap()
            .into_iter()
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect()
    }

    #[test]
    fn tokens_cover_the_text() {
        let text = "Helium said: \u{201c}it's 3.5 km/h at www.example.com.\u{201d} Mail a.b+c@x-y.org, 2nd try!";
        let tokens = tokenize(text, &ascii_table()).unwrap();
        let joined: String = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(joined, text);
        assert_eq!(tokens.last().unwrap().char_end, text.chars().count());
    }

    #[test]
    fn kinds_follow_the_python_pattern() {
        assert_eq!(
            split("it's well-known x1y2 3.5km"),
            vec![
                ("it's", Kind::Word),
                (" ", Kind::Space),
                ("well-known", Kind::Word),
                (" ", Kind::Space),
                ("x1", Kind::Word),
                ("y2", Kind::Word),
                (" ", Kind::Space),
                ("3.5km", Kind::Number),
            ]
        );
        assert_eq!(
            split("see http://a.b/c)."),
            vec![
                ("see", Kind::Word),
                (" ", Kind::Space),
                ("http://a.b/c", Kind::Url),
                (")", Kind::Punct),
                (".", Kind::Punct)
            ]
        );
        assert_eq!(split("http:// x")[0], ("http", Kind::Word));
        assert_eq!(split("a@b.c d@e")[0], ("a@b.c", Kind::Email));
        assert_eq!(split("d@e")[0], ("d", Kind::Word));
    }

    #[test]
    fn a_character_outside_the_table_declines_the_text() {
        assert!(tokenize("caf\u{e9}", &ascii_table()).is_none());
    }

    #[test]
    fn cases_follow_case_of() {
        let t = ascii_table();
        assert_eq!(case_of("helium", &t), Case::Lower);
        assert_eq!(case_of("Helium", &t), Case::Title);
        assert_eq!(case_of("A", &t), Case::Title);
        assert_eq!(case_of("AT", &t), Case::Upper);
        assert_eq!(case_of("iPhone", &t), Case::Mixed);
        assert_eq!(case_of("42", &t), Case::None);
        assert_eq!(lower("It\u{2019}S", &t), "it's");
    }
}

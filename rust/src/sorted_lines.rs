//! The lines of a sorted file between two keys, found by binary search over its bytes in place
//! (untangle.dictionary.SortedLines; the dictionary's files are searched, never parsed whole).
//! A file searched often enough is indexed once: where each of its lines starts (`LineStarts`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The line starting at `offset`: its end (the newline's offset, or the data's end).
fn line_end(data: &[u8], offset: usize) -> usize {
    memchr::memchr(b'\n', &data[offset..]).map_or(data.len(), |at| offset + at)
}

/// The offset of the first line at or after `start` that is not below `key`.
pub fn lower_bound(data: &[u8], start: usize, key: &[u8]) -> usize {
    let (mut low, mut high) = (start, data.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let line_start = if middle > start {
            memchr::memrchr(b'\n', &data[start..middle]).map_or(start, |at| start + at + 1)
        } else {
            start
        };
        let end = line_end(data, line_start);
        if &data[line_start..end] < key {
            low = end + 1;
        } else {
            high = line_start;
        }
    }
    low
}

/// (offset, line) of every non-empty line with `low <= line < high`, in order, from `start` on.
pub fn between<'d>(data: &'d [u8], start: usize, low: &[u8], high: &[u8]) -> Vec<(usize, &'d [u8])> {
    let mut found = Vec::new();
    let mut position = lower_bound(data, start.min(data.len()), low);
    while position < data.len() {
        let end = line_end(data, position);
        let line = &data[position..end];
        if line >= high {
            break;
        }
        if !line.is_empty() {
            found.push((position, line));
        }
        position = end + 1;
    }
    found
}

/// Where each line from `start` begins, and one past the last line's end: a search then
/// compares whole lines, where the search in place finds each probe's line by reading back to
/// its start (4,300 instructions a search of the originals file against some 1,500).
pub struct LineStarts {
    start: usize,
    starts: Vec<u32>, // each line's first byte, then (one past its end) + 1 for the last line
}

impl LineStarts {
    /// The index of `data`'s lines from `start`; None for data past 4 GiB.
    pub fn new(data: &[u8], start: usize) -> Option<Self> {
        let start = start.min(data.len());
        if data.len() >= u32::MAX as usize {
            return None;
        }
        let mut starts = Vec::with_capacity(data.len() / 32);
        if start < data.len() {
            starts.push(start as u32);
        }
        starts.extend(memchr::memchr_iter(b'\n', &data[start..]).map(|at| (start + at + 1) as u32));
        // A line after the last newline runs to the data's end: its end + 1 closes the list;
        // after a final newline, its own start (the data's end) does.
        if starts.last() != Some(&(data.len() as u32)) {
            starts.push(data.len() as u32 + 1);
        }
        Some(LineStarts { start, starts })
    }

    /// As `between(data, start, low, high)` for the data and start this index was made of.
    pub fn between<'d>(&self, data: &'d [u8], low: &[u8], high: &[u8]) -> Vec<(usize, &'d [u8])> {
        let lines = self.starts.len() - 1;
        let line = |i: usize| &data[self.starts[i] as usize..self.starts[i + 1] as usize - 1];
        let first = {
            let (mut low_i, mut high_i) = (0, lines);
            while low_i < high_i {
                let middle = low_i + (high_i - low_i) / 2;
                if line(middle) < low {
                    low_i = middle + 1;
                } else {
                    high_i = middle;
                }
            }
            low_i
        };
        (first..lines)
            .map(|i| (self.starts[i] as usize, line(i)))
            .take_while(|(_, text)| *text < high)
            .filter(|(_, text)| !text.is_empty())
            .collect()
    }
}

/// A file's searches: in place at first, through a `LineStarts` index once the searches made
/// would have paid for building it (one search per BYTES_PER_SEARCH bytes of the file: an index
/// costs about two instructions a byte, and saves some 3,000 to 6,000 a search). The originals
/// file (356 KB) is indexed after 87 searches, the substitution table (10.9 MB) after 2,664.
#[derive(Default)]
pub struct Searches {
    made: AtomicUsize,
    index: OnceLock<Option<LineStarts>>,
}

const BYTES_PER_SEARCH: usize = 4_096;

impl Searches {
    /// As `between(data, start, low, high)`; `data` and `start` must be the same at every call.
    pub fn between<'d>(&self, data: &'d [u8], start: usize, low: &[u8], high: &[u8]) -> Vec<(usize, &'d [u8])> {
        let made = self.made.fetch_add(1, Ordering::Relaxed);
        if made >= data.len() / BYTES_PER_SEARCH {
            let index = self.index.get_or_init(|| LineStarts::new(data, start));
            if let Some(index) = index.as_ref().filter(|index| index.start == start.min(data.len())) {
                return index.between(data, low, high);
            }
        }
        between(data, start, low, high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_lines_between_two_keys() {
        let data = b"# header\nat\tastatine\nhe\thelium\nhe is\tx\nhe\x7f\nin\tsuccessful\n";
        let start = 9;
        let lines: Vec<&[u8]> = between(data, start, b"he\t", b"he!")
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(lines, vec![&b"he\thelium"[..], &b"he is\tx"[..]]);
        assert!(between(data, start, b"zz\t", b"zz!").is_empty());
        assert_eq!(between(data, start, b"at\t", b"at!")[0].0, start);
        assert_eq!(between(b"", 0, b"a", b"b"), vec![]);
    }

    #[test]
    fn the_index_finds_what_the_search_in_place_finds() {
        // Sorted files (an empty line sorts first), with and without a last newline.
        let files: [&[u8]; 5] = [
            b"# header\nat\tastatine\nhe\thelium\nhe is\tx\nhe\x7f\nin\tsuccessful\n",
            b"\nat\tastatine\nhe\thelium\nin\tsuccessful",
            b"a\nb\nc",
            b"\n\n",
            b"",
        ];
        let keys: [(&[u8], &[u8]); 7] = [
            (b"he\t", b"he!"),
            (b"at\t", b"at!"),
            (b"in\t", b"in!"),
            (b"", b"\xff"),
            (b"b", b"c"),
            (b"zz", b"zz!"),
            (b"a", b"a"),
        ];
        for data in files {
            for start in [0, 9, data.len(), data.len() + 3] {
                let index = LineStarts::new(data, start).unwrap();
                let searches = Searches::default();
                for (low, high) in keys {
                    let in_place = between(data, start, low, high);
                    assert_eq!(index.between(data, low, high), in_place, "{data:?} from {start}");
                    assert_eq!(searches.between(data, start, low, high), in_place);
                }
            }
        }
    }
}

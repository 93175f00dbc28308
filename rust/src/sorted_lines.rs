//! The lines of a sorted file between two keys, found by binary search over its bytes in place
//! (untangle.dictionary.SortedLines; the dictionary's files are searched, never parsed whole).

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
}

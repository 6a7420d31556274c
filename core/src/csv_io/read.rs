//! Reading a CSV file as users export it from a warehouse or a CRM: the
//! delimiter (`,` `;` tab) and the header are detected, a byte-order mark is
//! dropped, CRLF and quoted fields with embedded newlines are the `csv`
//! crate's job (RFC 4180), never a hand-written splitter's.

/// A file read into cells, each record with the line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    /// The delimiter used.
    pub delimiter: u8,
    /// The records, header included when there is one.
    pub records: Vec<Record>,
}

/// One record of the file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    /// The 1-based line it starts on.
    pub line: usize,
    /// Its cells, or why it could not be read (invalid UTF-8).
    pub cells: Result<Vec<String>, String>,
}

/// The delimiter most used on the first line, outside quotes (`,` when none).
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Reads `text` with `delimiter` (detected when `None`); a leading
/// byte-order mark is dropped; rows may have fewer or more cells than the
/// header (the planner names the missing column).
pub(crate) fn read(text: &str, delimiter: Option<u8>) -> Table {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut record = csv::ByteRecord::new();
    // The reader's own line count lags behind a CRLF terminator, so a
    // record's line is counted here from its byte offset, incrementally.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1usize);
    let mut line_at = |offset: usize| {
        let mut start = offset.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += bytes[counted_to.min(start)..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = counted_to.max(start);
        line
    };
    loop {
        let offset = reader.position().byte() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let offset = record.position().map_or(offset, |p| p.byte() as usize);
                let line = line_at(offset);
                let cells = record
                    .iter()
                    .map(|c| {
                        std::str::from_utf8(c)
                            .map(|s| s.to_string())
                            .map_err(|_| "the row is not valid UTF-8 text".to_string())
                    })
                    .collect();
                // A blank line between records is skipped by the reader;
                // a row of only empty cells is kept and named.
                records.push(Record { line, cells });
            }
            Err(e) => {
                // Reading from memory only fails on malformed input; the
                // rest of the file is not trusted after it.
                records.push(Record {
                    line: line_at(offset),
                    cells: Err(format!("the file cannot be read from here on: {e}")),
                });
                break;
            }
        }
    }
    Table { delimiter, records }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(t: &Table) -> Vec<(usize, Vec<String>)> {
        t.records
            .iter()
            .map(|r| (r.line, r.cells.clone().unwrap()))
            .collect()
    }

    #[test]
    fn semicolons_tabs_and_commas_are_detected_from_the_first_line() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a\tb\n"), b'\t');
        assert_eq!(detect_delimiter("\"x;y\",b\n"), b',');
        assert_eq!(detect_delimiter("single\n"), b',');
    }

    #[test]
    fn a_bom_crlf_and_a_quoted_newline_read_as_the_user_wrote_them() {
        let t = read(
            "\u{feff}name,note\r\nann,\"two\r\nlines\"\r\nbo,x\r\n",
            None,
        );
        assert_eq!(
            cells(&t),
            vec![
                (1, vec!["name".into(), "note".into()]),
                (2, vec!["ann".into(), "two\r\nlines".into()]),
                (4, vec!["bo".into(), "x".into()]),
            ]
        );
    }
}

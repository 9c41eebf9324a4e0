//! Tables: their header and a bounded sample of their values, judged together.
//!
//! Read: delimited files (CSV, TSV, PSV, a `.txt` holding delimited records), JSON
//! lines, SQL dumps (`CREATE TABLE` column lists, `INSERT ... VALUES` and
//! `COPY ... FROM stdin` rows) and Parquet (column names and types from the footer,
//! [`super::parquet`]). The sample is bounded: at most [`MAX_ROWS`] rows of each table
//! and [`MAX_SAMPLE_BYTES`] of a delimited or JSON-lines file after its header; an SQL
//! dump is read for its statements in its first [`MAX_SQL_BYTES`]. No value is kept:
//! each is measured as it is read (is it empty, a yes/no, a date, an ICD-10 code, a
//! person's name, does it name an offence).
//!
//! What the header and the values say together ([`judge`]):
//! - a column named for a special category (`rules/pii/special.yaml`) holding a value
//!   in some row is special-category data (`special.*`); a header without rows is a
//!   schema (`special_field.*`);
//! - a person's id or name with two columns or more named for a health condition
//!   (`condition_words`) holding a yes/no per row is health data (`special.health`),
//!   whatever the header words the special-category terms know;
//! - a column whose values are ICD-10 codes, with a medical header or mostly dotted
//!   codes (`E11.9`), is diagnoses (`health.icd10`);
//! - a column on offences (`criminal_words`), or a `charge` column naming offences or
//!   next to one, is criminal offence data (`special.criminal_record`, GDPR Art 10);
//! - a person's name with a date of birth, both confirmed by their values, is a record
//!   of people (`pii.person_records`).

use std::borrow::Cow;
use std::collections::HashMap;

use super::kind::Kind;
use super::parquet::{self, Ty};
use super::{Cx, Mode, Tables, term_matches, words_of};
use crate::detect::Hit;
use crate::model::Confidence::{self, High, Medium};

/// Rows sampled per table.
pub(crate) const MAX_ROWS: usize = 200;
/// Bytes of values sampled after a delimited or JSON-lines header.
pub(crate) const MAX_SAMPLE_BYTES: usize = 64 << 10;
/// Bytes of an SQL dump read for its statements.
pub(crate) const MAX_SQL_BYTES: usize = 1 << 20;
/// Columns of a table read at most.
const MAX_COLUMNS: usize = 256;

/// How a column's sampled values look: counts of each shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Values that hold something (not empty, not a null).
    pub values: u32,
    pub booleans: u32,
    pub dates: u32,
    pub icd: u32,
    pub icd_dotted: u32,
    pub names: u32,
    pub crime: u32,
    /// Times of day and dates with a time: when something happened.
    pub times: u32,
}

/// A column: where its name is in the file, its name, what its name says, its sampled
/// values.
#[derive(Debug, Clone)]
pub(crate) struct Column<'a> {
    pub at: usize,
    pub name: &'a [u8],
    pub head: Header,
    pub stats: Stats,
    /// The declared type (Parquet), when known.
    pub ty: Option<Ty>,
}

impl<'a> Column<'a> {
    /// The column named `name`, a slice of the file's bytes `s`.
    fn new(s: &[u8], name: &'a [u8], env: &Env<'_>) -> Column<'a> {
        let at = (name.as_ptr() as usize).saturating_sub(s.as_ptr() as usize);
        Column {
            at,
            name,
            head: header(name, at, env),
            stats: Stats::default(),
            ty: None,
        }
    }
}

/// The vocabulary of tables as one lookup: each word's lists (`W_*` bits).
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    words: HashMap<&'static str, u16>,
}

const W_CONDITION: u16 = 1;
const W_PERSON: u16 = 1 << 1;
const W_BIRTH: u16 = 1 << 2;
const W_CRIMINAL: u16 = 1 << 3;
const W_CHARGE: u16 = 1 << 4;
const W_NAME: u16 = 1 << 5;
const W_QUALIFIER: u16 = 1 << 6;
const W_CRIME: u16 = 1 << 7;
const W_NULL: u16 = 1 << 8;
const W_ATTRIBUTE: u16 = 1 << 9;
const W_EVENT_PERSON: u16 = 1 << 10;

impl Vocab {
    /// The lookup of the context lists of `t` (words lower case, as the lists are).
    pub(crate) fn new(t: &Tables) -> Vocab {
        let mut words: HashMap<&'static str, u16> = HashMap::new();
        for (list, bit) in [
            (Cx::ConditionWords, W_CONDITION),
            (Cx::PersonKeyWords, W_PERSON),
            (Cx::BirthWords, W_BIRTH),
            (Cx::CriminalWords, W_CRIMINAL),
            (Cx::ChargeWords, W_CHARGE),
            (Cx::NameWords, W_NAME),
            (Cx::NameQualifiers, W_QUALIFIER),
            (Cx::CrimeValueWords, W_CRIME),
            (Cx::NullValues, W_NULL),
            (Cx::PersonAttributeWords, W_ATTRIBUTE),
            (Cx::EventPersonWords, W_EVENT_PERSON),
        ] {
            for w in t.list(list) {
                *words.entry(w).or_default() |= bit;
            }
        }
        Vocab { words }
    }

    fn word(&self, w: &str) -> u16 {
        self.words.get(w).copied().unwrap_or(0)
    }

    /// The bits of a short value or word, compared lower case.
    fn value(&self, v: &[u8]) -> u16 {
        let mut buf = [0u8; 24];
        if v.len() > buf.len() {
            return 0;
        }
        for (b, c) in buf.iter_mut().zip(v) {
            *b = c.to_ascii_lowercase();
        }
        std::str::from_utf8(&buf[..v.len()]).map_or(0, |w| self.word(w))
    }
}

/// What the readers and the judgement read: the rule tables, their vocabulary as one
/// lookup, and where a special-category term's first word was found in the file (a
/// column's name can hold a term only there).
pub(crate) struct Env<'e> {
    pub t: &'e Tables,
    pub vocab: &'e Vocab,
    /// Sorted offsets of the special-category anchors' hits; `None` when the bytes
    /// were not searched (a file's tail): every name is then tried.
    pub special_at: Option<&'e [usize]>,
}

/// A table read from a file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table<'a> {
    /// The table's name (SQL), lower case comparisons.
    pub name: &'a [u8],
    pub columns: Vec<Column<'a>>,
    /// Rows seen (Parquet: rows the file says it has).
    pub rows: u64,
    /// A delimited file whose first line is a record, not a header: a field of it is a
    /// time or a date. Its first line is one more row.
    pub headerless: bool,
}

impl<'a> Table<'a> {
    fn column(&mut self, s: &[u8], name: &'a [u8], env: &Env<'_>) -> Option<usize> {
        if let Some(i) = self.columns.iter().position(|c| c.name == name) {
            return Some(i);
        }
        if self.columns.len() >= MAX_COLUMNS {
            return None;
        }
        self.columns.push(Column::new(s, name, env));
        Some(self.columns.len() - 1)
    }
}

/// The tables of a file of kind `kind` (none for other kinds).
pub(crate) fn read<'a>(kind: Kind, s: &'a [u8], env: &Env<'_>) -> Vec<Table<'a>> {
    match kind {
        Kind::Delimited => delimited(s, env).into_iter().collect(),
        Kind::JsonLines => json_lines(s, env).into_iter().collect(),
        Kind::Sql => sql(s, env),
        Kind::Parquet => parquet_table(s, env).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The table of a Parquet file past the content limit, from its last bytes.
pub(crate) fn read_tail<'a>(tail: &'a [u8], env: &Env<'_>) -> Option<Table<'a>> {
    let (cols, rows) = parquet::schema_at_end(tail, 0)?;
    Some(parquet_columns(tail, cols, rows, env))
}

// ---- values ----------------------------------------------------------------------

fn trim(v: &[u8]) -> &[u8] {
    let mut a = 0;
    let mut b = v.len();
    while a < b && matches!(v[a], b' ' | b'\t' | b'\r' | b'"' | b'\'') {
        a += 1;
    }
    while b > a && matches!(v[b - 1], b' ' | b'\t' | b'\r' | b'"' | b'\'') {
        b -= 1;
    }
    &v[a..b]
}

/// Measure one value of a column: that it holds something, and the shapes its header
/// asks about (`want`: `M_*` bits) and ICD-10 codes, which any column may hold.
fn observe(st: &mut Stats, v: &[u8], want: u8, env: &Env<'_>) {
    let v = trim(v);
    if v.is_empty() || v == b"~" || (v.len() <= 8 && env.vocab.value(v) & W_NULL != 0) {
        return;
    }
    st.values += 1;
    if want & M_BOOL != 0 && is_bool(v) {
        st.booleans += 1;
    }
    if want & M_DATE != 0 && is_date(v) {
        st.dates += 1;
    }
    if v[0].is_ascii_uppercase()
        && let Some(dotted) = icd(v)
    {
        st.icd += 1;
        st.icd_dotted += u32::from(dotted);
    }
    if want & M_NAME != 0 && is_name(v) {
        st.names += 1;
    }
    if want & M_CRIME != 0 && names_offence(v, env) {
        st.crime += 1;
    }
    if v.len() <= 32 && memchr::memchr(b':', v).is_some() && is_time(v) {
        st.times += 1;
    }
}

/// Shapes a column's header asks its values about.
const M_BOOL: u8 = 1;
const M_DATE: u8 = 1 << 1;
const M_NAME: u8 = 1 << 2;
const M_CRIME: u8 = 1 << 3;

/// A value that holds nothing (`null_values`).
pub(crate) fn is_null(v: &[u8], t: &Tables) -> bool {
    t.list(Cx::NullValues)
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(v))
        || v == b"~"
}

fn is_bool(v: &[u8]) -> bool {
    const B: &[&[u8]] = &[
        b"0", b"1", b"yes", b"no", b"y", b"n", b"true", b"false", b"t", b"f",
    ];
    v.len() <= 5 && B.iter().any(|b| b.eq_ignore_ascii_case(v))
}

fn num(v: &[u8]) -> Option<u32> {
    (!v.is_empty() && v.len() <= 4 && v.iter().all(u8::is_ascii_digit))
        .then(|| v.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
}

/// A calendar date: `YYYY-MM-DD` (a time may follow), `DD/MM/YYYY`, `MM/DD/YYYY`,
/// `DD.MM.YYYY`, `DD-MM-YYYY`, with a real month and day.
pub(crate) fn is_date(v: &[u8]) -> bool {
    let v = match v.iter().position(|&c| c == b'T' || c == b' ') {
        Some(i) if i >= 8 => &v[..i],
        _ => v,
    };
    if v.len() > 10 {
        return false;
    }
    let Some(i) = v.iter().position(|&c| matches!(c, b'-' | b'/' | b'.')) else {
        return false;
    };
    let sep = v[i];
    let Some(j) = v[i + 1..].iter().position(|&c| c == sep).map(|j| i + 1 + j) else {
        return false;
    };
    let (a, b, c) = (&v[..i], &v[i + 1..j], &v[j + 1..]);
    if c.contains(&sep) {
        return false;
    }
    let (Some(x), Some(y), Some(z)) = (num(a), num(b), num(c)) else {
        return false;
    };
    let (year, m, d) = if a.len() == 4 {
        (x, y, z)
    } else if c.len() == 4 || c.len() == 2 {
        // DD/MM or MM/DD: either reading will do.
        let (m, d) = if y <= 12 { (y, x) } else { (x, y) };
        (if c.len() == 2 { 2000 } else { z }, m, d)
    } else {
        return false;
    };
    (1800..=2100).contains(&year) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// A time of day (`08:52`, `08:52:17`, `08:52:17.250`), alone or after a date
/// (`2024-03-11 08:52:17`, `2024-03-11T08:52:17Z`, an offset after it).
pub(crate) fn is_time(v: &[u8]) -> bool {
    let t = match v.iter().position(|&c| c == b'T' || c == b' ') {
        Some(i) if is_date(&v[..i]) => &v[i + 1..],
        Some(_) => return false,
        None => v,
    };
    // The time, without a zone (`Z`, `+01:00`) or fraction.
    let end = t
        .iter()
        .position(|&c| matches!(c, b'Z' | b'+' | b'-' | b'.' | b','))
        .unwrap_or(t.len());
    let mut parts = t[..end].split(|&c| c == b':');
    let mut limits = [24, 60, 60].into_iter();
    let mut n = 0;
    for part in parts.by_ref() {
        let Some(limit) = limits.next() else {
            return false;
        };
        if part.len() != 2 || num(part).is_none_or(|x| x >= limit) {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// An ICD-10 code (`E11`, `E11.9`, `S72.001A`): Some(dotted).
pub(crate) fn icd(v: &[u8]) -> Option<bool> {
    if !(3..=8).contains(&v.len()) || !super::is_icd_head(&v[..3]) {
        return None;
    }
    match &v[3..] {
        [] => Some(false),
        [b'.', rest @ ..]
            if (1..=4).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()) =>
        {
            Some(true)
        }
        _ => None,
    }
}

/// A person's name: one to four words of letters (apostrophes, hyphens and dots
/// inside), at least one of two letters or more, no digits.
fn is_name(v: &[u8]) -> bool {
    if v.len() < 2 || v.len() > 60 {
        return false;
    }
    let mut words = 0;
    let mut long = false;
    for w in v
        .split(|&c| c == b' ' || c == b',' || c == b'_')
        .filter(|w| !w.is_empty())
    {
        words += 1;
        let letters = w
            .iter()
            .filter(|c| c.is_ascii_alphabetic() || **c >= 0x80)
            .count();
        if letters == 0
            || !w
                .iter()
                .all(|&c| c.is_ascii_alphabetic() || c >= 0x80 || matches!(c, b'\'' | b'-' | b'.'))
        {
            return false;
        }
        long |= letters >= 2;
    }
    (1..=4).contains(&words) && long
}

/// Words of a value (letters only), lower case compared.
fn value_words(v: &[u8]) -> impl Iterator<Item = &[u8]> {
    v.split(|c| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
}

fn names_offence(v: &[u8], env: &Env<'_>) -> bool {
    v.len() <= 200 && value_words(v).any(|w| env.vocab.value(w) & W_CRIME != 0)
}

// ---- delimited -------------------------------------------------------------------

/// The delimiter of a header line: the most frequent of `,`, tab, `;`, `|`.
pub(crate) fn delimiter(line: &[u8]) -> u8 {
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|d| line.iter().filter(|&&c| c == *d).count())
        .unwrap_or(b',')
}

/// Split the records of `s` from `from` (quoted fields may hold delimiters, doubled
/// quotes and line breaks): `field(row, column, value)` for each field, until `end`
/// or `max_rows` records. Returns the records read.
fn records(
    s: &[u8],
    from: usize,
    end: usize,
    delim: u8,
    max_rows: usize,
    mut field: impl FnMut(usize, usize, usize, usize),
) -> usize {
    let mut rows = 0;
    let mut p = from;
    while p < end && rows < max_rows {
        let mut col = 0;
        let mut any = false;
        loop {
            // One field from p.
            let (a, b, next);
            if p < end && s[p] == b'"' {
                let mut q = p + 1;
                loop {
                    match memchr::memchr(b'"', &s[q..end]) {
                        Some(i) if q + i + 1 < end && s[q + i + 1] == b'"' => q = q + i + 2,
                        Some(i) => {
                            q += i;
                            break;
                        }
                        None => {
                            q = end;
                            break;
                        }
                    }
                }
                a = p + 1;
                b = q;
                let mut r = (q + 1).min(end);
                while r < end && s[r] != delim && s[r] != b'\n' {
                    r += 1;
                }
                next = r;
            } else {
                let mut r = p;
                while r < end && s[r] != delim && s[r] != b'\n' {
                    r += 1;
                }
                a = p;
                b = r;
                next = r;
            }
            if b > a || col > 0 {
                any = true;
            }
            field(rows, col, a, b);
            col += 1;
            if next < end && s[next] == delim {
                p = next + 1;
                continue;
            }
            p = (next + 1).min(end.max(next));
            break;
        }
        if any {
            rows += 1;
        }
    }
    rows
}

/// A delimited file: its header line and the rows after it.
fn delimited<'a>(s: &'a [u8], env: &Env<'_>) -> Option<Table<'a>> {
    let bom = if s.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let header_end = memchr::memchr(b'\n', s).unwrap_or(s.len());
    let line = &s[bom..header_end];
    let delim = delimiter(line);
    let mut table = Table::default();
    // Every header field keeps its place, empty ones too.
    for raw in line.split(|&c| c == delim).take(MAX_COLUMNS) {
        let field = trim(raw);
        table.headerless |= is_time(field) || is_date(field);
        table.columns.push(Column::new(s, field, env));
    }
    if table.headerless {
        // Its first line is a record: which column holds people the values say.
        for c in &mut table.columns {
            c.head.want |= M_NAME;
        }
    }
    let from = (header_end + 1).min(s.len());
    let end = s.len().min(from + MAX_SAMPLE_BYTES);
    let cols = &mut table.columns;
    let rows = records(s, from, end, delim, MAX_ROWS, |_, c, a, b| {
        if let Some(col) = cols.get_mut(c) {
            observe(&mut col.stats, &s[a..b], col.head.want, env);
        }
    });
    table.rows = rows as u64;
    Some(table)
}

// ---- JSON lines ------------------------------------------------------------------

fn skip_ws(s: &[u8], mut p: usize) -> usize {
    while p < s.len() && s[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

/// The end of a JSON string opened at `p` (one past its closing quote), within `end`.
pub(crate) fn string_end(s: &[u8], p: usize, end: usize) -> usize {
    let mut q = p + 1;
    while q < end && s[q] != b'"' && s[q] != b'\n' {
        q += if s[q] == b'\\' { 2 } else { 1 };
    }
    (q + 1).min(end)
}

/// The end of the JSON value at `p` (balanced brackets, strings skipped), within `end`.
fn value_end(s: &[u8], p: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut q = p;
    while q < end {
        match s[q] {
            b'"' => {
                q = string_end(s, q, end);
                if depth == 0 {
                    return q;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return q;
                }
                depth -= 1;
                if depth == 0 {
                    return q + 1;
                }
            }
            b',' | b'\n' if depth == 0 => return q,
            _ => {}
        }
        q += 1;
    }
    end
}

/// JSON lines: one object per line; its top-level keys are the columns.
fn json_lines<'a>(s: &'a [u8], env: &Env<'_>) -> Option<Table<'a>> {
    let end = s.len().min(MAX_SAMPLE_BYTES);
    let mut table = Table::default();
    let mut p = 0;
    while p < end && (table.rows as usize) < MAX_ROWS {
        let le = memchr::memchr(b'\n', &s[p..end]).map_or(end, |i| p + i);
        let mut q = skip_ws(s, p);
        if q < le && s[q] == b'{' {
            table.rows += 1;
            q += 1;
            loop {
                q = skip_ws(s, q);
                if q >= le || s[q] != b'"' {
                    break;
                }
                let ke = string_end(s, q, le);
                let key = &s[q + 1..ke.saturating_sub(1).max(q + 1)];
                let c = skip_ws(s, ke);
                if c >= le || s[c] != b':' {
                    break;
                }
                let v = skip_ws(s, c + 1);
                let ve = value_end(s, v, le);
                if let Some(i) = table.column(s, key, env) {
                    let value = &s[v..ve.max(v)];
                    let value = if value == b"null" { &b""[..] } else { value };
                    let c = &mut table.columns[i];
                    observe(&mut c.stats, value, c.head.want, env);
                }
                q = skip_ws(s, ve);
                if q < le && s[q] == b',' {
                    q += 1;
                } else {
                    break;
                }
            }
        }
        p = le + 1;
    }
    (!table.columns.is_empty()).then_some(table)
}

// ---- SQL -------------------------------------------------------------------------

fn starts_ci(s: &[u8], p: usize, w: &[u8]) -> bool {
    s.len() >= p + w.len() && s[p..p + w.len()].eq_ignore_ascii_case(w)
}

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// A (possibly quoted, possibly schema-qualified) SQL name at `p`: (last part's
/// start, its bytes, end).
fn sql_name(s: &[u8], mut p: usize, end: usize) -> Option<(usize, &[u8], usize)> {
    let mut last = None;
    loop {
        p = skip_ws(s, p);
        if p >= end {
            break;
        }
        let (a, b, next) = match s[p] {
            q @ (b'"' | b'`' | b'[') => {
                let close = if q == b'[' { b']' } else { q };
                let e = memchr::memchr(close, &s[p + 1..end]).map(|i| p + 1 + i)?;
                (p + 1, e, e + 1)
            }
            c if ident_byte(c) => {
                let mut e = p;
                while e < end && ident_byte(s[e]) {
                    e += 1;
                }
                (p, e, e)
            }
            _ => break,
        };
        last = Some((a, &s[a..b], next));
        if next < end && s[next] == b'.' {
            p = next + 1;
            continue;
        }
        break;
    }
    last
}

/// The items of a parenthesised list at `p` (`(` there): each item's span, split on
/// top-level commas, strings skipped. Returns the spans and the end (past `)`).
fn paren_items(s: &[u8], p: usize, end: usize) -> Option<(Vec<(usize, usize)>, usize)> {
    if p >= end || s[p] != b'(' {
        return None;
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = p + 1;
    let mut q = p + 1;
    while q < end {
        match s[q] {
            b'\'' => {
                q += 1;
                while q < end {
                    if s[q] == b'\\' {
                        q += 2;
                        continue;
                    }
                    if s[q] == b'\'' {
                        if q + 1 < end && s[q + 1] == b'\'' {
                            q += 2;
                            continue;
                        }
                        break;
                    }
                    q += 1;
                }
            }
            b'(' => depth += 1,
            b')' if depth == 0 => {
                items.push((start, q));
                return Some((items, q + 1));
            }
            b')' => depth -= 1,
            b',' if depth == 0 => {
                items.push((start, q));
                start = q + 1;
            }
            _ => {}
        }
        q += 1;
        if items.len() > MAX_COLUMNS * 4 {
            return None;
        }
    }
    None
}

const CONSTRAINTS: &[&[u8]] = &[
    b"constraint",
    b"primary",
    b"foreign",
    b"unique",
    b"key",
    b"index",
    b"check",
    b"fulltext",
    b"spatial",
    b"exclude",
    b"like",
    b"period",
];

/// The columns a statement's values go to: its column list at `p` (read up to `end`;
/// a name the table lacks is added), with the offset past the list; without a list,
/// the table's columns in order.
fn column_order<'a>(
    table: &mut Table<'a>,
    s: &'a [u8],
    p: usize,
    end: usize,
    env: &Env<'_>,
) -> (Vec<usize>, Option<usize>) {
    match paren_items(s, p, end) {
        Some((items, close)) => {
            let order = items
                .into_iter()
                .filter_map(|(a, b)| {
                    let (_, col, _) = sql_name(s, a, b)?;
                    table.column(s, col, env)
                })
                .collect();
            (order, Some(close))
        }
        None => ((0..table.columns.len()).collect(), None),
    }
}

/// An SQL dump's tables: columns from `CREATE TABLE`, rows from `INSERT ... VALUES`
/// and `COPY ... FROM stdin`, matched by table name.
fn sql<'a>(s: &'a [u8], env: &Env<'_>) -> Vec<Table<'a>> {
    let end = s.len().min(MAX_SQL_BYTES);
    let mut tables: Vec<Table<'a>> = Vec::new();
    let find = |tables: &mut Vec<Table<'a>>, name: &'a [u8]| -> usize {
        match tables
            .iter()
            .position(|x| x.name.eq_ignore_ascii_case(name))
        {
            Some(i) => i,
            None => {
                tables.push(Table {
                    name,
                    ..Table::default()
                });
                tables.len() - 1
            }
        }
    };
    let mut p = 0;
    while p < end {
        let ls = skip_ws(s, p);
        let le = memchr::memchr(b'\n', &s[ls.min(end)..end]).map_or(end, |i| ls + i);
        let mut next = le + 1;
        if starts_ci(s, ls, b"create table") || starts_ci(s, ls, b"create temporary table") {
            let mut q = ls
                + if starts_ci(s, ls, b"create table") {
                    12
                } else {
                    22
                };
            q = skip_ws(s, q);
            if starts_ci(s, q, b"if not exists") {
                q += 13;
            }
            if let Some((_, name, ne)) = sql_name(s, q, end) {
                let open = skip_ws(s, ne);
                if let Some((items, close)) = paren_items(s, open, end) {
                    let i = find(&mut tables, name);
                    for (a, b) in items {
                        if let Some((_, col, _)) = sql_name(s, a, b)
                            && !CONSTRAINTS.iter().any(|c| c.eq_ignore_ascii_case(col))
                        {
                            tables[i].column(s, col, env);
                        }
                    }
                    next = close;
                }
            }
        } else if starts_ci(s, ls, b"insert into") || starts_ci(s, ls, b"insert ignore into") {
            let q = ls
                + if starts_ci(s, ls, b"insert into") {
                    11
                } else {
                    18
                };
            if let Some((_, name, ne)) = sql_name(s, q, end) {
                let i = find(&mut tables, name);
                let mut q = skip_ws(s, ne);
                let (order, close) = column_order(&mut tables[i], s, q, end, env);
                if let Some(close) = close {
                    q = skip_ws(s, close);
                }
                if starts_ci(s, q, b"values") {
                    q = skip_ws(s, q + 6);
                    while let Some((items, close)) = paren_items(s, q, end) {
                        if (tables[i].rows as usize) < MAX_ROWS {
                            tables[i].rows += 1;
                            for (k, (a, b)) in items.into_iter().enumerate() {
                                if let Some(&c) = order.get(k) {
                                    let v = trim(&s[a..b]);
                                    let v = if v.eq_ignore_ascii_case(b"null") {
                                        &b""[..]
                                    } else {
                                        v
                                    };
                                    let col = &mut tables[i].columns[c];
                                    observe(&mut col.stats, v, col.head.want, env);
                                }
                            }
                        }
                        q = skip_ws(s, close);
                        if q < end && s[q] == b',' {
                            q = skip_ws(s, q + 1);
                        } else {
                            break;
                        }
                    }
                    next = q;
                }
            }
        } else if starts_ci(s, ls, b"copy ")
            && let Some((_, name, ne)) = sql_name(s, ls + 5, le)
        {
            let i = find(&mut tables, name);
            let q = skip_ws(s, ne);
            let (order, close) = column_order(&mut tables[i], s, q, le, env);
            let q = close.unwrap_or(q);
            let rest = &s[q..le];
            if memchr::memmem::find(&rest.to_ascii_lowercase(), b"from stdin").is_some() {
                // Rows, tab-separated, until `\.`.
                let mut r = le + 1;
                while r < end {
                    let re = memchr::memchr(b'\n', &s[r..end]).map_or(end, |i| r + i);
                    let row = &s[r..re];
                    if row == b"\\." || row == b"\\.\r" {
                        r = re + 1;
                        break;
                    }
                    if (tables[i].rows as usize) < MAX_ROWS {
                        tables[i].rows += 1;
                        for (k, v) in row.split(|&c| c == b'\t').enumerate() {
                            if let Some(&c) = order.get(k) {
                                let col = &mut tables[i].columns[c];
                                observe(&mut col.stats, v, col.head.want, env);
                            }
                        }
                    }
                    r = re + 1;
                }
                next = r;
            }
        }
        p = next.max(le + 1);
    }
    tables
}

// ---- Parquet ---------------------------------------------------------------------

fn parquet_table<'a>(s: &'a [u8], env: &Env<'_>) -> Option<Table<'a>> {
    let (cols, rows) = parquet::schema(s)?;
    Some(parquet_columns(s, cols, rows, env))
}

fn parquet_columns<'a>(
    s: &'a [u8],
    cols: Vec<parquet::Col>,
    rows: u64,
    env: &Env<'_>,
) -> Table<'a> {
    let mut table = Table {
        rows,
        ..Table::default()
    };
    for c in cols {
        let mut col = Column::new(s, &s[c.at..c.at + c.len], env);
        col.ty = Some(c.ty);
        table.columns.push(col);
    }
    table
}

// ---- the judgement ---------------------------------------------------------------

/// What a column's header says.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    terms: Vec<(&'static str, Mode)>,
    condition: bool,
    person: bool,
    /// Describes the person a row is about (age, sex, height...).
    attribute: bool,
    name: bool,
    birth: bool,
    criminal: bool,
    charge: bool,
    medical: bool,
    /// Names the person an event is about (`event_person_words`: `student_id`, `user`).
    event_person: bool,
    /// Refers to a record (`diagnosis_id`): its terms count only in a person's row.
    reference: bool,
    /// The value shapes to measure (`M_*`).
    want: u8,
}

/// What the name of a column at `at` says.
fn header(name: &[u8], at: usize, env: &Env<'_>) -> Header {
    let t = env.t;
    let words = words_of(name);
    let mut all = 0u16;
    let mut every_name_part = !words.is_empty();
    for w in &words {
        let f = env.vocab.word(w);
        all |= f;
        every_name_part &= f & (W_NAME | W_QUALIFIER) != 0;
    }
    let mut h = Header {
        condition: all & W_CONDITION != 0,
        person: all & W_PERSON != 0,
        attribute: all & W_ATTRIBUTE != 0,
        birth: all & W_BIRTH != 0,
        criminal: all & W_CRIMINAL != 0,
        charge: all & W_CHARGE != 0,
        name: all & W_NAME != 0 && every_name_part,
        event_person: all & W_EVENT_PERSON != 0,
        ..Header::default()
    };
    h.medical = h.condition
        || words
            .iter()
            .any(|w| w == "icd" || w == "dx" || w.starts_with("diagnos"));
    // A term's first word is an anchor: without one in the name, no term is.
    let anchored = env.special_at.is_none_or(|hits| {
        let i = hits.partition_point(|&o| o < at);
        hits.get(i).is_some_and(|&o| o < at + name.len())
    });
    h.reference = super::special::refers(&words, t);
    if anchored {
        for (term, id, mode) in t.special {
            let m = if *mode == Mode::Part {
                Mode::Part
            } else {
                Mode::Exact
            };
            if term_matches(&words, term, m, t.affixes) && !h.terms.iter().any(|(x, _)| x == id) {
                h.terms.push((id, *mode));
            }
        }
    }
    h.want = if h.condition { M_BOOL } else { 0 }
        | if h.birth { M_DATE } else { 0 }
        | if h.name { M_NAME } else { 0 }
        | if h.charge { M_CRIME } else { 0 };
    h
}

/// A finding of the judgement: (offset, signal, category, confidence).
pub(crate) type Found = (usize, &'static str, &'static str, Confidence);

/// Judge a table: what its header and sampled values say together.
pub(crate) fn judge(table: &Table<'_>, kind: Kind, out: &mut Vec<Found>) {
    let parquet = kind == Kind::Parquet;
    let headers: Vec<&Header> = table.columns.iter().map(|c| &c.head).collect();
    let filled = |c: &Column<'_>| c.stats.values > 0 || (parquet && table.rows > 0);
    let mut criminal_column = false;
    // A row is a person's when a column names or identifies them, or two describe them.
    let person =
        headers.iter().any(|h| h.person) || headers.iter().filter(|h| h.attribute).count() >= 2;
    for (c, h) in table.columns.iter().zip(&headers) {
        // `diagnosis_id`: a reference is special-category data only in a row that names
        // its person (`patient_id,diagnosis_id`), and never a schema's field.
        if h.reference && !(headers.iter().any(|h| h.event_person) && filled(c)) {
            continue;
        }
        for &(id, mode) in &h.terms {
            if filled(c) {
                out.push((c.at, id, "special_category", High));
            } else if table.rows == 0 && mode != Mode::HeaderOnly {
                // A header without rows: a template, a schema.
                out.push((c.at, super::field_id(id), "special_field", Medium));
            }
        }
        criminal_column |= h.criminal && !h.condition && filled(c);
    }
    let conditions: Vec<usize> = table
        .columns
        .iter()
        .zip(&headers)
        .enumerate()
        .filter(|(_, (c, h))| {
            h.condition
                && if parquet {
                    c.ty == Some(Ty::Bool) && table.rows > 0
                } else {
                    c.stats.values > 0 && c.stats.booleans == c.stats.values
                }
        })
        .map(|(i, _)| i)
        .collect();
    if person && conditions.len() >= 2 {
        out.push((
            table.columns[conditions[0]].at,
            "special.health",
            "special_category",
            High,
        ));
    }
    for (c, h) in table.columns.iter().zip(&headers) {
        let st = c.stats;
        if st.icd > 0
            && st.icd * 10 >= st.values * 8
            && (h.medical || (st.values >= 3 && st.icd_dotted * 2 >= st.values))
        {
            out.push((c.at, "health.icd10", "health", High));
        }
        let charged = h.charge && filled(c) && (st.crime > 0 || criminal_column);
        if person && !h.condition && ((h.criminal && filled(c)) || charged) {
            out.push((c.at, "special.criminal_record", "special_category", High));
        }
    }
    let confirmed = |c: &Column<'_>, n: u32, ty: Ty| {
        if parquet {
            table.rows > 0 && c.ty == Some(ty)
        } else {
            c.stats.values > 0 && n * 2 >= c.stats.values
        }
    };
    let name = table
        .columns
        .iter()
        .zip(&headers)
        .find(|(c, h)| h.name && confirmed(c, c.stats.names, Ty::Text));
    let birth = table
        .columns
        .iter()
        .zip(&headers)
        .any(|(c, h)| h.birth && confirmed(c, c.stats.dates, Ty::Date));
    if let (Some((c, _)), true) = (name, birth) {
        out.push((c.at, "pii.person_records", "pii", High));
    }
    // Every sampled row says when: a record of events; of events about people when a
    // column names them (its header, or, without one, every value a name).
    let rows = table.rows + u64::from(table.headerless);
    if !parquet
        && rows >= 2
        && let Some(c) = table
            .columns
            .iter()
            .find(|c| c.stats.values > 0 && c.stats.times == c.stats.values)
    {
        out.push((c.at, super::TIMESTAMPED_ROWS, "schema", High));
        let people = table.columns.iter().find(|c| {
            c.stats.values > 0
                && (c.head.event_person || table.headerless && c.stats.names == c.stats.values)
        });
        if let Some(p) = people {
            out.push((p.at, super::events::PERSON_EVENTS, "pii", Medium));
        }
    }
}

/// The keyword groups found in the column names of `tables` (SQL): the columns are
/// the values' context, as a CSV header is. `found[g]` is set for each group `g` of
/// `keywords` one of whose words stands in a column name.
pub(crate) fn column_keywords(tables: &[Table<'_>], keywords: &[&[&str]], found: &mut [bool]) {
    for table in tables {
        for c in &table.columns {
            for (g, lits) in keywords.iter().enumerate() {
                found[g] = found[g] || lits.iter().any(|lit| names_keyword(c.name, lit));
            }
        }
    }
}

/// Whether keyword `lit` (a trailing `*`: a prefix) stands as a word in `name`.
fn names_keyword(name: &[u8], lit: &str) -> bool {
    let (stem, prefix) = match lit.strip_suffix('*') {
        Some(l) => (l.as_bytes(), true),
        None => (lit.as_bytes(), false),
    };
    if stem.is_empty() || stem.len() > name.len() {
        return false;
    }
    (0..=name.len() - stem.len()).any(|o| {
        name[o..o + stem.len()].eq_ignore_ascii_case(stem)
            && super::word_at(name, o, stem.len(), prefix)
    })
}

/// The found items as hits.
pub(crate) fn hits(found: &[Found], out: &mut Vec<Hit>) {
    for &(offset, id, category, confidence) in found {
        out.push(Hit {
            id: Cow::Borrowed(id),
            category: Cow::Borrowed(category),
            confidence,
            offset,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::TABLES;
    use super::*;

    /// Where the special-category terms' first words are in `text`, as the
    /// prefilter's anchors would find them.
    fn special_at(text: &[u8]) -> Vec<usize> {
        let lower = text.to_ascii_lowercase();
        let mut at: Vec<usize> = TABLES
            .special
            .iter()
            .flat_map(|(w, _, _)| {
                memchr::memmem::find_iter(&lower, w[0].as_bytes()).collect::<Vec<_>>()
            })
            .collect();
        at.sort_unstable();
        at.dedup();
        at
    }

    fn judged(path: &str, text: &[u8]) -> Vec<&'static str> {
        let kind = super::super::kind::kind_of(path, text, &TABLES);
        let vocab = Vocab::new(&TABLES);
        let at = special_at(text);
        let env = Env {
            t: &TABLES,
            vocab: &vocab,
            special_at: Some(&at),
        };
        let mut out = Vec::new();
        for table in read(kind, text, &env) {
            judge(&table, kind, &mut out);
        }
        let mut ids: Vec<&str> = out.iter().map(|f| f.1).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    #[test]
    fn value_shapes() {
        for d in [
            "1985-03-07",
            "07/03/1985",
            "03/27/1985",
            "07.03.1985",
            "2001-12-31T10:00:00Z",
        ] {
            assert!(is_date(d.as_bytes()), "{d}");
        }
        for d in [
            "1985-13-07",
            "20110915-0803",
            "12/34/56x",
            "1.2.3",
            "v1.2.2020",
        ] {
            assert!(!is_date(d.as_bytes()), "{d}");
        }
        assert_eq!(icd(b"E11.9"), Some(true));
        assert_eq!(icd(b"I10"), Some(false));
        assert_eq!(icd(b"U07.1"), None);
        assert_eq!(icd(b"E11.99999"), None);
        assert!(is_name(b"miguel hernandez") && is_name(b"O'Brien, Mary-Jane"));
        assert!(!is_name(b"Widget 3000") && !is_name(b"x"));
        assert!(is_bool(b"Yes") && is_bool(b"0") && !is_bool(b"2"));
        for t in [
            "08:52",
            "08:52:17",
            "23:59:59.250",
            "2024-03-11 08:52:17",
            "2024-03-11T08:52:17Z",
            "2024-03-11T08:52:17+01:00",
        ] {
            assert!(is_time(t.as_bytes()), "{t}");
        }
        for t in [
            "24:00",
            "8:52",
            "08:60",
            "1:2:3",
            "12:34:56:78",
            "v1 08:52",
            "a:b",
            "2024-03-11",
        ] {
            assert!(!is_time(t.as_bytes()), "{t}");
        }
    }

    #[test]
    fn rows_that_each_say_when_are_a_record_of_events() {
        let log = b"MARIA_JANSEN,08:52:17\nTOM_OKAFOR,09:03:40\n";
        assert_eq!(
            judged("Attendance/day.csv", log),
            [
                super::super::events::PERSON_EVENTS,
                super::super::TIMESTAMPED_ROWS
            ]
        );
        let users = b"user_id,at\n42,2024-03-11 08:52:17\n43,2024-03-11 09:03:40\n";
        assert_eq!(
            judged("events.csv", users),
            [
                super::super::events::PERSON_EVENTS,
                super::super::TIMESTAMPED_ROWS
            ]
        );
        // A step trace without a header names no one.
        let steps = b"3,08:52:17\n4,09:03:40\n";
        assert_eq!(judged("steps.csv", steps), [super::super::TIMESTAMPED_ROWS]);
        let with_header = b"who,at\nmaria,2024-03-11 08:52:17\ntom,2024-03-11 09:03:40\n";
        assert_eq!(
            judged("events.csv", with_header),
            [super::super::TIMESTAMPED_ROWS]
        );
        // One row, or a column that only sometimes holds a time, says no such thing.
        assert!(judged("events.csv", b"who,at\nmaria,08:52:17\n").is_empty());
        assert!(judged("opening.csv", b"day,opens\nmon,08:00\ntue,closed\n").is_empty());
    }

    #[test]
    fn a_table_of_conditions_per_person_is_health_data() {
        let csv = b"patient_id,age,diabetes,chronic_disease,transplant\n1,54,1,0,0\n2,61,0,1,1\n";
        assert_eq!(judged("cohort.csv", csv), ["special.health"]);
        // The same columns holding measurements, or no one's id: not a condition table.
        let csv = b"patient_id,diabetes,chronic_disease\n1,7.2,high\n";
        assert!(judged("cohort.csv", csv).is_empty());
        let csv = b"region,diabetes,transplant\nnorth,1,0\n";
        assert!(judged("rates.csv", csv).is_empty());
        // Rows described as people (two of age, sex, height, weight...) are people's.
        let csv = b"Age,Diabetes,AnyChronicDiseases,Height,Weight\n55,1,0,181,93\n24,0,1,169,109\n";
        assert_eq!(judged("premiums.csv", csv), ["special.health"]);
        let csv = b"Age,Diabetes,AnyChronicDiseases\n55,1,0\n";
        assert!(judged("premiums.csv", csv).is_empty());
    }

    #[test]
    fn names_with_birth_dates_are_person_records() {
        let csv = b"first_name,last_name,date_of_birth,city\nJane,Doe,1985-03-07,Lyon\n";
        assert_eq!(judged("people.csv", csv), ["pii.person_records"]);
        let csv = b"product_name,release_date\nWidget,2020-01-01\n";
        assert!(judged("products.csv", csv).is_empty());
        let csv = b"name,birth_place\nJane Doe,Lyon\n";
        assert!(judged("people.csv", csv).is_empty());
    }

    #[test]
    fn offences_are_art_10() {
        let csv = b"id,name,c_charge_desc,c_charge_degree\n1,ann lee,Grand Theft,F\n";
        assert_eq!(judged("cases.csv", csv), ["special.criminal_record"]);
        let csv = b"id,name,prior_convictions\n1,ann lee,2\n";
        assert_eq!(judged("cases.csv", csv), ["special.criminal_record"]);
        // A card charge is no offence.
        let csv = b"invoice,charge,charge_desc\n1,12.50,Monthly subscription\n";
        assert!(judged("billing.csv", csv).is_empty());
    }

    #[test]
    fn special_columns_need_a_value() {
        assert_eq!(
            judged("p.csv", b"id,ethnicity\n1,Asian\n"),
            ["special.ethnicity"]
        );
        assert_eq!(
            judged("p.csv", b"id,ethnicity\n"),
            ["special_field.ethnicity"]
        );
        assert!(judged("p.csv", b"id,ethnicity\n1,\n2,NULL\n").is_empty());
        assert_eq!(judged("p.csv", b"id,health\n1,poor\n"), ["special.health"]);
        assert!(judged("p.csv", b"id,health\n").is_empty());
    }

    #[test]
    fn icd_columns() {
        let csv = b"visit,code\n1,E11.9\n2,I10.0\n3,J45.909\n";
        assert_eq!(judged("visits.csv", csv), ["health.icd10"]);
        let csv = b"seat,row\nA10,1\nB12,2\nC11,3\n";
        assert!(judged("seats.csv", csv).is_empty());
    }

    #[test]
    fn json_lines_and_sql_dumps() {
        let jl = b"{\"patient_id\": 1, \"diabetes\": true, \"hiv\": false}\n{\"patient_id\": 2, \"diabetes\": false, \"hiv\": true}\n";
        assert!(judged("c.jsonl", jl).contains(&"special.health"));
        let dump = b"CREATE TABLE patients (\n  id integer,\n  race varchar(20),\n  dob date\n);\nINSERT INTO patients VALUES (1, 'White', '1980-01-02'), (2, 'Asian', NULL);\n";
        assert_eq!(judged("dump.sql", dump), ["special.ethnicity"]);
        let ddl = b"CREATE TABLE patients (\n  id integer,\n  race varchar(20)\n);\n";
        assert_eq!(judged("schema.sql", ddl), ["special_field.ethnicity"]);
        let copy = b"COPY public.people (id, full_name, birth_date) FROM stdin;\n1\tJane Doe\t1985-03-07\n\\.\n";
        assert_eq!(judged("dump.sql", copy), ["pii.person_records"]);
        let insert = b"INSERT INTO `cases` (`id`, `offence`) VALUES (1,'Burglary');\n";
        assert_eq!(judged("dump.sql", insert), ["special.criminal_record"]);
    }

    #[test]
    fn parquet_columns() {
        let f = parquet::write::file(
            &[
                ("patient_id", 2, None),
                ("diabetes", 0, None),
                ("hypertension", 0, None),
            ],
            10,
        );
        assert_eq!(judged("c.parquet", &f), ["special.health"]);
        let f = parquet::write::file(&[("id", 2, None), ("ethnicity", 6, Some(0))], 10);
        assert_eq!(judged("c.parquet", &f), ["special.ethnicity"]);
        let f = parquet::write::file(&[("id", 2, None), ("ethnicity", 6, Some(0))], 0);
        assert_eq!(judged("c.parquet", &f), ["special_field.ethnicity"]);
    }
}

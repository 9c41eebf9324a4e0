//! Special-category field names (GDPR Art 9 and Art 10), judged by the form they are
//! found in: data, schema, or talk.
//!
//! - **Data** (`special.*`, high): a record's field holding a value. A JSON, JSON-lines
//!   or YAML key whose value is a scalar that is data (not a type name, a null, an
//!   empty string, nor a label repeating the field's own words), an array, or an
//!   object that is not a schema; an XML element or attribute with a value, or a
//!   Liquibase-style `<column name="race" value="...">`. Tables (CSV, SQL rows,
//!   Parquet) are judged by [`super::table`].
//! - **Schema** (`special_field.*`, medium): a declared field. DDL columns (`race
//!   VARCHAR`), typed fields and parameters in code (`race: str`, `private String
//!   race;`, `Race string`), ORM and migration columns (a `schema_markers` text on the
//!   line: `race = Column(...)`, `t.string :race`), JSON Schema / OpenAPI / Avro fields,
//!   protobuf and GraphQL fields, a JSON or YAML key whose value is a type name or a
//!   schema object, an XML column definition with a `type`.
//! - **Talk** (nothing): prose files, comments and docstrings, string literals that are
//!   not a bare field name, UI labels and translations, constants (`VIEW_HIV_PROGRAM`),
//!   class, type and function names (`class Race`), uses of a name in code
//!   (`race = row["race"]`, `patient.race = x`), machine output.

use super::kind::{Kind, Region, SQL_SYNTAX, Syntax, region_at, regions};
use super::table::{Table, is_null, string_end};
use super::{Cx, Mode, Scan, alnum, field_id, term_matches, words_of};
use crate::model::Confidence::{High, Medium};

/// The form a special-category name was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Form {
    Data,
    Schema,
}

fn ident(b: u8) -> bool {
    alnum(b) || b == b'_'
}

fn skip_blanks(s: &[u8], mut p: usize) -> usize {
    while p < s.len() && matches!(s[p], b' ' | b'\t') {
        p += 1;
    }
    p
}

fn back_blanks(s: &[u8], mut p: usize) -> usize {
    while p > 0 && matches!(s[p - 1], b' ' | b'\t') {
        p -= 1;
    }
    p
}

fn line_start(s: &[u8], p: usize) -> usize {
    memchr::memrchr(b'\n', &s[..p]).map_or(0, |i| i + 1)
}

fn line_end(s: &[u8], p: usize) -> usize {
    memchr::memchr(b'\n', &s[p..]).map_or(s.len(), |i| p + i)
}

/// The identifier-like word (letters, digits, `_`, `$`) ending at `p`, blanks before
/// `p` skipped.
fn word_before(s: &[u8], p: usize) -> &[u8] {
    let e = back_blanks(s, p);
    let mut a = e;
    while a > 0 && (ident(s[a - 1]) || s[a - 1] == b'$') {
        a -= 1;
    }
    &s[a..e]
}

/// The word starting at `p`.
fn word_at(s: &[u8], p: usize) -> &[u8] {
    let mut e = p;
    while e < s.len() && ident(s[e]) {
        e += 1;
    }
    &s[p..e]
}

fn in_list(list: &[&str], w: &[u8]) -> bool {
    list.iter().any(|x| x.as_bytes().eq_ignore_ascii_case(w))
}

fn in_list_exact(list: &[&str], w: &[u8]) -> bool {
    list.iter().any(|x| x.as_bytes() == w)
}

/// Whether a field named by `words` refers to a record (its last word is one of
/// `reference_words`: `diagnosis_id`, `race_uuid`) rather
/// than holding a special-category value: the record referred to is judged by its own
/// fields.
pub(super) fn refers(words: &[String], t: &super::Tables) -> bool {
    words.len() > 1
        && words
            .last()
            .is_some_and(|w| t.list(Cx::ReferenceWords).contains(&w.as_str()))
}

/// Whether the XML element around `at` (its start tag) has an attribute naming a
/// person it is about (`patient_id`, `person_id`: a word of `event_person_words`).
fn xml_record_of_person(s: &[u8], at: usize, t: &super::Tables) -> bool {
    let Some(lt) =
        memchr::memrchr(b'<', &s[at.saturating_sub(4096)..at]).map(|i| at.saturating_sub(4096) + i)
    else {
        return false;
    };
    let gt = memchr::memchr(b'>', &s[at..s.len().min(at + 4096)]).map_or(s.len(), |i| at + i);
    let tag = &s[lt..gt];
    let people = t.list(Cx::EventPersonWords);
    memchr::memchr_iter(b'=', tag).any(|k| {
        let mut a = k;
        while a > 0 && (tag[a - 1].is_ascii_alphanumeric() || tag[a - 1] == b'_') {
            a -= 1;
        }
        words_of(&tag[a..k])
            .iter()
            .any(|w| people.contains(&w.as_str()))
    })
}

impl Scan<'_, '_> {
    /// Special-category names outside tables, each judged by its form.
    pub(super) fn special(&mut self, tables: &[Table<'_>]) {
        let st = self.st;
        let kind = st.kind;
        match kind {
            Kind::Json
            | Kind::JsonLines
            | Kind::Yaml
            | Kind::Xml
            | Kind::Sql
            | Kind::Schema
            | Kind::Code(_) => {}
            // Tables are judged whole; the rest holds no field of a record.
            _ => return,
        }
        let t = self.pii.tables;
        let s = st.s;
        let mut regions: Option<Vec<(usize, usize, Region)>> = None;
        let mut found: Vec<(usize, &'static str, Form)> = Vec::new();
        let mut ids: Vec<&'static str> = Vec::new();
        for &(id, len) in &self.pii.special {
            for &o in st.ctx.hits(id) {
                // Left boundary: start of an identifier word.
                if o > 0 {
                    let p = s[o - 1];
                    if p.is_ascii_alphabetic()
                        && !(p.is_ascii_lowercase() && s[o].is_ascii_uppercase())
                    {
                        continue;
                    }
                }
                if o + len > s.len() {
                    continue;
                }
                let mut l = o;
                while l > 0 && ident(s[l - 1]) && o - l < 64 {
                    l -= 1;
                }
                let mut r = o + len;
                while r < s.len() && ident(s[r]) && r - o < 64 {
                    r += 1;
                }
                let words = words_of(&s[l..r]);
                // `diagnosis_id`, `race_uuid`: a reference, no value; unless the record
                // holding it names a person (`<encounter_diagnosis patient_id="2"
                // diagnosis_id="1">`): then it is that person's diagnosis.
                if refers(&words, t) && !(kind == Kind::Xml && xml_record_of_person(s, l, t)) {
                    continue;
                }
                ids.clear();
                for (term, sid, mode) in t.special {
                    if *mode != Mode::HeaderOnly
                        && term_matches(&words, term, *mode, t.affixes)
                        && !ids.contains(sid)
                    {
                        ids.push(sid);
                    }
                }
                if ids.is_empty() {
                    continue;
                }
                let form = match kind {
                    Kind::Json | Kind::JsonLines => self.json_form(l, r, &words),
                    Kind::Yaml => {
                        let rg = regions.get_or_insert_with(|| {
                            regions_of(
                                s,
                                Syntax {
                                    hash: true,
                                    single: true,
                                    ..Syntax::default()
                                },
                            )
                        });
                        if in_comment(rg, l) {
                            None
                        } else {
                            self.yaml_form(l, r, &words)
                        }
                    }
                    Kind::Xml => {
                        let rg = regions.get_or_insert_with(|| {
                            regions_of(
                                s,
                                Syntax {
                                    angle: true,
                                    ..Syntax::default()
                                },
                            )
                        });
                        if in_comment(rg, l) {
                            None
                        } else {
                            self.xml_form(l, r, &words)
                        }
                    }
                    Kind::Sql => {
                        let rg = regions.get_or_insert_with(|| regions_of(s, SQL_SYNTAX));
                        let name = &s[l..r];
                        let with_rows = tables.iter().any(|tb| {
                            tb.rows > 0
                                && tb.columns.iter().any(|c| c.name.eq_ignore_ascii_case(name))
                        });
                        if in_comment(rg, l) || with_rows {
                            None
                        } else {
                            self.sql_type_after(l, r).then_some(Form::Schema)
                        }
                    }
                    Kind::Schema => {
                        let rg = regions.get_or_insert_with(|| {
                            regions_of(
                                s,
                                Syntax {
                                    hash: true,
                                    slash: true,
                                    ..Syntax::default()
                                },
                            )
                        });
                        (!in_comment(rg, l)).then_some(Form::Schema)
                    }
                    Kind::Code(syn) => {
                        let rg = regions.get_or_insert_with(|| regions_of(s, syn));
                        self.code_form(rg, l, r)
                    }
                    _ => None,
                };
                if let Some(form) = form {
                    for &sid in &ids {
                        found.push((l, sid, form));
                    }
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        for (off, id, form) in found {
            match form {
                Form::Data => self.emit(id, "special_category", High, off),
                Form::Schema => self.emit(field_id(id), "special_field", Medium, off),
            }
        }
    }

    /// `name TYPE` (an SQL type of `sql_types`, after at least one blank; a quoted
    /// name may be closed first): a column definition.
    fn sql_type_after(&self, l: usize, r: usize) -> bool {
        let s = self.st.s;
        let mut p = r;
        if l > 0
            && p < s.len()
            && matches!(s[l - 1], b'"' | b'`' | b'[')
            && matches!(s[p], b'"' | b'`' | b']')
        {
            p += 1;
        }
        let q = skip_blanks(s, p);
        q > p && in_list(self.pii.tables.list(Cx::SqlTypes), word_at(s, q))
    }

    /// A name in a JSON document: a key (by its value) or a field name given as the
    /// value of a `field_name_keys` key.
    fn json_form(&self, l: usize, r: usize, words: &[String]) -> Option<Form> {
        let s = self.st.s;
        let t = self.pii.tables;
        if l == 0 || r >= s.len() || s[l - 1] != b'"' || s[r] != b'"' {
            return None;
        }
        let p = skip_ws(s, r + 1);
        if p < s.len() && s[p] == b':' {
            return self.json_value(skip_ws(s, p + 1), words);
        }
        // A string value: the field name of a schema (`"name": "race"`)?
        let mut k = l - 1;
        while k > 0 && s[k - 1].is_ascii_whitespace() {
            k -= 1;
        }
        if k == 0 || s[k - 1] != b':' {
            return None;
        }
        let mut e = k - 1;
        while e > 0 && s[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        if e == 0 || s[e - 1] != b'"' {
            return None;
        }
        let a = memchr::memrchr(b'"', &s[..e - 1])?;
        in_list_exact(t.list(Cx::FieldNameKeys), &s[a + 1..e - 1]).then_some(Form::Schema)
    }

    /// The form of a JSON value at `p`, for a key of `words`.
    fn json_value(&self, p: usize, words: &[String]) -> Option<Form> {
        let s = self.st.s;
        let t = self.pii.tables;
        match *s.get(p)? {
            b'"' => {
                let e = string_end(s, p, s.len().min(p + 512));
                self.scalar(&s[p + 1..e.saturating_sub(1).max(p + 1)], words)
            }
            b'{' => {
                let q = skip_ws(s, p + 1);
                match s.get(q)? {
                    b'}' => None,
                    b'"' => {
                        let e = string_end(s, q, s.len().min(q + 256));
                        let key = &s[q + 1..e.saturating_sub(1).max(q + 1)];
                        Some(if in_list_exact(t.list(Cx::SchemaKeys), key) {
                            Form::Schema
                        } else {
                            Form::Data
                        })
                    }
                    _ => None,
                }
            }
            b'[' => {
                let q = skip_ws(s, p + 1);
                (*s.get(q)? != b']').then_some(Form::Data)
            }
            b'n' => None,
            c if c.is_ascii_digit() || c == b'-' || c == b't' || c == b'f' => Some(Form::Data),
            _ => None,
        }
    }

    /// A scalar value of a field named by `words`: empty or null holds nothing; a type
    /// name declares; a label (it repeats the field's words, ends with `:` or `?`, or
    /// holds a placeholder) is a display string; anything else is data.
    fn scalar(&self, v: &[u8], words: &[String]) -> Option<Form> {
        let t = self.pii.tables;
        let v = v.trim_ascii();
        if v.is_empty() || is_null(v, t) {
            return None;
        }
        if in_list(t.list(Cx::TypeNames), v) || in_list(t.list(Cx::SqlTypes), v) {
            return Some(Form::Schema);
        }
        if is_label(v, words) {
            return None;
        }
        Some(Form::Data)
    }

    /// A name in a YAML document: a key (by its value, on its line or the block
    /// under it), or a field name given as the value of a `field_name_keys` key.
    fn yaml_form(&self, l: usize, r: usize, words: &[String]) -> Option<Form> {
        let s = self.st.s;
        let t = self.pii.tables;
        let quoted = l > 0 && r < s.len() && matches!(s[l - 1], b'"' | b'\'') && s[r] == s[l - 1];
        let (ks, ke) = if quoted { (l - 1, r + 1) } else { (l, r) };
        let ls = line_start(s, ks);
        let prefix = &s[ls..ks];
        let key_position = prefix.iter().all(|&c| matches!(c, b' ' | b'\t' | b'-'))
            && prefix.iter().filter(|&&c| c == b'-').count() <= 1;
        let p = skip_blanks(s, ke);
        let colon = p < s.len()
            && s[p] == b':'
            && (p + 1 == s.len() || matches!(s[p + 1], b' ' | b'\t' | b'\r' | b'\n'));
        if key_position && colon {
            let le = line_end(s, p);
            let mut v = &s[p + 1..le];
            if let Some(h) = memchr::memmem::find(v, b" #") {
                v = &v[..h];
            }
            let v = v.trim_ascii();
            if v.is_empty() {
                return self.yaml_block(ls, le);
            }
            return match v[0] {
                b'|' | b'>' => Some(Form::Data),
                b'[' | b'{' => (v.len() > 2).then_some(Form::Data),
                b'"' | b'\'' => self.scalar(&v[1..v.len().saturating_sub(1).max(1)], words),
                _ => self.scalar(v, words),
            };
        }
        // `name: race` under a list of columns.
        let b = back_blanks(s, ks);
        if b > 0 && s[b - 1] == b':' {
            let key = word_before(s, b - 1);
            if in_list_exact(t.list(Cx::FieldNameKeys), key) {
                return Some(Form::Schema);
            }
        }
        None
    }

    /// The block under a YAML key on the line `ls..le`: a schema when its first key is
    /// a schema key, data when it holds entries, nothing when there is none.
    fn yaml_block(&self, ls: usize, le: usize) -> Option<Form> {
        let s = self.st.s;
        let indent = s[ls..]
            .iter()
            .take_while(|&&c| c == b' ' || c == b'-')
            .count();
        let mut p = le + 1;
        while p < s.len() {
            let e = line_end(s, p);
            let line = &s[p..e];
            let body = line.trim_ascii_start();
            if body.is_empty() || body[0] == b'#' {
                p = e + 1;
                continue;
            }
            let ind = line.len() - body.len();
            if ind <= indent && body[0] != b'-' {
                return None;
            }
            if body[0] == b'-' {
                return Some(Form::Data);
            }
            let key = word_at(body, usize::from(body[0] == b'$'));
            let key = if body[0] == b'$' {
                &body[..key.len() + 1]
            } else {
                key
            };
            return Some(
                if in_list_exact(self.pii.tables.list(Cx::SchemaKeys), key) {
                    Form::Schema
                } else {
                    Form::Data
                },
            );
        }
        None
    }

    /// A name in an XML document: an element with text, an attribute with a value, or
    /// a column named in a `field_name_keys` attribute (data with a `value*`
    /// attribute, a schema with a `type`).
    fn xml_form(&self, l: usize, r: usize, words: &[String]) -> Option<Form> {
        let s = self.st.s;
        let t = self.pii.tables;
        let n = s.len();
        if l > 0 && s[l - 1] == b'<' {
            let gt = memchr::memchr(b'>', &s[r..n.min(r + 4096)])? + r;
            if s[gt - 1] == b'/' {
                return None;
            }
            let lt = memchr::memchr(b'<', &s[gt..n.min(gt + 4096)]).map_or(n, |i| gt + i);
            return self.scalar(&s[gt + 1..lt], words);
        }
        if r < n && s[r] == b'=' && r + 1 < n && matches!(s[r + 1], b'"' | b'\'') {
            let q = s[r + 1];
            let e = memchr::memchr(q, &s[r + 2..n.min(r + 514)])? + r + 2;
            return self.scalar(&s[r + 2..e], words);
        }
        if l > 0 && r < n && matches!(s[l - 1], b'"' | b'\'') && s[r] == s[l - 1] {
            let b = back_blanks(s, l - 1);
            if b == 0 || s[b - 1] != b'=' {
                return None;
            }
            if !in_list(t.list(Cx::FieldNameKeys), word_before(s, b - 1)) {
                return None;
            }
            let lt = memchr::memrchr(b'<', &s[l.saturating_sub(4096)..l])
                .map(|i| l.saturating_sub(4096) + i)?;
            let gt = memchr::memchr(b'>', &s[r..n.min(r + 4096)]).map_or(n, |i| r + i);
            let tag = &s[lt..gt];
            let mut i = 0;
            let mut typed = false;
            while let Some(k) = memchr::memchr(b'=', &tag[i..]).map(|k| i + k) {
                let attr = word_before(tag, k);
                let v0 = skip_blanks(tag, k + 1);
                let value = match tag.get(v0) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let e = memchr::memchr(q, &tag[v0 + 1..]).map_or(tag.len(), |e| v0 + 1 + e);
                        &tag[v0 + 1..e]
                    }
                    _ => &[][..],
                };
                if attr.len() >= 5
                    && attr[..5].eq_ignore_ascii_case(b"value")
                    && !value.trim_ascii().is_empty()
                {
                    return Some(Form::Data);
                }
                typed |= attr.eq_ignore_ascii_case(b"type");
                i = k + 1;
            }
            return typed.then_some(Form::Schema);
        }
        None
    }

    /// A name in code: a declared field, or nothing.
    fn code_form(&self, rg: &[(usize, usize, Region)], l: usize, r: usize) -> Option<Form> {
        let s = self.st.s;
        let t = self.pii.tables;
        let n = s.len();
        let name = &s[l..r];
        let line = &s[line_start(s, l)..line_end(s, r)];
        let marker = || {
            t.list(Cx::SchemaMarkers)
                .iter()
                .any(|m| memchr::memmem::find(line, m.as_bytes()).is_some())
        };
        if let Some((a, b, what)) = region_at(rg, l) {
            if what == Region::Comment {
                return None;
            }
            // A string: a bare field name (`"race"`) of a model's column, or a column of
            // DDL written in a string.
            let bare = a + 1 == l && b == r + 1;
            if (bare && marker()) || self.sql_type_after(l, r) {
                return Some(Form::Schema);
            }
            return None;
        }
        // Constants (`VIEW_HIV_PROGRAM`) and privilege names.
        if name.iter().any(u8::is_ascii_uppercase) && !name.iter().any(u8::is_ascii_lowercase) {
            return None;
        }
        let before = word_before(s, l);
        let lb = back_blanks(s, l);
        let gap = lb < l;
        if gap && in_list_exact(t.list(Cx::DeclarationKeywords), before) {
            return None;
        }
        // Ruby symbols: `t.string :race`.
        if l > 0 && s[l - 1] == b':' && (l < 2 || s[l - 2] != b':') {
            return marker().then_some(Form::Schema);
        }
        let member = l > 0 && (s[l - 1] == b'.' || (l > 1 && s[l - 1] == b'>' && s[l - 2] == b'-'));
        let mut p = skip_blanks(s, r);
        if p < n && s[p] == b'?' {
            p += 1;
        }
        let typed_before = || {
            if member {
                return false;
            }
            // `String race`, `List<String> race`, `int[] race`, `private $race`.
            let prev = lb.checked_sub(1).map(|i| s[i]);
            let dollar = l > 0 && s[l - 1] == b'$';
            if dollar {
                return in_list_exact(t.list(Cx::FieldModifiers), word_before(s, l - 1));
            }
            if !gap {
                return false;
            }
            matches!(prev, Some(b'>' | b']' | b'?') if !(prev == Some(b'>') && lb >= 2 && s[lb - 2] == b'-'))
                || before.first().is_some_and(u8::is_ascii_uppercase)
                || in_list_exact(t.list(Cx::TypeNames), before)
                || in_list_exact(t.list(Cx::FieldModifiers), before)
        };
        if p < n && s[p] == b':' && !(p + 1 < n && s[p + 1] == b':') {
            if member {
                return None;
            }
            let q = skip_blanks(s, p + 1);
            let ty = word_at(s, q);
            let type_like = ty.first().is_some_and(u8::is_ascii_uppercase)
                || in_list(t.list(Cx::TypeNames), ty)
                || in_list(t.list(Cx::SqlTypes), ty);
            let after = skip_blanks(s, q + ty.len());
            // `race: str`, `race: Optional[str] = None`, `race: string;` — not a value
            // such as `race: patient.race` or `race: 'x'`.
            let value_follows = after < n && matches!(s[after], b'.' | b'(');
            return (type_like && !value_follows).then_some(Form::Schema);
        }
        if p < n && s[p] == b'=' && !(p + 1 < n && matches!(s[p + 1], b'=' | b'>' | b'~')) {
            return (marker() || typed_before()).then_some(Form::Schema);
        }
        if self.sql_type_after(l, r) && !member {
            return Some(Form::Schema);
        }
        if (p >= n || matches!(s[p], b';' | b',' | b')' | b'{' | b'\n' | b'\r')) && typed_before() {
            return Some(Form::Schema);
        }
        None
    }
}

fn skip_ws(s: &[u8], mut p: usize) -> usize {
    while p < s.len() && s[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

fn regions_of(s: &[u8], syn: Syntax) -> Vec<(usize, usize, Region)> {
    regions(s, syn)
}

fn in_comment(rg: &[(usize, usize, Region)], at: usize) -> bool {
    region_at(rg, at).is_some_and(|r| r.2 == Region::Comment)
}

/// A display string for the field named by `words`: it holds all of the field's own
/// words (a 5-letter stem will do: `Ethnic origin` for `ethnicity`), ends with `:`
/// or `?`, or holds a placeholder.
pub(crate) fn is_label(v: &[u8], words: &[String]) -> bool {
    if v.ends_with(b":") || v.ends_with(b"?") {
        return true;
    }
    if [&b"{{"[..], b"{0}", b"%s", b"${", b"%("]
        .iter()
        .any(|p| memchr::memmem::find(v, p).is_some())
    {
        return true;
    }
    let vw: Vec<&[u8]> = v
        .split(|c| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let stem = |w: &[u8]| -> usize { w.len().min(5) };
    !words.is_empty()
        && words.iter().all(|w| {
            let w = w.as_bytes();
            vw.iter().any(|x| {
                let k = stem(w);
                x.len() >= k
                    && x[..k].eq_ignore_ascii_case(&w[..k])
                    && (w.len() > 5 || x.len() == w.len())
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        words_of(s.as_bytes())
    }

    #[test]
    fn labels_repeat_the_fields_words() {
        assert!(is_label(b"Race", &words("race")));
        assert!(is_label(b"HIV status", &words("hivStatus")));
        assert!(is_label(b"Ethnic origin", &words("ethnicity")));
        assert!(is_label(b"Select one:", &words("religion")));
        assert!(is_label(b"{{count}} diagnoses", &words("diagnosis_count")));
        // Values.
        assert!(!is_label(b"White", &words("race")));
        assert!(!is_label(b"HIV positive", &words("hiv_status")));
        assert!(!is_label(b"Hispanic or Latino", &words("ethnicity")));
        assert!(!is_label(b"Racer", &words("race")));
    }

    #[test]
    fn declarations_and_uses_in_code() {
        let t = &super::super::TABLES;
        let mut reg = Vec::<String>::new();
        struct Reg<'a>(&'a mut Vec<String>);
        impl crate::detect::AnchorRegistry for Reg<'_> {
            fn anchor(&mut self, literal: &str) -> crate::detect::AnchorId {
                let lit = literal.to_ascii_lowercase();
                let i = self.0.iter().position(|l| *l == lit).unwrap_or_else(|| {
                    self.0.push(lit);
                    self.0.len() - 1
                });
                crate::detect::AnchorId(i as u32)
            }
        }
        let pii = super::super::Pii::with_tables(&mut Reg(&mut reg), t);
        let form = |path: &str, text: &str| -> Vec<Form> {
            let s = text.as_bytes();
            let lower = s.to_ascii_lowercase();
            let anchors: Vec<Vec<usize>> = reg
                .iter()
                .map(|l| memchr::memmem::find_iter(&lower, l.as_bytes()).collect())
                .collect();
            let ctx = crate::detect::FileCtx {
                path,
                content: s,
                binary: false,
                anchors: &anchors,
                touched: None,
            };
            let kind = super::super::kind::kind_of(path, s, t);
            let st = super::super::State::new(&pii, &ctx, kind, &[]);
            let mut out = Vec::new();
            let mut sc = Scan {
                pii: &pii,
                st: &st,
                out: &mut out,
            };
            sc.special(&[]);
            let mut f: Vec<Form> = out
                .iter()
                .map(|h| {
                    if h.id.starts_with("special_field.") {
                        Form::Schema
                    } else {
                        Form::Data
                    }
                })
                .collect();
            f.dedup();
            f
        };
        let schema = [Form::Schema];
        // Declared: typed, ORM, annotated, embedded DDL, Ruby migrations, PHP fields.
        assert_eq!(form("a.py", "    race: Optional[str] = None\n"), schema);
        assert_eq!(form("a.py", "race = db.Column(db.String(20))\n"), schema);
        assert_eq!(form("a.kt", "data class P(val race: String)\n"), schema);
        assert_eq!(form("A.cs", "public string Race { get; set; }\n"), schema);
        assert_eq!(form("a.php", "    private $race;\n"), schema);
        assert_eq!(form("m.rb", "    t.string :race\n"), schema);
        assert_eq!(form("m.rb", "    t.string \"race\", limit: 20\n"), schema);
        assert_eq!(
            form(
                "m.py",
                "c.execute(\"CREATE TABLE p (id INT, religion TEXT)\")\n"
            ),
            schema
        );
        // Used, named, commented: nothing.
        for (path, text) in [
            ("a.py", "if race:\n    pass\n"),
            ("a.py", "print(f\"race: {p.race}\")\n"),
            ("a.js", "const p = { race: form.race };\n"),
            ("a.js", "const race = pick();\n"),
            ("A.java", "return race;\n"),
            ("A.java", "Race r = new Race();\n"),
            ("A.java", "enum Race { WHITE, ASIAN }\n"),
            ("a.py", "def race(a, b):\n    return a\n"),
            (
                "a.sql",
                "SELECT race, count(*) FROM patient GROUP BY race;\n",
            ),
            ("a.php", "$race = $_POST['race'];\n"),
        ] {
            assert!(form(path, text).is_empty(), "{path}: {text}");
        }
    }
}

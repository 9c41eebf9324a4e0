//! The `pii` family: personal data (category `pii`), ICD-10 codes (category `health`) and
//! GDPR Art 9/10 special-category names, as data (`special.*`, category
//! `special_category`) or as a declared field (`special_field.*`, category
//! `special_field`).
//!
//! How it looks:
//! - One linear token pass over the bytes (a byte-class table, no regex) finds digit
//!   chains (digit tokens joined by single spaces, hyphens, dots or `+`) and upper-case
//!   tokens (IBAN, NINO, NIE, codice fiscale); their shape picks the candidate kinds and a
//!   validator from [`super::validators`] confirms them.
//! - `memchr` over `@` for e-mail addresses.
//! - ICD-10 codes only inside windows around medical keywords found by the prefilter.
//! - Special-category names from prefilter anchors, judged by the form they are in
//!   ([`special`]: data, a declared field, or talk), the file's kind from its path and
//!   first bytes ([`kind`]).
//! - Tables (delimited files, JSON lines, SQL dumps, Parquet footers) by their header
//!   and a bounded sample of values ([`table`]): special-category columns with values,
//!   conditions per person, ICD-10 columns, offences, names with dates of birth.
//! - Outside tables a national identifier needs its keyword; in a file a tool wrote
//!   (a lockfile, a minified or generated file, a model dump) no value is reported.
//!
//! Confidence (Microsoft Purview's model): `low` = pattern only, `medium` = pattern +
//! validator, `high` = pattern + validator + a keyword within 300 bytes ([`WINDOW`]). A
//! keyword is a whole word (snake_case and camelCase parts count; a trailing `s` is
//! allowed). In CSV/TSV files a keyword in the header line counts for the whole file,
//! in an SQL dump one in a column name.
//! Documentation/test values (`rules/pii/documentation.yaml`, see
//! [`super::validators::is_documentation_example_in`]) are never reported; a failing
//! validator drops the candidate.
//!
//! The national identifiers (and the ABA routing number, which shares their shapes)
//! are read from the tables: `rules/pii/national_ids.yaml` gives each format
//! ([`NationalId`]) its shapes (digit groups and their separators, lone tokens,
//! capital-led tokens), its validator, its keyword groups and its confidence with a
//! keyword and, per shape, without one. The token pass looks a value's shape up and
//! tries every format that reads it, in table order: a format with its keyword near is
//! reported at its keyword confidence; one without, in a table only, at the shape's,
//! unless another format of the shape has its keyword near (bare 9 digits: SSN, BSN, ABA; `6-4`:
//! personnummer, HETU: the keywords decide). A validator that cannot decide (a Korean
//! RRN from October 2020 on) lowers the confidence a step. Of capital-led shapes, the
//! first whose validator passes takes the value.
//!
//! The other signals (no keyword → with keyword):
//!
//! | id | shapes | no keyword | keyword |
//! |---|---|---|---|
//! | `pii.payment_card` | `4-4-4-4(-n)`, `4-6-5`, `4-6-4` grouped; bare 15/16 | medium | high |
//! | | bare 12–14, 17–19 digits (snowflake ids, ns timestamps) | — | high |
//! | `pii.iban` | compact or groups of 4 | medium | high |
//! | `pii.email` | RFC 5322 subset, alphabetic TLD | medium | high |
//! | `pii.phone` | E.164 `+CC…` (8–15 digits) | low | high |
//! | | national (`0…` grouped, `(ddd) ddd-dddd`, `ddd-ddd-dddd`) | — (`(ddd)` form: low) | medium |
//! | `pii.ip_address` | public IPv4 | medium | high |
//! | | private, CGNAT, link-local | low | low |
//! | `health.icd10` | `E11.9` with a medical keyword | — | medium (high near `ICD`) |
//! | | `E11` (no dot) near `ICD` | — | high |
//! | `special.*` | a name holding a value (table column, key, element, SQL row) | high | high |
//! | `special_field.*` | a name declared without value (DDL, typed field, schema) | medium | medium |
//! | `pii.person_records` | a table's name and date-of-birth columns | high | high |
//! | `pii.personal_document` | prose about one named person: a CV, an interview, a form ([`document`]) | medium | medium |
//! | `pii.person_events` | log lines or timestamped rows that each name a person ([`events`]) | medium | medium |
//!
//! "—" means not reported: bare digit runs of those lengths are too common (order ids,
//! timestamps, phone numbers) for a checksum alone. A `ddd-ddd-dddd` value no format
//! took (an NHS number with its keyword) is a phone with a phone keyword.
//!
//! Skipped: binary content; IPv4 0/8, 127/8, 255.x, multicast and reserved (≥ 224),
//! documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24), version strings;
//! e-mail at example/test/localhost/invalid domains, `noreply` addresses, `git@` remotes,
//! `name@2x.png` asset names. No matched text is kept: a hit is id, category, confidence
//! and offset.

use std::borrow::Cow;

use super::validators::{self as v, Validity};
use super::{AnchorId, AnchorRegistry, Family, FileCtx, Hit};
use crate::model::Confidence::{self, High, Low, Medium};

/// Proximity window for supporting keywords, in bytes either side (Purview: 300 chars).
pub const WINDOW: usize = 300;

/// Every signal id this family emits: `pii.*` (category `pii`), `health.*` (category
/// `health`) and `special.*` (category `special_category`). The book's signal catalogue
/// is generated from this list; a test checks it against the ids the code emits.
pub const SIGNAL_IDS: &[&str] = &[
    "pii.payment_card",
    "pii.iban",
    "pii.us_ssn",
    "pii.uk_nino",
    "pii.uk_nhs",
    "pii.kr_rrn",
    "pii.pl_pesel",
    "pii.es_dni",
    "pii.es_nie",
    "pii.it_codice_fiscale",
    "pii.nl_bsn",
    "pii.fr_nir",
    "pii.fi_hetu",
    "pii.se_personnummer",
    "pii.de_steuer_id",
    "pii.email",
    "pii.phone",
    "pii.ip_address",
    "pii.aba_routing",
    "pii.person_records",
    document::PERSONAL_DOCUMENT,
    events::PERSON_EVENTS,
    "health.icd10",
    "special.ethnicity",
    "special.religion",
    "special.health",
    "special.biometric",
    "special.genetic",
    "special.sexual_orientation",
    "special.political_opinion",
    "special.trade_union",
    "special.criminal_record",
    "special_field.ethnicity",
    "special_field.religion",
    "special_field.health",
    "special_field.biometric",
    "special_field.genetic",
    "special_field.sexual_orientation",
    "special_field.political_opinion",
    "special_field.trade_union",
    "special_field.criminal_record",
    SQL_WITHOUT_ROWS,
    TIMESTAMPED_ROWS,
];

/// SQL text that holds no row: no `INSERT`, `REPLACE`, `COPY` or `VALUES` anywhere in a
/// file read whole (DDL, migrations without data, queries, macros). Not a dump, whatever
/// its extension: the baseline pack lets it lift the data-dump rules.
pub const SQL_WITHOUT_ROWS: &str = "schema.sql_without_rows";

/// A table whose every sampled row carries a time of day or a date with a time (a
/// delimited file, JSON lines or an SQL dump; the first line of a delimited file counts
/// when it is a record, not a header): a record of events, such as who was seen when.
/// The Annex III pack reads it as a log within a component of a possible high-risk
/// system.
pub const TIMESTAMPED_ROWS: &str = "schema.timestamped_rows";

/// Whether `s`, an SQL file's text, holds no row (see [`SQL_WITHOUT_ROWS`]): none of the
/// words that bring rows, in any case, anywhere (a comment or a string too: the test
/// errs towards a dump).
fn sql_without_rows(s: &[u8]) -> bool {
    static ROWS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(["insert", "values", "replace", "copy"])
                .ok()
        });
    // Without the searcher (it cannot fail to build), every SQL file is a dump.
    s.len() < table::MAX_SQL_BYTES && ROWS.as_ref().is_some_and(|ac| !ac.is_match(s))
}

/// The schema form of a special-category signal: `special_field.X` for `special.X`.
pub fn field_id(id: &str) -> &'static str {
    match id {
        "special.ethnicity" => "special_field.ethnicity",
        "special.religion" => "special_field.religion",
        "special.health" => "special_field.health",
        "special.biometric" => "special_field.biometric",
        "special.genetic" => "special_field.genetic",
        "special.sexual_orientation" => "special_field.sexual_orientation",
        "special.political_opinion" => "special_field.political_opinion",
        "special.trade_union" => "special_field.trade_union",
        _ => "special_field.criminal_record",
    }
}

/// The category of one of [`SIGNAL_IDS`], by its family (the part before the dot).
pub fn category_of(id: &str) -> &'static str {
    match id.split('.').next().unwrap_or("") {
        "health" => "health",
        "special" => "special_category",
        "special_field" => "special_field",
        "schema" => "schema",
        _ => "pii",
    }
}

/// What a signal of this family says, for the signal catalogue.
pub fn meaning_of(id: &str) -> &'static str {
    match id.split('.').next().unwrap_or("") {
        "special" => {
            "special-category data (GDPR Art 9(1); `criminal_record`: Art 10): records with values, a column, key or element holding a value"
        }
        "special_field" => {
            "a field for special-category data declared in code or a schema (DDL without rows, an entity's typed field, JSON Schema, protobuf): no values"
        }
        "health" => "diagnosis codes: with a medical keyword near, or a column of them",
        _ if id == "pii.person_records" => {
            "a table of people: a name column and a date-of-birth column, both confirmed by their values"
        }
        _ if id == SQL_WITHOUT_ROWS => {
            "SQL text without rows (no INSERT, REPLACE, COPY or VALUES): a schema, a migration, a query or a macro, not a dump"
        }
        _ if id == TIMESTAMPED_ROWS => {
            "a table whose every sampled row carries a time of day or a timestamp: a record of events"
        }
        _ if id == events::PERSON_EVENTS => {
            "a record of events about people: log lines or timestamped rows that each name a person (`student=0193`, a user column)"
        }
        _ if id == document::PERSONAL_DOCUMENT => {
            "a document about one identified person (a CV, an interview record, a form): a named subject and the shape of a record of them"
        }
        _ if NATIONAL_ID_SIGNALS.contains(&id) => {
            "a national identifier: outside tables only with its keyword near"
        }
        _ => "a personal-data value, confirmed by its validator or shape",
    }
}

/// The keyword groups the code reads itself, by their place in [`KEYWORD_GROUPS`]; the
/// national identifier formats name theirs in the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    Card = 0,
    Iban = 1,
    Phone = 15,
    Email = 16,
    Ip = 17,
    Medical = 18,
    Icd = 19,
}

const NKW: usize = 21;

/// The keyword groups' names in the rule files (`rules/pii/keywords.yaml`).
pub const KEYWORD_GROUPS: [&str; NKW] = [
    "card", "iban", "ssn", "nino", "nhs", "rrn", "pesel", "dni", "cf", "bsn", "nir", "hetu", "pnr",
    "steuer", "aba", "phone", "email", "ip", "medical", "icd", "nat_id",
];

// Each group the code reads is where `Kw` says.
const _: () = {
    const fn same(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
    assert!(same(KEYWORD_GROUPS[Kw::Card as usize], "card"));
    assert!(same(KEYWORD_GROUPS[Kw::Iban as usize], "iban"));
    assert!(same(KEYWORD_GROUPS[Kw::Phone as usize], "phone"));
    assert!(same(KEYWORD_GROUPS[Kw::Email as usize], "email"));
    assert!(same(KEYWORD_GROUPS[Kw::Ip as usize], "ip"));
    assert!(same(KEYWORD_GROUPS[Kw::Medical as usize], "medical"));
    assert!(same(KEYWORD_GROUPS[Kw::Icd as usize], "icd"));
};

/// The signals the national identifier formats give (`rules/pii/national_ids.yaml`,
/// one format each): the national identifiers and the ABA routing number, which
/// shares their shapes. The family's other signals are found by code.
pub const NATIONAL_ID_SIGNALS: &[&str] = &[
    "pii.us_ssn",
    "pii.uk_nino",
    "pii.uk_nhs",
    "pii.kr_rrn",
    "pii.pl_pesel",
    "pii.es_dni",
    "pii.es_nie",
    "pii.it_codice_fiscale",
    "pii.nl_bsn",
    "pii.fr_nir",
    "pii.fi_hetu",
    "pii.se_personnummer",
    "pii.de_steuer_id",
    "pii.aba_routing",
];

/// The knowledge this family applies: generated from `rules/pii/*.yaml` into
/// [`TABLES`] (`pii/tables.rs`, checked by `tests/rules.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Tables {
    /// Keyword literals per group, in the order of [`KEYWORD_GROUPS`]. A trailing `*`
    /// makes the literal a prefix (no right word boundary required).
    pub keywords: [&'static [&'static str]; NKW],
    /// Special-category terms: words (lower case), signal, mode.
    pub special: &'static [(&'static [&'static str], &'static str, Mode)],
    /// Identifier words that may surround an `Exact` term (`patient_race`, `race_code`).
    pub affixes: &'static [&'static str],
    /// The lists of `rules/pii/context.yaml`, in the order of [`CONTEXT_LISTS`].
    pub context: [&'static [&'static str]; NCX],
    /// Published documentation and test values per validator name: never reported.
    pub documentation: &'static v::Documented,
    /// National identifier formats, in the order they are tried.
    pub national_ids: &'static [NationalId],
}

impl Tables {
    /// One of the context lists.
    pub fn list(&self, which: Cx) -> &'static [&'static str] {
        self.context[which as usize]
    }
}

/// The number of context lists.
pub const NCX: usize = 34;

/// The context lists of `rules/pii/context.yaml`, by name, in the order the tables
/// hold them ([`Cx`]).
pub const CONTEXT_LISTS: [&str; NCX] = [
    "sql_types",
    "email_file_extensions",
    "type_names",
    "schema_keys",
    "field_name_keys",
    "null_values",
    "schema_markers",
    "declaration_keywords",
    "field_modifiers",
    "prose_extensions",
    "prose_names",
    "label_extensions",
    "label_dirs",
    "locale_codes",
    "markup_extensions",
    "schema_extensions",
    "machine_names",
    "machine_suffixes",
    "machine_markers",
    "condition_words",
    "person_key_words",
    "name_words",
    "name_qualifiers",
    "birth_words",
    "criminal_words",
    "charge_words",
    "crime_value_words",
    "person_attribute_words",
    "subject_labels",
    "document_sections",
    "placeholder_names",
    "project_doc_names",
    "event_person_words",
    "reference_words",
];

/// A context list, by its place in [`CONTEXT_LISTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cx {
    SqlTypes,
    EmailFileExtensions,
    TypeNames,
    SchemaKeys,
    FieldNameKeys,
    NullValues,
    SchemaMarkers,
    DeclarationKeywords,
    FieldModifiers,
    ProseExtensions,
    ProseNames,
    LabelExtensions,
    LabelDirs,
    LocaleCodes,
    MarkupExtensions,
    SchemaExtensions,
    MachineNames,
    MachineSuffixes,
    MachineMarkers,
    ConditionWords,
    PersonKeyWords,
    NameWords,
    NameQualifiers,
    BirthWords,
    CriminalWords,
    ChargeWords,
    CrimeValueWords,
    PersonAttributeWords,
    SubjectLabels,
    DocumentSections,
    PlaceholderNames,
    ProjectDocNames,
    EventPersonWords,
    ReferenceWords,
}

// The last list is where `Cx` says: the two agree in length.
const _: () = assert!(Cx::ReferenceWords as usize + 1 == NCX);

// The tables are generated from `rules/pii/*.yaml`.
#[rustfmt::skip]
mod tables;
pub use tables::TABLES;

mod document;
mod events;
mod kind;
mod parquet;
mod special;
mod table;
use kind::Kind;

mod national;
use national::Member;
pub use national::{Class, Form, NationalId, Shape};

/// How a special-category term must appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The term's words appear, contiguous, among the identifier's words.
    Part,
    /// The identifier is the term, with at most generic affixes (`patient_`, `_code`…).
    Exact,
    /// Like `Exact`, but only as a CSV/TSV header field.
    HeaderOnly,
}

/// The family. Built once with its anchors registered.
pub struct Pii {
    tables: &'static Tables,
    /// Per keyword group: (anchor, literal length, prefix literal).
    kw: Vec<Vec<(AnchorId, usize, bool)>>,
    kw_ids: Vec<Vec<AnchorId>>,
    /// Special-category anchors: (anchor, literal length).
    special: Vec<(AnchorId, usize)>,
    /// Anchors of the text that shows a tool wrote a file (`machine_markers`).
    machine: Vec<AnchorId>,
    /// The vocabulary of tables as one lookup.
    vocab: table::Vocab,
    /// The national identifier formats by shape.
    ids: national::Index,
}

/// Build the family and register its anchors.
pub fn new(reg: &mut dyn AnchorRegistry) -> Box<dyn Family> {
    Box::new(Pii::new(reg))
}

impl Pii {
    pub fn new(reg: &mut dyn AnchorRegistry) -> Pii {
        Self::with_tables(reg, &TABLES)
    }

    /// The family over other tables than the compiled-in ones (a rules directory under
    /// test, see [`crate::rules::examples`]).
    pub fn with_tables(reg: &mut dyn AnchorRegistry, tables: &'static Tables) -> Pii {
        let mut kw = Vec::with_capacity(NKW);
        for lits in &tables.keywords {
            let mut v = Vec::new();
            for lit in lits.iter() {
                let (lit, prefix) = match lit.strip_suffix('*') {
                    Some(l) => (l, true),
                    None => (*lit, false),
                };
                v.push((reg.anchor(lit), lit.len(), prefix));
            }
            kw.push(v);
        }
        let kw_ids = kw
            .iter()
            .map(|v: &Vec<(AnchorId, usize, bool)>| v.iter().map(|x| x.0).collect())
            .collect();
        let mut firsts: Vec<&str> = tables.special.iter().map(|(w, _, _)| w[0]).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let special = firsts.iter().map(|w| (reg.anchor(w), w.len())).collect();
        let machine = tables
            .list(Cx::MachineMarkers)
            .iter()
            .map(|m| reg.anchor(m))
            .collect();
        Pii {
            tables,
            kw,
            kw_ids,
            special,
            machine,
            vocab: table::Vocab::new(tables),
            ids: national::Index::new(tables.national_ids),
        }
    }
}

impl Family for Pii {
    fn name(&self) -> &'static str {
        "pii"
    }

    fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        if ctx.content.is_empty() {
            return;
        }
        let kind = kind::kind_of(ctx.path, ctx.content, self.tables);
        if ctx.binary && kind != Kind::Parquet {
            return;
        }
        // Tables first: an SQL dump's column names are its values' context.
        let tables = if matches!(
            kind,
            Kind::Delimited | Kind::JsonLines | Kind::Sql | Kind::Parquet
        ) {
            let mut special_at = Vec::new();
            for &(id, _) in &self.special {
                special_at.extend_from_slice(ctx.hits(id));
            }
            special_at.sort_unstable();
            let env = table::Env {
                t: self.tables,
                vocab: &self.vocab,
                special_at: Some(&special_at),
            };
            let tables = table::read(kind, ctx.content, &env);
            let mut found = Vec::new();
            for t in &tables {
                table::judge(t, kind, &mut found);
            }
            table::hits(&found, out);
            if kind == Kind::Sql && sql_without_rows(ctx.content) {
                out.push(Hit {
                    id: Cow::Borrowed(SQL_WITHOUT_ROWS),
                    category: Cow::Borrowed("schema"),
                    confidence: High,
                    offset: 0,
                });
            }
            tables
        } else {
            Vec::new()
        };
        if ctx.binary {
            return;
        }
        let st = State::new(self, ctx, kind, &tables);
        let mut sc = Scan {
            pii: self,
            st: &st,
            out,
        };
        if !st.machine {
            sc.tokens();
            sc.emails();
            sc.ipv6();
            sc.icd10();
            sc.special(&tables);
            if matches!(kind, Kind::Prose | Kind::Code(_))
                && let Some(at) = events::person_events(ctx.content, self.tables)
            {
                sc.emit(events::PERSON_EVENTS, "pii", Medium, at);
            }
            if kind == Kind::Prose
                && let Some(doc) = document::judge(ctx.path, ctx.content, self.tables)
            {
                sc.emit(document::PERSONAL_DOCUMENT, "pii", Medium, doc.at);
                for (off, id) in doc.special {
                    sc.emit(id, "special_category", High, off);
                }
            }
        }
    }

    /// A Parquet file past the content limit: its schema from the footer at its end.
    fn scan_tail(&self, path: &str, tail: &[u8], out: &mut Vec<Hit>) {
        if kind::kind_of(path, b"", self.tables) != Kind::Parquet {
            return;
        }
        let env = table::Env {
            t: self.tables,
            vocab: &self.vocab,
            special_at: None,
        };
        if let Some(t) = table::read_tail(tail, &env) {
            let mut found = Vec::new();
            table::judge(&t, Kind::Parquet, &mut found);
            for f in &mut found {
                f.0 = 0;
            }
            table::hits(&found, out);
        }
    }
}

/// Per-file facts computed once.
struct State<'a> {
    ctx: &'a FileCtx<'a>,
    s: &'a [u8],
    /// What kind of file it is.
    kind: Kind,
    /// Written by a tool (a lockfile, a minified or generated file, a model dump): no
    /// value in it is anyone's personal data.
    machine: bool,
    /// Keyword groups in the header line of a delimited file, or in the column names
    /// of an SQL dump: they count for the whole file.
    header_kw: [bool; NKW],
}

/// Where a machine marker must be to count: near the start (a model dump's first tree
/// comes after its feature names and ranges).
const MACHINE_MARKER_BYTES: usize = 16 << 10;

impl<'a> State<'a> {
    fn new(pii: &Pii, ctx: &'a FileCtx<'a>, kind: Kind, tables: &[table::Table<'_>]) -> State<'a> {
        let s = ctx.content;
        let mut header_kw = [false; NKW];
        match kind {
            Kind::Delimited => {
                let header_end = memchr::memchr(b'\n', s).unwrap_or(s.len());
                for (g, lits) in pii.kw.iter().enumerate() {
                    header_kw[g] = lits.iter().any(|&(id, len, prefix)| {
                        ctx.hits(id)
                            .iter()
                            .take_while(|&&o| o < header_end)
                            .any(|&o| word_at(s, o, len, prefix))
                    });
                }
            }
            Kind::Sql => table::column_keywords(tables, &pii.tables.keywords, &mut header_kw),
            _ => {}
        }
        // Data formats keep their values whatever a banner says: a generated export is
        // still a table of people.
        // A gradient-boosted model's text dump opens with `tree` and its format version.
        let machine = kind == Kind::Machine
            || s.starts_with(b"tree\nversion=v")
            || (!matches!(
                kind,
                Kind::Delimited | Kind::JsonLines | Kind::Sql | Kind::Parquet
            ) && pii.machine.iter().any(|&id| {
                ctx.hits(id)
                    .first()
                    .is_some_and(|&o| o < MACHINE_MARKER_BYTES)
            }));
        State {
            ctx,
            s,
            kind,
            machine,
            header_kw,
        }
    }
}

const DIG: u8 = 1;
const UP: u8 = 2;
const LO: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_digit() {
            DIG
        } else if b.is_ascii_uppercase() {
            UP
        } else if b.is_ascii_lowercase() {
            LO
        } else {
            0
        };
        i += 1;
    }
    t
};

#[inline]
fn alnum(b: u8) -> bool {
    CLASS[b as usize] != 0
}

/// The first token start at or after `from` led by a digit or an upper-case letter.
/// `from` is 0 or a byte outside a token. Thirty-two bytes at a time with AVX2 where
/// the processor has it, then eight at a time in the lanes of a `u64`: the letters and
/// spaces of ordinary text are passed without a branch per byte.
#[allow(unsafe_code)] // The SIMD kernel's call.
fn next_lead(s: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2.
        return match unsafe { next_lead_avx2(s, from) } {
            Ok(found) => Some(found),
            Err(i) => next_lead_swar(s, from, i),
        };
    }
    next_lead_swar(s, from, from)
}

/// [`next_lead`] from `i` (`from <= i`), eight bytes at a time: a byte's class is
/// computed in its lane of a `u64` (bit 7 of the lane).
fn next_lead_swar(s: &[u8], from: usize, mut i: usize) -> Option<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn splat(b: u8) -> u64 {
        0x0101_0101_0101_0101 * b as u64
    }
    /// Bit 7 of each lane set where the byte lies in `lo..=hi` (both ASCII).
    #[inline(always)]
    fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
        let y = w & LOW7;
        (y + splat(0x80 - lo)) & !(y + splat(0x7f - hi)) & !w & HIGH
    }
    // Whether the byte before `i` is a letter or digit, as bit 7 of lane 0.
    let mut carry = if i > from && alnum(s[i - 1]) { 0x80 } else { 0 };
    while i + 8 <= s.len() {
        let w = u64::from_le_bytes(s[i..i + 8].try_into().expect("eight bytes"));
        let lead = in_range(w, b'0', b'9') | in_range(w, b'A', b'Z');
        let word = lead | in_range(w, b'a', b'z');
        let starts = lead & !((word << 8) | carry);
        if starts != 0 {
            return Some(i + starts.trailing_zeros() as usize / 8);
        }
        carry = word >> 56;
        i += 8;
    }
    while i < s.len() {
        let c = CLASS[s[i] as usize];
        if (c == DIG || c == UP) && (i == from || !alnum(s[i - 1])) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// [`next_lead`] over whole 32-byte blocks: `Ok` with the token start, or `Err` with
/// where the blocks ended (fewer than 32 bytes before the end) for the rest to finish.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(unsafe_code)] // A SIMD kernel: the stated exception to the platform rule.
unsafe fn next_lead_avx2(s: &[u8], from: usize) -> Result<usize, usize> {
    use std::arch::x86_64::*;
    // Bytes of 0x80 and above are negative as signed bytes: in no ASCII range.
    #[inline(always)]
    fn in_range(v: __m256i, lo: u8, hi: u8) -> __m256i {
        // SAFETY: the caller runs with AVX2.
        unsafe {
            _mm256_and_si256(
                _mm256_cmpgt_epi8(v, _mm256_set1_epi8(lo as i8 - 1)),
                _mm256_cmpgt_epi8(_mm256_set1_epi8(hi as i8 + 1), v),
            )
        }
    }
    let mut i = from;
    // Whether the byte before `i` is a letter or digit, as bit 0.
    let mut carry = 0u32;
    while i + 32 <= s.len() {
        // SAFETY: 32 bytes from `i` lie inside `s`; the load is unaligned.
        let v = unsafe { _mm256_loadu_si256(s.as_ptr().add(i).cast()) };
        let lead_v = _mm256_or_si256(in_range(v, b'0', b'9'), in_range(v, b'A', b'Z'));
        let word_v = _mm256_or_si256(lead_v, in_range(v, b'a', b'z'));
        let lead = _mm256_movemask_epi8(lead_v) as u32;
        let word = _mm256_movemask_epi8(word_v) as u32;
        let starts = lead & !((word << 1) | carry);
        if starts != 0 {
            return Ok(i + starts.trailing_zeros() as usize);
        }
        carry = word >> 31;
        i += 32;
    }
    Err(i)
}

#[inline]
fn tok_end(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && alnum(s[i]) {
        i += 1;
    }
    i
}

/// Whether a keyword literal at `o` (length `len`) stands as a word: not glued to
/// letters on either side, except at a camelCase boundary or a plural `s`.
fn word_at(s: &[u8], o: usize, len: usize, prefix: bool) -> bool {
    let end = o + len;
    if end > s.len() {
        return false;
    }
    if o > 0 {
        let p = s[o - 1];
        if p.is_ascii_alphabetic() && !(p.is_ascii_lowercase() && s[o].is_ascii_uppercase()) {
            return false;
        }
    }
    if prefix || end == s.len() || !s[end - 1].is_ascii_alphanumeric() {
        return true;
    }
    let mut e = end;
    if (s[e] == b's' || s[e] == b'S') && s[end - 1].is_ascii_alphabetic() {
        e += 1;
        if e == s.len() {
            return true;
        }
    }
    let n = s[e];
    !n.is_ascii_alphabetic() || (n.is_ascii_uppercase() && s[e - 1].is_ascii_lowercase())
}

/// A chain of digit-led tokens joined by single separators.
struct Chain {
    g: [(usize, usize); 8],
    sep: [u8; 8],
    k: usize,
}

struct Scan<'s, 'a> {
    pii: &'s Pii,
    st: &'s State<'a>,
    out: &'s mut Vec<Hit>,
}

impl Scan<'_, '_> {
    fn emit(&mut self, id: &'static str, category: &'static str, c: Confidence, offset: usize) {
        self.out.push(Hit {
            id: Cow::Borrowed(id),
            category: Cow::Borrowed(category),
            confidence: c,
            offset,
        });
    }

    /// Whether `bytes` is a documentation or test value for validator `kind`, by the
    /// tables the family was built with.
    fn documented(&self, kind: &str, bytes: &[u8]) -> bool {
        v::is_documentation_example_in(self.pii.tables.documentation, kind, bytes)
    }

    /// Whether a keyword of any of `groups` is within [`WINDOW`] of `off` (or in the
    /// header of a delimited file).
    fn kw(&self, groups: &[Kw], off: usize) -> bool {
        groups.iter().any(|&g| self.kw_group(g as usize, off))
    }

    /// [`Scan::kw`] for groups given by their place in [`KEYWORD_GROUPS`].
    fn kw_groups(&self, groups: &[usize], off: usize) -> bool {
        groups.iter().any(|&g| self.kw_group(g, off))
    }

    fn kw_group(&self, g: usize, off: usize) -> bool {
        let st = self.st;
        if st.header_kw[g] {
            return true;
        }
        if !st.ctx.near(&self.pii.kw_ids[g], off, WINDOW) {
            return false;
        }
        let lo = off.saturating_sub(WINDOW);
        let hi = off + WINDOW;
        self.pii.kw[g].iter().any(|&(id, len, prefix)| {
            let h = st.ctx.hits(id);
            let i = h.partition_point(|&o| o < lo);
            h[i..]
                .iter()
                .take_while(|&&o| o <= hi)
                .any(|&o| word_at(st.s, o, len, prefix))
        })
    }

    /// Report `id` at `off`: with a keyword at `with_kw`, else at `base` (None: drop).
    fn report(
        &mut self,
        id: &'static str,
        groups: &[Kw],
        off: usize,
        base: Option<Confidence>,
        with_kw: Confidence,
    ) -> bool {
        let c = if self.kw(groups, off) {
            Some(with_kw)
        } else {
            base
        };
        match c {
            Some(c) => {
                self.emit(id, "pii", c, off);
                true
            }
            None => false,
        }
    }

    // ---- token pass -------------------------------------------------------------

    /// Every token (a run of ASCII letters and digits) led by a digit or an upper-case
    /// letter goes to its reader; tokens led by a lower-case letter are skipped. A
    /// reader returns where it stopped, which may be past several tokens.
    fn tokens(&mut self) {
        let s = self.st.s;
        let n = s.len();
        let mut i = 0;
        while let Some(lead) = next_lead(s, i) {
            i = self.token_at(lead);
            // A reader may stop inside a token: go on from there as a byte-by-byte
            // walk would, to the next byte outside a token.
            while i < n && alnum(s[i]) {
                i = if CLASS[s[i] as usize] == LO {
                    tok_end(s, i)
                } else {
                    self.token_at(i)
                };
            }
        }
    }

    fn token_at(&mut self, i: usize) -> usize {
        if CLASS[self.st.s[i] as usize] == DIG {
            self.digits_at(i)
        } else {
            self.upper_at(i)
        }
    }

    fn digits_at(&mut self, start: usize) -> usize {
        let s = self.st.s;
        let n = s.len();
        let e0 = tok_end(s, start);
        let prev = if start > 0 { s[start - 1] } else { b'\n' };
        let prev2 = if start > 1 { s[start - 2] } else { b'\n' };
        if b"._/\\@$%#".contains(&prev) || (matches!(prev, b'-' | b'+') && alnum(prev2)) {
            return e0;
        }
        // Build the chain.
        let mut ch = Chain {
            g: [(0, 0); 8],
            sep: [0; 8],
            k: 1,
        };
        ch.g[0] = (start, e0);
        let paren = prev == b'(';
        let mut p = e0;
        while ch.k < 8 && p + 1 < n {
            let c = s[p];
            let (sep, next) = if matches!(c, b' ' | b'-' | b'.' | b'+') {
                (c, p + 1)
            } else if c == b')' && paren && ch.k == 1 && s[p + 1] == b' ' {
                (b')', p + 2)
            } else {
                break;
            };
            if next >= n || !s[next].is_ascii_digit() {
                break;
            }
            let e = tok_end(s, next);
            if e - start > 48 {
                break;
            }
            ch.sep[ch.k - 1] = sep;
            ch.g[ch.k] = (next, e);
            ch.k += 1;
            p = e;
        }
        let k = ch.k;
        if k == 1 && e0 - start < 8 {
            // No shape is a single token this short: the common case, kept cheap.
            return p;
        }
        if prev == b'+' {
            self.phone_e164(&ch, start - 1);
            return p;
        }
        if paren && k >= 3 && ch.sep[0] == b')' {
            self.phone_paren(&ch, start - 1);
            return p;
        }
        // Right context of the whole chain.
        let right_ok = p >= n
            || !(s[p] == b'_'
                || s[p] == b'@'
                || (matches!(s[p], b'.' | b'/' | b'-')
                    && p + 1 < n
                    && alnum(s[p + 1])
                    && !(s[p] == b'-' && k == 1)));
        let mut a = 0;
        while a < k {
            let mut next_a = a + 1;
            if a == 0 || ch.sep[a - 1] == b' ' {
                for b in (a + 1..=k).rev() {
                    if b < k && ch.sep[b - 1] != b' ' {
                        continue;
                    }
                    if b == k && !right_ok {
                        continue;
                    }
                    if self.shape(&ch, a, b) {
                        next_a = b;
                        break;
                    }
                }
            }
            a = next_a;
        }
        p
    }

    /// Try the shapes for groups `a..b` of a chain; true if the span had a recognised
    /// shape (reported or not).
    fn shape(&mut self, ch: &Chain, a: usize, b: usize) -> bool {
        let s = self.st.s;
        let pii = self.pii;
        let m = b - a;
        let start = ch.g[a].0;
        let end = ch.g[b - 1].1;
        let text = &s[start..end];
        let seps = &ch.sep[a..b - 1];
        let uniform = seps.windows(2).all(|w| w[0] == w[1]);
        let sep = seps.first().copied().unwrap_or(0);
        let lens: [usize; 8] = {
            let mut l = [0; 8];
            for (i, g) in ch.g[a..b].iter().enumerate() {
                l[i] = g.1 - g.0;
            }
            l
        };
        let lens = &lens[..m];
        let alldig = ch.g[a..b]
            .iter()
            .all(|&(x, y)| s[x..y].iter().all(u8::is_ascii_digit));
        let total: usize = lens.iter().sum();

        if sep == b'.' && m == 4 && uniform && alldig && lens.iter().all(|&l| l <= 3) {
            self.ipv4(ch, a, start);
            return true;
        }
        if m == 1 {
            if let Some(formats) = pii.ids.chain(!alldig, lens, 0) {
                self.national(formats, text, start);
            }
            if alldig {
                self.lone_digits(text, start, end);
            }
            return true;
        }
        if !uniform {
            return false;
        }
        let formats = pii.ids.chain(!alldig, lens, sep);
        let reported = formats.is_some_and(|f| self.national(f, text, start).1);
        if alldig && lens == [3, 3, 4] && matches!(sep, b'-' | b' ') {
            // The US phone shape: a phone with a phone keyword, unless a format took it.
            if !reported && self.kw(&[Kw::Phone], start) {
                self.emit("pii.phone", "pii", Medium, start);
            }
            return true;
        }
        if formats.is_some() {
            return true;
        }
        if !alldig || !matches!(sep, b' ' | b'-') {
            return false;
        }
        let card_shape =
            (m >= 3 && lens[..m - 1].iter().all(|&l| l == 4) && (1..=4).contains(&lens[m - 1]))
                || lens == [4, 6, 5]
                || lens == [4, 6, 4];
        if card_shape && (13..=19).contains(&total) {
            if v::payment_card(text) && !self.documented("payment_card", text) {
                self.report("pii.payment_card", &[Kw::Card], start, Some(Medium), High);
            }
            return true;
        }
        // National phone formats: leading 0, 9–12 digits, with a keyword.
        if (9..=12).contains(&total) && s[start] == b'0' {
            if self.kw(&[Kw::Phone], start) {
                self.emit("pii.phone", "pii", Medium, start);
            }
            return true;
        }
        false
    }

    /// A lone digit token's readings besides the national identifier formats': a
    /// capital letter after a separator (`12345678-Z`) and payment cards.
    fn lone_digits(&mut self, text: &[u8], start: usize, end: usize) {
        let s = self.st.s;
        let pii = self.pii;
        if end + 2 <= s.len()
            && s[end + 1].is_ascii_uppercase()
            && (end + 2 == s.len() || !alnum(s[end + 2]))
            && let Some(formats) = pii.ids.letter_after(text.len(), s[end])
        {
            self.national(formats, &s[start..end + 2], start);
        }
        if (12..=19).contains(&text.len())
            && v::payment_card(text)
            && !self.documented("payment_card", text)
        {
            let base = matches!(text.len(), 15 | 16).then_some(Medium);
            self.report("pii.payment_card", &[Kw::Card], start, base, High);
        }
    }

    /// Report the national identifier formats that read one shape, for the value
    /// `cand` at `off`. Each whose validator passes and that does not list the value as
    /// a documentation value is reported: at its confidence with a keyword when one of
    /// its groups is near; else at the shape's without one, unless another format of the
    /// shape has its keyword near (the keyword decides between them). A validator that
    /// cannot decide lowers the confidence a step. Returns whether a validator passed
    /// and whether a format was reported.
    fn national(&mut self, formats: &[Member], cand: &[u8], off: usize) -> (bool, bool) {
        let (mut validated, mut reported) = (false, false);
        for (i, f) in formats.iter().enumerate() {
            let validity = f.check.validity(cand);
            if validity == Validity::Invalid {
                continue;
            }
            validated = true;
            if self.documented(f.validator, cand) {
                continue;
            }
            // Outside tables a value needs its keyword: a number alone (a changeSet id,
            // a model's counts) is no one's identifier.
            let c = if self.kw_groups(&f.keywords, off) {
                Some(f.with_keyword)
            } else if self.st.kind.tabular()
                && f.without_keyword.is_some()
                && !formats
                    .iter()
                    .enumerate()
                    .any(|(j, g)| j != i && self.kw_groups(&g.keywords, off))
            {
                f.without_keyword
            } else {
                None
            };
            let c = match validity {
                Validity::Unknown => c.and_then(national::lower),
                _ => c,
            };
            if let Some(c) = c {
                self.emit(f.signal, "pii", c, off);
                reported = true;
            }
        }
        (validated, reported)
    }

    fn phone_e164(&mut self, ch: &Chain, plus: usize) {
        let s = self.st.s;
        let seps = &ch.sep[..ch.k - 1];
        if !seps.iter().all(|&x| matches!(x, b' ' | b'-' | b'.')) {
            return;
        }
        let mut total = 0;
        for &(x, y) in &ch.g[..ch.k] {
            if !s[x..y].iter().all(u8::is_ascii_digit) {
                return;
            }
            total += y - x;
        }
        let first = s[ch.g[0].0];
        let all_same = ch.g[..ch.k]
            .iter()
            .all(|&(x, y)| s[x..y].iter().all(|&c| c == first));
        if (8..=15).contains(&total) && first != b'0' && !all_same {
            self.report("pii.phone", &[Kw::Phone], plus, Some(Low), High);
        }
    }

    fn phone_paren(&mut self, ch: &Chain, paren: usize) {
        let s = self.st.s;
        let lens: Vec<usize> = ch.g[..ch.k].iter().map(|g| g.1 - g.0).collect();
        let digits = ch.g[..ch.k]
            .iter()
            .all(|&(x, y)| s[x..y].iter().all(u8::is_ascii_digit));
        if digits && lens == [3, 3, 4] && matches!(ch.sep[1], b'-' | b' ' | b'.') {
            self.report("pii.phone", &[Kw::Phone], paren, Some(Low), Medium);
        }
    }

    fn ipv4(&mut self, ch: &Chain, a: usize, start: usize) {
        let s = self.st.s;
        let mut o = [0u32; 4];
        for (i, &(x, y)) in ch.g[a..a + 4].iter().enumerate() {
            let t = &s[x..y];
            if t.len() > 1 && t[0] == b'0' {
                return;
            }
            o[i] = t.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0'));
            if o[i] > 255 {
                return;
            }
        }
        // Version strings: "version 1.2.3.4", "v 1.2.3.4".
        let before = &s[start.saturating_sub(12)..start];
        if before
            .windows(7)
            .any(|w| w.eq_ignore_ascii_case(b"version"))
        {
            return;
        }
        let private = o[0] == 10
            || (o[0] == 172 && (16..=31).contains(&o[1]))
            || (o[0] == 192 && o[1] == 168)
            || (o[0] == 100 && (64..=127).contains(&o[1]))
            || (o[0] == 169 && o[1] == 254);
        let skip = o[0] == 0
            || o[0] == 127
            || o[0] >= 224
            || (o[0], o[1], o[2]) == (192, 0, 2)
            || (o[0], o[1], o[2]) == (198, 51, 100)
            || (o[0], o[1], o[2]) == (203, 0, 113)
            || o[3] == 0
            || o[3] == 255;
        if skip {
            return;
        }
        if private {
            self.emit("pii.ip_address", "pii", Low, start);
        } else {
            self.report("pii.ip_address", &[Kw::Ip], start, Some(Medium), High);
        }
    }

    /// Upper-case-led tokens: IBANs, and the national identifier formats with a
    /// capital-led shape (NINO, NIE, codice fiscale).
    fn upper_at(&mut self, i: usize) -> usize {
        let s = self.st.s;
        let pii = self.pii;
        let n = s.len();
        let e = tok_end(s, i);
        let tok = &s[i..e];
        let len = tok.len();
        // A second capital (IBAN country codes, NINO prefixes, names in a codice
        // fiscale), or a digit at a length a shape reads (a NIE's digit comes second):
        // capital-led shapes are capitals and digits, so a capitalized word is passed
        // over here.
        if len < 2
            || !(tok[1].is_ascii_uppercase()
                || (tok[1].is_ascii_digit() && pii.ids.reads_upper(len)))
        {
            return e;
        }
        let prev = if i > 0 { s[i - 1] } else { b'\n' };
        if b"._/\\@$%#-".contains(&prev) {
            return e;
        }
        let up_or_digit = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
        // IBAN.
        if len >= 4 && tok[2].is_ascii_digit() && tok[3].is_ascii_digit() {
            let mut end = e;
            if len == 4 {
                // Spaced groups of four; the last may be shorter.
                let mut p = e;
                let mut total = 4;
                while p + 1 < n && s[p] == b' ' && up_or_digit(s[p + 1]) {
                    let ge = tok_end(s, p + 1);
                    let gl = ge - p - 1;
                    if gl > 4 || total + gl > 34 || !s[p + 1..ge].iter().all(|&b| up_or_digit(b)) {
                        break;
                    }
                    total += gl;
                    p = ge;
                    end = ge;
                    if gl < 4 {
                        break;
                    }
                }
            }
            let cand = &s[i..end];
            if (15..=42).contains(&cand.len()) {
                if v::iban(cand) && !self.documented("iban", cand) {
                    self.report("pii.iban", &[Kw::Iban], i, Some(Medium), High);
                }
                // IBAN-shaped: consumed whether valid or not, so that its digit groups
                // are not read again as a card number.
                return end;
            }
        }
        // The national identifier formats that read capital-led values, in table
        // order: the first shape whose validator passes takes the value.
        for shape in &pii.ids.upper {
            let (length, spaced) = (usize::from(shape.length), shape.spaced);
            let mut buf = [0u8; national::MAX_LEN];
            let (cand, end) = if spaced.is_empty() {
                if len != length {
                    continue;
                }
                (tok, e)
            } else {
                if len != length && !spaced.iter().any(|&g| usize::from(g) == len) {
                    continue;
                }
                // Characters of the value, single spaces between groups skipped.
                let mut k = 0;
                let mut p = i;
                let mut end = i;
                while p < n && k < length {
                    let c = s[p];
                    if c == b' ' && k > 0 && p + 1 < n && up_or_digit(s[p + 1]) {
                        p += 1;
                        continue;
                    }
                    if !up_or_digit(c) {
                        break;
                    }
                    buf[k] = c;
                    k += 1;
                    p += 1;
                    end = p;
                }
                if k < length || (end < n && alnum(s[end])) {
                    continue;
                }
                (&buf[..k], end)
            };
            if self.national(&shape.formats, cand, i).0 {
                return end;
            }
        }
        e
    }

    // ---- IPv6 -------------------------------------------------------------------

    /// IPv6 addresses, found from their `::` or from a run of hex groups around a colon
    /// and confirmed by the standard parser. A token must stand alone (no letter, digit or
    /// `_` around it) and carry at least three non-empty groups, so `std::net`, `a::b`
    /// paths, `dead::beef` and `12:30:45` times do not count. Loopback, unspecified,
    /// multicast and the documentation prefix 2001:db8::/32 are skipped; link-local and
    /// unique-local addresses are low; global ones medium, high with an IP keyword.
    fn ipv6(&mut self) {
        let s = self.st.s;
        let n = s.len();
        let hexc = |b: u8| b.is_ascii_hexdigit() || b == b':';
        let mut last_end = 0;
        for colon in memchr::memchr_iter(b':', s) {
            // Most colons in text and code are followed by a space or a letter past `f`:
            // reject those before walking back.
            if colon < last_end || colon + 1 >= n || !hexc(s[colon + 1]) {
                continue;
            }
            let mut a = colon;
            while a > 0 && colon - a < 39 && hexc(s[a - 1]) {
                a -= 1;
            }
            let mut b = colon + 1;
            while b < n && b - a < 39 && hexc(s[b]) {
                b += 1;
            }
            last_end = b;
            let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
            if (a > 0 && (word(s[a - 1]) || s[a - 1] == b':'))
                || (b < n && (word(s[b]) || s[b] == b':' || s[b] == b'.'))
            {
                continue;
            }
            let tok = &s[a..b];
            let groups = tok.split(|&c| c == b':').filter(|g| !g.is_empty()).count();
            if groups < 3 {
                continue;
            }
            let Ok(text) = std::str::from_utf8(tok) else {
                continue;
            };
            let Ok(addr) = text.parse::<std::net::Ipv6Addr>() else {
                continue;
            };
            let seg = addr.segments();
            if addr.is_loopback()
                || addr.is_unspecified()
                || addr.is_multicast()
                || (seg[0] == 0x2001 && seg[1] == 0x0db8)
            {
                continue;
            }
            let local = (seg[0] & 0xffc0) == 0xfe80 || (seg[0] & 0xfe00) == 0xfc00;
            if local {
                self.emit("pii.ip_address", "pii", Low, a);
            } else {
                self.report("pii.ip_address", &[Kw::Ip], a, Some(Medium), High);
            }
        }
    }

    // ---- e-mail -----------------------------------------------------------------

    fn emails(&mut self) {
        let s = self.st.s;
        let n = s.len();
        let local_ch = |b: u8| alnum(b) || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
        let mut last_end = 0;
        for at in memchr::memchr_iter(b'@', s) {
            if at < last_end {
                continue;
            }
            let mut l = at;
            while l > 0 && at - l < 64 && local_ch(s[l - 1]) {
                l -= 1;
            }
            while l < at && !alnum(s[l]) {
                l += 1;
            }
            if l == at || s[at - 1] == b'.' {
                continue;
            }
            if l > 0 {
                let p = s[l - 1];
                if p == b'/' || (at - l >= 64 && local_ch(p)) {
                    continue;
                }
                if p == b':' && !(l >= 7 && s[l - 7..l - 1].eq_ignore_ascii_case(b"mailto")) {
                    continue;
                }
            }
            let mut r = at + 1;
            while r < n && r - at <= 253 && (alnum(s[r]) || s[r] == b'.' || s[r] == b'-') {
                r += 1;
            }
            while r > at + 1 && matches!(s[r - 1], b'.' | b'-') {
                r -= 1;
            }
            let local = &s[l..at];
            let domain = &s[at + 1..r];
            if !valid_domain(domain) || skip_email(local, domain, self.pii.tables) {
                continue;
            }
            last_end = r;
            self.report("pii.email", &[Kw::Email], l, Some(Medium), High);
        }
    }

    // ---- ICD-10 -----------------------------------------------------------------

    fn icd10(&mut self) {
        let st = self.st;
        let s = st.s;
        // Medical/ICD keyword positions, as merged windows.
        let mut marks: Vec<(usize, usize)> = Vec::new();
        for g in [Kw::Medical, Kw::Icd] {
            for &(id, len, prefix) in &self.pii.kw[g as usize] {
                for &o in st.ctx.hits(id) {
                    if word_at(s, o, len, prefix) {
                        marks.push((o.saturating_sub(WINDOW), (o + len + WINDOW).min(s.len())));
                    }
                }
            }
        }
        if marks.is_empty() {
            return;
        }
        // A code in a comment of code or SQL explains what a column holds (`-- e.g.
        // E11, type 2 diabetes`): talk, not a record.
        let syntax = st.kind.syntax();
        let mut comments: Option<Vec<(usize, usize, kind::Region)>> = None;
        let mut in_comment = |at: usize| {
            syntax.is_some_and(|syn| {
                let rg = comments.get_or_insert_with(|| kind::regions(s, syn));
                kind::region_at(rg, at).is_some_and(|r| r.2 == kind::Region::Comment)
            })
        };
        marks.sort_unstable();
        let mut windows: Vec<(usize, usize)> = Vec::new();
        for (lo, hi) in marks {
            match windows.last_mut() {
                Some(w) if lo <= w.1 => w.1 = w.1.max(hi),
                _ => windows.push((lo, hi)),
            }
        }
        for (lo, hi) in windows {
            let mut i = lo;
            while i < hi {
                if !alnum(s[i]) {
                    i += 1;
                    continue;
                }
                let e = tok_end(s, i);
                let prev_ok = i == 0 || !matches!(s[i - 1], b'.' | b'-' | b'_' | b'/');
                if prev_ok && e - i == 3 && is_icd_head(&s[i..e]) {
                    // Optional .xxxx
                    let mut end = e;
                    let mut dotted = false;
                    if e + 1 < s.len() && s[e] == b'.' && alnum(s[e + 1]) {
                        let fe = tok_end(s, e + 1);
                        if fe - e - 1 <= 4
                            && s[e + 1..fe]
                                .iter()
                                .all(|&c| c.is_ascii_digit() || c.is_ascii_uppercase())
                        {
                            dotted = true;
                            end = fe;
                        }
                    }
                    let after_ok = end >= s.len()
                        || !(s[end] == b'.' && end + 1 < s.len() && alnum(s[end + 1]));
                    if after_ok && !in_comment(i) {
                        let icd_kw = self.kw(&[Kw::Icd], i);
                        if icd_kw {
                            self.emit("health.icd10", "health", High, i);
                        } else if dotted && self.kw(&[Kw::Medical], i) {
                            self.emit("health.icd10", "health", Medium, i);
                        }
                    }
                    i = end.max(e);
                    continue;
                }
                i = e;
            }
        }
    }
}

fn is_icd_head(t: &[u8]) -> bool {
    let c0 = t[0];
    c0.is_ascii_uppercase()
        && c0 != b'U'
        && t[1].is_ascii_digit()
        && (t[2].is_ascii_digit() || t[2] == b'A' || t[2] == b'B')
}

/// Lower-case words of an identifier or header field: split on `_`, `-`, spaces, dots
/// and camelCase boundaries.
fn words_of(t: &[u8]) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for &b in t {
        if b.is_ascii_alphanumeric() {
            if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
            cur.push(b.to_ascii_lowercase() as char);
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

fn term_matches(words: &[String], term: &[&str], mode: Mode, affixes: &[&str]) -> bool {
    match mode {
        Mode::Part => {
            words.iter().any(|w| is_concat(w, term))
                || words
                    .windows(term.len())
                    .any(|w| w.iter().zip(term).all(|(a, b)| a == b))
        }
        Mode::Exact | Mode::HeaderOnly => {
            let mut core = words.iter().filter(|w| !affixes.contains(&w.as_str()));
            term.iter().all(|t| core.next().is_some_and(|w| w == t)) && core.next().is_none()
        }
    }
}

/// Whether `w` is `parts` written one after the other (without building that string:
/// this runs for every term at every identifier near a special-category anchor).
fn is_concat(w: &str, parts: &[&str]) -> bool {
    let mut rest = w;
    for p in parts {
        match rest.strip_prefix(p) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

fn valid_domain(d: &[u8]) -> bool {
    if d.is_empty() || d.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut tld: &[u8] = b"";
    for label in d.split(|&c| c == b'.') {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return false;
        }
        labels += 1;
        tld = label;
    }
    labels >= 2 && (2..=24).contains(&tld.len()) && tld.iter().all(u8::is_ascii_alphabetic)
}

/// Documentation and non-personal addresses.
fn skip_email(local: &[u8], domain: &[u8], tables: &Tables) -> bool {
    let dl = domain.to_ascii_lowercase();
    let ll = local.to_ascii_lowercase();
    let tld = dl.rsplit(|&c| c == b'.').next().unwrap_or(b"");
    if tables
        .list(Cx::EmailFileExtensions)
        .iter()
        .any(|e| e.as_bytes() == tld)
    {
        return true;
    }
    if matches!(
        tld,
        b"test" | b"example" | b"invalid" | b"localhost" | b"local"
    ) {
        return true;
    }
    let base_skip: &[&[u8]] = &[
        b"example.com",
        b"example.org",
        b"example.net",
        b"example.edu",
        b"test.com",
        b"test.org",
        b"domain.com",
        b"yourdomain.com",
        b"your-domain.com",
        b"mydomain.com",
        b"yourcompany.com",
        b"email.com",
        b"localhost.localdomain",
    ];
    for b in base_skip {
        if dl == *b || (dl.len() > b.len() && dl.ends_with(b) && dl[dl.len() - b.len() - 1] == b'.')
        {
            return true;
        }
    }
    if dl.windows(7).any(|w| w == b"noreply") || dl.windows(8).any(|w| w == b"no-reply") {
        return true;
    }
    matches!(
        ll.as_slice(),
        b"git" | b"noreply" | b"no-reply" | b"donotreply" | b"do-not-reply"
    ) || ll.starts_with(b"noreply+")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`SIGNAL_IDS`] lists exactly the ids this file's code and its tables emit.
    #[test]
    fn the_signal_id_list_is_what_the_code_emits() {
        let src = include_str!("pii.rs");
        let code = &src[..src.find("#[cfg(test)]").unwrap()];
        let mut code = code.to_string();
        for sub in [
            include_str!("pii/table.rs"),
            include_str!("pii/special.rs"),
            include_str!("pii/document.rs"),
            include_str!("pii/events.rs"),
        ] {
            code.push_str(&sub[..sub.find("#[cfg(test)]").unwrap_or(sub.len())]);
        }
        let start = code.find("pub const SIGNAL_IDS").unwrap();
        let end = start + code[start..].find("];").unwrap();
        let code = format!("{}{}", &code[..start], &code[end..]);
        let mut emitted = std::collections::BTreeSet::new();
        for prefix in [
            "\"pii.",
            "\"health.",
            "\"special.",
            "\"special_field.",
            "\"schema.",
        ] {
            for (at, _) in code.match_indices(prefix) {
                let rest = &code[at + 1..];
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                    .unwrap();
                if rest[len..].starts_with('"') {
                    emitted.insert(&rest[..len]);
                }
            }
        }
        emitted.extend(TABLES.special.iter().map(|(_, id, _)| *id));
        let listed: std::collections::BTreeSet<&str> = SIGNAL_IDS.iter().copied().collect();
        assert_eq!(listed.len(), SIGNAL_IDS.len(), "an id is listed twice");
        assert_eq!(emitted, listed);
    }

    #[test]
    fn terms_match_words_joined_or_in_a_row() {
        let words = |t: &str| words_of(t.as_bytes());
        let term_matches =
            |w: &[String], t: &[&str], m: Mode| term_matches(w, t, m, TABLES.affixes);
        // Part: the words in a row, or one word that is them written together.
        assert!(term_matches(
            &words("blood_type_id"),
            &["blood", "type"],
            Mode::Part
        ));
        assert!(term_matches(
            &words("bloodtype"),
            &["blood", "type"],
            Mode::Part
        ));
        assert!(!term_matches(
            &words("bloodtypes"),
            &["blood", "type"],
            Mode::Part
        ));
        assert!(!term_matches(
            &words("type_blood"),
            &["blood", "type"],
            Mode::Part
        ));
        // Exact: the words and nothing else but affixes (`patient`, `id`).
        let term = &["sexual", "orientation"][..];
        assert!(term_matches(
            &words("patientSexualOrientation_id"),
            term,
            Mode::Exact
        ));
        assert!(!term_matches(
            &words("sexual_orientation_x"),
            term,
            Mode::Exact
        ));
        assert!(!term_matches(
            &words("orientation_sexual"),
            term,
            Mode::Exact
        ));
        assert!(!term_matches(&words("sexual"), term, Mode::Exact));
        assert!(is_concat("abc", &["a", "", "bc"]));
        assert!(!is_concat("abc", &["a", "b"]));
        assert!(!is_concat("ab", &["a", "bc"]));
    }
    use std::sync::OnceLock;

    /// Anchor registry of the test harness: literals in registration order.
    #[derive(Default)]
    struct Reg(Vec<Vec<u8>>);

    impl AnchorRegistry for Reg {
        fn anchor(&mut self, literal: &str) -> AnchorId {
            let lit = literal.as_bytes().to_ascii_lowercase();
            if let Some(i) = self.0.iter().position(|l| *l == lit) {
                return AnchorId(i as u32);
            }
            self.0.push(lit);
            AnchorId(self.0.len() as u32 - 1)
        }
    }

    fn family() -> &'static (Pii, Reg) {
        static F: OnceLock<(Pii, Reg)> = OnceLock::new();
        F.get_or_init(|| {
            let mut reg = Reg::default();
            let pii = Pii::new(&mut reg);
            (pii, reg)
        })
    }

    /// Naive, case-insensitive search of every registered literal (the real prefilter is
    /// the engine's Aho-Corasick automaton; this stands in for it).
    fn anchors(reg: &Reg, s: &[u8]) -> Vec<Vec<usize>> {
        reg.0
            .iter()
            .map(|lit| {
                if lit.len() > s.len() {
                    return vec![];
                }
                (0..=s.len() - lit.len())
                    .filter(|&i| s[i..i + lit.len()].eq_ignore_ascii_case(lit))
                    .collect()
            })
            .collect()
    }

    fn scan_path(path: &str, content: &str) -> Vec<Hit> {
        let (pii, reg) = family();
        let a = anchors(reg, content.as_bytes());
        let ctx = FileCtx {
            path,
            content: content.as_bytes(),
            binary: false,
            anchors: &a,
            touched: None,
        };
        let mut out = vec![];
        pii.scan(&ctx, &mut out);
        out
    }

    fn scan(content: &str) -> Vec<Hit> {
        scan_path("src/notes.txt", content)
    }

    /// Hits of the token pass over `content`: the real one, or (`walk`) a plain
    /// byte-by-byte walk, which the real one must equal.
    fn token_pass(content: &str, walk: bool) -> Vec<Hit> {
        let (pii, reg) = family();
        let a = anchors(reg, content.as_bytes());
        let ctx = FileCtx {
            path: "src/notes.txt",
            content: content.as_bytes(),
            binary: false,
            anchors: &a,
            touched: None,
        };
        let st = State::new(pii, &ctx, Kind::Prose, &[]);
        let mut out = vec![];
        let mut sc = Scan {
            pii,
            st: &st,
            out: &mut out,
        };
        if !walk {
            sc.tokens();
            return out;
        }
        let (s, mut i) = (content.as_bytes(), 0);
        while i < s.len() {
            i = match CLASS[s[i] as usize] {
                0 => i + 1,
                DIG => sc.digits_at(i),
                UP => sc.upper_at(i),
                _ => tok_end(s, i),
            };
        }
        out
    }

    #[test]
    fn next_lead_finds_each_token_led_by_a_digit_or_capital() {
        let s = b"abc Def 12 x9 _Q zz\xc3\x89A (7) helloWorld END";
        let mut got = vec![];
        let mut i = 0;
        while let Some(j) = next_lead(s, i) {
            got.push(j);
            i = tok_end(s, j);
        }
        let want: Vec<usize> = (0..s.len())
            .filter(|&j| matches!(CLASS[s[j] as usize], DIG | UP) && (j == 0 || !alnum(s[j - 1])))
            .collect();
        assert_eq!(got, want);
        assert_eq!(next_lead(b"Zebra", 0), Some(0));
        assert_eq!(next_lead(b"lower case only, and _under_", 0), None);
    }

    #[test]
    #[allow(unsafe_code)] // Calls the SIMD kernel directly.
    fn next_lead_is_the_same_eight_or_thirty_two_bytes_at_a_time() {
        // Bytes drawn from a small alphabet of every class, at every start and length
        // around the block sizes, so that tokens straddle blocks.
        let alphabet = b"aZ9 _-\xc3\x89zA0.q";
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut text = Vec::new();
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let b = alphabet[(x % alphabet.len() as u64) as usize];
            // Runs of one class, so long tokens and long gaps both occur.
            for _ in 0..(x >> 60) {
                text.push(b);
            }
        }
        for len in [0, 1, 7, 8, 31, 32, 33, 64, 65, 200, text.len()] {
            let s = &text[..len.min(text.len())];
            for from in 0..s.len().min(70) {
                if from > 0 && alnum(s[from - 1]) {
                    continue;
                }
                let want = next_lead_swar(s, from, from);
                assert_eq!(next_lead(s, from), want, "len {len} from {from}");
                #[cfg(target_arch = "x86_64")]
                if std::is_x86_feature_detected!("avx2") {
                    // SAFETY: the processor has AVX2.
                    let got = match unsafe { next_lead_avx2(s, from) } {
                        Ok(j) => Some(j),
                        Err(i) => next_lead_swar(s, from, i),
                    };
                    assert_eq!(got, want, "len {len} from {from}");
                }
            }
        }
    }

    #[test]
    fn the_token_pass_equals_a_byte_walk_on_the_samples() {
        for text in [
            "card 4111 1111 1111 1111 and IBAN DE89 3704 0044 0532 0130 00",
            "NINO AB123456C, ab 12 34 56 c, NIE X1234567L, +44 20 7946 0958",
            "(555) 123-4567 SSN 078-05-1120 RRN 900101-1234567 x",
            "RSSMRA85T10A562S codice; 12345678901234567890123; 1.2.3.4",
        ] {
            assert_eq!(token_pass(text, false), token_pass(text, true), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_token_pass_equals_a_byte_walk(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "0", "1", "4111", "9", "AB", "X", "de89", "DE", "Q", " ", "-", ".", "+", "(",
                ")", "_", "/", "@", "a", "zz", "\n", ",", "\u{e9}", "GB82WEST", "12345678",
            ]), 0..80),
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(token_pass(&text, false), token_pass(&text, true));
        }
    }

    /// Highest confidence for `id`, if reported.
    fn conf(hits: &[Hit], id: &str) -> Option<Confidence> {
        hits.iter()
            .filter(|h| h.id == id)
            .map(|h| h.confidence)
            .max()
    }

    fn ids(hits: &[Hit]) -> Vec<String> {
        let mut v: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn name_and_binary() {
        let (pii, reg) = family();
        assert_eq!(pii.name(), "pii");
        let content = b"card 4532015112830366\0";
        let a = anchors(reg, content);
        let ctx = FileCtx {
            path: "x.bin",
            content,
            binary: true,
            anchors: &a,
            touched: None,
        };
        let mut out = vec![];
        pii.scan(&ctx, &mut out);
        assert!(out.is_empty());
        // Constructor used by the engine.
        let mut r = Reg::default();
        assert_eq!(new(&mut r).name(), "pii");
    }

    #[test]
    fn payment_cards() {
        let h = scan("order 4532 0151 1283 0366 shipped");
        assert_eq!(conf(&h, "pii.payment_card"), Some(Medium));
        let h = scan("credit card: 4532-0151-1283-0366");
        assert_eq!(conf(&h, "pii.payment_card"), Some(High));
        let h = scan("{\"cardNumber\": \"4532015112830366\"}");
        assert_eq!(conf(&h, "pii.payment_card"), Some(High));
        assert_eq!(h[0].offset, 16);
        // Luhn fails, no brand, test numbers, 19-digit ids without keyword.
        for neg in [
            "ref 4532 0151 1283 0367",
            "id 1234567812345670",
            "card 4111 1111 1111 1111",
            "stripe test card 4242424242424242",
            "amex 378282246310005",
            "snowflake 4123456789012345674",
            "uuid 550e8400-e29b-41d4-a716-446655440000",
            "path /v1/4532015112830366/x",
        ] {
            assert!(scan(neg).is_empty(), "{neg}: {:?}", scan(neg));
        }
        // A 19-digit Visa only with a keyword.
        let mut d = b"412345678901234567".to_vec();
        let check = (0..10u8)
            .find(|c| {
                let mut t = d.clone();
                t.push(b'0' + c);
                v::payment_card(&t)
            })
            .unwrap();
        d.push(b'0' + check);
        let n = String::from_utf8(d).unwrap();
        assert!(scan(&format!("id {n}")).is_empty());
        assert_eq!(
            conf(&scan(&format!("visa {n}")), "pii.payment_card"),
            Some(High)
        );
    }

    #[test]
    fn ibans() {
        let h = scan("pay to DE02 1203 0000 0000 2020 51 please");
        assert_eq!(conf(&h, "pii.iban"), Some(Medium));
        let h = scan("IBAN: DE02120300000000202051");
        assert_eq!(conf(&h, "pii.iban"), Some(High));
        assert!(scan("IBAN: DE02120300000000202052").is_empty());
        assert!(
            scan("IBAN GB82 WEST 1234 5698 7654 32").is_empty(),
            "example"
        );
        assert!(scan("iban DE89370400440532013000").is_empty(), "example");
    }

    /// A value alone in a table's row, under a header without keywords.
    fn row(value: &str) -> Vec<Hit> {
        scan_path("data/rows.csv", &format!("id,ref\n1,{value}\n"))
    }

    #[test]
    fn ssns() {
        assert_eq!(conf(&row("536-22-8726"), "pii.us_ssn"), Some(Medium));
        // Outside a table a value needs its keyword.
        assert_eq!(conf(&scan("id 536-22-8726"), "pii.us_ssn"), None);
        assert_eq!(conf(&scan("SSN 536-22-8726"), "pii.us_ssn"), Some(High));
        assert_eq!(conf(&scan("ssn=536228726"), "pii.us_ssn"), Some(High));
        assert!(
            scan("id 536228726").is_empty(),
            "bare 9 digits need a keyword"
        );
        assert!(scan("ssn 078-05-1120 and 123-45-6789").is_empty());
        assert!(scan("ssn 666-22-8726").is_empty());
        // CSV header supplies the keyword for the whole file.
        let csv = format!("name,ssn\n{}alice,536228726\n", "bob,1\n".repeat(100));
        let h = scan_path("data/people.csv", &csv);
        assert_eq!(conf(&h, "pii.us_ssn"), Some(High));
        assert!(scan_path("data/people.txt", &csv).is_empty());
    }

    #[test]
    fn nino_nhs() {
        assert_eq!(conf(&row("JG103759A"), "pii.uk_nino"), Some(Medium));
        assert_eq!(conf(&scan("ref JG103759A"), "pii.uk_nino"), None);
        assert_eq!(
            conf(&scan("National Insurance: JG 10 37 59 A"), "pii.uk_nino"),
            Some(High)
        );
        assert!(row("JG103759E").is_empty());
        assert!(scan("nino AB123456C").is_empty(), "documentation example");
        let nhs = (0..10)
            .map(|c| format!("485777345{c}"))
            .find(|s| v::uk_nhs(s.as_bytes()))
            .unwrap();
        let spaced = format!("{} {} {}", &nhs[..3], &nhs[3..6], &nhs[6..]);
        assert_eq!(
            conf(&scan(&format!("NHS number {spaced}")), "pii.uk_nhs"),
            Some(High)
        );
        let h = scan(&format!("call {spaced}"));
        assert!(h.iter().all(|h| h.id != "pii.uk_nhs"));
        assert!(scan(&format!("ts {nhs}")).is_empty());
    }

    #[test]
    fn korean_rrn() {
        let with_check = |stem: &str| {
            (0..10)
                .map(|c| format!("{stem}{c}"))
                .find(|s| v::kr_rrn(s.as_bytes()) == Validity::Valid)
                .unwrap()
        };
        let rrn = with_check("850101-123456");
        assert_eq!(conf(&row(&rrn), "pii.kr_rrn"), Some(Medium));
        assert_eq!(
            conf(&scan(&format!("주민등록번호: {rrn}")), "pii.kr_rrn"),
            Some(High)
        );
        // Post-2020 random tail: unknown, capped at medium with a keyword, low without.
        let unknown = (0..10)
            .map(|c| format!("210305-312345{c}"))
            .find(|s| v::kr_rrn(s.as_bytes()) == Validity::Unknown)
            .unwrap();
        assert_eq!(conf(&row(&unknown), "pii.kr_rrn"), Some(Low));
        assert_eq!(
            conf(&scan(&format!("RRN {unknown}")), "pii.kr_rrn"),
            Some(Medium)
        );
    }

    #[test]
    fn eu_national_ids() {
        assert_eq!(
            conf(&scan("PESEL: 90090515836"), "pii.pl_pesel"),
            Some(High)
        );
        assert!(scan("n 90090515836").is_empty());
        assert_eq!(conf(&row("87654321X"), "pii.es_dni"), {
            if v::es_dni(b"87654321X") {
                Some(Medium)
            } else {
                None
            }
        });
        assert_eq!(conf(&scan("DNI 12345679-S"), "pii.es_dni"), {
            v::es_dni(b"12345679S").then_some(High)
        });
        assert_eq!(conf(&scan("NIE Y1234567X"), "pii.es_nie"), Some(High));
        assert_eq!(
            conf(&scan("cf = 'MRTMTT25D09F205Z'"), "pii.it_codice_fiscale"),
            None,
            "documentation example"
        );
        assert_eq!(conf(&scan("BSN 232262536"), "pii.nl_bsn"), {
            v::nl_bsn(b"232262536").then_some(High)
        });
        assert_eq!(conf(&scan("BSN 1112.22.333"), "pii.nl_bsn"), None);
        assert_eq!(
            conf(&scan("NIR 2 69 05 49 588 157 80"), "pii.fr_nir"),
            None,
            "documentation example"
        );
        assert_eq!(conf(&scan("HETU: 131052-308T"), "pii.fi_hetu"), None);
        assert_eq!(conf(&row("010594Y9032"), "pii.fi_hetu"), {
            v::fi_hetu(b"010594Y9032").then_some(Medium)
        });
        assert_eq!(
            conf(&scan("personnummer 640823-3234"), "pii.se_personnummer"),
            Some(High)
        );
        assert_eq!(
            conf(&scan("Steuer-ID 47 036 892 816"), "pii.de_steuer_id"),
            { v::de_steuer_id(b"47036892816").then_some(High) }
        );
        assert_eq!(
            conf(&scan("routing number 021000021"), "pii.aba_routing"),
            Some(High)
        );
        assert!(scan("n 021000021").is_empty());
    }

    #[test]
    fn emails() {
        assert_eq!(
            conf(
                &scan("author = \"Jane Doe <jane.doe@acme-corp.io>\""),
                "pii.email"
            ),
            Some(Medium)
        );
        assert_eq!(
            conf(&scan("contact: jane.doe@acme-corp.io"), "pii.email"),
            Some(High)
        );
        assert_eq!(
            conf(&scan("<a href=\"mailto:jane@acme-corp.io\">"), "pii.email"),
            Some(High)
        );
        for neg in [
            "user@example.com",
            "ops@mail.example.org",
            "a@b.test",
            "root@localhost",
            "123+jane@users.noreply.github.com",
            "git@github.com:owner/repo.git",
            "icon@2x.png",
            "@types/node",
            "npm:pkg@1.2.3",
            "https://user:pass@host.io/x",
            "noreply@acme-corp.io",
        ] {
            assert!(
                conf(&scan(neg), "pii.email").is_none(),
                "{neg}: {:?}",
                scan(neg)
            );
        }
    }

    #[test]
    fn ipv6_addresses() {
        assert_eq!(
            conf(&scan("peer 2a00:1450:4001:81c::200e ok"), "pii.ip_address"),
            Some(Medium)
        );
        assert_eq!(
            conf(
                &scan("client_ip=2a00:1450:4001:81c::200e"),
                "pii.ip_address"
            ),
            Some(High)
        );
        assert_eq!(
            conf(&scan("from fe80::1ff:fe23:4567:890a"), "pii.ip_address"),
            Some(Low)
        );
        for neg in [
            "use std::net::Ipv6Addr;",
            "a::b::c",
            "at 12:30:45",
            "::1",
            "listen [::]:80",
            "doc 2001:db8::8a2e:370:7334",
            "ff02::1",
            "mac 00:1a:2b",
            "Foo::Bar::baz()",
            "dead::beef",
        ] {
            assert!(scan(neg).is_empty(), "{neg}: {:?}", scan(neg));
        }
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(
            conf(&scan("peer 81.2.69.160 ok"), "pii.ip_address"),
            Some(Medium)
        );
        assert_eq!(
            conf(&scan("client_ip=81.2.69.160"), "pii.ip_address"),
            Some(High)
        );
        assert_eq!(
            conf(&scan("client ip 10.1.2.3"), "pii.ip_address"),
            Some(Low)
        );
        for neg in [
            "bind 0.0.0.0",
            "127.0.0.1",
            "192.0.2.15",
            "198.51.100.7",
            "203.0.113.9",
            "255.255.255.0",
            "224.0.0.251",
            "version 1.2.3.4",
            "v1.2.3.4",
            "oid 1.3.6.1.4.1.311",
            "999.1.1.1",
            "pi 3.14159",
        ] {
            assert!(scan(neg).is_empty(), "{neg}: {:?}", scan(neg));
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            conf(&scan("reach +44 20 7946 0958"), "pii.phone"),
            Some(Low)
        );
        assert_eq!(
            conf(&scan("phone: +44 20 7946 0958"), "pii.phone"),
            Some(High)
        );
        assert_eq!(conf(&scan("Tel. 020 7946 0958"), "pii.phone"), Some(Medium));
        assert_eq!(
            conf(&scan("mobile: 202-555-0143"), "pii.phone"),
            Some(Medium)
        );
        assert_eq!(conf(&scan("(202) 555-0143"), "pii.phone"), Some(Low));
        for neg in ["x = 1 +2", "020 7946 0958", "1700000000", "a+1234567"] {
            assert!(conf(&scan(neg), "pii.phone").is_none(), "{neg}");
        }
    }

    #[test]
    fn icd10_needs_a_medical_keyword() {
        let h = scan("patient diagnosis: E11.9 type 2 diabetes");
        assert_eq!(conf(&h, "health.icd10"), Some(Medium));
        assert_eq!(
            h.iter().find(|h| h.id == "health.icd10").unwrap().category,
            "health"
        );
        let h = scan("ICD-10 code I10 (essential hypertension)");
        assert_eq!(conf(&h, "health.icd10"), Some(High));
        // In a comment of code or SQL, a code explains a column: talk, not a record.
        let ddl = "CREATE TABLE d (\n  icd10_code VARCHAR(8) -- e.g. B20 (HIV disease), E11 (type 2 diabetes)\n);\n";
        assert!(conf(&scan_path("db/schema.sql", ddl), "health.icd10").is_none());
        let code = "# ICD-10 E11.9: type 2 diabetes without complications\nCODE = lookup(row)\n";
        assert!(conf(&scan_path("codes.py", code), "health.icd10").is_none());
        let dump = "INSERT INTO d (patient, icd10_code) VALUES ('p1', 'E11.9'); -- diabetes\n";
        assert!(conf(&scan_path("dump.sql", dump), "health.icd10").is_some());
    }

    #[test]
    fn sql_without_rows_is_schema_not_a_dump() {
        let ddl =
            "-- Schema only.\nCREATE TABLE patient (\n  id INT PRIMARY KEY,\n  name TEXT\n);\n";
        assert_eq!(
            conf(&scan_path("db/schema.sql", ddl), SQL_WITHOUT_ROWS),
            Some(High)
        );
        let macro_ = "{% macro hash_pii(column) %}\n  sha2({{ column }}, 256)\n{% endmacro %}\n";
        assert_eq!(
            conf(&scan_path("macros/hash.sql", macro_), SQL_WITHOUT_ROWS),
            Some(High)
        );
        for rows in [
            "CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);\n",
            "COPY t (a) FROM stdin;\n1\n\\.\n",
            "create table t (a int); insert into t values (1);\n",
            "REPLACE INTO t (a) VALUES (2);\n",
        ] {
            assert!(
                conf(&scan_path("dump.sql", rows), SQL_WITHOUT_ROWS).is_none(),
                "{rows}"
            );
        }
        // Only SQL files.
        assert!(conf(&scan_path("notes.txt", ddl), SQL_WITHOUT_ROWS).is_none());
        assert!(conf(&scan("cell A10 and E11.9 in the sheet"), "health.icd10").is_none());
        assert!(conf(&scan("patient E11 record"), "health.icd10").is_none());
    }

    /// The ids of `hits` with their confidence, sorted.
    fn forms(hits: &[Hit]) -> Vec<(String, Confidence)> {
        let mut v: Vec<(String, Confidence)> = hits
            .iter()
            .map(|h| (h.id.to_string(), h.confidence))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn special_category_data_is_records_with_values() {
        let h = scan_path(
            "data/cohort.csv",
            "id,age,Ethnicity,religion,hiv_status,Sexual Orientation,trade_union_member,health\n1,2,White,none,negative,straight,yes,poor\n",
        );
        assert_eq!(
            ids(&h),
            [
                "special.ethnicity",
                "special.health",
                "special.religion",
                "special.sexual_orientation",
                "special.trade_union"
            ]
        );
        assert!(
            h.iter()
                .all(|x| x.confidence == High && x.category == "special_category")
        );
        let h = scan_path(
            "fixtures/patients.json",
            "[{\"patient_race\": \"Asian\", \"criminalRecord\": true, \"diagnoses\": [\"E11.9\"]}]",
        );
        assert_eq!(
            ids(&h),
            [
                "health.icd10",
                "special.criminal_record",
                "special.ethnicity",
                "special.health"
            ]
        );
        let h = scan_path(
            "fixtures/people.yml",
            "- name: A\n  race: White\n  diagnosis:\n    - E11.9\n",
        );
        assert_eq!(
            ids(&h),
            ["health.icd10", "special.ethnicity", "special.health"]
        );
        let h = scan_path(
            "test/resources/patients.xml",
            "<patients><patient><race>White</race><religion/></patient></patients>",
        );
        assert_eq!(ids(&h), ["special.ethnicity"]);
    }

    #[test]
    fn declared_fields_are_a_schema() {
        let schema = |path: &str, text: &str| {
            // What an SQL file without rows is, besides: see sql_without_rows_is_schema_not_a_dump.
            let mut h = scan_path(path, text);
            h.retain(|x| x.category != "schema");
            assert!(
                h.iter()
                    .all(|x| x.confidence == Medium && x.category == "special_field"),
                "{path}: {h:?}"
            );
            ids(&h)
        };
        assert_eq!(
            schema("data/template.csv", "id,ethnicity\n"),
            ["special_field.ethnicity"]
        );
        assert_eq!(
            schema(
                "app/models.py",
                "class P(Model):\n    political_party = Column(String)\n    face_embedding: list[float]\n",
            ),
            ["special_field.biometric", "special_field.political_opinion"]
        );
        assert_eq!(
            schema(
                "src/main/java/Patient.java",
                "@Entity\npublic class Patient {\n    @Column(name = \"race\")\n    private String race;\n    private Boolean hivStatus;\n}\n",
            ),
            ["special_field.ethnicity", "special_field.health"]
        );
        assert_eq!(
            schema(
                "db/schema.sql",
                "CREATE TABLE p (genotype TEXT, dna_sample BLOB);"
            ),
            ["special_field.genetic"]
        );
        assert_eq!(
            schema(
                "api/patient.json",
                "{\"race\": {\"type\": \"string\"}, \"hivStatus\": \"boolean\"}"
            ),
            ["special_field.ethnicity", "special_field.health"]
        );
        assert_eq!(
            schema(
                "models/patient.yml",
                "Patient:\n  properties:\n    race:\n      type: string\n",
            ),
            ["special_field.ethnicity"]
        );
        assert_eq!(
            schema(
                "proto/person.proto",
                "message P {\n  string religion = 3;\n}\n"
            ),
            ["special_field.religion"]
        );
        assert_eq!(
            schema(
                "pkg/model.go",
                "type P struct {\n\tRace string `json:\"race\"`\n}\n"
            ),
            ["special_field.ethnicity"]
        );
        assert_eq!(
            schema(
                "web/patient.ts",
                "interface Patient {\n  ethnicity?: string;\n}\n"
            ),
            ["special_field.ethnicity"]
        );
        assert_eq!(
            schema(
                "db/changelog.xml",
                "<createTable tableName=\"p\"><column name=\"race\" type=\"VARCHAR(50)\"/></createTable>",
            ),
            ["special_field.ethnicity"]
        );
        // A row inserted by a changelog is data.
        let h = scan_path(
            "db/changelog.xml",
            "<insert tableName=\"p\"><column name=\"race\" value=\"White\"/></insert>",
        );
        assert_eq!(ids(&h), ["special.ethnicity"]);
    }

    #[test]
    fn talk_about_special_categories_is_nothing() {
        for (path, text) in [
            (
                "src/scheduler.py",
                "# fixes a race condition between workers\nlock = Lock()\n",
            ),
            (
                "tests/test_queue.js",
                "// race: two writers\nit('has no race', () => {});\n",
            ),
            (
                "src/Race.py",
                "class Race:\n    \"\"\"A race: two runners.\"\"\"\n    laps: int\n",
            ),
            (
                "src/main/resources/messages_en.properties",
                "patient.race=Race\nprogram.hiv=HIV Program\n",
            ),
            (
                "src/PrivilegeConstants.java",
                "public static final String VIEW_DIAGNOSES = \"View Diagnoses\";\npublic static final String HIV_STATUS = \"hiv_status\";\n",
            ),
            (
                "README.md",
                "face_encodings = face_recognition.face_encodings(image)\n",
            ),
            (
                "src/app.py",
                "race = row[\"race\"]\npatient.ethnicity = form.ethnicity\n",
            ),
            (
                "web/i18n/en.json",
                "{\"race\": \"Race\", \"hivStatus\": \"HIV status\"}",
            ),
            ("web/locales/fr.yml", "race: Origine\nreligion: Religion\n"),
            (
                "config/form.json",
                "{\"race\": \"Race\", \"religion\": null, \"ethnicity\": \"\"}",
            ),
            ("docs/notes.txt", "race: the fastest wins\n"),
            ("src/notes.txt", "a race condition in the scheduler"),
            ("src/x.rs", "let trace = 1;"),
            ("ops/check.yaml", "healthcheck: /health\n"),
            ("status.json", "{\"health\": \"ok\"}"),
            ("q.sql", "SELECT a FROM t UNION SELECT b FROM u"),
            ("x.py", "third_party = 1"),
            ("x.py", "screen orientation = landscape"),
            (
                "auth.kt",
                "val biometricPrompt = BiometricPrompt(activity, executor, callback)\n",
            ),
            (
                "db/changelog.xml",
                "<!-- race column later -->\n<changeSet id=\"20110915-0803\" author=\"a\"/>",
            ),
        ] {
            let mut h = scan_path(path, text);
            h.retain(|x| x.category != "schema");
            assert!(h.is_empty(), "{path}: {h:?}");
        }
    }

    #[test]
    fn national_ids_outside_tables_need_their_keyword() {
        // A changeSet id and a model's counts are no one's identifier.
        let h = scan_path(
            "db/changelog.xml",
            "<changeSet id=\"20110915-0803\" author=\"dev\">\n",
        );
        assert!(conf(&h, "pii.se_personnummer").is_none(), "{h:?}");
        let h = scan_path("model/model.txt", "internal_count=1 85 05 78 006 084 91\n");
        assert!(conf(&h, "pii.fr_nir").is_none(), "{h:?}");
        // With its keyword, or in a table, a value is one.
        let h = scan_path("notes.txt", "personnummer 19640823-3234\n");
        assert_eq!(conf(&h, "pii.se_personnummer"), Some(High));
        let h = scan_path("people.csv", "id,ref\n1,640823-3234\n");
        assert_eq!(conf(&h, "pii.se_personnummer"), Some(Medium));
        // A column name of an SQL dump is its values' context.
        let h = scan_path(
            "dump.sql",
            "CREATE TABLE p (id int, personnummer varchar(13));\n\nINSERT INTO p VALUES (1, '196408233234');\n",
        );
        assert_eq!(conf(&h, "pii.se_personnummer"), Some(High), "{h:?}");
    }

    #[test]
    fn machine_output_holds_no_personal_data() {
        for (path, text) in [
            (
                "model/lgbm.txt",
                "tree\nversion=v3\nnum_leaves=31\nsplit_feature=1 2\nleaf_value=0.1 0.2\ncontact: jane.doe@acme-corp.io ssn 536-22-8726\n",
            ),
            (
                "package-lock.json",
                "{\"author\": \"jane.doe@acme-corp.io\"}",
            ),
            (
                "gen/api.pb.go",
                "// Code generated by protoc-gen-go. DO NOT EDIT.\n// ssn 536-22-8726\n",
            ),
        ] {
            let mut h = scan_path(path, text);
            h.retain(|x| x.category != "schema");
            assert!(h.is_empty(), "{path}: {h:?}");
        }
        // A generated export is still data.
        let h = scan_path("export.csv", "# @generated\nssn,name\n536-22-8726,Jane\n");
        assert!(conf(&h, "pii.us_ssn").is_some(), "{h:?}");
    }

    #[test]
    fn tables_are_read_by_header_and_values() {
        let h = scan_path(
            "data/patients.csv",
            "patient_id,name,diabetes,chronic_disease,transplant\n1,Ann Lee,1,0,0\n2,Bo Kim,0,1,1\n",
        );
        assert_eq!(forms(&h), [("special.health".to_string(), High)]);
        let h = scan_path(
            "data/people.tsv",
            "name\tdate_of_birth\nJane Doe\t1985-03-07\n",
        );
        assert_eq!(forms(&h), [("pii.person_records".to_string(), High)]);
    }

    // ---- generated, labelled corpus ------------------------------------------------

    /// SplitMix64: deterministic, dependency-free.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn digits(&mut self, n: usize) -> String {
            (0..n)
                .map(|_| (b'0' + self.below(10) as u8) as char)
                .collect()
        }
        fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
            &xs[self.below(xs.len() as u64) as usize]
        }
        fn upper(&mut self) -> char {
            (b'A' + self.below(26) as u8) as char
        }
    }

    fn group(s: &str, sizes: &[usize], sep: char) -> String {
        let mut out = String::new();
        let mut i = 0;
        for (k, &n) in sizes.iter().enumerate() {
            if k > 0 {
                out.push(sep);
            }
            out.push_str(&s[i..i + n]);
            i += n;
        }
        out
    }

    fn date(r: &mut Rng, y0: u64, y1: u64) -> (u64, u64, u64) {
        (y0 + r.below(y1 - y0 + 1), 1 + r.below(12), 1 + r.below(28))
    }

    /// A generated identifier: its display form and whether it is reported without a
    /// keyword (weak shapes need one, see the module table).
    struct Gen {
        text: String,
        without_kw: bool,
    }

    fn gen_one(kind: &str, r: &mut Rng) -> Gen {
        let g = |text: String, without_kw: bool| Gen { text, without_kw };
        match kind {
            "payment_card" => {
                let (prefix, len): (String, usize) = match r.below(8) {
                    0 | 1 => ("4".into(), 16),
                    2 => (format!("5{}", 1 + r.below(5)), 16),
                    3 => ((2221 + r.below(500)).to_string(), 16),
                    4 => (r.pick(&["34", "37"]).to_string(), 15),
                    5 => ("6011".into(), 16),
                    6 => ((3528 + r.below(62)).to_string(), 16),
                    _ => ("36".into(), 14),
                };
                let body = format!("{prefix}{}", r.digits(len - prefix.len() - 1));
                let c = (0..10)
                    .map(|c| format!("{body}{c}"))
                    .find(|s| v::luhn(s.as_bytes()))
                    .unwrap();
                let sizes: Vec<usize> = match len {
                    15 => vec![4, 6, 5],
                    14 => vec![4, 4, 4, 2],
                    _ => vec![4, 4, 4, 4],
                };
                match r.below(3) {
                    0 => g(group(&c, &sizes, ' '), true),
                    1 => g(group(&c, &sizes, '-'), true),
                    _ => g(c, len != 14),
                }
            }
            "iban" => {
                let (cc, letters) = *r.pick(&[
                    ("DE", 0),
                    ("FR", 0),
                    ("GB", 4),
                    ("ES", 0),
                    ("IT", 1),
                    ("NL", 4),
                    ("BE", 0),
                    ("AT", 0),
                    ("CH", 0),
                    ("PL", 0),
                    ("SE", 0),
                    ("PT", 0),
                    ("IE", 4),
                    ("FI", 0),
                    ("NO", 0),
                ]);
                let len = v::iban_length(cc.as_bytes()).unwrap();
                let head: String = (0..letters).map(|_| r.upper()).collect();
                let bban = format!("{head}{}", r.digits(len - 4 - letters));
                let mut rem = 0u32;
                for ch in format!("{bban}{cc}00").bytes() {
                    rem = if ch.is_ascii_digit() {
                        (rem * 10 + u32::from(ch - b'0')) % 97
                    } else {
                        (rem * 100 + u32::from(ch - b'A') + 10) % 97
                    };
                }
                let s = format!("{cc}{:02}{bban}", 98 - rem);
                if r.below(2) == 0 {
                    let sizes: Vec<usize> = (0..s.len())
                        .step_by(4)
                        .map(|i| 4.min(s.len() - i))
                        .collect();
                    g(group(&s, &sizes, ' '), true)
                } else {
                    g(s, true)
                }
            }
            "us_ssn" => {
                let area = loop {
                    let a = 1 + r.below(899);
                    if a != 666 {
                        break a;
                    }
                };
                let s = format!("{area:03}{:02}{:04}", 1 + r.below(99), 1 + r.below(9999));
                if r.below(3) == 0 {
                    g(s, false)
                } else {
                    g(group(&s, &[3, 2, 4], '-'), true)
                }
            }
            "uk_nino" => {
                let first = *r.pick(b"ABCEGHJKLMNOPRSTWXYZ");
                let second = *r.pick(b"ABCEGHJKLMNPRSTWXYZ");
                let s = format!(
                    "{}{}{}{}",
                    first as char,
                    second as char,
                    r.digits(6),
                    *r.pick(&['A', 'B', 'C', 'D'])
                );
                if !v::uk_nino(s.as_bytes()) {
                    // BG, GB, KN, NK, NT, TN, ZZ are not allocated.
                    return gen_one(kind, r);
                }
                if r.below(2) == 0 {
                    g(group(&s, &[2, 2, 2, 2, 1], ' '), true)
                } else {
                    g(s, true)
                }
            }
            "uk_nhs" => {
                let s = loop {
                    let body = format!("{}{}", 4 + r.below(3), r.digits(8));
                    if let Some(s) = (0..10)
                        .map(|c| format!("{body}{c}"))
                        .find(|s| v::uk_nhs(s.as_bytes()))
                    {
                        break s;
                    }
                };
                if r.below(2) == 0 {
                    g(group(&s, &[3, 3, 4], ' '), false)
                } else {
                    g(s, false)
                }
            }
            "kr_rrn" => {
                let (y, m, d) = date(r, 1950, 2019);
                let gd = if y >= 2000 {
                    3 + r.below(2)
                } else {
                    1 + r.below(2)
                };
                let body = format!("{:02}{m:02}{d:02}{gd}{}", y % 100, r.digits(5));
                let s = (0..10)
                    .map(|c| format!("{body}{c}"))
                    .find(|s| v::kr_rrn(s.as_bytes()) == Validity::Valid)
                    .unwrap();
                if r.below(3) == 0 {
                    g(s, false)
                } else {
                    g(group(&s, &[6, 7], '-'), true)
                }
            }
            "pl_pesel" => loop {
                let (y, m, d) = date(r, 1930, 2024);
                let mm = if y >= 2000 { m + 20 } else { m };
                let body = format!("{:02}{mm:02}{d:02}{}", y % 100, r.digits(4));
                if let Some(s) = (0..10)
                    .map(|c| format!("{body}{c}"))
                    .find(|s| v::pl_pesel(s.as_bytes()))
                {
                    break g(s, false);
                }
            },
            "es_dni" => {
                let n = r.digits(8);
                let l = DNI[(n.parse::<u64>().unwrap() % 23) as usize] as char;
                if r.below(3) == 0 {
                    g(format!("{n}-{l}"), true)
                } else {
                    g(format!("{n}{l}"), true)
                }
            }
            "es_nie" => {
                let lead = r.below(3);
                let n = r.digits(7);
                let full: u64 = lead * 10_000_000 + n.parse::<u64>().unwrap();
                let p = [b'X', b'Y', b'Z'][lead as usize] as char;
                g(format!("{p}{n}{}", DNI[(full % 23) as usize] as char), true)
            }
            "it_codice_fiscale" => {
                let letters: String = (0..6).map(|_| r.upper()).collect();
                let month = *r.pick(b"ABCDEHLMPRST") as char;
                let day = 1 + r.below(28) + if r.below(2) == 0 { 40 } else { 0 };
                let body = format!(
                    "{letters}{}{month}{day:02}{}{}",
                    r.digits(2),
                    r.upper(),
                    r.digits(3)
                );
                let s = (b'A'..=b'Z')
                    .map(|c| format!("{body}{}", c as char))
                    .find(|s| v::it_codice_fiscale(s.as_bytes()))
                    .unwrap();
                g(s, true)
            }
            "nl_bsn" => loop {
                let body = format!("{}{}", 1 + r.below(9), r.digits(7));
                if let Some(s) = (0..10)
                    .map(|c| format!("{body}{c}"))
                    .find(|s| v::nl_bsn(s.as_bytes()))
                {
                    break if r.below(3) == 0 {
                        g(group(&s, &[4, 2, 3], '.'), false)
                    } else {
                        g(s, false)
                    };
                }
            },
            "fr_nir" => {
                let (y, m, _) = date(r, 1930, 2020);
                let dept: String = match r.below(10) {
                    0 => "2A".into(),
                    1 => "2B".into(),
                    _ => format!("{:02}", *r.pick(&[1, 13, 33, 44, 59, 69, 75, 92, 93, 95])),
                };
                let body = format!(
                    "{}{:02}{m:02}{dept}{:03}{:03}",
                    1 + r.below(2),
                    y % 100,
                    1 + r.below(999),
                    1 + r.below(999)
                );
                let numeric = body.replace("2A", "19").replace("2B", "18");
                let key = 97 - numeric.parse::<u64>().unwrap() % 97;
                let s = format!("{body}{key:02}");
                if r.below(2) == 0 {
                    g(group(&s, &[1, 2, 2, 2, 3, 3, 2], ' '), true)
                } else {
                    g(s, true)
                }
            }
            "fi_hetu" => {
                let (y, m, d) = date(r, 1930, 2022);
                let sign = if y >= 2000 { 'A' } else { '-' };
                let ind = 2 + r.below(898);
                let n = (d * 10000 + m * 100 + y % 100) * 1000 + ind;
                let c = b"0123456789ABCDEFHJKLMNPRSTUVWXY"[(n % 31) as usize] as char;
                g(format!("{d:02}{m:02}{:02}{sign}{ind:03}{c}", y % 100), true)
            }
            "se_personnummer" => {
                let (y, m, d) = date(r, 1930, 2019);
                let body = format!("{:02}{m:02}{d:02}{}", y % 100, r.digits(3));
                let s = (0..10)
                    .map(|c| format!("{body}{c}"))
                    .find(|s| v::luhn(s.as_bytes()))
                    .unwrap();
                if r.below(3) == 0 {
                    g(s, false)
                } else {
                    g(group(&s, &[6, 4], '-'), true)
                }
            }
            "de_steuer_id" => loop {
                let mut ds: Vec<u8> = (0..10).collect();
                for i in (1..10).rev() {
                    ds.swap(i, r.below(i as u64 + 1) as usize);
                }
                ds.truncate(9);
                let dup = ds[r.below(9) as usize];
                ds.insert(r.below(10) as usize, dup);
                if ds[0] == 0 {
                    continue;
                }
                let body: String = ds.iter().map(|&x| (b'0' + x) as char).collect();
                if let Some(s) = (0..10)
                    .map(|c| format!("{body}{c}"))
                    .find(|s| v::de_steuer_id(s.as_bytes()))
                {
                    break if r.below(2) == 0 {
                        g(group(&s, &[2, 3, 3, 3], ' '), true)
                    } else {
                        g(s, false)
                    };
                }
            },
            "aba_routing" => loop {
                let p = *r.pick(&[1u64, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 26, 31, 61, 67]);
                let body = format!("{p:02}{}", r.digits(6));
                if let Some(s) = (0..10)
                    .map(|c| format!("{body}{c}"))
                    .find(|s| v::aba_routing(s.as_bytes()))
                {
                    break g(s, false);
                }
            },
            _ => unreachable!("{kind}"),
        }
    }

    const DNI: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

    /// Lines with a keyword for the kind; `{}` is the identifier.
    fn kw_lines(kind: &str) -> &'static [&'static str] {
        match kind {
            "payment_card" => &[
                "Customer credit card: {}",
                "{\"card_number\": \"{}\", \"exp\": \"12/27\"}",
                "INSERT INTO payments VALUES (7, '{}', 'EUR');",
            ],
            "iban" => &["IBAN: {}", "bank_account = \"{}\""],
            "us_ssn" => &["SSN: {}", "social_security_number={}"],
            "uk_nino" => &["National Insurance number {}", "nino: {}"],
            "uk_nhs" => &["NHS number: {}", "patient nhs_number={}"],
            "kr_rrn" => &["주민등록번호: {}", "RRN {}"],
            "pl_pesel" => &["PESEL: {}", "{\"pesel\": \"{}\"}"],
            "es_dni" => &["DNI: {}", "dni_number: {}"],
            "es_nie" => &["NIE: {}", "numero de identidad extranjero {}"],
            "it_codice_fiscale" => &["Codice fiscale: {}", "codice_fiscale = '{}'"],
            "nl_bsn" => &["BSN: {}", "burgerservicenummer {}"],
            "fr_nir" => &["NIR: {}", "numéro de sécurité sociale : {}"],
            "fi_hetu" => &["henkilötunnus: {}", "HETU {}"],
            "se_personnummer" => &["personnummer: {}", "pnr={}"],
            "de_steuer_id" => &["Steuer-ID: {}", "steuerid {}"],
            "aba_routing" => &["ABA routing number: {}", "routing={}"],
            _ => unreachable!(),
        }
    }

    /// Lines with no keyword of any group.
    const PLAIN_LINES: &[&str] = &[
        "ref {}",
        "{\"value\": \"{}\", \"n\": 3}",
        "2024-05-01 12:00:00 INFO processed {} ok",
        "row,{},x",
    ];

    /// Every validated identifier kind: the validators' names but the bare Luhn check.
    fn corpus_kinds() -> impl Iterator<Item = &'static str> {
        v::VALIDATOR_NAMES.iter().copied().filter(|n| *n != "luhn")
    }

    /// Validators a near miss must fail besides its own: every checksum validator (not
    /// bare Luhn, and not the check-less SSN/NINO rules, which numeric noise satisfies).
    fn checksum_validators() -> impl Iterator<Item = &'static str> {
        corpus_kinds().filter(|k| !matches!(*k, "us_ssn" | "uk_nino"))
    }

    fn really_fails(kind: &str, s: &str) -> bool {
        let b = s.as_bytes();
        let own = match kind {
            "kr_rrn" => v::kr_rrn(b) == Validity::Invalid,
            k => !v::by_name(k).unwrap()(b),
        };
        own && checksum_validators()
            .all(|k| !v::by_name(k).unwrap()(b) && v::kr_rrn(b) != Validity::Unknown)
    }

    /// One-character near miss: a changed digit (a rule-breaking character for the
    /// check-less SSN and NINO), re-checked to fail.
    fn near_miss(kind: &str, valid: &str, r: &mut Rng) -> String {
        let mut b = valid.as_bytes().to_vec();
        match kind {
            "us_ssn" => b[0] = b'9',
            "uk_nino" => {
                let last = b.len() - 1;
                b[last] = *r.pick(b"EFGHJKMNPQRSTWXYZ");
            }
            _ => loop {
                let i = r.below(b.len() as u64) as usize;
                if !b[i].is_ascii_digit() {
                    continue;
                }
                let mut t = b.clone();
                t[i] = b'0' + ((t[i] - b'0') + 1 + r.below(9) as u8) % 10;
                if really_fails(kind, std::str::from_utf8(&t).unwrap()) {
                    b = t;
                    break;
                }
            },
        }
        let s = String::from_utf8(b).unwrap();
        assert!(really_fails(kind, &s) || matches!(kind, "us_ssn" | "uk_nino"));
        assert!(!v::by_name(kind).unwrap()(s.as_bytes()), "{kind} {s}");
        s
    }

    #[test]
    fn generated_corpus_recall_and_near_misses() {
        const N: usize = 250;
        let mut r = Rng(0x7469_6572_6761_7465);
        let mut report = String::new();
        let (mut all_expected, mut all_found, mut all_nm, mut all_nm_hits) = (0, 0, 0, 0);
        for kind in corpus_kinds() {
            let id = format!("pii.{kind}");
            let (mut expected, mut found, mut high) = (0usize, 0usize, 0usize);
            let (mut silent_expected, mut silent_ok) = (0usize, 0usize);
            let (mut nm, mut nm_hits) = (0usize, 0usize);
            let mut misses = Vec::new();
            for i in 0..N {
                let item = loop {
                    let g = gen_one(kind, &mut r);
                    if !v::is_documentation_example(kind, g.text.as_bytes()) {
                        break g;
                    }
                };
                let kw_line = r.pick(kw_lines(kind)).replace("{}", &item.text);
                let plain = r.pick(PLAIN_LINES).replace("{}", &item.text);
                let path = format!("corpus/{kind}/{i}.txt");
                // With a keyword: always reported.
                let h = scan_path(&path, &kw_line);
                expected += 1;
                match conf(&h, &id) {
                    Some(c) => {
                        found += 1;
                        high += usize::from(c == High);
                    }
                    None => misses.push(kw_line.clone()),
                }
                // Without: reported iff the shape stands alone (module table); a
                // national identifier only in a table, its column being its context.
                let national = NATIONAL_ID_SIGNALS.contains(&id.as_str());
                if national {
                    silent_expected += 1;
                    silent_ok += usize::from(conf(&scan_path(&path, &plain), &id).is_none());
                }
                let (path, plain) = if national {
                    (
                        format!("corpus/{kind}/{i}.csv"),
                        format!("id,ref,note\n1,{},x\n", item.text),
                    )
                } else {
                    (path.clone(), plain)
                };
                let h = scan_path(&path, &plain);
                if item.without_kw {
                    expected += 1;
                    if conf(&h, &id).is_some() {
                        found += 1;
                    } else {
                        misses.push(plain.clone());
                    }
                } else {
                    silent_expected += 1;
                    silent_ok += usize::from(h.is_empty());
                }
                // The near miss, in both lines: nothing at all.
                let bad = near_miss(kind, &item.text, &mut r);
                for line in [
                    r.pick(kw_lines(kind)).replace("{}", &bad),
                    r.pick(PLAIN_LINES).replace("{}", &bad),
                ] {
                    nm += 1;
                    let h = scan_path(&path, &line);
                    if !h.is_empty() {
                        nm_hits += 1;
                        eprintln!("near miss reported: {line:?} -> {:?}", ids(&h));
                    }
                }
            }
            let recall = found as f64 / expected as f64;
            report.push_str(&format!(
                "{kind:18} valid {N}  positives {expected:4}  found {found:4}  recall {recall:.4}  \
                 high-with-keyword {high}/{N}  weak-without-keyword silent {silent_ok}/{silent_expected}  \
                 near-misses {nm} reported {nm_hits}\n"
            ));
            assert!(recall >= 0.99, "{kind}: recall {recall}; missed {misses:?}");
            assert_eq!(nm_hits, 0, "{kind}: near misses reported");
            assert_eq!(
                silent_ok, silent_expected,
                "{kind}: weak shape reported without keyword"
            );
            all_expected += expected;
            all_found += found;
            all_nm += nm;
            all_nm_hits += nm_hits;
        }
        eprintln!(
            "{report}total positives {all_expected} found {all_found} recall {:.4}; near misses {all_nm} reported {all_nm_hits}",
            all_found as f64 / all_expected as f64
        );
    }
}

#[cfg(test)]
mod bench {
    use super::*;

    /// Throughput of the family alone over ~64 MB of code-, prose- and CSV-like text
    /// (anchors located with aho-corasick, as the engine does). Run with
    /// `cargo test --release --lib pii::bench -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput() {
        struct Reg(Vec<String>);
        impl AnchorRegistry for Reg {
            fn anchor(&mut self, literal: &str) -> AnchorId {
                self.0.push(literal.to_string());
                AnchorId(self.0.len() as u32 - 1)
            }
        }
        let mut reg = Reg(vec![]);
        let pii = Pii::new(&mut reg);
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&reg.0)
            .unwrap();
        let words = "config value result handler request response user account order item \
                     index cache buffer stream parse render update delete create fetch client \
                     server token session record table column schema model report invoice \
                     payment customer address service"
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>();
        let mut x = 0x1234_5678_u64;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let mut files: Vec<Vec<u8>> = vec![];
        let mut total = 0;
        while total < 64 << 20 {
            let mut f = String::new();
            let kind = next(4);
            for _ in 0..(20 + next(200)) {
                let w: Vec<&str> = (0..2 + next(7)).map(|_| words[next(words.len())]).collect();
                match kind {
                    0 => f.push_str(&format!("    {} = {}({})\n", w[0], w[1], w[1..].join(", "))),
                    1 => f.push_str(&format!(
                        "{},{},{},{}.{}\n",
                        next(100000),
                        w[0],
                        next(1_000_000_000),
                        next(1000),
                        next(100)
                    )),
                    2 => f.push_str(&format!(
                        "2024-05-{:02}T12:{:02}:00Z INFO {} id={} ts={}\n",
                        1 + next(28),
                        next(60),
                        w.join(" "),
                        next(1 << 30),
                        1_700_000_000_000u64 + next(1 << 30) as u64
                    )),
                    _ => f.push_str(&format!("{}.\n", w.join(" "))),
                }
            }
            total += f.len();
            files.push(f.into_bytes());
        }
        let t0 = std::time::Instant::now();
        let mut anchor_sets = Vec::with_capacity(files.len());
        for f in &files {
            let mut a = vec![vec![]; reg.0.len()];
            for m in ac.find_overlapping_iter(f.as_slice()) {
                a[m.pattern().as_usize()].push(m.start());
            }
            anchor_sets.push(a);
        }
        let t_ac = t0.elapsed();
        let mut hits = 0;
        let mut part = [std::time::Duration::ZERO; 4];
        let t1 = std::time::Instant::now();
        for (f, a) in files.iter().zip(&anchor_sets) {
            let ctx = FileCtx {
                path: "x.py",
                content: f,
                binary: false,
                anchors: a,
                touched: None,
            };
            let mut out = vec![];
            let st = State::new(
                &pii,
                &ctx,
                kind::kind_of(ctx.path, ctx.content, pii.tables),
                &[],
            );
            let mut sc = Scan {
                pii: &pii,
                st: &st,
                out: &mut out,
            };
            let t = std::time::Instant::now();
            sc.tokens();
            part[0] += t.elapsed();
            let t = std::time::Instant::now();
            sc.emails();
            part[1] += t.elapsed();
            let t = std::time::Instant::now();
            sc.icd10();
            part[2] += t.elapsed();
            let t = std::time::Instant::now();
            sc.special(&[]);
            part[3] += t.elapsed();
            hits += out.len();
        }
        let t_pii = t1.elapsed();
        eprintln!(
            "tokens {:?} emails {:?} icd {:?} special {:?}",
            part[0], part[1], part[2], part[3]
        );
        let mb = total as f64 / (1 << 20) as f64;
        eprintln!(
            "{mb:.0} MB in {} files: anchors (aho-corasick, overlapping) {:.0} MB/s; pii family {:.0} MB/s; {hits} hits",
            files.len(),
            mb / t_ac.as_secs_f64(),
            mb / t_pii.as_secs_f64()
        );
    }
}

//! Documents about one person: a CV, an interview record, a letter or form about them.
//!
//! Prose that talks about special categories holds no one's data; a document *about* an
//! identified person is that person's data, whatever words it uses. The judgement reads
//! the document's shape, not its vocabulary:
//!
//! - **Who it is about**: a labelled subject in its first lines (`Applicant: Yusuf A.`,
//!   `Patient: Maria Jansen`, a label of `subject_labels`), or a first line that is a
//!   person's name (two to four capitalised words) with a contact line (an e-mail
//!   address or a phone number) right under it. Names of `placeholder_names` are no
//!   one's.
//! - **What makes it a record of them**, one of: two or more CV headings
//!   (`document_sections`: Experience, Education, Skills...), two or more question and
//!   answer pairs (`Q:` / `A:`), or, under a labelled subject, two personal details
//!   (an e-mail address, a phone number, a date of birth).
//!
//! Such a document gives `pii.personal_document` (tier 2). A special-category term
//! (`rules/pii/special.yaml`) that the document records about its subject, as a
//! labelled field (`Religion: ...`) or as a question put to them (`Q: What is your
//! religion?`), gives `special.*` (tier 1): the answer is that person's. Project files
//! (`project_doc_names`: README, CHANGELOG...) are never such a document.

use super::{Cx, Mode, Tables, words_of};

/// The signal of a document about one person.
pub const PERSONAL_DOCUMENT: &str = "pii.personal_document";

/// How much of a document is read: a CV or an interview fits many times over.
const MAX_BYTES: usize = 64 << 10;

/// Bytes read for the first lines.
const HEAD_BYTES: usize = 8 << 10;

/// `bytes` as text, up to a character the bound cut or a byte that is not UTF-8.
fn text_of(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// The first lines, where a document says who it is about.
const HEAD_LINES: usize = 12;

/// Lines under a name line where its contact line must be.
const CONTACT_LINES: usize = 3;

/// What the judgement found: the document signal's offset and the special-category
/// records (offset, signal id) it holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Document {
    pub at: usize,
    pub special: Vec<(usize, &'static str)>,
}

/// Non-blank lines of `s` with their offsets, trimmed.
fn lines(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let base = s.as_ptr() as usize;
    s.lines()
        .map(move |l| (l.as_ptr() as usize - base, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

fn in_list(list: &[&str], w: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// A word of a person's name: a capital letter then letters, `-` or `'` (`O'Neill`,
/// `Jean-Luc`, `PELLETIER`), or an initial (`A.`).
fn name_word(w: &str) -> bool {
    let mut cs = w.chars();
    let Some(first) = cs.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let rest = cs.as_str();
    if rest == "." {
        return true;
    }
    rest.chars().count() >= 1
        && rest
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

/// Whether `text` starts with a person's name: two name words at least, the first not
/// an initial; not a placeholder name.
fn names_person(text: &str, t: &Tables) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(')
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    let named = words.iter().take_while(|w| name_word(w)).count();
    if named < 2 || words[0].ends_with('.') {
        return false;
    }
    let name = words[..2].join(" ");
    !in_list(t.list(Cx::PlaceholderNames), &name)
}

/// A line that is only a name: two to four name words, no initial first.
fn name_line(line: &str, t: &Tables) -> bool {
    let line = line.trim_start_matches('#').trim();
    let n = line.split_whitespace().count();
    (2..=4).contains(&n)
        && line.split_whitespace().all(name_word)
        && names_person(line, t)
        && line.len() <= 60
}

/// Whether the line holds an e-mail address (`local@domain.tld`).
fn has_email(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b'@', b).any(|i| {
        let local = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        let domain = &b[i + 1..];
        let end = domain
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')))
            .unwrap_or(domain.len());
        let domain = &domain[..end];
        local
            && domain
                .iter()
                .rposition(|&c| c == b'.')
                .is_some_and(|d| d > 0 && end - d > 2)
    })
}

/// Whether the line holds a phone number: a run of at least 9 digits written with
/// blanks, `-`, `.` or parentheses (not `/`: dates), starting with `+`, `(` or a digit.
fn has_phone(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'+' || b[i] == b'(' || b[i].is_ascii_digit() {
            let start = i;
            let mut digits = 0;
            let mut j = i;
            while j < b.len()
                && (b[j].is_ascii_digit()
                    || matches!(b[j], b' ' | b'-' | b'.' | b'(' | b')')
                    || j == start && b[j] == b'+')
            {
                digits += usize::from(b[j].is_ascii_digit());
                j += 1;
            }
            // A year range (`2019-2021`, 8 digits) is no phone number.
            if (9..=15).contains(&digits) {
                return true;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// `label: value` -> (label, value), the label short and of words.
fn labelled(line: &str) -> Option<(&str, &str)> {
    let (label, value) = line.split_once(':')?;
    let label = label.trim().trim_matches('*').trim();
    (!label.is_empty()
        && label.len() <= 40
        && label
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '_' | '/' | '\'')))
    .then_some((label, value.trim()))
}

/// A question put to the person: a `Q:`, `Q.` or `Question:` line.
fn question(line: &str) -> Option<&str> {
    ["Q:", "Q.", "Question:"]
        .iter()
        .find_map(|p| line.strip_prefix(p))
}

fn answer(line: &str) -> bool {
    ["A:", "A.", "Answer:"].iter().any(|p| line.starts_with(p))
}

/// The heading a line is, lower case: decorations (`#`, `*`, `=`, `_`) and a trailing
/// colon aside.
fn heading(line: &str) -> String {
    line.trim_matches(|c: char| matches!(c, '#' | '*' | '=' | '_' | ' ' | ':'))
        .to_lowercase()
}

/// Whether the words name a date of birth (`Date of birth`, `DOB`, `born`).
fn birth(words: &[String], t: &Tables) -> bool {
    words.iter().any(|w| in_list(t.list(Cx::BirthWords), w))
}

/// The special-category signals whose term is among `words`, each once.
fn special_terms(words: &[String], t: &Tables, out: &mut Vec<&'static str>) {
    for (term, sid, mode) in t.special {
        let hit = words
            .windows(term.len())
            .any(|w| w.iter().zip(term.iter()).all(|(a, b)| a == b))
            || *mode == Mode::Part && words.iter().any(|w| super::is_concat(w, term));
        if hit && !out.contains(sid) {
            out.push(sid);
        }
    }
}

/// Judge a prose file at `path`: a document about one person, or not.
pub(crate) fn judge(path: &str, content: &[u8], t: &Tables) -> Option<Document> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    if in_list(t.list(Cx::ProjectDocNames), stem) {
        return None;
    }
    // Most prose names no one: its first lines are read before the rest.
    let head: Vec<(usize, &str)> = lines(text_of(&content[..content.len().min(HEAD_BYTES)]))
        .take(HEAD_LINES)
        .collect();
    // Who the document is about.
    let mut subject: Option<(usize, bool)> = None; // (offset, labelled)
    for (i, &(off, line)) in head.iter().enumerate() {
        if let Some((label, value)) = labelled(line)
            && in_list(t.list(Cx::SubjectLabels), label)
            && names_person(value, t)
        {
            subject = Some((off, true));
            break;
        }
        if i == 0
            && name_line(line, t)
            && head[1..head.len().min(1 + CONTACT_LINES)]
                .iter()
                .any(|(_, l)| has_email(l) || has_phone(l))
        {
            subject = Some((off, false));
            break;
        }
    }
    let (at, labelled_subject) = subject?;
    // What makes it a record of them.
    let mut sections: Vec<String> = Vec::new();
    let (mut questions, mut answers) = (0usize, 0usize);
    let (mut email, mut phone, mut born) = (false, false, false);
    let mut special: Vec<(usize, &'static str)> = Vec::new();
    let mut ids = Vec::new();
    for (off, line) in lines(text_of(&content[..content.len().min(MAX_BYTES)])) {
        let h = heading(line);
        if in_list(t.list(Cx::DocumentSections), &h) && !sections.contains(&h) {
            sections.push(h);
        }
        email |= has_email(line);
        phone |= has_phone(line);
        ids.clear();
        if let Some(q) = question(line) {
            questions += 1;
            let words = words_of(q.as_bytes());
            born |= birth(&words, t);
            special_terms(&words, t, &mut ids);
        } else if answer(line) {
            answers += 1;
        } else if let Some((label, value)) = labelled(line)
            && !value.is_empty()
        {
            let words = words_of(label.as_bytes());
            born |= birth(&words, t) && value.bytes().any(|b| b.is_ascii_digit());
            special_terms(&words, t, &mut ids);
        }
        if !born {
            // `born 1994`, `(born 14 March 1990, ...)`.
            let words = words_of(line.as_bytes());
            born = words.windows(2).any(|w| {
                w[0] == "born" && w[1].len() == 4 && w[1].bytes().all(|b| b.is_ascii_digit())
            });
        }
        special.extend(ids.iter().map(|&id| (off, id)));
    }
    let details = usize::from(email) + usize::from(phone) + usize::from(born);
    let record =
        sections.len() >= 2 || questions.min(answers) >= 2 || labelled_subject && details >= 2;
    record.then(|| {
        special.sort_unstable();
        special.dedup_by(|a, b| a.1 == b.1);
        Document { at, special }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::pii::TABLES;

    fn doc(path: &str, text: &str) -> Option<(usize, Vec<&'static str>)> {
        judge(path, text.as_bytes(), &TABLES)
            .map(|d| (d.at, d.special.into_iter().map(|s| s.1).collect()))
    }

    #[test]
    fn a_cv_under_a_name_and_contact_line_is_a_personal_document() {
        let cv = "JORDAN PELLETIER\njordan.pelletier@example.com | +31 6 1234 5678\n\n\
                  PROFILE\nData engineer.\n\nEXPERIENCE\n2021-2024 Data Engineer\n\nEDUCATION\nMSc, 2019\n";
        assert_eq!(doc("resumes/c1.txt", cv), Some((0, vec![])));
        // The same shape without the contact line, or with one heading, is prose.
        let no_contact = "JORDAN PELLETIER\n\nPROFILE\nData engineer.\n\nEXPERIENCE\n...\n";
        assert_eq!(doc("resumes/c1.txt", no_contact), None);
        let one_heading = "Jordan Pelletier\njordan@corp.io\n\nExperience\nData engineer.\n";
        assert_eq!(doc("resumes/c1.txt", one_heading), None);
    }

    #[test]
    fn an_interview_with_its_subject_records_what_they_are_asked() {
        let t = "Case 2023/0412 - second interview\nApplicant: Yusuf A. (born 1994, Aleppo)\n\n\
                 Q: Why did you leave your country?\nA: I was arrested.\n\
                 Q: What is your religion?\nA: I am Yazidi.\n";
        let (at, special) = doc("interviews/case.txt", t).unwrap();
        assert_eq!(at, t.find("Applicant").unwrap());
        assert_eq!(special, ["special.religion"]);
    }

    #[test]
    fn templates_faqs_and_project_files_are_no_ones_document() {
        let template = "Name: John Doe\nEmail: john.doe@corp.io\nPhone: +44 20 7946 0958\n";
        assert_eq!(doc("templates/cv.txt", template), None);
        let faq = "Frequently Asked Questions\n\nQ: How do I install it?\nA: pip install x\n\
                   Q: Does it scan religion fields?\nA: Yes.\n";
        assert_eq!(doc("docs/faq.md", faq), None);
        let readme = "# Jane Roberts\njane@corp.io\n\n## Experience\n...\n## Skills\n...\n";
        assert_eq!(doc("README.md", readme), None);
        assert!(doc("profile.md", readme).is_some());
    }

    #[test]
    fn a_labelled_record_needs_two_details_of_its_subject() {
        let form = "Patient: Maria Jansen\nDate of birth: 14/02/1993\nPhone: +44 7700 900123\n\
                    Medical history: asthma\n";
        let (_, special) = doc("letters/referral.txt", form).unwrap();
        assert_eq!(special, ["special.health"]);
        let thin = "Patient: Maria Jansen\nSeen today.\n";
        assert_eq!(doc("letters/referral.txt", thin), None);
        // A year range or a year is no phone number; a date of birth needs a value.
        assert!(!has_phone("2016-2022 Backend developer"));
        assert!(has_phone("Phone: +44 7700 900123"));
        assert!(!has_email("user@localhost"));
    }
}

//! Events about people: a log whose lines each say when and whom.
//!
//! A step trace (`2024-05-14T09:02 epoch 3 loss 0.21`) holds no one's data; a log of
//! what a system saw of people does (`2024-05-14T09:02:11 student=0193 event=looking
//! away`): each event names a person by a key of `event_person_words` holding a value,
//! pseudonymous ids included. Read: the first [`MAX_LINES`] lines of a text file whose
//! first line starts with a timestamp (a date with a time, or a time of day, bracketed
//! or not). Two events or more, at least half of them naming a person, give
//! `pii.person_events`. Tables are read by [`super::table`], which gives the same
//! signal for a timestamped table with a column of people.

use super::table::{is_date, is_time};
use super::{Cx, Tables, words_of};

/// The signal of a record of events about people.
pub const PERSON_EVENTS: &str = "pii.person_events";

/// Lines read.
const MAX_LINES: usize = 200;

/// Bytes read.
const MAX_BYTES: usize = 64 << 10;

/// Whether the line starts with a timestamp: `2024-05-14T09:02:11`, `2024-05-14
/// 09:02:11,123`, `[09:02:11]`, `14/05/2024 09:02`.
fn stamped(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"[").unwrap_or(line);
    let token = |from: &[u8]| -> usize {
        from.iter()
            .position(|&c| matches!(c, b' ' | b'\t' | b']' | b'|' | b','))
            .unwrap_or(from.len())
    };
    let a = token(line);
    if is_time(&line[..a]) {
        return true;
    }
    if !is_date(&line[..a]) || a >= line.len() {
        return false;
    }
    let rest = &line[a + 1..];
    is_time(&rest[..token(rest)])
}

/// Whether the line names a person: `key=value`, `key: value` or `"key": value`, the
/// key's words holding one of `event_person_words`, the value not empty.
fn names_person(line: &[u8], t: &Tables) -> bool {
    let words = t.list(Cx::EventPersonWords);
    for (i, &c) in line.iter().enumerate() {
        if c != b'=' && c != b':' {
            continue;
        }
        // The key before the sign (quotes and blanks aside).
        let mut e = i;
        while e > 0 && matches!(line[e - 1], b' ' | b'"' | b'\'') {
            e -= 1;
        }
        let mut s = e;
        while s > 0
            && (line[s - 1].is_ascii_alphanumeric() || matches!(line[s - 1], b'_' | b'-' | b'.'))
        {
            s -= 1;
        }
        if s == e {
            continue;
        }
        let value = line[i + 1..]
            .iter()
            .position(|&c| !matches!(c, b' ' | b'"' | b'\''))
            .map(|v| line[i + 1 + v]);
        let filled = value.is_some_and(|c| c.is_ascii_alphanumeric());
        if filled
            && words_of(&line[s..e])
                .iter()
                .any(|w| words.contains(&w.as_str()))
        {
            return true;
        }
    }
    false
}

/// The offset of the first event that names a person, when the text is a log of
/// events about people.
pub(crate) fn person_events(s: &[u8], t: &Tables) -> Option<usize> {
    let s = &s[..s.len().min(MAX_BYTES)];
    let first = s.iter().position(|c| !c.is_ascii_whitespace())?;
    let mut events = 0usize;
    let mut named = 0usize;
    let mut at = None;
    let mut p = first;
    for _ in 0..MAX_LINES {
        if p >= s.len() {
            break;
        }
        let end = memchr::memchr(b'\n', &s[p..]).map_or(s.len(), |i| p + i);
        let line = s[p..end].trim_ascii();
        if !line.is_empty() {
            if !stamped(line) {
                // A log opens with an event; anything else is no log.
                if events == 0 {
                    return None;
                }
            } else {
                events += 1;
                if names_person(line, t) {
                    named += 1;
                    at.get_or_insert(p);
                }
            }
        }
        p = end + 1;
    }
    (events >= 2 && named * 2 >= events).then_some(at).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::pii::TABLES;

    #[test]
    fn a_log_of_what_a_system_saw_of_people_is_person_events() {
        let log = b"2024-05-14T09:02:11 student=0193 event=looking away (1)\n\
                    2024-05-14T09:17:40 student=0193 event=mobile phone detected\n";
        assert_eq!(person_events(log, &TABLES), Some(0));
        let json = b"[2024-05-14 09:02:11] {\"user_id\": 42, \"action\": \"login\"}\n\
                     [2024-05-14 09:03:00] {\"user_id\": 43, \"action\": \"login\"}\n";
        assert_eq!(person_events(json, &TABLES), Some(0));
    }

    #[test]
    fn a_step_trace_or_a_text_that_is_no_log_is_not() {
        let trace =
            b"2024-05-14T09:02:11 epoch=1 loss=0.31\n2024-05-14T09:03:11 epoch=2 loss=0.22\n";
        assert_eq!(person_events(trace, &TABLES), None);
        let prose = b"Notes\n2024-05-14T09:02:11 student=0193\n2024-05-14T09:02:12 student=0194\n";
        assert_eq!(person_events(prose, &TABLES), None);
        // One event is no record of events; an empty key names no one.
        assert_eq!(person_events(b"09:02:11 user=ana\n", &TABLES), None);
        assert_eq!(
            person_events(b"09:02:11 user=\n09:02:12 user= \n", &TABLES),
            None
        );
    }
}

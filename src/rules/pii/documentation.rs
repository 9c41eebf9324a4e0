//! `documentation.yaml`: `values`, the published documentation and test values of each
//! validator (by its name in [`VALIDATOR_NAMES`]) that the detectors never report.

use super::super::read::Reading;
use crate::detect::validators::{VALIDATOR_NAMES, Validity, check_by_name};
use crate::schema::{Ctx, Located, Node};

/// Candidates are compared in a buffer of this many bytes; a longer value never matches.
const MAX_VALUE_BYTES: usize = 40;

/// Read the file into `out`: (validator, values) in file order. A repository's file
/// (`Reading::Additions`) may leave `values` out.
pub(super) fn read(
    cx: &mut Ctx<'_>,
    root: &Located<Node>,
    out: &mut Vec<(String, Vec<String>)>,
    reading: Reading,
) {
    let Some(top) = cx.mapping(root, "a mapping with `values`", Some(&["values"])) else {
        return;
    };
    if reading == Reading::Whole {
        cx.require(root, &top, &["values"], "the documentation file");
    }
    let Some(values) = top.get("values") else {
        return;
    };
    let Some(fields) = cx.mapping(
        values.value,
        "a mapping of validator names to values",
        Some(VALIDATOR_NAMES),
    ) else {
        return;
    };
    for field in &fields.0 {
        let Some(items) = cx.seq(field.value, "a list of values") else {
            continue;
        };
        if items.is_empty() {
            cx.error(
                field.value.pos(),
                "invalid-value",
                format!("the list of `{}` values is empty", field.key),
            );
            continue;
        }
        let mut listed: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            let Some(v) = cx.string(item, "a value, as a quoted string") else {
                continue;
            };
            if let Some(problem) = problem(field.key, v) {
                cx.error(item.pos(), "invalid-value", problem);
            } else if listed.iter().any(|l| l == v) {
                cx.error(
                    item.pos(),
                    "duplicate-id",
                    format!("`{v}` is listed twice for `{}`", field.key),
                );
            } else {
                listed.push(v.to_string());
            }
        }
        out.push((field.key.to_string(), listed));
    }
}

/// Why `value` can never be recognized as a documentation value of `validator`.
fn problem(validator: &str, value: &str) -> Option<String> {
    // Candidates are compared without these (a HETU's separator is its century sign).
    let dropped: &[u8] = if validator == "fi_hetu" { b"" } else { b" -." };
    if value.is_empty() {
        return Some("an empty value matches nothing".to_string());
    }
    if value.bytes().any(|b| dropped.contains(&b)) {
        return Some(format!(
            "`{value}`: write the value without spaces, hyphens or dots, as candidates are compared"
        ));
    }
    if value.len() > MAX_VALUE_BYTES {
        return Some(format!(
            "`{value}` is longer than {MAX_VALUE_BYTES} bytes; no candidate is"
        ));
    }
    let check = check_by_name(validator).expect("the key is a validator name");
    if check.validity(value.as_bytes()) == Validity::Invalid {
        return Some(format!(
            "`{value}` fails the `{validator}` validator, so it is never a candidate"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Vec<(String, Vec<String>)>, Vec<String>) {
        crate::rules::read::read_for_test("pii/documentation.yaml", text, |cx, root, out| {
            read(cx, root, out, Reading::Whole)
        })
    }

    #[test]
    fn values_are_read_per_validator_in_file_order() {
        let (out, problems) = read_text(
            "values:\n  iban: [\"DE89370400440532013000\"]\n  fi_hetu: [\"131052-308T\"]\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            out,
            [
                (
                    "iban".to_string(),
                    vec!["DE89370400440532013000".to_string()]
                ),
                ("fi_hetu".to_string(), vec!["131052-308T".to_string()]),
            ]
        );
    }

    #[test]
    fn every_problem_is_located() {
        let (_, problems) = read_text(
            "values:\n  ibam: [\"DE89370400440532013000\"]\n  iban:\n    - \"DE89 3704 0044 0532 0130 00\"\n    - \"DE89370400440532013001\"\n    - 12\n    - \"DE89370400440532013000\"\n    - \"DE89370400440532013000\"\n  us_ssn: []\n",
        );
        assert_eq!(
            problems,
            [
                "2:3 unknown-key",   // not a validator name
                "4:7 invalid-value", // separators
                "5:7 invalid-value", // fails mod 97
                "6:7 invalid-type",  // not a string
                "8:7 duplicate-id",
                "9:11 invalid-value", // empty list
            ]
        );
        let (_, problems) = read_text("value: {}\n");
        assert_eq!(problems, ["1:1 unknown-key", "1:1 missing-key"]);
    }
}

//! National identifier formats (`rules/pii/national_ids.yaml`): for each, the shapes the
//! token pass reads it in, the validator that confirms it, its keyword groups and its
//! confidences. The family indexes them by shape once ([`Index`]); the token pass looks
//! a value's shape up and reports the formats that read it ([`super::Scan::national`]).

use super::KEYWORD_GROUPS;
use crate::detect::validators::{self as v, Check};
use crate::model::Confidence;

/// What the groups of a digit-led value hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Digits only.
    Digits,
    /// Letters among the digits (each group led by a digit).
    Alnum,
    /// Either.
    Any,
}

/// How a value is written, as the token pass sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Groups led by a digit, of these lengths, joined by one of `separators` (the same
    /// throughout); a single group is a lone token, without separators.
    Groups {
        class: Class,
        lengths: &'static [u8],
        separators: &'static str,
    },
    /// A lone run of `digits` digits, then one of `separators` and a capital letter
    /// (`12345678-Z`).
    LetterAfter {
        digits: u8,
        separators: &'static str,
    },
    /// A token led by a capital letter, of `length` capitals and digits; from a first
    /// group of one of the `spaced` lengths, the value may go on in groups joined by
    /// single spaces (`AB 12 34 56 C`).
    Upper { length: u8, spaced: &'static [u8] },
}

/// One shape of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub form: Form,
    /// The keyword groups that count for this shape, when not the format's.
    pub keywords: Option<&'static [&'static str]>,
    /// The confidence without a keyword; `None`: not reported without one.
    pub without_keyword: Option<Confidence>,
}

/// A national identifier format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NationalId {
    /// The signal it gives (one of [`super::NATIONAL_ID_SIGNALS`]).
    pub signal: &'static str,
    /// The validator that confirms it, by name ([`v::VALIDATOR_NAMES`]).
    pub validator: &'static str,
    /// Keyword groups ([`KEYWORD_GROUPS`]).
    pub keywords: &'static [&'static str],
    pub with_keyword: Confidence,
    pub shapes: &'static [Shape],
}

/// A format as one shape reads it.
#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) signal: &'static str,
    pub(super) validator: &'static str,
    pub(super) check: Check,
    /// Keyword groups, as indices of [`KEYWORD_GROUPS`].
    pub(super) keywords: Vec<usize>,
    pub(super) with_keyword: Confidence,
    pub(super) without_keyword: Option<Confidence>,
}

/// The longest value the token pass reads: a chain spans at most 48 bytes.
pub(super) const MAX_LEN: usize = 48;

/// Digit-led values of one shape: letters or not, group lengths, separator (0 for a
/// lone token).
#[derive(Debug)]
struct ChainKey {
    alnum: bool,
    lengths: Vec<u8>,
    separator: u8,
}

/// A capital-led shape and the formats that read it.
#[derive(Debug)]
pub(super) struct UpperShape {
    pub(super) length: u8,
    /// First-group lengths of the spaced form (none: one token).
    pub(super) spaced: &'static [u8],
    pub(super) formats: Vec<Member>,
}

/// The formats by the shapes that read them, each list in the order of the table.
#[derive(Debug, Default)]
pub(super) struct Index {
    chains: Vec<(ChainKey, Vec<Member>)>,
    /// Lone tokens (digits, alnum) by length: their entry in `chains`.
    lone: [Vec<Option<usize>>; 2],
    /// (digits, separator) of `12345678-Z`.
    letter_after: Vec<((u8, u8), Vec<Member>)>,
    /// Capital-led values, in the order of the table.
    pub(super) upper: Vec<UpperShape>,
    /// Lengths of capital-led tokens a shape reads (a value's, or a first group's).
    upper_lengths: Vec<bool>,
}

impl Index {
    /// Index `formats`. Names were checked by the rule files' reader; an unknown one
    /// here is a bug.
    pub(super) fn new(formats: &[NationalId]) -> Index {
        let mut index = Index {
            lone: [vec![None; MAX_LEN + 1], vec![None; MAX_LEN + 1]],
            upper_lengths: vec![false; MAX_LEN + 1],
            ..Index::default()
        };
        for f in formats {
            let check = v::check_by_name(f.validator)
                .unwrap_or_else(|| panic!("unknown validator `{}`", f.validator));
            for shape in f.shapes {
                let keywords = shape
                    .keywords
                    .unwrap_or(f.keywords)
                    .iter()
                    .map(|g| {
                        KEYWORD_GROUPS
                            .iter()
                            .position(|k| k == g)
                            .unwrap_or_else(|| panic!("unknown keyword group `{g}`"))
                    })
                    .collect();
                let member = Member {
                    signal: f.signal,
                    validator: f.validator,
                    check,
                    keywords,
                    with_keyword: f.with_keyword,
                    without_keyword: shape.without_keyword,
                };
                index.add(shape.form, member);
            }
        }
        for (i, (key, _)) in index.chains.iter().enumerate() {
            if let [len] = key.lengths[..]
                && let Some(slot) = index.lone[usize::from(key.alnum)].get_mut(usize::from(len))
            {
                *slot = Some(i);
            }
        }
        index
    }

    fn add(&mut self, form: Form, member: Member) {
        match form {
            Form::Groups {
                class,
                lengths,
                separators,
            } => {
                let classes: &[bool] = match class {
                    Class::Digits => &[false],
                    Class::Alnum => &[true],
                    Class::Any => &[false, true],
                };
                let seps: Vec<u8> = if lengths.len() == 1 {
                    vec![0]
                } else {
                    separators.bytes().collect()
                };
                for &alnum in classes {
                    for &separator in &seps {
                        let at = self.chains.iter().position(|(k, _)| {
                            k.alnum == alnum && k.separator == separator && k.lengths == lengths
                        });
                        let at = at.unwrap_or_else(|| {
                            let key = ChainKey {
                                alnum,
                                lengths: lengths.to_vec(),
                                separator,
                            };
                            self.chains.push((key, Vec::new()));
                            self.chains.len() - 1
                        });
                        self.chains[at].1.push(member.clone());
                    }
                }
            }
            Form::LetterAfter { digits, separators } => {
                for sep in separators.bytes() {
                    let key = (digits, sep);
                    match self.letter_after.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, members)) => members.push(member.clone()),
                        None => self.letter_after.push((key, vec![member.clone()])),
                    }
                }
            }
            Form::Upper { length, spaced } => {
                for &l in std::iter::once(&length).chain(spaced) {
                    if let Some(slot) = self.upper_lengths.get_mut(usize::from(l)) {
                        *slot = true;
                    }
                }
                match self
                    .upper
                    .iter_mut()
                    .find(|u| u.length == length && u.spaced == spaced)
                {
                    Some(u) => u.formats.push(member),
                    None => self.upper.push(UpperShape {
                        length,
                        spaced,
                        formats: vec![member],
                    }),
                }
            }
        }
    }

    /// The formats that read a digit-led value of these group lengths, letters or not,
    /// joined by `separator` (0 for a lone token).
    pub(super) fn chain(&self, alnum: bool, lengths: &[usize], separator: u8) -> Option<&[Member]> {
        let at = if let [len] = lengths {
            *self.lone[usize::from(alnum)].get(*len)?
        } else {
            self.chains.iter().position(|(k, _)| {
                k.alnum == alnum
                    && k.separator == separator
                    && k.lengths.len() == lengths.len()
                    && k.lengths
                        .iter()
                        .zip(lengths)
                        .all(|(&a, &b)| usize::from(a) == b)
            })
        }?;
        Some(&self.chains[at].1)
    }

    /// The formats that read `digits` digits, `separator` and a capital letter.
    pub(super) fn letter_after(&self, digits: usize, separator: u8) -> Option<&[Member]> {
        self.letter_after
            .iter()
            .find(|((d, s), _)| usize::from(*d) == digits && *s == separator)
            .map(|(_, members)| &members[..])
    }

    /// Whether a shape reads a capital-led token of this length.
    pub(super) fn reads_upper(&self, len: usize) -> bool {
        self.upper_lengths.get(len).copied().unwrap_or(false)
    }
}

/// A confidence a step lower; below `low` nothing is reported.
pub(super) fn lower(c: Confidence) -> Option<Confidence> {
    match c {
        Confidence::High => Some(Confidence::Medium),
        Confidence::Medium => Some(Confidence::Low),
        Confidence::Low => None,
    }
}

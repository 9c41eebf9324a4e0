//! Validators for structured identifiers: pure functions over ASCII bytes, no allocation.
//!
//! Each validator takes the candidate as it appears in text (the separators it documents
//! are accepted) and answers whether the structure and the check digit hold. They say
//! nothing about context: detectors combine them with keyword proximity to get a
//! confidence (see [`crate::detect::pii`]). Custom detectors in config refer to them by
//! the names in [`VALIDATOR_NAMES`] through [`by_name`].
//!
//! Documentation and test values (published test card numbers, example IBANs and
//! identifiers, `rules/pii/documentation.yaml`) pass their validators but are not
//! findings: [`is_documentation_example_in`] tells them apart.

/// Result of a validator that cannot always decide (Korean RRN after October 2020).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Valid,
    Invalid,
    /// Structure is right but the check cannot be applied: count it, but cap confidence.
    Unknown,
}

/// Names accepted by [`by_name`], in snake_case.
pub const VALIDATOR_NAMES: &[&str] = &[
    "luhn",
    "payment_card",
    "iban",
    "us_ssn",
    "uk_nino",
    "uk_nhs",
    "kr_rrn",
    "pl_pesel",
    "es_dni",
    "es_nie",
    "it_codice_fiscale",
    "nl_bsn",
    "fr_nir",
    "fi_hetu",
    "se_personnummer",
    "de_steuer_id",
    "aba_routing",
];

/// A validator by its snake_case name (see [`VALIDATOR_NAMES`]). Tri-state validators map
/// `Unknown` to `false` here.
pub fn by_name(name: &str) -> Option<fn(&[u8]) -> bool> {
    Some(match name {
        "luhn" => luhn,
        "payment_card" => payment_card,
        "iban" => iban,
        "us_ssn" => us_ssn,
        "uk_nino" => uk_nino,
        "uk_nhs" => uk_nhs,
        "kr_rrn" => kr_rrn_bool,
        "pl_pesel" => pl_pesel,
        "es_dni" => es_dni,
        "es_nie" => es_nie,
        "it_codice_fiscale" => it_codice_fiscale,
        "nl_bsn" => nl_bsn,
        "fr_nir" => fr_nir,
        "fi_hetu" => fi_hetu,
        "se_personnummer" => se_personnummer,
        "de_steuer_id" => de_steuer_id,
        "aba_routing" => aba_routing,
        _ => return None,
    })
}

/// A validator as the personal-data tables name it: most answer yes or no, `kr_rrn` may
/// also answer [`Validity::Unknown`].
#[derive(Debug, Clone, Copy)]
pub enum Check {
    Bool(fn(&[u8]) -> bool),
    Tri(fn(&[u8]) -> Validity),
}

impl Check {
    pub fn validity(self, s: &[u8]) -> Validity {
        match self {
            Check::Bool(f) if f(s) => Validity::Valid,
            Check::Bool(_) => Validity::Invalid,
            Check::Tri(f) => f(s),
        }
    }
}

/// A validator by its name (see [`VALIDATOR_NAMES`]), with its undecided answer where
/// it has one.
pub fn check_by_name(name: &str) -> Option<Check> {
    match name {
        "kr_rrn" => Some(Check::Tri(kr_rrn)),
        _ => by_name(name).map(Check::Bool),
    }
}

fn kr_rrn_bool(s: &[u8]) -> bool {
    kr_rrn(s) == Validity::Valid
}

/// A stack buffer holding a candidate with its separators removed.
struct Compact {
    buf: [u8; 40],
    len: usize,
}

impl Compact {
    /// Copy `s` dropping bytes in `seps`; `None` if longer than the buffer or if `s`
    /// starts or ends with a separator or holds two separators in a row.
    fn new(s: &[u8], seps: &[u8]) -> Option<Compact> {
        let mut c = Compact {
            buf: [0; 40],
            len: 0,
        };
        let mut prev_sep = true;
        for &b in s {
            if seps.contains(&b) {
                if prev_sep {
                    return None;
                }
                prev_sep = true;
                continue;
            }
            prev_sep = false;
            if c.len == c.buf.len() {
                return None;
            }
            c.buf[c.len] = b;
            c.len += 1;
        }
        if prev_sep && !s.is_empty() {
            return None;
        }
        Some(c)
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

fn all_digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

fn num(s: &[u8]) -> u64 {
    s.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0'))
}

fn d(b: u8) -> u32 {
    u32::from(b - b'0')
}

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Whether day `dd` exists in month `mm` of year `y`; with `y == None` (century not
/// known) 29 February is accepted.
fn valid_date(y: Option<u32>, mm: u32, dd: u32) -> bool {
    let max = match mm {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match y {
            Some(y) if !is_leap(y) => 28,
            _ => 29,
        },
        _ => return false,
    };
    (1..=max).contains(&dd)
}

/// Luhn mod-10 check (ISO/IEC 7812-1 Annex B): double every second digit from the right,
/// subtract 9 from products above 9, the sum must be a multiple of 10. Digits only, at
/// least two.
pub fn luhn(s: &[u8]) -> bool {
    if s.len() < 2 || !all_digits(s) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in s.iter().rev().enumerate() {
        let mut v = d(b);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// Card brand for an IIN prefix and length (ISO/IEC 7812 ranges as published by the
/// networks): Visa 4 (13, 16, 19); Mastercard 51–55 and 2221–2720 (16); Amex 34, 37
/// (15); Discover 6011, 622126–622925, 644–649, 65 (16–19); JCB 3528–3589 (16–19); Diners
/// 300–305, 3095, 36, 38, 39 (14–19); UnionPay 62 (16–19); Maestro 5018, 5020, 5038,
/// 5893, 6304, 6759, 6761–6763 (12–19).
pub fn card_brand(digits: &[u8]) -> Option<&'static str> {
    let n = digits.len();
    if !(12..=19).contains(&n) || !all_digits(digits) {
        return None;
    }
    let p = |k: usize| num(&digits[..k]);
    let (p2, p3, p4, p6) = (p(2), p(3), p(4), p(6));
    if digits[0] == b'4' && matches!(n, 13 | 16 | 19) {
        return Some("visa");
    }
    if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && n == 16 {
        return Some("mastercard");
    }
    if (p2 == 34 || p2 == 37) && n == 15 {
        return Some("amex");
    }
    if (p4 == 6011 || (622126..=622925).contains(&p6) || (644..=649).contains(&p3) || p2 == 65)
        && (16..=19).contains(&n)
    {
        return Some("discover");
    }
    if (3528..=3589).contains(&p4) && (16..=19).contains(&n) {
        return Some("jcb");
    }
    if ((300..=305).contains(&p3) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39)
        && (14..=19).contains(&n)
    {
        return Some("diners");
    }
    if p2 == 62 && (16..=19).contains(&n) {
        return Some("unionpay");
    }
    if matches!(
        p4,
        5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761 | 6762 | 6763
    ) {
        return Some("maestro");
    }
    None
}

/// Payment card number (PAN): 12–19 digits, optionally grouped by spaces or hyphens, a
/// known brand prefix/length ([`card_brand`]) and the Luhn check ([`luhn`]).
pub fn payment_card(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b" -") else {
        return false;
    };
    let digits = c.bytes();
    card_brand(digits).is_some() && luhn(digits)
}

/// IBAN lengths per country, from the SWIFT IBAN registry (ISO 13616), every SEPA
/// country included, plus French overseas territories that issue FR-format IBANs under
/// their own code.
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BL", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GF", 27),
    (b"GI", 23),
    (b"GL", 18),
    (b"GP", 27),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MF", 27),
    (b"MK", 19),
    (b"MN", 20),
    (b"MQ", 27),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NC", 27),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PF", 27),
    (b"PK", 24),
    (b"PL", 28),
    (b"PM", 27),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RE", 27),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TF", 27),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"WF", 27),
    (b"XK", 20),
    (b"YE", 30),
    (b"YT", 27),
];

/// The registered IBAN length for a country code.
pub fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| c.as_slice() == country)
        .map(|&(_, n)| n)
}

/// IBAN (ISO 13616): upper-case country code, two check digits, upper-case alphanumeric
/// BBAN; compact or in groups separated by single spaces; the length must equal the
/// country's registered length and the number, rearranged (first four characters moved
/// to the end, letters as 10–35), must be ≡ 1 mod 97 (ISO 7064 MOD 97-10).
pub fn iban(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b" ") else {
        return false;
    };
    let b = c.bytes();
    if b.len() < 15
        || !b[0].is_ascii_uppercase()
        || !b[1].is_ascii_uppercase()
        || !b[2].is_ascii_digit()
        || !b[3].is_ascii_digit()
        || !b[4..]
            .iter()
            .all(|x| x.is_ascii_digit() || x.is_ascii_uppercase())
        || iban_length(&b[..2]) != Some(b.len())
    {
        return false;
    }
    let mut rem = 0u32;
    for &x in b[4..].iter().chain(&b[..4]) {
        if x.is_ascii_digit() {
            rem = (rem * 10 + d(x)) % 97;
        } else {
            rem = (rem * 100 + u32::from(x - b'A') + 10) % 97;
        }
    }
    rem == 1
}

/// US SSNs that satisfy the structure but are known not to be anyone's: the Woolworth
/// wallet card (078-05-1120), the 1940s advertising number (219-09-9999), the LifeLock
/// advertisement (457-55-5462) and 123-45-6789 (SSA: never issued).
const SSN_INVALID: &[&[u8; 9]] = &[b"078051120", b"219099999", b"457555462", b"123456789"];

/// US Social Security number (SSA rules; there is no check digit): `AAA-GG-SSSS`, with
/// hyphens, single spaces or compact; area not 000, 666 or 900–999, group not 00, serial
/// not 0000, and not one of the publicised invalid numbers ([`SSN_INVALID`]).
pub fn us_ssn(s: &[u8]) -> bool {
    let digits: [u8; 9] = match s.len() {
        9 if all_digits(s) => s.try_into().unwrap_or([0; 9]),
        11 if (s[3] == b'-' && s[6] == b'-') || (s[3] == b' ' && s[6] == b' ') => {
            let (a, g, r) = (&s[..3], &s[4..6], &s[7..]);
            if !all_digits(a) || !all_digits(g) || !all_digits(r) {
                return false;
            }
            let mut out = [0u8; 9];
            out[..3].copy_from_slice(a);
            out[3..5].copy_from_slice(g);
            out[5..].copy_from_slice(r);
            out
        }
        _ => return false,
    };
    let area = num(&digits[..3]);
    let group = num(&digits[3..5]);
    let serial = num(&digits[5..]);
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !SSN_INVALID.contains(&&digits)
}

/// UK National Insurance number (HMRC NIM39110): two prefix letters, six digits, suffix
/// A–D, upper case, optionally spaced (`AB 12 34 56 C`). First letter not D, F, I, Q, U,
/// V; second not D, F, I, O, Q, U, V; prefixes BG, GB, KN, NK, NT, TN, ZZ not allocated.
/// There is no check character.
pub fn uk_nino(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b" ") else {
        return false;
    };
    let b = c.bytes();
    if b.len() != 9 {
        return false;
    }
    let (p0, p1) = (b[0], b[1]);
    p0.is_ascii_uppercase()
        && p1.is_ascii_uppercase()
        && !b"DFIQUV".contains(&p0)
        && !b"DFIOQUV".contains(&p1)
        && !matches!(
            &b[..2],
            b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
        )
        && all_digits(&b[2..8])
        && (b'A'..=b'D').contains(&b[8])
}

/// UK NHS number (NHS Data Dictionary): ten digits, compact or `3 3 4` with spaces or
/// hyphens; modulus 11 with weights 10..2 over the first nine digits, check = 11 − (sum
/// mod 11), 11 → 0, 10 → invalid. All-zero is rejected.
pub fn uk_nhs(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b" -") else {
        return false;
    };
    let b = c.bytes();
    if b.len() != 10 || !all_digits(b) || b.iter().all(|&x| x == b'0') {
        return false;
    }
    let sum: u32 = b[..9]
        .iter()
        .enumerate()
        .map(|(i, &x)| d(x) * (10 - i as u32))
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        v => v,
    };
    check == d(b[9])
}

/// Korean Resident Registration Number: `YYMMDD-GNNNNNN` or 13 digits. G gives sex and
/// century (1/2/5/6: 1900s, 3/4/7/8: 2000s, 9/0: 1800s; 5–8 are foreign residents);
/// the date must exist. Check digit = (11 − Σ wᵢdᵢ mod 11) mod 10, weights 2–9, 2–5.
/// Numbers issued from October 2020 have a random tail, so a failing check for a birth
/// date from 2020-10 on is [`Validity::Unknown`], not invalid.
pub fn kr_rrn(s: &[u8]) -> Validity {
    let mut b = [0u8; 13];
    match s.len() {
        13 if all_digits(s) => b.copy_from_slice(s),
        14 if s[6] == b'-' && all_digits(&s[..6]) && all_digits(&s[7..]) => {
            b[..6].copy_from_slice(&s[..6]);
            b[6..].copy_from_slice(&s[7..]);
        }
        _ => return Validity::Invalid,
    }
    let century = match b[6] {
        b'1' | b'2' | b'5' | b'6' => 1900,
        b'3' | b'4' | b'7' | b'8' => 2000,
        b'9' | b'0' => 1800,
        _ => return Validity::Invalid,
    };
    let year = century + num(&b[..2]) as u32;
    let month = num(&b[2..4]) as u32;
    if !valid_date(Some(year), month, num(&b[4..6]) as u32) {
        return Validity::Invalid;
    }
    const W: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = b[..12].iter().zip(W).map(|(&x, w)| d(x) * w).sum();
    if (11 - sum % 11) % 10 == d(b[12]) {
        Validity::Valid
    } else if (year, month) >= (2020, 10) {
        Validity::Unknown
    } else {
        Validity::Invalid
    }
}

/// Polish PESEL: 11 digits `YYMMDDZZZXQ`; the month carries the century (+80: 1800s,
/// +0: 1900s, +20: 2000s, +40: 2100s, +60: 2200s) and the date must exist; check digit
/// Q = (10 − Σ wᵢdᵢ mod 10) mod 10 with weights 1,3,7,9,1,3,7,9,1,3.
pub fn pl_pesel(s: &[u8]) -> bool {
    if s.len() != 11 || !all_digits(s) {
        return false;
    }
    let mm = num(&s[2..4]) as u32;
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return false,
    };
    if !valid_date(
        Some(century + num(&s[..2]) as u32),
        month,
        num(&s[4..6]) as u32,
    ) {
        return false;
    }
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = s[..10].iter().zip(W).map(|(&x, w)| d(x) * w).sum();
    (10 - sum % 10) % 10 == d(s[10])
}

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Spanish DNI (Real Decreto 1553/2005): eight digits and a control letter
/// `TRWAGMYFPDXBNJZSQVHLCKE[n mod 23]`, upper case, optionally separated by a hyphen or
/// a space.
pub fn es_dni(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b"- ") else {
        return false;
    };
    let b = c.bytes();
    b.len() == 9 && all_digits(&b[..8]) && DNI_LETTERS[(num(&b[..8]) % 23) as usize] == b[8]
}

/// Spanish NIE (Orden INT/2058/2008): X, Y or Z (read as 0, 1, 2), seven digits and the
/// DNI control letter over the resulting eight-digit number; optionally hyphenated.
pub fn es_nie(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b"- ") else {
        return false;
    };
    let b = c.bytes();
    if b.len() != 9 || !all_digits(&b[1..8]) {
        return false;
    }
    let lead = match b[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    let n = lead * 10_000_000 + num(&b[1..8]);
    DNI_LETTERS[(n % 23) as usize] == b[8]
}

/// Codice fiscale (DM 23/12/1976): 16 upper-case characters `AAAAAA YY M DD LLLL C`:
/// six letters, year, month letter (ABCDEHLMPRST), day (01–31, +40 for women), a
/// cadastral code (letter + 3 digits) and the check letter. Digits in the numeric
/// positions may be replaced by LMNPQRSTUV (omocodia). Check: odd positions (1-based)
/// through the official table, even positions by value, sum mod 26 as a letter.
pub fn it_codice_fiscale(s: &[u8]) -> bool {
    if s.len() != 16 {
        return false;
    }
    const OMO: &[u8; 10] = b"LMNPQRSTUV";
    let numeric = |x: u8| -> Option<u32> {
        if x.is_ascii_digit() {
            Some(d(x))
        } else {
            OMO.iter().position(|&o| o == x).map(|p| p as u32)
        }
    };
    if !s[..6].iter().all(u8::is_ascii_uppercase)
        || !b"ABCDEHLMPRST".contains(&s[8])
        || !s[11].is_ascii_uppercase()
        || !s[15].is_ascii_uppercase()
    {
        return false;
    }
    for &i in &[6usize, 7, 9, 10, 12, 13, 14] {
        if numeric(s[i]).is_none() {
            return false;
        }
    }
    let day = numeric(s[9]).unwrap_or(9) * 10 + numeric(s[10]).unwrap_or(9);
    if !((1..=31).contains(&day) || (41..=71).contains(&day)) {
        return false;
    }
    // Odd-position values for 0-9 / A-Z (the two share a table).
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let mut sum = 0u32;
    for (i, &x) in s[..15].iter().enumerate() {
        let idx = if x.is_ascii_digit() {
            d(x)
        } else {
            u32::from(x - b'A')
        };
        sum += if i % 2 == 0 { ODD[idx as usize] } else { idx };
    }
    s[15] == b'A' + (sum % 26) as u8
}

/// Dutch BSN (Wet algemene bepalingen BSN; the "elfproef"): nine digits, compact or
/// dotted `1234.56.789`; Σ dᵢ·(9,8,7,6,5,4,3,2,−1) ≡ 0 mod 11 and not zero.
pub fn nl_bsn(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b". ") else {
        return false;
    };
    let b = c.bytes();
    if b.len() != 9 || !all_digits(b) {
        return false;
    }
    const W: [i32; 9] = [9, 8, 7, 6, 5, 4, 3, 2, -1];
    let sum: i32 = b.iter().zip(W).map(|(&x, w)| d(x) as i32 * w).sum();
    sum > 0 && sum % 11 == 0
}

/// French NIR / numéro de sécurité sociale (INSEE): 15 characters, compact or spaced
/// `S YY MM DD CCC OOO KK`: sex 1/2 (3/4/7/8 provisional), month 01–12, 20–42 or 50–99,
/// département two digits or 2A/2B (Corsica, read as 19/18 for the key), key
/// = 97 − (first 13 digits mod 97).
pub fn fr_nir(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b" ") else {
        return false;
    };
    let b = c.bytes();
    if b.len() != 15 || !matches!(b[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    let mut body = [0u8; 13];
    body.copy_from_slice(&b[..13]);
    match &b[5..7] {
        b"2A" => body[5..7].copy_from_slice(b"19"),
        b"2B" => body[5..7].copy_from_slice(b"18"),
        _ => {}
    }
    if !all_digits(&body) || !all_digits(&b[13..]) {
        return false;
    }
    let month = num(&b[3..5]);
    if !((1..=12).contains(&month) || (20..=42).contains(&month) || month >= 50) {
        return false;
    }
    let key = num(&b[13..]);
    (1..=97).contains(&key) && 97 - num(&body) % 97 == key
}

/// Finnish henkilötunnus (Väestörekisterikeskus; 2023 century signs included):
/// `DDMMYYCZZZQ`; century sign `+` (1800s), `-YXWVU` (1900s), `ABCDEF` (2000s); the
/// date must exist; individual number 002–899; check character =
/// `0123456789ABCDEFHJKLMNPRSTUVWXY[DDMMYYZZZ mod 31]`.
pub fn fi_hetu(s: &[u8]) -> bool {
    if s.len() != 11 || !all_digits(&s[..6]) || !all_digits(&s[7..10]) {
        return false;
    }
    let century = match s[6] {
        b'+' => 1800,
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
        b'A'..=b'F' => 2000,
        _ => return false,
    };
    let year = century + num(&s[4..6]) as u32;
    if !valid_date(Some(year), num(&s[2..4]) as u32, num(&s[..2]) as u32) {
        return false;
    }
    let ind = num(&s[7..10]);
    if !(2..=899).contains(&ind) {
        return false;
    }
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let n = num(&s[..6]) * 1000 + ind;
    CHECK[(n % 31) as usize] == s[10]
}

/// Swedish personnummer / samordningsnummer (Skatteverket SKV 704): `YYMMDD-NNNC`,
/// `YYMMDD+NNNC` (aged 100+), `YYYYMMDD-NNNC`, or compact 10/12 digits; the date must
/// exist (day + 60 for samordningsnummer); Luhn over the ten digits `YYMMDDNNNC`.
pub fn se_personnummer(s: &[u8]) -> bool {
    let mut b = [0u8; 12];
    let n = match s.len() {
        10 | 12 if all_digits(s) => {
            b[..s.len()].copy_from_slice(s);
            s.len()
        }
        11 if matches!(s[6], b'-' | b'+') && all_digits(&s[..6]) && all_digits(&s[7..]) => {
            b[..6].copy_from_slice(&s[..6]);
            b[6..10].copy_from_slice(&s[7..]);
            10
        }
        13 if s[8] == b'-' && all_digits(&s[..8]) && all_digits(&s[9..]) => {
            b[..8].copy_from_slice(&s[..8]);
            b[8..12].copy_from_slice(&s[9..]);
            12
        }
        _ => return false,
    };
    let (year, ten) = if n == 12 {
        let y = num(&b[..4]) as u32;
        if !(1800..=2099).contains(&y) {
            return false;
        }
        (Some(y), &b[2..12])
    } else {
        (None, &b[..10])
    };
    let mut day = num(&ten[4..6]) as u32;
    if day > 60 {
        day -= 60;
    }
    valid_date(year, num(&ten[2..4]) as u32, day) && luhn(ten)
}

/// German Steuerliche Identifikationsnummer (§139b AO; BZSt rules): 11 digits, compact
/// or spaced `12 345 678 901`, first digit not 0; among the first ten digits exactly one
/// digit occurs two or three times (three not all adjacent) and no other repeats;
/// check digit by ISO/IEC 7064 MOD 11,10.
pub fn de_steuer_id(s: &[u8]) -> bool {
    let Some(c) = Compact::new(s, b" ") else {
        return false;
    };
    let b = c.bytes();
    if b.len() != 11 || !all_digits(b) || b[0] == b'0' {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &b[..10] {
        counts[d(x) as usize] += 1;
    }
    let repeated: Vec<usize> = (0..10).filter(|&i| counts[i] > 1).collect();
    if repeated.len() != 1 || counts[repeated[0]] > 3 {
        return false;
    }
    if counts[repeated[0]] == 3 && b[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return false;
    }
    let mut product = 10u32;
    for &x in &b[..10] {
        let mut sum = (d(x) + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = match 11 - product {
        10 => 0,
        v => v,
    };
    check == d(b[10])
}

/// ABA routing transit number (ABA / Federal Reserve): nine digits; the first two in
/// 01–12, 21–32, 61–72 or 80; 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 mod 10.
pub fn aba_routing(s: &[u8]) -> bool {
    if s.len() != 9 || !all_digits(s) {
        return false;
    }
    let p = num(&s[..2]);
    if !((1..=12).contains(&p) || (21..=32).contains(&p) || (61..=72).contains(&p) || p == 80) {
        return false;
    }
    let w = [3, 7, 1, 3, 7, 1, 3, 7, 1];
    s.iter().zip(w).map(|(&x, w)| d(x) * w).sum::<u32>() % 10 == 0
}

/// Documentation and test values per validator name, as the personal-data tables carry
/// them (`rules/pii/documentation.yaml`): each written without spaces, hyphens or dots,
/// except a HETU's century sign.
pub type Documented = [(&'static str, &'static [&'static str])];

/// Whether a candidate of `kind` (a validator name: `payment_card`, `iban`, `us_ssn`,
/// …) is a published documentation or test value rather than personal data, by the
/// values compiled in ([`crate::detect::pii::TABLES`]); see
/// [`is_documentation_example_in`].
pub fn is_documentation_example(kind: &str, bytes: &[u8]) -> bool {
    is_documentation_example_in(super::pii::TABLES.documentation, kind, bytes)
}

/// Whether a candidate of `kind` is one of `values`' documentation values for that
/// validator. The candidate is compared with spaces, hyphens and dots removed (except
/// for `fi_hetu`, whose separator is significant). Payment cards made of at most three
/// distinct digits (4111 1111 1111 1111, 4000 0000 0000 0002…) count as test numbers
/// too.
pub fn is_documentation_example_in(values: &Documented, kind: &str, bytes: &[u8]) -> bool {
    let seps: &[u8] = if kind == "fi_hetu" { b"" } else { b" -." };
    let mut buf = [0u8; 40];
    let mut n = 0;
    for &b in bytes {
        if seps.contains(&b) {
            continue;
        }
        if n == buf.len() {
            return false;
        }
        buf[n] = b;
        n += 1;
    }
    let c = &buf[..n];
    if kind == "payment_card" {
        let mut seen = [false; 10];
        for &x in c {
            if x.is_ascii_digit() {
                seen[d(x) as usize] = true;
            }
        }
        if seen.iter().filter(|&&s| s).count() <= 3 {
            return true;
        }
    }
    values
        .iter()
        .find(|(k, _)| *k == kind)
        .is_some_and(|(_, listed)| listed.iter().any(|t| t.as_bytes() == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_rule() {
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
        assert!(!luhn(b"7"));
        assert!(!luhn(b"7992 7398 713"), "digits only");
        assert!(luhn(b"00"));
    }

    #[test]
    fn payment_cards() {
        for ok in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "6200000000000005",
            "6759649826438453",
        ] {
            assert!(payment_card(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "4111111111111112",  // Luhn
            "1234567812345670",  // no brand (Luhn ok)
            "5555555555554444 ", // trailing separator
            "4111  1111 1111 1111",
            "2721000000000004", // Mastercard 2-series ends at 2720
            "37828224631000",   // Amex length
            "",
        ] {
            assert!(!payment_card(bad.as_bytes()), "{bad}");
        }
        assert!(luhn(b"1234567812345670"));
        assert_eq!(card_brand(b"2720990000000007"), Some("mastercard"));
        assert_eq!(card_brand(b"5018000000000009"), Some("maestro"));
    }

    #[test]
    fn ibans() {
        assert!(iban(b"GB82WEST12345698765432"));
        assert!(iban(b"GB82 WEST 1234 5698 7654 32"));
        assert!(iban(b"DE89370400440532013000"));
        assert!(iban(b"NO9386011117947"));
        assert!(iban(b"MT84MALT011000012345MTLCAST001S"));
        assert!(!iban(b"GB82WEST12345698765433"), "mod 97");
        assert!(!iban(b"GB82WEST1234569876543"), "length");
        assert!(!iban(b"XX82WEST12345698765432"), "country");
        assert!(!iban(b"gb82west12345698765432"), "upper case only");
        assert!(!iban(b"GB82  WEST12345698765432"));
        assert_eq!(iban_length(b"SE"), Some(24));
    }

    #[test]
    fn ssns() {
        assert!(us_ssn(b"536-22-8726"));
        assert!(us_ssn(b"536 22 8726"));
        assert!(us_ssn(b"536228726"));
        for bad in [
            "000-22-8726",
            "666-22-8726",
            "900-22-8726",
            "999-22-8726",
            "536-00-8726",
            "536-22-0000",
            "078-05-1120",
            "219-09-9999",
            "536-22 8726",
            "53622872",
        ] {
            assert!(!us_ssn(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn ninos() {
        assert!(uk_nino(b"AB123456C"));
        assert!(uk_nino(b"AB 12 34 56 C"));
        for bad in [
            "DA123456C",
            "AO123456C",
            "GB123456C",
            "ZZ123456C",
            "AB123456E",
            "ab123456c",
            "AB12345C",
        ] {
            assert!(!uk_nino(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn nhs_numbers() {
        assert!(uk_nhs(b"9434765919"));
        assert!(uk_nhs(b"943 476 5919"));
        assert!(uk_nhs(b"943-476-5919"));
        assert!(!uk_nhs(b"9434765918"));
        assert!(!uk_nhs(b"0000000000"));
        assert!(!uk_nhs(b"943476591"));
    }

    #[test]
    fn korean_rrn() {
        // 850101-1 + tail with a computed check digit.
        let mut v = *b"8501011234560";
        let w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
        let s: u32 = v[..12].iter().zip(w).map(|(&x, w)| d(x) * w).sum();
        v[12] = b'0' + ((11 - s % 11) % 10) as u8;
        assert_eq!(kr_rrn(&v), Validity::Valid);
        let mut dashed = Vec::from(&v[..6]);
        dashed.push(b'-');
        dashed.extend_from_slice(&v[6..]);
        assert_eq!(kr_rrn(&dashed), Validity::Valid);
        v[12] = b'0' + (d(v[12]) + 1) as u8 % 10;
        assert_eq!(kr_rrn(&v), Validity::Invalid);
        // Born 2021-03-05: random tail, failing check is unknown.
        assert_eq!(kr_rrn(b"210305-3999999"), {
            let s: u32 = b"210305399999".iter().zip(w).map(|(&x, w)| d(x) * w).sum();
            if (11 - s % 11) % 10 == 9 {
                Validity::Valid
            } else {
                Validity::Unknown
            }
        });
        assert_eq!(kr_rrn(b"200930-3999990"), {
            let s: u32 = b"200930399999".iter().zip(w).map(|(&x, w)| d(x) * w).sum();
            if (11 - s % 11).is_multiple_of(10) {
                Validity::Valid
            } else {
                Validity::Invalid
            }
        });
        assert_eq!(kr_rrn(b"850230-1234567"), Validity::Invalid, "no 30 Feb");
        assert_eq!(kr_rrn(b"850101-A234567"), Validity::Invalid);
    }

    #[test]
    fn pesel() {
        assert!(pl_pesel(b"44051401359"));
        assert!(pl_pesel(b"02070803628"));
        assert!(!pl_pesel(b"44051401358"));
        assert!(!pl_pesel(b"44133101351"), "month 13");
        assert!(!pl_pesel(b"4405140135"));
    }

    #[test]
    fn dni_nie() {
        assert!(es_dni(b"12345678Z"));
        assert!(es_dni(b"12345678-Z"));
        assert!(!es_dni(b"12345678A"));
        assert!(!es_dni(b"1234567Z"));
        assert!(es_nie(b"X1234567L"));
        assert!(es_nie(b"Y1234567X"));
        assert!(!es_nie(b"X1234567A"));
        assert!(!es_nie(b"W1234567L"));
    }

    #[test]
    fn codice_fiscale() {
        assert!(it_codice_fiscale(b"RSSMRA85T10A562S"));
        assert!(it_codice_fiscale(b"MRTMTT25D09F205Z"));
        assert!(!it_codice_fiscale(b"RSSMRA85T10A562T"));
        assert!(!it_codice_fiscale(b"RSSMRA85Z10A562S"), "month letter");
        assert!(!it_codice_fiscale(b"RSSMRA85T10A562"));
    }

    #[test]
    fn bsn() {
        assert!(nl_bsn(b"111222333"));
        assert!(nl_bsn(b"1112.22.333"));
        assert!(nl_bsn(b"123456782"));
        assert!(!nl_bsn(b"123456781"));
        assert!(!nl_bsn(b"000000000"));
    }

    #[test]
    fn nir() {
        assert!(fr_nir(b"184127645108946"));
        assert!(fr_nir(b"1 84 12 76 451 089 46"));
        assert!(!fr_nir(b"184127645108947"));
        assert!(!fr_nir(b"584127645108946"), "sex digit");
        // Corsica: 2A reads as 19 for the key.
        let body = 2_840_519_451_089u64; // 2 84 05 19 451 089
        let key = 97 - body % 97;
        let s = format!("28405{}451089{key:02}", "2A");
        assert!(fr_nir(s.as_bytes()), "{s}");
        let s = format!("28405{}451089{key:02}", "2B");
        assert!(!fr_nir(s.as_bytes()), "{s}");
    }

    #[test]
    fn hetu() {
        assert!(fi_hetu(b"131052-308T"));
        assert!(!fi_hetu(b"131052-308U"));
        assert!(!fi_hetu(b"131052G308T"), "century sign");
        assert!(!fi_hetu(b"310252-308T"), "no 31 Feb");
        assert!(!fi_hetu(b"131052-001T"), "individual number 002-899");
        // The 2023 signs are equivalent to '-' and 'A'.
        assert!(fi_hetu(b"131052Y308T"));
    }

    #[test]
    fn personnummer() {
        assert!(se_personnummer(b"811218-9876"));
        assert!(se_personnummer(b"8112189876"));
        assert!(se_personnummer(b"19811218-9876"));
        assert!(se_personnummer(b"198112189876"));
        assert!(se_personnummer(b"811218+9876"));
        assert!(!se_personnummer(b"811218-9875"));
        assert!(!se_personnummer(b"811318-9876"), "month 13");
        assert!(se_personnummer(b"811278-9873") == luhn(b"8112789873"));
    }

    #[test]
    fn steuer_id() {
        assert!(de_steuer_id(b"86095742719"));
        assert!(de_steuer_id(b"86 095 742 719"));
        assert!(!de_steuer_id(b"86095742718"));
        assert!(!de_steuer_id(b"06095742719"), "leading zero");
        assert!(!de_steuer_id(b"11111111116"), "repetition rule");
    }

    #[test]
    fn aba() {
        assert!(aba_routing(b"011000015"));
        assert!(aba_routing(b"021000021"));
        assert!(!aba_routing(b"021000022"));
        assert!(!aba_routing(b"000000000"));
        assert!(!aba_routing(b"991000026"), "prefix");
    }

    #[test]
    fn lookup_by_name() {
        for name in VALIDATOR_NAMES {
            assert!(by_name(name).is_some(), "{name}");
        }
        assert!(by_name("nope").is_none());
        assert!(by_name("luhn").unwrap()(b"79927398713"));
        assert!(
            !by_name("kr_rrn").unwrap()(b"210305-3999999")
                || kr_rrn(b"210305-3999999") == Validity::Valid
        );
        // The checks by name agree with the validators, and keep `kr_rrn`'s unknown.
        for name in VALIDATOR_NAMES {
            let check = check_by_name(name).unwrap();
            for s in ["4111111111111111", "536-22-8726", "210305-3999999", "x"] {
                let valid = check.validity(s.as_bytes()) == Validity::Valid;
                assert_eq!(valid, by_name(name).unwrap()(s.as_bytes()), "{name} {s}");
            }
        }
        assert!(check_by_name("nope").is_none());
        assert_eq!(
            check_by_name("kr_rrn").unwrap().validity(b"210305-3999999"),
            kr_rrn(b"210305-3999999")
        );
    }

    #[test]
    fn documentation_examples() {
        assert!(is_documentation_example(
            "payment_card",
            b"4111 1111 1111 1111"
        ));
        assert!(is_documentation_example("payment_card", b"378282246310005"));
        assert!(is_documentation_example(
            "payment_card",
            b"4000-0000-0000-0002"
        ));
        assert!(!is_documentation_example(
            "payment_card",
            b"4532015112830366"
        ));
        assert!(is_documentation_example(
            "iban",
            b"GB82 WEST 1234 5698 7654 32"
        ));
        assert!(is_documentation_example("iban", b"DE89370400440532013000"));
        // The SSNs in print are not documentation values: the validator rejects them.
        assert!(!us_ssn(b"078-05-1120") && !us_ssn(b"123-45-6789"));
        assert!(!is_documentation_example("us_ssn", b"536-22-8726"));
        assert!(is_documentation_example("fi_hetu", b"131052-308T"));
        assert!(!is_documentation_example("fi_hetu", b"131052308T"));
        // Other tables, other values; the test-card rule holds whatever the tables say.
        let other: &Documented = &[("us_ssn", &["536228726"])];
        assert!(is_documentation_example_in(other, "us_ssn", b"536-22-8726"));
        assert!(!is_documentation_example_in(
            other,
            "iban",
            b"DE89370400440532013000"
        ));
        assert!(is_documentation_example_in(
            other,
            "payment_card",
            b"4111 1111 1111 1111"
        ));
        // Every compiled-in value passes its validator (the rule files' reader checks it).
        let bad: Vec<&str> = crate::detect::pii::TABLES
            .documentation
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (*k, *v)))
            .filter(|(k, v)| check_by_name(k).unwrap().validity(v.as_bytes()) == Validity::Invalid)
            .map(|(_, v)| v)
            .collect();
        assert!(bad.is_empty(), "not valid: {bad:?}");
    }
}

//! The anchor automaton's search loop.
//!
//! `aho-corasick` builds the automaton (a DFA with the standard, overlapping match
//! semantics); this module copies it into a dense table over its own byte classes and
//! runs the search. A byte-at-a-time DFA is bound by the latency of one table load per
//! byte, so a file is cut into [`LANES`] slices searched in lockstep: the loads of the
//! lanes do not depend on each other and the processor overlaps them.
//!
//! A lane starts `max_pattern_len - 1` bytes before its slice (from the start state)
//! and reports only the matches that end inside its slice. The standard automaton's
//! state after a byte is the longest suffix of the text read that is a prefix of some
//! anchor, which never reaches further back than the longest anchor; so every lane is
//! in the same state as a single pass would be from its slice's first byte, and the
//! lanes together report exactly the single pass's matches. They are replayed in the
//! single pass's order: by end offset, then as the automaton lists them.

use std::collections::HashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::automaton::StateID;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

/// Slices searched in lockstep.
const LANES: usize = 4;
/// Below this many bytes per lane, one lane is faster than the set-up of four.
const MIN_LANE_BYTES: usize = 64;
/// Set in a table entry when the target state reports matches.
const MATCH: u32 = 1 << 31;

/// A compiled anchor set.
#[derive(Debug)]
pub(crate) struct AnchorSearch {
    /// `table[state * stride + class]`: the next state, premultiplied by `stride`, with
    /// [`MATCH`] set when that state reports matches.
    table: Vec<u32>,
    /// Byte to class.
    classes: [u8; 256],
    /// Per state (not premultiplied): the range of `patterns` it reports.
    reports: Vec<(u32, u32)>,
    /// Pattern ids and lengths, grouped by reporting state.
    patterns: Vec<(u32, u32)>,
    max_len: usize,
    stride: usize,
}

impl AnchorSearch {
    /// Compile `literals`, matched ASCII-case-insensitively. `None` when the automaton
    /// would exceed aho-corasick's DFA size limit.
    pub(crate) fn new(literals: &[String]) -> Option<AnchorSearch> {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(aho_corasick::StartKind::Unanchored)
            .build(literals)
            .ok()?;
        Some(Self::from_dfa(&dfa, literals))
    }

    fn from_dfa(dfa: &DFA, literals: &[String]) -> AnchorSearch {
        // Byte classes: every byte that occurs in an anchor (ASCII case folded, as the
        // automaton matches) has a class of its own; every other byte moves every state
        // the same way (as a mismatch does), so they share class 0.
        let mut present = [false; 256];
        for lit in literals {
            for &b in lit.as_bytes() {
                present[b.to_ascii_lowercase() as usize] = true;
            }
        }
        let mut reps: Vec<u8> = (0..=255u8).filter(|&b| present[b as usize]).collect();
        // Class 0 stands for the bytes in no anchor (if there is one); its
        // representative is any of them.
        if let Some(absent) = (0..=255u8).find(|&b| !present[b.to_ascii_lowercase() as usize]) {
            reps.insert(0, absent);
        }
        let mut classes = [0u8; 256];
        for (class, &rep) in reps.iter().enumerate() {
            let class = u8::try_from(class).expect("at most 256 classes");
            classes[rep as usize] = class;
            classes[rep.to_ascii_uppercase() as usize] = class;
        }
        let stride = reps.len();
        let start = dfa
            .start_state(Anchored::No)
            .expect("unanchored start state");
        // Number the states breadth first from the start state, which gets 0.
        let mut ids: HashMap<StateID, u32> = HashMap::new();
        let mut order: Vec<StateID> = vec![start];
        ids.insert(start, 0);
        let mut next_ids: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < order.len() {
            let sid = order[i];
            for &rep in &reps {
                let next = dfa.next_state(Anchored::No, sid, rep);
                let fresh = u32::try_from(order.len()).expect("fewer than 2^32 states");
                let id = *ids.entry(next).or_insert(fresh);
                if id == fresh {
                    order.push(next);
                }
                next_ids.push(id);
            }
            i += 1;
        }
        let mut reports = Vec::with_capacity(order.len());
        let mut patterns = Vec::new();
        for &sid in &order {
            let lo = patterns.len() as u32;
            if dfa.is_match(sid) {
                for k in 0..dfa.match_len(sid) {
                    let pid = dfa.match_pattern(sid, k);
                    patterns.push((pid.as_u32(), dfa.pattern_len(pid) as u32));
                }
            }
            reports.push((lo, patterns.len() as u32));
        }
        let table = next_ids
            .iter()
            .map(|&next| {
                let next = next as usize;
                let v = u32::try_from(next * stride).expect("table fits 31 bits");
                assert!(v < MATCH, "table fits 31 bits");
                if reports[next].0 == reports[next].1 {
                    v
                } else {
                    v | MATCH
                }
            })
            .collect();
        AnchorSearch {
            table,
            classes,
            reports,
            patterns,
            max_len: dfa.max_pattern_len(),
            stride,
        }
    }

    /// Call `each(pattern, start)` for every occurrence of every anchor in `hay`, in
    /// order of end offset, as aho-corasick's overlapping search reports them.
    /// `scratch` holds the matches of the later lanes until they can be replayed; reuse
    /// it from call to call.
    #[inline]
    pub(crate) fn for_each(
        &self,
        hay: &[u8],
        scratch: &mut Scratch,
        mut each: impl FnMut(u32, usize),
    ) {
        let n = hay.len();
        if n < LANES * MIN_LANE_BYTES {
            self.single(hay, &mut each);
            return;
        }
        for lane in &mut scratch.0 {
            lane.clear();
        }
        let slice = n / LANES;
        // Lane k owns the matches ending in (begin[k], end[k]]; it starts reading
        // `back` bytes before begin[k], where it can have missed no state.
        let begin: [usize; LANES] = std::array::from_fn(|k| k * slice);
        let end: [usize; LANES] =
            std::array::from_fn(|k| if k + 1 == LANES { n } else { (k + 1) * slice });
        let back = self.max_len.saturating_sub(1);
        let mut pos: [usize; LANES] = std::array::from_fn(|k| begin[k].saturating_sub(back));
        let common = (0..LANES).map(|k| end[k] - pos[k]).min().unwrap_or(0);
        let mut state = [0u32; LANES];
        let (t, c) = (&self.table[..], &self.classes);
        for _ in 0..common {
            let mut any = 0;
            for k in 0..LANES {
                let v = t[(state[k] & !MATCH) as usize + c[hay[pos[k]] as usize] as usize];
                state[k] = v;
                any |= v;
                pos[k] += 1;
            }
            if any & MATCH != 0 {
                if state[0] & MATCH != 0 {
                    self.report(state[0], pos[0], &mut each);
                }
                for k in 1..LANES {
                    if state[k] & MATCH != 0 && pos[k] > begin[k] {
                        scratch.0[k - 1].push((pos[k], state[k]));
                    }
                }
            }
        }
        // The lanes' remainders, each alone, in order.
        for k in 0..LANES {
            let mut s = state[k];
            for (i, &b) in hay[pos[k]..end[k]].iter().enumerate() {
                s = t[(s & !MATCH) as usize + c[b as usize] as usize];
                let at = pos[k] + i + 1;
                if s & MATCH != 0 && at > begin[k] {
                    if k == 0 {
                        self.report(s, at, &mut each);
                    } else {
                        scratch.0[k - 1].push((at, s));
                    }
                }
            }
            if k > 0 {
                for &(at, s) in &scratch.0[k - 1] {
                    self.report(s, at, &mut each);
                }
            }
        }
    }

    /// One lane over the whole of `hay`.
    fn single(&self, hay: &[u8], each: &mut impl FnMut(u32, usize)) {
        let (t, c) = (&self.table[..], &self.classes);
        let mut s = 0u32;
        for (i, &b) in hay.iter().enumerate() {
            s = t[(s & !MATCH) as usize + c[b as usize] as usize];
            if s & MATCH != 0 {
                self.report(s, i + 1, each);
            }
        }
    }

    /// Report the anchors that end at `end` in the state `v` (a table entry).
    #[inline]
    fn report(&self, v: u32, end: usize, each: &mut impl FnMut(u32, usize)) {
        let (lo, hi) = self.reports[(v & !MATCH) as usize / self.stride];
        for &(pid, len) in &self.patterns[lo as usize..hi as usize] {
            each(pid, end - len as usize);
        }
    }
}

/// Per-thread buffers of [`AnchorSearch::for_each`].
#[derive(Debug, Default)]
pub(crate) struct Scratch([Vec<(usize, u32)>; LANES - 1]);

#[cfg(test)]
mod tests {
    use aho_corasick::AhoCorasick;

    use super::*;

    fn reference(literals: &[String], hay: &[u8]) -> Vec<(u32, usize)> {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(literals)
            .unwrap()
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_u32(), m.start()))
            .collect()
    }

    fn ours(search: &AnchorSearch, hay: &[u8]) -> Vec<(u32, usize)> {
        let mut got = Vec::new();
        search.for_each(hay, &mut Scratch::default(), |p, s| got.push((p, s)));
        got
    }

    fn lits(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn matches_straddling_every_lane_boundary_are_found_once_in_order() {
        let words = lits(&[
            "secret",
            "aws_secret_access_key",
            "key",
            "ab",
            "b",
            "zzzzzzzzzzzz",
        ]);
        let search = AnchorSearch::new(&words).unwrap();
        // Long enough for four lanes; the long anchor placed across each boundary.
        for shift in 0..24 {
            let mut hay = vec![b'.'; 4 * MIN_LANE_BYTES * 3 + shift];
            let n = hay.len();
            for k in 1..LANES {
                let at = (k * (n / LANES)).saturating_sub(10 + shift % 7);
                hay[at..at + 21].copy_from_slice(b"AWS_Secret_Access_Key");
            }
            hay[n - 3..].copy_from_slice(b"abZ");
            assert_eq!(
                ours(&search, &hay),
                reference(&words, &hay),
                "shift {shift}"
            );
        }
    }

    #[test]
    fn short_inputs_use_one_lane_with_the_same_results() {
        let words = lits(&["tel", "hotel", "otel", "-----begin "]);
        let search = AnchorSearch::new(&words).unwrap();
        for hay in [&b""[..], b"t", b"HOTEL", b"a hotel, a motel, -----BEGIN x"] {
            assert_eq!(ours(&search, hay), reference(&words, hay));
        }
    }

    #[test]
    fn non_ascii_anchors_and_every_byte_value() {
        let words = lits(&["주민번호", "número", "\u{1}\u{2}", "\u{7f}x"]);
        let search = AnchorSearch::new(&words).unwrap();
        let mut hay: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        hay.extend_from_slice("NÚMERO número 주민번호 \u{1}\u{2}\u{7f}X".as_bytes());
        hay.extend((0..=255u8).rev().cycle().take(3000));
        assert_eq!(ours(&search, &hay), reference(&words, &hay));
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_aho_corasick(
            words in proptest::collection::vec("[a-cA-C_ ]{1,6}", 1..12),
            hay in proptest::collection::vec(proptest::sample::select(b"abcABC_ .x".to_vec()), 0..2000),
        ) {
            let search = AnchorSearch::new(&words).unwrap();
            proptest::prop_assert_eq!(ours(&search, &hay), reference(&words, &hay));
        }
    }
}

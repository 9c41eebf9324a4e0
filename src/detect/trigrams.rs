//! The anchor search: every occurrence of every anchor in a file, ASCII case-insensitive
//! and overlapping (one anchor inside another is reported too).
//!
//! Each anchor is at least [`MIN_ANCHOR_BYTES`] long, so each of its occurrences holds
//! each of its three-byte windows at a fixed offset. One window per anchor is chosen,
//! and the search looks at every three bytes of the file: when they are (after case
//! folding) a chosen window, the anchors that chose it are compared with the text
//! around. Every occurrence holds its anchor's window, and every candidate is checked
//! against the anchor itself, so which window an anchor chose changes how often the
//! search stops, never what it finds.
//!
//! The test at each byte is a bit in a 16 KiB hashed set of the chosen windows: a load,
//! an or, a multiplication and a bit test, without the chain of dependent table loads
//! of an automaton. The vector loop notes which positions passed, 64 to a word, and
//! checks them after a block: no branch depends on the text while the set's words are
//! being fetched. It pays when the chosen windows are rare in the text; which ones
//! are depends on the repository (an accounting code base is full of `account`), so
//! each thread starts from a fixed guess of English and code letter frequencies, counts
//! the windows of the first [`LEARN_BYTES`] it reads, and chooses again with those
//! counts.

/// Anchors shorter than this are refused: the search needs one whole window in each.
pub(crate) const MIN_ANCHOR_BYTES: usize = 3;
/// The chosen windows' hashed set has 2^FILTER_BITS bits.
const FILTER_BITS: u32 = 17;
/// A thread counts windows over this many bytes of text, then chooses again.
const LEARN_BYTES: usize = 2 << 20;
/// Window counts are kept in 2^COUNT_BITS hashed buckets while learning.
const COUNT_BITS: u32 = 16;
/// Case folding of a window: ASCII upper-case letters become lower-case. Other bytes
/// change too (`@` becomes a backquote), which only merges windows in the filter;
/// candidates are compared exactly.
const FOLD: u64 = 0x2020_2020_2020_2020;
const EMPTY: u32 = u32::MAX;
/// The vector search notes which of 64 * BLOCK positions pass, then checks them.
const BLOCK: usize = 64;

/// The anchors, ASCII lower-cased, by id. Shared by every thread.
#[derive(Debug)]
pub(crate) struct Anchors {
    literals: Vec<Box<[u8]>>,
}

/// One thread's search: the chosen windows and what they lead to, and while it is
/// learning, the window counts of the text seen so far.
#[derive(Debug)]
pub(crate) struct Search {
    /// Bit `hash(window)` is set for every chosen window.
    filter: Box<Filter>,
    /// Open addressing by window: the chosen window and its range of `entries`.
    slots: Box<[Slot]>,
    slot_bits: u32,
    /// The anchors that chose each window, grouped by window.
    entries: Vec<Entry>,
    learning: Option<Learning>,
    /// Search eight windows at a time with AVX2 (when the processor has it).
    avx2: bool,
}

/// A fixed size, so that indexing it with a hash needs no bounds check.
type Filter = [u64; 1 << (FILTER_BITS - 6)];

#[derive(Debug, Clone, Copy)]
struct Slot {
    window: u32,
    lo: u32,
    hi: u32,
}

/// An anchor that chose a window, with what a candidate is compared against: its first
/// eight bytes in one word, so that most comparisons read no other memory.
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: u32,
    /// Where the window lies in the anchor.
    offset: u32,
    len: u32,
    /// The anchor's first eight bytes (fewer when it is shorter), little-endian.
    head: u64,
    /// 0x20 in the bytes of `head` that are letters: case is ignored there.
    fold: u64,
    /// 0xff in the bytes of `head` the anchor has.
    mask: u64,
}

impl Entry {
    fn new(id: u32, offset: u32, lit: &[u8]) -> Entry {
        let (mut head, mut fold, mut mask) = (0u64, 0u64, 0u64);
        for (k, &b) in lit.iter().take(8).enumerate() {
            head |= u64::from(b) << (8 * k);
            mask |= 0xff << (8 * k);
            if b.is_ascii_lowercase() {
                fold |= 0x20 << (8 * k);
            }
        }
        Entry {
            id,
            offset,
            len: lit.len() as u32,
            head,
            fold,
            mask,
        }
    }

    /// Whether the anchor (`lit`, lower-cased) occurs at `start`, ignoring ASCII case.
    /// A text byte or-ed with 0x20 is a lower-case letter only when it is a letter of
    /// either case, so one or and one mask compare eight bytes at once.
    #[inline(always)]
    fn occurs(&self, hay: &[u8], start: usize, lit: &[u8]) -> bool {
        let end = start + self.len as usize;
        if end > hay.len() {
            return false;
        }
        match hay.get(start..start + 8) {
            Some(eight) => {
                let w = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
                (w | self.fold) & self.mask == self.head
                    && (self.len <= 8 || hay[start + 8..end].eq_ignore_ascii_case(&lit[8..]))
            }
            None => hay[start..end].eq_ignore_ascii_case(lit),
        }
    }
}

#[derive(Debug)]
struct Learning {
    counts: Box<[u32]>,
    seen: usize,
}

/// The folded window of three bytes, as a 24-bit key.
#[inline(always)]
fn window(b: &[u8]) -> u32 {
    (u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16) | (FOLD as u32 & 0xff_ffff)
}

const HASH_FACTOR: u32 = 0x9E37_79B1;

#[inline(always)]
fn hash(window: u32, bits: u32) -> usize {
    (window.wrapping_mul(HASH_FACTOR) >> (32 - bits)) as usize
}

/// A rough count per million bytes of each (folded) byte in English prose and source
/// code: what a window costs before a thread has counted any.
fn guess(b: u8) -> u64 {
    match b | 0x20 {
        b'e' => 110,
        b't' => 80,
        b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 65,
        b'h' | b'l' | b'd' | b'c' => 40,
        b'u' | b'm' | b'p' | b'f' | b'g' => 25,
        b'w' | b'y' | b'b' | b'v' => 15,
        b'k' | b'x' | b'j' | b'q' | b'z' => 5,
        b' ' => 150,
        b'\n' | 0x2a => 40, // a newline folds into `*`
        b'_' | 0x7f => 30,
        b'0'..=b'9' => 30,
        b'.' | b',' | b'(' | b')' | b'"' | b'\'' | b'=' | b':' | b';' | b'/' | b'-' => 20,
        f if f.is_ascii() => 8,
        _ => 2,
    }
}

fn guessed_cost(w: u32) -> u64 {
    let [a, b, c, _] = w.to_le_bytes();
    guess(a) * guess(b) * guess(c)
}

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    std::is_x86_feature_detected!("avx2")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx2() -> bool {
    false
}

impl Anchors {
    /// The anchors, matched ASCII case-insensitively, each at least
    /// [`MIN_ANCHOR_BYTES`] long.
    pub(crate) fn new(literals: &[String]) -> Anchors {
        Anchors {
            literals: literals
                .iter()
                .map(|l| {
                    assert!(l.len() >= MIN_ANCHOR_BYTES, "anchor `{l}` is too short");
                    l.as_bytes().to_ascii_lowercase().into_boxed_slice()
                })
                .collect(),
        }
    }

    /// A search for one thread. `learn`: count windows over the first text searched
    /// and choose again (a whole-repository scan); otherwise the guess stays.
    pub(crate) fn search(&self, learn: bool) -> Search {
        let mut s = Search {
            filter: Box::new([0; 1 << (FILTER_BITS - 6)]),
            slots: Box::new([]),
            slot_bits: 0,
            entries: Vec::new(),
            learning: learn.then(|| Learning {
                counts: vec![0; 1 << COUNT_BITS].into_boxed_slice(),
                seen: 0,
            }),
            avx2: has_avx2(),
        };
        s.choose(self, guessed_cost);
        s
    }

    /// Call `each(anchor, start)` for every occurrence of every anchor in `hay`; the
    /// occurrences of one anchor come in order of their starts.
    #[inline]
    pub(crate) fn for_each(&self, search: &mut Search, hay: &[u8], each: impl FnMut(u32, usize)) {
        if let Some(l) = &mut search.learning {
            l.count(hay);
            if l.seen >= LEARN_BYTES {
                let counts = search.learning.take().expect("learning").counts;
                search.choose(self, |w| {
                    u64::from(counts[hash(w, COUNT_BITS)]) << 32
                        | guessed_cost(w).min(u32::MAX.into())
                });
            }
        }
        search.run(self, hay, each);
    }

    pub(crate) fn len(&self) -> usize {
        self.literals.len()
    }
}

impl Learning {
    fn count(&mut self, hay: &[u8]) {
        for w in hay.windows(3) {
            let c = &mut self.counts[hash(window(w), COUNT_BITS)];
            *c = c.saturating_add(1);
        }
        self.seen += hay.len();
    }
}

impl Search {
    /// Choose for each anchor the window of least `cost` (the first of equal ones) and
    /// build the filter and the slots.
    fn choose(&mut self, anchors: &Anchors, cost: impl Fn(u32) -> u64) {
        let mut chosen: Vec<(u32, u32, u32)> = anchors
            .literals
            .iter()
            .enumerate()
            .map(|(id, lit)| {
                let (offset, w) = (0..=lit.len() - MIN_ANCHOR_BYTES)
                    .map(|o| (o, window(&lit[o..])))
                    .min_by_key(|&(o, w)| (cost(w), o))
                    .expect("an anchor has a window");
                (w, id as u32, offset as u32)
            })
            .collect();
        chosen.sort_unstable();
        let mut filter: Box<Filter> = Box::new([0; 1 << (FILTER_BITS - 6)]);
        let distinct = chosen.chunk_by(|a, b| a.0 == b.0).count();
        // At most a quarter full: probes stay short.
        let slot_bits = (distinct.max(1) * 4)
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        let mut slots = vec![
            Slot {
                window: EMPTY,
                lo: 0,
                hi: 0
            };
            1 << slot_bits
        ]
        .into_boxed_slice();
        let mut entries = Vec::with_capacity(chosen.len());
        for group in chosen.chunk_by(|a, b| a.0 == b.0) {
            let w = group[0].0;
            let h = hash(w, FILTER_BITS);
            filter[h >> 6] |= 1 << (h & 63);
            let lo = entries.len() as u32;
            entries.extend(
                group
                    .iter()
                    .map(|&(_, id, off)| Entry::new(id, off, &anchors.literals[id as usize])),
            );
            let mut i = hash(w, slot_bits);
            while slots[i].window != EMPTY {
                i = (i + 1) & ((1 << slot_bits) - 1);
            }
            slots[i] = Slot {
                window: w,
                lo,
                hi: entries.len() as u32,
            };
        }
        self.filter = filter;
        self.slots = slots;
        self.slot_bits = slot_bits;
        self.entries = entries;
    }

    #[inline(always)]
    #[allow(unsafe_code)] // The SIMD kernel's call.
    fn run(&self, anchors: &Anchors, hay: &[u8], mut each: impl FnMut(u32, usize)) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is set only where the processor has AVX2.
            let done = unsafe { self.run_avx2(anchors, hay, &mut each) };
            self.run_scalar(anchors, hay, done, &mut each);
            return;
        }
        self.run_scalar(anchors, hay, 0, &mut each);
    }

    /// Eight windows at a time: their hashes in the lanes of one AVX2 register, the
    /// filter's bits fetched by one gather. Returns where it stopped (fewer than 16
    /// bytes before the end), for the scalar loop to finish.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    #[allow(unsafe_code)] // A SIMD kernel: the stated exception to the platform rule.
    unsafe fn run_avx2(
        &self,
        anchors: &Anchors,
        hay: &[u8],
        each: &mut impl FnMut(u32, usize),
    ) -> usize {
        use std::arch::x86_64::*;
        // Lane k holds bytes k, k+1, k+2 of the sixteen loaded (both halves of the
        // register hold the same sixteen); its top byte is zero.
        let spread = _mm256_setr_epi8(
            0, 1, 2, -1, 1, 2, 3, -1, 2, 3, 4, -1, 3, 4, 5, -1, 4, 5, 6, -1, 5, 6, 7, -1, 6, 7, 8,
            -1, 7, 8, 9, -1,
        );
        let fold = _mm256_set1_epi32((FOLD as u32 & 0xff_ffff) as i32);
        let factor = _mm256_set1_epi32(HASH_FACTOR as i32);
        let low5 = _mm256_set1_epi32(31);
        // The filter's bits as 32-bit words: bit h is bit h % 32 of word h / 32 (the
        // u64 words are little-endian).
        let words = self.filter.as_ptr().cast::<i32>();
        let n = hay.len();
        let mut i = 0;
        let step = |i: usize| {
            // SAFETY: the caller has i + 16 <= n: the sixteen bytes are inside `hay`.
            let v = unsafe { _mm_loadu_si128(hay.as_ptr().add(i).cast()) };
            let w = _mm256_or_si256(
                _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(v), spread),
                fold,
            );
            let h = _mm256_srli_epi32::<{ 32 - FILTER_BITS as i32 }>(_mm256_mullo_epi32(w, factor));
            // SAFETY: h < 2^FILTER_BITS, so h / 32 indexes the filter's words.
            let g = unsafe { _mm256_i32gather_epi32::<4>(words, _mm256_srli_epi32::<5>(h)) };
            let bits = _mm256_slli_epi32::<31>(_mm256_srlv_epi32(g, _mm256_and_si256(h, low5)));
            _mm256_movemask_ps(_mm256_castsi256_ps(bits)) as u8
        };
        // Sixty-four windows make one word of bits, without a branch; the words are
        // looked at after a block of them. A branch at each position that passes would
        // be mispredicted, and each misprediction drops the gathers in flight.
        // Check the positions `base + j` for each bit j set in `found`.
        let mut check_bits = |mut found: u64, base: usize| {
            while found != 0 {
                let j = found.trailing_zeros() as usize;
                found &= found - 1;
                self.check(anchors, hay, base + j, each);
            }
        };
        let mut passed = [0u64; BLOCK];
        while i + 64 + 8 <= n {
            let from = i;
            let words_in_block = ((n - 8 - i) / 64).min(BLOCK);
            for word in passed.iter_mut().take(words_in_block) {
                let mut m = 0u64;
                for k in 0..8 {
                    m |= u64::from(step(i + 8 * k)) << (8 * k);
                }
                *word = m;
                i += 64;
            }
            for (wi, &word) in passed[..words_in_block].iter().enumerate() {
                check_bits(word, from + 64 * wi);
            }
        }
        while i + 16 <= n {
            check_bits(u64::from(step(i)), i);
            i += 8;
        }
        i
    }

    /// One window at a time from `from` to the end.
    #[inline(always)]
    fn run_scalar(
        &self,
        anchors: &Anchors,
        hay: &[u8],
        from: usize,
        each: &mut impl FnMut(u32, usize),
    ) {
        let n = hay.len();
        let filter: &Filter = &self.filter;
        let maybe = |w: u32| {
            let h = hash(w, FILTER_BITS);
            filter[h >> 6] >> (h & 63) & 1 != 0
        };
        let mut i = from;
        // Six windows from each eight bytes read.
        while i + 8 <= n {
            let word = u64::from_le_bytes(hay[i..i + 8].try_into().expect("eight bytes")) | FOLD;
            for j in 0..6 {
                if maybe((word >> (8 * j)) as u32 & 0xff_ffff) {
                    self.check(anchors, hay, i + j, each);
                }
            }
            i += 6;
        }
        while i + MIN_ANCHOR_BYTES <= n {
            if maybe(window(&hay[i..])) {
                self.check(anchors, hay, i, each);
            }
            i += 1;
        }
    }

    /// The window at `at` passed the filter: report the anchors whose chosen window it
    /// is and that occur around it.
    #[inline(never)]
    fn check(&self, anchors: &Anchors, hay: &[u8], at: usize, each: &mut impl FnMut(u32, usize)) {
        let w = window(&hay[at..]);
        let mask = (1 << self.slot_bits) - 1;
        let mut i = hash(w, self.slot_bits);
        let slot = loop {
            let s = self.slots[i];
            if s.window == w {
                break s;
            }
            if s.window == EMPTY {
                return;
            }
            i = (i + 1) & mask;
        };
        for e in &self.entries[slot.lo as usize..slot.hi as usize] {
            let Some(start) = at.checked_sub(e.offset as usize) else {
                continue;
            };
            if e.occurs(hay, start, &anchors.literals[e.id as usize]) {
                each(e.id, start);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};

    use super::*;

    /// Every occurrence, as aho-corasick's overlapping search finds them, sorted by
    /// (start, anchor).
    fn reference(literals: &[String], hay: &[u8]) -> Vec<(u32, usize)> {
        let mut v: Vec<(u32, usize)> = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(literals)
            .unwrap()
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_u32(), m.start()))
            .collect();
        v.sort_by_key(|&(p, s)| (s, p));
        v
    }

    /// Ours, checked to give each anchor's starts in order, then sorted like the
    /// reference; the same with and without AVX2.
    fn ours(anchors: &Anchors, search: &mut Search, hay: &[u8]) -> Vec<(u32, usize)> {
        let once = |search: &mut Search| {
            let mut got = Vec::new();
            anchors.for_each(search, hay, |p, s| got.push((p, s)));
            for id in 0..anchors.len() as u32 {
                let starts: Vec<usize> = got.iter().filter(|m| m.0 == id).map(|m| m.1).collect();
                assert!(starts.is_sorted(), "anchor {id}: {starts:?}");
            }
            got.sort_by_key(|&(p, s)| (s, p));
            got
        };
        let simd = search.avx2;
        let scalar = {
            search.avx2 = false;
            once(search)
        };
        search.avx2 = simd;
        if simd {
            assert_eq!(once(search), scalar, "AVX2 and scalar differ");
        }
        scalar
    }

    #[test]
    fn the_vector_loop_is_used_where_the_processor_has_it() {
        let a = Anchors::new(&lits(&["abc"]));
        // On such a machine every test here compares it with the scalar loop.
        assert_eq!(a.search(false).avx2, has_avx2());
    }

    fn lits(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn overlapping_nested_and_repeated_anchors_are_all_found() {
        let words = lits(&[
            "secret",
            "aws_secret_access_key",
            "key",
            "aaa",
            "tel",
            "hotel",
        ]);
        let a = Anchors::new(&words);
        let hay = b"AWS_Secret_Access_Key=1; aaaaa hotel HOTEL motel key";
        assert_eq!(ours(&a, &mut a.search(false), hay), reference(&words, hay));
    }

    #[test]
    fn anchors_at_both_ends_and_in_the_tail_of_the_last_word() {
        let words = lits(&["abc", "xyz", "bcdefghi"]);
        let a = Anchors::new(&words);
        for hay in [
            &b""[..],
            b"ab",
            b"abc",
            b"xyz",
            b"abcdefghi",
            b"...xyz",
            b"0123456xyz",
            b"01234567abc",
            b"abc01234567xyz",
        ] {
            assert_eq!(ours(&a, &mut a.search(false), hay), reference(&words, hay));
        }
    }

    #[test]
    fn non_ascii_anchors_and_every_byte_value() {
        // `@` and a backquote, `[` and `{`: bytes the filter folds together but the
        // comparison does not.
        let words = lits(&[
            "주민번호",
            "número",
            "\u{1}\u{2}\u{3}",
            "\u{7f}xy",
            "a@b",
            "[x]",
        ]);
        let a = Anchors::new(&words);
        let mut hay: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        hay.extend_from_slice(
            "NÚMERO número 주민번호 \u{1}\u{2}\u{3}\u{7f}XY a`b A@B {x} [X]".as_bytes(),
        );
        hay.extend((0..=255u8).rev().cycle().take(3000));
        assert_eq!(
            ours(&a, &mut a.search(false), &hay),
            reference(&words, &hay)
        );
    }

    #[test]
    fn choosing_again_after_learning_finds_the_same() {
        let words = lits(&["account", "payment", "voice stress", "iban", "tel"]);
        let a = Anchors::new(&words);
        let text: Vec<u8> = b"account payment hotel tel voice stress IBAN "
            .iter()
            .copied()
            .cycle()
            .take(LEARN_BYTES + 4096)
            .collect();
        let mut learned = a.search(true);
        let before = ours(&a, &mut a.search(false), &text);
        // The first call learns and chooses again before it searches.
        assert_eq!(ours(&a, &mut learned, &text), before);
        assert!(learned.learning.is_none());
        assert_eq!(before, reference(&words, &text));
        let hay = b"an account of payments by tel";
        assert_eq!(ours(&a, &mut learned, hay), reference(&words, hay));
    }

    #[test]
    fn long_anchors_across_blocks_and_at_the_end() {
        // Occurrences around each boundary of the vector loop's blocks (64 * BLOCK
        // positions), around its words of 64, and in the last bytes, where the
        // comparison cannot read eight bytes at once.
        let words = lits(&["aws_secret_access_key", "secret", "key=", "abcdefgh", "tel"]);
        let a = Anchors::new(&words);
        let block = 64 * BLOCK;
        for end in [block - 40, block + 3, 2 * block + 61, 3 * block + 64] {
            let mut hay = vec![b'.'; end];
            for at in (0..end).step_by(29) {
                let w = if at % 3 == 0 {
                    "AWS_Secret_Access_KEY"
                } else {
                    "abcdefgh"
                };
                let w = if at % 2 == 0 { w } else { "Tel key=" };
                if at + w.len() <= end {
                    hay[at..at + w.len()].copy_from_slice(w.as_bytes());
                }
            }
            for w in ["aws_secret_access_key", "ABCDEFGH", "tel"] {
                let at = end - w.len();
                hay[at..].copy_from_slice(w.as_bytes());
                assert_eq!(
                    ours(&a, &mut a.search(false), &hay),
                    reference(&words, &hay)
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_aho_corasick_whatever_window_is_chosen(
            words in proptest::collection::vec("[a-cA-C_ @`]{3,7}", 1..12),
            hay in proptest::collection::vec(proptest::sample::select(b"abcABC_ @`.x".to_vec()), 0..400),
            salt in 0u32..1000,
        ) {
            let a = Anchors::new(&words);
            let mut s = a.search(false);
            // Any choice of windows must find the same: choose by an arbitrary cost.
            s.choose(&a, |w| u64::from(w.wrapping_mul(salt | 1) >> 7));
            proptest::prop_assert_eq!(ours(&a, &mut s, &hay), reference(&words, &hay));
        }
    }
}

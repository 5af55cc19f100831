//! The handle signal: how closely a candidate's handle imitates an official one.
//!
//! Handles are compared in three forms, each catching a family of tricks:
//! - `plain`: confusable skeleton (l/1/I, o/0, rn/m, vv/w, cl/d, Cyrillic, full-width) without
//!   separators, so `b-diverjinzai` and `bdiverjinzai` equal `b_diverjinzai`;
//! - `core`: additionally without affixes (`official`, `_jp`, `koshiki`, digits, place words such
//!   as `city`/`ku`) and with romanisation folded (bousai/bosai/bohsai, shi/si, tsu/tu, koho/pr);
//! - `words`: the core's words sorted, for swapped word order.
//!
//! Typos (omission, repetition, transposition, neighbours, bit flips) are then an edit or two.

use super::normalize::skeleton_lower;
use super::reason::HandleEdit;

/// Affix tokens an impostor adds to look official or to get a free handle.
const AFFIXES: &[&str] = &[
    "official", "offical", "officail", "koshiki", "kousiki", "kohshiki", "koushiki", "jp", "japan",
    "info", "staff", "real", "the", "team", "account", "acct", "pr", "koho", "kouhou", "news",
    "oshirase", "channel", "ch", "tv", "com", "net", "org", "gov", "lg",
];

/// Place words added or dropped around a municipality's name.
const PLACE_WORDS: &[&str] = &[
    "city",
    "shi",
    "si",
    "ku",
    "ward",
    "town",
    "machi",
    "cho",
    "chou",
    "village",
    "mura",
    "son",
    "ken",
    "pref",
    "prefecture",
    "to",
    "fu",
    "do",
];

/// Japanese words and their English equivalents, mapped to one spelling.
const EQUIVALENTS: &[(&str, &str)] = &[
    ("bousai", "bosai"),
    ("disaster", "bosai"),
    ("kanko", "kanko"),
    ("kankou", "kanko"),
    ("tourism", "kanko"),
    ("kosodate", "kosodate"),
    ("childcare", "kosodate"),
    ("kenko", "kenko"),
    ("health", "kenko"),
    ("toshokan", "toshokan"),
    ("library", "toshokan"),
    ("kyoiku", "kyoiku"),
    ("education", "kyoiku"),
    ("shigikai", "gikai"),
    ("gikai", "gikai"),
    ("council", "gikai"),
    ("shiyakusho", "yakusho"),
    ("kuyakusho", "yakusho"),
    ("yakusho", "yakusho"),
    ("cityhall", "yakusho"),
    ("hall", "yakusho"),
    ("shashin", "photo"),
    ("photo", "photo"),
    ("foto", "photo"),
    ("ibento", "event"),
    ("event", "event"),
];

/// The three comparable forms of one handle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandleForms {
    pub plain: String,
    /// The plain form with letter pairs that read as one letter folded (`cl`→`d`, `vv`→`w`,
    /// `lc`→`k`, …: [`paired_glyphs`]). Kept apart from `plain` because `city` folds to `clty`
    /// and so to `dty`, which is right only when both sides are folded so.
    pub paired: String,
    pub core: String,
    pub words: String,
}

/// The local part of a handle: no `@`, no Mastodon/Misskey `@instance`, no `.bsky.social`.
pub fn local_part(handle: &str) -> &str {
    let h = handle.trim().trim_start_matches('@');
    let h = h.split('@').next().unwrap_or(h);
    for suffix in [".bsky.social", ".bsky.app"] {
        // Compared in place, in any case (the suffix is ASCII: where it matches, `n` is the
        // start of a character).
        if let Some(n) = h.len().checked_sub(suffix.len()).filter(|&n| n > 0) {
            if h.as_bytes()[n..].eq_ignore_ascii_case(suffix.as_bytes()) {
                return &h[..n];
            }
        }
    }
    h
}

/// Hepburn → Kunrei and long vowels → short, so spellings of one word converge.
pub fn fold_romaji(word: &str) -> String {
    let mut s = word.to_string();
    let mut seen = letters_seen(s.as_bytes());
    for (from, to) in ROMAJI_FOLDS {
        // Most folds are ruled out by the letters and pairs the word has; only the others
        // are searched for (and the word's letters read again when one is replaced).
        let mask = letters_seen(from.as_bytes());
        if seen & mask == mask && occurs(&s, from) {
            s = s.replace(from, to);
            seen = letters_seen(s.as_bytes());
        }
    }
    s
}

/// The folds of [`fold_romaji`], in the order they are made.
const ROMAJI_FOLDS: [(&str, &str); 17] = [
    ("sh", "s"),
    ("ch", "t"),
    ("ts", "t"),
    ("j", "z"),
    ("f", "h"),
    ("ou", "o"),
    ("oo", "o"),
    ("oh", "o"),
    ("uu", "u"),
    ("ei", "e"),
    ("aa", "a"),
    ("ii", "i"),
    ("ee", "e"),
    ("nn", "n"),
    ("mb", "nb"),
    ("mp", "np"),
    ("zy", "z"),
];

/// `s.contains(from)`, quicker for one or two bytes.
fn occurs(s: &str, from: &str) -> bool {
    match from.as_bytes() {
        [x] => s.as_bytes().contains(x),
        [x, y] => s.as_bytes().windows(2).any(|w| w[0] == *x && w[1] == *y),
        _ => s.contains(from),
    }
}

/// A 64-bit summary of the bytes and adjacent byte pairs of `s`: a text that contains `t`
/// has every bit of `t`'s summary (the converse may fail; it only rules searches out).
fn letters_seen(s: &[u8]) -> u64 {
    let bit = |h: u32| 1u64 << (h % 64);
    let singles = s.iter().fold(0, |m, &x| m | bit(u32::from(x)));
    s.windows(2).fold(singles, |m, w| {
        m | bit(u32::from(w[0]) * 31 + u32::from(w[1]) * 7 + 17)
    })
}

/// `s.replace(from, to)`, without a new string when `from` does not occur (most of the
/// folds above, on most words).
fn replaced(s: String, from: &str, to: &str) -> String {
    if occurs(&s, from) {
        s.replace(from, to)
    } else {
        s
    }
}

/// Folds the ASCII look-alikes a handle can use on top of the skeleton: i, 1 and | read as l
/// in many fonts (the skeleton already maps I→l, 0→o, rn/m, vv/w, cl/d).
fn fold_ascii(s: &str) -> String {
    // The skeleton writes both m and rn as `rn`; one letter again, so that a typo on an m
    // (`miram` for `mirai`) counts as one edit, not two.
    replaced(s.to_string(), "rn", "m")
        .chars()
        .map(|c| match c {
            'i' | '1' | '|' | '!' => 'l',
            '0' => 'o',
            other => other,
        })
        .collect()
}

/// The words of a handle: split at separators, with digit runs at the ends of a word cut off
/// (digits inside a word, as in `bunky0`, are look-alike letters and stay).
fn split_words(local: &str) -> Vec<String> {
    let lower: String = super::normalize::nfkc(local).to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .map(|w| w.trim_matches(|c: char| c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .map(skeleton_lower)
        .collect()
}

/// Affixes glued to a word without a separator (`bousaiofficial`, `officialbunkyo`).
const GLUED_AFFIXES: &[&str] = &[
    "official", "offical", "koshiki", "koushiki", "kousiki", "info", "staff", "real", "japan",
    "jp", "news",
];

fn strip_glued_affix(w: &str) -> &str {
    for affix in GLUED_AFFIXES {
        // The words are skeletons; none of these affixes changes under the skeleton.
        if w.len() >= affix.len() + 4 {
            if let Some(rest) = w.strip_suffix(affix).or_else(|| w.strip_prefix(affix)) {
                return rest;
            }
        }
    }
    w
}

/// The word lists in the form words are compared in: words pass through the confusable
/// skeleton (which writes `m` as `rn`), so the lists must too.
struct Dictionaries {
    dropped: Vec<String>,
    equivalents: Vec<(String, &'static str)>,
    /// `fold_romaji` of each `equivalents` word, computed once (not per word compared).
    folded_equivalents: Vec<String>,
    glued_places: Vec<String>,
}

static DICTIONARIES: std::sync::LazyLock<Dictionaries> =
    std::sync::LazyLock::new(|| Dictionaries {
        dropped: AFFIXES
            .iter()
            .chain(PLACE_WORDS)
            .map(|w| skeleton_lower(w))
            .collect(),
        equivalents: EQUIVALENTS
            .iter()
            .map(|(from, to)| (skeleton_lower(from), *to))
            .collect(),
        folded_equivalents: EQUIVALENTS
            .iter()
            .map(|(from, _)| fold_romaji(&skeleton_lower(from)))
            .collect(),
        glued_places: ["city", "ku", "shi", "machi", "town", "cho", "mura"]
            .iter()
            .map(|w| skeleton_lower(w))
            .collect(),
    });

fn canonical_word(w: &str) -> Option<String> {
    if w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let d = &*DICTIONARIES;
    let w = strip_glued_affix(w);
    if d.dropped.iter().any(|x| x == w) {
        return None;
    }
    if let Some((_, to)) = d.equivalents.iter().find(|(from, _)| from == w) {
        return Some(to.to_string());
    }
    let folded = fold_romaji(w);
    if let Some(k) = d.folded_equivalents.iter().position(|f| *f == folded) {
        return Some(d.equivalents[k].1.to_string());
    }
    // A place word glued to the end of a name: bunkyoku, bunkyocity.
    for place in &d.glued_places {
        if w.len() >= place.len() + 3 && w.ends_with(place.as_str()) {
            return Some(fold_romaji(&w[..w.len() - place.len()]));
        }
    }
    Some(folded)
}

/// The look-alikes that take more than one letter, or that the skeleton keeps apart, folded
/// (dnstwist's ASCII homoglyphs, issue 10 item 6), first with a real `l` (or what the
/// skeleton reads as one: `1`, `I`, `|`): `lcl` → kl (`miyazalc1` is `miyazaki`: `ld` is no
/// romaji), `cl`, `dl` → d, `vv` → w, `lc` → k, `rr`, `nn` → m, `lb` → b, `lh` → h. Then the
/// six from `cl` to `nn` again after `i` is read as `l`: `miyazalci` and `rriyazaki_icenkei`
/// both read `miyazaki_kenkei`, but `gikai_hakodate` is no `gika_hakodate` (`ih`), and the
/// `l` of `mirai` stays in `miraicity` (`ici`). On both handles alike.
fn paired_glyphs(skeleton: &str) -> String {
    let before_fold = [
        ("lcl", "kl"),
        ("cl", "d"),
        ("dl", "d"),
        ("vv", "w"),
        ("lc", "k"),
        ("rr", "m"),
        ("nn", "m"),
        ("lb", "b"),
        ("lh", "h"),
    ];
    let mut s = skeleton.to_string();
    for (from, to) in before_fold {
        s = replaced(s, from, to);
    }
    let mut s = fold_ascii(&s);
    for (from, to) in &before_fold[1..7] {
        s = replaced(s, from, to);
    }
    s
}

/// Letters that read as one another in many fonts (dnstwist's single-letter homoglyphs that
/// neither the skeleton nor [`fold_ascii`] folds), each pair once.
const LOOKALIKE_LETTERS: &[(char, char)] = &[
    ('b', 'd'),
    ('c', 'e'),
    ('g', 'q'),
    ('m', 'n'),
    ('n', 'r'),
    ('u', 'v'),
];

/// True when two handle forms of one length differ in one or two places only, each a letter
/// and its look-alike (`kcnkci` for `kenkei`, `kemkci`): dnstwist's two homoglyph steps, as
/// deceptive to the eye as one typo.
fn lookalike_letters_only(a: &str, b: &str) -> bool {
    if a.len() != b.len() || !a.is_ascii() || !b.is_ascii() {
        return false;
    }
    let mut differing = 0;
    for (x, y) in a.chars().zip(b.chars()) {
        if x == y {
            continue;
        }
        differing += 1;
        if differing > 2 || !LOOKALIKE_LETTERS.contains(&(x.min(y), x.max(y))) {
            return false;
        }
    }
    differing > 0
}

/// Computes the comparable forms of a handle.
pub fn forms(handle: &str) -> HandleForms {
    let local = local_part(handle);
    // What fold_ascii reads as `l` stays.
    let skeleton: String = skeleton_lower(local)
        .chars()
        .filter(|&c| c.is_alphanumeric() || c == '|' || c == '!')
        .collect();
    let plain = fold_ascii(&skeleton);
    let words = split_words(local);
    let mut kept: Vec<String> = words.iter().filter_map(|w| canonical_word(w)).collect();
    if kept.is_empty() {
        // A handle made only of affixes: keep it as it is rather than comparing nothing.
        kept = words.iter().map(|w| fold_romaji(w)).collect();
    }
    let kept: Vec<String> = kept.iter().map(|w| fold_ascii(w)).collect();
    // Affixes glued without a separator: bdiverjinzaiofficial, officialbdiverjinzai.
    let mut core = kept.concat();
    for affix in [
        "official", "koshiki", "koushiki", "info", "staff", "real", "jp",
    ] {
        if core.len() >= affix.len() + 4 {
            if let Some(rest) = core.strip_suffix(affix) {
                core = rest.to_string();
            } else if let Some(rest) = core.strip_prefix(affix) {
                core = rest.to_string();
            }
        }
    }
    let mut sorted = kept.clone();
    sorted.sort();
    HandleForms {
        paired: paired_glyphs(&skeleton),
        plain,
        core,
        words: sorted.concat(),
    }
}

/// Similarity of two strings, 0..1: mostly edit distance, a little Jaro-Winkler.
pub fn string_similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (dl, jw) = super::edit::normalized_damerau_levenshtein_and_jaro_winkler(a, b);
    0.65 * dl + 0.35 * jw
}

/// An upper bound of [`string_similarity`]: the edit distance is at least the difference in
/// length, Jaro-Winkler at most 1.
fn similarity_bound(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let dl = 1.0 - la.abs_diff(lb) as f64 / la.max(lb) as f64;
    0.65 * dl + 0.35
}

/// How a handle resembles an official one.
#[derive(Clone, Debug, PartialEq)]
pub struct HandleMatch {
    /// 0..1 similarity (the best of the three forms).
    pub similarity: f64,
    /// Edits between the closest forms (optimal string alignment).
    pub edits: usize,
    /// Length of the official form compared.
    pub length: usize,
    /// Which form matched best: "exact", "plain", "core" or "words".
    pub form: &'static str,
}

/// Compares a candidate handle with an official handle.
pub fn compare(official: &HandleForms, candidate: &HandleForms, raw_equal: bool) -> HandleMatch {
    if raw_equal {
        return HandleMatch {
            similarity: 1.0,
            edits: 0,
            length: official.plain.chars().count(),
            form: "exact",
        };
    }
    let pairs = form_pairs(official, candidate);
    match best_form(&pairs) {
        Some((similarity, n)) => {
            let (form, a, b) = pairs[n];
            let mut edits = super::edit::osa_distance(a, b);
            if edits == 2
                && (lookalike_letters_only(&official.plain, &candidate.plain)
                    || lookalike_letters_only(&official.paired, &candidate.paired))
            {
                edits = 1;
            }
            HandleMatch {
                similarity,
                edits,
                length: a.chars().count(),
                form,
            }
        }
        None => HandleMatch {
            similarity: 0.0,
            edits: usize::MAX,
            length: 0,
            form: "plain",
        },
    }
}

/// `compare(official, candidate, false).similarity`, without counting the edits.
pub fn similarity(official: &HandleForms, candidate: &HandleForms) -> f64 {
    best_form(&form_pairs(official, candidate)).map_or(0.0, |(sim, _)| sim)
}

/// The forms compared, each with its name: plain, paired (as plain), core and words.
fn form_pairs<'a>(
    official: &'a HandleForms,
    candidate: &'a HandleForms,
) -> [(&'static str, &'a str, &'a str); 4] {
    [
        ("plain", &official.plain, &candidate.plain),
        ("plain", &official.paired, &candidate.paired),
        ("core", &official.core, &candidate.core),
        ("words", &official.words, &candidate.words),
    ]
}

/// The best weighted similarity of the pairs of forms above 0, and which pair gives it (the
/// first of equals).
fn best_form(pairs: &[(&'static str, &str, &str); 4]) -> Option<(f64, usize)> {
    let mut best: Option<(f64, usize)> = None;
    for (n, &(form, a, b)) in pairs.iter().enumerate() {
        // A pair of forms seen before (no `cl` or `vv`, one word) scores the same again, and
        // a pair that cannot beat the best so far (by its length difference) does not win:
        // neither changes the result.
        let weight = if form == "plain" { 1.0 } else { 0.97 };
        let best_sim = best.map_or(0.0, |(s, _)| s);
        if pairs[..n]
            .iter()
            .any(|&(f, x, y)| x == a && y == b && (f == "plain" || weight < 1.0))
            || similarity_bound(a, b) * weight <= best_sim
        {
            continue;
        }
        let sim = string_similarity(a, b);
        // The core and word forms discard information, so a perfect match there is a shade
        // below a perfect plain match.
        let sim = if form == "plain" { sim } else { sim * 0.97 };
        if sim > best_sim {
            best = Some((sim, n));
        }
    }
    best
}

/// True for the characters that separate words in a handle.
fn is_separator(c: char) -> bool {
    matches!(c, '_' | '-' | '.' | ' ')
}

/// How a run of characters reads once look-alikes are folded (for telling a glyph swap).
fn glyph_form(s: &str) -> String {
    paired_glyphs(&skeleton_lower(s))
}

/// Classifies one differing run between aligned handles (`from` in the official handle,
/// `to` in the candidate's); `at_start`/`at_end` say whether the run touches an end.
fn classify_run(from: &str, to: &str, at_start: bool, at_end: bool) -> HandleEdit {
    let (from, to) = (from.to_string(), to.to_string());
    if from.is_empty() && at_end {
        return HandleEdit::Appended { text: to };
    }
    if from.is_empty() && at_start {
        return HandleEdit::Prepended { text: to };
    }
    if from.chars().chain(to.chars()).all(is_separator) {
        return HandleEdit::SeparatorChanged { from, to };
    }
    if !from.is_empty() && !to.is_empty() && glyph_form(&from) == glyph_form(&to)
        || lookalike_letters_only(&from, &to)
    {
        return HandleEdit::GlyphSwap { from, to };
    }
    if to.is_empty() && from.chars().count() > 2 {
        return HandleEdit::Removed { text: from };
    }
    let f: Vec<char> = from.chars().collect();
    if f.len() == 2 && to.chars().rev().eq(f.iter().copied()) {
        return HandleEdit::Transposed { from, to };
    }
    HandleEdit::Typo { from, to }
}

/// The changes that turn the official handle into the candidate's, for the reason a reviewer
/// reads (「末尾に _ が付いています」「l が 1 になっています」). Both are compared by their local
/// part, lower case; the runs that differ in a character alignment are classified one by one,
/// after whole-handle explanations (same words reordered, the same romanised words) are tried.
pub fn explain(official: &str, candidate: &str) -> Vec<HandleEdit> {
    let (o_raw, c_raw) = (local_part(official), local_part(candidate));
    let o: String = super::normalize::nfkc(o_raw).to_lowercase();
    let c: String = super::normalize::nfkc(c_raw).to_lowercase();
    if o == c {
        return if o_raw == c_raw {
            Vec::new()
        } else {
            vec![HandleEdit::CaseChanged]
        };
    }
    let (fo, fc) = (forms(&o), forms(&c));
    if fo.plain != fc.plain && fo.core != fc.core && fo.words == fc.words {
        return vec![HandleEdit::WordsReordered];
    }
    let words = |s: &str| -> Vec<String> {
        s.split(is_separator)
            .filter(|w| !w.is_empty())
            .map(|w| fold_romaji(&canonical_word(&skeleton_lower(w)).unwrap_or_default()))
            .collect()
    };
    let (wo, wc) = (words(&o), words(&c));
    if wo == wc
        && glyph_form(&o.replace(is_separator, "")) != glyph_form(&c.replace(is_separator, ""))
    {
        return vec![HandleEdit::Romanisation {
            from: o_raw.to_string(),
            to: c_raw.to_string(),
        }];
    }
    let a: Vec<char> = o.chars().collect();
    let b: Vec<char> = c.chars().collect();
    // Levenshtein table, then a backtrace into matched and differing runs.
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    // Walk back, collecting (same, a_char, b_char) steps.
    let (mut i, mut j) = (n, m);
    let mut steps: Vec<(bool, Option<char>, Option<char>)> = Vec::new();
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && a[i - 1] == b[j - 1] && d[i][j] == d[i - 1][j - 1] {
            steps.push((true, Some(a[i - 1]), Some(b[j - 1])));
            i -= 1;
            j -= 1;
        } else if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + 1 {
            steps.push((false, Some(a[i - 1]), Some(b[j - 1])));
            i -= 1;
            j -= 1;
        } else if j > 0 && (i == 0 || d[i][j] == d[i][j - 1] + 1) {
            steps.push((false, None, Some(b[j - 1])));
            j -= 1;
        } else {
            steps.push((false, Some(a[i - 1]), None));
            i -= 1;
        }
    }
    steps.reverse();
    let mut edits = Vec::new();
    let mut k = 0;
    while k < steps.len() {
        if steps[k].0 {
            k += 1;
            continue;
        }
        let start = k;
        let (mut from, mut to) = (String::new(), String::new());
        while k < steps.len() && !steps[k].0 {
            from.extend(steps[k].1);
            to.extend(steps[k].2);
            k += 1;
        }
        edits.push(classify_run(&from, &to, start == 0, k == steps.len()));
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        compare(&forms(a), &forms(b), false).similarity
    }

    #[test]
    fn separators_and_confusables_vanish() {
        let o = forms("b_diverjinzai");
        for v in [
            "b-diverjinzai",
            "bdiverjinzai",
            "b.diverjinzai",
            "b_diverj1nzai",
            "b_dlverjinzai",
            "B_DIVERJINZAI",
        ] {
            assert_eq!(forms(v).plain, o.plain, "{v}");
        }
        assert_eq!(forms("bunkyo_clty").plain, forms("bunkyo_city").plain);
        assert_eq!(forms("bunky0_city").plain, forms("bunkyo_city").plain);
        assert_eq!(forms("bunkyo_rnachi").plain, forms("bunkyo_machi").plain);
        assert_eq!(forms("b_cliverjinzai").paired, o.paired);
        assert_eq!(
            compare(&forms("bunkyo_city"), &forms("bunkyo_c1ty"), false).similarity,
            1.0
        );
        assert_eq!(forms("bunkyo_tovvn").paired, forms("bunkyo_town").paired);
        // dnstwist's look-alikes of more than one letter.
        let o = forms("miyazaki_kenkei");
        for v in [
            "miyazaki_lcenkei",
            "miyazaki_ken1cei",
            "nniyazaki_kenkei",
            "rriyazaki_icenkei",
            "miyazalci_kenkei",
            "miyazalc1_kenkei",
        ] {
            assert_eq!(forms(v).paired, o.paired, "{v}");
        }
        // A letter that only looks like another one in some fonts stays a typo.
        assert_ne!(
            forms("gika_hakodate").paired,
            forms("gikai_hakodate").paired
        );
        assert_ne!(forms("baraki_city").paired, forms("ibaraki_city").paired);
        assert_eq!(forms("mz_lbouhan").paired, forms("mz_bouhan").paired);
        // Letters that only look alike: one or two of them count as one edit.
        for (v, edits) in [
            ("miyazaki_kcnkci", 1),
            ("miyazaki_kemkci", 1),
            ("miyazaki_kcnkcu", 3),
            ("miyazaki_kexkei", 1),
            ("miyazaki_kaxkei", 2),
        ] {
            assert_eq!(compare(&o, &forms(v), false).edits, edits, "{v}");
        }
    }

    #[test]
    fn affixes_and_romanisation_fold() {
        let o = forms("bunkyo_bousai").core;
        for v in [
            "bunkyo_bosai_official",
            "official_bunkyo_bohsai",
            "bunkyo_bosai_jp",
            "bunkyoku_bosai",
            "bunkyo_city_bosai",
            "bunkyo_disaster",
            "bunkyo_bosai__",
            "bunkyo_bosai2024",
        ] {
            assert_eq!(forms(v).core, o, "{v}");
        }
        assert_eq!(forms("shibuya_kouhou").core, forms("sibuya_koho").core);
        assert_eq!(forms("bosai_bunkyo").words, forms("bunkyo_bosai").words);
    }

    #[test]
    fn typos_stay_close_and_unrelated_words_do_not() {
        assert!(sim("b_diverjinzai", "b_diverjnzai") > 0.9);
        assert!(sim("b_diverjinzai", "b_diverjinzia") > 0.9);
        // An m is one letter, though the skeleton writes it rn.
        assert_eq!(
            compare(&forms("mirai_koho"), &forms("miram_koho"), false).edits,
            1
        );
        assert_eq!(
            compare(&forms("miraicity"), &forms("iraicity"), false).edits,
            1
        );
        assert!(sim("bunkyo_city", "bunkyo_ramen") < 0.78);
        assert!(sim("tokai_city", "toon_city") < 0.78);
    }

    #[test]
    fn edits_are_explained() {
        use HandleEdit::*;
        let s = |x: &str| x.to_string();
        assert_eq!(
            explain("city_koho", "city_koho_"),
            [Appended { text: s("_") }]
        );
        assert_eq!(
            explain("city_koho", "official_city_koho"),
            [Prepended {
                text: s("official_")
            }]
        );
        assert_eq!(
            explain("city_koho", "clty_koho"),
            [GlyphSwap {
                from: s("i"),
                to: s("l")
            }]
        );
        assert_eq!(
            explain("mirai_koho", "rnira1_koho"),
            [
                GlyphSwap {
                    from: s("m"),
                    to: s("rn")
                },
                GlyphSwap {
                    from: s("i"),
                    to: s("1")
                }
            ]
        );
        assert_eq!(
            explain("city_koho", "city-koho"),
            [SeparatorChanged {
                from: s("_"),
                to: s("-")
            }]
        );
        assert_eq!(
            explain("city_koho", "city_kobo"),
            [Typo {
                from: s("h"),
                to: s("b")
            }]
        );
        assert_eq!(
            explain("bunkyo_bousai", "bunkyo_bosai"),
            [Romanisation {
                from: s("bunkyo_bousai"),
                to: s("bunkyo_bosai")
            }]
        );
        assert_eq!(explain("bunkyo_bousai", "bousai_bunkyo"), [WordsReordered]);
        assert_eq!(explain("City_Koho", "city_koho"), [CaseChanged]);
        assert_eq!(
            explain("b_diverjinzai", "b_diverjinzia"),
            [Transposed {
                from: s("ai"),
                to: s("ia")
            }]
        );
    }

    #[test]
    fn romaji_folds_are_every_replacement_in_order() {
        let by_definition = |w: &str| {
            ROMAJI_FOLDS
                .iter()
                .fold(w.to_string(), |s, (from, to)| s.replace(from, to))
        };
        let alphabet: Vec<char> = "shctjfouiaenmbpzy_kーぶ".chars().collect();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..30_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let word: String = (0..x % 13)
                .map(|k| alphabet[((x >> (5 * k + 4)) % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(fold_romaji(&word), by_definition(&word), "{word}");
        }
        assert_eq!(fold_romaji("shinbashi"), "sinbasi");
        assert_eq!(fold_romaji("toukyou"), "tokyo");
    }

    #[test]
    fn local_part_strips_instances_and_bluesky_suffix() {
        assert_eq!(local_part("@bunkyo@mstdn.jp"), "bunkyo");
        assert_eq!(local_part("bunkyo.bsky.social"), "bunkyo");
        assert_eq!(local_part("Bunkyo.BSKY.App"), "Bunkyo");
        assert_eq!(local_part(".bsky.social"), ".bsky.social");
        assert_eq!(local_part("bsky.app"), "bsky.app");
        assert_eq!(local_part("文京.bsky.social"), "文京");
        assert_eq!(local_part("文京区"), "文京区");
    }
}

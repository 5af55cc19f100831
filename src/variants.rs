//! Look-alike handle generation (issue 4): for an official handle, the handles an impostor is
//! likely to register — typos, confusable swaps, separator games, affixes and romanisation
//! variants, the same families the handle signal (`detect::handle`) scores. Each family is one
//! [`Fuzzer`]; every [`Variant`] remembers which fuzzer made it. Variants are filtered to a
//! platform's handle rules ([`Rules`]), deduplicated, ordered by plausibility and capped, so a
//! scan can probe them by exact lookup within the platform's rate limits.
//!
//! Pure: no I/O. The lookup tables (keyboard neighbours, confusables, affixes, romanisation
//! pairs) are data literals beside the code that uses them.

use crate::model::Platform;
use std::collections::HashSet;

/// A family of look-alike handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fuzzer {
    /// A character read as another (dnstwist's ASCII homoglyphs): l/1/i, o/0, rn/nn/rr/m,
    /// vv/w, cl/d, lc/k, lb/b, lh/h, b/d, c/e, m/n/r, u/v, q/g.
    Confusable,
    /// An affix that makes an account look official: `_official`, `_jp`, `koshiki_`, digits…
    Affix,
    /// A separator dropped: `b_diverjinzai` → `bdiverjinzai`.
    SeparatorRemove,
    /// A separator added between two characters.
    SeparatorInsert,
    /// One separator replaced by another: `_` ↔ `-` (only where the platform allows both).
    SeparatorSwap,
    /// Another romanisation of the same Japanese: ou/o, shi/si, tsu/tu, n/nn…
    Romanisation,
    /// A character left out.
    Omission,
    /// Two neighbouring characters swapped.
    Transposition,
    /// A character doubled.
    Repetition,
    /// A vowel replaced by another vowel.
    VowelSwap,
    /// A character replaced by a neighbouring key (QWERTY).
    Replacement,
    /// A neighbouring key inserted next to a character.
    Insertion,
    /// One bit of a character flipped (a corrupted or deliberately mistyped name).
    BitFlip,
}

impl Fuzzer {
    /// Every fuzzer, most plausible first.
    pub const ALL: [Fuzzer; 13] = [
        Fuzzer::Confusable,
        Fuzzer::Affix,
        Fuzzer::SeparatorRemove,
        Fuzzer::SeparatorSwap,
        Fuzzer::Romanisation,
        Fuzzer::Omission,
        Fuzzer::Transposition,
        Fuzzer::Repetition,
        Fuzzer::SeparatorInsert,
        Fuzzer::VowelSwap,
        Fuzzer::Replacement,
        Fuzzer::Insertion,
        Fuzzer::BitFlip,
    ];

    /// A stable name, for logs and reasons.
    pub fn name(self) -> &'static str {
        match self {
            Fuzzer::Confusable => "confusable",
            Fuzzer::Affix => "affix",
            Fuzzer::SeparatorRemove => "separator-remove",
            Fuzzer::SeparatorInsert => "separator-insert",
            Fuzzer::SeparatorSwap => "separator-swap",
            Fuzzer::Romanisation => "romanisation",
            Fuzzer::Omission => "omission",
            Fuzzer::Transposition => "transposition",
            Fuzzer::Repetition => "repetition",
            Fuzzer::VowelSwap => "vowel-swap",
            Fuzzer::Replacement => "replacement",
            Fuzzer::Insertion => "insertion",
            Fuzzer::BitFlip => "bit-flip",
        }
    }

    /// How many variants of this family each round of the ordering takes: impostors use
    /// confusables and affixes far more than bit flips.
    fn weight(self) -> usize {
        match self {
            Fuzzer::Confusable | Fuzzer::Affix => 4,
            Fuzzer::SeparatorRemove | Fuzzer::SeparatorSwap | Fuzzer::Romanisation => 3,
            Fuzzer::Omission | Fuzzer::Transposition | Fuzzer::Repetition => 2,
            Fuzzer::SeparatorInsert
            | Fuzzer::VowelSwap
            | Fuzzer::Replacement
            | Fuzzer::Insertion
            | Fuzzer::BitFlip => 1,
        }
    }

    /// The raw variants of `base` (lower-case ASCII), unfiltered, in generation order.
    pub fn generate(self, base: &str) -> Vec<String> {
        let chars: Vec<char> = base.chars().collect();
        match self {
            Fuzzer::Confusable => confusables(base),
            Fuzzer::Affix => affixes(base),
            Fuzzer::SeparatorRemove => {
                let mut out: Vec<String> = (0..chars.len())
                    .filter(|&i| SEPARATORS.contains(&chars[i]))
                    .map(|i| remove_at(&chars, i))
                    .collect();
                out.push(base.chars().filter(|c| !SEPARATORS.contains(c)).collect());
                out
            }
            Fuzzer::SeparatorInsert => {
                let mut out = Vec::new();
                for i in 1..chars.len() {
                    if SEPARATORS.contains(&chars[i - 1]) || SEPARATORS.contains(&chars[i]) {
                        continue;
                    }
                    for sep in SEPARATORS {
                        let mut v = chars.clone();
                        v.insert(i, sep);
                        out.push(v.into_iter().collect());
                    }
                }
                out
            }
            Fuzzer::SeparatorSwap => {
                let mut out = Vec::new();
                for i in (0..chars.len()).filter(|&i| SEPARATORS.contains(&chars[i])) {
                    for sep in SEPARATORS.iter().filter(|&&s| s != chars[i]) {
                        let mut v = chars.clone();
                        v[i] = *sep;
                        out.push(v.into_iter().collect());
                    }
                }
                out
            }
            Fuzzer::Romanisation => romanisations(base),
            Fuzzer::Omission => (0..chars.len()).map(|i| remove_at(&chars, i)).collect(),
            Fuzzer::Transposition => (1..chars.len())
                .filter(|&i| chars[i] != chars[i - 1])
                .map(|i| {
                    let mut v = chars.clone();
                    v.swap(i - 1, i);
                    v.into_iter().collect()
                })
                .collect(),
            Fuzzer::Repetition => (0..chars.len())
                .filter(|&i| chars[i].is_ascii_alphanumeric())
                .map(|i| {
                    let mut v = chars.clone();
                    v.insert(i, chars[i]);
                    v.into_iter().collect()
                })
                .collect(),
            Fuzzer::VowelSwap => {
                let mut out = Vec::new();
                for (i, c) in chars.iter().enumerate() {
                    if VOWELS.contains(c) {
                        for v in VOWELS.iter().filter(|v| *v != c) {
                            let mut w = chars.clone();
                            w[i] = *v;
                            out.push(w.into_iter().collect());
                        }
                    }
                }
                out
            }
            Fuzzer::Replacement => {
                let mut out = Vec::new();
                for (i, c) in chars.iter().enumerate() {
                    for n in neighbours(*c).chars() {
                        let mut v = chars.clone();
                        v[i] = n;
                        out.push(v.into_iter().collect());
                    }
                }
                out
            }
            Fuzzer::Insertion => {
                let mut out = Vec::new();
                for (i, c) in chars.iter().enumerate() {
                    for n in neighbours(*c).chars() {
                        for at in [i, i + 1] {
                            let mut v = chars.clone();
                            v.insert(at, n);
                            out.push(v.into_iter().collect());
                        }
                    }
                }
                out
            }
            Fuzzer::BitFlip => {
                let mut out = Vec::new();
                for (i, c) in chars.iter().enumerate() {
                    if !c.is_ascii() {
                        continue;
                    }
                    for bit in 0..7 {
                        let flipped = ((*c as u8) ^ (1 << bit)) as char;
                        if flipped.is_ascii_lowercase()
                            || flipped.is_ascii_digit()
                            || SEPARATORS.contains(&flipped)
                        {
                            let mut v = chars.clone();
                            v[i] = flipped;
                            out.push(v.into_iter().collect());
                        }
                    }
                }
                out
            }
        }
    }
}

const SEPARATORS: [char; 2] = ['_', '-'];
const VOWELS: [char; 5] = ['a', 'e', 'i', 'o', 'u'];

/// QWERTY neighbours (as dnstwist uses them).
fn neighbours(c: char) -> &'static str {
    match c {
        '1' => "2q",
        '2' => "3wq1",
        '3' => "4ew2",
        '4' => "5re3",
        '5' => "6tr4",
        '6' => "7yt5",
        '7' => "8uy6",
        '8' => "9iu7",
        '9' => "0oi8",
        '0' => "po9",
        'q' => "12wa",
        'w' => "3esaq2",
        'e' => "4rdsw3",
        'r' => "5tfde4",
        't' => "6ygfr5",
        'y' => "7uhgt6",
        'u' => "8ijhy7",
        'i' => "9okju8",
        'o' => "0plki9",
        'p' => "lo0",
        'a' => "qwsz",
        's' => "edxzaw",
        'd' => "rfcxse",
        'f' => "tgvcdr",
        'g' => "yhbvft",
        'h' => "ujnbgy",
        'j' => "ikmnhu",
        'k' => "olmji",
        'l' => "kop",
        'z' => "asx",
        'x' => "zsdc",
        'c' => "xdfv",
        'v' => "cfgb",
        'b' => "vghn",
        'n' => "bhjm",
        'm' => "njk",
        _ => "",
    }
}

/// Confusable spellings (what reads as what in a handle, case-insensitively).
const CONFUSABLES: &[(&str, &[&str])] = &[
    ("l", &["1", "i"]),
    ("i", &["l", "1"]),
    ("1", &["l", "i"]),
    ("o", &["0"]),
    ("0", &["o"]),
    ("m", &["rn", "nn", "rr", "n"]),
    ("rn", &["m"]),
    ("w", &["vv"]),
    ("vv", &["w"]),
    ("d", &["cl", "b"]),
    ("cl", &["d"]),
    ("k", &["lc"]),
    ("b", &["d", "lb"]),
    ("h", &["lh"]),
    ("n", &["m", "r"]),
    ("e", &["c"]),
    ("c", &["e"]),
    ("u", &["v"]),
    ("v", &["u"]),
    ("g", &["q"]),
    ("q", &["g"]),
];

fn confusables(base: &str) -> Vec<String> {
    let mut out = Vec::new();
    // One swap at a time, then every occurrence at once (`bunky0_0ffice`).
    for (from, tos) in CONFUSABLES {
        for (i, _) in base.match_indices(from) {
            for to in *tos {
                out.push(format!("{}{}{}", &base[..i], to, &base[i + from.len()..]));
            }
        }
    }
    for (from, tos) in CONFUSABLES {
        if base.matches(from).count() > 1 {
            out.push(base.replace(from, tos[0]));
        }
    }
    out
}

/// Suffixes and prefixes impostors add (written with `_`; swapped to the platform's separator).
const SUFFIXES: &[&str] = &[
    "_official",
    "official",
    "_jp",
    "_koshiki",
    "_info",
    "_staff",
    "_real",
    "_",
    "1",
    "_pr",
    "_koho",
    "jp",
    "_news",
    "2",
    "__",
    "_1",
    "0",
    "_city",
    "_ku",
    "_shi",
    "koshiki",
    "_kouhou",
    "_team",
    "_support",
    "01",
    "_2",
    "3",
    "_2026",
];
const PREFIXES: &[&str] = &[
    "official_",
    "real_",
    "jp_",
    "koshiki_",
    "the_",
    "_",
    "info_",
    "new_",
];

fn affixes(base: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prefixes = PREFIXES.iter();
    for suffix in SUFFIXES {
        out.push(format!("{base}{suffix}"));
        if let Some(p) = prefixes.next() {
            out.push(format!("{p}{base}"));
        }
    }
    // With `-` as separator (Bluesky), the same affixes hyphenated.
    let hyphenated: Vec<String> = out
        .iter()
        .filter(|v| v.contains('_'))
        .map(|v| v.replace('_', "-"))
        .collect();
    out.extend(hyphenated);
    out
}

/// Long vowels and doubled `n` written short (`bunkyou` → `bunkyo`), applied one way, one
/// occurrence at a time; the long forms are added only where a syllable ends (below).
const LONG_TO_SHORT: &[(&str, &str)] = &[
    ("ou", "o"),
    ("oh", "o"),
    ("uu", "u"),
    ("ei", "e"),
    ("nn", "n"),
];

/// Hepburn and Kunrei spellings of the same Japanese sound; each pair is applied in both
/// directions, one occurrence at a time.
const ROMAJI_PAIRS: &[(&str, &str)] = &[
    ("shi", "si"),
    ("chi", "ti"),
    ("tsu", "tu"),
    ("ji", "zi"),
    ("fu", "hu"),
    ("sha", "sya"),
    ("shu", "syu"),
    ("sho", "syo"),
    ("cha", "tya"),
    ("chu", "tyu"),
    ("cho", "tyo"),
    ("ja", "zya"),
    ("ju", "zyu"),
    ("jo", "zyo"),
];

fn is_consonant(c: char) -> bool {
    c.is_ascii_lowercase() && !VOWELS.contains(&c)
}

fn romanisations(base: &str) -> Vec<String> {
    let mut out = Vec::new();
    let both_ways = ROMAJI_PAIRS.iter().flat_map(|(a, b)| [(*a, *b), (*b, *a)]);
    for (from, to) in LONG_TO_SHORT.iter().copied().chain(both_ways) {
        for (i, _) in base.match_indices(from) {
            let v = format!("{}{}{}", &base[..i], to, &base[i + from.len()..]);
            if v != base {
                out.push(v);
            }
        }
    }
    // Long vowels written out, `bunkyo` → `bunkyou`, `bunkyoh`; `jinzai` → `jinnzai`.
    let chars: Vec<char> = base.chars().collect();
    for i in 0..chars.len() {
        let next = chars.get(i + 1).copied();
        let at_syllable_end = next.is_none_or(|n| !n.is_ascii_lowercase() || is_consonant(n));
        if chars[i] == 'o' && at_syllable_end && next != Some('u') && next != Some('h') {
            for ins in ['u', 'h'] {
                let mut v = chars.clone();
                v.insert(i + 1, ins);
                out.push(v.into_iter().collect());
            }
        }
        if chars[i] == 'n'
            && next.is_some_and(is_consonant)
            && next != Some('n')
            && i > 0
            && chars[i - 1] != 'n'
        {
            let mut v = chars.clone();
            v.insert(i, 'n');
            out.push(v.into_iter().collect());
        }
    }
    out
}

fn remove_at(chars: &[char], i: usize) -> String {
    chars
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, c)| *c)
        .collect()
}

/// A platform's rules for the local part of a handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    pub min_len: usize,
    pub max_len: usize,
    /// Whether `_` and `-` are allowed.
    pub underscore: bool,
    pub hyphen: bool,
    /// Whether the name may start or end with a separator.
    pub separator_at_ends: bool,
}

impl Rules {
    /// X: `^[A-Za-z0-9_]{1,15}$` (platform-apis.md §1.8).
    pub const X: Rules = Rules {
        min_len: 1,
        max_len: 15,
        underscore: true,
        hyphen: false,
        separator_at_ends: true,
    };
    /// Bluesky names under `.bsky.social`: letters, digits, hyphens, 3–18 characters, no
    /// hyphen at either end (§2.6).
    pub const BLUESKY: Rules = Rules {
        min_len: 3,
        max_len: 18,
        underscore: false,
        hyphen: true,
        separator_at_ends: false,
    };
    /// Mastodon local usernames: `[A-Za-z0-9_]`, at most 30 (§3.7).
    pub const MASTODON: Rules = Rules {
        min_len: 1,
        max_len: 30,
        underscore: true,
        hyphen: false,
        separator_at_ends: true,
    };
    /// Misskey local usernames: `^\w{1,20}$` (§4.7).
    pub const MISSKEY: Rules = Rules {
        min_len: 1,
        max_len: 20,
        underscore: true,
        hyphen: false,
        separator_at_ends: true,
    };

    /// The rules of a platform this tool can probe.
    pub fn for_platform(platform: Platform) -> Option<Rules> {
        match platform {
            Platform::X => Some(Rules::X),
            Platform::Bluesky => Some(Rules::BLUESKY),
            Platform::Mastodon => Some(Rules::MASTODON),
            Platform::Misskey => Some(Rules::MISSKEY),
            _ => None,
        }
    }

    /// True when `name` is a valid local handle under these rules.
    pub fn accepts(&self, name: &str) -> bool {
        let n = name.chars().count();
        if n < self.min_len || n > self.max_len {
            return false;
        }
        let ok = name.chars().all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || (c == '_' && self.underscore)
                || (c == '-' && self.hyphen)
        });
        let sep = |c: Option<char>| c.is_some_and(|c| SEPARATORS.contains(&c));
        ok && (self.separator_at_ends || !(sep(name.chars().next()) || sep(name.chars().last())))
    }
}

/// One generated look-alike handle and the fuzzer that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    pub handle: String,
    pub fuzzer: Fuzzer,
}

/// The look-alikes of `base` (the local part of an official handle) valid under `rules`,
/// without `base` itself, deduplicated, most plausible first, at most `cap`.
///
/// Ordering: families take turns in [`Fuzzer::ALL`] order, each taking its weight's worth
/// per round, so a small cap still covers every family and a large one exhausts them.
pub fn generate(base: &str, rules: &Rules, cap: usize) -> Vec<Variant> {
    let base = base.trim().trim_start_matches('@').to_ascii_lowercase();
    let mut seen: HashSet<String> = HashSet::from([base.clone()]);
    let mut families: Vec<(Fuzzer, std::vec::IntoIter<String>)> = Fuzzer::ALL
        .iter()
        .map(|f| {
            let valid: Vec<String> = f
                .generate(&base)
                .into_iter()
                .map(|v| v.to_ascii_lowercase())
                .filter(|v| rules.accepts(v))
                .collect();
            (*f, valid.into_iter())
        })
        .collect();
    let mut out = Vec::new();
    while out.len() < cap && !families.is_empty() {
        families.retain_mut(|(fuzzer, items)| {
            let mut taken = 0;
            while taken < fuzzer.weight() && out.len() < cap {
                match items.next() {
                    Some(v) => {
                        if seen.insert(v.clone()) {
                            out.push(Variant {
                                handle: v,
                                fuzzer: *fuzzer,
                            });
                            taken += 1;
                        }
                    }
                    None => return false,
                }
            }
            true
        });
    }
    out
}

/// Labels of a custom Bluesky domain that say nothing about whose account it is.
const GENERIC_LABELS: &[&str] = &[
    "lg", "jp", "go", "or", "ne", "co", "ac", "ed", "gr", "city", "pref", "town", "vill", "www",
    "com", "org", "net", "gov", "bsky", "social", "app",
];

/// The name to build look-alikes from: the local part of a handle for X, Mastodon and Misskey
/// (`@name@instance` → `name`); for Bluesky the part before `.bsky.social`, or, for a custom
/// domain such as `city.bunkyo.lg.jp`, its distinctive labels joined by hyphens (`bunkyo`),
/// which is what an impostor registers under `.bsky.social`.
pub fn base_name(platform: Platform, handle: &str) -> String {
    let h = handle.trim().trim_start_matches('@').to_ascii_lowercase();
    match platform {
        Platform::Bluesky => {
            if let Some(local) = h.strip_suffix(".bsky.social") {
                return local.to_string();
            }
            let labels: Vec<&str> = h.split('.').filter(|l| !l.is_empty()).collect();
            let kept: Vec<&str> = labels
                .iter()
                .copied()
                .filter(|l| !GENERIC_LABELS.contains(l))
                .collect();
            if kept.is_empty() {
                labels.first().copied().unwrap_or_default().to_string()
            } else {
                kept.join("-")
            }
        }
        _ => h.split('@').next().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handles(base: &str, rules: &Rules, cap: usize) -> Vec<String> {
        generate(base, rules, cap)
            .into_iter()
            .map(|v| v.handle)
            .collect()
    }

    #[test]
    fn each_fuzzer_makes_its_kind_of_variant() {
        let cases: &[(Fuzzer, &str, &str)] = &[
            (Fuzzer::Confusable, "bunkyo_city", "bunkyo_clty"),
            (Fuzzer::Confusable, "bunkyo_city", "bunky0_city"),
            (Fuzzer::Confusable, "bunkyo_machi", "bunkyo_rnachi"),
            (Fuzzer::Confusable, "web", "vveb"),
            (Fuzzer::Confusable, "daigaku", "claigaku"),
            (Fuzzer::Affix, "bunkyo", "bunkyo_official"),
            (Fuzzer::Affix, "bunkyo", "official_bunkyo"),
            (Fuzzer::Affix, "bunkyo", "bunkyo_jp"),
            (Fuzzer::Affix, "bunkyo", "bunkyo_"),
            (Fuzzer::Affix, "bunkyo", "bunkyo-official"),
            (Fuzzer::SeparatorRemove, "b_diverjinzai", "bdiverjinzai"),
            (Fuzzer::SeparatorSwap, "b_diverjinzai", "b-diverjinzai"),
            (Fuzzer::SeparatorInsert, "bunkyo", "bun_kyo"),
            (Fuzzer::Romanisation, "bunkyou", "bunkyo"),
            (Fuzzer::Romanisation, "bunkyo", "bunkyou"),
            (Fuzzer::Romanisation, "shibuya", "sibuya"),
            (Fuzzer::Romanisation, "jinzai", "jinnzai"),
            (Fuzzer::Romanisation, "keisatsu", "kesatsu"),
            (Fuzzer::Romanisation, "keisatsu", "keisatu"),
            (Fuzzer::Romanisation, "bunkyo", "bunkyoh"),
            (Fuzzer::Omission, "b_diverjinzai", "b_diverjnzai"),
            (Fuzzer::Transposition, "b_diverjinzai", "b_diverjinzia"),
            (Fuzzer::Repetition, "bunkyo", "bunkyyo"),
            (Fuzzer::VowelSwap, "bunkyo", "binkyo"),
            (Fuzzer::Replacement, "bunkyo", "vunkyo"),
            (Fuzzer::Insertion, "bunkyo", "bgunkyo"),
            (Fuzzer::BitFlip, "bunkyo", "cunkyo"),
        ];
        // Long vowels are only written out where a syllable ends, never inside one.
        assert!(!Fuzzer::Romanisation
            .generate("b_diverjinzai")
            .contains(&"b_diveirjinzai".to_string()));
        for (fuzzer, base, expected) in cases {
            let made = fuzzer.generate(base);
            assert!(
                made.iter().any(|v| v == expected),
                "{fuzzer:?} of {base} lacks {expected}: {made:?}"
            );
        }
    }

    #[test]
    fn variants_obey_platform_rules() {
        for (rules, base) in [
            (Rules::X, "b_diverjinzai"),
            (Rules::BLUESKY, "bunkyo-city"),
            (Rules::MASTODON, "bunkyo_city"),
            (Rules::MISSKEY, "bunkyo_city"),
        ] {
            let vs = handles(base, &rules, 10_000);
            assert!(vs.len() > 50, "{base}: {}", vs.len());
            for v in &vs {
                assert!(rules.accepts(v), "{v} breaks {rules:?}");
                assert_ne!(v, base);
            }
            let unique: HashSet<&String> = vs.iter().collect();
            assert_eq!(unique.len(), vs.len(), "duplicates for {base}");
        }
        // X: no hyphens, at most 15 characters.
        let x = handles("b_diverjinzai", &Rules::X, 10_000);
        assert!(!x.iter().any(|v| v.contains('-') || v.len() > 15));
        assert!(x.contains(&"b_diverjinzai_".to_string()));
        assert!(!x.contains(&"b_diverjinzai_official".to_string()));
        // Bluesky: no underscores, no hyphen at the ends, at least 3 characters.
        let b = handles("bunkyo-city", &Rules::BLUESKY, 10_000);
        assert!(!b.iter().any(|v| v.contains('_') || v.ends_with('-')));
        assert!(b.contains(&"bunkyo-clty".to_string()));
        assert!(b.contains(&"bunkyo-city-jp".to_string()));
        assert!(!Rules::BLUESKY.accepts("ab"));
    }

    #[test]
    fn ordering_puts_plausible_families_first_and_caps() {
        let vs = generate("b_diverjinzai", &Rules::X, 30);
        assert_eq!(vs.len(), 30);
        assert_eq!(vs[0].fuzzer, Fuzzer::Confusable);
        // Every family with valid variants is represented within a small cap.
        let families: HashSet<Fuzzer> = vs.iter().map(|v| v.fuzzer).collect();
        assert!(families.contains(&Fuzzer::Affix));
        assert!(families.contains(&Fuzzer::Omission));
        assert!(families.contains(&Fuzzer::SeparatorRemove));
        // The cap holds, and zero disables probing.
        assert!(generate("bunkyo", &Rules::X, 0).is_empty());
        // Deterministic.
        assert_eq!(
            generate("bunkyo", &Rules::X, 50),
            generate("bunkyo", &Rules::X, 50)
        );
    }

    #[test]
    fn base_names_per_platform() {
        assert_eq!(base_name(Platform::X, "@B_DiverJinzai"), "b_diverjinzai");
        assert_eq!(
            base_name(Platform::Mastodon, "@bunkyo_city@mstdn.jp"),
            "bunkyo_city"
        );
        assert_eq!(
            base_name(Platform::Bluesky, "bunkyo-city.bsky.social"),
            "bunkyo-city"
        );
        assert_eq!(base_name(Platform::Bluesky, "city.bunkyo.lg.jp"), "bunkyo");
        assert_eq!(
            base_name(Platform::Bluesky, "koho.city.bunkyo.lg.jp"),
            "koho-bunkyo"
        );
    }
}

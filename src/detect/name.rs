//! The display-name signal: how closely a candidate's name imitates an official one, after the
//! tricks that change how a name is written but not how it reads are undone (width, kana,
//! invisible characters, inserted spaces and symbols, look-alike kanji, 【公式】 markers and small
//! suffixes such as 応援 or お知らせ).

use super::handle::string_similarity;
use super::normalize::{fold_all, fold_name, WordSet};
use std::sync::LazyLock;

/// Markers that claim officialness; removed before comparing (非公式 is handled by `bio`).
const OFFICIAL_MARKERS: &[&str] = &[
    "公式アカウント",
    "公式",
    "オフィシャル",
    "official",
    "officialaccount",
    "koshiki",
];

/// Small words appended to a copied name.
const SUFFIXES: &[&str] = &[
    "アカウント",
    "応援団",
    "応援",
    "オシラセ",
    "オ知ラセ",
    "お知らせ",
    "事務局",
    "情報",
    "インフォ",
    "info",
    "運営",
    "担当",
    "垢",
    "jp",
    "japan",
];

/// The marker and suffix lists, folded once.
struct Folded {
    unofficial: String,
    markers: Vec<String>,
    suffixes: Vec<String>,
    news: Vec<String>,
}

static FOLDED: LazyLock<Folded> = LazyLock::new(|| Folded {
    unofficial: fold_name("非公式"),
    markers: OFFICIAL_MARKERS.iter().map(|m| fold_name(m)).collect(),
    suffixes: SUFFIXES.iter().map(|m| fold_name(m)).collect(),
    news: ["ニュース", "news"].iter().map(|m| fold_name(m)).collect(),
});

/// The comparable form of a display name: folded, markers and small suffixes stripped.
pub fn comparable(name: &str) -> String {
    comparable_folded(fold_name(name))
}

/// [`comparable`] of a name already folded ([`fold_name`]).
///
/// News after the name is small only in a name marked official (「【公式】浜松市ニュース」):
/// 「浜松市ニュース」 alone is how news outlets name themselves, not our name.
pub fn comparable_folded(mut s: String) -> String {
    let folded = &*FOLDED;
    let mut marked = false;
    // Protect 非公式: it is a disclaimer, not a marker, and must not turn into 非.
    if !s.contains(&folded.unofficial) {
        for m in &folded.markers {
            if s.len() > m.len() && s.contains(m.as_str()) {
                s = s.replace(m.as_str(), "");
                marked = true;
            }
        }
    }
    let news: &[String] = if marked { &folded.news } else { &[] };
    loop {
        let before = s.len();
        for suf in folded.suffixes.iter().chain(news) {
            if s.len() > suf.len() + 3 {
                if let Some(rest) = s.strip_suffix(suf.as_str()) {
                    s = rest.to_string();
                }
            }
        }
        if s.len() == before {
            break;
        }
    }
    // 「宮崎県警」 is how 「宮崎県警察」 is written short: both are written long.
    for (long, short) in &*POLICE_SHORT {
        if s.contains(short.as_str()) {
            s = s
                .replace(long.as_str(), short)
                .replace(short.as_str(), long);
        }
    }
    s
}

/// A prefecture's police and its short name (県警察 and 県警, 府警, 道警, 都警), folded.
static POLICE_SHORT: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    ["県", "府", "道", "都"]
        .iter()
        .map(|k| (fold_name(&format!("{k}警察")), fold_name(&format!("{k}警"))))
        .collect()
});

/// Similarity 0..1 of two display names' comparable forms.
pub fn similarity(official: &str, candidate: &str) -> f64 {
    string_similarity(official, candidate)
}

/// Department and topic words of municipal account names (課・局・部 names and what they are
/// about), folded as names are, longest first. Listed in `data/name_words.txt`.
static TOPIC_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v: Vec<String> = include_str!("../../data/name_words.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(fold_name)
        .filter(|w| w.chars().count() >= 2)
        .collect();
    v.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    v.dedup();
    v
});
static TOPIC_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&TOPIC_WORDS));

/// The topic words found in a folded name, none inside a longer one found.
pub fn topic_words(folded: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    // The words the name contains, in list order (the others are skipped either way).
    for w in TOPIC_SET
        .all_in(folded)
        .into_iter()
        .map(|i| &TOPIC_WORDS[i])
    {
        if !found.iter().any(|f| f.contains(w.as_str())) {
            found.push(w);
        }
    }
    found
}

/// Words by which an account presents itself as a part of the organisation, beyond the
/// department and topic words: its offices, desks and what impostors offer in its name
/// (「みらい市役所 給付金窓口」, 「みらい市災害対策本部」).
const ROLE_WORDS: &[&str] = &[
    "役所",
    "役場",
    "市庁",
    "県庁",
    "都庁",
    "庁舎",
    "公式",
    "担当",
    "窓口",
    "本部",
    "事務局",
    "対策室",
    "課",
    "係",
    "給付金",
    "支援金",
    "補助金",
    "還付金",
    "交付金",
    "お知らせ",
    "速報",
    "災害",
    "避難",
    // After disasters, impostors of the city ask for donations and relief in its name.
    "義援金",
    "被災",
    "復興",
    "救援",
    "給水",
    "罹災",
    "警察署",
    "交番",
    "生活安全",
    "サイバー犯罪",
    "犯罪対策",
    "詐欺",
    "キャンペーン",
    // Disasters, in whose name impostors of the city's disaster desk post.
    "地震",
    "津波",
    "台風",
    "豪雨",
    "大雨",
    "洪水",
    "土砂災害",
    "警報",
    "緊急",
    "停電",
    "断水",
    "防災無線",
];

/// Words that add nothing to what a name presents itself as (「みらい市 災害情報」,
/// 「Mirai City Information」): left out when asking whether a name says anything else.
const FILLER_WORDS: &[&str] = &[
    "情報",
    "案内",
    "インフォメーション",
    "インフォ",
    "アカウント",
    "センター",
    "通知",
    "連絡",
    "発信",
    "専用",
    "特設",
    "臨時",
    "支援",
    "対策",
    "総合",
    "相談",
    "ポータル",
    "ナビ",
    // Our news on a topic of ours (「浜松市 防災ニュース」): see [`NEWS_WORDS`].
    "ニュース",
];

/// [`FILLER_WORDS`] of names in Latin letters.
const LATIN_FILLER_WORDS: &[&str] = &[
    "information",
    "info",
    "account",
    "center",
    "centre",
    "public",
    "relations",
    "prevention",
    "management",
    "notice",
    "services",
    "service",
    "affairs",
    "the",
    "of",
    "and",
    "for",
];

/// Words of news outlets, which use our place's name for their own news; news of a topic of
/// ours under our place is our news to impostors ([`names_someone_else`]).
const NEWS_WORDS: &[&str] = &["ニュース"];

/// Words that say the account is another organisation, a shop or a person who merely uses the
/// place's name (「みらい市観光協会」, 「みらい市のラーメン好き」).
const OTHER_ORG_WORDS: &[&str] = &[
    "協会",
    "協議会",
    "商工会",
    "会議所",
    "組合",
    "財団",
    "法人",
    "社協",
    "大学",
    "高校",
    "中学",
    "小学校",
    "学園",
    "同好会",
    "愛好会",
    "クラブ",
    "サークル",
    "ファン",
    "好き",
    "応援",
    "新聞",
    "通信",
    "まとめ",
    "ブログ",
    "bot",
    "株式会社",
    "有限会社",
    "店",
    "屋",
    "食堂",
    "教室",
    "工房",
    "整骨院",
    "歯科",
    "医院",
    "不動産",
    "非公式",
    "民間",
    "個人",
    "議員",
    "後援会",
    "候補",
    "消防団",
    "青年団",
    "応援団",
    "ボランティア",
    "有志",
    "倶楽部",
    "ネットワーク",
    "友の会",
    "シルバー人材",
    "ガイド",
    "防災士",
    "在住",
    "子育て中",
    "隊",
    // Circles of parents (「みらい市子育てママの輪」).
    "ママ",
    "パパ",
];

/// Each role word as written and folded.
static FOLDED_ROLE_WORDS: LazyLock<Vec<(&str, String)>> =
    LazyLock::new(|| ROLE_WORDS.iter().map(|w| (*w, fold_name(w))).collect());
static FOLDED_OTHER_ORG_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| fold_all(OTHER_ORG_WORDS));
static FOLDED_NEWS_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| fold_all(NEWS_WORDS));
static ROLE_SET: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        &FOLDED_ROLE_WORDS
            .iter()
            .map(|(_, f)| f.as_str())
            .collect::<Vec<_>>(),
    )
});
static OTHER_ORG_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&FOLDED_OTHER_ORG_WORDS));

/// The first office or department word of a (folded) text, as written, else its first topic
/// word.
fn role_word(folded: &str) -> Option<String> {
    ROLE_SET
        .first_in(folded)
        .map(|i| FOLDED_ROLE_WORDS[i].0.to_string())
        .or_else(|| topic_words(folded).first().map(|w| w.to_string()))
}

/// Whether a (folded) text has a word saying its account is another organisation, a shop or a
/// person (「議員」, 「協会」, 「好き」), or is news that names none of our topics (「浜松ニュース
/// 速報」, not 「浜松市 防災ニュース」).
pub fn names_someone_else(folded: &str) -> bool {
    OTHER_ORG_SET.any_in(folded)
        || (FOLDED_NEWS_WORDS
            .iter()
            .any(|w| folded.contains(w.as_str()))
            && topic_words(folded).is_empty())
}

/// Our place with a word of the organisation's offices, departments or topics, and nothing
/// that says it is someone else: the name presents the account as a part of the organisation
/// (issue 10, item 5). `folded` is the display name folded ([`fold_name`]), `places` our
/// places folded. Returns the place and the word.
pub fn place_role(folded: &str, places: &[String]) -> Option<(String, String)> {
    place_role_in(folded, places, &WordSet::new(places))
}

/// [`place_role`] with the places also as a [`WordSet`] (built once per registry; the same
/// list, none of it empty).
pub fn place_role_in(folded: &str, places: &[String], set: &WordSet) -> Option<(String, String)> {
    // The longest place the name contains (of equal lengths, the last in the list).
    let place = set
        .all_in(folded)
        .into_iter()
        .map(|i| &places[i])
        .filter(|p| !p.is_empty())
        .max_by_key(|p| p.len())?;
    // Apart, so that the words on either side do not join into one (「静岡県」 and 「民」 of
    // 「静岡県浜松市民」 are no 「県民」).
    let rest = folded.replacen(place.as_str(), " ", 1);
    if names_someone_else(&rest) {
        return None;
    }
    Some((place.clone(), role_word(&rest)?))
}

/// A police station of ours: a prefectural police's name for one of its stations, a place of
/// its prefecture (`stations`, folded names and stems) just before 「警察」 (「宮崎北警察署」,
/// 「延岡警察署」), nothing saying it is someone else. Returns the place and 「警察署」 or
/// 「警察」 as written.
pub fn police_station(folded: &str, stations: &[String]) -> Option<(String, String)> {
    static POLICE: LazyLock<String> = LazyLock::new(|| fold_name("警察"));
    static STATION: LazyLock<String> = LazyLock::new(|| fold_name("警察署"));
    if stations.is_empty() {
        return None;
    }
    let at = folded.find(POLICE.as_str())?;
    let before = &folded[..at];
    // The place, then at most two characters (北, 中央) before 「警察」.
    let place = stations
        .iter()
        .filter(|s| {
            before
                .rfind(s.as_str())
                .is_some_and(|i| before[i + s.len()..].chars().count() <= 2)
        })
        .max_by_key(|s| s.len())?;
    let rest = folded.replacen(place.as_str(), "", 1);
    if names_someone_else(&rest) {
        return None;
    }
    let role = if folded[at..].starts_with(STATION.as_str()) {
        "警察署"
    } else {
        "警察"
    };
    Some((place.clone(), role.to_string()))
}

/// Romanised words of an organisation's offices and departments, for names in Latin letters.
const LATIN_ROLE_WORDS: &[&str] = &[
    "city",
    "town",
    "village",
    "prefecture",
    "official",
    "office",
    "government",
    "koho",
    "police",
    "bosai",
    "kanko",
    "shiyakusho",
    "yakuba",
    "ward",
    "disaster",
    "emergency",
    "tourism",
    "welfare",
    "health",
    "childcare",
    "education",
    "firedepartment",
    "department",
    "division",
    "section",
    "bureau",
    "hall",
    "municipal",
    "publicrelations",
    "prefectural",
    "pref",
    "headquarters",
    "kenkei",
    "keisatsu",
];

/// Romanised words that say the account is someone else.
const LATIN_OTHER_WORDS: &[&str] = &[
    "fan",
    "love",
    "club",
    "cafe",
    "shop",
    "bot",
    "news",
    "unofficial",
    "team",
    "circle",
    "photo",
    "blog",
    "style",
    "life",
];

static FOLDED_LATIN_ROLE_WORDS: LazyLock<Vec<String>> =
    LazyLock::new(|| fold_all(LATIN_ROLE_WORDS));
/// The filler words and the romanised role words, longest first (so that `info` does not
/// break `information`, nor `pref` `prefectural`): what [`only_place_and_roles`] takes out
/// after the Japanese role and topic words.
static FOLDED_FILLER_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v = fold_all(FILLER_WORDS);
    v.extend(fold_all(LATIN_FILLER_WORDS));
    v.extend(fold_all(LATIN_PLACE_KINDS));
    v.extend(FOLDED_LATIN_ROLE_WORDS.iter().cloned());
    v.sort_by_key(|w| std::cmp::Reverse(w.len()));
    v
});

/// Kinds of place that follow a romanised place name as a word of their own (`Bunkyo-ku`,
/// `Takasaki-shi`): the name says "the municipality".
const LATIN_PLACE_KINDS: &[&str] = &["ku", "shi", "cho", "machi", "mura", "ken"];
static FOLDED_LATIN_OTHER_WORDS: LazyLock<Vec<String>> =
    LazyLock::new(|| fold_all(LATIN_OTHER_WORDS));
static LATIN_ROLE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&FOLDED_LATIN_ROLE_WORDS));
static LATIN_OTHER_SET: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(&FOLDED_LATIN_OTHER_WORDS));

/// [`place_role`] for a name with our place in Latin letters (「Kanazawa City Official」,
/// 「Kоgа City 観光情報」: look-alike letters of other scripts folded): our place's romaji
/// (`place_romaji`, as in our handles) and a romanised office or department word, or, in a
/// name that also has Japanese, a Japanese one ([`place_role`]'s words).
pub fn latin_place_role(folded: &str, place_romaji: &[String]) -> Option<(String, String)> {
    let romaji_folded: Vec<String> = place_romaji.iter().map(|p| fold_name(p)).collect();
    latin_place_role_folded(folded, &romaji_folded)
}

/// [`latin_place_role`] with the romaji already folded ([`fold_name`] of each, in order):
/// a registry folds them once, not once per candidate.
pub fn latin_place_role_folded(folded: &str, romaji_folded: &[String]) -> Option<(String, String)> {
    // Folded romaji are Latin letters and digits: a name with none of them has none of our
    // places in it (most Japanese names; no substring search per place then).
    if !folded.bytes().any(|b| b.is_ascii_alphanumeric())
        && romaji_folded.iter().all(|p| p.is_ascii())
    {
        return None;
    }
    let place = romaji_folded
        .iter()
        .filter(|p| p.len() >= 4 && romaji_stands_alone(folded, p))
        .max_by_key(|p| p.len())?
        .clone();
    let kind = folded
        .match_indices(place.as_str())
        .find_map(|(i, _)| kind_after(&folded[i + place.len()..]));
    let rest = folded.replacen(place.as_str(), "", 1);
    if LATIN_OTHER_SET.any_in(&rest) || names_someone_else(&rest) {
        return None;
    }
    // Romanised role words among the rest's Latin letters; Japanese ones among the rest.
    let latin: String = rest.chars().filter(char::is_ascii_alphanumeric).collect();
    let role = LATIN_ROLE_SET
        .first_in(&latin)
        .map(|i| FOLDED_LATIN_ROLE_WORDS[i].clone())
        .or_else(|| kind.map(|k| k.to_string()));
    if folded.is_ascii() {
        return role.map(|r| (place, r));
    }
    let japanese: String = rest.chars().filter(|c| !c.is_ascii()).collect();
    let role = role.or_else(|| role_word(&japanese))?;
    Some((place, role))
}

/// The places a display name in Latin letters presents itself as the account of: place
/// names as words of their own (read as handles write them, `oita`, `saga-shi`), in a name
/// that also has a romanised office or kind word (「Oita Prefectural Police」). A place name
/// without one (「Aki Tanaka」, a person) presents nothing.
pub fn latin_places_presented(text: &str) -> Vec<&'static super::places::Municipality> {
    let words: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let joined: String = words.split_whitespace().collect();
    // City, town, village are romanised role words; the kinds (shi, ku) only as words.
    let role = LATIN_ROLE_SET.any_in(&joined)
        || words
            .split_whitespace()
            .any(|w| LATIN_PLACE_KINDS.contains(&w));
    if !role {
        return Vec::new();
    }
    words
        .split_whitespace()
        .flat_map(super::places::named_in_handle)
        .collect()
}

/// Whether `romaji` is in `folded` as a word of its own: the Latin letters around it are
/// none, or begin (after it) or end (before it) with a romanised role or other word
/// (「kogacity」, 「officialkoga」), not the rest of a longer word (「kogane」).
fn romaji_stands_alone(folded: &str, romaji: &str) -> bool {
    let latin = |c: &char| c.is_ascii_alphanumeric();
    let known = || {
        FOLDED_LATIN_ROLE_WORDS
            .iter()
            .chain(FOLDED_LATIN_OTHER_WORDS.iter())
    };
    folded.match_indices(romaji).any(|(i, _)| {
        let before: String = folded[..i].chars().rev().take_while(latin).collect();
        let before: String = before.chars().rev().collect();
        let after: String = folded[i + romaji.len()..]
            .chars()
            .take_while(latin)
            .collect();
        (before.is_empty() || known().any(|w| before.ends_with(w.as_str())))
            && (after.is_empty() || starts_with_latin_word(&after) || kind_after(&after).is_some())
    })
}

/// Whether Latin letters begin with a romanised role or other word.
fn starts_with_latin_word(s: &str) -> bool {
    FOLDED_LATIN_ROLE_WORDS
        .iter()
        .chain(FOLDED_LATIN_OTHER_WORDS.iter())
        .any(|w| s.starts_with(w.as_str()))
}

/// The kind of place (`shi` of `Mirai-shi`) that the Latin letters `after` a romanised place
/// begin with, as a word of its own: nothing or a romanised role or other word follows it
/// (not `shirts`).
fn kind_after(after: &str) -> Option<&'static str> {
    LATIN_PLACE_KINDS.iter().copied().find(|k| {
        after.strip_prefix(k).is_some_and(|next| {
            !next.starts_with(|c: char| c.is_ascii_alphanumeric()) || starts_with_latin_word(next)
        })
    })
}

/// Whether a (folded) name says nothing but `place` (and `also`, e.g. our prefecture) and the
/// words of an organisation's offices, departments and topics, in either script: 「介護保険｜
/// 古賀市」, 「古賀市役所【公式】」, 「Koga City (official)」. What is left once those are taken
/// out (a person, a group, a shop: 「観光ガイド 山田」) makes it someone using the place.
pub fn only_place_and_roles(folded: &str, place: &str, also: &[String]) -> bool {
    let mut rest = folded.replacen(place, "", 1);
    for w in also.iter().filter(|w| !w.is_empty()) {
        rest = rest.replacen(w.as_str(), "", 1);
    }
    for w in FOLDED_ROLE_WORDS.iter().map(|(_, f)| f.as_str()) {
        rest = rest.replace(w, "");
    }
    for w in topic_words(&rest) {
        rest = rest.replace(w, "");
    }
    for w in FOLDED_FILLER_WORDS.iter() {
        rest = rest.replace(w.as_str(), "");
    }
    rest.chars().filter(|c| c.is_alphanumeric()).count() <= 1
}

/// Character bigrams of a string.
fn bigrams(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = s.chars().collect();
    c.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Share 0..1 of the bigrams of `part` that occur in `text`.
pub fn cover(part: &str, text: &str) -> f64 {
    let p = bigrams(part);
    if p.is_empty() {
        return 0.0;
    }
    let t = bigrams(text);
    p.iter().filter(|b| t.contains(b)).count() as f64 / p.len() as f64
}

/// How a candidate's name relates to a target name, compared as words: both comparable forms
/// (see [`comparable`]), and `places`, the folded names of our municipalities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordMatch {
    /// The target's whole name occurs in the candidate's (with words around it); the added
    /// text. Only when the target is more than a place name.
    pub contains: Option<String>,
    /// The candidate is (starts with) the beginning of the target: at least 4 characters and
    /// half of it, more than our place and one character.
    pub truncated: bool,
    /// Our place occurs in both, and the rest of the target occurs in the candidate (other
    /// order, other separators).
    pub reordered: bool,
    /// Our place occurs in the candidate, and a department or topic word of the target: the
    /// place and the word.
    pub place_topic: Option<(String, String)>,
    /// Share of the bigrams of the target's non-place rest found in the candidate.
    pub rest_cover: f64,
}

/// Compares names as words (issue 10, item 3).
pub fn words(target: &str, candidate: &str, places: &[String]) -> WordMatch {
    let mut m = WordMatch::default();
    if target.is_empty() || candidate.is_empty() || target == candidate {
        return m;
    }
    // 「みらい市議会議員 山田」, 「みらい市消防団」: the words of another organisation or of a
    // person, where the target has none, are not the target's words rearranged.
    if names_someone_else(candidate) && !names_someone_else(target) {
        return m;
    }
    let place = places
        .iter()
        .filter(|p| !p.is_empty() && target.contains(p.as_str()))
        .max_by_key(|p| p.len());
    let rest: String = match place {
        Some(p) => target.replacen(p.as_str(), "", 1),
        None => target.to_string(),
    };
    let rest_len = rest.chars().count();
    if candidate.contains(target) && rest_len >= 2 {
        m.contains = Some(candidate.replacen(target, "", 1));
    }
    let tn = target.chars().count();
    let common_prefix = target
        .chars()
        .zip(candidate.chars())
        .take_while(|(a, b)| a == b)
        .count();
    if common_prefix < tn
        && common_prefix >= 4
        && common_prefix * 10 >= tn * 5
        && place.is_none_or(|p| common_prefix > p.chars().count() + 1)
    {
        m.truncated = true;
    }
    let cand_place = places
        .iter()
        .any(|p| !p.is_empty() && candidate.contains(p.as_str()));
    if cand_place && rest_len >= 2 {
        m.rest_cover = cover(
            &rest,
            &candidate.replacen(place.map(|p| p.as_str()).unwrap_or(""), "", 1),
        );
        if place.is_some()
            && m.contains.is_none()
            && (candidate.contains(rest.as_str()) || m.rest_cover >= 0.99)
        {
            m.reordered = true;
        }
        let cand_topics = topic_words(candidate);
        if let Some(t) = topic_words(&rest)
            .into_iter()
            .find(|t| cand_topics.iter().any(|c| c.contains(t) || t.contains(c)))
        {
            let p = places
                .iter()
                .find(|p| !p.is_empty() && candidate.contains(p.as_str()))
                .cloned()
                .unwrap_or_default();
            m.place_topic = Some((p, t.to_string()));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        similarity(&comparable(a), &comparable(b))
    }

    #[test]
    fn disguised_copies_are_equal() {
        let o = "文京区中小企業ダイバーシティ人材採用促進事業";
        for v in [
            "【公式】文京区中小企業ダイバーシティ人材採用促進事業",
            "文京区中小企業ダイバーシティ人材採用促進事業（公式）",
            "文京区 中小企業 ダイバーシティ 人材採用促進事業",
            "文京區中小企業ﾀﾞｲﾊﾞｰｼﾃｨ人材採用促進事業",
            "文京区中小企業だいばーしてぃ人材採用促進事業",
            "文京区中小企業ダイバーシティ人材採用促進事業✨",
            "文京区中小企業ダイバーシティ人材採用促進事業\u{200B}",
            "文京区中小企業ダイバーシティ人材採用促進事業 事務局",
            "文京区中小企業ダイバーシティ人材採用促進事業お知らせ",
        ] {
            assert_eq!(comparable(v), comparable(o), "{v}");
        }
    }

    #[test]
    fn different_names_are_not_close() {
        assert!(sim("文京区", "文京区のラーメン好き") < 0.72);
        assert!(sim("東海市", "東温市") < 0.9);
    }

    #[test]
    fn names_compare_as_words() {
        let places = vec![fold_name("みらい市")];
        let w = |t: &str, c: &str| words(&comparable(t), &comparable(c), &places);
        let m = w("みらい市子育て支援課", "子育て支援課＠みらい市");
        assert!(m.reordered, "{m:?}");
        let m = w("みらい市危機管理防災課", "危機管理・防災＠みらい市");
        assert!(m.place_topic.is_some(), "{m:?}");
        assert!(m.rest_cover > 0.5, "{m:?}");
        let m = w(
            "みらい市子育て支援課",
            "東京都みらい市子育て支援課 お知らせ",
        );
        assert!(m.contains.is_some(), "{m:?}");
        let m = w(
            "みらい市中小企業ダイバーシティ人材採用促進事業",
            "みらい市中小企業ダイバーシティ事務局",
        );
        assert!(m.truncated, "{m:?}");
        // Half the name, the place and the beginning of the department's word.
        assert!(w("みらい市子育て支援課", "みらい市子育センター").truncated);
        // The place and one more character is not the department.
        assert!(!w("みらい市子育て支援課", "みらい市子ども食堂").truncated);
        let m = w("みらい市広報", "みらい市のラーメン好き");
        assert_eq!(m, WordMatch::default());
        let m = w("みらい市", "みらい市のラーメン好き");
        assert!(m.contains.is_none(), "a place name alone is no name: {m:?}");
    }

    #[test]
    fn our_place_with_an_office_word_is_a_role() {
        let places = vec![fold_name("みらい市")];
        let r = |n: &str| place_role(&fold_name(n), &places);
        assert!(r("みらい市役所 給付金窓口").is_some());
        assert!(r("【公式】みらい市 災害対策本部").is_some());
        assert!(r("みらい市 防災情報").is_some());
        assert!(
            r("みらい市 義援金受付").is_some(),
            "a donation desk of the city"
        );
        assert_eq!(r("みらい市観光協会"), None);
        assert_eq!(r("みらい市図書館友の会"), None, "an association of friends");
        assert_eq!(r("みらい市シルバー人材センター"), None);
        assert!(r("みらい市教育委員会").is_some(), "委員会 is no 友の会");
        assert_eq!(r("みらい市のラーメン好き"), None);
        assert_eq!(r("みらい市"), None, "the place alone is no role");
        assert_eq!(r("ほかの市役所"), None);
        let romaji = vec!["mirai".to_string()];
        let l = |n: &str| latin_place_role(&fold_name(n), &romaji);
        assert!(l("Mirai City Official").is_some());
        assert!(
            l("M\u{0456}ra\u{0456} C\u{0456}ty").is_some(),
            "Cyrillic і folds"
        );
        assert_eq!(l("Hanako Mirai"), None);
        assert_eq!(l("Mirai City Fan Club"), None);
        // Our place romanised, the department in Japanese.
        assert!(l("M\u{0456}ra\u{0456} 観光情報").is_some());
        assert!(l("MIRAI 防災課").is_some());
        assert_eq!(l("Mirai 観光協会"), None, "another organisation");
        assert_eq!(l("Mirai ラーメン"), None, "no role word");
        assert_eq!(l("miraikan 観光"), None, "inside another word");
        assert!(l("officialmiraicity").is_some());
        // English department words, and the kind of place after the romaji.
        assert!(l("Mirai City Disaster Prevention").is_some());
        assert!(l("Mirai Ward Office").is_some());
        assert!(l("Mirai-shi").is_some());
        assert!(l("Mirai Prefectural Police").is_some());
        assert!(l("Mirai Pref. Police").is_some());
        assert_eq!(l("Mirai shirts"), None, "`shi` only as a word of its own");
        // A capital of another script keeps its case until the skeleton: Cyrillic В is B.
        let romaji = vec!["bunkyo".to_string()];
        assert!(latin_place_role(&fold_name("\u{0412}unkyo City"), &romaji).is_some());
    }

    #[test]
    fn news_of_a_topic_of_ours_is_ours_news_alone_someone_elses() {
        let places = vec![fold_name("浜松市")];
        let r = |n: &str| place_role(&fold_name(n), &places);
        assert!(r("浜松市 防災ニュース").is_some());
        assert!(r("防災ナビ｜浜松市").is_some());
        assert!(r("浜松市ニュース速報").is_none());
        assert!(names_someone_else(&fold_name("浜松ニュース")));
        // News after a name is a small suffix only in a name marked official.
        assert_eq!(comparable("【公式】浜松市ニュース"), comparable("浜松市"));
        assert_ne!(comparable("浜松市ニュース"), comparable("浜松市"));
        assert!(!names_someone_else(&fold_name("浜松市 子育てニュース")));
        assert!(
            names_someone_else(&fold_name("浜松経済新聞")),
            "a newspaper"
        );
        let only = |n: &str| only_place_and_roles(&fold_name(n), &fold_name("浜松市"), &[]);
        assert!(only("浜松市 市政ニュース"));
    }

    #[test]
    fn disasters_and_plain_words_do_not_make_a_name_someone_elses() {
        let places = vec![fold_name("みらい市")];
        let r = |n: &str| place_role(&fold_name(n), &places);
        assert!(r("みらい市 地震情報").is_some());
        assert!(r("みらい市 生活安全課").is_some());
        assert!(r("みらい市サイバー犯罪対策（臨時）").is_some());
        let only = |n: &str| only_place_and_roles(&fold_name(n), &fold_name("みらい市"), &[]);
        assert!(only("みらい市 災害情報"));
        assert!(only("【緊急】みらい市 避難所情報"));
        assert!(only("みらい市 災害支援"));
        assert!(!only("みらい市 地震情報まとめ人"));
        let only_latin = |n: &str| only_place_and_roles(&fold_name(n), &fold_name("mirai"), &[]);
        assert!(only_latin("Mirai City Public Relations"));
        assert!(only_latin("Mirai-ku"));
        assert!(only_latin("Mirai Prefectural Police Headquarters"));
        assert!(only_latin("Mirai Pref. Police"));
        assert!(!only_latin("Mirai City Hanako"));
    }

    #[test]
    fn a_name_of_only_our_place_and_offices() {
        let only = |n: &str, p: &str| only_place_and_roles(&fold_name(n), &fold_name(p), &[]);
        assert!(only("介護保険｜みらい市", "みらい市"));
        assert!(only("みらい市役所【公式】", "みらい市"));
        assert!(only("みらい市の公式広報", "みらい市"));
        assert!(only("Mirai City (official)", "mirai"));
        assert!(!only("みらい市観光ガイド 山田", "みらい市"));
        assert!(!only("みらい市で子育て中のママ", "みらい市"));
    }

    #[test]
    fn unofficial_is_kept() {
        assert!(comparable("文京区（非公式）").contains(&fold_name("非公式")));
    }
}

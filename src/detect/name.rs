//! The display-name signal: how closely a candidate's name imitates an official one, after the
//! tricks that change how a name is written but not how it reads are undone (width, kana,
//! invisible characters, inserted spaces and symbols, look-alike kanji, 【公式】 markers and small
//! suffixes such as 応援 or お知らせ).

use super::handle::string_similarity;
use super::normalize::fold_name;
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
    "ニュース",
    "news",
    "jp",
    "japan",
];

/// The marker and suffix lists, folded once.
struct Folded {
    unofficial: String,
    markers: Vec<String>,
    suffixes: Vec<String>,
}

static FOLDED: LazyLock<Folded> = LazyLock::new(|| Folded {
    unofficial: fold_name("非公式"),
    markers: OFFICIAL_MARKERS.iter().map(|m| fold_name(m)).collect(),
    suffixes: SUFFIXES.iter().map(|m| fold_name(m)).collect(),
});

/// The comparable form of a display name: folded, markers and small suffixes stripped.
pub fn comparable(name: &str) -> String {
    let folded = &*FOLDED;
    let mut s = fold_name(name);
    // Protect 非公式: it is a disclaimer, not a marker, and must not turn into 非.
    if !s.contains(&folded.unofficial) {
        for m in &folded.markers {
            if s.len() > m.len() && s.contains(m.as_str()) {
                s = s.replace(m.as_str(), "");
            }
        }
    }
    loop {
        let before = s.len();
        for suf in &folded.suffixes {
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
    s
}

/// Similarity 0..1 of two display names' comparable forms.
pub fn similarity(official: &str, candidate: &str) -> f64 {
    string_similarity(official, candidate)
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
    fn unofficial_is_kept() {
        assert!(comparable("文京区（非公式）").contains(&fold_name("非公式")));
    }
}

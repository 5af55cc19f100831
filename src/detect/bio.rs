//! The bio signal: does the account claim to be official, or say plainly that it is not?

use super::normalize::{fold_all, fold_name, WordSet};
use std::sync::LazyLock;

/// Phrases by which an account disclaims being official (fan, parody, personal accounts).
const DISCLAIMERS: &[&str] = &[
    "非公式",
    "非公認",
    "unofficial",
    "nonofficial",
    "notofficial",
    "notaffiliated",
    "ファンアカウント",
    "ファンアカ",
    "fanaccount",
    "fanpage",
    "ファンクラブ",
    "fanclub",
    "ファンです",
    "個人アカウント",
    "個人の見解",
    "個人運営",
    "パロディ",
    "parody",
    "関係ありません",
    "関係はありません",
    "無関係",
];

/// Phrases by which an account claims to be official.
const CLAIMS: &[&str] = &[
    "公式",
    "official",
    "オフィシャル",
    "公認",
    "が運営",
    "が発信",
    "広報担当",
];

/// Phrases of the lures impostors post: giveaways, benefits, prizes, "contact us by DM". An
/// account that uses them is not "plainly someone else's" (issue 10, item 6).
const LURES: &[&str] = &[
    "給付金",
    "当選",
    "抽選",
    "応募",
    "懸賞",
    "キャンペーン実施中",
    "相互フォロー",
    "フォローとrt",
    "フォロー&rt",
    "フォローrt",
    "dmで",
    "dmにて",
    "dmください",
    "line追加",
    "副業",
    "稼げる",
    "儲かる",
    "無料配布",
    "お得な情報",
    "giveaway",
    "airdrop",
    // Reported in the news: refunds and benefits paid "by DM", donations, suspended
    // accounts and crimes the police "investigate".
    "還付金",
    "支援金",
    "申請はこちら",
    "手続きはこちら",
    "リンクから",
    "urlから",
    "口座",
    "振込",
    "振り込み",
    "暗号資産",
    "ギフト券",
    "ギフトカード",
    "電子マネー",
    "プレゼント",
    "当選者",
    "犯罪に",
    "凍結",
    "本人確認",
    // Disaster donations collected in the city's name.
    "義援金",
    "募金",
    "寄付",
];

static LURE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&fold_all(LURES)));

/// True when a text uses the lures impostors post.
pub fn lures(text: &str) -> bool {
    lures_folded(&fold_name(text))
}

/// [`lures`] of a text already folded by [`fold_name`].
pub fn lures_folded(folded: &str) -> bool {
    LURE_SET.any_in(folded)
}

/// What a bio (or a display name) says about officialness.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BioClaims {
    /// Says it is official (and does not disclaim it).
    pub claims_official: bool,
    /// Says it is unofficial, a fan, parody or personal account.
    pub disclaims: bool,
}

static DISCLAIMER_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&fold_all(DISCLAIMERS)));
static CLAIM_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(&fold_all(CLAIMS)));

/// Reads what a text says about officialness.
pub fn claims(text: &str) -> BioClaims {
    claims_folded(&fold_name(text))
}

/// [`claims`] of a text already folded by [`fold_name`].
pub fn claims_folded(folded: &str) -> BioClaims {
    let disclaims = DISCLAIMER_SET.any_in(folded);
    let claims_official = !disclaims && CLAIM_SET.any_in(folded);
    BioClaims {
        claims_official,
        disclaims,
    }
}

/// True when the text names the organisation or official account (its folded name occurs).
pub fn mentions(text: &str, name: &str) -> bool {
    mentions_folded(&fold_name(text), name)
}

/// [`mentions`] of a text already folded by [`fold_name`].
pub fn mentions_folded(folded: &str, name: &str) -> bool {
    mentions_name_folded(folded, &fold_name(name))
}

/// [`mentions_folded`] with the name folded already (once, not once per text).
pub fn mentions_name_folded(folded: &str, name_folded: &str) -> bool {
    name_folded.chars().count() >= 2 && folded.contains(name_folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_claims_and_disclaimers() {
        assert!(claims("文京区の公式アカウントです").claims_official);
        assert!(claims("Official account of Bunkyo City").claims_official);
        let fan = claims("文京区が好きな人の非公式ファンアカウント");
        assert!(fan.disclaims && !fan.claims_official);
        assert!(claims("Unofficial fan page").disclaims);
        assert!(!claims("ラーメン食べ歩き").claims_official);
    }

    #[test]
    fn lures_are_recognised() {
        assert!(lures("給付金のご案内はこちら"));
        assert!(lures("フォローとRTで応募完了"));
        assert!(lures("当選者の方にはDMでご連絡します。"));
        assert!(lures("被災地への義援金はこちらの口座へ"));
        assert!(!lures("手作りの革小物を販売している工房です"));
        assert!(!lures("文京区の公式アカウントです"));
    }

    #[test]
    fn mentions_ignores_width_and_spacing() {
        assert!(mentions("文 京 区からのお知らせ", "文京区"));
        assert!(!mentions("港区のお知らせ", "文京区"));
    }
}

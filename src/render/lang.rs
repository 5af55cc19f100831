//! The two languages of the public pages and the fixed wording of each. One template per page
//! takes a [`Lang`] and the matching [`NoticeWords`] / [`OfficialWords`], so the Japanese and
//! English pages cannot drift apart in layout; values that exist in both languages (dates,
//! service names, statuses) are a [`Tr`]. `{org}` and `{dept}` in a phrase stand for the
//! organisation's name and department in the page's language.

/// The language of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

/// A value in both languages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tr<T> {
    pub ja: T,
    pub en: T,
}

impl<T> Tr<T> {
    pub fn new(ja: T, en: T) -> Tr<T> {
        Tr { ja, en }
    }

    /// The value in `l` (by reference, as templates pass their fields).
    pub fn get(&self, l: &Lang) -> &T {
        match l {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// The fixed wording of the impersonation notice.
pub struct NoticeWords {
    pub lang: &'static str,
    /// Appended to element ids, so both languages can share one CMS page.
    pub id_suffix: &'static str,
    pub title: &'static str,
    pub org_line: &'static str,
    /// The alert when impostors are listed: text, link to the official list, text.
    pub alert_found: [&'static str; 2],
    /// The alert when none is listed: its own text, not the "found" one with a list missing.
    pub alert_none: [&'static str; 2],
    pub official_list: &'static str,
    pub impostors_heading: &'static str,
    pub caption: [&'static str; 2],
    pub col_service: &'static str,
    pub col_handle: &'static str,
    pub col_name: &'static str,
    pub col_found: &'static str,
    pub col_status: &'static str,
    pub colon: &'static str,
    pub status_label: &'static str,
    pub method_label: &'static str,
    pub compare_caption: &'static str,
    pub col_item: &'static str,
    pub col_official: &'static str,
    pub col_impostor: &'static str,
    pub row_picture: &'static str,
    pub no_picture: &'static str,
    pub alt_official: &'static str,
    pub alt_impostor: &'static str,
    pub differences: &'static str,
    pub timeline: &'static str,
    pub step_sep: &'static str,
    pub corrections_heading: &'static str,
    /// Around date, service, handle and display name of a correction.
    pub correction: [&'static str; 5],
    pub what_to_do: &'static str,
    /// What to do when impostors are listed (they are "the accounts above").
    pub advice_found: &'static [&'static str],
    /// What to do when none is listed.
    pub advice_none: &'static [&'static str],
    pub never_heading: &'static str,
    pub official_heading: &'static str,
    pub official_text: [&'static str; 2],
    pub contact: &'static str,
    pub phone: &'static str,
    pub website: &'static str,
    pub updated: &'static str,
}

pub const NOTICE_JA: NoticeWords = NoticeWords {
    lang: "ja",
    id_suffix: "",
    title: "なりすましアカウントにご注意ください",
    org_line: "{org}　{dept}",
    alert_found: [
        "{org}の公式アカウントになりすましたアカウントが確認されています。{org}の公式アカウントは",
        "に掲載しているものだけです。",
    ],
    alert_none: [
        "現在、{org}の公式アカウントになりすましたアカウントは確認されていません。{org}の公式アカウントは",
        "に掲載しているものだけです。",
    ],
    official_list: "公式アカウント一覧",
    impostors_heading: "確認されたなりすましアカウント",
    caption: ["なりすましアカウント一覧（", "件）"],
    col_service: "サービス",
    col_handle: "アカウント名（ID）",
    col_name: "表示名",
    col_found: "確認日",
    col_status: "状況",
    colon: "：",
    status_label: "状況：",
    method_label: "手口：",
    compare_caption: "公式アカウントとなりすましアカウントの見分け方",
    col_item: "項目",
    col_official: "公式アカウント（本物）",
    col_impostor: "なりすましアカウント（偽物）",
    row_picture: "アイコン",
    no_picture: "（画像なし）",
    alt_official: "公式アカウントのアイコン",
    alt_impostor: "なりすましアカウントのアイコン",
    differences: "見分けるポイント：",
    timeline: "経過：",
    step_sep: "　",
    corrections_heading: "訂正",
    correction: [
        "",
        "　訂正：",
        "のアカウント「",
        "」（表示名：",
        "）をなりすましアカウントとして掲載していましたが、確認の結果、なりすましではないことが分かりましたので、掲載を取り下げました。関係者の皆さまにご迷惑をおかけしたことをお詫びいたします。",
    ],
    what_to_do: "皆さまへのお願い",
    advice_found: &[
        "上記のアカウントをフォローしたり、メッセージに返信したりしないでください。",
        "メッセージ内のリンクを開いたり、個人情報やパスワード、クレジットカード番号などを入力したりしないでください。",
        "すでにやり取りをしてしまった場合は、パスワードの変更などをお願いします。金銭の被害にあった場合は、最寄りの警察署または消費生活センター（消費者ホットライン188）にご相談ください。",
        "なりすましアカウントを見つけたときは、各サービスの報告機能で報告するとともに、下記の問い合わせ先までお知らせください。",
    ],
    advice_none: &[
        "{org}を名乗るアカウントを見かけたら、公式アカウント一覧に載っているかどうかを確かめてください。",
        "公式を名乗るアカウントからのメッセージでも、リンクを開いたり、個人情報やパスワード、クレジットカード番号などを入力したりする前に、公式アカウントかどうかを確かめてください。",
        "なりすましと思われるアカウントを見つけたときは、各サービスの報告機能で報告するとともに、下記の問い合わせ先までお知らせください。",
    ],
    never_heading: "{org}の公式アカウントが行わないこと",
    official_heading: "公式アカウントの確認方法",
    official_text: [
        "{org}が運用する公式アカウントは",
        "でご確認いただけます。一覧にないアカウントは{org}の公式アカウントではありません。",
    ],
    contact: "問い合わせ先：",
    phone: "　電話：",
    website: "{org}ホームページ",
    updated: "最終更新日：",
};

pub const NOTICE_EN: NoticeWords = NoticeWords {
    lang: "en",
    id_suffix: "-en",
    title: "Beware of accounts impersonating {org}",
    org_line: "{org}",
    alert_found: [
        "Accounts pretending to be official accounts of {org} have been found. Our only official accounts are those on the ",
        ".",
    ],
    alert_none: [
        "No accounts impersonating {org} are known at present. Our only official accounts are those on the ",
        ".",
    ],
    official_list: "list of official accounts",
    impostors_heading: "Impersonating accounts we have confirmed",
    caption: ["Impersonating accounts (", ")"],
    col_service: "Service",
    col_handle: "Account (ID)",
    col_name: "Display name",
    col_found: "Found on",
    col_status: "Status",
    colon: ": ",
    status_label: "Status: ",
    method_label: "How it lures people (in Japanese): ",
    compare_caption: "How to tell the official account from the impostor",
    col_item: "Item",
    col_official: "Official account (genuine)",
    col_impostor: "Impersonating account (fake)",
    row_picture: "Picture",
    no_picture: "(no picture)",
    alt_official: "Picture of the official account",
    alt_impostor: "Picture of the impersonating account",
    differences: "What differs:",
    timeline: "Timeline:",
    step_sep: ": ",
    corrections_heading: "Corrections",
    correction: [
        "Correction (",
        "): the ",
        " account “",
        "” (display name: ",
        ") was listed here as impersonating us. It is not an impersonating account, and we have removed it from this page. We apologise for the error.",
    ],
    what_to_do: "What you should do",
    advice_found: &[
        "Do not follow these accounts or reply to their messages.",
        "Do not open links in their messages, and never enter personal data, passwords or card numbers.",
        "If you have already been in contact with them, change your passwords. If you lost money, contact the police or the consumer hotline (188).",
        "If you find an impersonating account, report it through the service's report function and let us know (contact below).",
    ],
    advice_none: &[
        "If you see an account using the name of {org}, check whether it is on the list of official accounts.",
        "Even when a message comes from an account calling itself official, check that it is on the list before you open a link or enter personal data, passwords or card numbers.",
        "If you find an account that seems to impersonate us, report it through the service's report function and let us know (contact below).",
    ],
    never_heading: "What our official accounts never do",
    official_heading: "How to recognise our official accounts",
    official_text: [
        "Our official accounts are listed on the ",
        ". Any account not on that list is not an official account of {org}.",
    ],
    contact: "Contact: ",
    phone: ", phone ",
    website: "{org} website",
    updated: "Last updated: ",
};

/// The fixed wording of the official-accounts page.
pub struct OfficialWords {
    pub lang: &'static str,
    pub title: &'static str,
    pub heading: &'static str,
    pub org_line: &'static str,
    /// Text, link to the notice, text.
    pub intro: [&'static str; 2],
    pub notice_link: &'static str,
    pub caption: [&'static str; 2],
    pub col_picture: &'static str,
    pub col_service: &'static str,
    pub col_handle: &'static str,
    pub col_name: &'static str,
    pub col_operator: &'static str,
    pub col_purpose: &'static str,
    /// Around the account's display name in the picture's alt text.
    pub alt_picture: [&'static str; 2],
    pub no_picture: &'static str,
    pub contact: &'static str,
    pub phone: &'static str,
    pub website: &'static str,
    pub updated: &'static str,
}

pub const OFFICIAL_JA: OfficialWords = OfficialWords {
    lang: "ja",
    title: "公式ソーシャルメディアアカウント一覧 | {org}",
    heading: "公式ソーシャルメディアアカウント一覧",
    org_line: "{org}　{dept}",
    intro: [
        "{org}が運用している公式アカウントは次のとおりです。この一覧にないアカウントは{org}の公式アカウントではありません。なりすましアカウントについては",
        "をご覧ください。",
    ],
    notice_link: "なりすましアカウントへの注意喚起",
    caption: ["公式アカウント（", "件）"],
    col_picture: "アイコン",
    col_service: "サービス",
    col_handle: "アカウント名（ID）",
    col_name: "表示名",
    col_operator: "運用担当",
    col_purpose: "内容",
    alt_picture: ["", "のアイコン"],
    no_picture: "（画像なし）",
    contact: "問い合わせ先：",
    phone: "　電話：",
    website: "{org}ホームページ",
    updated: "最終更新日：",
};

pub const OFFICIAL_EN: OfficialWords = OfficialWords {
    lang: "en",
    title: "Official social media accounts | {org}",
    heading: "Official social media accounts of {org}",
    org_line: "{org}",
    intro: [
        "These are the official accounts run by {org}. Any account not on this list is not ours. See also the ",
        ".",
    ],
    notice_link: "warning about impersonating accounts",
    caption: ["Official accounts (", ")"],
    col_picture: "Picture",
    col_service: "Service",
    col_handle: "Account (ID)",
    col_name: "Display name",
    col_operator: "Run by",
    col_purpose: "Purpose",
    alt_picture: ["Picture of ", ""],
    no_picture: "(no picture)",
    contact: "Contact: ",
    phone: ", phone ",
    website: "{org} website",
    updated: "Last updated: ",
};

//! Detection behaviour of issue 3 through the library: several variants of every attack
//! family are suspects, every innocent family stays clear, and reasons are sentences.

use image::{imageops, DynamicImage, Rgb, RgbImage};
use narisumashi::avatar::hash_image;
use narisumashi::config::Detection;
use narisumashi::detect::score::{CandidateView, OUTLINE_SAME, OUTLINE_TEMPLATE};
use narisumashi::detect::{AvatarHash, Detector, OfficialFeatures};
use narisumashi::model::{Assessment, OfficialAccount, Platform, VerdictKind};

const BDJ_NAME: &str = "文京区中小企業ダイバーシティ人材採用促進事業";

/// An avatar-like picture: a two-colour background, a ring with a polygon mark, dots and a
/// band of bars; `seed` moves and recolours everything.
fn emblem(seed: u32) -> DynamicImage {
    let s = seed as f64;
    let (w, h) = (240u32, 240u32);
    let (cx, cy, r) = (
        90.0 + 13.0 * (s % 5.0),
        95.0 + 7.0 * (s % 3.0),
        55.0 + 4.0 * (s % 4.0),
    );
    let bg1 = [(60 * seed % 255) as u8, 120, (200 - 30 * (seed % 5)) as u8];
    let bg2 = [200, (40 * seed % 255) as u8, 80];
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        let (xf, yf) = (x as f64, y as f64);
        let d = ((xf - cx).powi(2) + (yf - cy).powi(2)).sqrt();
        let band_top = if seed.is_multiple_of(2) { 185.0 } else { 10.0 };
        if d < r * 0.45 && (xf - cx).abs() + (yf - cy).abs() < r * 0.55 {
            Rgb([250, 230, 40])
        } else if d < r * 0.8 {
            Rgb([70, 30, 90])
        } else if d < r {
            Rgb([255, 255, 255])
        } else if yf > band_top && yf < band_top + 35.0 {
            if (x / 9 + seed).is_multiple_of(4) && yf > band_top + 6.0 && yf < band_top + 29.0 {
                Rgb([30, 30, 30])
            } else {
                Rgb([250, 250, 250])
            }
        } else if ((xf - 40.0 - 20.0 * (s % 3.0)).powi(2) + (yf - 60.0).powi(2)).sqrt() < 14.0 {
            Rgb([40, 200, 120])
        } else {
            let t = (xf + yf) / (w + h) as f64;
            let mix = |a: u8, b: u8| (a as f64 * (1.0 - t) + b as f64 * t) as u8;
            Rgb([
                mix(bg1[0], bg2[0]),
                mix(bg1[1], bg2[1]),
                mix(bg1[2], bg2[2]),
            ])
        }
    }))
}

/// An unrelated picture (a person's photo-like avatar, a shop sign): soft stripes at an angle
/// set by `seed`, a head-and-shoulders shape, a coloured corner.
fn other_picture(seed: u32) -> DynamicImage {
    let a = seed as f64 * 0.7;
    DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, |x, y| {
        let (xf, yf) = (x as f64, y as f64);
        let stripe = ((xf * a.cos() + yf * a.sin()) / (12.0 + (seed % 5) as f64)).sin();
        let head =
            ((xf - 100.0).powi(2) + (yf - 80.0).powi(2)).sqrt() < 35.0 + (seed % 4) as f64 * 5.0;
        let body = yf > 130.0 && (xf - 100.0).abs() < 60.0 + (seed % 3) as f64 * 10.0;
        if head {
            Rgb([230, 190, 160])
        } else if body {
            Rgb([(30 * seed % 200) as u8, 40, 60])
        } else if xf + yf < 60.0 + (seed % 7) as f64 * 10.0 {
            Rgb([250, (seed * 50 % 255) as u8, 20])
        } else {
            let v = (128.0 + 60.0 * stripe) as u8;
            Rgb([v, (v as u32 * seed % 255) as u8, 200 - v / 2])
        }
    }))
}

fn flat(background: [u8; 3], shape: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, |x, y| {
        let (xf, yf) = (x as f64 - 100.0, y as f64 - 100.0);
        let inside = match shape {
            0 => (xf * xf + yf * yf).sqrt() < 55.0,
            1 => xf.abs() < 50.0 && yf.abs() < 50.0,
            _ => yf > -55.0 && yf < 45.0 && xf.abs() < (yf + 55.0) * 0.55,
        };
        Rgb(if inside { [255, 255, 255] } else { background })
    }))
}

fn official(
    platform: Platform,
    handle: &str,
    name: &str,
    avatar: Option<AvatarHash>,
) -> OfficialFeatures {
    OfficialFeatures::new(
        OfficialAccount {
            platform,
            handle: handle.into(),
            display_name: name.into(),
            url: format!("https://example.jp/{handle}"),
            avatar: None,
            operator: None,
            bio: None,
            purpose: None,
        },
        avatar,
    )
}

struct Fixture {
    detector: Detector,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            detector: Detector::new(
                vec![
                    official(
                        Platform::X,
                        "b_diverjinzai",
                        BDJ_NAME,
                        Some(hash_image(&emblem(1))),
                    ),
                    official(
                        Platform::X,
                        "bunkyo_koho",
                        "文京区広報",
                        Some(hash_image(&emblem(2))),
                    ),
                    official(
                        Platform::X,
                        "bunkyo_bousai",
                        "文京区防災情報",
                        Some(hash_image(&flat([230, 110, 20], 0))),
                    ),
                    official(Platform::Bluesky, "bunkyo-city.bsky.social", "文京区", None),
                ],
                Detection::default(),
                "文京区",
            ),
        }
    }

    fn assess(
        &self,
        platform: Platform,
        handle: &str,
        name: Option<&str>,
        bio: Option<&str>,
        avatar: Option<AvatarHash>,
    ) -> Assessment {
        self.detector.assess(
            platform,
            &CandidateView {
                handle,
                display_name: name,
                bio,
                avatar,
                ..Default::default()
            },
        )
    }

    fn handle_only(&self, handle: &str) -> Assessment {
        self.assess(Platform::X, handle, None, None, None)
    }
}

/// The reasons in English, as the command line shows them.
fn en(a: &Assessment) -> Vec<String> {
    narisumashi::render::reasons::en_all(&a.reason_codes)
}

fn assert_suspect(a: &Assessment, what: &str) {
    assert_eq!(a.verdict, VerdictKind::Suspect, "{what}: {a:#?}");
    assert!(!a.reason_codes.is_empty(), "{what}: no reasons");
    for r in &en(a) {
        assert!(
            r.len() > 20 && r.contains(' '),
            "{what}: unreadable reason {r:?}"
        );
    }
}

fn assert_clear(a: &Assessment, what: &str) {
    assert_eq!(a.verdict, VerdictKind::Clear, "{what}: {a:#?}");
}

#[test]
fn handle_typos_of_every_kind() {
    let f = Fixture::new();
    for h in [
        "b_diverjnzai",   // omission
        "b_diverjinnzai", // repetition
        "b_diverjinzia",  // transposition
        "b_diverjinzsi",  // keyboard neighbour
        "b_diverjinzaai", // insertion
        "b_divarjinzai",  // vowel swap
        "b_diverjinzah",  // bit flip (i → h)
        "b_diverjinzaix", // added character
        "b-diverjinzai",  // hyphen
        "bdiverjinzai",   // separator dropped
        "b.diverjinzai",  // dot
        "bunkyo_kohp",
        "bunkyo_bosuai",
    ] {
        assert_suspect(&f.handle_only(h), h);
    }
}

#[test]
fn visually_confusable_handles() {
    let f = Fixture::new();
    for h in [
        "b_dlverjinzai",          // l for i
        "b_d1verjinzai",          // 1 for i
        "B_DIVERJINZAI_",         // case and a trailing underscore
        "bunky0_koho",            // 0 for o
        "b_cliverjinzai",         // cl for d
        "bunkyo_kohо",            // Cyrillic о
        "bunkyο_koho",            // Greek ο
        "ｂｕｎｋｙｏ＿ｋｏｈｏ", // full-width Latin
        "b_divеrjinzai",          // Cyrillic е
    ] {
        assert_suspect(&f.handle_only(h), h);
    }
    // rn for m and vv for w fold in the skeleton.
    let d = Detector::new(
        vec![official(Platform::X, "minami_town", "南町", None)],
        Detection::default(),
        "南町",
    );
    // dnstwist's homoglyphs, two steps of them: a pair for one letter (`lc`, `nn`), its `l`
    // read as `i` or `1`, and single letters that look alike (c/e, n/r, m/n).
    for h in [
        "rninami_town",
        "minami_tovvn",
        "nninami_tovvn",
        "minarni_tovvn",
        "minami_tcwn",
        "mimami_towr",
        "rriinami_town",
    ] {
        let a = d.assess(
            Platform::X,
            &CandidateView {
                handle: h,
                ..Default::default()
            },
        );
        assert_suspect(&a, h);
    }
}

#[test]
fn affixes_on_handles_and_names() {
    let f = Fixture::new();
    for h in [
        "b_diverjinzai_official",
        "official_b_diverjinzai",
        "b_diverjinzai_jp",
        "b_diverjinzai_koshiki",
        "bunkyo_koho_info",
        "bunkyo_koho_staff",
        "real_bunkyo_koho",
        "bunkyo_koho2026",
        "bunkyo_koho__",
        "bunkyo_bousaiofficial",
    ] {
        assert_suspect(&f.handle_only(h), h);
    }
    for name in [
        "【公式】文京区広報",
        "文京区広報（公式）",
        "文京区広報 official",
        "📢文京区広報✨",
    ] {
        let a = f.assess(Platform::X, "gift_center_01", Some(name), None, None);
        assert_suspect(&a, name);
    }
}

#[test]
fn romanisation_games() {
    let f = Fixture::new();
    for h in [
        "bunkyo_bosai",    // long vowel dropped
        "bunkyo_bohsai",   // oh
        "bunkyou_bousai",  // ou added to the place
        "bunkyo_kouhou",   // kouhou for koho
        "bunkyo_pr",       // English for koho
        "bunkyo_disaster", // English for bosai
        "koho_bunkyo",     // swapped word order
        "bunkyoku_koho",   // place word added
        "bunkyo_city_koho",
        "b_diverzinzai", // Kunrei zi for Hepburn ji
    ] {
        assert_suspect(&f.handle_only(h), h);
    }
}

#[test]
fn lookalike_characters_in_names() {
    let f = Fixture::new();
    for name in [
        "文京區広報",                                   // old form 區
        "文京区廣報",                                   // old form 廣
        "文京区中小企業夕イバーシティ人材採用促進事業", // kanji 夕 for katakana タ
        "文京区中小企業ダイバーシテイ人材採用促進事業", // big イ for small ィ
        "文京区中小企業だいばーしてぃ人材採用促進事業", // hiragana
        "文京区防災情報",
    ] {
        let a = f.assess(Platform::X, "campaign_desk_77", Some(name), None, None);
        assert_suspect(&a, name);
    }
}

#[test]
fn display_name_tricks() {
    let f = Fixture::new();
    for name in [
        "文京区中小企業ﾀﾞｲﾊﾞｰｼﾃｨ人材採用促進事業", // half-width katakana
        "文京区中小企業ダイバーシティ人材採用促進事業\u{200B}", // zero-width space
        "\u{202E}文京区中小企業ダイバーシティ人材採用促進事業", // bidi control
        "文京区 中小企業・ダイバーシティ 人材採用促進事業", // spaces and symbols
        "文京区中小企業ダイバーシティ人材採用促進事業 応援", // small suffix
        "文京区中小企業ダイバーシティ人材採用促進事業お知らせ",
        "文京区中小企業ダイバーシティ人材採用促進事業事務局",
    ] {
        let a = f.assess(Platform::X, "prize_office_2026", Some(name), None, None);
        assert_suspect(&a, name);
    }
}

#[test]
fn exact_name_with_a_claim_whatever_the_handle() {
    let f = Fixture::new();
    for (handle, name) in [
        ("xk29a8z", BDJ_NAME),
        ("tanaka_hanako_88", "文京区広報公式"),
        ("gift_2026", "【公式】文京区防災情報"),
    ] {
        let a = f.assess(
            Platform::Instagram,
            handle,
            Some(name),
            Some("文京区の公式アカウントです。当選者にはDMでご連絡します。"),
            None,
        );
        assert_suspect(&a, handle);
        assert!(en(&a).iter().any(|r| r.contains("bio claims")), "{a:#?}");
    }
}

#[test]
fn avatar_copies_alone_are_caught() {
    let f = Fixture::new();
    let original = emblem(1);
    let mut framed = DynamicImage::ImageRgb8(RgbImage::from_pixel(280, 280, Rgb([240, 200, 0])));
    imageops::overlay(&mut framed, &original, 20, 20);
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 15)
        .encode_image(&original)
        .unwrap();
    let mut labelled = original.to_rgb8();
    for y in 8..34 {
        for x in 150..230 {
            labelled.put_pixel(x, y, Rgb([220, 20, 30]));
        }
    }
    let copies: Vec<(&str, DynamicImage)> = vec![
        (
            "jpeg q15",
            narisumashi::avatar::decode(jpeg.get_ref()).unwrap(),
        ),
        (
            "48 px",
            original.resize(48, 48, imageops::FilterType::Triangle),
        ),
        (
            "128 px",
            original.resize(128, 128, imageops::FilterType::Triangle),
        ),
        ("cropped 8 %", original.crop_imm(12, 7, 221, 221)),
        ("framed", framed),
        ("brighter", original.brighten(40)),
        ("more contrast", original.adjust_contrast(25.0)),
        ("mirrored", original.fliph()),
        ("greyscale", DynamicImage::ImageLuma8(original.to_luma8())),
        ("label", DynamicImage::ImageRgb8(labelled)),
        (
            "mirrored + 64 px",
            original
                .fliph()
                .resize(64, 64, imageops::FilterType::Triangle),
        ),
    ];
    for (what, img) in copies {
        let a = f.assess(
            Platform::X,
            "rnd_4821",
            Some("プレゼント企画"),
            None,
            Some(hash_image(&img)),
        );
        assert_suspect(&a, what);
        assert!(
            en(&a)
                .iter()
                .any(|r| r.starts_with("avatar matches @b_diverjinzai")),
            "{what}: {:?}",
            en(&a)
        );
    }
}

#[test]
fn classic_and_cross_platform_clones() {
    let f = Fixture::new();
    let copy = hash_image(&emblem(2).resize(96, 96, imageops::FilterType::Triangle));
    let a = f.assess(
        Platform::X,
        "lucky_present_jp",
        Some("文京区広報"),
        None,
        Some(copy),
    );
    assert_suspect(&a, "classic clone");
    assert_eq!(a.matched.unwrap().handle, "bunkyo_koho");
    for (platform, handle) in [
        (Platform::Misskey, "b_diverjinzai@misskey.io"),
        (Platform::Instagram, "b_diverjinzai"),
        (Platform::Mastodon, "bunkyo_koho"),
        (Platform::X, "bunkyo-city"),
    ] {
        let a = f.assess(platform, handle, None, None, None);
        assert_suspect(&a, handle);
    }
}

#[test]
fn official_accounts_are_official() {
    let f = Fixture::new();
    for (platform, handle) in [
        (Platform::X, "b_diverjinzai"),
        (Platform::X, "@Bunkyo_Koho"),
        (Platform::Bluesky, "bunkyo-city.bsky.social"),
    ] {
        let a = f.assess(platform, handle, Some("文京区"), None, None);
        assert_eq!(a.verdict, VerdictKind::Official, "{handle}");
    }
}

#[test]
fn innocents_sharing_words_places_or_people() {
    let f = Fixture::new();
    let own = |s| Some(hash_image(&other_picture(s)));
    for (handle, name, bio, avatar) in [
        (
            "bunkyo_ramen",
            "文京区のラーメン好き",
            "文京区のラーメンを食べ歩き",
            own(11),
        ),
        ("bunkyo_cats", "文京の銭湯めぐり", "", own(12)),
        (
            "hongo_books",
            "本郷ブックス（文京区の本屋）",
            "文京区本郷の書店です。",
            own(13),
        ),
        (
            "toon_koho",
            "東温市広報",
            "愛媛県東温市の公式アカウントです。",
            own(14),
        ),
        (
            "chuo_koho",
            "中央区広報",
            "中央区の公式アカウントです。",
            own(15),
        ),
        (
            "kyotango_bousai",
            "京丹後市防災情報",
            "京丹後市の公式アカウントです。",
            own(16),
        ),
        (
            "minato_diverjinzai",
            "港区中小企業ダイバーシティ人材採用促進事業",
            "港区の事業です。",
            own(17),
        ),
        (
            "bunkyo_fan",
            "文京区ファン（非公式）",
            "文京区が好きな非公式ファンアカウントです。",
            own(18),
        ),
        (
            "bunkyo_matome",
            "文京区広報まとめ（非公式）",
            "区とは関係ありません。",
            own(19),
        ),
        (
            "yamada_hanako",
            "山田はなこ（文京区長）",
            "文京区長の山田はなこです。",
            own(20),
        ),
        (
            "sato_kenji_bunkyo",
            "文京区議会議員 佐藤けんじ",
            "文京区議会議員。",
            own(21),
        ),
        (
            "bunkyo_shakyo",
            "文京区社会福祉協議会",
            "文京区社会福祉協議会の公式アカウントです。",
            own(22),
        ),
        (
            "bunkyo_kokusai",
            "文京区国際交流協会",
            "文京区国際交流協会の公式アカウントです。",
            own(23),
        ),
        ("matsumoto_yuko", "松本ゆうこ", "", own(24)),
    ] {
        let a = f.assess(
            Platform::X,
            handle,
            Some(name),
            Some(bio).filter(|b| !b.is_empty()),
            avatar,
        );
        assert_clear(&a, handle);
    }
}

#[test]
fn different_real_places_are_not_typos() {
    let d = registry(
        "東海市",
        &[("tokai_city", "東海市"), ("ito_city_koho", "伊東市広報")],
    );
    for (handle, name) in [
        ("toon_city", "東温市"),
        ("ise_city_koho", "伊勢市広報"),
        ("isecity_koho", "伊勢市 広報"),
    ] {
        let a = d.assess(
            Platform::X,
            &CandidateView {
                handle,
                display_name: Some(name),
                ..Default::default()
            },
        );
        assert_clear(&a, handle);
        if handle.starts_with("ise") {
            // One letter from ito: close as strings, told apart by the municipality list.
            assert!(
                en(&a)
                    .iter()
                    .any(|r| r.contains("a different municipality")),
                "{a:#?}"
            );
        }
    }
    // A typo of our own place is still a typo.
    let a = d.assess(
        Platform::X,
        &CandidateView {
            handle: "tokal_city",
            display_name: Some("東海巿"),
            ..Default::default()
        },
    );
    assert_suspect(&a, "tokal_city");
}

#[test]
fn default_and_flat_avatars_prove_little() {
    let f = Fixture::new();
    // Another flat icon in the official palette (a square, not the official circle), and the
    // same circle in another colour: flat images collide, so they count for little.
    for (what, img) in [
        ("square in the same orange", flat([230, 110, 20], 1)),
        ("circle in blue", flat([20, 90, 170], 0)),
        ("triangle", flat([230, 110, 20], 2)),
    ] {
        let a = f.assess(
            Platform::X,
            "cafe_sendagi",
            Some("千駄木カフェ"),
            None,
            Some(hash_image(&img)),
        );
        assert_clear(&a, what);
    }
    // A default silhouette.
    let silhouette = DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, |x, y| {
        let (xf, yf) = (x as f64 - 100.0, y as f64);
        let head = (xf * xf + (yf - 70.0).powi(2)).sqrt() < 32.0;
        let body = (xf * xf / 4.0 + (yf - 200.0).powi(2)).sqrt() < 70.0;
        Rgb(if head || body {
            [255, 255, 255]
        } else {
            [207, 217, 222]
        })
    }));
    let a = f.assess(
        Platform::X,
        "taro_1987",
        Some("たろう"),
        None,
        Some(hash_image(&silhouette)),
    );
    assert_clear(&a, "default avatar");
}

/// A registry whose place is in no municipality table (みらい県 / みらい市): the detector must
/// read names as words without the table (issue 10).
fn mirai() -> Detector {
    registry(
        "みらい市",
        &[
            ("mirai_kosodate", "みらい市子育て支援課"),
            ("mirai_bousai", "みらい市危機管理防災課"),
            ("city_koho", "みらい市広報"),
        ],
    )
}

fn look(d: &Detector, handle: &str, name: Option<&str>, bio: Option<&str>) -> Assessment {
    d.assess(
        Platform::X,
        &CandidateView {
            handle,
            display_name: name,
            bio,
            ..Default::default()
        },
    )
}

/// A registry of X accounts without avatars (handle, display name) for `organization`.
fn registry(organization: &str, accounts: &[(&str, &str)]) -> Detector {
    Detector::new(
        accounts
            .iter()
            .map(|(handle, name)| official(Platform::X, handle, name, None))
            .collect(),
        Detection::default(),
        organization,
    )
}

#[test]
fn names_are_read_as_words() {
    let d = mirai();
    for name in [
        "子育て支援課＠みらい市",
        "危機管理・防災＠みらい市",
        "東京都みらい市子育て支援課 お知らせ",
        "みらい市子育て支援課 mirai_kosodate",
    ] {
        let a = look(&d, "rnd_88213", Some(name), None);
        assert_suspect(&a, name);
    }
    for name in ["みらい市のラーメン好き", "みらい市在住の会社員"] {
        assert_clear(&look(&d, "rnd_88213", Some(name), None), name);
    }
}

#[test]
fn the_organisation_itself_is_a_target() {
    let police = registry("みらい県警察", &[("mirai_pref_pr", "みらい県広報")]);
    let a = look(&police, "rnd_1", Some("【公式】みらい県警察"), None);
    assert_suspect(&a, "org name");
    assert!(
        a.reason_codes.iter().any(|r| matches!(
            r,
            narisumashi::detect::reason::Reason::DisplayNameImitatesOrganization { .. }
        )),
        "{:?}",
        a.reason_codes
    );
    let a = look(&police, "mirai_porice", None, None);
    assert_suspect(&a, "org handle typo");
}

#[test]
fn a_handle_alone_next_to_plainly_someone_else_is_weak() {
    use narisumashi::detect::reason::Reason;
    let d = emblem_registry("city_koho", "みらい市広報", "みらい市");
    let workshop = profile(
        &d,
        "city_kobo",
        "革工房こもれび",
        "手作りの革小物を販売している工房です",
        3,
    );
    assert_clear(&workshop, "workshop");
    assert!(workshop.reason_codes.contains(&Reason::HandleOnly));
    // The same handle with a scam bio is not someone else's.
    let scam = profile(
        &d,
        "city_kobo",
        "毎日抽選",
        "当選者の方にはDMでご連絡します",
        3,
    );
    assert_suspect(&scam, "scam");
}

/// A profile on X with a name, a bio and its own picture (`other_picture(seed)`).
/// A registry of one X account with an emblem for its avatar.
fn emblem_registry(handle: &str, name: &str, organization: &str) -> Detector {
    Detector::new(
        vec![official(
            Platform::X,
            handle,
            name,
            Some(hash_image(&emblem(2))),
        )],
        Detection::default(),
        organization,
    )
}

fn profile(d: &Detector, handle: &str, name: &str, bio: &str, seed: u32) -> Assessment {
    d.assess(
        Platform::X,
        &CandidateView {
            handle,
            display_name: Some(name),
            bio: Some(bio),
            avatar: Some(hash_image(&other_picture(seed))),
            ..Default::default()
        },
    )
}

/// A police registry: the main account with the emblem, a department's account without an
/// avatar, a department handle that does not name the place (`kp_kotsu`).
fn police_registry() -> Detector {
    Detector::new(
        vec![
            official(
                Platform::X,
                "kumamoto_kenkei",
                "熊本県警察",
                Some(hash_image(&emblem(2))),
            ),
            official(Platform::X, "kp_seian", "熊本県警察 生活安全部", None),
            official(
                Platform::X,
                "kp_kotsu",
                "熊本県警察交通部",
                Some(hash_image(&emblem(4))),
            ),
        ],
        Detection::default(),
        "熊本県警察",
    )
}

#[test]
fn a_handle_alone_is_weak_whatever_the_official_account_lacks() {
    use narisumashi::detect::reason::Reason;
    let d = police_registry();
    let shop = |handle| {
        profile(
            &d,
            handle,
            "陶芸工房 つち",
            "陶芸教室と器の販売。体験は予約制です。",
            3,
        )
    };
    // Next to an official account without an avatar: the shop's own picture is not ours.
    let a = shop("kp_saian");
    assert_clear(&a, "kp_saian");
    assert!(
        a.reason_codes.contains(&Reason::HandleOnly),
        "{:?}",
        a.reason_codes
    );
    // Alike the organisation's romanised name only once folded (another romanisation) is
    // one resemblance, capped with the handle's.
    assert_clear(&shop("kumamoto_kenkee"), "kumamoto_kenkee");
    // A department's word (`kotsu` of `kp_kotsu`) is not our place: `otsu_police` is 大津's
    // police, not a typo of a `kotsu_police` we never had.
    let otsu = profile(
        &d,
        "otsu_police_pr",
        "滋賀県警察 広報",
        "滋賀県警察の公式アカウントです。",
        5,
    );
    assert_clear(&otsu, "otsu_police_pr");
    // A typo of the main handle with the scams impostors post is still a suspect.
    let scam = profile(
        &d,
        "kumamoto_kenkel",
        "毎日抽選",
        "当選者の方にはDMでご連絡します",
        3,
    );
    assert_suspect(&scam, "scam");
}

#[test]
fn the_emblem_under_another_prefectures_handle_is_theirs_but_under_a_typo_of_ours_a_copy() {
    let d = police_registry();
    let with_emblem = |handle: &str, name: Option<&str>| {
        d.assess(
            Platform::X,
            &CandidateView {
                handle,
                display_name: name,
                avatar: Some(hash_image(&emblem(2))),
                ..Default::default()
            },
        )
    };
    // Every prefectural police has the emblem: our handle's pattern with another prefecture's
    // whole name in it, and no name of ours, is that prefecture's account.
    for handle in ["okayama_kenkei", "okayamakenkei", "tokushima_kenkei"] {
        let a = with_emblem(handle, None);
        assert_clear(&a, handle);
        assert!(
            a.reason_codes.iter().any(|r| matches!(
                r,
                narisumashi::detect::reason::Reason::AvatarOfAnotherPlace { .. }
            )),
            "{handle}: {:?}",
            a.reason_codes
        );
    }
    // A handle that only looks like ours (熊本 → 熊野, 球磨: one or two letters, or most of the
    // name kept) spelling another place, with our emblem: a copy.
    for handle in ["kumano_kenkei", "kuma_kenkei", "kumamoto_kenke1"] {
        assert_suspect(&with_emblem(handle, None), handle);
        assert_suspect(&with_emblem(handle, Some("毎日抽選")), handle);
    }
    // Nor with the lures impostors post in the name: that is not another place's account.
    assert_suspect(
        &with_emblem("okayama_kenkei", Some("プレゼント企画 当選DM")),
        "okayama_kenkei with lures",
    );
    // Our place in the name keeps the picture ours, whatever the handle.
    assert_suspect(
        &with_emblem("okayama_kenkei", Some("熊本県警察")),
        "okayama_kenkei 熊本県警察",
    );
}

#[test]
fn another_places_stem_with_another_kinds_suffix_is_still_another_place() {
    let d = registry(
        "宮崎県警察",
        &[("miyazaki_pref_police", "宮崎県警察 生活安全課")],
    );
    // 宮古 is 宮古市's stem: 「宮古県警察」 names that place, not ours, whatever its suffix.
    let a = look(
        &d,
        "miyako_pref_police",
        Some("宮古県警察 生活安全課"),
        None,
    );
    assert_clear(&a, "宮古県警察");
    // Our stem with another suffix is ours.
    let ours = look(
        &d,
        "miyazaki_pref_poIice",
        Some("宮崎市警察 生活安全課"),
        None,
    );
    assert_suspect(&ours, "宮崎市警察");
}

#[test]
fn our_prefecture_before_a_name_that_is_only_our_place_reads_the_same() {
    let d = registry(
        "浜松市",
        &[
            ("hamamatsu_city", "浜松市"),
            ("hamamatsu_pr", "浜松市広報広聴課"),
        ],
    );
    for name in ["静岡県浜松市", "静岡県 浜松市", "静岡県・浜松市"] {
        assert_suspect(&look(&d, "rnd_zq81x", Some(name), None), name);
    }
    // Our prefecture alone, or a citizen of the place, is no such name (「県」 and 「民」 on
    // either side of the place are no 「県民」).
    for name in ["静岡県", "静岡県浜松市民"] {
        assert_clear(&look(&d, "rnd_zq81x", Some(name), None), name);
    }
}

#[test]
fn a_typo_of_the_prefectural_organisations_romanised_name_is_a_suspect() {
    let d = police_registry();
    for handle in ["kumamotopref_porice", "kumamoto_pref_pulice"] {
        assert_suspect(&look(&d, handle, None, None), handle);
    }
}

#[test]
fn a_short_stem_and_a_read_stem_are_our_place() {
    let d = registry(
        "浜松市",
        &[
            ("hamamatsu_pr", "浜松市広報広聴課"),
            ("hama_bousai", "浜松市危機管理課"),
        ],
    );
    // The two-character stem with a desk of ours; the stem read with the kind written.
    for name in [
        "浜松 広報",
        "浜松観光",
        "はままつ市 広報",
        "はままつ市 防災",
    ] {
        assert_suspect(&look(&d, "rnd_5521", Some(name), None), name);
    }
    // Read with the kind written, the place's own name reads the same (a weak sign alone).
    let read = look(&d, "rnd_5521", Some("はままつ市"), None);
    assert!(read.evidence.organization > 0.5, "{:?}", read.evidence);
    // The stem with words of someone else, or with no desk at all.
    for name in ["浜松ラーメン部", "浜松 写真好き", "浜松の空"] {
        assert_clear(&look(&d, "rnd_5521", Some(name), None), name);
    }
}

#[test]
fn a_prefecture_read_in_kana_is_our_place() {
    // 兵庫県 has no municipality of its stem to borrow a reading from: its own reading.
    let d = registry(
        "兵庫県",
        &[("hyogo_pref", "兵庫県"), ("hyogo_koho", "兵庫県広報課")],
    );
    let bio = Some("兵庫県の公式アカウントです。");
    for name in [
        "ひょうごけん",
        "ヒョウゴケン広報課",
        "ひょうご県広報課",
        "兵庫けん",
        "ﾋｮｳｺﾞｹﾝ",
    ] {
        assert_suspect(&look(&d, "rnd_5521", Some(name), bio), name);
    }
    for name in ["ひょうごの空", "兵庫ラーメン部"] {
        assert_clear(&look(&d, "rnd_5521", Some(name), None), name);
    }
}

#[test]
fn a_prefectural_police_written_short_or_in_kana_is_its_name() {
    let d = police_registry();
    for name in [
        "熊本県警",
        "くまもと県警察",
        "熊本県警 お知らせ",
        "熊本県警 サポート窓口",
    ] {
        assert_suspect(&look(&d, "rnd_5521", Some(name), None), name);
    }
    // Another prefecture's, short, is not ours.
    assert_clear(&look(&d, "rnd_5521", Some("大分県警"), None), "大分県警");
}

/// The same when our handle is also the organisation's romanised name (`mirai_city`): the
/// neighbouring handle (a typo, not a look-alike glyph) is one resemblance, counted once.
#[test]
fn a_handle_alone_near_the_organisation_name_is_weak_too() {
    use narisumashi::detect::reason::Reason;
    let d = emblem_registry("mirai_city", "みらい市", "みらい市");
    for handle in ["mirai_citty", "mirei_city"] {
        let shop = d.assess(
            Platform::X,
            &CandidateView {
                handle,
                display_name: Some("古書 ふるほん堂"),
                bio: Some("古本の買取・販売をしています。"),
                avatar: Some(hash_image(&other_picture(3))),
                ..Default::default()
            },
        );
        assert_clear(&shop, handle);
        assert!(shop.reason_codes.contains(&Reason::HandleOnly), "{handle}");
    }
}

#[test]
fn a_handle_sharing_only_our_place_is_not_a_typo() {
    let d = registry(
        "金沢市",
        &[
            ("kanazawa_koho", "金沢市広報"),
            ("bunkyo_koho", "文京区広報"),
        ],
    );
    // Our place, then a word of its own: a naming pattern, not imitation.
    for (handle, name) in [
        ("kanazawa_taro", "金沢太郎"),
        ("kanazawa_hotel", "ホテル金沢"),
    ] {
        let a = look(&d, handle, Some(name), None);
        assert_clear(&a, handle);
        assert!(
            !a.reason_codes.iter().any(|r| matches!(
                r,
                narisumashi::detect::reason::Reason::HandleImitates { .. }
            )),
            "{handle}: {:?}",
            a.reason_codes
        );
    }
    // Romanisation, one department in two languages and look-alike letters stay imitation.
    for handle in ["bunkyo_kouhou", "bunkyo_pr", "kanazavva_koho"] {
        assert_suspect(&look(&d, handle, None, None), handle);
    }
}

#[test]
fn prefectures_are_places() {
    let d = registry("宮崎県警察", &[("miyazaki_pref_police", "宮崎県警察")]);
    // Another prefecture's police: one character from ours, but a real different place.
    let a = look(&d, "miyagi_police", Some("宮城県警察"), None);
    assert_clear(&a, "宮城県警察");
    assert!(
        a.reason_codes.iter().any(|r| matches!(
            r,
            narisumashi::detect::reason::Reason::OtherPlaceDiscount { place, .. } if place == "宮城県"
        )),
        "{:?}",
        a.reason_codes
    );
    // Our own prefecture's name is ours, not someone else's.
    let a = look(&d, "rnd_4711", Some("【公式】宮崎県警察"), None);
    assert_suspect(&a, "宮崎県警察 copy");
}

/// A registry whose accounts write the place without 市 (「古賀危機管理防災課」), as many do.
fn koga() -> Detector {
    Detector::new(
        vec![
            official(
                Platform::X,
                "koga_bosai",
                "古賀危機管理防災課",
                Some(hash_image(&emblem(2))),
            ),
            official(Platform::X, "koga_water", "古賀市上下水道局", None),
        ],
        Detection::default(),
        "古賀市",
    )
}

#[test]
fn the_place_as_our_accounts_write_it() {
    let d = koga();
    // The stem our own account uses, after the department: a reordered copy.
    for name in ["危機管理防災課/古賀", "危機管理防災課＠古賀"] {
        assert_suspect(&look(&d, "rnd_5531", Some(name), None), name);
    }
    // Nothing but our place and an office or topic: the organisation itself.
    for name in ["介護保険｜古賀市", "古賀市役所【公式】"] {
        assert_suspect(&look(&d, "rnd_5531", Some(name), None), name);
    }
    // The organisation's name after its prefecture reads as the organisation's name.
    let a = look(&d, "rnd_5531", Some("福岡県古賀市"), None);
    assert!(
        a.reason_codes.iter().any(|r| matches!(
            r,
            narisumashi::detect::reason::Reason::DisplayNameImitatesOrganization {
                how: narisumashi::detect::reason::NameMatch::SameReading,
                ..
            }
        )),
        "{:?}",
        a.reason_codes
    );
    // The place and a topic, with a person or a group of its own: someone using the place.
    for name in [
        "古賀市観光ガイド 山田",
        "古賀市防災士ネットワーク",
        "古賀市ごみ拾い隊",
    ] {
        assert_clear(&look(&d, "rnd_5531", Some(name), None), name);
    }
}

#[test]
fn the_municipality_romanised_is_a_handle_target() {
    let d = koga();
    for handle in ["city_kogah", "koga_city_officiai"] {
        let a = look(&d, handle, None, None);
        assert_suspect(&a, handle);
        assert!(
            a.reason_codes.iter().any(|r| matches!(
                r,
                narisumashi::detect::reason::Reason::HandleImitatesOrganization { .. }
            )),
            "{handle}: {:?}",
            a.reason_codes
        );
    }
    // Our place with a word of its own is not the municipality's handle.
    assert_clear(
        &look(&d, "koga_news", Some("地域ニュース 福岡県"), None),
        "koga_news",
    );
}

#[test]
fn one_letter_more_is_a_typo_not_an_added_word() {
    let d = koga();
    let a = d.assess(
        Platform::X,
        &CandidateView {
            handle: "kkoga_bosai",
            display_name: Some("カフェ ほっと"),
            bio: Some("自家焙煎珈琲とケーキのお店。定休日は水曜。"),
            avatar: Some(hash_image(&other_picture(3))),
            ..Default::default()
        },
    );
    assert_clear(&a, "kkoga_bosai");
    assert!(a
        .reason_codes
        .contains(&narisumashi::detect::reason::Reason::HandleOnly));
}

#[test]
fn a_stem_shared_with_another_municipality_is_not_ours() {
    // 鹿児島 is the stem of 鹿児島県 and the start of 鹿児島市: 「鹿児島市役所」 is another office.
    let d = registry("鹿児島県警察", &[("kagoshima_police", "鹿児島県警察")]);
    assert_clear(
        &look(&d, "rnd_2231", Some("鹿児島市役所"), None),
        "鹿児島市役所",
    );
    // Our prefecture's own office is ours.
    assert_suspect(
        &look(&d, "rnd_2231", Some("鹿児島県警察 給付金窓口"), None),
        "鹿児島県警察 給付金窓口",
    );
    // The prefecture's stem alone with a desk of ours is ours; the city of that stem, with
    // a desk of its own, is the city.
    assert_suspect(
        &look(&d, "rnd_2231", Some("鹿児島 防犯情報"), None),
        "鹿児島 防犯情報",
    );
    assert_clear(
        &look(&d, "rnd_2231", Some("鹿児島市 防災情報"), None),
        "鹿児島市 防災情報",
    );
    // A prefectural police names its stations after the places of its prefecture.
    for name in ["霧島警察署", "薩摩川内警察署 お知らせ", "鹿児島中央警察署"]
    {
        assert_suspect(&look(&d, "rnd_2231", Some(name), None), name);
    }
    // Another prefecture's station is not ours.
    assert_clear(
        &look(&d, "rnd_2231", Some("延岡警察署"), None),
        "延岡警察署",
    );
}

/// 新郷村: its table romaji is `shingou`, its accounts write `shingo`.
fn shingo() -> Detector {
    registry(
        "新郷村",
        &[
            ("shingo_bosai", "新郷村危機管理防災課"),
            ("shingo_recycle", "新郷ごみ減量推進課"),
        ],
    )
}

#[test]
fn our_place_in_kana_or_romanised_as_names_write_it() {
    let d = shingo();
    for name in [
        // The reading of the place, in kana.
        "しんごう防災",
        "シンゴウムラ 災害情報",
        // Romanised with the long vowel left out, and in English words.
        "Shingo Village Official",
        "Shingou Village (official)",
        "Shingo Village Disaster Prevention",
        // A disaster desk with plain words around it.
        "新郷村 地震情報",
        "【緊急】新郷村 避難所情報",
    ] {
        assert_suspect(&look(&d, "rnd_8101", Some(name), None), name);
    }
    for name in [
        "しんごう整骨院",
        "Shingo Village Fan Club",
        "新郷村子育てママの輪",
        "新郷村 地震情報bot",
    ] {
        assert_clear(&look(&d, "rnd_8101", Some(name), None), name);
    }
}

/// The official avatar's descriptors, edited past what the views and the alignment undo: the
/// DCT hashes far off (half their bits flipped, and not as the mirror image's are), the fine
/// thumbnail mixed with a pattern of its own until its correlation with the original is
/// `target`.
fn edited_beyond_the_views(original: &AvatarHash, target: f64) -> AvatarHash {
    let mut out = original.clone();
    for h in [
        &mut out.lightness,
        &mut out.lightness_c88,
        &mut out.lightness_c64,
        &mut out.luma,
        &mut out.gradient,
        &mut out.gradient_mirrored,
    ] {
        *h ^= 0x9E37_79B9_7F4A_7C15;
    }
    let noise: Vec<f64> = (0..256u64)
        .map(|i| ((i * 2_654_435_761) % 97) as f64)
        .collect();
    let noise = narisumashi::detect::score::Fine::from_thumbnail(&noise);
    // Mix until the correlation with the original comes down to `target`.
    let mut k = 0.0;
    loop {
        let px: Vec<f64> = original
            .fine
            .0
            .iter()
            .zip(noise.0.iter())
            .map(|(a, b)| *a as f64 * (1.0 - k) + *b as f64 * k + 128.0)
            .collect();
        out.fine = narisumashi::detect::score::Fine::from_thumbnail(&px);
        if out.fine.similarity(&original.fine) <= target || k >= 1.0 {
            return out;
        }
        k += 0.01;
    }
}

#[test]
fn a_rare_likeness_in_the_details_is_some_evidence_not_a_match() {
    let f = Fixture::new();
    let original = hash_image(&emblem(1));
    let look = |target: f64| {
        f.assess(
            Platform::X,
            "rnd_4821",
            None,
            None,
            Some(edited_beyond_the_views(&original, target)),
        )
    };
    let alike = look(0.88);
    assert!(
        alike.reason_codes.iter().any(|r| matches!(
            r,
            narisumashi::detect::reason::Reason::AvatarLooksAlike { official, .. }
                if official == "b_diverjinzai"
        )),
        "{:?}",
        alike.reason_codes
    );
    assert!(alike.evidence.avatar > 0.25, "{:?}", alike.evidence);
    // Alone it is not enough to publish; and a weaker likeness counts for less.
    assert_clear(&alike, "a likeness alone");
    let weaker = look(0.76);
    assert!(weaker.evidence.avatar < alike.evidence.avatar);
}

#[test]
fn glyph_pairs_after_our_place_are_imitation_not_a_word_of_its_own() {
    let d = registry(
        "岸和田市",
        &[
            ("kishiwada_kosod", "岸和田市子育て"),
            ("kishiwada_town", "岸和田市"),
        ],
    );
    // `cl` for `d` and `vv` for `w` after our place: the same word, not another one.
    for handle in ["kishiwada_kosocl", "kishiwada_tovvn"] {
        assert_suspect(&look(&d, handle, None, None), handle);
    }
}

#[test]
fn our_picture_on_another_places_own_account_counts_for_little() {
    let f = Fixture::new();
    let copy = || Some(hash_image(&emblem(1)));
    // Organisations of one kind share emblems: another place's account with ours.
    for name in ["大分市役所", "宮城県 広報", "札幌市"] {
        let a = f.assess(Platform::X, "rnd_4821", Some(name), None, copy());
        assert_clear(&a, name);
        assert!(
            a.reason_codes.iter().any(|r| matches!(
                r,
                narisumashi::detect::reason::Reason::AvatarOfAnotherPlace { .. }
            )),
            "{name}: {:?}",
            a.reason_codes
        );
    }
    // In Latin letters too, with a word that makes it a place's account.
    for name in [
        "Oita City",
        "Sapporo City Official",
        "Miyagi Prefectural Police",
    ] {
        let a = f.assess(Platform::X, "rnd_4821", Some(name), None, copy());
        assert_clear(&a, name);
    }
    // Our own place, or no place at all, or a place's name that is only a person's (「Aki
    // Tanaka」: 安芸 without an office word), with the picture: still a copy of ours.
    for name in ["文京区", "プレゼント企画", "Bunkyo City", "Aki Tanaka"] {
        assert_suspect(
            &f.assess(Platform::X, "rnd_4821", Some(name), None, copy()),
            name,
        );
    }
}

/// A white glyph of `shape` (0: house, 1: bell, 2: cross, 3: the house moved up, 4: a hall
/// of columns under the house's roof) on `background`, 200 px: flat logos of one icon set.
fn glyph(background: [u8; 3], shape: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, |x, y| {
        let (xf, yf) = (x as f64 - 100.0, y as f64 - 100.0);
        let inside = match shape {
            // A roof on a square body, with a door.
            0 | 3 => {
                let yf = if shape == 3 { yf + 8.0 } else { yf };
                let roof = yf > -60.0 && yf <= -10.0 && xf.abs() < (yf + 60.0) * 1.1;
                let body = yf > -10.0 && yf < 50.0 && xf.abs() < 42.0;
                let door = yf > 15.0 && yf < 50.0 && xf.abs() < 10.0;
                roof || (body && !door)
            }
            // A bell: a dome, a rim and a clapper.
            1 => {
                let dome = yf > -55.0 && yf < 30.0 && xf.abs() < 20.0 + (yf + 55.0) * 0.3;
                let rim = (30.0..40.0).contains(&yf) && xf.abs() < 52.0;
                let clapper = (xf * xf + (yf - 50.0).powi(2)).sqrt() < 9.0;
                dome || rim || clapper
            }
            // A roof on columns (a public hall).
            4 => {
                let roof = yf > -60.0 && yf <= -10.0 && xf.abs() < (yf + 60.0) * 1.1;
                let base = yf > 38.0 && yf < 50.0 && xf.abs() < 48.0;
                let columns =
                    yf > -10.0 && yf <= 38.0 && xf.abs() < 42.0 && (xf + 42.0) % 21.0 < 12.0;
                roof || base || columns
            }
            // A plus sign.
            _ => (xf.abs() < 16.0 && yf.abs() < 55.0) || (yf.abs() < 16.0 && xf.abs() < 55.0),
        };
        Rgb(if inside { [255, 255, 255] } else { background })
    }))
}

fn png(img: &DynamicImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Issue 10, item 1: a flat logo's copy is the same picture by its outline, even framed in
/// another colour; another glyph of the same set on the same colour is not, however alike
/// the small thumbnails.
#[test]
fn a_flat_logos_outline_tells_its_copies_from_other_marks() {
    let teal = [40, 170, 160];
    let logo = glyph(teal, 0);
    let bytes = png(&logo);
    let hash = narisumashi::avatar::hash_bytes(&bytes).unwrap();
    assert!(hash.outline.is_some(), "a flat logo keeps its outline");
    let account = OfficialAccount {
        platform: Platform::X,
        handle: "bunkyo_sumai".into(),
        display_name: "文京区住まい相談".into(),
        url: "https://x.com/bunkyo_sumai".into(),
        avatar: None,
        operator: None,
        bio: None,
        purpose: None,
    };
    let official = narisumashi::avatar::official_features(account, hash, &bytes).unwrap();
    let d = Detector::new(vec![official], Detection::default(), "文京区");
    let look = |img: &DynamicImage| {
        d.assess(
            Platform::X,
            &CandidateView {
                handle: "prize_4821",
                display_name: Some("プレゼント企画"),
                avatar: Some(narisumashi::avatar::hash_bytes(&png(img)).unwrap()),
                ..Default::default()
            },
        )
    };
    // The copy, shrunk into a thick dark red frame: the whole's mean colour is no longer ours.
    let mut framed = RgbImage::from_pixel(200, 200, Rgb([120, 20, 40]));
    let inner = imageops::resize(&logo.to_rgb8(), 150, 150, imageops::FilterType::Triangle);
    imageops::overlay(&mut framed, &inner, 25, 25);
    let copy = look(&DynamicImage::ImageRgb8(framed));
    assert_suspect(&copy, "our logo in a frame of another colour");
    assert!(
        copy.evidence.avatar_outline >= OUTLINE_SAME,
        "{:?}",
        copy.evidence
    );
    assert!(copy.reason_codes.iter().any(|r| matches!(
        r,
        narisumashi::detect::reason::Reason::AvatarMatches { official, .. } if official == "bunkyo_sumai"
    )));
    // Moved a little inside the picture: still the copy.
    assert_suspect(&look(&glyph(teal, 3)), "our logo moved up");
    // Other glyphs of the set on our colour, one under our roof: their outlines say so.
    for (what, shape) in [("bell", 1), ("hall under our roof", 4)] {
        let other = look(&glyph(teal, shape));
        assert_clear(&other, what);
        assert!(
            other.evidence.avatar_outline > 0.0 && other.evidence.avatar_outline < OUTLINE_TEMPLATE,
            "{what}: {:?}",
            other.evidence
        );
    }
}

/// What look-alike probing looks up, the detector recognises: every confusable variant the
/// prober makes of an official handle is a suspect on its handle alone.
#[test]
fn probed_confusables_are_suspects() {
    use narisumashi::variants::Fuzzer;
    for (handle, name) in [
        ("minami_town", "南町"),
        ("miyazaki_kenkei", "宮崎県警察"),
        ("bunkyo_bousai", "文京区防災課"),
        ("hamamatsu_pr", "浜松市広報課"),
    ] {
        let d = Detector::new(
            vec![official(Platform::X, handle, name, None)],
            Detection::default(),
            name,
        );
        let variants = Fuzzer::Confusable.generate(handle);
        assert!(variants.len() > 10, "{handle}: {variants:?}");
        for v in variants {
            let a = d.assess(
                Platform::X,
                &CandidateView {
                    handle: &v,
                    ..Default::default()
                },
            );
            assert_suspect(&a, &v);
        }
    }
}

/// Local news outlets name themselves after our place: beside an official name that is only
/// our place, 「浜松市ニュース」 is an outlet's name, and a handle that resembles ours on an
/// account whose name says whose it is (「…の出来事bot」) is weak. Marked official, the same
/// news name is ours again.
#[test]
fn local_news_outlets_are_someone_else() {
    use narisumashi::detect::reason::Reason;
    let d = emblem_registry("hamamatsucity", "浜松市", "浜松市");
    let outlet = |handle, name, bio| profile(&d, handle, name, bio, 3);
    let news = outlet(
        "hm_news_daily",
        "浜松市ニュース",
        "浜松市の最新ニュースをお届けします。",
    );
    assert_clear(&news, "浜松市ニュース");
    let bot = outlet(
        "news_hamamatsu",
        "浜松市の出来事bot",
        "浜松市のニュースを自動収集して投稿します。",
    );
    assert_clear(&bot, "news_hamamatsu");
    assert!(bot.reason_codes.contains(&Reason::HandleOnly));
    let marked = outlet(
        "hm_news_daily",
        "【公式】浜松市ニュース",
        "浜松市の公式アカウントです。",
    );
    assert_suspect(&marked, "【公式】浜松市ニュース");
}

//! Page content for a realistic set of suspects, and hostile names on every page.

use super::*;
use crate::detect::reason::{HandleEdit, Reason};
use crate::model::{MatchedAccount, Signals};
use crate::render::review_page;
use crate::store::Approval;
use std::path::Path;

const CONFIG: &str = r#"
[organization]
name = "文京区"
name_en = "Bunkyo City"
department = "区民部経済課"
website = "https://www.city.bunkyo.lg.jp/"
contact = "03-0000-0000"

[[official]]
platform = "x"
handle = "b_diverjinzai"
display_name = "文京区中小企業ダイバーシティ人材採用促進事業"
url = "https://x.com/b_diverjinzai"
operator = "区民部経済課"
purpose = "中小企業の人材採用に関するお知らせ"

[[official]]
platform = "instagram"
handle = "bunkyo_hostile"
display_name = "<b>文京区</b>"
url = "https://exa mple.jp/\"onmouseover=alert(1)"

[publish]
keep_removed_days = 30
"#;

const NOW: &str = "2026-11-22T03:00:00Z";
const HOSTILE: &str = "<script>alert(1)</script>\"'&\u{202E}gnp.exe\u{200B}🎁";

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(200, 200, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn event(at: &str, from: Option<Status>, to: Status) -> SuspectEvent {
    SuspectEvent {
        at: at.into(),
        actor: "tanaka".into(),
        from_status: from,
        to_status: to,
        note: None,
        kind: "status".into(),
    }
}

fn suspect(id: i64, handle: &str, name: &str, status: Status, changed: &str) -> SuspectInput {
    let record = SuspectRecord {
        id,
        platform: Platform::X,
        handle: handle.into(),
        display_name: Some(name.into()),
        bio: Some("プレゼント企画実施中".into()),
        url: Some(format!("https://x.com/{handle}")),
        avatar: None,
        status,
        score: 0.9,
        matched: Some(MatchedAccount {
            platform: Platform::X,
            handle: "b_diverjinzai".into(),
        }),
        signals: Signals {
            handle: Some(0.97),
            display_name: Some(1.0),
            avatar: None,
        },
        reasons: vec![format!("handle @{handle} imitates @b_diverjinzai").into()],
        first_seen: "2026-11-10T01:00:00Z".into(),
        last_seen: "2026-11-21T01:00:00Z".into(),
        status_changed_at: changed.into(),
        description: None,
        // Everything staff confirmed here was approved (決裁) the same day, unless a test
        // takes the approval away.
        approval: (status != Status::New && status != Status::Dismissed).then(|| Approval {
            by: "kacho".into(),
            at: "2026-11-11T02:00:00Z".into(),
            note: None,
        }),
    };
    let mut events = vec![event("2026-11-10T01:00:00Z", None, Status::New)];
    if status != Status::New && status != Status::Dismissed {
        events.push(event(
            "2026-11-11T01:00:00Z",
            Some(Status::New),
            Status::Confirmed,
        ));
    }
    if status == Status::Reported || status == Status::Removed {
        events.push(event(
            "2026-11-12T01:00:00Z",
            Some(Status::Confirmed),
            Status::Reported,
        ));
    }
    if status == Status::Removed {
        events.push(event(changed, Some(Status::Reported), Status::Removed));
    }
    SuspectInput {
        record,
        events,
        avatar: None,
    }
}

fn realistic() -> (Config, Inputs) {
    let config = Config::parse(CONFIG, Path::new(".")).unwrap();
    let mut reported = suspect(
        1,
        "b_diverjinzal",
        "文京区中小企業ダイバーシティ人材採用促進事業",
        Status::Reported,
        "2026-11-12T01:00:00Z",
    );
    reported.record.description = Some("「プレゼント当選」のDMで外部サイトへ誘導する".into());
    reported.avatar = Some(png());
    // What the detector records for this look-alike: one letter swapped, the picture copied.
    reported.record.reasons = vec![
        Reason::HandleImitates {
            handle: "b_diverjinzal".into(),
            official: "b_diverjinzai".into(),
            official_platform: Platform::X,
            edits: vec![HandleEdit::GlyphSwap {
                from: "i".into(),
                to: "l".into(),
            }],
            similarity: 0.95,
        },
        Reason::AvatarMatches {
            official: "b_diverjinzai".into(),
            distance: 4,
            chance: 0.0002,
        },
    ];
    let mut inputs = Inputs {
        suspects: vec![
            reported,
            suspect(
                2,
                "hostile_name",
                HOSTILE,
                Status::Confirmed,
                "2026-11-11T01:00:00Z",
            ),
            suspect(
                3,
                "removed_recent",
                "削除済みの偽物",
                Status::Removed,
                "2026-11-20T01:00:00Z",
            ),
            suspect(
                4,
                "removed_long_ago",
                "昔の偽物",
                Status::Removed,
                "2026-09-01T01:00:00Z",
            ),
            suspect(
                5,
                "withdrawn_recent",
                "誤掲載の個人",
                Status::Withdrawn,
                "2026-11-21T01:00:00Z",
            ),
            suspect(
                6,
                "withdrawn_long_ago",
                "昔の誤掲載",
                Status::Withdrawn,
                "2026-08-01T01:00:00Z",
            ),
            suspect(
                7,
                "unreviewed_new",
                "未確認の候補",
                Status::New,
                "2026-11-10T01:00:00Z",
            ),
            suspect(
                8,
                "dismissed_one",
                "無関係",
                Status::Dismissed,
                "2026-11-10T01:00:00Z",
            ),
            suspect(
                9,
                &"long".repeat(100),
                &"長".repeat(300),
                Status::Confirmed,
                "2026-11-11T01:00:00Z",
            ),
        ],
        ..Inputs::default()
    };
    inputs
        .official_avatars
        .insert((Platform::X, "b_diverjinzai".into()), png());
    (config, inputs)
}

fn all_pages() -> Vec<(&'static str, String)> {
    let (config, inputs) = realistic();
    let (mut public, review) = crate::publish::render_all(&config, &inputs, NOW).unwrap();
    public.push(("review.html", review));
    public
}

#[test]
fn notice_lists_confirmed_reported_and_recently_removed_only() {
    let (config, inputs) = realistic();
    let html = notice(&notice_data(&config, &inputs, NOW), false).unwrap();
    for shown in ["@b_diverjinzal", "@hostile_name", "@removed_recent"] {
        assert!(html.contains(shown), "{shown} missing");
    }
    for hidden in [
        "removed_long_ago",
        "unreviewed_new",
        "dismissed_one",
        "未確認の候補",
        "無関係",
    ] {
        assert!(!html.contains(hidden), "{hidden} must not be public");
    }
    assert!(html.contains("なりすましアカウント一覧（4件）"));
    assert!(html.contains("令和8年11月10日"), "found date in era form");
    assert!(html.contains("運営会社へ削除を要請済み"));
    assert!(html.contains("削除を確認"));
    assert!(html
        .contains("手口：<span lang=\"ja\">「プレゼント当選」のDMで外部サイトへ誘導する</span>"));
    assert!(html.contains("<li>令和8年11月12日　運営会社へ削除を要請</li>"));
    assert!(html.contains("<li>令和8年11月20日　削除を確認</li>"));
    // Side by side: the official avatar and the impostor's, re-encoded as PNG data: URIs.
    assert!(
        html.contains("公式アカウント（本物）") && html.contains("なりすましアカウント（偽物）")
    );
    assert_eq!(
        html.matches("src=\"data:image/png;base64,").count(),
        5,
        "official ×4, impostor ×1"
    );
    assert!(
        html.contains("ダイレクトメッセージ（DM）で個人情報"),
        "never_does"
    );
    assert!(html.contains("皆さまへのお願い"));
    assert!(html.contains("電話：03-0000-0000"));
    assert!(html.contains("最終更新日：令和8年11月22日"));
    assert!(html.contains("href=\"official-accounts.html\""));
    // Active impostors come before removed ones.
    assert!(html.find("@removed_recent").unwrap() > html.find("@hostile_name").unwrap());
}

#[test]
fn only_approved_impostors_and_published_withdrawals_are_public() {
    let (config, mut inputs) = realistic();
    let mut waiting = suspect(
        10,
        "awaiting_approval",
        "決裁待ちの偽物",
        Status::Confirmed,
        "2026-11-21T01:00:00Z",
    );
    waiting.record.approval = None;
    let mut never_published = suspect(
        11,
        "withdrawn_unpublished",
        "掲載前に取り下げ",
        Status::Withdrawn,
        "2026-11-21T01:00:00Z",
    );
    never_published.record.approval = None;
    inputs.suspects.push(waiting);
    inputs.suspects.push(never_published);
    let d = notice_data(&config, &inputs, NOW);
    for html in [notice(&d, false).unwrap(), notice_en(&d, false).unwrap()] {
        assert!(!html.contains("awaiting_approval"), "not approved yet");
        assert!(!html.contains("withdrawn_unpublished"), "no correction");
        assert!(html.contains("@hostile_name"));
    }
    // A one-person office without approvals publishes what it confirms.
    let config = Config::parse(
        &format!("{CONFIG}\n[review]\napproval = false\n"),
        Path::new("."),
    )
    .unwrap();
    let html = notice(&notice_data(&config, &inputs, NOW), false).unwrap();
    assert!(html.contains("@awaiting_approval") && html.contains("@withdrawn_unpublished"));
}

#[test]
fn withdrawn_accounts_get_a_dated_correction_for_a_while() {
    let (config, inputs) = realistic();
    let html = notice(&notice_data(&config, &inputs, NOW), false).unwrap();
    assert!(html.contains("訂正</h2>"));
    assert!(html.contains("令和8年11月21日　訂正：X（旧Twitter）のアカウント「<span class=\"handle\">@withdrawn_recent</span>」"));
    assert!(!html.contains("withdrawn_long_ago"));
    let en = notice_en(&notice_data(&config, &inputs, NOW), false).unwrap();
    assert!(en.contains("Correction (2026-11-21)"));
    // Without withdrawals there is no correction heading at all.
    let mut quiet = realistic().1;
    quiet
        .suspects
        .retain(|s| s.record.status != Status::Withdrawn);
    let html = notice(&notice_data(&config, &quiet, NOW), false).unwrap();
    assert!(!html.contains("訂正"));
}

#[test]
fn an_empty_notice_says_so_without_contradicting_itself() {
    let (config, _) = realistic();
    let d = notice_data(&config, &Inputs::default(), NOW);
    let ja = notice(&d, false).unwrap();
    assert!(
        ja.contains("現在、文京区の公式アカウントになりすましたアカウントは確認されていません。")
    );
    for wrong in [
        "確認されています",
        "上記のアカウント",
        "確認されたなりすましアカウント",
        "<table",
    ] {
        assert!(!ja.contains(wrong), "{wrong} on an empty notice");
    }
    assert!(ja.contains("文京区を名乗るアカウントを見かけたら"));
    let en = notice_en(&d, false).unwrap();
    assert!(en.contains("No accounts impersonating Bunkyo City are known at present."));
    for wrong in [
        "have been found",
        "these accounts",
        "we have confirmed",
        "<table",
    ] {
        assert!(!en.contains(wrong), "{wrong} on an empty English notice");
    }
}

#[test]
fn each_comparison_names_the_service_and_what_differs() {
    let (config, mut inputs) = realistic();
    // The very handle of the X account, on Instagram.
    let mut clone = suspect(
        12,
        "b_diverjinzai",
        "文京区中小企業ダイバーシティ人材採用促進事業",
        Status::Confirmed,
        "2026-11-21T01:00:00Z",
    );
    clone.record.platform = Platform::Instagram;
    inputs.suspects = vec![clone];
    let d = notice_data(&config, &inputs, NOW);
    let ja = notice(&d, false).unwrap();
    assert!(ja.contains("<tr><th scope=\"row\">サービス</th><td data-label=\"公式アカウント（本物）\" class=\"service\">X（旧Twitter）</td><td data-label=\"なりすましアカウント（偽物）\" class=\"service\">Instagram</td></tr>"), "{ja}");
    assert!(ja.contains("別のサービスです：公式アカウントはX（旧Twitter）、このアカウントはInstagramのアカウントです。"));
    assert!(ja.contains("表示名は公式アカウントとまったく同じです"));
    let en = notice_en(&d, false).unwrap();
    assert!(en.contains("A different service: the official account is on X (formerly Twitter), this one is on Instagram."));
    // Handles are monospace spans, never underlined links.
    assert!(ja.contains("<span class=\"handle\">@b_diverjinzai</span>"));
    assert!(!ja.contains(">@b_diverjinzai</a>"));
}

#[test]
fn fragments_have_no_document_wrapper_and_start_at_h2() {
    let (config, inputs) = realistic();
    let d = notice_data(&config, &inputs, NOW);
    for html in [notice(&d, true).unwrap(), notice_en(&d, true).unwrap()] {
        let t = html.trim();
        assert!(
            t.starts_with("<section class=\"narisumashi-notice\""),
            "{}",
            &t[..80]
        );
        assert!(t.ends_with("</section>"));
        for tag in [
            "<html",
            "<head",
            "<body",
            "<!DOCTYPE",
            "<style",
            "<meta",
            "<h1",
        ] {
            assert!(!t.contains(tag), "{tag} in fragment");
        }
        assert!(t.contains("<h2 id=\"narisumashi-title"));
    }
    let full = notice(&d, false).unwrap();
    assert!(full.contains("<h1>なりすましアカウントにご注意ください</h1>"));
}

#[test]
fn english_pages_speak_english() {
    let (config, inputs) = realistic();
    let en = notice_en(&notice_data(&config, &inputs, NOW), false).unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Beware of accounts impersonating Bunkyo City"));
    assert!(en.contains("Reported to the platform for removal"));
    assert!(en.contains("<td class=\"date\" data-label=\"Found on\">2026-11-10</td>"));
    assert!(en.contains("2026-11-12: Reported to the platform"));
    assert!(en.contains("never ask for personal data"));
    assert!(en.contains("href=\"official-accounts.en.html\""));
    let off = official_accounts_en(&official_data(&config, &inputs, NOW)).unwrap();
    assert!(off.contains("Official social media accounts of Bunkyo City"));
    assert!(off.contains("X (formerly Twitter)"));
}

#[test]
fn official_accounts_page_lists_platform_link_operator_purpose() {
    let (config, inputs) = realistic();
    let html = official_accounts(&official_data(&config, &inputs, NOW)).unwrap();
    assert!(html.contains("<a class=\"handle-link\" href=\"https://x.com/b_diverjinzai\"><span class=\"handle\">@b_diverjinzai</span></a>"));
    // Each account's icon, where the registry has one (the hostile account has none).
    assert_eq!(
        html.matches("<img class=\"avatar\" src=\"data:image/png;base64,")
            .count(),
        1
    );
    assert!(html.contains("alt=\"文京区中小企業ダイバーシティ人材採用促進事業のアイコン\""));
    assert!(html.contains("<td class=\"service\" data-label=\"サービス\">X（旧Twitter）</td>"));
    assert!(html.contains("区民部経済課"));
    assert!(html.contains("中小企業の人材採用に関するお知らせ"));
    assert!(html.contains("Instagram"));
    assert!(
        !html.contains("onmouseover"),
        "invalid links are not linked"
    );
    assert!(html.contains("&#60;b&#62;文京区&#60;/b&#62;"));
}

#[test]
fn review_page_is_internal_and_shows_new_suspects_side_by_side() {
    let (config, mut inputs) = realistic();
    inputs.suspects[6].avatar = Some(png());
    let html = review_page::review(&config, &inputs, NOW).unwrap();
    assert!(html.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    assert!(html.contains("内部資料"));
    assert!(html.contains("@unreviewed_new"));
    assert!(html.contains("未確認の候補"));
    assert!(!html.contains("@b_diverjinzal") && !html.contains("dismissed_one"));
    assert!(html.contains("<td data-label=\"値\">0.97</td>"));
    assert!(
        html.contains("—（比較できず）"),
        "missing signals are said so"
    );
    assert!(html.contains("handle @unreviewed_new imitates @b_diverjinzai"));
    assert_eq!(html.matches("src=\"data:image/jpeg;base64,").count(), 1);
    assert_eq!(html.matches("url(\"data:image/jpeg;base64,").count(), 1);
}

/// A picture that compresses badly (noise), as a worst case for page size.
fn noisy_png(seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2654435761).wrapping_add(1);
    let img = image::RgbImage::from_fn(100, 100, |_, _| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn a_350_suspect_queue_makes_a_review_page_well_under_a_megabyte() {
    // Issue 11: 350 suspects, every avatar inlined, made a 10.7 MB page.
    let (config, mut inputs) = realistic();
    inputs.suspects = (0..350)
        .map(|n| {
            let mut s = suspect(
                1000 + n,
                &format!("b_diverjinzai_{n}"),
                "文京区中小企業ダイバーシティ人材採用促進事業",
                Status::New,
                "2026-11-10T01:00:00Z",
            );
            s.record.score = 0.5 + (n % 50) as f64 / 100.0;
            s.avatar = Some(noisy_png(n as u32));
            s
        })
        .collect();
    inputs
        .official_avatars
        .insert((Platform::X, "b_diverjinzai".into()), noisy_png(9999));
    let html = review_page::review(&config, &inputs, NOW).unwrap();
    assert!(
        html.len() < 1_000_000,
        "review.html is {} bytes",
        html.len()
    );
    assert!(html.contains("未確認の候補は全部で350件です"));
    assert_eq!(
        html.matches("<article class=\"impostor\"").count(),
        review_page::MAX_DETAILED
    );
    // Every suspect is in the table; thumbnails are small JPEGs, one per picture shown.
    assert_eq!(
        html.matches("<span class=\"handle\">@b_diverjinzai_")
            .count(),
        350 + 2 * 50
    );
    assert_eq!(
        html.matches("src=\"data:image/jpeg;base64,").count(),
        review_page::MAX_DETAILED
    );
    // The official picture, the same for all, is embedded once and shown by class.
    assert_eq!(html.matches("url(\"data:image/jpeg;base64,").count(), 1);
    assert_eq!(
        html.matches("<span class=\"picture official-picture-0\" role=\"img\"")
            .count(),
        review_page::MAX_DETAILED
    );
    assert!(!html.contains("data:image/png"));
    // Highest score first: the first detailed one scores 0.99.
    let first = html.find("<article").unwrap();
    assert!(html[first..].contains("（スコア 0.99）"));
    eprintln!("350-suspect review.html: {} bytes", html.len());
}

#[test]
fn the_review_page_lists_impostors_awaiting_approval() {
    let (config, mut inputs) = realistic();
    inputs.suspects[1].record.approval = None;
    let html = review_page::review(&config, &inputs, NOW).unwrap();
    assert!(html.contains("決裁待ち（確認済み・未承認 1件）"), "{html}");
    assert!(html.contains(
        "<span class=\"handle\">@hostile_name</span></td><td data-label=\"確認した人\">tanaka</td>"
    ));
    assert!(html.contains("suspects approve ID"));
}

#[test]
fn hostile_names_are_escaped_and_visible_on_every_page() {
    let (config, mut inputs) = realistic();
    // Put the hostile suspect in the review queue too.
    inputs.suspects[6].record.display_name = Some(HOSTILE.into());
    let (public, review) = crate::publish::render_all(&config, &inputs, NOW).unwrap();
    for (name, html) in public
        .iter()
        .map(|(n, h)| (*n, h.as_str()))
        .chain([("review.html", review.as_str())])
    {
        assert!(!html.contains("<script"), "{name}: raw script tag");
        assert!(
            !html.contains('\u{202E}') && !html.contains('\u{200B}'),
            "{name}: hidden characters applied"
        );
        assert!(
            !html.contains("<link") && !html.contains("src=\"http"),
            "{name}: external resource"
        );
        assert!(!html.contains("javascript:"), "{name}: javascript URL");
        if name.starts_with("notice") || name == "review.html" {
            assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;&#60;U+202E&#62;gnp.exe&#60;U+200B&#62;🎁"), "{name}: hostile name not shown escaped");
        }
        assert!(
            !html.contains(&"長".repeat(81)),
            "{name}: long name not cut"
        );
        if name.starts_with("notice") {
            assert!(
                html.contains(&format!("{}…", "長".repeat(80))),
                "{name}: long name missing"
            );
        }
    }
}

#[test]
fn every_page_is_self_contained() {
    for (name, html) in all_pages() {
        assert!(!html.contains("<script"), "{name}");
        assert!(!html.contains("http-equiv=\"refresh\""), "{name}");
        if !name.contains("fragment") {
            assert!(
                html.contains("default-src 'none'; img-src data:"),
                "{name}: CSP"
            );
            assert!(html.contains("<meta name=\"viewport\""), "{name}");
        }
    }
}

#[test]
fn links_are_absolute_under_public_url() {
    let (mut config, inputs) = realistic();
    assert_eq!(page_href(&config, "notice.html"), "notice.html");
    config.publish.public_url = Some("https://www.city.bunkyo.lg.jp/sns".into());
    let d = notice_data(&config, &inputs, NOW);
    let frag = notice(&d, true).unwrap();
    assert!(frag.contains("href=\"https://www.city.bunkyo.lg.jp/sns/official-accounts.html\""));
    let en = official_accounts_en(&official_data(&config, &inputs, NOW)).unwrap();
    assert!(en.contains("href=\"https://www.city.bunkyo.lg.jp/sns/notice.en.html\""));
    let bad = CONFIG.replace(
        "keep_removed_days = 30",
        "public_url = \"javascript:alert(1)\"",
    );
    assert!(Config::parse(&bad, Path::new(".")).is_err());
}

#[test]
fn recency_uses_keep_removed_days() {
    assert!(recent("2026-10-23T03:00:00Z", NOW, 30));
    assert!(!recent("2026-10-22T02:00:00Z", NOW, 30));
    assert!(recent("not a date", NOW, 30));
}

/// A page with its embedded pictures cut short, so a snapshot shows the markup.
fn without_image_data(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(";base64,") {
        let start = i + ";base64,".len();
        out.push_str(&rest[..start]);
        out.push('…');
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn snapshots_of_every_page() {
    // Hand-built data (see `realistic`), pictures elided; review the diff when a page changes.
    for (name, html) in all_pages() {
        insta::assert_snapshot!(name, without_image_data(&html));
    }
    let (config, _) = realistic();
    let empty = notice_data(&config, &Inputs::default(), NOW);
    insta::assert_snapshot!("empty-notice.html", notice(&empty, false).unwrap());
    insta::assert_snapshot!("empty-notice.en.html", notice_en(&empty, false).unwrap());
}

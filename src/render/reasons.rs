//! Typed reasons ([`Reason`]) as sentences: Japanese for the review page and the takedown
//! draft, English for the command line and the JSON `reasons` field. Rendering lives here, at
//! the edge; the detector only produces data (issue 10).
//!
//! Attacker text (handles, display names) is quoted as it is; pages pass the result through
//! [`super::visible`] and the template engine escapes it.

use crate::detect::reason::{Field, HandleEdit, NameMatch, Reason};

/// The reason in Japanese, as a staff member or a platform's support team reads it.
pub fn ja(r: &Reason) -> String {
    match r {
        Reason::OfficialAccount { platform, handle } => {
            format!("@{handle} は{}の登録済み公式アカウントです。", platform.label())
        }
        Reason::HandleImitates {
            handle,
            official,
            official_platform,
            edits,
            ..
        } => {
            let how = if edits.is_empty() {
                "同じIDです".to_string()
            } else {
                edits.iter().map(edit_ja).collect::<Vec<_>>().join("、")
            };
            format!(
                "ID @{handle} は公式アカウント @{official}（{}）のIDに似せています：{how}。",
                official_platform.label()
            )
        }
        Reason::HandleImitatesOrganization {
            handle,
            organization,
            romanised,
            edits,
        } => {
            let how = if edits.is_empty() {
                "同じ綴りです".to_string()
            } else {
                edits.iter().map(edit_ja).collect::<Vec<_>>().join("、")
            };
            format!("ID @{handle} は{organization}の名前のローマ字「{romanised}」に似せています：{how}。")
        }
        Reason::DisplayNameImitates {
            name,
            official_name,
            how,
            similarity,
            ..
        } => format!(
            "表示名「{name}」は公式アカウントの表示名「{official_name}」{}",
            name_ja(how, *similarity)
        ),
        Reason::DisplayNameImitatesOrganization {
            name,
            organization,
            how,
        } => format!(
            "表示名「{name}」は{organization}の名前「{organization}」{}",
            name_ja(how, 1.0)
        ),
        Reason::AvatarMatches {
            official,
            distance,
            chance,
        } => format!(
            "アイコンが公式アカウント @{official} のアイコンと同じ画像です（差 {distance}/64。無関係な画像がここまで近くなるのは{}）。",
            chance_ja(*chance)
        ),
        Reason::AvatarResembles { official, distance } => format!(
            "アイコンが公式アカウント @{official} のアイコンに似ています（差 {distance}/64）。"
        ),
        Reason::AvatarLooksAlike {
            official,
            similarity,
            chance,
        } => format!(
            "アイコンの細部が公式アカウント @{official} のアイコンとよく似ています（相関 {similarity:.2}。無関係な画像がここまで近くなるのは{}）。同じ画像とまでは言えません。",
            chance_ja(*chance)
        ),
        Reason::AvatarCornersMatch {
            official,
            corners,
            recovered,
            chance,
        } => format!(
            "アイコンが公式アカウント @{official} のアイコンと同じ画像です。文字や枠を重ねる、背景に置く、傾ける、端を切るなどの加工がされていますが、角などの特徴点 {corners} 個が同じ配置で一致し、公式アイコンの特徴点の {}% を含みます（無関係な画像がここまで一致するのは{}）。",
            (recovered * 100.0).round(),
            chance_ja(*chance)
        ),
        Reason::AvatarSameTemplate {
            official,
            distance,
            detail_distance,
        } => format!(
            "アイコンは公式アカウント @{official} のアイコンと同じ型・配色ですが、別の画像です（差 {distance}/64、細部の差 {detail_distance}/64）。判断には使っていません。"
        ),
        Reason::BioClaimsOfficial { organization } => {
            format!("自己紹介で{organization}の公式アカウントを名乗っています。")
        }
        Reason::Unofficial { field } => format!(
            "{}で非公式（ファン・パロディ・個人）のアカウントだと明記しているため、評価を下げました。",
            field_ja(*field)
        ),
        Reason::OtherPlaceDiscount { place, prefecture } => format!(
            "別の自治体「{place}」（{prefecture}）の名前を含むため、名前やIDが似ていることは重く見ていません。"
        ),
        Reason::AvatarOfAnotherPlace { place, prefecture } => format!(
            "アイコンは公式アカウントのものに似ていますが、表示名は別の自治体・地域「{place}」（{prefecture}）のアカウントであることを示し、ほかに似ている点がありません。同じ種類の組織は同じ紋章や型を使うため、アイコンは重く見ていません。"
        ),
        Reason::OtherPlaceNotDiscounted { place, prefecture } => format!(
            "IDは別の自治体「{place}」（{prefecture}）とも読めますが、表示名やアイコンも公式アカウントに似せているため、割り引いていません。"
        ),
        Reason::HandleOnly => {
            "似ているのはIDだけで、表示名・アイコン・自己紹介は別のものです（弱い疑い）。".into()
        }
        Reason::Lures { field } => format!(
            "{}に、なりすましがよく使う誘い文句（プレゼント・当選・給付金・DMでの連絡など）があります。",
            field_ja(*field)
        ),
        Reason::NewAccount { age_days } => {
            format!("作成から{age_days}日しか経っていないアカウントです。")
        }
        Reason::FewPosts { posts } => format!("投稿が{posts}件しかありません。"),
        Reason::FewFollowers { followers } => format!("フォロワーが{followers}人しかいません。"),
        Reason::Verified => "プラットフォームの認証済みアカウントです。".into(),
        Reason::AllowListed { note } => format!(
            "既知の無関係なアカウントとして許可リストに登録されています{}。",
            note.as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default()
        ),
        Reason::BelowThreshold {
            probability,
            threshold,
        } => format!(
            "なりすましの確率 {probability:.2} が判定のしきい値 {threshold:.2} を下回っています。"
        ),
        Reason::NoResemblance => "公式アカウントに似ている点はありません。".into(),
        Reason::NoOfficials => "比較する公式アカウントが登録されていません。".into(),
        Reason::Legacy { text } => text.clone(),
    }
}

/// The reason in English.
pub fn en(r: &Reason) -> String {
    match r {
        Reason::OfficialAccount { platform, handle } => {
            format!(
                "@{handle} is a registered official account on {}",
                platform.label_en()
            )
        }
        Reason::HandleImitates {
            handle,
            official,
            official_platform,
            edits,
            similarity,
        } => {
            if let [HandleEdit::OtherPlatform { platform }] = edits.as_slice() {
                return format!(
                    "handle @{handle} is the official {} handle @{official}, used on {} where it is not registered",
                    official_platform.label_en(),
                    platform.label_en()
                );
            }
            let how = if edits.is_empty() {
                "the same handle".to_string()
            } else {
                edits.iter().map(edit_en).collect::<Vec<_>>().join(", ")
            };
            format!("handle @{handle} imitates @{official}: {how} (similarity {similarity:.2})")
        }
        Reason::HandleImitatesOrganization {
            handle,
            organization,
            romanised,
            edits,
        } => {
            let how = if edits.is_empty() {
                "the same spelling".to_string()
            } else {
                edits.iter().map(edit_en).collect::<Vec<_>>().join(", ")
            };
            format!("handle @{handle} imitates the name of {organization} romanised as `{romanised}`: {how}")
        }
        Reason::DisplayNameImitates {
            name,
            official_name,
            how,
            similarity,
            ..
        } => match how {
            NameMatch::SameReading => {
                format!("display name 「{name}」 reads the same as the official 「{official_name}」")
            }
            NameMatch::Similar => format!(
                "display name 「{name}」 resembles the official 「{official_name}」 (similarity {similarity:.2})"
            ),
            other => format!(
                "display name 「{name}」 imitates the official 「{official_name}」: {}",
                name_en(other)
            ),
        },
        Reason::DisplayNameImitatesOrganization {
            name,
            organization,
            how,
        } => format!(
            "display name 「{name}」 imitates the name of {organization}: {}",
            name_en(how)
        ),
        Reason::AvatarMatches {
            official,
            distance,
            chance,
        } => format!(
            "avatar matches @{official} (distance {distance}/64; an unrelated picture comes this close {})",
            chance_en(*chance)
        ),
        Reason::AvatarResembles { official, distance } => {
            format!("avatar resembles @{official} (distance {distance}/64)")
        }
        Reason::AvatarLooksAlike {
            official,
            similarity,
            chance,
        } => format!(
            "avatar looks much like @{official}'s in its details (correlation {similarity:.2}; an unrelated picture comes this close {}), though not enough to be the same picture",
            chance_en(*chance)
        ),
        Reason::AvatarCornersMatch {
            official,
            corners,
            recovered,
            chance,
        } => format!(
            "avatar is @{official}'s picture edited (labelled, framed, on a canvas, turned or cut): {corners} of its corners land on the official avatar's in the same arrangement, {}% of the official corners it shows (an unrelated picture matches this well {})",
            (recovered * 100.0).round(),
            chance_en(*chance)
        ),
        Reason::AvatarSameTemplate {
            official,
            distance,
            detail_distance,
        } => format!(
            "avatar has the layout and colours of @{official}'s (distance {distance}/64) but is a different picture (detail distance {detail_distance}/64), so it does not count"
        ),
        Reason::BioClaimsOfficial { organization } => {
            format!("bio claims to be the official account of {organization}")
        }
        Reason::Unofficial { field } => format!(
            "says plainly in its {} that it is unofficial (fan, parody or personal account), which lowers the score",
            field_en(*field)
        ),
        Reason::OtherPlaceDiscount { place, prefecture } => format!(
            "it names {place} ({prefecture}), a different municipality, so the resemblance of its name and handle counts for little"
        ),
        Reason::AvatarOfAnotherPlace { place, prefecture } => format!(
            "its avatar is like ours, but its name presents it as an account of {place} ({prefecture}), and nothing else imitates ours: organisations of one kind share emblems, so the avatar counts for little"
        ),
        Reason::OtherPlaceNotDiscounted { place, prefecture } => format!(
            "its handle also spells {place} ({prefecture}), a different municipality, but its name or avatar imitate ours, so no discount is applied"
        ),
        Reason::HandleOnly => {
            "only the handle resembles; name, avatar and bio are plainly someone else's (a weak suspect at most)".into()
        }
        Reason::Lures { field } => format!(
            "its {} uses the lures impostors post (giveaways, prizes, benefits, \"contact us by DM\")",
            field_en(*field)
        ),
        Reason::NewAccount { age_days } => format!("the account is only {age_days} day(s) old"),
        Reason::FewPosts { posts } => format!("the account has only {posts} post(s)"),
        Reason::FewFollowers { followers } => {
            format!("the account has only {followers} follower(s)")
        }
        Reason::Verified => "the platform marks the account as verified".into(),
        Reason::AllowListed { note } => format!(
            "on the allow-list of known innocent look-alikes{}",
            note.as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ),
        Reason::BelowThreshold {
            probability,
            threshold,
        } => format!(
            "score {probability:.2} is below the suspect threshold {threshold:.2}"
        ),
        Reason::NoResemblance => "no signal resembles any official account".into(),
        Reason::NoOfficials => "the registry has no official accounts to compare with".into(),
        Reason::Legacy { text } => text.clone(),
    }
}

/// Every reason in English, in order.
pub fn en_all(reasons: &[Reason]) -> Vec<String> {
    reasons.iter().map(en).collect()
}

/// Every reason in Japanese, in order.
pub fn ja_all(reasons: &[Reason]) -> Vec<String> {
    reasons.iter().map(ja).collect()
}

fn edit_ja(e: &HandleEdit) -> String {
    match e {
        HandleEdit::OtherPlatform { platform } => {
            format!("同じIDを別のサービス（{}）で使っています", platform.label())
        }
        HandleEdit::CaseChanged => "大文字・小文字が違うだけです".into(),
        HandleEdit::Appended { text } => format!("末尾に {text} が付いています"),
        HandleEdit::Prepended { text } => format!("先頭に {text} が付いています"),
        HandleEdit::Removed { text } => format!("{text} が抜けています"),
        HandleEdit::GlyphSwap { from, to } => {
            format!("{from} が見た目の似た {to} になっています")
        }
        HandleEdit::SeparatorChanged { from, to } => match (from.is_empty(), to.is_empty()) {
            (true, _) => format!("区切りの {to} が加わっています"),
            (_, true) => format!("区切りの {from} がなくなっています"),
            _ => format!("区切りの {from} が {to} になっています"),
        },
        HandleEdit::Transposed { from, to } => format!("{from} が {to} と入れ替わっています"),
        HandleEdit::Typo { from, to } => match (from.is_empty(), to.is_empty()) {
            (true, _) => format!("余分な {to} が入っています"),
            (_, true) => format!("{from} が抜けています"),
            _ => format!("{from} が {to} になっています"),
        },
        HandleEdit::Romanisation { from, to } => {
            format!("ローマ字の綴りを変えただけです（{from} → {to}）")
        }
        HandleEdit::WordsReordered => "単語の順序を入れ替えています".into(),
    }
}

fn edit_en(e: &HandleEdit) -> String {
    match e {
        HandleEdit::OtherPlatform { platform } => {
            format!("the same handle, used on {}", platform.label_en())
        }
        HandleEdit::CaseChanged => "only the case differs".into(),
        HandleEdit::Appended { text } => format!("`{text}` appended"),
        HandleEdit::Prepended { text } => format!("`{text}` prepended"),
        HandleEdit::Removed { text } => format!("`{text}` left out"),
        HandleEdit::GlyphSwap { from, to } => format!("`{from}` replaced by look-alike `{to}`"),
        HandleEdit::SeparatorChanged { from, to } => match (from.is_empty(), to.is_empty()) {
            (true, _) => format!("separator `{to}` added"),
            (_, true) => format!("separator `{from}` dropped"),
            _ => format!("separator `{from}` changed to `{to}`"),
        },
        HandleEdit::Transposed { from, to } => format!("`{from}` swapped to `{to}`"),
        HandleEdit::Typo { from, to } => match (from.is_empty(), to.is_empty()) {
            (true, _) => format!("extra `{to}`"),
            (_, true) => format!("`{from}` left out"),
            _ => format!("`{from}` typed as `{to}`"),
        },
        HandleEdit::Romanisation { from, to } => {
            format!("another romanisation (`{from}` → `{to}`)")
        }
        HandleEdit::WordsReordered => "the same words reordered".into(),
    }
}

fn name_ja(how: &NameMatch, similarity: f64) -> String {
    match how {
        NameMatch::SameReading => "と同じ読みです。".into(),
        NameMatch::Contains { added } => format!("に「{added}」を付け加えたものです。"),
        NameMatch::Truncated => "の一部を使っています。".into(),
        NameMatch::Reordered => "と同じ語を並べ替えたものです。".into(),
        NameMatch::PlaceAndTopic { place, topic } => {
            format!("と同じ地名「{place}」と担当分野「{topic}」を使っています。")
        }
        NameMatch::Similar => format!("によく似ています（類似度 {similarity:.2}）。"),
    }
}

fn name_en(how: &NameMatch) -> String {
    match how {
        NameMatch::SameReading => "reads the same".into(),
        NameMatch::Contains { added } => format!("the name with 「{added}」 added"),
        NameMatch::Truncated => "the beginning of the name".into(),
        NameMatch::Reordered => "the same words reordered".into(),
        NameMatch::PlaceAndTopic { place, topic } => {
            format!("the same place 「{place}」 and department or topic 「{topic}」")
        }
        NameMatch::Similar => "a similar name".into(),
    }
}

fn field_ja(f: Field) -> &'static str {
    match f {
        Field::Handle => "ID",
        Field::DisplayName => "表示名",
        Field::Bio => "自己紹介",
    }
}

fn field_en(f: Field) -> &'static str {
    match f {
        Field::Handle => "handle",
        Field::DisplayName => "name",
        Field::Bio => "bio",
    }
}

fn chance_ja(chance: f64) -> String {
    if chance < 0.001 {
        "1,000枚に1枚未満です".into()
    } else {
        format!("{:.1}%です", chance * 100.0)
    }
}

fn chance_en(chance: f64) -> String {
    if chance < 0.001 {
        "less than once in 1,000".into()
    } else {
        format!("{:.1} % of the time", chance * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    fn typo(edits: Vec<HandleEdit>) -> Reason {
        Reason::HandleImitates {
            handle: "city_koho_".into(),
            official: "city_koho".into(),
            official_platform: Platform::X,
            edits,
            similarity: 0.95,
        }
    }

    #[test]
    fn handle_edits_read_as_a_reviewer_says_them() {
        let r = typo(vec![HandleEdit::Appended { text: "_".into() }]);
        assert!(ja(&r).contains("末尾に _ が付いています"), "{}", ja(&r));
        assert!(en(&r).contains("`_` appended"), "{}", en(&r));
        let r = typo(vec![HandleEdit::GlyphSwap {
            from: "l".into(),
            to: "1".into(),
        }]);
        assert!(
            ja(&r).contains("l が見た目の似た 1 になっています"),
            "{}",
            ja(&r)
        );
        let r = typo(vec![HandleEdit::OtherPlatform {
            platform: Platform::Misskey,
        }]);
        assert!(ja(&r).contains("別のサービス（Misskey）"), "{}", ja(&r));
        assert!(en(&r).contains("used on Misskey where it is not registered"));
    }

    #[test]
    fn another_places_avatar_says_why_it_counts_for_little() {
        let r = Reason::AvatarOfAnotherPlace {
            place: "大分県".into(),
            prefecture: "大分県".into(),
        };
        assert!(ja(&r).contains("別の自治体・地域「大分県」"), "{}", ja(&r));
        assert!(en(&r).contains("an account of 大分県"), "{}", en(&r));
    }

    #[test]
    fn a_likeness_says_it_is_not_a_copy() {
        let r = Reason::AvatarLooksAlike {
            official: "city_koho".into(),
            similarity: 0.834,
            chance: 0.0006,
        };
        assert!(ja(&r).contains("相関 0.83"), "{}", ja(&r));
        assert!(ja(&r).contains("同じ画像とまでは言えません"), "{}", ja(&r));
        assert!(en(&r).contains("less than once in 1,000"), "{}", en(&r));
        assert!(en(&r).contains("not enough to be the same picture"));
    }

    #[test]
    fn a_corner_match_says_how_much_of_the_picture_it_carries() {
        let r = Reason::AvatarCornersMatch {
            official: "city_koho".into(),
            corners: 23,
            recovered: 0.614,
            chance: 0.0007,
        };
        assert!(ja(&r).contains("特徴点 23 個"), "{}", ja(&r));
        assert!(ja(&r).contains("61%"), "{}", ja(&r));
        assert!(en(&r).contains("23 of its corners"), "{}", en(&r));
        assert!(en(&r).contains("less than once in 1,000"), "{}", en(&r));
    }

    #[test]
    fn discounts_and_legacy_rows_render() {
        let r = Reason::OtherPlaceDiscount {
            place: "伊東市".into(),
            prefecture: "静岡県".into(),
        };
        assert!(ja(&r).contains("別の自治体「伊東市」（静岡県）"));
        assert!(en(&r).contains("a different municipality"));
        let old = Reason::from("handle @a imitates @b");
        assert_eq!(ja(&old), "handle @a imitates @b");
        assert_eq!(en(&old), "handle @a imitates @b");
    }
}

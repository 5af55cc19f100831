//! criterion micro-benchmarks: the normaliser, each signal, the avatar thumbnail and hash, and
//! one whole assessment. `cargo bench --bench micro` (release build; numbers are per call).

use criterion::{criterion_group, criterion_main, Criterion};
use narisumashi::config::Detection;
use narisumashi::detect::score::CandidateView;
use narisumashi::detect::{bio, handle, name, normalize, places, Detector, OfficialFeatures};
use narisumashi::model::{OfficialAccount, Platform};
use std::hint::black_box;

fn official(platform: Platform, h: &str, n: &str) -> OfficialFeatures {
    OfficialFeatures::new(
        OfficialAccount {
            platform,
            handle: h.into(),
            display_name: n.into(),
            url: format!("https://x.com/{h}"),
            avatar: None,
            operator: None,
            bio: None,
            purpose: None,
        },
        None,
    )
}

fn picture(w: u32, h: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
        let d = ((x as i32 - 120).pow(2) + (y as i32 - 90).pow(2)) < 3600;
        if d {
            image::Rgb([240, 200, 40])
        } else {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 160])
        }
    }))
}

fn encoded(img: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn text(c: &mut Criterion) {
    let raw = "【公式】ＢＵＮＫＹＯ‐ｃｉｔｙ 文京区\u{200b}広報";
    c.bench_function("normalize::fold_name", |b| {
        b.iter(|| normalize::fold_name(black_box(raw)))
    });
    c.bench_function("normalize::skeleton_lower", |b| {
        b.iter(|| normalize::skeleton_lower(black_box("bunkyо_c1ty")))
    });
    let of = handle::forms("bunkyo_city");
    let cf = handle::forms("bunkyo_clty_official");
    c.bench_function("handle::forms", |b| {
        b.iter(|| handle::forms(black_box("bunkyo_clty_official")))
    });
    c.bench_function("handle::compare", |b| {
        b.iter(|| handle::compare(black_box(&of), black_box(&cf), false))
    });
    let on = name::comparable("文京区中小企業ダイバーシティ人材採用促進事業");
    let cn = name::comparable("文京区 中小企業ダイバーシテイ人材採用");
    c.bench_function("name::similarity", |b| {
        b.iter(|| name::similarity(black_box(&on), black_box(&cn)))
    });
    let bio_text = "文京区の公式アカウントです。イベント情報をお届けします（非公式ではありません）";
    c.bench_function("bio::claims", |b| {
        b.iter(|| bio::claims(black_box(bio_text)))
    });
    c.bench_function("places::named_in_text", |b| {
        b.iter(|| places::named_in_text(black_box("中野区と文京区のラーメン好き")))
    });
    let d = Detector::new(
        vec![
            official(Platform::X, "bunkyo_city", "文京区"),
            official(
                Platform::X,
                "b_diverjinzai",
                "文京区中小企業ダイバーシティ人材採用促進事業",
            ),
            official(Platform::Bluesky, "bunkyo-city.bsky.social", "文京区"),
        ],
        Detection::default(),
        "文京区",
    );
    let view = CandidateView {
        handle: "bunkyo_clty",
        display_name: Some("文京区【公式】"),
        bio: Some(bio_text),
        avatar: None,
        ..Default::default()
    };
    c.bench_function("Detector::assess (3 officials)", |b| {
        b.iter(|| d.assess(Platform::X, black_box(&view)))
    });
}

fn avatars(c: &mut Criterion) {
    let img = picture(400, 400);
    let png = encoded(&picture(200, 200), image::ImageFormat::Png);
    let jpeg = encoded(&img, image::ImageFormat::Jpeg);
    let thumb = narisumashi::avatar::decode::thumbnail(&png).unwrap();
    c.bench_function("thumbnail (PNG 200 px)", |b| {
        b.iter(|| narisumashi::avatar::decode::thumbnail(black_box(&png)).unwrap())
    });
    c.bench_function("thumbnail (JPEG 400 px)", |b| {
        b.iter(|| narisumashi::avatar::decode::thumbnail(black_box(&jpeg)).unwrap())
    });
    c.bench_function("full decode (JPEG 400 px)", |b| {
        b.iter(|| narisumashi::avatar::decode(black_box(&jpeg)).unwrap())
    });
    c.bench_function("hash_image (thumbnail)", |b| {
        b.iter(|| narisumashi::avatar::hash_image(black_box(&thumb)))
    });
    // A flat logo (a mark on one colour) also gets its outline.
    let flat = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(128, 128, |x, y| {
        let mark = (40..88).contains(&x) && (36..92).contains(&y);
        image::Rgb(if mark {
            [255, 255, 255]
        } else {
            [40, 180, 170]
        })
    }));
    assert!(narisumashi::avatar::hash_image(&flat).outline.is_some());
    c.bench_function("hash_image (flat thumbnail, with outline)", |b| {
        b.iter(|| narisumashi::avatar::hash_image(black_box(&flat)))
    });
    c.bench_function("centre_colour (thumbnail)", |b| {
        b.iter(|| narisumashi::avatar::centre_colour(black_box(&thumb)))
    });
    let grey = flat.to_luma8();
    c.bench_function("outline_of (flat thumbnail)", |b| {
        b.iter(|| narisumashi::avatar::outline_of(black_box(&grey)))
    });
    let h = narisumashi::avatar::hash_image(&thumb);
    let h2 = narisumashi::avatar::hash_bytes(&jpeg).unwrap();
    c.bench_function("AvatarHash::distance", |b| {
        b.iter(|| black_box(&h).distance(black_box(&h2)))
    });
}

/// The local descriptor (issue 10): finding a picture's corners, matching them against the
/// officials' index, and the one-off calibration against the background corpus. The pictures
/// are the labelled set's avatars: 14 as official avatars, others as candidates.
fn corners(c: &mut Criterion) {
    use narisumashi::avatar::{decode, local_features, official_local_features};
    use narisumashi::detect::{background, local};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/eval/avatars");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let thumbs: Vec<_> = names
        .iter()
        .take(64)
        .map(|p| decode::thumbnail(&std::fs::read(p).unwrap()).unwrap())
        .collect();
    c.bench_function("local_features (64 thumbnails)", |b| {
        b.iter(|| thumbs.iter().map(local_features).count())
    });
    let grays: Vec<_> = thumbs.iter().map(|t| t.to_luma8()).collect();
    c.bench_function("keypoints (64 grey thumbnails)", |b| {
        b.iter(|| {
            grays
                .iter()
                .map(|g| narisumashi::avatar::keypoints::keypoints(g, 48).0.len())
                .sum::<usize>()
        })
    });
    let officials: Vec<_> = thumbs[..14].iter().map(official_local_features).collect();
    let refs: Vec<_> = officials.iter().map(Some).collect();
    let index = local::LocalIndex::new(&refs);
    let candidates: Vec<_> = thumbs[14..].iter().map(local_features).collect();
    c.bench_function("LocalIndex::matches (50 candidates, 14 officials)", |b| {
        b.iter(|| {
            candidates
                .iter()
                .map(|k| index.matches(k).len())
                .sum::<usize>()
        })
    });
    let mut group = c.benchmark_group("calibration");
    group.sample_size(10);
    group.bench_function("LocalCalibration::of_all (14 officials)", |b| {
        b.iter(|| local::LocalCalibration::of_all(&index, 14, black_box(background::corners())))
    });
    group.finish();
}

criterion_group!(benches, text, avatars, corners);
criterion_main!(benches);

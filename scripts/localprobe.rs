//! Probe of the local avatar features (branch `local-features`, issue 10): prints, for each
//! candidate picture, the best consensus with any official avatar and its corner count, and
//! the time spent on features and matching alone (decoding excluded).
//!
//!   cargo run --release --example localprobe OFFICIALS.txt CANDIDATES.tsv
//!   python3 scripts/localprobe.py SET...   (per kind, against `eval --json` of the same sets)
//!
//! OFFICIALS.txt: one avatar path per line. CANDIDATES.tsv: `id<TAB>path` per line.
use narisumashi::avatar;
use narisumashi::detect::local::LocalIndex;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let read = |p: &str| std::fs::read_to_string(p).expect("readable list");
    let thumb = |p: &str| avatar::decode::thumbnail(&std::fs::read(p).ok()?).ok();
    let officials: Vec<_> = read(&args[1])
        .lines()
        .filter_map(thumb)
        .map(|t| avatar::official_local_features(&t))
        .collect();
    let index = LocalIndex::new(&officials.iter().map(Some).collect::<Vec<_>>());
    let (mut features, mut matching, mut n) = (Duration::ZERO, Duration::ZERO, 0);
    for line in read(&args[2]).lines() {
        let Some((id, path)) = line.split_once('\t') else {
            continue;
        };
        let Some(t) = thumb(path) else { continue };
        let start = Instant::now();
        let k = avatar::local_features(&t);
        let mid = Instant::now();
        let best = index
            .matches(&k)
            .iter()
            .max_by_key(|m| m.inliers)
            .map_or("0\t0".to_string(), |m| {
                format!("{}\t{:.2}", m.inliers, m.recovered)
            });
        matching += mid.elapsed();
        features += mid - start;
        n += 1;
        println!("{id}\t{best}\t{}", k.0.len());
    }
    eprintln!(
        "{n} pictures: features {:.1} µs, matching {:.1} µs per picture",
        features.as_secs_f64() * 1e6 / n.max(1) as f64,
        matching.as_secs_f64() * 1e6 / n.max(1) as f64
    );
}

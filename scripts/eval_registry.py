#!/usr/bin/env python3
"""Writes a made-up registry (narisumashi.toml + avatars) for any municipality, so the detector
can be scored on officials it was never developed on (issue 10).

    python3 scripts/eval_registry.py --municipality 伊東市 --seed 3 --out /tmp/reg-ito
    python3 scripts/eval_registry.py --municipality random --seed 8 --out /tmp/reg-any
    python3 scripts/eval_registry.py --municipality みらい市 --romaji mirai --prefecture 未来県 \\
        --out /tmp/reg-mirai

`--municipality` is a name or code from `data/municipalities.tsv`, `random` (one picked by the
seed), or a made-up name (then `--romaji` is required); `police:PREFECTURE` or `police:random`
makes the registry of a prefectural police instead (静岡県警察: its desks, 県警 handles). The officials are drawn from a table of
departments (広報, 防災, 子育て, 観光, 図書館, …) with varied handle styles and platforms; about
half the registries have no account named after the organisation itself. Avatars: detailed
drawn emblems, flat logos made of a real held-out icon-theme glyph on one colour (see
`real_images.py`), drawn flat icons, and crops of held-out photographs. `gen_eval.py
--registry-from-municipality` calls this and then builds its set on the new registry.
"""

from __future__ import annotations

import argparse
import colorsys
import csv
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import avatars as av  # noqa: E402
import real_images  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# (name after the place, handle words, operator, purpose)
DEPARTMENTS = [
    ("広報", ["koho", "kouhou", "pr"], "広報課", "市政情報の発信"),
    ("危機管理防災課", ["bousai", "bosai", "kikikanri"], "危機管理防災課", "防災・災害情報"),
    ("防災情報", ["bousai", "bosai"], "防災課", "防災・災害情報"),
    ("子育て支援課", ["kosodate", "kosodate_shien"], "子育て支援課", "子育て情報"),
    ("観光課", ["kanko", "kankou", "tourism"], "観光課", "観光情報"),
    ("観光情報", ["kanko", "visit"], "観光振興課", "観光情報"),
    ("立図書館", ["library", "toshokan"], "中央図書館", "図書館のお知らせ"),
    ("健康づくり課", ["kenko", "health"], "健康推進課", "健康・保健の情報"),
    ("議会", ["gikai", "council"], "議会事務局", "議会の情報"),
    ("上下水道局", ["suido", "water"], "上下水道局", "水道のお知らせ"),
    ("ごみ減量推進課", ["gomi", "recycle"], "環境課", "ごみ・リサイクル"),
    ("フォト", ["photo", "shashin"], "シティプロモーション課", "まちの写真"),
    ("消防本部", ["fire", "shobo"], "消防本部", "火災・救急の情報"),
    ("教育委員会", ["kyoiku", "edu"], "教育委員会", "教育の情報"),
    ("高齢者福祉課", ["fukushi", "kaigo"], "高齢者福祉課", "福祉の情報"),
]
# A prefectural police's desks: (name after 〇〇県警察, handle words, operator, purpose).
POLICE_DEPARTMENTS = [
    ("", ["police"], "広報相談課", "県警察からのお知らせ"),
    ("本部 広報", ["koho", "pr"], "広報相談課", "県警察からのお知らせ"),
    (" 交通部", ["kotsu", "traffic"], "交通企画課", "交通安全の情報"),
    (" 生活安全部", ["seian", "bohan"], "生活安全企画課", "防犯の情報"),
    (" サイバー犯罪対策課", ["cyber"], "サイバー犯罪対策課", "サイバー犯罪の注意喚起"),
    (" 少年課", ["shonen", "youth"], "少年課", "少年の非行防止"),
    (" 警備部 災害対策", ["saigai", "bousai"], "警備課", "災害警備の情報"),
    (" 採用", ["saiyo", "recruit"], "警務課", "採用の情報"),
]
POLICE_HANDLE_FORMS = ["{r}_police_{w}", "{r}kenkei_{w}", "{r}_pref_{w}", "{w}_{r}police",
                       "{r}pp_{w}"]
POLICE_MAIN_HANDLES = ["{r}_police", "{r}_pref_police", "{r}kenkei", "pref{r}_police"]
KIND_WORDS = {"市": "city", "区": "city", "町": "town", "村": "village"}
HANDLE_FORMS = ["{r}_{w}", "{r}{k}_{w}", "{w}_{r}", "{k}_{r}_{w}", "{r}{w}", "{r}_{k}_{w}",
                "{r}.{w}"]
NAME_FORMS = ["{m}{d}", "{m}{d}", "{m}{d}", "{s}{d}", "{m} {d}", "{m}{d} 公式"]
MAIN_HANDLES = ["{r}_{k}", "{k}_{r}", "{r}{k}", "{r}_koushiki", "{r}_official"]


def load_municipalities():
    with open(ROOT / "data" / "municipalities.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def hepburn(romaji: str) -> str:
    for a, b in (("ou", "o"), ("uu", "u"), ("oo", "o")):
        romaji = romaji.replace(a, b)
    return romaji


def find_municipality(spec: str, rng: random.Random, romaji=None, prefecture=None):
    munis = load_municipalities()
    if spec == "random":
        return rng.choice(munis)
    for m in munis:
        if spec in (m["name"], m["code"], m["romaji"], m["prefecture"] + m["name"]):
            return m
    if not romaji:
        sys.exit(f"{spec}: not in data/municipalities.tsv; give --romaji for a made-up one")
    stem = spec.rstrip("市区町村") or spec
    return dict(code="", prefecture=prefecture or "", name=spec, kana="", stem=stem,
                stem_kana="", romaji=romaji)


def find_prefecture(spec: str, rng: random.Random):
    """A prefecture as a municipality-like row: its name, stem and the romanisation of the
    municipality of the same stem (静岡 for 静岡県); 東京都 and 北海道 have none and are left out."""
    by_pref = {}
    for m in load_municipalities():
        if m["stem"] == m["prefecture"][:-1]:
            by_pref.setdefault(m["prefecture"], m)
    if spec == "random":
        spec = rng.choice(sorted(by_pref))
    if spec not in by_pref:
        sys.exit(f"{spec}: no prefecture of that name with a romanisation")
    m = by_pref[spec]
    return dict(code="", prefecture=spec, name=spec, kana="", stem=m["stem"], stem_kana="",
                romaji=m["romaji"])


def police_officials(rng: random.Random, pref: dict, r: str, n: int):
    """The accounts of 〇〇県警察: always its main account, then desks."""
    org = pref["name"] + "警察"
    officials = [dict(platform="x", handle=rng.choice(POLICE_MAIN_HANDLES).format(r=r),
                      display_name=org, operator="広報相談課",
                      purpose="県警察からのお知らせ")]
    handles = {officials[0]["handle"]}
    for d_name, words, operator, purpose in rng.sample(POLICE_DEPARTMENTS[1:], n - 1):
        w = rng.choice(words)
        for _ in range(10):
            h = rng.choice(POLICE_HANDLE_FORMS).format(r=r, w=w)
            if h not in handles:
                break
        name = rng.choice([f"{org}{d_name}", f"{pref['stem']}県警{d_name}"])
        platform = rng.choices(["x", "bluesky", "instagram", "mastodon", "misskey"],
                               [6, 2, 2, 1, 1])[0]
        officials.append(dict(platform=platform, handle=h, display_name=name.strip(),
                              operator=operator, purpose=purpose))
        handles.add(h)
    return org, officials


def colour(rng: random.Random):
    r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.5, 0.9), rng.uniform(0.45, 0.85))
    return int(r * 255), int(g * 255), int(b * 255)


def make_avatar(kind: str, rng: random.Random, real: real_images.RealImages, used: set):
    """(image, description, source details for avatar_sources.json)."""
    if kind == "flat_real":
        glyph, path = real.glyph(rng, exclude=used)
        if glyph is not None:
            used.add(path)
            bg, scale = colour(rng), rng.uniform(0.5, 0.72)
            return real_images.flat_logo(glyph, bg, 400, scale), f"flat_real:{path.name}", \
                dict(kind="flat_real", icon=str(path), background=list(bg), scale=scale)
        kind = "flat_drawn"
    if kind == "photo":
        img = real.photo_crop(rng, 400)
        if img is not None:
            return img, "photo", dict(kind="photo")
        kind = "emblem"
    if kind == "flat_drawn":
        bg = colour(rng)
        return av.flat_icon(rng, bg, (255, 255, 255), 400), "flat_drawn", \
            dict(kind="flat_drawn", background=list(bg))
    return av.emblem(rng, 400), "emblem", dict(kind="emblem")


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def build(spec: str, seed: int, out: Path, n_officials: int = 5, romaji=None, prefecture=None,
          themes=real_images.DEFAULT_THEMES) -> Path:
    """Writes `out/narisumashi.toml` and `out/avatars/`; returns the config's path."""
    rng = random.Random(f"registry:{seed}:{spec}")
    police = spec.startswith("police:")
    m = (find_prefecture(spec.split(":", 1)[1], rng) if police
         else find_municipality(spec, rng, romaji, prefecture))
    r = hepburn(m["romaji"])
    kind = "police" if police else KIND_WORDS.get(m["name"][-1], "city")
    real = real_images.RealImages(themes)
    out.mkdir(parents=True, exist_ok=True)
    (out / "avatars").mkdir(exist_ok=True)
    for old in (out / "avatars").glob("*.png"):
        old.unlink()

    officials = []
    handles = set()
    org = m["name"]
    if police:
        org, officials = police_officials(rng, m, r, n_officials)
    elif rng.random() < 0.5:
        h = rng.choice(MAIN_HANDLES).format(r=r, k=kind)
        officials.append(dict(platform=rng.choice(["x", "x", "bluesky"]), handle=h,
                              display_name=m["name"], operator="広報課", purpose="市政情報の発信"))
    depts = [] if police else rng.sample(DEPARTMENTS,
                                         min(len(DEPARTMENTS), n_officials - len(officials)))
    for d_name, words, operator, purpose in depts:
        w = rng.choice(words)
        for _ in range(10):
            h = rng.choice(HANDLE_FORMS).format(r=r, w=w, k=kind)
            if h not in handles:
                break
        stem = m["stem"] or m["name"]
        name = rng.choice(NAME_FORMS).format(m=m["name"], s=stem, d=d_name)
        platform = rng.choices(["x", "bluesky", "instagram", "mastodon", "misskey"],
                               [6, 2, 2, 1, 1])[0]
        officials.append(dict(platform=platform, handle=h, display_name=name, operator=operator,
                              purpose=purpose))
        handles.add(h)
    # Avatars: at least one flat logo of a real glyph and one detailed picture.
    kinds = ["flat_real", "emblem"] + rng.choices(
        ["emblem", "flat_real", "flat_drawn", "photo"], [4, 3, 1, 2], k=len(officials))
    rng.shuffle(kinds)
    kinds = kinds[: len(officials)]
    if "flat_real" not in kinds:
        kinds[0] = "flat_real"
    if "emblem" not in kinds and "photo" not in kinds:
        kinds[-1] = "emblem"
    used: set = set()
    sources = {}
    for o, k in zip(officials, kinds):
        if o["platform"] == "bluesky":
            o["handle"] = o["handle"].replace("_", "-").replace(".", "-") + ".bsky.social"
            o["url"] = f"https://bsky.app/profile/{o['handle']}"
        elif o["platform"] == "mastodon":
            o["handle"] = o["handle"].replace(".", "_").replace("-", "_") + "@mstdn.jp"
            o["url"] = f"https://mstdn.jp/@{o['handle'].split('@')[0]}"
        elif o["platform"] == "misskey":
            o["handle"] = o["handle"].replace(".", "_").replace("-", "_") + "@misskey.io"
            o["url"] = f"https://misskey.io/@{o['handle'].split('@')[0]}"
        elif o["platform"] == "instagram":
            o["url"] = f"https://www.instagram.com/{o['handle']}/"
        else:
            h = o["handle"].replace(".", "_")
            if len(h) > 15:
                # X allows 15 characters: the place and the department's shortest word.
                words = next((d[1] for d in DEPARTMENTS + POLICE_DEPARTMENTS
                              if d[2] == o["operator"]), ["pr"])
                h = f"{r}_{min(words, key=len)}"
            o["handle"] = h[:15].rstrip("_")
            o["url"] = f"https://x.com/{o['handle']}"
        img, how, details = make_avatar(k, rng, real, used)
        sources[o["handle"]] = details
        file = "avatars/" + "".join(c if c.isalnum() else "_" for c in o["handle"]) + ".png"
        av.save(img, out / file)
        o["avatar"] = file
        o["avatar_kind"] = how
        where = "" if police else m["prefecture"]
        o["bio"] = f"{where}{o['display_name']}の公式アカウントです。{o['purpose']}をお知らせします。"

    lines = [f"# Made-up registry for {m['name']} (scripts/eval_registry.py --municipality "
             f"{spec} --seed {seed}); every handle is invented.", "",
             "[organization]", f"name = {toml_str(org)}",
             f"department = {toml_str(officials[0]['operator'])}",
             f"website = {toml_str(f'https://www.{kind}.{r}.example.jp/')}",
             'contact = "000-0000-0000"',
             f"name_en = {toml_str(r.capitalize() + (' Prefectural Police' if police else ' ' + kind.capitalize()))}", "",
             "[storage]", 'database = "narisumashi.db"', ""]
    for o in officials:
        lines += ["[[official]]"]
        for key in ("platform", "handle", "display_name", "url", "avatar", "operator", "bio",
                    "purpose"):
            lines.append(f"{key} = {toml_str(o[key])}")
        lines.append(f"# avatar: {o['avatar_kind']}")
        lines.append("")
    config = out / "narisumashi.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    # How each avatar was made, so gen_eval.py can draw a different icon of the same set.
    (out / "avatar_sources.json").write_text(json.dumps(sources, ensure_ascii=False, indent=1),
                                             encoding="utf-8")
    where = org if police else m["prefecture"] + m["name"]
    print(f"wrote {config}: {where}, {len(officials)} officials "
          f"({', '.join(o['avatar_kind'].split(':')[0] for o in officials)})", file=sys.stderr)
    return config


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--municipality", required=True)
    ap.add_argument("--romaji", help="for a made-up municipality")
    ap.add_argument("--prefecture", help="for a made-up municipality")
    ap.add_argument("--officials", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--icon-themes", default=",".join(real_images.DEFAULT_THEMES))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    build(args.municipality, args.seed, args.out, args.officials, args.romaji, args.prefecture,
          tuple(args.icon_themes.split(",")))


if __name__ == "__main__":
    main()

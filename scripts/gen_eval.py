#!/usr/bin/env python3
"""Builds a labelled evaluation set for `narisumashi eval` (issue 3).

    pip install pillow
    python3 scripts/gen_eval.py --config fixtures/demo/narisumashi.toml --seed 1 --out /tmp/eval
    cargo run -- --config fixtures/demo/narisumashi.toml eval /tmp/eval/labels.jsonl

Every line of `labels.jsonl` is a candidate (the JSON Lines format of the file source) plus
`label` ("impostor" or "innocent"), `kind` (the attack or innocent family) and `variant` (the
exact trick, for reading failures). Avatars are written next to it under `avatars/`.

The set is built from the official accounts of any registry (`--config`): attacks are derived
from their handles, names and avatars; innocents come from the list of Japan's municipalities
(`data/municipalities.tsv`), from word lists and from generated images. Nothing here knows the
demo's strings, so a different seed or a different registry gives a different, equally hard set.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import tomllib
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import avatars as av  # noqa: E402
import eval_words as ew  # noqa: E402
import real_images  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ["x", "bluesky", "mastodon", "misskey", "instagram", "facebook", "youtube", "tiktok"]

# --------------------------------------------------------------------------------------------
# Word lists (innocent vocabulary; words that occur in an official handle are dropped).

EN_WORDS = ["ramen", "cafe", "books", "bakery", "running", "walk", "kids", "soccer", "tennis",
            "garden", "lover", "diary", "life", "gourmet", "sanpo", "yoga", "piano", "dental",
            "clinic", "fudosan", "hair", "salon", "kitchen", "studio", "design", "sushi", "curry",
            "mama", "papa", "cats", "dogs", "camera", "jazz", "beer", "sake", "bike", "trip",
            "hanaya", "sakaba", "onsen", "baseball", "golf", "manga", "anime", "coffee", "bento"]
JA_INTERESTS = ["ラーメン好き", "カフェ巡り", "で子育て中", "散歩日記", "の不動産屋さん", "テニスクラブ",
                "グルメ探訪", "の花屋", "の歯医者さん", "ランニング部", "のパン屋", "ねこ部",
                "写真部", "の美容室", "サッカー少年団", "古本屋", "ジャズ喫茶", "の居酒屋",
                "で働く人", "在住のエンジニア", "の銭湯めぐり", "ヨガ教室"]
PERSON_FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
                 "吉田", "山田", "佐々木", "松本", "井上", "木村", "清水", "森", "池田", "橋本"]
PERSON_FAMILY_ROMAJI = ["sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto",
                        "nakamura", "kobayashi", "kato", "yoshida", "yamada", "sasaki",
                        "matsumoto", "inoue", "kimura", "shimizu", "mori", "ikeda", "hashimoto"]
PERSON_GIVEN = [("たろう", "taro"), ("はなこ", "hanako"), ("けんじ", "kenji"), ("ゆうこ", "yuko"),
                ("まさし", "masashi"), ("あきこ", "akiko"), ("ひろし", "hiroshi"),
                ("さくら", "sakura"), ("だいすけ", "daisuke"), ("めぐみ", "megumi")]
PARTNERS = [("社会福祉協議会", "shakyo"), ("観光協会", "kanko_kyokai"), ("商店街連合会", "shotengai"),
            ("商工会議所", "cci"), ("国際交流協会", "kokusai"), ("シルバー人材センター", "silver"),
            ("体育協会", "sports_assoc"), ("消防団", "shobodan"), ("図書館友の会", "library_friends")]
GENERIC_NAMES = ["プレゼント企画", "キャンペーン事務局", "お得な情報", "懸賞まとめ", "ギフト配布中",
                 "毎日抽選", "副業の案内", "相互フォロー", "info", "news daily"]
CLAIM_BIOS = ["{org}の公式アカウントです。", "{org}公式。お知らせを発信します。",
              "こちらは{org}のオフィシャルアカウントです。DMでお問い合わせください。",
              "Official account of {org}.", "{org}が運営する公式アカウントです。当選者にはDMします。"]
SCAM_BIOS = ["当選者の方にはDMでご連絡します。", "プレゼントキャンペーン実施中！", "フォローとRTで応募完了",
             "給付金のご案内はこちら", ""]

QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
VOWELS = "aeiou"


def neighbours(c: str) -> list[str]:
    for r, row in enumerate(QWERTY):
        i = row.find(c)
        if i < 0:
            continue
        out = []
        for dr in (-1, 0, 1):
            rr = r + dr
            if 0 <= rr < len(QWERTY):
                for di in (-1, 0, 1):
                    ii = i + di
                    if (dr or di) and 0 <= ii < len(QWERTY[rr]):
                        out.append(QWERTY[rr][ii])
        return out
    return []


# --------------------------------------------------------------------------------------------
# Handle attacks

def split_handle(handle: str) -> tuple[str, str]:
    """(local part, suffix such as `.bsky.social` or `@instance`)."""
    h = handle.lstrip("@")
    for suffix in (".bsky.social",):
        if h.endswith(suffix):
            return h[: -len(suffix)], suffix
    if "@" in h:
        a, b = h.split("@", 1)
        return a, "@" + b
    return h, ""


def letter_positions(s: str) -> list[int]:
    return [i for i, c in enumerate(s) if c.isalpha()]


def typo(local: str, rng: random.Random) -> tuple[str, str]:
    ops = ["omission", "repetition", "transposition", "neighbour", "insertion", "vowel_swap",
           "bit_flip", "added", "separator"]
    for _ in range(50):
        op = rng.choice(ops)
        s = local
        pos = letter_positions(s)
        if not pos:
            break
        i = rng.choice(pos)
        if op == "omission":
            s = s[:i] + s[i + 1:]
        elif op == "repetition":
            s = s[:i] + s[i] + s[i:]
        elif op == "transposition":
            j = i + 1
            if j >= len(s) or not s[j].isalpha() or s[j] == s[i]:
                continue
            s = s[:i] + s[j] + s[i] + s[j + 1:]
        elif op == "neighbour":
            nb = neighbours(s[i])
            if not nb:
                continue
            s = s[:i] + rng.choice(nb) + s[i + 1:]
        elif op == "insertion":
            nb = neighbours(s[i]) or list("aeiou")
            s = s[:i] + rng.choice(nb) + s[i:]
        elif op == "vowel_swap":
            vs = [k for k in pos if s[k] in VOWELS]
            if not vs:
                continue
            i = rng.choice(vs)
            s = s[:i] + rng.choice([v for v in VOWELS if v != s[i]]) + s[i + 1:]
        elif op == "bit_flip":
            flipped = chr(ord(s[i]) ^ (1 << rng.randint(0, 5)))
            if not (flipped.islower() and flipped.isascii() or flipped.isdigit()):
                continue
            s = s[:i] + flipped + s[i + 1:]
        elif op == "added":
            s = s + rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_")
        elif op == "separator":
            seps = [k for k, c in enumerate(s) if c in "_-."]
            if seps and rng.random() < 0.6:
                k = rng.choice(seps)
                s = s[:k] + rng.choice(["", "-", ".", "__", "_"]) + s[k + 1:]
            else:
                k = rng.randint(1, len(s) - 1)
                s = s[:k] + rng.choice("_-.") + s[k:]
        if s != local and len(s) >= 3:
            return s, op
    return local + "x", "added"


ASCII_CONFUSABLE = [("l", "1"), ("l", "I"), ("i", "l"), ("i", "1"), ("o", "0"), ("m", "rn"),
                    ("w", "vv"), ("d", "cl"), ("I", "l")]
UNICODE_CONFUSABLE = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у",
                      "i": "і", "s": "ѕ", "j": "ј", "h": "һ", "k": "κ", "n": "ո", "u": "υ",
                      "v": "ν", "t": "τ"}
GREEK = {"o": "ο", "a": "α", "i": "ι", "u": "υ", "v": "ν", "k": "κ"}


def confusable(local: str, rng: random.Random) -> tuple[str, str]:
    for _ in range(50):
        r = rng.random()
        if r < 0.45:
            a, b = rng.choice(ASCII_CONFUSABLE)
            idx = [k for k in range(len(local)) if local.startswith(a, k)]
            if not idx:
                continue
            k = rng.choice(idx)
            return local[:k] + b + local[k + len(a):], f"ascii_{a}_{b}"
        if r < 0.75:
            table = UNICODE_CONFUSABLE if rng.random() < 0.7 else GREEK
            idx = [k for k, c in enumerate(local) if c in table]
            if not idx:
                continue
            out = list(local)
            for k in rng.sample(idx, min(len(idx), rng.randint(1, 2))):
                out[k] = table[out[k]]
            return "".join(out), "unicode_script"
        if r < 0.9:
            k = rng.choice(letter_positions(local) or [0])
            return local[:k] + chr(ord(local[k]) + 0xFEE0) + local[k + 1:], "fullwidth_char"
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in local), "fullwidth"
    return local.replace("o", "0", 1), "ascii_o_0"


AFFIX_SUFFIXES = ["_official", "_jp", "_koshiki", "_info", "_staff", "_real", "official",
                  "_", "__", "1", "2024", "_2026", "_pr", "jp", "_official_jp", "_news"]
AFFIX_PREFIXES = ["official_", "real_", "the_", "jp_", "info_", "koshiki_"]
NAME_MARKERS = ["【公式】{n}", "{n}【公式】", "{n}公式", "公式 {n}", "{n}(公式)", "{n}（公式）",
                "{n} official", "{n} Official", "{n}✅", "📢{n}", "{n}🌸", "{n}公式アカウント"]


def affix(local: str, rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.7:
        a = rng.choice(AFFIX_SUFFIXES)
        return local + a, "suffix" + a
    a = rng.choice(AFFIX_PREFIXES)
    return a + local, "prefix_" + a


LONG_VOWEL = [("ou", "o"), ("ou", "oh"), ("uu", "u"), ("oo", "o"), ("o", "ou"), ("o", "oh"),
              ("o", "oo")]
HEPBURN_KUNREI = [("shi", "si"), ("tsu", "tu"), ("ji", "zi"), ("chi", "ti"), ("fu", "hu"),
                  ("sha", "sya"), ("sho", "syo"), ("shu", "syu"), ("cho", "tyo"), ("ja", "zya"),
                  ("jo", "zyo"), ("si", "shi"), ("tu", "tsu"), ("zi", "ji"), ("ti", "chi"),
                  ("hu", "fu")]
ENGLISH = {"koho": ["pr", "news"], "kouhou": ["pr"], "bosai": ["disaster", "bousai"],
           "bousai": ["disaster", "bosai"], "kanko": ["tourism"], "kankou": ["tourism"],
           "kosodate": ["childcare"], "toshokan": ["library"], "gikai": ["council"],
           "kenko": ["health"], "city": ["shi"], "shi": ["city"], "ku": ["city", "ward"],
           "shashin": ["photo"], "photo": ["shashin"]}
PLACE_ADD = ["_city", "_ku", "_shi", "city", "ku", "shi", "_town"]


def words_of(local: str) -> tuple[list[str], list[str]]:
    words, seps, cur = [], [], ""
    for c in local:
        if c in "_-.":
            words.append(cur)
            seps.append(c)
            cur = ""
        else:
            cur += c
    words.append(cur)
    return words, seps


def join_words(words, seps):
    out = words[0]
    for s, w in zip(seps, words[1:]):
        out += s + w
    return out


def romanisation(local: str, rng: random.Random, place_romaji: str) -> tuple[str, str] | None:
    words, seps = words_of(local)
    options = []
    for wi, w in enumerate(words):
        for a, b in LONG_VOWEL:
            if a in w and len(w) >= 4:
                options.append(("long_vowel", wi, a, b))
        for a, b in HEPBURN_KUNREI:
            if a in w:
                options.append(("hepburn_kunrei", wi, a, b))
        if w in ENGLISH:
            options.append(("english", wi, w, None))
    if len(words) >= 2:
        options.append(("swap_order", 0, None, None))
    if place_romaji and any(w == place_romaji for w in words):
        options.append(("place_word_added", 0, None, None))
    if any(w in ("city", "ku", "shi", "town") for w in words):
        options.append(("place_word_dropped", 0, None, None))
    if not options:
        return None
    kind, wi, a, b = rng.choice(options)
    words = list(words)
    if kind in ("long_vowel", "hepburn_kunrei"):
        w = words[wi]
        idx = [k for k in range(len(w)) if w.startswith(a, k)]
        k = rng.choice(idx)
        words[wi] = w[:k] + b + w[k + len(a):]
    elif kind == "english":
        words[wi] = rng.choice(ENGLISH[words[wi]])
    elif kind == "swap_order":
        i, j = rng.sample(range(len(words)), 2)
        words[i], words[j] = words[j], words[i]
    elif kind == "place_word_added":
        wi = words.index(place_romaji)
        words[wi] = words[wi] + rng.choice(PLACE_ADD)
    elif kind == "place_word_dropped":
        keep = [k for k, w in enumerate(words) if w not in ("city", "ku", "shi", "town")]
        if not keep:
            return None
        words = [words[k] for k in keep]
        seps = seps[: len(words) - 1]
    out = join_words(words, seps)
    if out == local:
        return None
    return out, kind


# --------------------------------------------------------------------------------------------
# Display-name attacks

LOOKALIKE = {"カ": "力", "ロ": "口", "エ": "工", "ニ": "二", "タ": "夕", "ト": "卜", "ハ": "八",
             "へ": "ヘ", "ヘ": "へ", "り": "リ", "リ": "り", "ベ": "べ", "ペ": "ぺ", "市": "巿",
             "未": "末", "末": "未", "土": "士", "士": "土", "区": "區", "広": "廣", "国": "國",
             "館": "舘", "温": "溫", "京": "亰", "県": "縣", "会": "會", "沢": "澤", "浜": "濱",
             "崎": "﨑", "高": "髙", "ー": "一", "オ": "才", "チ": "千", "ミ": "三"}


def to_hiragana(s: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in s)


def to_katakana(s: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in s)


# NFKC maps half-width to full-width, not back; build the reverse table from the half-width block.
HALF_KATA = {}
for cp in range(0xFF66, 0xFF9E):
    HALF_KATA[unicodedata.normalize("NFKC", chr(cp))] = chr(cp)
DAKUTEN = {}
for full in "ガギグゲゴザジズゼゾダヂヅデドバビブベボ":
    base = unicodedata.normalize("NFD", full)[0]
    DAKUTEN[full] = HALF_KATA.get(base, base) + "\uFF9E"
for full in "パピプペポ":
    base = unicodedata.normalize("NFD", full)[0]
    DAKUTEN[full] = HALF_KATA.get(base, base) + "\uFF9F"


def half_width(s: str) -> str:
    out = ""
    for c in s:
        if c in DAKUTEN:
            out += DAKUTEN[c]
        elif c in HALF_KATA:
            out += HALF_KATA[c]
        elif "!" <= c <= "~":
            out += c
        else:
            out += c
    return out


def full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def lookalike_name(name: str, rng: random.Random) -> tuple[str, str]:
    idx = [k for k, c in enumerate(name) if c in LOOKALIKE]
    if not idx:
        return to_hiragana(name) if to_hiragana(name) != name else name + "\u200b", "kana"
    out = list(name)
    for k in rng.sample(idx, min(len(idx), rng.randint(1, 3))):
        out[k] = LOOKALIKE[out[k]]
    return "".join(out), "lookalike_chars"


def name_trick(name: str, rng: random.Random) -> tuple[str, str]:
    for _ in range(20):
        t = rng.choice(["full_width", "half_width", "hiragana", "katakana", "zero_width", "bidi",
                        "spaces", "symbols", "suffix", "suffix", "marker"])
        if t == "full_width":
            out = full_width(name)
        elif t == "half_width":
            out = half_width(name)
        elif t == "hiragana":
            out = to_hiragana(name)
        elif t == "katakana":
            out = to_katakana(name)
        elif t == "zero_width":
            k = rng.randint(1, max(1, len(name) - 1))
            out = name[:k] + rng.choice(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]) + name[k:]
        elif t == "bidi":
            k = rng.randint(0, len(name))
            out = name[:k] + rng.choice(["\u202a", "\u202b", "\u202d", "\u200e", "\u2066"]) + name[k:]
        elif t == "spaces":
            k = rng.randint(1, max(1, len(name) - 1))
            out = name[:k] + rng.choice([" ", "　", "  "]) + name[k:]
        elif t == "symbols":
            k = rng.randint(1, max(1, len(name) - 1))
            out = name[:k] + rng.choice(["・", "★", "☆", "♪", "｜", "✨", "/"]) + name[k:]
        elif t == "suffix":
            out = name + rng.choice(["", " "]) + rng.choice(["応援", "お知らせ", "事務局", "情報",
                                                            "応援団", "インフォ", "運営"])
        else:
            out = rng.choice(NAME_MARKERS).format(n=name)
        if out != name:
            return out, t
    return name + "\u200b", "zero_width"


# --------------------------------------------------------------------------------------------


def hepburn_handle_style(romaji: str) -> str:
    s = romaji
    for a, b in (("ou", "o"), ("uu", "u"), ("oo", "o")):
        s = s.replace(a, b)
    return s


def load_municipalities():
    with open(ROOT / "data" / "municipalities.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def is_flat(img: Image.Image) -> bool:
    """Three colours (after coarse quantising, which forgives anti-aliased edges) cover 90 %."""
    small = img.convert("RGB").resize((64, 64), Image.NEAREST).point(lambda v: v // 32 * 32)
    colours = small.getcolors(64 * 64) or []
    colours.sort(reverse=True)
    top = sum(c for c, _ in colours[:3])
    return top / (64 * 64) > 0.9


def dominant_colours(img: Image.Image):
    small = img.convert("RGB").resize((64, 64))
    colours = sorted(small.getcolors(64 * 64) or [], reverse=True)
    bg = colours[0][1]
    fg = colours[1][1] if len(colours) > 1 else (255, 255, 255)
    return bg, fg


def image_difference(a: Image.Image, b: Image.Image) -> float:
    a = a.convert("L").resize((32, 32))
    b = b.convert("L").resize((32, 32))
    return sum(abs(x - y) for x, y in zip(a.get_flattened_data(), b.get_flattened_data())) / (32 * 32 * 255)


class Builder:
    def __init__(self, config_path: Path, out: Path, seed: int, reference: datetime,
                 themes=real_images.DEFAULT_THEMES):
        self.rng = random.Random(seed)
        # Account facts come from their own stream, so adding them changes no other choice.
        self.facts_rng = random.Random(seed * 1_000_003 + 17)
        self.reference = reference
        self.real = real_images.RealImages(themes)
        self.out = out
        cfg = tomllib.loads(config_path.read_text(encoding="utf-8"))
        self.org = cfg["organization"]["name"]
        self.org_en = cfg["organization"].get("name_en") or ""
        self.org_department = cfg["organization"].get("department") or ""
        self.officials = cfg.get("official", [])
        base = config_path.parent
        self.images = {}
        for o in self.officials:
            if o.get("avatar"):
                self.images[o["handle"]] = Image.open(base / o["avatar"]).convert("RGB")
        self.munis = load_municipalities()
        ours = [m for m in self.munis if m["name"] == self.org]
        self.our_muni = ours[0] if ours else None
        # An organisation of a place that is not the municipality itself (宮崎県警察,
        # 宮崎市消防局): its place is the prefecture or municipality its name begins with.
        # Innocents who use the place's name use that place, not the organisation's name.
        self.place_is_prefecture = False
        head_place = self.org
        if not self.our_muni:
            heads = [m for m in self.munis if self.org.startswith(m["name"])]
            prefs = sorted({m["prefecture"] for m in self.munis if self.org.startswith(m["prefecture"])},
                           key=len)
            if heads:
                self.our_muni = max(heads, key=lambda m: len(m["name"]))
                head_place = self.our_muni["name"]
            elif prefs:
                head_place = prefs[-1]
                self.place_is_prefecture = True
                stem = head_place if head_place == "北海道" else head_place[:-1]
                same = [m for m in self.munis if m["prefecture"] == head_place and m["stem"] == stem]
                self.our_muni = {"prefecture": head_place, "name": head_place, "stem": stem,
                                 "romaji": same[0]["romaji"] if same else ""}
        self.place_romaji = hepburn_handle_style(self.our_muni["romaji"]) if self.our_muni else ""
        if not self.place_romaji and self.org_en:
            # A made-up municipality: its English name gives the romanisation.
            self.place_romaji = self.org_en.split()[0].lower()
        self.prefecture = self.our_muni["prefecture"] if self.our_muni else ""
        self.place_stem = (self.our_muni["stem"] if self.our_muni else "") or \
            (self.org.rstrip("市区町村") or self.org)
        if not self.org_en and self.place_romaji:
            kind = {"市": "City", "区": "City", "町": "Town", "村": "Village"}.get(self.org[-1:],
                                                                                "City")
            if self.place_is_prefecture:
                kind = "Prefectural Police" if self.org.endswith("警察") else "Prefecture"
            self.org_en = f"{self.place_romaji.capitalize()} {kind}"
        self.place_name = head_place
        official_words = set()
        for o in self.officials:
            w, _ = words_of(split_handle(o["handle"])[0].lower())
            official_words.update(w)
        self.en_words = [w for w in EN_WORDS if w not in official_words
                         and not any(w in ow or ow in w for ow in official_words if len(ow) >= 3)]
        self.rows = []
        self.n_images = 0
        self.default_avatar_path = None
        # Written by eval_registry.py: which real icon each official logo was made of.
        sidecar = config_path.parent / "avatar_sources.json"
        self.avatar_sources = json.loads(sidecar.read_text(encoding="utf-8")) \
            if sidecar.exists() else {}

    # -- helpers ------------------------------------------------------------------------------
    def save_avatar(self, img: Image.Image, jpeg_quality: int | None = None) -> str:
        self.n_images += 1
        if jpeg_quality:
            name = f"avatars/a{self.n_images:04d}.jpg"
            av.save(img, self.out / name, "JPEG", jpeg_quality)
        else:
            # Candidate avatars are kept small (real platforms serve 200–400 px).
            if img.width > 200:
                img = img.resize((200, int(img.height * 200 / img.width)), Image.LANCZOS)
            name = f"avatars/a{self.n_images:04d}.png"
            av.save(img, self.out / name)
        return name

    def default_avatar(self) -> str:
        if not self.default_avatar_path:
            self.default_avatar_path = self.save_avatar(av.default_silhouette(200))
        return self.default_avatar_path

    def own_avatar(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return self.save_avatar(av.emblem(self.rng, 200))
        if r < 0.85:
            return self.save_avatar(av.portrait(self.rng, 200))
        return self.save_avatar(av.flat_icon(self.rng, av._colour(self.rng), (255, 255, 255), 200))

    def add(self, label, kind, variant, platform, handle, display_name=None, avatar=None,
            bio=None, default_avatar=False):
        row = {"platform": platform, "handle": handle}
        if display_name is not None:
            row["display_name"] = display_name
        if avatar is not None:
            row["avatar"] = avatar
        if bio:
            row["bio"] = bio
        if default_avatar:
            row["default_avatar"] = True
        row.update(self.facts(label, kind, platform))
        row.update(label=label, kind=kind, variant=variant)
        self.rows.append(row)

    def facts(self, label, kind, platform) -> dict:
        """Account facts relative to the reference date. Impostors are mostly days old with a
        handful of posts, but a quarter are older, active accounts (bought or taken over);
        innocents are mostly established, but a fifth are new. No fact decides alone."""
        r = self.facts_rng

        def log_uniform(lo, hi):
            return int(math.exp(r.uniform(math.log(lo), math.log(hi)))) - 1

        if kind == "official":
            age = r.uniform(2 * 365, 10 * 365)
            posts, followers = log_uniform(300, 20000), log_uniform(1000, 100000)
            verified = r.random() < 0.6
        elif label == "impostor" and r.random() < 0.75:
            age = r.uniform(0.05, 21)
            posts, followers = r.randint(0, 5), log_uniform(1, 41)
            verified = r.random() < 0.08
        elif label == "impostor":
            age = r.uniform(60, 8 * 365)
            posts, followers = log_uniform(6, 3000), log_uniform(11, 3000)
            verified = r.random() < 0.15
        elif r.random() < 0.2:
            age = r.uniform(0.05, 30)
            posts, followers = r.randint(0, 15), log_uniform(1, 31)
            verified = False
        else:
            age = r.uniform(90, 12 * 365)
            posts, followers = log_uniform(11, 30000), log_uniform(6, 20000)
            verified = r.random() < 0.05
        created = self.reference - timedelta(seconds=int(age * 86400))
        out = {"created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"), "posts_count": posts,
               "followers_count": followers}
        if platform == "x":
            out["verified"] = verified
        return out

    def pick(self, with_avatar=False, detailed=False):
        pool = self.officials
        if with_avatar:
            pool = [o for o in pool if o["handle"] in self.images]
        if detailed:
            pool = [o for o in pool if not is_flat(self.images[o["handle"]])]
        return self.rng.choice(pool)

    def random_handle(self):
        r = self.rng.random()
        if r < 0.4:
            return f"{self.rng.choice(self.en_words)}_{self.rng.randint(1, 9999)}"
        if r < 0.7:
            fam = self.rng.choice(PERSON_FAMILY_ROMAJI)
            return f"{fam}{self.rng.choice(['', '_'])}{self.rng.choice(PERSON_GIVEN)[1]}{self.rng.randint(0, 99)}"
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(self.rng.randint(8, 14)))

    def copy_avatar(self, o, transforms: list[str]) -> str:
        img = self.images[o["handle"]]
        q = None
        for t in transforms:
            if t == "jpeg" and t == transforms[-1]:
                q = self.rng.randint(8, 30)
            else:
                img = av.single_transform(t, img, self.rng)
        if q:
            return self.save_avatar(img, q)
        if img.width <= 128:
            # A downscaled copy stays downscaled.
            self.n_images += 1
            name = f"avatars/a{self.n_images:04d}.png"
            av.save(img, self.out / name)
            return name
        return self.save_avatar(img)

    def local_platform(self, o):
        return o["platform"]

    # -- attacks ------------------------------------------------------------------------------
    def attack_handle(self, kind, n):
        for _ in range(n):
            o = self.pick()
            local, suffix = split_handle(o["handle"])
            if kind == "handle_typo":
                new, variant = typo(local, self.rng)
            elif kind == "handle_confusable":
                new, variant = confusable(local, self.rng)
            elif kind == "handle_affix":
                new, variant = affix(local, self.rng)
            else:
                res = None
                for _ in range(20):
                    o = self.pick()
                    local, suffix = split_handle(o["handle"])
                    res = romanisation(local, self.rng, self.place_romaji)
                    if res:
                        break
                if not res:
                    continue
                new, variant = res
            r = self.rng.random()
            name = avatar = bio = None
            if r < 0.4:
                pass  # the handle alone
            elif r < 0.7:
                name = o["display_name"]
                if kind == "handle_affix" and self.rng.random() < 0.6:
                    name = self.rng.choice(NAME_MARKERS).format(n=name)
            else:
                name = self.rng.choice(GENERIC_NAMES)
                avatar = self.own_avatar()
                bio = self.rng.choice(SCAM_BIOS)
            self.add("impostor", kind, variant, o["platform"], new + suffix, name, avatar, bio)

    def attack_names(self, kind, n):
        for _ in range(n):
            o = self.pick()
            if kind == "name_lookalike":
                name, variant = lookalike_name(o["display_name"], self.rng)
            else:
                name, variant = name_trick(o["display_name"], self.rng)
            avatar = self.own_avatar() if self.rng.random() < 0.4 else None
            self.add("impostor", kind, variant, o["platform"], self.random_handle(), name, avatar,
                     self.rng.choice(SCAM_BIOS))

    def attack_exact_name_claim(self, n):
        for _ in range(n):
            o = self.pick()
            name = o["display_name"] if self.rng.random() < 0.5 else self.rng.choice(
                ["{n}公式", "【公式】{n}", "{n}（公式）"]).format(n=o["display_name"])
            bio = self.rng.choice(CLAIM_BIOS).format(
                org=self.rng.choice([self.org, o["display_name"]]))
            avatar = self.own_avatar() if self.rng.random() < 0.5 else None
            self.add("impostor", "exact_name_claim", "claim", self.rng.choice(PLATFORMS),
                     self.random_handle(), name, avatar, bio)

    def attack_avatar(self, transform, n):
        for _ in range(n):
            o = self.pick(with_avatar=True, detailed=True)
            if transform == "combo":
                ts = self.rng.sample(av.TRANSFORMS, 2)
                # JPEG last, like an upload.
                ts.sort(key=lambda t: t == "jpeg")
            else:
                ts = [transform]
            avatar = self.copy_avatar(o, ts)
            name = self.rng.choice(GENERIC_NAMES + [None])
            self.add("impostor", "avatar_" + transform, "+".join(ts), o["platform"],
                     self.random_handle(), name, avatar, self.rng.choice(SCAM_BIOS))

    def attack_classic_clone(self, n):
        for _ in range(n):
            o = self.pick(with_avatar=True)
            name = o["display_name"]
            if self.rng.random() < 0.5:
                name, _ = name_trick(name, self.rng)
            k = self.rng.randint(1, 2)
            ts = self.rng.sample(av.TRANSFORMS, k)
            ts.sort(key=lambda t: t == "jpeg")
            self.add("impostor", "classic_clone", "+".join(ts), o["platform"],
                     self.random_handle(), name, self.copy_avatar(o, ts),
                     self.rng.choice(SCAM_BIOS))

    def attack_cross_platform(self, n):
        for _ in range(n):
            o = self.pick()
            local, _ = split_handle(o["handle"])
            registered = {x["platform"] for x in self.officials
                          if split_handle(x["handle"])[0].lower() == local.lower()}
            platform = self.rng.choice([p for p in PLATFORMS if p not in registered])
            handle = local
            variant = "same_handle"
            if self.rng.random() < 0.25:
                handle, v = affix(local, self.rng)
                variant = "affix_" + v
            if platform in ("mastodon", "misskey") and self.rng.random() < 0.5:
                handle += "@" + self.rng.choice(["misskey.io", "mstdn.jp", "fedibird.com"])
            name = o["display_name"] if self.rng.random() < 0.8 else None
            avatar = None
            if o["handle"] in self.images and self.rng.random() < 0.6:
                avatar = self.copy_avatar(o, [self.rng.choice(av.TRANSFORMS)])
            self.add("impostor", "cross_platform", variant, platform, handle, name, avatar)

    # -- innocents ----------------------------------------------------------------------------
    def innocent_officials(self, n):
        for i in range(n):
            o = self.officials[i % len(self.officials)]
            handle = o["handle"]
            variant = "as_registered"
            if i >= len(self.officials):
                variant = self.rng.choice(["upper", "at"])
                handle = handle.upper() if variant == "upper" else "@" + handle
            avatar = None
            if o["handle"] in self.images:
                avatar = self.save_avatar(self.images[o["handle"]])
            self.add("innocent", "official", variant, o["platform"], handle, o["display_name"],
                     avatar, o.get("bio"))

    def innocent_word_sharing(self, n):
        for _ in range(n):
            word = self.rng.choice(self.en_words)
            place = self.place_romaji or words_of(split_handle(self.pick()["handle"])[0])[0][0]
            handle = self.rng.choice([f"{place}_{word}", f"{word}_{place}", f"{place}{word}",
                                      f"{place}_{word}{self.rng.randint(1, 99)}"])
            name = self.place_name + self.rng.choice(JA_INTERESTS)
            if self.rng.random() < 0.3:
                name = self.place_name.rstrip("市区町村") + self.rng.choice(JA_INTERESTS)
            bio = f"{self.place_name}{self.rng.choice(['で暮らしています', 'の情報を個人で発信', 'のお店です', 'が好き'])}。"
            self.add("innocent", "word_sharing", word, self.rng.choice(PLATFORMS[:5]), handle, name,
                     self.own_avatar(), bio)

    def other_municipalities(self):
        """Real municipalities, nearest names to ours first, then random ones."""
        if self.place_is_prefecture:
            # Another prefecture's organisation of the same kind (鹿児島県警察 for 宮崎県警察).
            # Its romanisation is that of the municipality of the same stem (宮崎市 for 宮崎県);
            # prefectures without one (東京都, 北海道) are left out.
            by_pref = {}
            for m in self.munis:
                if m["stem"] == m["prefecture"][:-1]:
                    by_pref.setdefault(m["prefecture"], m)
            others = [{"prefecture": p, "name": p, "romaji": m["romaji"]}
                      for p, m in by_pref.items() if p != self.place_name]
        else:
            others = [m for m in self.munis if m["name"] != self.place_name]
        if self.our_muni:
            def closeness(m):
                a, b = m["name"], self.place_name
                shared = sum(1 for c in set(a) if c in b)
                return -(shared / max(len(a), len(b)))
            near = sorted(others, key=closeness)[:30]
        else:
            near = []
        return near, others

    def innocent_other_municipalities(self, n):
        near, others = self.other_municipalities()
        for i in range(n):
            m = self.rng.choice(near) if (near and i % 2 == 0) else self.rng.choice(others)
            their_romaji = hepburn_handle_style(m["romaji"])
            o = self.pick()
            local, suffix = split_handle(o["handle"])
            if self.place_romaji and self.place_romaji in local:
                handle = local.replace(self.place_romaji, their_romaji)
            else:
                words, _ = words_of(local)
                handle = f"{their_romaji}_{max(words, key=len)}"
            ours = self.place_name
            if o["display_name"].find(ours) >= 0:
                name = o["display_name"].replace(ours, m["name"])
            elif ours.rstrip("市区町村") and ours.rstrip("市区町村") in o["display_name"]:
                name = o["display_name"].replace(ours.rstrip("市区町村"), m["name"])
            else:
                name = m["name"] + o["display_name"]
            if self.rng.random() < 0.3:
                name = m["name"]
            bio = f"{m['prefecture']}{m['name']}の公式アカウントです。"
            self.add("innocent", "other_municipality", m["name"], o["platform"], handle + suffix,
                     name, self.own_avatar(), bio)

    def innocent_fans(self, n):
        for _ in range(n):
            o = self.pick()
            base = self.rng.choice([self.place_name, o["display_name"]])
            name = base + self.rng.choice(["（非公式）", " 非公式まとめ", "ファン", "応援ファンアカウント（非公式）",
                                           " bot（非公式）", "まとめ"])
            bio = self.rng.choice([
                "{p}が好きな人の非公式ファンアカウントです。",
                "{p}の情報をまとめる非公式アカウント。{p}とは関係ありません。",
                "Unofficial fan account about {p}.",
                "{p}の話題を個人でまとめています（非公式）。",
            ]).format(p=self.place_name)
            place = self.place_romaji or "city"
            handle = f"{place}_{self.rng.choice(['fan', 'matome', 'lover', 'fans', 'unofficial', 'daisuki'])}{self.rng.choice(['', str(self.rng.randint(1, 99))])}"
            self.add("innocent", "unofficial_fan", "disclaimer", o["platform"], handle, name,
                     self.own_avatar(), bio)

    def innocent_related(self, n):
        for _ in range(n):
            r = self.rng.random()
            fam_i = self.rng.randrange(len(PERSON_FAMILY))
            given = self.rng.choice(PERSON_GIVEN)
            if r < 0.3:
                head = "知事" if self.place_is_prefecture else "長"
                name = f"{PERSON_FAMILY[fam_i]}{given[0]}（{self.place_name}{head}）"
                handle = f"{PERSON_FAMILY_ROMAJI[fam_i]}_{given[1]}"
                bio = f"{self.place_name}{head}の{PERSON_FAMILY[fam_i]}{given[0]}です。日々の活動を発信します。"
                variant = "mayor"
                avatar = self.save_avatar(av.portrait(self.rng, 200))
            elif r < 0.6:
                name = f"{self.place_name}議会議員 {PERSON_FAMILY[fam_i]}{given[0]}"
                handle = f"{PERSON_FAMILY_ROMAJI[fam_i]}{given[1]}_{self.place_romaji or 'gikai'}"
                bio = f"{self.place_name}議会議員。{self.place_name}をもっと良くするために活動中。"
                variant = "council_member"
                avatar = self.save_avatar(av.portrait(self.rng, 200))
            else:
                org, romaji = self.rng.choice(PARTNERS)
                name = f"{self.place_name}{org}"
                handle = f"{self.place_romaji}_{romaji}" if self.place_romaji else romaji
                bio = f"{self.place_name}{org}の公式アカウントです。"
                variant = "partner"
                avatar = self.save_avatar(av.emblem(self.rng, 200))
            self.add("innocent", "related_person", variant, self.rng.choice(["x", "instagram", "facebook"]),
                     handle, name, avatar, bio)

    def innocent_default_avatar(self, n):
        for _ in range(n):
            fam_i = self.rng.randrange(len(PERSON_FAMILY))
            given = self.rng.choice(PERSON_GIVEN)
            handle = self.random_handle() if self.rng.random() < 0.6 else \
                f"{self.place_romaji}_{self.rng.choice(self.en_words)}"
            name = self.rng.choice([f"{PERSON_FAMILY[fam_i]}{given[0]}", given[0],
                                    f"{self.place_name}{self.rng.choice(JA_INTERESTS)}"])
            flag = self.rng.random() < 0.5
            self.add("innocent", "default_avatar", "flagged" if flag else "image_only",
                     self.rng.choice(PLATFORMS[:4]), handle, name, self.default_avatar(), None,
                     default_avatar=flag)

    def innocent_flat_icons(self, n):
        targets = [o for o in self.officials if o["handle"] in self.images]
        flat = [o for o in targets if is_flat(self.images[o["handle"]])]
        for _ in range(n):
            o = self.rng.choice(flat or targets)
            bg, fg = dominant_colours(self.images[o["handle"]])
            # A different icon: another shape, not the same shape a little larger.
            for _ in range(50):
                icon = av.flat_icon(self.rng, bg, fg, 200)
                if image_difference(icon, self.images[o["handle"]]) > 0.1:
                    break
            handle = self.random_handle() if self.rng.random() < 0.5 else \
                f"{self.place_romaji or 'local'}_{self.rng.choice(self.en_words)}"
            name = self.rng.choice([f"{self.place_name}{self.rng.choice(JA_INTERESTS)}",
                                    self.rng.choice(GENERIC_NAMES[2:4]), "町内会のお知らせ",
                                    f"{self.rng.choice(PERSON_FAMILY)}{self.rng.choice(PERSON_GIVEN)[0]}"])
            self.add("innocent", "flat_icon", "same_palette", o["platform"], handle, name,
                     self.save_avatar(icon))

    def innocent_unrelated(self, n):
        for _ in range(n):
            fam_i = self.rng.randrange(len(PERSON_FAMILY))
            given = self.rng.choice(PERSON_GIVEN)
            self.add("innocent", "unrelated", "random", self.rng.choice(PLATFORMS),
                     self.random_handle(), f"{PERSON_FAMILY[fam_i]}{given[0]}", self.own_avatar(),
                     self.rng.choice(["", "日常のつぶやき", "写真が趣味です"]))

    # -- issue 10 families -------------------------------------------------------------------
    def split_place(self, name: str) -> tuple[str, str]:
        """(our place as written at the start of `name`, the rest); ("", name) if none."""
        if name.startswith(self.org):
            return self.org, name[len(self.org):].strip()
        if self.place_stem and name.startswith(self.place_stem):
            return self.place_stem, name[len(self.place_stem):].strip()
        return "", name

    def flat_officials(self):
        return [o for o in self.officials
                if o["handle"] in self.images and is_flat(self.images[o["handle"]])]

    def unrelated_name(self):
        fam = self.rng.choice(PERSON_FAMILY)
        return self.rng.choice([f"{fam}{self.rng.choice(PERSON_GIVEN)[0]}",
                                self.rng.choice(GENERIC_NAMES),
                                self.rng.choice(JA_INTERESTS).lstrip("のでに"),
                                None])

    def partial_name(self, o):
        place, rest = self.split_place(o["display_name"])
        options = [self.place_stem, o["display_name"][: max(2, len(o["display_name"]) // 2)]]
        if place and rest:
            options += [rest, place]
        return self.rng.choice(options)

    def name_attack_avatar(self, o):
        """What a name impostor shows as its picture: mostly its own or none."""
        r = self.rng.random()
        if r < 0.45:
            return self.own_avatar()
        if r < 0.85 or o["handle"] not in self.images:
            return None
        return self.copy_avatar(o, [self.rng.choice(["jpeg", "downscale", "crop"])])

    def name_attack_bio(self, o):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(CLAIM_BIOS).format(org=self.rng.choice([self.org,
                                                                            o["display_name"]]))
        return self.rng.choice(SCAM_BIOS) if r < 0.7 else None

    def attack_flat_copy(self, n):
        flat = self.flat_officials()
        if not flat:
            print("warning: no flat official avatar; no avatar_flat_copy", file=sys.stderr)
            return
        for _ in range(n):
            o = self.rng.choice(flat)
            img = self.images[o["handle"]]
            r = self.rng.random()
            if r < 0.4:
                avatar, v = self.save_avatar(img), "exact"
            elif r < 0.7:
                px = self.rng.randint(96, 200)
                self.n_images += 1
                avatar = f"avatars/a{self.n_images:04d}.png"
                av.save(img.resize((px, px), Image.LANCZOS), self.out / avatar)
                v = "resized"
            else:
                avatar, v = self.save_avatar(img, self.rng.randint(60, 92)), "jpeg_light"
            if self.rng.random() < 0.5:
                name, nv = self.unrelated_name(), "unrelated_name"
            else:
                name, nv = self.partial_name(o), "partial_name"
            self.add("impostor", "avatar_flat_copy", f"{v}+{nv}", o["platform"],
                     self.random_handle(), name, avatar,
                     self.rng.choice(SCAM_BIOS) if self.rng.random() < 0.5 else None)

    def attack_geometry(self, kind, n):
        for _ in range(n):
            detailed = [x for x in self.officials if x["handle"] in self.images
                        and not is_flat(self.images[x["handle"]])]
            o = self.pick(with_avatar=True, detailed=bool(detailed) and self.rng.random() < 0.75)
            img = self.images[o["handle"]]
            if kind == "avatar_rotate":
                img, v = av.rotate(img, self.rng)
            else:
                img = av.crop_uneven(img, self.rng)
                v = "crop_uneven"
            if self.rng.random() < 0.3:
                q = self.rng.randint(40, 85)
                avatar, v = self.save_avatar(img, q), v + "+jpeg"
            else:
                avatar = self.save_avatar(img)
            self.add("impostor", kind, v, o["platform"], self.random_handle(),
                     self.rng.choice(GENERIC_NAMES + [None, None]), avatar,
                     self.rng.choice(SCAM_BIOS))

    def attack_geometry_combo(self, n):
        """A copy turned or cut unevenly, then changed again the way uploads and edits do:
        framed, labelled, recompressed, resized, its colours moved (issue 10, item 2, with the
        changes of item 1 on top)."""
        extras = ["frame", "text", "jpeg", "downscale", "brightness", "contrast", "grayscale",
                  "hue"]
        detailed = any(x["handle"] in self.images and not is_flat(self.images[x["handle"]])
                       for x in self.officials)
        for _ in range(n):
            o = self.pick(with_avatar=True, detailed=detailed and self.rng.random() < 0.75)
            img = self.images[o["handle"]]
            if self.rng.random() < 0.5:
                img, v = av.rotate(img, self.rng, 3.0, 8.0)
                v = v.rsplit("_", 1)[0]
            else:
                img, v = av.crop_uneven(img, self.rng, 0.10, 0.18), "crop_uneven"
            ts = self.rng.sample(extras, self.rng.choice([1, 1, 2]))
            ts.sort(key=lambda t: t == "jpeg")
            for t in ts:
                if t == "jpeg":
                    img = av.jpeg(img, self.rng.randint(30, 75))
                elif t == "downscale":
                    img = av.downscale(img, self.rng.randint(96, 200))
                else:
                    img = av.single_transform(t, img, self.rng)
            avatar = self.save_avatar(img)
            self.add("impostor", "avatar_geometry_combo", "+".join([v] + ts), o["platform"],
                     self.random_handle(), self.rng.choice(GENERIC_NAMES + [None, None]), avatar,
                     self.rng.choice(SCAM_BIOS))

    def attack_canvas(self, n):
        """A copy shrunk onto a background that no frame trimming removes (a blurred
        enlargement of itself, a gradient, noise), sometimes labelled or recompressed."""
        for _ in range(n):
            o = self.pick(with_avatar=True)
            img, v = av.on_canvas(self.images[o["handle"]], self.rng)
            v = "canvas_" + v
            if self.rng.random() < 0.3:
                img, v = av.text_overlay(img, self.rng), v + "+text"
            if self.rng.random() < 0.3:
                avatar, v = self.save_avatar(img, self.rng.randint(40, 85)), v + "+jpeg"
            else:
                avatar = self.save_avatar(img)
            self.add("impostor", "avatar_canvas", v, o["platform"], self.random_handle(),
                     self.rng.choice(GENERIC_NAMES + [None, None]), avatar,
                     self.rng.choice(SCAM_BIOS))

    def attack_hard_edit(self, edit, n):
        """A copy with one of the harder edits of `avatars.HARD_EDITS` (a Japanese label, a
        styled frame, a perspective skew, a thumbnail blown up or padded)."""
        for _ in range(n):
            o = self.pick(with_avatar=True)
            img, v = av.HARD_EDITS[edit](self.images[o["handle"]], self.rng)
            self.add("impostor", "avatar_" + edit, v, o["platform"], self.random_handle(),
                     self.rng.choice(GENERIC_NAMES + [None, None]), self.save_avatar(img),
                     self.rng.choice(SCAM_BIOS))

    def attack_edit_chain(self, n):
        """Two or three edits in a row, geometric and not, the way a copy is cut, labelled,
        framed and re-uploaded."""
        edits = ["rotate", "crop_uneven", "label", "styled_frame", "perspective", "thumbnail",
                 "jpeg", "colour"]
        for _ in range(n):
            o = self.pick(with_avatar=True)
            img = self.images[o["handle"]]
            names = []
            ts = self.rng.sample(edits, self.rng.choice([2, 2, 3]))
            ts.sort(key=lambda t: t == "jpeg")
            for t in ts:
                if t == "rotate":
                    img, v = av.rotate(img, self.rng, 3.0, 10.0)
                    v = v.rsplit("_", 1)[0]
                elif t == "crop_uneven":
                    img, v = av.crop_uneven(img, self.rng, 0.10, 0.20), "crop_uneven"
                elif t == "jpeg":
                    img, v = av.jpeg(img, self.rng.randint(15, 60)), "jpeg"
                elif t == "colour":
                    c = self.rng.choice(["brightness", "contrast", "hue", "grayscale"])
                    img, v = av.single_transform(c, img, self.rng), c
                else:
                    img, v = av.HARD_EDITS[t](img, self.rng)
                names.append(v)
            self.add("impostor", "avatar_chain", "+".join(names), o["platform"],
                     self.random_handle(), self.rng.choice(GENERIC_NAMES + [None, None]),
                     self.save_avatar(img), self.rng.choice(SCAM_BIOS))

    def attack_name_family(self, kind, n):
        made = 0
        for _ in range(n * 20):
            if made >= n:
                break
            o = self.pick()
            name = o["display_name"]
            place, rest = self.split_place(name)
            if kind == "name_wrapped":
                forms = [("notice_suffix", name + self.rng.choice(ew.WRAP_SUFFIXES)),
                         ("handle_suffix", f"{name} @{split_handle(o['handle'])[0]}")]
                if self.prefecture and place:
                    forms += [("prefecture_prefix", self.prefecture + name),
                              ("prefecture_prefix", f"{self.prefecture} {name}"),
                              ("prefecture_and_notice",
                               self.prefecture + name + self.rng.choice(ew.WRAP_SUFFIXES))]
                variant, new = self.rng.choice(forms)
            elif kind == "name_truncated":
                if len(name) < 6:
                    continue
                lo = max(len(place) + 2, int(len(name) * 0.4))
                hi = max(lo, int(len(name) * 0.8))
                cut = self.rng.randint(lo, hi)
                if cut >= len(name):
                    continue
                new, variant = name[:cut] + self.rng.choice(ew.TRUNC_SUFFIXES), f"cut_{cut}"
            elif kind == "name_reordered":
                if not place or not rest:
                    continue
                new = rest + self.rng.choice(ew.REORDER_SEPARATORS).format(p=place)
                variant = "rest_then_place"
            elif kind == "name_paraphrase":
                topic = ew.topic_of(name, o.get("operator", ""), o.get("purpose", ""))
                if not topic:
                    continue
                para = self.rng.choice([t for t in topic[1] if t not in name] or topic[1])
                form = self.rng.choice(ew.PARAPHRASE_FORMS)
                new = form.format(t=para, p=self.org, s=self.place_stem)
                variant = form.replace("{", "").replace("}", "")
            else:  # name_variant_kanji
                idx = [k for k, c in enumerate(name) if c in ew.VARIANT_KANJI]
                if not idx:
                    continue
                in_place = [k for k in idx if k < len(place)]
                chosen = set(self.rng.sample(idx, min(len(idx), self.rng.randint(1, 2))))
                if in_place and self.rng.random() < 0.6:
                    chosen.add(self.rng.choice(in_place))
                chars = list(name)
                for k in chosen:
                    chars[k] = self.rng.choice(ew.VARIANT_KANJI[chars[k]])
                new = "".join(chars)
                variant = "place" if any(k < len(place) for k in chosen) else "name"
            if new == name:
                continue
            self.add("impostor", kind, variant, o["platform"], self.random_handle(), new,
                     self.name_attack_avatar(o), self.name_attack_bio(o))
            made += 1

    def org_romanised(self) -> list[str]:
        """Handles an organisation's own account could have, romanised."""
        words = []
        for suffix, ws in ew.ORG_WORDS:
            if self.org.endswith(suffix):
                words = ws
                break
        r = self.place_romaji or "city"
        out = []
        for w in words or ["city"]:
            out += [f"{r}_{w}", f"{r}{w}", f"{w}_{r}", f"{r}_{w}_official"]
        return out

    def departments(self) -> list[tuple[str, list[str]]]:
        """(department name, its romanised words) of the organisation: its own department and
        the operators of its accounts."""
        names = {self.org_department} | {o.get("operator") or "" for o in self.officials}
        out = []
        for d in sorted(n for n in names if n):
            words = [w for k, ws in ew.TOPIC_ROMAJI.items() if k in d for w in ws]
            if words:
                out.append((d, words))
        return out

    def attack_org_impostor(self, n):
        taken = {split_handle(o["handle"])[0].lower().replace("-", "_").replace(".", "_")
                 for o in self.officials}
        bases = [b for b in self.org_romanised() if b not in taken] or self.org_romanised()
        depts = self.departments()
        r = self.place_romaji or "city"
        for _ in range(n):
            variant = self.rng.choice(["marker_name", "romanised_typo", "both"] +
                                      (["department"] if depts else []))
            if variant == "department":
                # A department of ours that has no account of its own, or its romanisation.
                dept, words = self.rng.choice(depts)
                w = self.rng.choice(words)
                handle = self.rng.choice([f"{r}_{w}", f"{w}_{r}", f"{r}{w}", f"{r}_city_{w}"])
                if handle.replace("-", "_") in taken:
                    handle, _ = typo(handle, self.rng)
                name = self.rng.choice([f"{self.org}{dept}", f"{self.org} {dept}",
                                        f"【公式】{self.org}{dept}", f"{dept}（{self.org}）"])
                self.add("impostor", "org_impostor", variant, self.rng.choice(PLATFORMS[:4]),
                         handle, name, self.own_avatar() if self.rng.random() < 0.5 else None,
                         self.rng.choice(CLAIM_BIOS).format(org=f"{self.org}{dept}"))
                continue
            handle = self.random_handle()
            if variant != "marker_name":
                base = self.rng.choice(bases)
                for _ in range(20):
                    a, b = self.rng.choice(ew.ROMAJI_TYPOS)
                    if a in base:
                        k = self.rng.choice([i for i in range(len(base)) if base.startswith(a, i)])
                        new = base[:k] + b + base[k + len(a):]
                    else:
                        new, _ = typo(base, self.rng)
                    if new.replace("-", "_") not in taken and new != base:
                        handle = new
                        break
            if variant == "romanised_typo":
                name = self.rng.choice([self.org, None, self.unrelated_name()])
            else:
                name = self.rng.choice(ew.ORG_NAME_FORMS).format(
                    org=self.org, pref=self.prefecture, org_en=self.org_en or self.org)
            o = self.pick()
            bio = self.rng.choice(CLAIM_BIOS).format(org=self.org) \
                if self.rng.random() < 0.6 else self.rng.choice(SCAM_BIOS)
            avatar = self.own_avatar() if self.rng.random() < 0.5 else (
                self.copy_avatar(o, [self.rng.choice(av.TRANSFORMS)])
                if o["handle"] in self.images and self.rng.random() < 0.4 else None)
            self.add("impostor", "org_impostor", variant, self.rng.choice(PLATFORMS[:4]),
                     handle, name, avatar, bio)

    def attack_double_swap(self, n):
        made = 0
        for _ in range(n * 20):
            if made >= n:
                break
            o = self.pick()
            local, suffix = split_handle(o["handle"])
            spots = [(k, a, b) for a, b in ew.GLYPH_SWAPS for k in range(len(local))
                     if local.startswith(a, k)]
            if len(spots) < 2:
                continue
            first = self.rng.choice(spots)
            rest = [s for s in spots if s[1] != first[1] and
                    (s[0] >= first[0] + len(first[1]) or s[0] + len(s[1]) <= first[0])]
            if not rest:
                continue
            second = self.rng.choice(rest)
            new = local
            for k, a, b in sorted([first, second], reverse=True):
                new = new[:k] + b + new[k + len(a):]
            r = self.rng.random()
            name = o["display_name"] if r < 0.5 else (None if r < 0.75 else
                                                     self.rng.choice(GENERIC_NAMES))
            avatar = self.copy_avatar(o, [self.rng.choice(av.TRANSFORMS)]) \
                if o["handle"] in self.images and self.rng.random() < 0.3 else None
            self.add("impostor", "handle_double_swap", f"{first[1]}>{first[2]}+{second[1]}>{second[2]}",
                     o["platform"], new + suffix, name, avatar, self.rng.choice(SCAM_BIOS))
            made += 1

    def place_typos(self):
        """(official, handle) pairs where one word of the handle was changed into the name of
        another real place, one or two letters away."""
        places = sorted({hepburn_handle_style(m["romaji"]) for m in self.munis})
        out = []
        for o in self.officials:
            local, suffix = split_handle(o["handle"])
            words, seps = words_of(local)
            for wi, w in enumerate(words):
                if len(w) < 3 or not w.isalpha():
                    continue
                limit = 1 if len(w) <= 3 else 2
                for p in places:
                    if p in words or p == self.place_romaji or abs(len(p) - len(w)) > limit:
                        continue
                    if 1 <= ew.levenshtein(w, p) <= limit:
                        ws = list(words)
                        ws[wi] = p
                        out.append((o, join_words(ws, seps) + suffix, p))
        return out

    def attack_place_typo(self, n):
        pairs = self.place_typos()
        if not pairs:
            print("warning: no handle word is near another place; no handle_place_typo",
                  file=sys.stderr)
            return
        for _ in range(n):
            o, handle, place = self.rng.choice(pairs)
            r = self.rng.random()
            name = avatar = None
            if r < 0.5 or o["handle"] not in self.images:
                name, variant = o["display_name"], "name_copied"
                if self.rng.random() < 0.4:
                    name, _ = name_trick(name, self.rng)
            elif r < 0.8:
                avatar, variant = self.copy_avatar(o, [self.rng.choice(av.TRANSFORMS)]), \
                    "avatar_copied"
                name = self.rng.choice(GENERIC_NAMES + [None])
            else:
                name, variant = o["display_name"], "name_and_avatar"
                avatar = self.copy_avatar(o, [self.rng.choice(av.TRANSFORMS)])
            self.add("impostor", "handle_place_typo", f"{variant}:{place}", o["platform"],
                     handle, name, avatar, self.rng.choice(SCAM_BIOS))

    def innocent_near_handle(self, n):
        for _ in range(n):
            o = self.pick()
            local, suffix = split_handle(o["handle"])
            for _ in range(20):
                new, op = typo(local, self.rng)
                if op not in ("added", "separator"):
                    break
            name, bio, _word = self.rng.choice(ew.NEAR_HANDLE_OWNERS)
            r = self.rng.random()
            avatar = self.real.photo_crop(self.rng, 200) if r < 0.5 else None
            avatar = self.save_avatar(avatar) if avatar is not None else self.own_avatar()
            self.add("innocent", "handle_near_unrelated", op, o["platform"], new + suffix, name,
                     avatar, bio)

    def innocent_same_department(self, n):
        near, others = self.other_municipalities()
        made = 0
        for i in range(n * 20):
            if made >= n:
                break
            o = self.pick()
            place, rest = self.split_place(o["display_name"])
            if not rest or not place:
                continue
            m = self.rng.choice(near) if (near and i % 2 == 0) else self.rng.choice(others)
            topic = ew.topic_of(o["display_name"], o.get("operator", ""))
            if topic and self.rng.random() < 0.4:
                rest, variant = self.rng.choice(topic[1]), "paraphrased_department"
            else:
                variant = "same_department"
            name = m["name"] + rest
            their = hepburn_handle_style(m["romaji"])
            local, suffix = split_handle(o["handle"])
            words, seps = words_of(local)
            if self.place_romaji in words:
                words = [their if w == self.place_romaji else w for w in words]
                handle = join_words(words, seps)
            else:
                handle = f"{their}_{max(words, key=len)}"
            bio = f"{m['prefecture']}{m['name']}{rest}の公式アカウントです。"
            if self.real.available() and self.rng.random() < 0.3:
                glyph, _ = self.real.glyph(self.rng)
                avatar = self.save_avatar(real_images.flat_logo(
                    glyph, av._colour(self.rng), 200)) if glyph is not None else self.own_avatar()
            else:
                avatar = self.own_avatar()
            self.add("innocent", "same_department_elsewhere", variant, o["platform"],
                     handle + suffix, name, avatar, bio)
            made += 1

    def innocent_local_shop(self, n):
        for _ in range(n):
            i = self.rng.randrange(len(ew.SHOP_FORMS))
            name = ew.SHOP_FORMS[i].format(s=self.place_stem, p=self.place_name)
            word = ew.SHOP_WORDS[i]
            r = self.place_romaji or "local"
            handle = self.rng.choice([f"{r}_{word}", f"{word}_{r}", f"{r}{word}",
                                      f"{word}{r}{self.rng.randint(1, 99)}"])
            bio = self.rng.choice(ew.SHOP_BIOS).format(p=self.place_name)
            photo = self.real.photo_crop(self.rng, 200) if self.rng.random() < 0.5 else None
            avatar = self.save_avatar(photo) if photo is not None else self.own_avatar()
            self.add("innocent", "local_business", word, self.rng.choice(PLATFORMS[:5]), handle,
                     name, avatar, bio)

    def innocent_news(self, n):
        for _ in range(n):
            o = self.pick()
            pref = self.prefecture or self.org
            name = self.rng.choice(ew.NEWS_NAMES).format(p=self.place_name, pref=pref)
            r = self.place_romaji or "local"
            handle = self.rng.choice(ew.NEWS_HANDLES).format(r=r)
            bio = self.rng.choice(ew.NEWS_BIOS).format(name=o["display_name"], p=self.place_name,
                                                       pref=pref)
            self.add("innocent", "news_aggregator", "quotes_name", self.rng.choice(PLATFORMS[:4]),
                     handle, name, self.own_avatar(), bio)

    # Impersonations as reported in Japanese news: the city's or the police's name with a desk
    # that does not exist, offering benefits, prizes or help, asking for a DM, a link or money.
    NEWS_NAMES = ["{org}役所 {desk}", "【公式】{org} {desk}", "{org}{desk}（臨時）", "{org}・{desk}",
                  "{pref}{org} {desk}", "{org} {desk}のお知らせ"]
    NEWS_DESKS = ["給付金担当", "特別給付金窓口", "災害対策本部", "防災情報", "避難所案内",
                  "市民相談窓口", "キャンペーン事務局", "プレゼント企画担当", "生活安全課", "サイバー犯罪対策",
                  "税務課 還付金係", "子育て支援金窓口"]
    NEWS_BIOS = ["特別給付金のお手続きはDMにて受け付けています。", "還付金があります。リンクから申請してください。",
                 "フォロー＆リポストでギフト券が当たる！当選者にはDMでご連絡します。",
                 "あなたのアカウントが犯罪に利用された可能性があります。DMで本人確認をお願いします。",
                 "被災された方への支援金の受付口座はこちら。", "避難情報をいち早くお届けします。詳しくはプロフィールのURLから。",
                 "{org}の最新情報を発信しています。", ""]

    def attack_news(self, n):
        r = self.place_romaji or "city"
        for _ in range(n):
            desk = self.rng.choice(self.NEWS_DESKS)
            name = self.rng.choice(self.NEWS_NAMES).format(org=self.org, desk=desk,
                                                           pref=self.prefecture or "")
            handle = self.rng.choice([self.random_handle(), f"{r}_{self.rng.choice(['info', 'support', 'kyufu', 'bosai', 'news', 'official'])}",
                                      f"{r}{self.rng.randint(1, 999)}"])
            o = self.pick()
            x = self.rng.random()
            avatar = (self.copy_avatar(o, [self.rng.choice(av.TRANSFORMS)])
                      if x < 0.35 and o["handle"] in self.images else
                      self.own_avatar() if x < 0.75 else None)
            bio = self.rng.choice(self.NEWS_BIOS).format(org=self.org)
            self.add("impostor", "news_impersonation", desk, self.rng.choice(PLATFORMS[:4]),
                     handle, name, avatar, bio)

    # Groups and people who use the place's name for themselves (words a list of "other
    # organisation" markers is unlikely to know).
    GROUP_NAMES = ["{org}の美味しいもの探検隊", "{org}ランニング部", "{org}写真部", "{org}カフェ巡り",
                   "{org}防災士ネットワーク", "{org}子育てママの輪", "{org}観光ガイド 山田", "{org}在住のパン職人",
                   "{org}の歴史を歩く", "{org}ボランティア連絡会", "{org}の空と海", "{org}ごみ拾い隊"]

    def innocent_place_groups(self, n):
        r = self.place_romaji or "local"
        for _ in range(n):
            name = self.rng.choice(self.GROUP_NAMES).format(org=self.place_name)
            handle = self.rng.choice([f"{r}_{self.rng.choice(self.en_words)}", self.random_handle()])
            bio = self.rng.choice(["{org}で活動しています。", "{org}が大好きな仲間の集まりです。",
                                   "毎週末に活動中。参加者募集！", ""]).format(org=self.place_name)
            avatar = self.save_avatar(self.real.photo_crop(self.rng, 200)) \
                if self.rng.random() < 0.5 else self.own_avatar()
            self.add("innocent", "place_group", "place_words", self.rng.choice(PLATFORMS[:5]),
                     handle, name, avatar, bio)

    def innocent_surname_person(self, n):
        stem = self.place_stem
        r = self.place_romaji or "tanaka"
        for _ in range(n):
            given, given_r = self.rng.choice(PERSON_GIVEN)
            name = self.rng.choice([f"{stem} {given}", f"{stem}{given}", f"{given_r.title()} {r.title()}"])
            handle = self.rng.choice([f"{r}_{given_r}", f"{given_r}.{r}", f"{r}{given_r}{self.rng.randint(1, 99)}"])
            bio = self.rng.choice(["会社員です。", "写真と旅行が好き。", "日々のこと。", ""])
            self.add("innocent", "surname_person", "place_surname", self.rng.choice(PLATFORMS[:5]),
                     handle, name, self.save_avatar(self.real.photo_crop(self.rng, 200))
                     if self.rng.random() < 0.6 else None, bio)

    def innocent_flat_same_set(self, n):
        flat = self.flat_officials()
        if not flat:
            print("warning: no flat official avatar; no flat_icon_same_set", file=sys.stderr)
            return
        for _ in range(n):
            o = self.rng.choice(flat)
            img = self.images[o["handle"]]
            bg, fg = dominant_colours(img)
            icon = None
            variant = "theme_glyph"
            made_of = self.avatar_sources.get(o["handle"], {}).get("icon")
            if made_of:
                # eval_registry.py draws its glyphs in white.
                variant, fg = "same_theme_glyph", (255, 255, 255)
            for _ in range(10):
                glyph, _path = self.real.glyph(self.rng, like=Path(made_of) if made_of else None)
                if glyph is None:
                    break
                scale = self.avatar_sources.get(o["handle"], {}).get("scale")
                scale = scale * self.rng.uniform(0.9, 1.1) if scale else self.rng.uniform(0.5, 0.72)
                cand = real_images.flat_logo(glyph, bg, 200, scale, fg)
                if image_difference(cand, img) > 0.04:
                    icon = cand
                    break
            if icon is None:
                variant = "drawn_shape"
                for _ in range(50):
                    icon = av.flat_icon(self.rng, bg, fg, 200)
                    if image_difference(icon, img) > 0.1:
                        break
            handle = self.random_handle() if self.rng.random() < 0.5 else \
                f"{self.place_romaji or 'local'}_{self.rng.choice(self.en_words)}"
            name = self.rng.choice([f"{self.place_name}{self.rng.choice(JA_INTERESTS)}",
                                    self.rng.choice(GENERIC_NAMES[2:4]), "町内会のお知らせ",
                                    self.rng.choice(ew.NEAR_HANDLE_OWNERS)[0],
                                    f"{self.rng.choice(PERSON_FAMILY)}{self.rng.choice(PERSON_GIVEN)[0]}"])
            self.add("innocent", "flat_icon_same_set", variant, o["platform"], handle, name,
                     self.save_avatar(icon))

    def build(self, scale: float):
        def k(n):
            return max(3, round(n * scale))
        for kind in ["handle_typo", "handle_confusable", "handle_affix", "handle_romanisation"]:
            self.attack_handle(kind, k(30))
        self.attack_names("name_lookalike", k(20))
        self.attack_names("name_trick", k(25))
        self.attack_exact_name_claim(k(15))
        for t in ["jpeg", "downscale", "crop", "frame", "brightness", "contrast", "hue", "mirror",
                  "grayscale", "text", "combo"]:
            self.attack_avatar(t, k(12))
        self.attack_classic_clone(k(20))
        self.attack_cross_platform(k(20))
        self.innocent_officials(k(15))
        self.innocent_word_sharing(k(35))
        self.innocent_other_municipalities(k(40))
        self.innocent_fans(k(25))
        self.innocent_related(k(30))
        self.innocent_default_avatar(k(20))
        self.innocent_flat_icons(k(25))
        self.innocent_unrelated(k(25))
        # Issue 10.
        self.attack_flat_copy(k(12))
        self.attack_geometry("avatar_rotate", k(12))
        self.attack_geometry("avatar_uneven_crop", k(12))
        for kind in ["name_wrapped", "name_truncated", "name_reordered", "name_paraphrase",
                     "name_variant_kanji"]:
            self.attack_name_family(kind, k(12))
        self.attack_org_impostor(k(12))
        self.attack_double_swap(k(12))
        self.attack_place_typo(k(12))
        self.innocent_near_handle(k(14))
        self.innocent_same_department(k(16))
        self.innocent_local_shop(k(14))
        self.innocent_news(k(12))
        self.innocent_flat_same_set(k(14))
        self.attack_news(k(16))
        self.innocent_place_groups(k(16))
        self.innocent_surname_person(k(12))
        # Last, so that the kinds above draw the same random numbers as before it existed.
        self.attack_geometry_combo(k(12))
        self.attack_canvas(k(12))
        for edit in av.HARD_EDITS:
            self.attack_hard_edit(edit, k(12))
        self.attack_edit_chain(k(16))
        if self.place_is_prefecture:
            self.innocent_same_kind_elsewhere(k(14))

    def innocent_same_kind_elsewhere(self, n):
        """Another prefecture's organisation of our kind (鹿児島県警察 for 宮崎県警察): its
        name and handle with its own place, often in Latin letters, and the emblem every
        organisation of the kind shares (a copy of ours, lightly edited)."""
        near, others = self.other_municipalities()
        with_avatar = [o for o in self.officials if o["handle"] in self.images]
        kind_en = self.org_en.split(" ", 1)[1] if " " in self.org_en else "Prefecture"
        for _ in range(n):
            m = self.rng.choice(others)
            theirs = hepburn_handle_style(m["romaji"]) or "other"
            o = self.rng.choice(with_avatar or self.officials)
            local, suffix = split_handle(o["handle"])
            handle = (local.replace(self.place_romaji, theirs)
                      if self.place_romaji and self.place_romaji in local
                      else f"{theirs}_{local}")
            r = self.rng.random()
            if r < 0.35:
                name = f"{theirs.capitalize()} {kind_en}"
                variant = "latin_name"
            elif r < 0.5:
                name = None
                variant = "no_name"
            else:
                name = o["display_name"].replace(self.place_name, m["name"])
                if name == o["display_name"]:
                    name = m["name"] + o["display_name"]
                variant = "same_kind"
            org_theirs = self.org.replace(self.place_name, m["name"])
            bio = self.rng.choice([f"{org_theirs}の公式アカウントです。",
                                   f"Official account of {theirs.capitalize()} {kind_en}.", ""])
            avatar = (self.copy_avatar(o, [self.rng.choice(["jpeg", "downscale", "crop"])])
                      if o["handle"] in self.images else self.own_avatar())
            self.add("innocent", "same_kind_elsewhere", variant, o["platform"], handle + suffix,
                     name, avatar, bio)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=ROOT / "fixtures" / "demo" / "narisumashi.toml",
                    help="the registry whose official accounts are imitated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the count of every kind")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--reference-date", default="2026-11-30T00:00:00Z",
                    help="accounts' created_at is relative to this (RFC 3339), for reproducible sets")
    ap.add_argument("--icon-themes", default=",".join(real_images.DEFAULT_THEMES),
                    help="icon themes the real icons come from (fixtures/ use Tango only)")
    ap.add_argument("--registry-from-municipality", metavar="NAME",
                    help="first write a made-up registry for this municipality (a name or code "
                         "from data/municipalities.tsv, `random`, or a made-up name with "
                         "--registry-romaji) into OUT/registry/ and imitate it instead of --config")
    ap.add_argument("--registry-seed", type=int, help="seed of that registry (default: --seed)")
    ap.add_argument("--registry-romaji", help="romanisation of a made-up municipality")
    ap.add_argument("--registry-prefecture", help="prefecture of a made-up municipality")
    ap.add_argument("--registry-officials", type=int, default=5)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for old in (args.out / "avatars").glob("a*.*") if (args.out / "avatars").exists() else []:
        old.unlink()
    themes = tuple(t for t in args.icon_themes.split(",") if t)
    config = args.config
    if args.registry_from_municipality:
        import eval_registry

        seed = args.seed if args.registry_seed is None else args.registry_seed
        config = eval_registry.build(args.registry_from_municipality, seed,
                                     args.out / "registry", args.registry_officials,
                                     args.registry_romaji, args.registry_prefecture, themes)
    reference = datetime.fromisoformat(args.reference_date.replace("Z", "+00:00"))
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=timezone.utc)
    b = Builder(config.resolve(), args.out, args.seed, reference.astimezone(timezone.utc), themes)
    b.build(args.scale)
    with open(args.out / "labels.jsonl", "w", encoding="utf-8") as f:
        for row in b.rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds = {}
    for row in b.rows:
        kinds[(row["label"], row["kind"])] = kinds.get((row["label"], row["kind"]), 0) + 1
    imp = sum(v for (l, _), v in kinds.items() if l == "impostor")
    print(f"wrote {args.out}/labels.jsonl: {len(b.rows)} accounts ({imp} impostors, "
          f"{len(b.rows) - imp} innocent), {b.n_images} images; registry {config}")


if __name__ == "__main__":
    main()

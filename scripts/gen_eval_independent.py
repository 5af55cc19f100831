#!/usr/bin/env python3
"""Independent validation sets for the detector (issue 10, "Evaluation that cannot flatter itself").

This generator shares no code, data or method with scripts/gen_eval.py: its own registries
(other organisations, other handles, other avatars), its own image pipeline (OpenCV and
albumentations on real icon-theme icons, scikit-image's bundled photographs and logos rendered
here), its own handle fuzzers (dnstwist's fuzzers; Unicode's confusables data as shipped by
`confusable-homoglyphs`; two-swap handles) and its own name families. It is used only to
*measure* the detector; never tune on it.

    scripts/gen_eval_independent.py --seed 101 --out /work/evalsets

writes, per set, DIR/<seed>-<org>/{narisumashi.toml, labels.jsonl, avatars/}. labels.jsonl is
the JSON Lines file-source format plus `label`, `kind`, `variant`, and the account facts
`created_at`, `posts_count`, `followers_count`, `verified`.

Needs: the virtualenv made by scripts/eval-independent (pinned packages), and Debian's
papirus-icon-theme, breeze-icon-theme, adwaita-icon-theme, unicode-data and fonts-noto-cjk.
"""

import argparse
import bz2
import datetime as dt
import io
import json
import os
import random
import re
import sys
import unicodedata
from pathlib import Path

import albumentations as A
import cairosvg
import cv2
import dnstwist
import numpy as np
import skimage
from confusable_homoglyphs import confusables
from PIL import Image, ImageDraw, ImageFont

NOW = dt.datetime(2026, 11, 30, 9, 0, 0, tzinfo=dt.timezone.utc)
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
ICONS = Path("/usr/share/icons")
UNIHAN = Path("/usr/share/unicode/Unihan_Variants.txt.bz2")
SKIMAGE_DATA = Path(skimage.__file__).parent / "data"
SIZE = 400

# ---------------------------------------------------------------------------------------------
# Organisations. Each set is one organisation with its own registry. Handles respect the
# platforms' rules (X: 15 characters of [A-Za-z0-9_]).
# ---------------------------------------------------------------------------------------------


def off(platform, handle, display, dept, topics, avatar, bio=None, purpose=None):
    return dict(platform=platform, handle=handle, display=display, dept=dept,
                topics=topics, avatar=avatar, bio=bio, purpose=purpose)


ORGS = [
    dict(
        key="takasaki", name="高崎市", kana="たかさき", pref="群馬県", romaji="takasaki",
        short="tksk", site="https://www.city.takasaki.gunma.jp/", dept="総務部広報課",
        colour=(0, 94, 170), kind="city", surname=True,
        officials=[
            off("x", "takasaki_koho", "高崎市広報課", "広報課", ["広報", "市政情報", "お知らせ"],
                ("logo", "高"), "高崎市広報課の公式アカウントです。市政やイベントの情報を発信します。"),
            off("x", "tksk_bousai", "高崎市防災危機管理課", "防災危機管理課",
                ["防災", "危機管理", "災害情報"], ("symbolic", "dialog-warning-symbolic", (230, 120, 0)),
                "高崎市防災危機管理課です。気象・災害・避難の情報をお届けします。"),
            off("x", "tksk_kosodate", "高崎市子育て支援課", "子育て支援課",
                ["子育て", "子育て支援", "保育"], ("papirus", 0),
                "高崎市子育て支援課の公式アカウント。子育て・保育のお知らせ。"),
            off("instagram", "takasaki_kanko", "高崎市観光課", "観光課", ["観光", "まち歩き"],
                ("photo", "coffee.png")),
            off("bluesky", "takasaki-city.bsky.social", "高崎市", "広報課", ["市政"], ("logo", "高")),
            off("youtube", "takasakicitych", "高崎市公式チャンネル", "広報課", ["動画", "市政"],
                ("papirus", 1)),
        ],
    ),
    dict(
        key="miyazaki_police", name="宮崎県警察", kana="みやざきけんけい", pref="宮崎県",
        romaji="miyazaki", short="mzpp", site="https://www.pref.miyazaki.lg.jp/kenkei/",
        dept="警務部広報課", colour=(16, 42, 110), kind="police", surname=True,
        officials=[
            off("x", "miyazaki_kenkei", "宮崎県警察", "警務部広報課", ["広報", "県警"],
                ("logo", "警"), "宮崎県警察の公式アカウントです。個別の通報・相談には対応していません。"),
            off("x", "mz_bouhan", "宮崎県警察生活安全企画課", "生活安全企画課",
                ["防犯", "生活安全", "特殊詐欺"], ("breeze", 0),
                "宮崎県警察生活安全企画課です。防犯・特殊詐欺の注意喚起をします。"),
            off("x", "mz_cyber110", "宮崎県警察サイバー犯罪対策課", "サイバー犯罪対策課",
                ["サイバー犯罪", "サイバー", "ネット詐欺"], ("symbolic", "security-high-symbolic", (16, 42, 110)),
                "宮崎県警察サイバー犯罪対策課の公式アカウントです。"),
            off("x", "mz_kotsu", "宮崎県警察交通企画課", "交通企画課", ["交通安全", "交通"],
                ("breeze", 1)),
            off("bluesky", "miyazaki-police.bsky.social", "宮崎県警察", "警務部広報課", ["広報"],
                ("logo", "警")),
            off("youtube", "miyazakipolice", "宮崎県警察公式チャンネル", "警務部広報課", ["動画"],
                ("photo", "rocket.jpg")),
        ],
    ),
    dict(
        key="hamamatsu", name="浜松市", kana="はままつ", pref="静岡県", romaji="hamamatsu",
        short="hmmt", site="https://www.city.hamamatsu.shizuoka.jp/", dept="広報広聴課",
        colour=(0, 140, 80), kind="city", surname=False,
        officials=[
            off("x", "hamamatsu_pr", "浜松市広報広聴課", "広報広聴課", ["広報", "広聴", "市政"],
                ("papirus", 0), "浜松市の公式アカウント（広報広聴課）です。"),
            off("x", "hama_bousai", "浜松市危機管理課", "危機管理課", ["防災", "危機管理", "災害"],
                ("symbolic", "weather-severe-alert-symbolic", (200, 40, 40)),
                "浜松市危機管理課です。災害時は避難情報を発信します。"),
            off("x", "hm_kosodate", "浜松市幼児教育・保育課", "幼児教育・保育課",
                ["子育て", "保育", "幼児教育"], ("papirus", 1)),
            off("instagram", "hamamatsu.kanko", "浜松市観光・シティプロモーション課",
                "観光・シティプロモーション課", ["観光", "シティプロモーション"],
                ("photo", "chelsea.png")),
            off("bluesky", "hamamatsu-city.bsky.social", "浜松市", "広報広聴課", ["市政"],
                ("papirus", 0)),
        ],
    ),
    dict(
        key="kanazawa", name="金沢市", kana="かなざわ", pref="石川県", romaji="kanazawa",
        short="knzw", site="https://www4.city.kanazawa.lg.jp/", dept="市長公室広報広聴課",
        colour=(150, 30, 60), kind="city", surname=True,
        officials=[
            off("x", "kanazawa_koho", "金沢市広報広聴課", "広報広聴課", ["広報", "市政情報"],
                ("logo", "金"), "金沢市の公式アカウントです。"),
            off("x", "knzw_bosai", "金沢市危機管理課", "危機管理課", ["防災", "危機管理", "防災情報"],
                ("symbolic", "dialog-warning-symbolic", (150, 30, 60)),
                "金沢市危機管理課。防災・災害情報を発信します。"),
            off("x", "kanazawa_kodomo", "金沢市こども未来課", "こども未来課",
                ["子育て", "こども", "子育て支援"], ("papirus", 0)),
            off("instagram", "kanazawa_city_kanko", "金沢市観光政策課", "観光政策課",
                ["観光", "まちなか"], ("photo", "astronaut.png")),
            off("mastodon", "kanazawa_city@mstdn.jp", "金沢市", "広報広聴課", ["市政"],
                ("logo", "金")),
            off("misskey", "kanazawa_koho@misskey.io", "金沢市広報", "広報広聴課", ["広報"],
                ("logo", "金")),
        ],
    ),
    dict(
        key="mirai", name="みらい市", kana="みらい", pref="みらい県", romaji="mirai",
        short="mri", site="https://www.city.mirai.example.lg.jp/", dept="企画部広報課",
        colour=(230, 90, 140), kind="city", surname=False,
        officials=[
            off("x", "city_koho", "みらい市広報課", "広報課", ["広報", "市政", "お知らせ"],
                ("logo", "み"), "みらい市広報課の公式アカウントです。"),
            off("x", "mirai_bousai", "みらい市危機管理防災課", "危機管理防災課",
                ["危機管理", "防災", "災害情報"],
                ("symbolic", "weather-severe-alert-symbolic", (230, 90, 140))),
            off("x", "mirai_kosodate", "みらい市子育て支援課", "子育て支援課",
                ["子育て", "子育て支援", "保育"], ("papirus", 0)),
            off("x", "mirai_police", "みらい県警察", "みらい県警察本部広報室", ["県警", "防犯"],
                ("breeze", 0), "みらい県警察の公式アカウントです。"),
            off("instagram", "mirai_city_photo", "みらい市観光協会フォト", "観光課", ["観光", "写真"],
                ("photo", "motorcycle_left.png")),
            off("bluesky", "mirai-city.bsky.social", "みらい市", "広報課", ["市政"], ("logo", "み")),
        ],
    ),
    dict(
        key="ryugasaki", name="龍ケ崎市", kana="りゅうがさき", pref="茨城県", romaji="ryugasaki",
        short="ryu", site="https://www.city.ryugasaki.ibaraki.jp/", dept="秘書広聴課",
        colour=(40, 110, 190), kind="city", surname=False,
        officials=[
            off("x", "ryugasaki_city", "龍ケ崎市", "秘書広聴課", ["市政", "お知らせ"],
                ("logo", "龍"), "龍ケ崎市の公式アカウントです。"),
            off("x", "ryu_bousai", "龍ケ崎市防災安全課", "防災安全課", ["防災", "防災安全", "災害"],
                ("symbolic", "dialog-warning-symbolic", (40, 110, 190))),
            off("x", "ryu_kosodate", "龍ケ崎市こども家庭課", "こども家庭課", ["子育て", "こども"],
                ("papirus", 0)),
            off("instagram", "ryugasaki_kanko", "龍ケ崎市商工観光課", "商工観光課", ["観光", "商工"],
                ("photo", "coffee.png")),
            off("bluesky", "ryugasaki.bsky.social", "龍ケ崎市", "秘書広聴課", ["市政"],
                ("logo", "龍")),
        ],
    ),
]

# Other real municipalities, for innocents (their own departments, their own icons).
OTHER_PLACES = [
    ("富山市", "toyama", "富山県"), ("福井市", "fukui", "福井県"), ("長野市", "nagano", "長野県"),
    ("松本市", "matsumoto", "長野県"), ("静岡市", "shizuoka", "静岡県"), ("岐阜市", "gifu", "岐阜県"),
    ("大津市", "otsu", "滋賀県"), ("奈良市", "nara", "奈良県"), ("鳥取市", "tottori", "鳥取県"),
    ("松江市", "matsue", "島根県"), ("岡山市", "okayama", "岡山県"), ("高松市", "takamatsu", "香川県"),
    ("松山市", "matsuyama", "愛媛県"), ("高知市", "kochi", "高知県"), ("佐賀市", "saga", "佐賀県"),
    ("熊本市", "kumamoto", "熊本県"), ("大分市", "oita", "大分県"), ("那覇市", "naha", "沖縄県"),
    ("青森市", "aomori", "青森県"), ("盛岡市", "morioka", "岩手県"), ("秋田市", "akita", "秋田県"),
    ("山形市", "yamagata", "山形県"), ("水戸市", "mito", "茨城県"), ("前橋市", "maebashi", "群馬県"),
    ("川崎市", "kawasaki", "神奈川県"), ("長崎市", "nagasaki", "長崎県"), ("高石市", "takaishi", "大阪府"),
    ("浜田市", "hamada", "島根県"), ("宮津市", "miyazu", "京都府"), ("神奈川県", "kanagawa", "神奈川県"),
    ("高砂市", "takasago", "兵庫県"), ("宮古市", "miyako", "岩手県"), ("金山町", "kaneyama", "山形県"),
    ("三鷹市", "mitaka", "東京都"), ("龍野", "tatsuno", "兵庫県"), ("竜王町", "ryuo", "滋賀県"),
    ("茅ヶ崎市", "chigasaki", "神奈川県"), ("柏崎市", "kashiwazaki", "新潟県"),
    ("尼崎市", "amagasaki", "兵庫県"), ("鎌倉市", "kamakura", "神奈川県"),
]
# Romanisations one or two letters from ours that are other real places (issue 10, 6).
PLACE_NEIGHBOURS = {
    "takasaki": [("高砂市", "takasago"), ("高石市", "takaishi")],
    "miyazaki": [("宮津市", "miyazu"), ("宮古市", "miyako"), ("長崎県", "nagasaki")],
    "hamamatsu": [("浜田市", "hamada"), ("浜松町", "hamamatsucho")],
    "kanazawa": [("神奈川県", "kanagawa"), ("金山町", "kaneyama")],
    "mirai": [("三鷹市", "mitaka"), ("美里町", "misato")],
    "ryugasaki": [("茅ヶ崎市", "chigasaki"), ("尼崎市", "amagasaki"), ("柏崎市", "kashiwazaki")],
}
# Handle neighbours that are ordinary words (a workshop next to the PR office).
WORD_NEIGHBOURS = {
    "koho": [("kobo", "木工房", "手づくり木工の工房です。オーダー家具・小物承ります。"),
             ("kohi", "自家焙煎珈琲", "自家焙煎のコーヒー豆屋。通販もあります。"),
             ("koto", "箏曲教室", "お箏の教室です。体験レッスン受付中。")],
    "bousai": [("bonsai", "盆栽園", "盆栽の手入れ教室を毎月開催しています。"),
               ("bousui", "防水工事店", "屋上・ベランダの防水工事。見積無料。")],
    "bosai": [("bonsai", "盆栽園", "盆栽の手入れ教室を毎月開催しています。"),
              ("bosei", "母性看護ゼミ", "看護学生の勉強会アカウント。")],
    "kanko": [("kanpo", "漢方薬局", "漢方相談の薬局です。"), ("kanto", "関東ラーメン巡り", "関東のラーメンを食べ歩き。")],
    "kodomo": [("kodama", "こだま整骨院", "整骨院です。"), ("komomo", "こももベーカリー", "小さなパン屋です。")],
    "cyber": [("cyder", "クラフトサイダー", "手づくりサイダーの店。")],
    "kenkei": [("kenkou", "健康クラブ", "ウォーキングと体操の市民サークル。")],
    "kosodate": [("kosodate_mama", "子育てママ会", "ママたちの雑談アカウントです。")],
    "pr": [("pro", "写真スタジオ", "家族写真・成人式の撮影。")],
    "police": [("polish", "ネイルサロン", "ジェルネイル・ハンドケア。予約はサイトから。")],
    "city": [("citrus", "柑橘農園", "みかん・はっさくの産直。")],
    "kotsu": [("kotsu_seikotsu", "整骨院", "交通事故のむち打ち治療も。")],
}

# Japanese 異体字 seen in names and addresses (hand list; Unihan variants are added below).
HAND_VARIANTS = {
    "高": "髙", "崎": "﨑嵜", "辺": "邊邉", "斎": "齋齊", "浜": "濱", "沢": "澤", "桜": "櫻",
    "竜": "龍", "龍": "竜", "広": "廣", "国": "國", "県": "縣", "区": "區", "島": "嶋嶌",
    "富": "冨", "徳": "德", "吉": "𠮷", "真": "眞", "恵": "惠", "曽": "曾", "条": "條",
    "会": "會", "学": "學", "児": "兒", "実": "實", "宝": "寶", "関": "關", "栄": "榮",
    "館": "舘", "峰": "峯", "槙": "槇", "鉄": "鐵", "発": "發", "総": "總", "観": "觀",
    "聴": "聽", "警": "警", "察": "察", "災": "烖", "防": "防", "対": "對",
    "来": "來", "宮": "宮", "金": "金", "ケ": "ヶヵが", "市": "巿",
    "課": "課", "報": "報", "支": "支", "援": "援", "画": "畫", "企": "企", "犯": "犯",
    "交": "交", "通": "通", "安": "安", "全": "全", "理": "理", "危": "危",
    "育": "育", "子": "孑", "保": "保", "家": "家", "庭": "庭", "商": "啇", "工": "工",
    "光": "灮", "政": "政", "教": "敎", "者": "者", "都": "都", "神": "神",
}

NEWS_SCAM_BIOS = [
    "【重要】給付金の申請はDMで受付中。口座情報をお送りください。",
    "フォロー＆リポストで抽選1000名様に現金プレゼント！当選者にはDMでご連絡します。",
    "公式の新アカウントです。旧アカウントは乗っ取られました。",
    "緊急の避難情報をお知らせします。詳細はプロフィールのリンクから。",
    "未納の税金があります。至急こちらから手続きしてください。",
    "特別定額給付金の再給付について。対象者はリンクから登録。",
    "当選おめでとうございます🎉 受け取りはLINE登録から",
    "警察です。あなたの口座が犯罪に使われています。DMで連絡してください。",
    "サイバー犯罪の被害回復を支援します。手数料が必要です。",
    "",
]
SCAM_HANDLE_WORDS = ["kyufu", "kyufukin", "present", "campaign", "tousen", "info", "news",
                     "oshirase", "support", "jimukyoku", "official", "koshiki", "jp", "center"]
JP_GIVEN = ["美咲", "大翔", "陽菜", "蓮", "結衣", "悠真", "さくら", "湊", "葵", "陽太", "花子",
            "太郎", "健一", "由美", "直樹", "真由美", "翔太", "愛"]
JP_GIVEN_ROMAJI = ["misaki", "hiroto", "hina", "ren", "yui", "yuma", "sakura", "minato", "aoi",
                   "yota", "hanako", "taro", "kenichi", "yumi", "naoki", "mayumi", "shota", "ai"]
SURNAME_NEAR = {"takasaki": ("高嶋", "takashima"), "miyazaki": ("宮崎", "miyazaki"),
                "kanazawa": ("金沢", "kanazawa"), "hamamatsu": ("浜田", "hamada"),
                "mirai": ("三浦", "miura"), "ryugasaki": ("龍崎", "ryuzaki")}
SHOPS = [("ラーメン", "ramen"), ("パン工房", "bakery"), ("カフェ", "cafe"), ("花屋", "flower"),
         ("古書店", "books"), ("整体院", "seitai"), ("美容室", "hair"), ("不動産", "fudosan"),
         ("酒店", "sake"), ("写真館", "photo"), ("ヨガ教室", "yoga"), ("歯科医院", "dental")]
FAN_NAMES = ["{p}が好き", "{p}さんぽ", "{p}グルメ部", "{p}の空", "{p}暮らし", "{p}ファン",
             "{p}民の日常", "{p}カメラ部", "{p}鉄道ファン", "{p}ランナーズ"]
NEWS_NAMES = ["{p}経済新聞", "{p}タイムズ", "{p}ニュース速報（非公式）", "{k}新聞 {p}支局",
              "{p}つうしん", "{p}ケーブルテレビ"]
RELATED_ORGS_POLICE = [("防犯協会", "bouhan_kyokai"), ("交通安全協会", "kotsu_anzen"),
                       ("警察職員互助会", "gojokai"), ("少年警察ボランティア", "shonen_vol"),
                       ("暴力追放運動推進センター", "boutsui"), ("犯罪被害者支援センター", "higaisha_sc")]
PREF_ROMAJI = {"富山県": "toyama", "福井県": "fukui", "長野県": "nagano", "静岡県": "shizuoka",
               "岐阜県": "gifu", "滋賀県": "shiga", "奈良県": "nara", "鳥取県": "tottori", "島根県": "shimane",
               "岡山県": "okayama", "香川県": "kagawa", "愛媛県": "ehime", "高知県": "kochi", "佐賀県": "saga",
               "熊本県": "kumamoto", "大分県": "oita", "沖縄県": "okinawa", "青森県": "aomori", "岩手県": "iwate",
               "秋田県": "akita", "山形県": "yamagata", "茨城県": "ibaraki", "群馬県": "gunma",
               "神奈川県": "kanagawa", "長崎県": "nagasaki", "大阪府": "osaka", "京都府": "kyoto",
               "兵庫県": "hyogo", "東京都": "tokyo", "新潟県": "niigata"}
RELATED_ORGS = [("社会福祉協議会", "shakyo"), ("観光協会", "visit"), ("商工会議所", "cci"),
                ("国際交流協会", "kokusai"), ("シルバー人材センター", "silver"),
                ("消防団", "shobodan"), ("体育協会", "taikyo"), ("市民活動センター", "shimin")]
UNRELATED_NAMES = [("猫と暮らす", "neko_kurashi"), ("山登り日記", "yama_nikki"), ("鉄道写真", "tetsu_photo"),
                   ("料理メモ", "ryori_memo"), ("読書記録", "dokusho_log"), ("ゲーム実況", "game_live"),
                   ("釣り好き", "tsuri_suki"), ("園芸ノート", "engei_note"), ("ギター練習", "guitar_prac"),
                   ("推し活", "oshikatsu"), ("朝ラン", "asa_run"), ("カメラ初心者", "camera_beg")]


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

def svg_rgba(path, size):
    try:
        png = cairosvg.svg2png(url=str(path), output_width=size, output_height=size)
    except Exception:  # a few theme SVGs declare XML entities; they are local Debian files
        png = cairosvg.svg2png(url=str(path), output_width=size, output_height=size, unsafe=True)
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGRA)
    if img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2BGRA)
    return img  # BGRA


def over(bg_bgr, fg_bgra, x, y):
    h, w = fg_bgra.shape[:2]
    roi = bg_bgr[y:y + h, x:x + w].astype(np.float32)
    a = fg_bgra[:, :, 3:4].astype(np.float32) / 255.0
    bg_bgr[y:y + h, x:x + w] = (roi * (1 - a) + fg_bgra[:, :, :3].astype(np.float32) * a).astype(np.uint8)


def bgr(rgb):
    return (int(rgb[2]), int(rgb[1]), int(rgb[0]))


def plate(colour_rgb, shape):
    img = np.full((SIZE, SIZE, 3), 255, np.uint8)
    if shape == "square":
        img[:] = bgr(colour_rgb)
    else:
        cv2.circle(img, (SIZE // 2, SIZE // 2), SIZE // 2 - 2, bgr(colour_rgb), -1, cv2.LINE_AA)
    return img


def icon_on_plate(svg, colour_rgb, shape="square", frac=0.62, white=False):
    img = plate(colour_rgb, shape)
    s = int(SIZE * frac)
    fg = svg_rgba(svg, s)
    if white:
        fg[:, :, :3] = 255
    over(img, fg, (SIZE - s) // 2, (SIZE - s) // 2)
    return img


def text_logo(text, colour_rgb, shape="circle", sub=None):
    img = Image.new("RGB", (SIZE, SIZE), (255, 255, 255))
    d = ImageDraw.Draw(img)
    if shape == "circle":
        d.ellipse([4, 4, SIZE - 4, SIZE - 4], fill=tuple(colour_rgb))
    else:
        d.rectangle([0, 0, SIZE, SIZE], fill=tuple(colour_rgb))
    font = ImageFont.truetype(FONT, 220 if len(text) == 1 else 150, index=0)
    box = d.textbbox((0, 0), text, font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text(((SIZE - w) / 2 - box[0], (SIZE - h) / 2 - box[1] - (25 if sub else 0)), text,
           font=font, fill=(255, 255, 255))
    if sub:
        f2 = ImageFont.truetype(FONT, 44, index=0)
        b2 = d.textbbox((0, 0), sub, font=f2)
        d.text(((SIZE - (b2[2] - b2[0])) / 2, 300), sub, font=f2, fill=(255, 255, 255))
    return cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)


def photo(name, rng):
    img = cv2.cvtColor(np.array(Image.open(SKIMAGE_DATA / name).convert("RGB")), cv2.COLOR_RGB2BGR)
    h, w = img.shape[:2]
    s = min(h, w)
    y, x = (h - s) // 2, (w - s) // 2
    return cv2.resize(img[y:y + s, x:x + s], (SIZE, SIZE), interpolation=cv2.INTER_AREA)


PHOTOS = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "motorcycle_left.png",
          "hubble_deep_field.jpg", "retina.jpg", "ihc.png", "immunohistochemistry.png",
          "horse.png", "camera.png", "moon.png", "coins.png", "page.png", "brick.png",
          "grass.png", "gravel.png", "color.png", "logo.png", "cell.png", "text.png"]


def available_photos():
    return [p for p in PHOTOS if (SKIMAGE_DATA / p).exists()]


class IconBank:
    """Real icons of Debian's icon themes, as (path) lists per set."""

    def __init__(self):
        def files(root, pattern="*.svg"):
            return sorted(p for p in Path(root).glob(pattern) if p.is_file() and not p.is_symlink())
        self.papirus = files(ICONS / "Papirus/64x64/apps")
        self.symbolic = files(ICONS / "Papirus/symbolic/status") + files(ICONS / "Papirus/symbolic/actions")
        self.breeze = files(ICONS / "breeze/apps/48") + files(ICONS / "breeze/places/64")
        self.adwaita = files(ICONS / "Adwaita/scalable/devices") + files(ICONS / "Adwaita/scalable/places") \
            + files(ICONS / "Adwaita/scalable/apps") + files(ICONS / "Adwaita/scalable/mimetypes")
        for name, lst in [("papirus", self.papirus), ("papirus symbolic", self.symbolic),
                          ("breeze", self.breeze), ("adwaita", self.adwaita)]:
            if len(lst) < 20:
                sys.exit(f"gen_eval_independent: too few {name} icons; install the Debian icon themes")

    def symbolic_named(self, name):
        for p in self.symbolic:
            if p.stem == name:
                return p
        return self.symbolic[0]


def official_avatar(spec, org, bank, rng):
    """Renders an official avatar; returns (image, template) where template describes the style
    (used to make innocent icons of the same set on the same background)."""
    kind = spec[0]
    colour = org["colour"]
    if kind == "logo":
        return text_logo(spec[1], colour, "circle"), ("logo", colour)
    if kind == "symbolic":
        return icon_on_plate(bank.symbolic_named(spec[1]), spec[2], "square", 0.58, white=True), \
            ("symbolic", spec[2])
    if kind == "papirus":
        path = rng.choice(bank.papirus)
        return icon_on_plate(path, colour, "square", 0.7), ("papirus", colour, path)
    if kind == "breeze":
        path = rng.choice(bank.breeze)
        return icon_on_plate(path, colour, "circle", 0.6), ("breeze", colour, path)
    if kind == "photo":
        return photo(spec[1], rng), ("photo", spec[1])
    raise ValueError(spec)


def template_sibling(template, bank, rng):
    """A different icon of the same set on the same background: not the same picture."""
    kind = template[0]
    if kind == "logo":
        ch = rng.choice("山川町村里森海空花星")
        return text_logo(ch, template[1], "circle")
    if kind == "symbolic":
        return icon_on_plate(rng.choice(bank.symbolic), template[1], "square", 0.58, white=True)
    if kind == "papirus":
        others = [p for p in bank.papirus if p != template[2]]
        return icon_on_plate(rng.choice(others), template[1], "square", 0.7)
    if kind == "breeze":
        others = [p for p in bank.breeze if p != template[2]]
        return icon_on_plate(rng.choice(others), template[1], "circle", 0.6)
    others = [p for p in available_photos() if p != template[1]]
    return photo(rng.choice(others), rng)


def random_colour(rng):
    h = rng.randrange(180)
    hsv = np.uint8([[[h, rng.randint(120, 255), rng.randint(110, 240)]]])
    b, g, r = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0]
    return (int(r), int(g), int(b))


def unrelated_avatar(bank, rng):
    r = rng.random()
    if r < 0.35:
        return icon_on_plate(rng.choice(bank.adwaita), random_colour(rng), rng.choice(["square", "circle"]),
                             rng.uniform(0.5, 0.8))
    if r < 0.6:
        return icon_on_plate(rng.choice(bank.papirus), random_colour(rng), "square", rng.uniform(0.55, 0.8))
    if r < 0.85:
        img = photo(rng.choice(available_photos()), rng)
        return A.Compose([A.RandomResizedCrop(size=(SIZE, SIZE), scale=(0.3, 0.9), p=1)], seed=rng.randrange(1 << 30))(image=img)["image"]
    return text_logo(rng.choice("山川町花星光丸和栄"), random_colour(rng), rng.choice(["circle", "square"]))


def place_logo(name, rng):
    """Another place's own emblem-like logo: its name's first two characters, its colour."""
    stem = name[:-1] if name[-1] in "市町村県" and len(name) > 2 else name
    return text_logo(stem[:2], random_colour(rng), rng.choice(["circle", "square"]))


def flat_colour(rgb):
    img = np.zeros((SIZE, SIZE, 3), np.uint8)
    img[:] = bgr(rgb)
    return img


def default_silhouette():
    img = np.full((SIZE, SIZE, 3), (225, 218, 206), np.uint8)
    cv2.circle(img, (200, 150), 75, (160, 150, 140), -1, cv2.LINE_AA)
    cv2.ellipse(img, (200, 400), (150, 150), 0, 180, 360, (160, 150, 140), -1, cv2.LINE_AA)
    return img


def jp_text(img, text, rng, banner=True):
    pil = Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    d = ImageDraw.Draw(pil)
    h = img.shape[0]
    font = ImageFont.truetype(FONT, max(14, int(h * rng.uniform(0.09, 0.14))), index=0)
    box = d.textbbox((0, 0), text, font=font)
    tw, th = box[2] - box[0], box[3] - box[1]
    y = int(h * rng.uniform(0.72, 0.82))
    if banner:
        d.rectangle([0, y - 6, h, y + th + 12], fill=(220, 20, 30))
    d.text(((h - tw) / 2 - box[0], y - box[1]), text, font=font,
           fill=(255, 255, 255) if banner else (255, 230, 0), stroke_width=0 if banner else 2,
           stroke_fill=(0, 0, 0))
    return cv2.cvtColor(np.array(pil), cv2.COLOR_RGB2BGR)


def rotate(img, deg, rng, mode):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    if mode == "white":
        out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                             borderValue=(255, 255, 255))
    elif mode == "replicate":
        out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    else:  # the largest centred square without corners
        out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        a = abs(np.deg2rad(deg))
        side = int(w / (np.cos(a) + np.sin(a)))
        o = (w - side) // 2
        out = cv2.resize(out[o:o + side, o:o + side], (w, h), interpolation=cv2.INTER_CUBIC)
    return out


def uneven_crop(img, total, rng):
    """Removes `total` (0.15–0.20) of the width and of the height, unevenly split."""
    h, w = img.shape[:2]
    sx = rng.uniform(0.0, 1.0)
    sy = rng.uniform(0.0, 1.0)
    if rng.random() < 0.5:  # mostly from one side
        sx = rng.choice([rng.uniform(0, 0.2), rng.uniform(0.8, 1)])
    left, top = int(w * total * sx), int(h * total * sy)
    right, bottom = w - int(w * total * (1 - sx)), h - int(h * total * (1 - sy))
    out = img[top:bottom, left:right]
    if rng.random() < 0.5:
        return cv2.resize(out, (w, h), interpolation=cv2.INTER_AREA)
    return out  # not square: platforms show it cropped again


def alb(img, transforms, rng):
    return A.Compose(transforms, seed=rng.randrange(1 << 30))(image=img)["image"]


def transform(kind, img, rng, colour):
    """One family of avatar transforms; returns (image, variant, extension)."""
    if kind == "avatar_exact":
        return img.copy(), "copy", "png"
    if kind == "avatar_rotate":
        deg = rng.uniform(3, 10) * rng.choice([-1, 1])
        mode = rng.choice(["white", "replicate", "inner"])
        return rotate(img, deg, rng, mode), f"{abs(deg):.1f}deg_{mode}", "png"
    if kind == "avatar_crop_uneven":
        t = rng.uniform(0.15, 0.20)
        return uneven_crop(img, t, rng), f"{t:.2f}", "png"
    if kind == "avatar_jpeg":
        q = rng.randint(12, 40)
        small = cv2.resize(img, (rng.choice([200, 240, 400]),) * 2, interpolation=cv2.INTER_AREA)
        return alb(small, [A.ImageCompression(quality_range=(q, q), p=1)], rng), f"q{q}", "jpg"
    if kind == "avatar_colour":
        v = rng.choice(["hsv", "rgb", "planckian", "gamma", "bc"])
        t = {"hsv": A.HueSaturationValue((-25, 25), (-40, 40), (-30, 30), p=1),
             "rgb": A.RGBShift((-40, 40), (-40, 40), (-40, 40), p=1),
             "planckian": A.PlanckianJitter(p=1),
             "gamma": A.RandomGamma((55, 160), p=1),
             "bc": A.RandomBrightnessContrast((-0.3, 0.3), (-0.3, 0.3), p=1)}[v]
        return alb(img, [t], rng), v, "png"
    if kind == "avatar_overlay_text":
        text = rng.choice(["公式", "プレゼント", "給付金", "当選DM", "緊急", "新アカウント", "公式DM"])
        return jp_text(img, text, rng, banner=rng.random() < 0.6), text, "png"
    if kind == "avatar_frame":
        v = rng.choice(["border", "border_circle", "double"])
        t = int(SIZE * rng.uniform(0.05, 0.12))
        c = random_colour(rng)
        out = cv2.copyMakeBorder(img, t, t, t, t, cv2.BORDER_CONSTANT, value=bgr(c))
        if v == "double":
            out = cv2.copyMakeBorder(out, t // 2, t // 2, t // 2, t // 2, cv2.BORDER_CONSTANT,
                                     value=(255, 255, 255))
        if v == "border_circle":
            s = out.shape[0]
            mask = np.zeros((s, s), np.uint8)
            cv2.circle(mask, (s // 2, s // 2), s // 2 - t // 2, 255, -1)
            out[mask == 0] = bgr(c)
        return cv2.resize(out, (SIZE, SIZE), interpolation=cv2.INTER_AREA), v, "png"
    if kind == "avatar_mirror":
        out = cv2.flip(img, 1)
        if rng.random() < 0.4:
            out = alb(out, [A.ImageCompression(quality_range=(60, 85), p=1)], rng)
        return out, "hflip", "png"
    if kind == "avatar_scale":
        v = rng.choice(["thumb48", "thumb64", "thumb96", "upscaled", "pad"])
        if v.startswith("thumb"):
            s = int(v[5:])
            return cv2.resize(img, (s, s), interpolation=cv2.INTER_AREA), v, "png"
        if v == "upscaled":
            small = cv2.resize(img, (56, 56), interpolation=cv2.INTER_AREA)
            return cv2.resize(small, (512, 512), interpolation=cv2.INTER_CUBIC), v, "jpg"
        s = int(SIZE * rng.uniform(0.72, 0.85))
        canvas = np.full((SIZE, SIZE, 3), 255 if rng.random() < 0.5 else 30, np.uint8)
        o = (SIZE - s) // 2 + rng.randint(-10, 10)
        canvas[o:o + s, o:o + s] = cv2.resize(img, (s, s), interpolation=cv2.INTER_AREA)
        return canvas, v, "png"
    if kind == "avatar_noise_blur":
        v = rng.choice(["gauss_noise", "blur", "sharpen"])
        t = {"gauss_noise": A.GaussNoise(std_range=(0.04, 0.09), p=1),
             "blur": A.GaussianBlur(blur_limit=(5, 9), p=1),
             "sharpen": A.Sharpen(p=1)}[v]
        return alb(img, [t], rng), v, "jpg"
    if kind == "avatar_perspective":
        return alb(img, [A.Perspective(scale=(0.02, 0.05), fit_output=False, p=1)], rng), "persp", "png"
    if kind == "avatar_combo":
        deg = rng.uniform(3, 8) * rng.choice([-1, 1])
        out = rotate(img, deg, rng, rng.choice(["white", "inner"]))
        out = uneven_crop(out, rng.uniform(0.08, 0.15), rng)
        out = alb(out, [A.HueSaturationValue((-10, 10), (-20, 20), (-15, 15), p=1),
                        A.ImageCompression(quality_range=(25, 50), p=1)], rng)
        return out, f"rot{abs(deg):.0f}+crop+hsv+jpeg", "jpg"
    raise ValueError(kind)


AVATAR_KINDS = ["avatar_exact", "avatar_rotate", "avatar_crop_uneven", "avatar_jpeg",
                "avatar_colour", "avatar_overlay_text", "avatar_frame", "avatar_mirror",
                "avatar_scale", "avatar_noise_blur", "avatar_perspective", "avatar_combo"]
LIGHT_AVATAR_KINDS = ["avatar_exact", "avatar_jpeg", "avatar_scale", "avatar_crop_uneven",
                      "avatar_rotate", "avatar_overlay_text"]


# ---------------------------------------------------------------------------------------------
# Handles
# ---------------------------------------------------------------------------------------------

X_RE = re.compile(r"^[A-Za-z0-9_]{1,15}$")


def split_handle(platform, handle):
    """(local part, suffix) of a handle: `name.bsky.social` -> (name, .bsky.social)."""
    if platform == "bluesky":
        i = handle.find(".")
        return handle[:i], handle[i:]
    if platform in ("mastodon", "misskey") and "@" in handle:
        i = handle.find("@")
        return handle[:i], handle[i:]
    return handle, ""


def valid_local(platform, local):
    if platform in ("x",):
        return bool(X_RE.match(local))
    if platform == "bluesky":
        return bool(re.match(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", local)) and len(local) >= 3
    if platform == "instagram":
        return bool(re.match(r"^[a-z0-9._]{1,30}$", local)) and not local.endswith(".")
    if platform == "youtube":
        return bool(re.match(r"^[A-Za-z0-9._-]{3,30}$", local))
    return bool(re.match(r"^[A-Za-z0-9_]{1,30}$", local))


_DNSTWIST_CACHE = {}


def dnstwist_variants(local):
    """dnstwist's fuzzers on the handle used as a domain label (`_` read as `-`)."""
    if local in _DNSTWIST_CACHE:
        return _DNSTWIST_CACHE[local]
    label = local.replace("_", "-").replace(".", "-")
    f = dnstwist.Fuzzer(label + ".com")
    f.generate()
    out = {}
    for d in f.domains:
        fz = d["fuzzer"]
        dom = d["domain"]
        if fz.startswith("*") or fz in ("subdomain", "various", "tld-swap", "dictionary"):
            continue
        if not dom.endswith(".com") or dom.startswith("xn--"):
            continue
        v = dom[:-4]
        if "." in v or not v.isascii():
            continue
        out.setdefault(fz, []).append(v)
    _DNSTWIST_CACHE[local] = out
    return out


def relocal(original, variant, platform):
    """Puts the original separators back into a dnstwist variant of the same length class."""
    sep = "-" if platform == "bluesky" else ("." if "." in original and platform == "instagram" else "_")
    v = variant.replace("-", sep)
    if platform == "x":
        v = v.replace(".", "_")
    return v


def ascii_confusables():
    """Pairs of ASCII strings that Unicode's confusables data declares confusable."""
    pairs = {}
    for ch in "abcdefghijklmnopqrstuvwxyz0123456789":
        found = confusables.is_confusable(ch, greedy=True, preferred_aliases=[]) or []
        for f in found:
            for h in f["homoglyphs"]:
                c = h["c"].replace("\u200e", "")
                if c.isascii() and c.isalnum() and c.lower() != ch:
                    pairs.setdefault(ch, set()).add(c)
                    # the way back: `0` for `o`, `m` for `rn` (keys are matched lower-case)
                    pairs.setdefault(c.lower(), set()).add(ch)
    # `l` and `I` are both confusable with `1`; the data spells them as upper-case letters too.
    return {k: sorted(v) for k, v in pairs.items()}


def confusable_swaps(local, pairs, rng, n):
    """Applies n distinct confusable substitutions (single or multi-character)."""
    s = local
    done = []
    for _ in range(n * 6):
        if len(done) >= n:
            break
        keys = [k for k in pairs if k in s.lower()]
        if not keys:
            break
        k = rng.choice(keys)
        positions = [m.start() for m in re.finditer(re.escape(k), s.lower())]
        pos = rng.choice(positions)
        if any(abs(pos - p) < 1 for p in done):
            continue
        rep = rng.choice(pairs[k])
        s = s[:pos] + rep + s[pos + len(k):]
        done.append(pos)
    return s if len(done) >= n else None


def lr_swap(local, rng):
    """The Japanese l/r confusion: police -> porice."""
    idx = [i for i, c in enumerate(local) if c in "lr"]
    if not idx:
        return None
    i = rng.choice(idx)
    return local[:i] + ("r" if local[i] == "l" else "l") + local[i + 1:]


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

def load_unihan_variants():
    table = {}
    if not UNIHAN.exists():
        return table
    # forms a Japanese reader takes for the same character (semantic variants often look unlike)
    fields = {"kTraditionalVariant", "kZVariant", "kSpoofingVariant"}
    for line in bz2.open(UNIHAN, "rt", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cp, field, val = line.rstrip("\n").split("\t")
        if field not in fields:
            continue
        src = chr(int(cp[2:], 16))
        for tok in val.split():
            t = tok.split("<")[0]
            if t.startswith("U+"):
                c = chr(int(t[2:], 16))
                if c != src:
                    table.setdefault(src, set()).add(c)
    return table


def variant_kanji(name, unihan, rng):
    """Replaces one or more characters of `name` with an old or variant form; (name, source)."""
    spots = []
    for i, ch in enumerate(name):
        hand = [c for c in HAND_VARIANTS.get(ch, "") if c != ch]
        uni = sorted(unihan.get(ch, ()))
        uni = [c for c in uni if unicodedata.category(c) == "Lo"]
        if hand or uni:
            spots.append((i, hand, uni))
    if not spots:
        return None
    rng.shuffle(spots)
    k = 1 if rng.random() < 0.6 else min(2, len(spots))
    out = list(name)
    src = []
    for i, hand, uni in spots[:k]:
        if hand and (not uni or rng.random() < 0.65):
            out[i] = rng.choice(hand)
            src.append("hand")
        else:
            out[i] = rng.choice(uni)
            src.append("unihan")
    new = "".join(out)
    if new == name:
        return None
    return new, "+".join(src)


def ivs(name, rng):
    """Adds an ideographic variation selector after a kanji (invisible, changes the glyph)."""
    idx = [i for i, c in enumerate(name) if "\u4e00" <= c <= "\u9fff"]
    if not idx:
        return None
    i = rng.choice(idx)
    return name[:i + 1] + chr(0xE0100 + rng.randrange(3)) + name[i + 1:]


def confusable_name(name, rng):
    """Replaces characters with homoglyphs from Unicode's confusables data."""
    out = list(name)
    changed = 0
    idx = list(range(len(name)))
    rng.shuffle(idx)
    for i in idx:
        found = confusables.is_confusable(name[i], greedy=True, preferred_aliases=[]) or []
        options = []
        for f in found:
            for h in f["homoglyphs"]:
                c = h["c"].replace("\u200e", "")
                if len(c) == 1 and c != name[i] and unicodedata.category(c)[0] in "LN":
                    options.append(c)
        if options:
            out[i] = rng.choice(sorted(options))
            changed += 1
            if changed >= (1 if rng.random() < 0.5 else 2):
                break
    return "".join(out) if changed else None


def latin_homoglyph(text, rng):
    """Cyrillic/Greek letters for Latin ones (Tаkasaki City)."""
    table = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "y": "у", "x": "х",
             "A": "А", "C": "С", "T": "Т", "H": "Н", "K": "К", "M": "М", "P": "Р", "O": "О"}
    idx = [i for i, c in enumerate(text) if c in table]
    if not idx:
        return text
    out = list(text)
    for i in rng.sample(idx, min(len(idx), rng.choice([1, 2]))):
        out[i] = table[out[i]]
    return "".join(out)


def place_of(org):
    return org["name"]


def dept_part(o, org):
    """The official display name without the place (「子育て支援課」)."""
    d = o["display"]
    for p in (org["name"], org["name"][:-1]):
        rest = d[len(p):]
        if d.startswith(p) and len(rest) >= 2 and not rest.startswith(("市", "県")):
            return rest
    return None


# ---------------------------------------------------------------------------------------------
# Account facts
# ---------------------------------------------------------------------------------------------

def facts(rng, role):
    """created_at, posts, followers, verified for an impostor, an innocent or an official."""
    if role == "impostor":
        r = rng.random()
        if r < 0.72:
            age = rng.uniform(0.2, 45)
            posts = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, rng.randint(0, 40)])
            followers = int(rng.expovariate(1 / 25))
        elif r < 0.88:
            age = rng.uniform(45, 500)
            posts = rng.randint(0, 200)
            followers = int(rng.expovariate(1 / 120))
        else:  # a bought or hijacked old account, renamed
            age = rng.uniform(700, 4000)
            posts = rng.randint(200, 8000)
            followers = rng.randint(100, 6000)
        verified = rng.random() < 0.07
    elif role == "official":
        age = rng.uniform(900, 5000)
        posts = rng.randint(800, 20000)
        followers = rng.randint(3000, 150000)
        verified = rng.random() < 0.7
    else:
        if role == "new" or rng.random() < 0.2:
            age = rng.uniform(0.5, 60)
            posts = rng.randint(0, 25)
            followers = rng.randint(0, 40)
        else:
            age = rng.uniform(200, 5000)
            posts = int(10 ** rng.uniform(1, 4.3))
            followers = int(10 ** rng.uniform(0.7, 4))
        verified = rng.random() < 0.03
    created = NOW - dt.timedelta(days=age, seconds=rng.randrange(86400))
    return {"created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"), "posts_count": posts,
            "followers_count": followers, "verified": verified}


# ---------------------------------------------------------------------------------------------
# The set
# ---------------------------------------------------------------------------------------------

class SetWriter:
    def __init__(self, out_dir, org, rng, bank):
        self.dir = out_dir
        self.org = org
        self.rng = rng
        self.bank = bank
        self.lines = []
        self.n = 0
        self.taken = set()
        (out_dir / "avatars").mkdir(parents=True, exist_ok=True)
        self.unihan = load_unihan_variants()
        self.pairs = ascii_confusables()
        self.officials = []
        self.render_officials()

    # -- registry -------------------------------------------------------------------------------
    def render_officials(self):
        org, rng = self.org, self.rng
        cache = {}
        for o in org["officials"]:
            key = repr(o["avatar"])
            if key not in cache:
                cache[key] = official_avatar(o["avatar"], org, self.bank, rng)
            img, template = cache[key]
            local, _ = split_handle(o["platform"], o["handle"])
            fname = f"avatars/official_{re.sub(r'[^a-z0-9]+', '_', local.lower())}_{o['platform']}.png"
            cv2.imwrite(str(self.dir / fname), img)
            self.officials.append(dict(o, img=img, template=template, avatar_path=fname))
            self.taken.add((o["platform"], o["handle"].lower()))

    def write_registry(self):
        org = self.org
        q = lambda s: json.dumps(s, ensure_ascii=False)  # TOML basic strings accept JSON escapes
        out = [f"# Independent validation registry ({org['name']}), written by",
               "# scripts/gen_eval_independent.py. Handles are invented for evaluation.", "",
               "[organization]", f"name = {q(org['name'])}", f"department = {q(org['dept'])}",
               f"website = {q(org['site'])}", ""]
        for o in self.officials:
            url = {"x": f"https://x.com/{o['handle']}",
                   "bluesky": f"https://bsky.app/profile/{o['handle']}",
                   "instagram": f"https://www.instagram.com/{o['handle']}/",
                   "youtube": f"https://www.youtube.com/@{o['handle']}",
                   }.get(o["platform"])
            if url is None:
                user, host = o["handle"].split("@")
                url = f"https://{host}/@{user}"
            out += ["[[official]]", f"platform = {q(o['platform'])}", f"handle = {q(o['handle'])}",
                    f"display_name = {q(o['display'])}", f"url = {q(url)}",
                    f"avatar = {q(o['avatar_path'])}", f"operator = {q(o['dept'])}"]
            if o.get("bio"):
                out.append(f"bio = {q(o['bio'])}")
            out.append("")
        out += ["[[source]]", 'kind = "file"', 'path = "labels.jsonl"', ""]
        (self.dir / "narisumashi.toml").write_text("\n".join(out), encoding="utf-8")

    # -- lines ----------------------------------------------------------------------------------
    def save_avatar(self, img, ext="png"):
        self.n += 1
        name = f"avatars/a{self.n:04d}.{ext}"
        if ext == "jpg":
            cv2.imwrite(str(self.dir / name), img, [cv2.IMWRITE_JPEG_QUALITY, 92])
        else:
            cv2.imwrite(str(self.dir / name), img)
        return name

    def add(self, label, kind, variant, platform, handle, display=None, avatar=None, bio=None,
            default_avatar=False, role=None):
        key = (platform, handle.lower())
        if key in self.taken:
            return False
        self.taken.add(key)
        line = {"platform": platform, "handle": handle}
        if display:
            line["display_name"] = display
        if avatar is not None:
            line["avatar"] = avatar
        if default_avatar:
            line["default_avatar"] = True
        if bio:
            line["bio"] = bio
        line.update(facts(self.rng, role or label))
        line.update({"label": label, "kind": kind, "variant": variant})
        self.lines.append(line)
        return True

    def write_labels(self):
        self.rng.shuffle(self.lines)
        with open(self.dir / "labels.jsonl", "w", encoding="utf-8") as f:
            for line in self.lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")

    # -- helpers --------------------------------------------------------------------------------
    def random_handle(self, platform, rng):
        r = rng.random()
        org = self.org
        if r < 0.3:
            base = f"user{rng.randint(1000, 99999999)}"
        elif r < 0.55:
            base = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(7, 12)))
        elif r < 0.8:
            base = f"{rng.choice(SCAM_HANDLE_WORDS)}_{rng.choice(SCAM_HANDLE_WORDS)}{rng.randint(1, 999)}"
        else:
            base = f"{org['short']}_{rng.choice(SCAM_HANDLE_WORDS)}{rng.choice(['', str(rng.randint(1, 99))])}"
        return self.platform_handle(platform, base[:15])

    def platform_handle(self, platform, local):
        if platform == "bluesky":
            return local.replace("_", "-").lower() + ".bsky.social"
        if platform == "mastodon":
            return local + "@" + self.rng.choice(["mstdn.jp", "mastodon.social", "fedibird.com"])
        if platform == "misskey":
            return local + "@" + self.rng.choice(["misskey.io", "misskey.design"])
        if platform == "instagram":
            return local.lower()
        return local

    def impostor_avatar(self, o, rng, p_copy=0.4, p_none=0.3):
        """For name/handle families: a lightly transformed copy, none/default, or another image."""
        r = rng.random()
        if r < p_copy:
            kind = rng.choice(LIGHT_AVATAR_KINDS)
            img, v, ext = transform(kind, o["img"], rng, self.org["colour"])
            return dict(avatar=self.save_avatar(img, ext)), f"+{kind}"
        if r < p_copy + p_none:
            if rng.random() < 0.5:
                return dict(default_avatar=True, avatar=self.default_avatar()), "+default"
            return {}, "+none"
        if rng.random() < 0.5:
            return dict(avatar=self.save_avatar(text_logo(self.org["name"][0], random_colour(rng), "circle"))), "+own_logo"
        return dict(avatar=self.save_avatar(unrelated_avatar(self.bank, rng))), "+other_image"

    def default_avatar(self):
        if not hasattr(self, "_default"):
            self._default = self.save_avatar(default_silhouette())
        return self._default

    def scam_name(self, rng):
        return rng.choice(["プレゼント企画", "キャンペーン事務局", "給付金のご案内", "ポイント還元",
                           "当選者様窓口", "お知らせ", "サポート窓口", "新アカウント", "情報局",
                           "地域応援アカウント", "まとめ", "速報"])

    def bio_for(self, rng, o=None, scam_p=0.5):
        if rng.random() < scam_p:
            return rng.choice(NEWS_SCAM_BIOS) or None
        if o and o.get("bio") and rng.random() < 0.5:
            return o["bio"]
        return None


def build(out_root, seed, org, bank, scale):
    rng = random.Random(f"{seed}:{org['key']}")
    d = out_root / f"{seed}-{org['key']}"
    if d.exists():
        for p in sorted(d.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
    w = SetWriter(d, org, rng, bank)
    offs = w.officials
    per = lambda base: max(12, int(round(base * scale)))

    def pick():
        return rng.choice(offs)

    def pick_x():
        xs = [o for o in offs if o["platform"] in ("x", "instagram", "bluesky")]
        return rng.choice(xs)

    # ---- avatar families: the official picture, transformed; handle random, name weak --------
    for kind in AVATAR_KINDS:
        target = per(13)
        made = 0
        while made < target:
            o = pick()
            img, v, ext = transform(kind, o["img"], rng, org["colour"])
            r = rng.random()
            if r < 0.45:
                name, nv = w.scam_name(rng), "scam_name"
            elif r < 0.75:
                dp = dept_part(o, org) or o["display"][-2:]
                name, nv = dp, "partial_name"
            elif r < 0.9:
                name, nv = None, "no_name"
            else:
                name, nv = rng.choice(o["topics"]) + "情報", "topic_name"
            platform = o["platform"] if o["platform"] in ("x", "instagram", "bluesky") else "x"
            if w.add("impostor", kind, f"{v}/{nv}", platform, w.random_handle(platform, rng), name,
                     w.save_avatar(img, ext), w.bio_for(rng, o)):
                made += 1

    # ---- handle families: dnstwist fuzzers ----------------------------------------------------
    groups = {"handle_dnstwist_omission": ["omission"],
              "handle_dnstwist_transposition": ["transposition"],
              "handle_dnstwist_replacement": ["replacement", "bitsquatting"],
              "handle_dnstwist_insertion": ["insertion", "addition", "repetition"],
              "handle_dnstwist_vowel_swap": ["vowel-swap"],
              "handle_dnstwist_homoglyph": ["homoglyph"],
              "handle_dnstwist_hyphenation": ["hyphenation", "plural"]}
    for kind, fuzzers in groups.items():
        target = per(13)
        made = 0
        tries = 0
        while made < target and tries < target * 40:
            tries += 1
            o = pick_x()
            local, suffix = split_handle(o["platform"], o["handle"])
            vs = dnstwist_variants(local)
            pool = [v for f in fuzzers for v in vs.get(f, [])]
            if not pool:
                continue
            v = relocal(local, rng.choice(pool), o["platform"])
            if v.lower() == local.lower() or not valid_local(o["platform"], v):
                continue
            extra, av = companion(w, o, rng)
            if w.add("impostor", kind, fuzzers[0] + av, o["platform"], v + suffix, **extra):
                made += 1

    # ---- handle: Unicode confusables (ASCII pairs), one swap and two swaps --------------------
    for kind, n in [("handle_confusable", 1), ("handle_two_swaps", 2)]:
        target = per(14)
        made = 0
        tries = 0
        while made < target and tries < target * 40:
            tries += 1
            o = pick_x()
            local, suffix = split_handle(o["platform"], o["handle"])
            v = confusable_swaps(local, w.pairs, rng, n)
            if kind == "handle_two_swaps" and rng.random() < 0.35:
                # one confusable plus one dnstwist edit
                one = confusable_swaps(local, w.pairs, rng, 1)
                vs = dnstwist_variants(local)
                pool = vs.get("replacement", []) + vs.get("omission", []) + vs.get("insertion", [])
                if one and pool:
                    base = relocal(local, rng.choice(pool), o["platform"])
                    v = confusable_swaps(base, w.pairs, rng, 1)
            if not v or v.lower() == local.lower():
                continue
            if o["platform"] != "x" or not X_RE.match(v):
                if o["platform"] == "x" or not valid_local(o["platform"], v.lower()):
                    continue
                v = v.lower()
            extra, av = companion(w, o, rng)
            if w.add("impostor", kind, f"{n}swap" + av, o["platform"], v + suffix, **extra):
                made += 1

    # ---- handle: a typo that spells another real place, with our name/avatar -----------------
    target = per(12)
    made = 0
    tries = 0
    neighbours = PLACE_NEIGHBOURS.get(org["romaji"], [])
    while made < target and tries < 400 and neighbours:
        tries += 1
        o = pick_x()
        local, suffix = split_handle(o["platform"], o["handle"])
        if org["romaji"] not in local:
            # the organisation's own stem, on the account's platform
            local = rng.choice([f"{org['romaji']}_city", f"city_{org['romaji']}", f"{org['romaji']}_koho",
                                f"{org['romaji']}_info", f"{org['romaji']}{'_police' if org['kind'] == 'police' else 'shi'}"])
            local = local.replace("_", "-") if o["platform"] == "bluesky" else local
        pname, prom = rng.choice(neighbours)
        v = local.replace(org["romaji"], prom)
        if not valid_local(o["platform"], v):
            continue
        r = rng.random()
        if r < 0.5:
            extra = dict(display=o["display"], avatar=w.save_avatar(*transform("avatar_jpeg", o["img"], rng, org["colour"])[::2]))
            av = "name+avatar"
        elif r < 0.75:
            extra = dict(display=rng.choice(["【公式】", ""]) + o["display"])
            av = "name"
        else:
            img, _, ext = transform(rng.choice(LIGHT_AVATAR_KINDS), o["img"], rng, org["colour"])
            extra = dict(display=w.scam_name(rng), avatar=w.save_avatar(img, ext))
            av = "avatar"
        extra["bio"] = w.bio_for(rng, o)
        if w.add("impostor", "handle_other_place_typo", av, o["platform"], v + suffix, **extra):
            made += 1

    # ---- name families -------------------------------------------------------------------------
    name_families(w, rng, per)

    # ---- organisation impostors ------------------------------------------------------------------
    org_families(w, rng, per)

    # ---- cross-platform clones ----------------------------------------------------------------
    target = per(15)
    made = 0
    tries = 0
    while made < target and tries < 500:
        tries += 1
        o = pick()
        local, _ = split_handle(o["platform"], o["handle"])
        platforms = [p for p in ["x", "bluesky", "misskey", "mastodon", "instagram", "facebook", "tiktok", "threads"]
                     if p != o["platform"] and p != "threads"]
        p = rng.choice(platforms)
        loc = local.replace(".", "_") if p != "instagram" else local
        if p == "bluesky":
            loc = loc.replace("_", "-").lower()
        h = w.platform_handle(p, loc)
        r = rng.random()
        if r < 0.45:
            img, v, ext = transform(rng.choice(["avatar_exact", "avatar_jpeg", "avatar_scale"]), o["img"], rng, org["colour"])
            extra = dict(display=o["display"], avatar=w.save_avatar(img, ext))
            av = "name+avatar"
        elif r < 0.7:
            extra = dict(display=rng.choice(["【公式】", "", ""]) + o["display"] + rng.choice(["", "（公式）", " 公式"]))
            av = "name"
        elif r < 0.85:
            img, v, ext = transform(rng.choice(["avatar_exact", "avatar_jpeg"]), o["img"], rng, org["colour"])
            extra = dict(display=w.scam_name(rng), avatar=w.save_avatar(img, ext))
            av = "avatar"
        else:
            extra = {}
            av = "handle_only"
        extra["bio"] = w.bio_for(rng, o, 0.4)
        if w.add("impostor", "cross_platform_clone", f"{o['platform']}->{p}/{av}", p, h, **extra):
            made += 1

    # ---- impersonations like those in the news -------------------------------------------------
    news_families(w, rng, per)

    # ---- innocents ------------------------------------------------------------------------------
    innocents(w, rng, per)

    w.write_registry()
    w.write_labels()
    return d, len(w.lines)


def companion(w, o, rng):
    """What goes with a look-alike handle: the name and avatar an attacker would put with it."""
    r = rng.random()
    if r < 0.3:
        return dict(display=rng.choice(["", "【公式】"]) + o["display"], bio=w.bio_for(rng, o)), "+name"
    if r < 0.5:
        extra, av = w.impostor_avatar(o, rng, p_copy=1.0)
        extra["display"] = w.scam_name(rng) if rng.random() < 0.6 else None
        extra["bio"] = w.bio_for(rng, o)
        return extra, av
    if r < 0.75:
        extra, av = w.impostor_avatar(o, rng, p_copy=0.0, p_none=0.6)
        extra["display"] = w.scam_name(rng) if rng.random() < 0.6 else None
        extra["bio"] = w.bio_for(rng, o)
        return extra, "+handle_only" + av
    dp = dept_part(o, w.org)
    extra, av = w.impostor_avatar(o, rng)
    extra["display"] = dp if dp else w.org["name"] + rng.choice(["情報", "ニュース"])
    extra["bio"] = w.bio_for(rng, o)
    return extra, "+partial" + av


def name_families(w, rng, per):
    org = w.org
    offs = w.officials
    place = org["name"]
    kana = org["kana"]

    def handle_for(o, platform):
        r = rng.random()
        local = split_handle(o["platform"], o["handle"])[0]
        if r < 0.35:
            return w.random_handle(platform, rng)
        if r < 0.7:
            stem = rng.choice([org["romaji"], org["short"], org["romaji"] + "shi", org["romaji"] + "_city"])
            loc = f"{stem}_{rng.choice(['info', 'news', 'oshirase', 'jp', 'official', 'sns', 'now', str(rng.randint(1, 99))])}"[:15]
            return w.platform_handle(platform, loc)
        if r < 0.85:
            return w.platform_handle(platform, f"{local.split('_')[0].split('.')[0]}{rng.randint(10, 9999)}"[:15])
        return w.platform_handle(platform, f"{local}_{rng.choice(['jp', 'info', 'official', '2'])}"[:15])

    def emit(kind, gen, target):
        made = 0
        tries = 0
        while made < target and tries < target * 30:
            tries += 1
            o = rng.choice(offs)
            res = gen(o)
            if not res:
                continue
            name, variant = res
            if name == o["display"]:
                continue
            platform = o["platform"] if o["platform"] in ("x", "instagram", "bluesky") else "x"
            extra, av = w.impostor_avatar(o, rng, p_copy=0.35, p_none=0.35)
            extra["bio"] = w.bio_for(rng, o, 0.45)
            if w.add("impostor", kind, variant + av, platform, handle_for(o, platform), name, **extra):
                made += 1

    def pref_prefix(o):
        if o["display"].startswith(org["pref"]):
            return None
        sep = rng.choice(["", "", " ", "・"])
        return org["pref"] + sep + o["display"], "pref" + ("_sep" if sep else "")

    def suffix_words(o):
        s = rng.choice([" お知らせ", "のお知らせ", "【お知らせ】", " 公式", "（公式）", "公式アカウント",
                        " 情報発信", "★公式", "【公式】", " official", "｜お知らせ", "【速報】"])
        return o["display"] + s, s.strip()

    def handle_after(o):
        local = split_handle(o["platform"], o["handle"])[0]
        s = rng.choice(["@", " @", "／", " / ", "｜", " "])
        return o["display"] + s + local, "sep" + s.strip()

    def truncate_suffix(o):
        d = o["display"]
        if len(d) < 5:
            return None
        cut = rng.randint(1, max(1, min(3, int(len(d) * 0.3))))
        return d[:-cut] + rng.choice(["窓口", "センター", "室", "係", "ネット", "相談室", "事務局", "チーム", "部"]), f"cut{cut}"

    def reorder(o):
        dp = dept_part(o, org)
        if not dp:
            return None
        s = rng.choice(["＠", "@", "｜", "（", " - ", "・", " "])
        if s == "（":
            return f"{dp}（{place}）", "paren"
        return dp + s + place, "sep" + s.strip()

    def paraphrase(o):
        t = rng.sample(o["topics"], min(2, len(o["topics"])))
        forms = [
            f"{'・'.join(t)}＠{place}", f"{place}の{t[0]}情報", f"{place} {t[0]}ニュース",
            f"{t[0]}ナビ｜{place}", f"{place}{t[0]}ポータル", f"{kana}{t[0]}ナビ",
            f"{place[:-1]}{t[0]}情報局", f"{place}・{t[0]}",
        ]
        i = rng.randrange(len(forms))
        return forms[i], f"form{i}"

    def variant(o):
        r = variant_kanji(o["display"], w.unihan, rng)
        if not r:
            s = ivs(o["display"], rng)
            return (s, "ivs") if s else None
        if rng.random() < 0.12:
            s = ivs(r[0], rng)
            if s:
                return s, r[1] + "+ivs"
        return r

    def confusable(o):
        s = confusable_name(o["display"], rng)
        return (s, "unicode_confusables") if s else None

    def official_marker(o):
        m = rng.choice(["【公式】", "[公式]", "公式｜", "≪公式≫", "✅", "【本物】", "【新】"])
        return m + o["display"], m

    def latin(o):
        dp = o["topics"][0]
        en = {"広報": "PR", "防災": "Disaster Info", "子育て": "Kids & Family", "観光": "Tourism",
              "県警": "Police", "防犯": "Crime Prevention", "サイバー犯罪": "Cyber Crime",
              "交通安全": "Traffic Safety", "市政": "Official", "動画": "Channel",
              "危機管理": "Emergency", "広聴": "PR", "まち歩き": "Tourism", "写真": "Photo"}.get(dp, "Info")
        city = org["romaji"].capitalize() + (" City" if org["kind"] == "city" else " Prefectural Police")
        text = f"{city} {en}" if org["kind"] == "city" else city
        return latin_homoglyph(text, rng), "latin_homoglyph"

    emit("name_pref_prefix", pref_prefix, per(15))
    emit("name_suffix_words", suffix_words, per(15))
    emit("name_handle_after", handle_after, per(13))
    emit("name_truncate_suffix", truncate_suffix, per(15))
    emit("name_reorder", reorder, per(15))
    emit("name_paraphrase", paraphrase, per(18))
    emit("name_variant_kanji", variant, per(18))
    emit("name_confusable", confusable, per(13))
    emit("name_official_marker", official_marker, per(13))
    emit("name_latin_homoglyph", latin, per(12))


def org_families(w, rng, per):
    org = w.org
    place = org["name"]
    r_ = org["romaji"]
    is_police = org["kind"] == "police"
    names = ([f"【公式】{place}", f"{place}本部", f"{place[:-1]}", f"{place}（公式）", f"{place}公式",
              f"{org['pref'][:-1]}県警", f"{place} 広報", f"{place}からのお知らせ"]
             if is_police else
             [f"【公式】{place}", f"{place}役所", f"{place}公式", f"{place}（公式）", f"{org['pref']}{place}",
              f"{place} 公式アカウント", f"{place}役所【公式】", f"{place}からのお知らせ", f"{place[:-1]}市役所"])
    target = per(18)
    made = 0
    tries = 0
    while made < target and tries < 400:
        tries += 1
        name = rng.choice(names)
        platform = rng.choice(["x", "x", "x", "bluesky", "instagram"])
        o = rng.choice(w.officials)
        extra, av = w.impostor_avatar(o, rng, p_copy=0.3, p_none=0.4)
        extra["bio"] = w.bio_for(rng, o, 0.6)
        if w.add("impostor", "org_impostor_name", av.lstrip("+"), platform, w.random_handle(platform, rng), name, **extra):
            made += 1
    # handles spelling the organisation (not a registered account), often misspelt
    stems = ([f"{r_}_police", f"{r_}_kenkei", f"{r_}police", f"{r_}_pref_police", f"{r_}_kenkei110", f"{r_}_keisatsu"]
             if is_police else
             [f"{r_}_city", f"city_{r_}", f"{r_}shi", f"{r_}_shiyakusho", f"{r_}_shiyakusyo", f"{r_}city_jp", f"{r_}_koshiki"])
    target = per(18)
    made = 0
    tries = 0
    while made < target and tries < 600:
        tries += 1
        stem = rng.choice(stems)
        r = rng.random()
        if r < 0.4:
            v, var = lr_swap(stem, rng), "l_r"
        elif r < 0.7:
            vs = dnstwist_variants(stem)
            pool = vs.get("omission", []) + vs.get("replacement", []) + vs.get("vowel-swap", []) + vs.get("transposition", [])
            v, var = (relocal(stem, rng.choice(pool), "x") if pool else None), "dnstwist"
        else:
            v, var = stem, "plain"
        if not v or len(v) > 15 or not X_RE.match(v):
            continue
        platform = rng.choice(["x", "x", "instagram"])
        if platform == "instagram":
            v = v.lower()
        o = rng.choice(w.officials)
        rr = rng.random()
        if rr < 0.35:
            display = rng.choice(names)
        elif rr < 0.65:
            display = w.scam_name(rng)
        else:
            display = None
        extra, av = w.impostor_avatar(o, rng, p_copy=0.3, p_none=0.4)
        extra["bio"] = w.bio_for(rng, o, 0.6)
        if w.add("impostor", "org_impostor_handle", var + av, platform, v, display, **extra):
            made += 1


def news_families(w, rng, per):
    org = w.org
    place = org["name"]
    is_police = org["kind"] == "police"
    fams = {
        "news_kyufukin": ([f"【公式】{place} 給付金窓口", f"{place}役所 給付金係", f"{place}給付金のお知らせ",
                           f"{place} 臨時給付金【公式】", f"{place}生活支援給付金", f"{place}・定額減税給付"],
                          ["給付金の申請はDMで受け付けています。", "特別給付金の対象者はリンクから登録を。", "振込先口座をDMでお知らせください。"]),
        "news_present": ([f"{place}プレゼント企画", f"【公式】{place}キャンペーン", f"{place}ふるさと納税プレゼント",
                          f"{place} 当選者窓口", f"{place}公式 抽選会", f"{place}ポイント還元事務局"],
                         ["フォロー＆RTで1万円分ギフト券プレゼント🎁 当選者にDMします", "当選者にDMでご連絡します。", "抽選で100名様に現金！"]),
        "news_disaster": ([f"{place}災害情報【緊急】", f"【緊急】{place} 避難情報", f"{place}防災速報",
                           f"{place} 地震情報", f"{place}危機管理室（臨時）", f"{org['pref']}防災情報"],
                          ["緊急避難情報。詳しくはリンク先で確認してください。", "災害支援金の受付はこちら", "拡散希望"]),
    }
    if is_police:
        fams["news_police"] = ([f"{place} サイバー犯罪相談", f"{org['pref'][:-1]}県警 捜査二課", f"【公式】{place}相談窓口",
                                f"{place}特殊詐欺対策室", f"{place}本部 生活安全部", f"警察庁 {org['pref'][:-1]}分室"],
                               ["あなたの口座が犯罪に使われています。DMで連絡を。", "被害回復の手続きはDMで。", "捜査へのご協力をお願いします。"])
    else:
        fams["news_cityhall"] = ([f"{place}役所 市民課", f"{place}役所 税務課【公式】", f"{place}市民相談室",
                                  f"{place}役所 総合窓口", f"{place}役所 納税課", f"{place}マイナンバー窓口"],
                                 ["未納の税金があります。至急リンクから手続きを。", "マイナポイントの申請はこちら", "ご相談はDMで受付中"])
    for kind, (names, bios) in fams.items():
        target = per(15)
        made = 0
        tries = 0
        while made < target and tries < 300:
            tries += 1
            o = rng.choice(w.officials)
            platform = rng.choice(["x", "x", "x", "instagram", "bluesky"])
            extra, av = w.impostor_avatar(o, rng, p_copy=0.4, p_none=0.3)
            extra["bio"] = rng.choice(bios)
            if w.add("impostor", kind, av.lstrip("+"), platform, w.random_handle(platform, rng), rng.choice(names), **extra):
                made += 1


def innocents(w, rng, per):
    org = w.org
    bank = w.bank
    # innocents live in the place, not in the organisation: 宮崎 for 宮崎県警察
    place = org["pref"] if org["kind"] == "police" else org["name"]
    place_short = place[:-1] if place[-1] in "市町村県" else place
    r_ = org["romaji"]

    # the official accounts themselves
    for o in w.officials:
        w.taken.discard((o["platform"], o["handle"].lower()))
        w.add("innocent", "official", o["platform"], o["platform"], o["handle"], o["display"],
              w.save_avatar(o["img"]), o.get("bio"), role="official")

    def add_n(kind, target, gen):
        made = 0
        tries = 0
        while made < target and tries < target * 30:
            tries += 1
            res = gen()
            if res and w.add("innocent", kind, *res[:2], **res[2]):
                made += 1

    others = [p for p in OTHER_PLACES if p[1] != r_ and p[0] != place]

    # other municipalities' same departments; half with the same icon template
    def other_dept():
        o = rng.choice(w.officials)
        p, pr, pref = rng.choice(others)
        dp = dept_part(o, org) or rng.choice(["広報課", "防災課", "子育て支援課"])
        if org["kind"] == "police":  # another prefecture's police, same department
            p, pr = pref + "警察", PREF_ROMAJI.get(pref, pr) + "_pp"
        local = split_handle(o["platform"], o["handle"])[0]
        suffix = local.split("_", 1)[1] if "_" in local else rng.choice(["koho", "city", "pr"])
        loc = f"{pr}_{suffix}"[:15]
        if rng.random() < 0.5:
            img, v = template_sibling(o["template"], bank, rng), "same_template"
        else:
            img, v = (place_logo(p, rng), "own_logo")
        platform = o["platform"] if o["platform"] in ("x", "instagram", "bluesky") else "x"
        return v, platform, dict(handle=w.platform_handle(platform, loc), display=p + dp,
                                 avatar=w.save_avatar(img), bio=f"{p}{dp}の公式アカウントです。")
    add_n("other_municipality", per(50), other_dept)

    # a real other place one or two letters from ours, its own name and avatar
    neighbours = PLACE_NEIGHBOURS.get(r_, [])

    def other_place_neighbour():
        if not neighbours:
            return None
        o = rng.choice(w.officials)
        local, suffix = split_handle(o["platform"], o["handle"])
        if r_ not in local:
            local = rng.choice([f"{r_}_city", f"city_{r_}", f"{r_}_koho", f"{r_}shi", f"{r_}_kanko"])
            local = local.replace("_", "-") if o["platform"] == "bluesky" else local
        pname, prom = rng.choice(neighbours)
        if org["kind"] == "police":
            pname = pname[:-1] + "県警察" if pname[-1] in "市町県" else pname + "警察"
        dp = dept_part(o, org) or ""
        return "own_name", o["platform"], dict(handle=local.replace(r_, prom) + suffix, display=pname + dp,
                                               avatar=w.save_avatar(place_logo(pname, rng)),
                                               bio=f"{pname}{dp}です。")
    add_n("other_place_neighbour", per(14), other_place_neighbour)

    # different icons of the same set on the same background (local groups)
    def template_lookalike():
        o = rng.choice(w.officials)
        if o["template"][0] == "photo":
            return None
        name = rng.choice([f"{place_short}{x}" for x in ["町内会連合会", "市民合唱団", "少年野球", "子ども食堂", "ボランティア会",
                                                         "まちづくり協議会", "写真部", "マルシェ"]] + [x for x, _ in UNRELATED_NAMES])
        h = f"{rng.choice(['club', 'team', 'group', 'hub', 'lab'])}_{rng.choice(['kita', 'minami', 'aoba', 'sakura', 'midori', 'hikari'])}{rng.randint(1, 99)}"
        return "same_icon_set_same_colour", rng.choice(["x", "instagram"]), dict(
            handle=h, display=name, avatar=w.save_avatar(template_sibling(o["template"], bank, rng)), bio=None)
    add_n("template_icon_lookalike", per(40), template_lookalike)

    def shop():
        jp, en = rng.choice(SHOPS)
        name = rng.choice([f"{place_short}{jp}", f"{jp} {place_short}店", f"{place_short}駅前{jp}"])
        h = rng.choice([f"{r_}_{en}", f"{en}_{r_}", f"{r_}{en}{rng.randint(1, 9)}"])[:15]
        return "shop", rng.choice(["x", "instagram"]), dict(handle=h, display=name,
                                                            avatar=w.save_avatar(unrelated_avatar(bank, rng)),
                                                            bio=f"{place}の{jp}です。営業時間はプロフィールのリンクから。")
    add_n("local_business", per(32), shop)

    def fan():
        name = rng.choice(FAN_NAMES).format(p=place_short)
        h = rng.choice([f"love_{r_}", f"{r_}_fan", f"{r_}_sanpo", f"i_{r_}", f"{r_}_life", f"{r_}_camera"])[:15]
        h = (h + rng.choice(["", str(rng.randint(1, 99)), "_"]))[:15]
        return "fan", "x", dict(
            handle=h, display=name, avatar=w.save_avatar(unrelated_avatar(bank, rng)),
            bio=rng.choice([f"{place}在住。非公式です。", f"{place}の日常を投稿します（個人）", None]))
    add_n("local_fan", per(28), fan)

    def news():
        name = rng.choice(NEWS_NAMES).format(p=place_short, k=rng.choice(["地方", "日刊", "北日本", "南海"]))
        h = rng.choice([f"{r_}_keizai", f"{r_}_times", f"{r_}news", f"{r_}_tsushin", f"{r_}_catv",
                        f"{org['short']}_news", f"{r_}_minpo", f"{r_}_np", f"{r_}_fm", f"{r_}_hodo",
                        f"news_{r_}", f"{r_}_press", f"{r_}_journal", f"{org['short']}_times"])[:15]
        return "news", "x", dict(handle=h, display=name, avatar=w.save_avatar(unrelated_avatar(bank, rng)),
                                 bio=f"{place}のニュースをお届けする地域メディアです。")
    add_n("local_news", per(15), news)

    def word_neighbour():
        o = rng.choice(w.officials)
        local, suffix = split_handle(o["platform"], o["handle"])
        for key, alts in WORD_NEIGHBOURS.items():
            if key in local:
                alt, jp, bio = rng.choice(alts)
                v = local.replace(key, alt)
                platform = o["platform"]
                if platform == "x" and rng.random() < 0.4:
                    platform = "instagram"
                if v == local or not valid_local(platform, v):
                    continue
                name = rng.choice([jp, f"{jp} {rng.choice(['木村', '森', '山本', '小川'])}",
                                   f"{rng.choice(['あおば', 'ひだまり', 'こもれび'])}{jp}"])
                return key + "->" + alt, platform, dict(handle=v + suffix, display=name,
                                                             avatar=w.save_avatar(unrelated_avatar(bank, rng)), bio=bio)
        return None
    add_n("handle_neighbour_unrelated", per(14), word_neighbour)

    def person():
        sj, sr = SURNAME_NEAR.get(r_, ("佐藤", "sato"))
        gi = rng.randrange(len(JP_GIVEN))
        if not org["surname"] and rng.random() < 0.5:
            sj, sr = rng.choice([("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("渡邊", "watanabe")])
        name = rng.choice([f"{sj} {JP_GIVEN[gi]}", f"{sj}{JP_GIVEN[gi]}", f"{JP_GIVEN[gi]}@{place_short}在住"])
        h = rng.choice([f"{sr}_{JP_GIVEN_ROMAJI[gi]}", f"{JP_GIVEN_ROMAJI[gi]}_{sr}", f"{sr}{rng.randint(1, 999)}"])[:15]
        return "person", "x", dict(handle=h, display=name, avatar=w.save_avatar(unrelated_avatar(bank, rng)), bio=None)
    add_n("similar_person", per(28), person)

    def related_org():
        jp, en = rng.choice(RELATED_ORGS_POLICE if org["kind"] == "police" else RELATED_ORGS)
        name = f"{place}{jp}"
        fits = [h for h in (f"{r_}_{en}", f"{en}_{r_}", f"{org['short']}_{en}") if len(h) <= 15]
        h = rng.choice(fits) if fits else f"{org['short']}{en}"[:15]
        return "related", rng.choice(["x", "instagram"]), dict(handle=h, display=name,
                                                               avatar=w.save_avatar(text_logo(jp[0], random_colour(rng), "square")),
                                                               bio=f"{place}{jp}の公式アカウントです（{place}とは別の団体です）。")
    add_n("related_org", per(16), related_org)

    def new_account():
        n, h = rng.choice(UNRELATED_NAMES)
        h = f"{h}{rng.randint(1, 9999)}"[:15]
        kw = dict(handle=h, display=rng.choice([n, None]), bio=None, role="new")
        if rng.random() < 0.6:
            kw["default_avatar"] = True
            kw["avatar"] = w.default_avatar()
        return "new_default", "x", kw
    add_n("new_account", per(28), new_account)

    def flat():
        o = rng.choice(w.officials)
        c = o["template"][1] if len(o["template"]) > 1 and isinstance(o["template"][1], tuple) and rng.random() < 0.5 else random_colour(rng)
        n, h = rng.choice(UNRELATED_NAMES)
        return "flat_colour", "x", dict(handle=f"{h}_{rng.randint(1, 999)}"[:15], display=n,
                                        avatar=w.save_avatar(flat_colour(c)), bio=None)
    add_n("flat_colour", per(24), flat)

    def photo_user():
        n, h = rng.choice(UNRELATED_NAMES)
        return "photo", rng.choice(["x", "instagram"]), dict(
            handle=f"{h}{rng.randint(1, 99)}"[:15], display=n, avatar=w.save_avatar(unrelated_avatar(bank, rng)), bio=None)
    add_n("photo_avatar", per(28), photo_user)

    # other organisations of the same type (another prefecture's police, another city's hall)
    def same_type():
        p, pr, pref = rng.choice(others)
        if org["kind"] == "police":
            name, h = f"{pref}警察", f"{PREF_ROMAJI.get(pref, pr)}_police"
        else:
            name, h = rng.choice([(f"{p}", f"{pr}_city"), (f"{p}役所", f"city_{pr}"), (f"【公式】{p}", f"{pr}_koshiki")])
        o = rng.choice(w.officials)
        img = template_sibling(o["template"], bank, rng) if rng.random() < 0.3 else place_logo(p, rng)
        return "same_type", "x", dict(handle=h[:15], display=name, avatar=w.save_avatar(img), bio=f"{name}の公式アカウントです。")
    add_n("other_org_same_type", per(24), same_type)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sets", type=int, default=1, help="organisations per seed (default 1)")
    ap.add_argument("--org", action="append", help="organisation key(s) instead of the seed's choice")
    ap.add_argument("--scale", type=float, default=1.0, help="examples per kind (x)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    bank = IconBank()
    keys = args.org or rng.sample([o["key"] for o in ORGS], args.sets)
    by_key = {o["key"]: o for o in ORGS}
    for k in keys:
        if k not in by_key:
            sys.exit(f"unknown organisation {k}; known: {', '.join(by_key)}")
        d, n = build(args.out, args.seed, by_key[k], bank, args.scale)
        print(f"{d}\t{n}")


if __name__ == "__main__":
    main()

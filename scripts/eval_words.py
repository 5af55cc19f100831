"""Word tables for `gen_eval.py`'s issue-10 families: topics and their paraphrases, old and
variant kanji, glyph swaps, and the vocabulary of innocents that share words with an official
account (shops, workshops, news accounts). Plain data and small pure helpers; no I/O.

The variant-kanji table is written by hand from the 旧字体/異体字 pairs common in Japanese
place and family names — on purpose not from Unihan, which the detector's own table is built
from, so the generator does not test the detector against its own source.
"""

from __future__ import annotations

# (keywords that identify the topic in an official name or operator, paraphrases that keep it)
TOPICS = [
    (["防災", "危機管理", "危機対策", "災害"],
     ["危機管理・防災", "防災・危機管理", "防災情報", "災害情報", "防災課", "危機管理課", "防災のお知らせ",
      "防災ナビ", "災害・防災"]),
    (["広報", "市政", "区政", "町政", "村政"],
     ["広報課", "広報担当", "お知らせ", "広報・広聴", "公式広報", "広報室", "広報誌"]),
    (["子育て", "こども", "子ども"],
     ["子育て支援", "子ども・子育て", "こども家庭", "子育て情報", "子育て応援", "子育てナビ"]),
    (["観光"], ["観光情報", "観光案内", "観光PR", "観光課", "おでかけ情報", "観光ガイド"]),
    (["フォト", "写真"], ["写真", "フォトギャラリー", "風景写真", "フォト日記", "まちの写真"]),
    (["人材", "採用", "雇用"],
     ["人材採用支援", "採用促進", "人材確保事業", "中小企業人材支援", "ダイバーシティ採用", "採用支援事業"]),
    (["図書館"], ["図書館", "としょかん", "図書館だより", "中央図書館"]),
    (["健康", "保健"], ["健康づくり", "保健センター", "健康情報", "保健所"]),
    (["議会"], ["議会事務局", "議会だより", "議会中継"]),
    (["水道", "下水"], ["水道局", "上下水道", "水道のお知らせ"]),
    (["ごみ", "環境", "清掃", "リサイクル"], ["ごみ・リサイクル", "環境課", "清掃事務所", "ごみ分別"]),
    (["福祉", "介護", "高齢"], ["福祉課", "高齢者支援", "介護保険", "福祉のお知らせ"]),
    (["消防"], ["消防本部", "消防署", "消防局"]),
    (["警察"], ["県警", "警察本部", "警察署"]),
    (["教育", "学校"], ["教育委員会", "学校教育", "教育委員会事務局"]),
]

# 新字体 → 旧字体 / 異体字, as seen in place and family names.
VARIANT_KANJI = {
    "高": "髙", "崎": "﨑碕嵜", "辺": "邊邉", "斎": "齋齊", "浜": "濱", "沢": "澤", "桜": "櫻",
    "竜": "龍", "島": "嶋嶌", "国": "國", "広": "廣", "恵": "惠", "徳": "德", "真": "眞",
    "県": "縣", "区": "區", "会": "會", "学": "學", "栄": "榮", "関": "關", "峰": "峯",
    "富": "冨", "吉": "𠮷", "黒": "黑", "塚": "\uFA10", "都": "\uFA26", "神": "\uFA19", "福": "\uFA1B",
    "館": "舘", "条": "條", "京": "亰", "滝": "瀧", "静": "靜", "清": "淸", "横": "橫",
    "万": "萬", "与": "與", "児": "兒", "亀": "龜", "姫": "姬", "当": "當", "発": "發",
    "礼": "禮", "円": "圓", "来": "來", "総": "總", "実": "實", "芦": "蘆", "桧": "檜",
    "弥": "彌", "穂": "穗", "衛": "衞", "渋": "澁", "豊": "豐", "台": "臺", "体": "體",
    "予": "豫", "鉄": "鐵", "気": "氣", "図": "圖", "観": "觀", "写": "寫", "処": "處",
    "険": "險", "検": "檢", "災": "灾", "宝": "寶", "伝": "傳", "営": "營",
    "変": "變", "対": "對", "応": "應", "戸": "戶", "野": "埜", "岩": "巖", "松": "枩",
    "草": "艸", "沖": "冲", "双": "雙", "継": "繼", "続": "續", "駅": "驛",
    "売": "賣", "読": "讀", "経": "經", "済": "濟", "増": "增", "陽": "阳", "研": "硏",
    "壱": "壹", "蔵": "藏", "恋": "戀", "旧": "舊", "歯": "齒", "医": "醫", "薬": "藥",
}

# Glyph swaps that survive a quick look: (from, to).
GLYPH_SWAPS = [("rn", "m"), ("m", "rn"), ("l", "1"), ("l", "I"), ("i", "l"), ("i", "1"),
               ("o", "0"), ("w", "vv"), ("vv", "w"), ("cl", "d"), ("d", "cl"), ("e", "3"),
               ("s", "5"), ("a", "4"), ("b", "6"), ("g", "9"), ("nn", "m"), ("u", "v")]

# Romanised words for the kind of organisation a name ends in.
ORG_WORDS = [("警察", ["police", "pref_police", "keisatsu"]), ("市", ["city", "shi"]),
             ("区", ["city", "ku", "ward"]), ("町", ["town", "machi", "cho"]),
             ("村", ["village", "mura", "son"]), ("県", ["pref", "ken"]),
             ("都", ["metro", "to"]), ("府", ["pref", "fu"]), ("道", ["pref", "do"])]
ORG_NAME_FORMS = ["【公式】{org}", "{org}（公式）", "{org}公式", "{org}役所", "{org}役所【公式】",
                  "{pref}{org}", "{org}公式アカウント", "公式｜{org}", "{org} 公式", "{org}📢",
                  "{org_en} (official)", "{org_en} Official"]
# Japanese-speaker romanisation typos.
ROMAJI_TYPOS = [("l", "r"), ("r", "l"), ("ci", "si"), ("shi", "si"), ("tsu", "tu"),
                ("ou", "o"), ("o", "ou"), ("ty", "tty"), ("ce", "se"), ("v", "b"), ("th", "s"),
                ("ff", "f"), ("ch", "c")]

# Romanised words for department topics, as handles spell them.
TOPIC_ROMAJI = {"防災": ["bousai", "bosai"], "危機管理": ["kikikanri"], "広報": ["koho", "kouhou", "pr"],
                "子育て": ["kosodate"], "観光": ["kanko", "kankou"], "経済": ["keizai"],
                "人材": ["jinzai"], "図書館": ["toshokan", "library"], "健康": ["kenko"],
                "議会": ["gikai"], "水道": ["suido"], "環境": ["kankyo"], "福祉": ["fukushi"],
                "消防": ["shobo"], "教育": ["kyoiku"], "総務": ["somu"], "税": ["zei"],
                "企画": ["kikaku"], "産業": ["sangyo"], "文化": ["bunka"], "スポーツ": ["sports"]}

WRAP_SUFFIXES = [" お知らせ", "のお知らせ", " からのお知らせ", "【お知らせ】", " 情報", " 最新情報",
                 " インフォメーション"]
TRUNC_SUFFIXES = ["事務局", "支援", "窓口", "サポート", "公式", "情報", "センター", "応援", "担当",
                  "…事務局", "…公式", "運営"]
REORDER_SEPARATORS = ["＠{p}", "@{p}", "（{p}）", "｜{p}", " - {p}", "/{p}", "【{p}】", " ＠{p}"]
PARAPHRASE_FORMS = ["{t}＠{p}", "{p}{t}", "{p}の{t}", "{p} {t}", "{t}｜{p}", "{s}{t}", "{t}（{p}）"]

# Innocents whose handle is one letter from ours: (name, bio, handle word)
NEAR_HANDLE_OWNERS = [
    ("木工房こもれび", "木のおもちゃと家具を手作りしています。受注製作承ります。", "kobo"),
    ("陶芸工房 つち", "陶芸教室と器の販売。体験は予約制です。", "kobo"),
    ("カフェ ほっと", "自家焙煎珈琲とケーキのお店。定休日は水曜。", "cafe"),
    ("ぱん工房むぎ", "天然酵母のパン屋です。売り切れ次第閉店。", "pan"),
    ("中村写真館", "七五三・成人式の記念写真。出張撮影も承ります。", "photo"),
    ("鈴木ピアノ教室", "子どもから大人までのピアノ教室です。", "piano"),
    ("ねこ好きの日常", "うちの猫の写真を載せています。", "neko"),
    ("山田税理士事務所", "確定申告・会社設立のご相談はお気軽に。", "tax"),
    ("ボードゲーム部", "毎週土曜にボードゲーム会をしています。", "game"),
    ("手芸屋いと", "毛糸と布の小さなお店です。", "ito"),
    ("高橋整骨院", "腰痛・肩こりの施術。土日も営業。", "seikotsu"),
    ("古書 ふるほん堂", "古本の買取・販売をしています。", "books"),
]
SHOP_FORMS = ["{s}ベーカリー", "{s}珈琲", "ラーメン{s}", "{p}の花屋 さくら", "{s}不動産", "{s}整骨院",
              "{s}書店", "{s}歯科クリニック", "{p}の小さな雑貨屋", "{s}商店", "{s}温泉旅館", "{s}酒店",
              "焼き鳥 {s}", "{s}クリーニング", "{s}写真館", "{s}パソコン教室"]
SHOP_WORDS = ["bakery", "coffee", "ramen", "flower", "fudosan", "seikotsu", "books", "dental",
              "zakka", "shoten", "ryokan", "saketen", "yakitori", "cleaning", "photo_studio", "pc"]
SHOP_BIOS = ["{p}で営業しています。営業時間 10:00〜18:00", "{p}の小さなお店です。", "{p}駅から徒歩5分。",
             "地元{p}で創業30年。", "{p}のお店です。ご来店お待ちしています。"]
NEWS_NAMES = ["{p}ニュース速報", "{pref}ローカルニュース", "{p}のできごと", "{p}情報まとめ",
              "{pref}防災情報まとめ（非公式）", "地域ニュース {pref}", "{p}なう", "{p}タイムズ"]
NEWS_HANDLES = ["{r}_news", "{r}_now", "{r}_times", "local_news_{r}", "{r}_matome_bot",
                "news_{r}", "{r}_headline"]
NEWS_BIOS = ["{name}の発表を引用してお届けします。公式ではありません。",
             "{p}のニュースを自動でまとめています（非公式）。出典：{name}",
             "「{name}」などの公式発表を転載しています。当アカウントは報道・まとめ目的です。",
             "{pref}の地域ニュース。{name}の情報も紹介します。"]


def topic_of(*texts: str) -> tuple[list[str], list[str]] | None:
    """The first topic whose keyword occurs in one of `texts`."""
    for keys, paras in TOPICS:
        for t in texts:
            if t and any(k in t for k in keys):
                return keys, paras
    return None


def levenshtein(a: str, b: str) -> int:
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[:], i
        for j, cb in enumerate(b, 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (ca != cb))
    return d[-1]

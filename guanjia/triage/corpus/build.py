"""Build the labelled triage corpus: train.jsonl and heldout.jsonl beside this file.

    .venv/bin/python -m guanjia.triage.corpus.build

Deterministic (fixed seed). Labels are right by construction: they come from the hand-written template
(templates.py), and the style transforms only change how a message is written, never what it says. The held-out
split is by template: a template, frame, filler or suffix phrase used in held-out never appears in train.

Which side an item is on is a function of the item alone: the items of the first corpus (v1) keep the side they
had then (frozen in split_v1.json), every later item goes by the hash of its own text. Adding, removing or
relabelling items therefore never moves another item across the split.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import opencc

from guanjia.tickets.taxonomy import Category, RequestType, Urgency

from ..services import REQUEST_RANK, URGENCY_RANK
from .parts import FRAMES, ISSUES
from .templates import ANGER, ESCALATIONS, FRUSTRATION, TAXONOMY_EXAMPLES, TEMPLATES
from .templates_extra_cs import TEMPLATES_EXTRA_CS
from .templates_extra_eng import TEMPLATES_EXTRA_ENG
from .templates_extra_h1 import TEMPLATES_EXTRA_H1
from .templates_extra_h2 import TEMPLATES_EXTRA_H2
from .templates_extra_h3 import TEMPLATES_EXTRA_H3
from .templates_extra_h4 import TEMPLATES_EXTRA_H4
from .templates_extra_h5 import TEMPLATES_EXTRA_H5
from .templates_extra_h6 import TEMPLATES_EXTRA_H6
from .templates_extra_h7 import TEMPLATES_EXTRA_H7
from .templates_extra_h8 import TEMPLATES_EXTRA_H8
from .templates_extra_h9 import TEMPLATES_EXTRA_H9
from .templates_extra_h10 import TEMPLATES_EXTRA_H10
from .templates_extra_h11 import TEMPLATES_EXTRA_H11
from .templates_extra_h12 import TEMPLATES_EXTRA_H12
from .templates_extra_h13 import TEMPLATES_EXTRA_H13
from .templates_extra_h14 import TEMPLATES_EXTRA_H14
from .templates_extra_t1 import TEMPLATES_EXTRA_T1
from .templates_extra_t2 import TEMPLATES_EXTRA_T2
from .templates_extra_t3 import TEMPLATES_EXTRA_T3
from .templates_extra_t4 import TEMPLATES_EXTRA_T4
from .templates_extra_t5 import TEMPLATES_EXTRA_T5
from .templates_extra_t6 import TEMPLATES_EXTRA_T6
from .templates_extra_t7 import TEMPLATES_EXTRA_T7
from .templates_extra_t8 import TEMPLATES_EXTRA_T8
from .templates_more import TEMPLATES_MORE
from .templates_pairs import TEMPLATES_PAIRS

HERE = Path(__file__).resolve().parent
SEED = 20250101
SPLIT_SALT = "guanjia-triage-v1"
SPLIT_FILE = HERE / "split_v1.json"  # the v1 items and their side, frozen
HELDOUT_EVERY = 5  # one template, frame or filler in five is held out
PHRASE_HELDOUT_EVERY = 4  # one escalation, anger or frustration phrase in four
INSTANCES_PER_TEMPLATE = {False: 10, True: 10}  # (train, held-out) messages per hand-written template
COMBO_SHARE = 0.08  # extra messages that report two problems at once
ROWS_PER_FILLER = 8  # compositional messages: each issue/topic/procedure appears in this many frames

RT = {
    "rep": RequestType.REPAIR,
    "hlp": RequestType.HELP,
    "cmp": RequestType.COMPLAINT,
    "inq": RequestType.INQUIRY,
    "biz": RequestType.BUSINESS,
    "sug": RequestType.SUGGESTION,
    "pra": RequestType.PRAISE,
}
URG = {"E": Urgency.EMERGENCY, "U": Urgency.URGENT, "N": Urgency.NORMAL, "P": Urgency.PLANNED}
SENT = {"+": "positive", "0": "neutral", "-": "negative", "!": "angry"}
SENTIMENT_RANK = {"angry": 3, "negative": 2, "neutral": 1, "positive": 0}

SLOTS: dict[str, list[str]] = {
    "u": ["3栋2单元1102", "12号楼1801", "7幢3单元502", "A座1603", "5栋1单元201", "18栋2单元2304", "9号楼602", "2栋703"],
    "b": ["3栋", "5号楼", "12幢", "A座", "7栋", "15栋2单元", "8号楼", "B座"],
    "p": [
        "大堂",
        "B2车库",
        "地下车库",
        "中心花园",
        "3栋门口",
        "儿童游乐区",
        "南门",
        "北门岗亭旁边",
        "会所门口",
        "5栋电梯厅",
        "小区主干道",
        "东门广场",
    ],
    "t": ["昨晚", "今天早上", "刚才", "从上周开始", "这两天", "半夜", "今天下午", "前天"],
    "s": ["王师傅", "李师傅", "小张", "刘师傅", "小陈", "赵师傅", "小周", "孙师傅"],
    "o": ["陈女士", "王先生", "李阿姨", "张先生", "刘女士", "黄先生", "周女士", "吴先生"],
    "f": ["8楼", "15楼", "3楼", "21楼", "11楼", "6楼", "17楼"],
    "d": ["三天", "两天", "一个星期", "好几天", "半个月", "四五天"],
    "n": ["三", "五", "好几", "四", "N", "无数"],
    "plate": ["粤B8K123", "京A5T231", "沪C66Q88", "浙A0M775", "苏E2B901"],
    "amt": ["2380元", "560块", "1200元", "3960元"],
    "m": ["3月", "上个月", "今年上半年", "去年全年"],
    "tel": ["138****5621", "13912345678", "186 0000 4321", "137xxxx0982"],
}

EMOJI = {
    "angry": ["😡😡", "🤬", "😤😤😤", "💢", "😡"],
    "negative": ["😓", "🙄", "😭", "😞", "😩"],
    "neutral": ["🙏", "❓", "", "🤔"],
    "positive": ["👍👍", "🙏", "😊🌹", "👏", "❤️"],
}
URGENT_MARKS = ["🆘", "急急急", "!!!", "快快快", "🚨"]
WECHAT_SHORTHAND = [
    ("什么", "啥"),
    ("怎么", "咋"),
    ("没有", "没"),
    ("谢谢", "谢啦"),
    ("这样", "酱紫"),
    ("不知道", "不造"),
]
# Speech-recognition homophones in hotline transcripts, right → wrong. normalize.TYPOS repairs the common ones;
# some (物业→无业 …) are deliberately left for the model to cope with.
ASR_ERRORS = [
    ("漏水", "漏谁"),
    ("电梯", "电体"),
    ("跳闸", "跳匝"),
    ("停电", "听电"),
    ("燃气", "然气"),
    ("煤气", "煤汽"),
    ("困人", "捆人"),
    ("水管", "水馆"),
    ("下水道", "下水到"),
    ("卫生间", "为生间"),
    ("物业", "无业"),
    ("业主", "叶主"),
    ("投诉", "头诉"),
    ("装修", "庄修"),
    ("车位", "车为"),
    ("垃圾", "拉机"),
    ("保安", "保案"),
    ("冒烟", "冒严"),
    ("晕倒", "晕到"),
    ("门禁", "门进"),
    ("蟑螂", "蟑郎"),
    ("老鼠", "老书"),
    ("地漏", "地楼"),
    ("12345", "幺二三四五"),
    ("电视台", "电事台"),
    ("噪音", "早音"),
    ("暖气", "暖器"),
    ("楼上", "楼尚"),
]
FILLERS = ["那个", "就是", "嗯", "呃", "然后", "这个", "啊"]


@dataclass(frozen=True)
class Template:
    key: str  # stable id: category/hash
    text: str
    request_type: str
    category: str
    urgency: str
    sentiment: str
    sensitive: bool
    heldout: bool


@dataclass(frozen=True)
class Row:
    text: str
    request_type: str | None
    category: str | None
    urgency: str | None
    sentiment: str | None
    sensitive: bool
    style: str
    template: str


def _digest(text: str) -> str:
    return hashlib.sha1(f"{SPLIT_SALT}:{text}".encode()).hexdigest()


@functools.cache
def _frozen_split() -> dict[str, dict[str, bool]]:
    """kind → {text: held out?} for the items of corpus v1 (see SPLIT_FILE)."""
    data = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    return {
        kind: {**dict.fromkeys(sides["train"], False), **dict.fromkeys(sides["heldout"], True)}
        for kind, sides in data.items()
    }


def is_heldout(kind: str, text: str) -> bool:
    """The side of one item (kind: template, frame, filler or phrase), decided by the item alone."""
    frozen = _frozen_split()[kind].get(text)
    if frozen is not None:
        return frozen
    every = PHRASE_HELDOUT_EVERY if kind == "phrase" else HELDOUT_EVERY
    return int(_digest(f"{kind}:{text}")[:8], 16) % every == 0


def _sections(source: str) -> dict[str, list[str]]:
    """``## heading`` → its non-empty lines, in order; a heading may occur more than once."""
    sections: dict[str, list[str]] = {}
    heading = ""
    for raw in source.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            heading = line[3:].strip()
            sections.setdefault(heading, [])
        elif line:
            sections[heading].append(line)
    return sections


TEMPLATES_EXTRA = (
    TEMPLATES_EXTRA_ENG
    + TEMPLATES_EXTRA_CS
    + TEMPLATES_EXTRA_H1
    + TEMPLATES_EXTRA_H2
    + TEMPLATES_EXTRA_H3
    + TEMPLATES_EXTRA_H4
    + TEMPLATES_EXTRA_H5
    + TEMPLATES_EXTRA_H6
    + TEMPLATES_EXTRA_H7
    + TEMPLATES_EXTRA_H8
    + TEMPLATES_EXTRA_H9
    + TEMPLATES_EXTRA_H10
    + TEMPLATES_EXTRA_H11
    + TEMPLATES_EXTRA_H12
    + TEMPLATES_EXTRA_H13
    + TEMPLATES_EXTRA_H14
    + TEMPLATES_EXTRA_T1
    + TEMPLATES_EXTRA_T2
    + TEMPLATES_EXTRA_T3
    + TEMPLATES_EXTRA_T4
    + TEMPLATES_EXTRA_T5
    + TEMPLATES_EXTRA_T6
    + TEMPLATES_EXTRA_T7
    + TEMPLATES_EXTRA_T8
)


def parse_templates(source: str = TEMPLATES + TEMPLATES_MORE + TEMPLATES_PAIRS + TEMPLATES_EXTRA) -> list[Template]:
    """Parse the template table: ``<rt> <urgency> <sentiment> [S] | <text>`` lines under ``## <category>``."""
    templates: list[Template] = []
    seen: set[str] = set()
    for category, lines in _sections(source).items():
        if category not in Category.values:
            raise ValueError(f"unknown category {category!r}")
        for line in lines:
            head, text = (part.strip() for part in line.split("|", 1))
            if text in seen:
                raise ValueError(f"duplicate template {text!r}")
            seen.add(text)
            rt, urg, sent, *flags = head.split()
            templates.append(
                Template(
                    key=f"{category}/{_digest(text)[:8]}",
                    text=text,
                    request_type=str(RT[rt]),
                    category=category,
                    urgency=str(URG[urg]),
                    sentiment=SENT[sent],
                    sensitive="S" in flags,
                    heldout=is_heldout("template", text),
                )
            )
    return templates


def _filler_uses(fields: list[str]) -> list[tuple[str, str, str]]:
    """(frame kind, request type, urgency) of the frames a filler goes into."""
    if fields[0] == "T":  # a topic: praise, suggestions, questions about it
        return [("T", "pra", "P"), ("T", "sug", "P"), ("T", "inq", "N")]
    if fields[0] == "B":  # a procedure: ask to start it, or ask about it
        return [("B", "biz", "N"), ("B", "inq", "N")]
    rt, urg = fields[0], fields[1]
    uses = [("I", rt, urg)]
    if urg in ("N", "U") and rt in ("rep", "cmp"):
        uses.append(("I", "inq", "N"))  # progress of an earlier report
    if urg in ("N", "U") and rt == "rep":
        uses.append(("R", "cmp", urg))  # a repair reported before and still not done: a complaint (corpus README)
    return uses


def parse_compositional() -> list[Template]:
    """Frames × fillers, each split on its own: a held-out message pairs a held-out frame with a held-out filler."""
    # (kind, rt) → [(text, sentiment, heldout, calm)]; a "calm" frame ("方便的时候来修一下") never carries an emergency
    frames: dict[tuple[str, str], list[tuple[str, str, bool, bool]]] = {}
    for heading, lines in _sections(FRAMES).items():
        rt, kind, sent, *flags = heading.split()
        for text in lines:
            frames.setdefault((kind, rt), []).append((text, SENT[sent], is_heldout("frame", text), "calm" in flags))
    templates: list[Template] = []
    for category, lines in _sections(ISSUES).items():
        if category not in Category.values:
            raise ValueError(f"unknown category {category!r}")
        for line in lines:
            head, text = (part.strip() for part in line.split("|", 1))
            fields = head.split()
            heldout = is_heldout("filler", text)
            for kind, rt, urg in _filler_uses(fields):
                for frame, sentiment, frame_heldout, calm in frames[(kind, rt)]:
                    if frame_heldout is not heldout or (calm and urg == "E"):
                        continue
                    templates.append(
                        Template(
                            key=f"{category}/c{_digest(frame)[:6]}{_digest(text)[:6]}",
                            text=frame.replace("{x}", text),
                            request_type=str(RT[rt]),
                            category=category,
                            urgency=str(URG[urg]),
                            sentiment=sentiment,
                            sensitive="S" in fields[2:],
                            heldout=heldout,
                        )
                    )
    return templates


def split_phrases(phrases: list[str]) -> tuple[list[str], list[str]]:
    """(train, heldout) suffix phrases: one in PHRASE_HELDOUT_EVERY is held out."""
    held = [p for p in phrases if is_heldout("phrase", p)]
    return [p for p in phrases if p not in held], held


class Writer:
    """Fills slots and applies one owner style; every choice comes from one seeded Random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.s2t = opencc.OpenCC("s2t")

    def fill(self, text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self.rng.choice(SLOTS[m.group(1)]), text)

    def style(self, text: str, row: Row) -> Row:
        rng = self.rng
        name = rng.choices(["plain", "wechat", "hotline", "email", "frontdesk"], weights=[22, 30, 20, 12, 16], k=1)[0]
        text = getattr(self, f"_{name}")(text, row)
        styles = [name]
        if rng.random() < 0.12:
            text = self.s2t.convert(text)
            styles.append("traditional")
        if rng.random() < 0.10:
            text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
            styles.append("fullwidth")
        return replace(row, text=text, style="+".join(styles))

    def _plain(self, text: str, row: Row) -> str:
        rng = self.rng
        if row.sentiment == "neutral" and rng.random() < 0.4:
            text = rng.choice(["你好，", "您好，", "麻烦问一下，", "打扰一下，", "物业你好，"]) + text
        return text

    def _wechat(self, text: str, row: Row) -> str:
        rng = self.rng
        for a, b in WECHAT_SHORTHAND:
            if a in text and rng.random() < 0.5:
                text = text.replace(a, b)
        if rng.random() < 0.5:
            text = re.sub(r"[，。]", " ", text).strip()
        if rng.random() < 0.5:
            text = text.rstrip("。！!？? ")
        if row.urgency == "emergency" and rng.random() < 0.5:
            text += rng.choice(URGENT_MARKS)
        if rng.random() < 0.7:
            text += rng.choice(EMOJI[row.sentiment or "neutral"])
        if row.sentiment == "angry" and rng.random() < 0.4:
            text += "！！！"
        return text

    def _hotline(self, text: str, row: Row) -> str:
        rng = self.rng
        for right, wrong in ASR_ERRORS:
            if right in text and rng.random() < 0.45:
                text = text.replace(right, wrong)
        pieces = [p for p in re.split(r"[，。！？!?、；：\"“”]+", text) if p]
        out: list[str] = []
        if rng.random() < 0.6:
            out.append(rng.choice(["喂", "喂 你好", "你好 物业吗", "喂 是物业吧"]))
        if rng.random() < 0.3:
            out.append(f"我是{rng.choice(SLOTS['u'])}的")
        for piece in pieces:
            if rng.random() < 0.45:
                out.append(rng.choice(FILLERS))
            if len(piece) > 6 and rng.random() < 0.3:
                cut = rng.randrange(2, len(piece) - 2)
                piece = f"{piece[:cut]} {piece[cut:]}"
            out.append(piece)
        if rng.random() < 0.4:
            out.append(rng.choice(["嗯 就这个事", "你们看一下吧", "好 谢谢", "对 就这样"]))
        return " ".join(out)

    def _email(self, text: str, row: Row) -> str:
        rng = self.rng
        head = rng.choice(["尊敬的物业管理处：", "物业服务中心负责人：", "致物业客服中心："])
        me = f"我是{rng.choice(SLOTS['u'])}的业主{rng.choice(SLOTS['o'])}。"
        body = text if text.endswith(("。", "！", "？", "!", "?")) else text + "。"
        close = {
            "praise": "特此致谢！",
            "inquiry": "盼复，谢谢。",
            "suggestion": "以上建议供参考。",
        }.get(row.request_type or "", rng.choice(["望尽快处理，谢谢！", "请予以重视并尽快答复。", "特此反映。"]))
        sign = rng.choice(["此致 敬礼", "顺颂商祺", ""])
        return " ".join(p for p in [head, "您好！", me, body, close, sign] if p)

    def _frontdesk(self, text: str, row: Row) -> str:
        rng = self.rng
        who = rng.choice(SLOTS["o"])
        opener = rng.choice(
            [
                f"业主{who}来电反映：",
                f"{rng.choice(SLOTS['u'])}业主{who}到前台反映，",
                f"{who}微信留言称：",
                f"接业主{who}电话，",
            ]
        )
        said = text.replace("我们家", "其家").replace("我家", "其家").replace("我们", "他们").replace("我", "其")
        if not said.endswith(("。", "！", "？", "!", "?")):
            said += "。"
        closing = rng.choice(["请尽快处理。", "已登记，待跟进。", "已告知业主会安排。", ""])
        if row.sentiment == "angry":
            closing = rng.choice(["业主情绪激动。", "业主情绪较大。", ""]) + closing
        return opener + said + closing


def _instance(template: Template, writer: Writer, phrases: dict[str, list[str]]) -> Row:
    """One message of a template: slots filled, maybe a suffix, then one owner style.

    Suffixes (corpus README, "request type conventions"): an escalation threat makes a negative complaint or repair
    sensitive and angry, an anger phrase aimed at the company makes it angry; either turns a repair into a
    complaint, because the owner now reproaches the company. A frustration phrase ("急死了") is aimed at the
    problem and changes nothing.
    """
    rng = writer.rng
    text = writer.fill(template.text)
    request_type, sentiment, sensitive = template.request_type, template.sentiment, template.sensitive
    suffix = ""
    negative = template.sentiment in ("negative", "angry")
    escalable = template.request_type in ("complaint", "repair") and template.urgency in ("normal", "urgent")
    roll = rng.random()
    if negative and escalable and not sensitive and roll < 0.3:
        suffix = writer.fill(rng.choice(phrases["escalation"]))
        sensitive, sentiment, request_type = True, "angry", "complaint"
    elif negative and escalable and roll < 0.45:
        suffix = writer.fill(rng.choice(phrases["anger"]))
        sentiment, request_type = "angry", "complaint"
    elif negative and template.request_type in ("repair", "complaint") and roll < 0.6:
        suffix = writer.fill(rng.choice(phrases["frustration"]))
    if suffix:
        text = text.rstrip("。！!") + rng.choice(["，", "。", "！"]) + suffix
    row = Row(text, request_type, template.category, template.urgency, sentiment, sensitive, "", template.key)
    return writer.style(text, row)


def _combo(a: Template, b: Template, writer: Writer) -> Row:
    """Two problems in one message: labels of the main one (corpus README: the more urgent; on equal urgency the
    one that needs more follow-up by request type, REQUEST_RANK; the first on a full tie)."""
    rng = writer.rng
    first, second = writer.fill(a.text).rstrip("。！!"), writer.fill(b.text)
    text = first + rng.choice(["。另外，", "，还有，", "；顺便说一下，", "。还有个事，"]) + second

    def rank(t: Template) -> tuple[int, int]:
        return URGENCY_RANK[t.urgency], REQUEST_RANK[t.request_type]

    main = b if rank(b) > rank(a) else a
    sentiment = max(a.sentiment, b.sentiment, key=SENTIMENT_RANK.__getitem__)
    row = Row(
        text,
        main.request_type,
        main.category,
        main.urgency,
        sentiment,
        a.sensitive or b.sensitive,
        "",
        f"{a.key}+{b.key}",
    )
    styled = writer.style(text, row)
    return replace(styled, style=styled.style + "+two_problems")


def build() -> tuple[list[Row], list[Row]]:
    rng = random.Random(SEED)
    writer = Writer(rng)
    templates = parse_templates()
    compositional = parse_compositional()
    phrase_lists = {"escalation": ESCALATIONS, "anger": ANGER, "frustration": FRUSTRATION}
    phrases = {False: {}, True: {}}
    for name, lines in phrase_lists.items():
        phrases[False][name], phrases[True][name] = split_phrases(lines)
    taxonomy_texts = {example[0] for example in TAXONOMY_EXAMPLES}
    splits: dict[bool, list[Row]] = {False: [], True: []}
    for heldout in (False, True):
        pool = [t for t in templates if t.heldout is heldout]
        for template in pool:
            for _ in range(INSTANCES_PER_TEMPLATE[heldout]):
                row = _instance(template, writer, phrases[heldout])
                if row.text not in taxonomy_texts:
                    splits[heldout].append(row)
        composed = [t for t in compositional if t.heldout is heldout]
        by_filler: dict[str, list[Template]] = {}
        for template in composed:
            by_filler.setdefault(template.key[-6:], []).append(template)
        for options in by_filler.values():
            for template in rng.sample(options, min(ROWS_PER_FILLER, len(options))):
                row = _instance(template, writer, phrases[heldout])
                if row.text not in taxonomy_texts:
                    splits[heldout].append(row)
        pairable = [t for t in pool if t.request_type in ("repair", "complaint", "inquiry", "business")]
        for _ in range(int(len(splits[heldout]) * COMBO_SHARE)):
            a, b = rng.sample(pairable, 2)
            if a.category != b.category:
                splits[heldout].append(_combo(a, b, writer))
    for text, rt, category, urgency, sentiment, sensitive in TAXONOMY_EXAMPLES:
        splits[True].append(Row(text, rt, category, urgency, sentiment, sensitive, "taxonomy", "taxonomy"))
    rng.shuffle(splits[False])
    return splits[False], splits[True]


def write_jsonl(rows: list[Row], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")


def split_longtail(heldout: list[Row]) -> tuple[list[Row], list[Row]]:
    """(held-out rows of corpus v3, held-out rows drawn from a v4 long-tail template).

    The first stays the benchmark every model so far was measured on; the second is reported beside it (README.md,
    "Corpus v4"). Neither is ever trained on.
    """
    longtail = {t.key for t in parse_templates(TEMPLATES_EXTRA)}

    def touches(row: Row) -> bool:
        return bool(set(row.template.split("+")) & longtail)

    return [r for r in heldout if not touches(r)], [r for r in heldout if touches(r)]


def main() -> None:
    train, heldout = build()
    core, longtail = split_longtail(heldout)
    write_jsonl(train, HERE / "train.jsonl")
    write_jsonl(core, HERE / "heldout.jsonl")
    write_jsonl(longtail, HERE / "heldout_longtail.jsonl")
    print(f"train: {len(train)} rows, heldout: {len(core)} rows, heldout_longtail: {len(longtail)} rows")


if __name__ == "__main__":
    main()

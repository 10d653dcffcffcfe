"""Text normalisation shared by training, prediction and the rules layer.

Owners write in traditional characters, with full-width digits, emoji and shouting punctuation; hotline
transcripts carry fillers and speech-recognition homophones. Everything downstream sees one canonical form.
"""

from __future__ import annotations

import functools
import re

import opencc

# Speech-recognition and IME homophones seen in owner messages, wrong → right. Longest first when applied,
# so a longer fix is never pre-empted by a shorter one inside it.
TYPOS: dict[str, str] = {
    "漏谁": "漏水",
    "露水": "漏水",
    "渗谁": "渗水",
    "停谁": "停水",
    "电体": "电梯",
    "电题": "电梯",
    "店梯": "电梯",
    "跳匝": "跳闸",
    "跳扎": "跳闸",
    "调闸": "跳闸",
    "听电": "停电",
    "挺电": "停电",
    "没点了": "没电了",
    "没店了": "没电了",
    "木有电": "没电",
    "没有点了": "没有电了",
    "断点了": "断电了",
    "停点了": "停电了",
    "然气": "燃气",
    "煤汽": "煤气",
    "燃汽": "燃气",
    "天然汽": "天然气",
    "困仁": "困人",
    "捆人": "困人",
    "被捆": "被困",
    "爆馆": "爆管",
    "水馆": "水管",
    "下水到": "下水道",
    "地楼": "地漏",
    "卫生闲": "卫生间",
    "为生间": "卫生间",
    "冒严": "冒烟",
    "着伙": "着火",
    "火花儿": "火花",
    "晕到": "晕倒",
    "摔到了": "摔倒了",
    "无业": "物业",
    "物页": "物业",
    "叶主": "业主",
    "头诉": "投诉",
    "庄修": "装修",
    "车为": "车位",
    "拉机": "垃圾",
    "辣鸡": "垃圾",
    "保案": "保安",
    "门进": "门禁",
    "噪间": "噪音",
    "早音": "噪音",
    "蟑郎": "蟑螂",
    "老书": "老鼠",
    "一二三四五": "12345",
    "幺二三四五": "12345",
    "电事台": "电视台",
    "抖英": "抖音",
    "记着": "记者",
}
_TYPO_RE = re.compile("|".join(re.escape(k) for k in sorted(TYPOS, key=len, reverse=True)))

# Emoji and shouting carry sentiment that characters alone lose; they become word-like hints the model can weigh.
_EMOJI_HINTS: dict[str, str] = {
    **dict.fromkeys("😡😠🤬👿💢😤🖕", " 怒怒 "),
    **dict.fromkeys("😭😢😩😫😞😒🙄😓😰😱💔👎", " 哀哀 "),
    **dict.fromkeys("👍🙏😊😄😀🥰❤👏🌹💐🎉😁🤝💯", " 赞赞 "),
    **dict.fromkeys("❓❔🤔", " 问问 "),
    **dict.fromkeys("🔥", " 火火 "),
    **dict.fromkeys("🚨🆘", " 救救 "),
}
_EMOJI_RE = re.compile("|".join(re.escape(k) for k in _EMOJI_HINTS))
_OTHER_SYMBOLS_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_REPEAT_PUNCT_RE = re.compile(r"([!?。，,.~…])\1+")
_FILLER_RE = re.compile(r"(?:(?<=\s)|^)(?:喂|嗯|呃|额|啊|哎|那个|就是|然后|这个|对对|对对对)(?=\s|$)")
_CJK = r"\u4e00-\u9fff"
_SPACE_BETWEEN_CJK_RE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES_RE = re.compile(r"\s+")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (１２３ＡＢＣ！) and the ideographic space become their half-width forms."""
    return "".join(
        chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else " " if ch == "\u3000" else ch for ch in text
    )


def fix_typos(text: str) -> str:
    return _TYPO_RE.sub(lambda m: TYPOS[m.group(0)], text)


def normalize(text: str) -> str:
    """The canonical form: simplified, half-width, lower-case, typos fixed, emoji as hint words, fillers dropped.

    Empty or whitespace-only text normalises to "". Pauses in a hotline transcript (spaces between Chinese
    characters) are dropped, so "水管 好像 爆 了" reads like written text.
    """
    text = to_halfwidth(text or "")
    text = _t2s().convert(text)
    text = _EMOJI_RE.sub(lambda m: _EMOJI_HINTS[m.group(0)], text)
    text = _OTHER_SYMBOLS_RE.sub(" ", text)
    text = _FILLER_RE.sub(" ", text)
    text = _SPACES_RE.sub(" ", text).strip()
    text = _SPACE_BETWEEN_CJK_RE.sub("", text)
    text = fix_typos(text)
    text = _REPEAT_PUNCT_RE.sub(r"\1\1", text)
    return text.lower()

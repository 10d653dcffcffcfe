from __future__ import annotations

from guanjia.triage.normalize import normalize, to_halfwidth


def test_traditional_characters_become_simplified():
    # Full-width punctuation becomes half-width too: "，" → ",".
    assert normalize("電梯困人了，業主說煤氣味很重") == "电梯困人了,业主说煤气味很重"


def test_full_width_digits_and_letters_become_half_width():
    assert to_halfwidth("１２栋ＡＢ座　３０１") == "12栋AB座 301"
    assert normalize("Ａ座１６０３") == "a座1603"


def test_hotline_homophones_are_repaired():
    assert normalize("我家漏谁了") == "我家漏水了"
    assert normalize("电体坏了") == "电梯坏了"
    assert normalize("总闸跳匝了") == "总闸跳闸了"
    assert normalize("家里没点了") == "家里没电了"
    assert normalize("再不管我就打幺二三四五") == "再不管我就打12345"


def test_hotline_fillers_and_pauses_are_dropped():
    text = normalize("喂 那个 就是 我家卫生间那个 水管 好像 爆了 嗯 水一直流")
    assert text == "我家卫生间那个水管好像爆了水一直流"


def test_emoji_become_sentiment_hints_and_shouting_collapses():
    assert "怒怒" in normalize("3栋电梯又坏了😡😡")
    assert "赞赞" in normalize("谢谢师傅👍")
    assert normalize("快来！！！！！") == "快来!!"


def test_empty_and_whitespace_normalise_to_empty():
    assert normalize("") == ""
    assert normalize(" \u3000 \t") == ""

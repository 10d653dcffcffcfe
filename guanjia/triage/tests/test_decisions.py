"""Decision structure around the classifiers: two problems in one message, escalation clauses, the cue lexicon."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from guanjia.triage.lexicon import CATEGORY_CUES, LexiconFeatures
from guanjia.triage.model import default_model, topic_text
from guanjia.triage.normalize import normalize
from guanjia.triage.services import problems, triage_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("楼道灯不亮了。另外，保安态度很差", ["楼道灯不亮了。", "保安态度很差"]),
        ("水管爆了 还有 整栋楼都停电了", ["水管爆了 ", "整栋楼都停电了"]),
        ("請問物業費怎麼交？還有，樓道燈不亮", ["请问物业费怎么交?", "楼道灯不亮"]),  # traditional, full-width
        ("我家漏水了，顺便问一下物业费多少", ["我家漏水了,", "物业费多少"]),
        ("两件事 一是楼上的狗半夜一直叫 二是门口的灯不亮了", ["两件事 一是楼上的狗半夜一直叫 ", "门口的灯不亮了"]),
        ("1.楼道灯坏了 2.想问下周末前台上班不", ["1.楼道灯坏了 ", "想问下周末前台上班不"]),
        ("其一，我想办理车位租赁；其二，建议加装充电桩", ["其一,我想办理车位租赁;", "建议加装充电桩"]),
    ],
)
def test_a_message_is_cut_before_its_second_problem(text, expected):
    assert problems(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "电梯里还有人，快来",  # 还有 without a pause: one problem
        "还有，电梯坏了",  # nothing before the connector
        "好。另外，电梯坏了",  # a piece of fewer than four Chinese characters stays with its neighbour
        "3栋电梯坏了",
        "漏水的事，第二次报修了还没人来",  # 第二 without a pause: no list
        "物业费一年，2.5万元",  # a decimal, not a numbered list
    ],
)
def test_one_problem_stays_whole(text):
    assert len(problems(text)) == 1


class PieceModel:
    """A stub that labels each piece by a keyword, to check which piece decides."""

    LABELS = {
        "灯": ("repair", "electrical", "normal"),
        "保安": ("complaint", "staff_conduct", "normal"),
        "物业费": ("inquiry", "fees", "normal"),
        "水管爆": ("repair", "water", "emergency"),
    }

    def predict(self, texts: Sequence[str]) -> list[dict[str, tuple[object, float]]]:
        out = []
        for text in texts:
            found = [v for k, v in self.LABELS.items() if k in text]
            rt, cat, urg = found[0] if len(found) == 1 else ("inquiry", "general", "normal")
            out.append(
                {
                    "request_type": (rt, 0.9),
                    "category": (cat, 0.9),
                    "urgency": (urg, 0.9),
                    "sentiment": ("neutral", 0.9),
                    "sensitive": (False, 0.9),
                }
            )
        return out


def test_of_two_problems_the_more_urgent_decides():
    result = triage_text("请问物业费怎么交？另外，厨房水管爆了", model=PieceModel())
    assert (result.request_type, result.category, result.urgency) == ("repair", "water", "emergency")


def test_of_two_equally_urgent_problems_the_complaint_decides():
    result = triage_text("楼道灯不亮了。另外，保安态度很差", model=PieceModel())
    assert (result.request_type, result.category) == ("complaint", "staff_conduct")


def test_of_a_repair_and_a_question_the_repair_decides():
    result = triage_text("请问物业费怎么交？还有，楼道灯不亮", model=PieceModel())
    assert (result.request_type, result.category) == ("repair", "electrical")


def test_an_escalation_clause_is_not_read_for_the_category():
    assert topic_text("电梯坏了 我已经打了市长热线") == normalize("电梯坏了")
    assert topic_text("快递经常丢，楼里好多户都商量好了") == normalize("快递经常丢")
    assert topic_text("我要打12345投诉") == normalize("我要打12345投诉")  # nothing else: kept whole
    assert topic_text("楼道灯不亮，麻烦来修") == normalize("楼道灯不亮，麻烦来修")


def test_an_escalation_does_not_move_the_category():
    plain = triage_text("楼道里的垃圾三天没人收了")
    threatened = triage_text("楼道里的垃圾三天没人收了，再不管我们就去住建局，这个月物业费也不交了")
    assert plain.category == threatened.category == "sanitation"
    assert threatened.sensitive


def test_cue_lists_take_the_longest_cue_first():
    lexicon = LexiconFeatures("category")
    electrical = list(CATEGORY_CUES).index("electrical")
    assert lexicon.transform([normalize("总闸跳闸了")])[0, electrical] > 0
    # "跳闸" is one hit for electrical, not "跳" then "闸".
    assert lexicon.patterns[electrical].findall("跳闸") == ["跳闸"]


def test_the_committed_model_fits_in_the_artifact_budget():
    from guanjia.triage.model import ARTIFACT

    assert ARTIFACT.stat().st_size < 5_000_000
    assert default_model().info["examples"] > 10_000


def test_a_broken_object_doubles_its_cue_so_the_model_can_tell_equipment_from_dirt():
    features = LexiconFeatures("category")
    whole, broken = features.transform([normalize("垃圾桶满了"), normalize("垃圾桶的脚踏坏了")]).toarray()
    width = len(CATEGORY_CUES)
    sanitation = list(CATEGORY_CUES).index("sanitation")
    assert whole[sanitation] > 0 and whole[width + sanitation] == 0
    assert broken[width + sanitation] == broken[sanitation] > 0


def test_cue_features_pickled_before_the_crossing_keep_their_width():
    features = LexiconFeatures("category")
    del features.crossed  # what a model trained before the crossing unpickles to
    assert features.transform(["电梯坏了"]).shape == (1, len(CATEGORY_CUES)) and features.width == len(CATEGORY_CUES)


def test_centre_sets_how_sure_triage_must_be_to_route_without_a_clerk(settings):
    text = "3栋2单元电梯卡在8楼了，里面有人，快来人！"
    settings.GUANJIA_TRIAGE_REVIEW_THRESHOLD = 0.0
    confident = triage_text(text)
    assert not confident.needs_review
    settings.GUANJIA_TRIAGE_REVIEW_THRESHOLD = 1.0
    assert triage_text(text).needs_review
    assert triage_text(text).confidence == confident.confidence  # only the routing decision moves


def test_a_saved_model_stores_half_precision_weights_and_predicts_the_same(tmp_path):
    import joblib
    import numpy as np

    from guanjia.triage.model import load_model

    model = default_model()
    path = tmp_path / "model.joblib"
    model.save(path)
    assert joblib.load(path).classifiers["category"].coef.dtype == np.float16
    reloaded = load_model(path)
    assert reloaded.classifiers["category"].coef.dtype == np.float32
    texts = ["3栋电梯困人了", "物业费怎么交", "楼下垃圾三天没人收", "车位续租要带什么"]
    assert reloaded.predict(texts) == model.predict(texts)

"""The corpus is labelled by construction and its held-out split is a genuine test."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter

from guanjia.tickets.taxonomy import Category, RequestType, Urgency
from guanjia.triage.corpus import build as corpus
from guanjia.triage.corpus.build import build
from guanjia.triage.corpus.parts import FRAMES, ISSUES
from guanjia.triage.corpus.templates import ANGER, ESCALATIONS, FRUSTRATION, TAXONOMY_EXAMPLES
from guanjia.triage.model import HELDOUT_FILE, HELDOUT_LONGTAIL_FILE, TRAIN_FILE


@functools.cache
def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _items() -> list[tuple[str, str, bool]]:
    """(kind, text, held out?) for every template, frame, filler and suffix phrase of the generator."""
    items = [("template", t.text, t.heldout) for t in corpus.parse_templates()]
    items += [("frame", f, corpus.is_heldout("frame", f)) for lines in corpus._sections(FRAMES).values() for f in lines]
    fillers = [line.split("|", 1)[1].strip() for lines in corpus._sections(ISSUES).values() for line in lines]
    items += [("filler", f, corpus.is_heldout("filler", f)) for f in fillers]
    items += [("phrase", p, corpus.is_heldout("phrase", p)) for p in ESCALATIONS + ANGER + FRUSTRATION]
    return items


def test_committed_corpus_is_what_the_generator_writes():
    train, heldout = build()
    core, longtail = corpus.split_longtail(heldout)
    assert [r.text for r in train] == [r["text"] for r in _rows(TRAIN_FILE)]
    assert [r.text for r in core] == [r["text"] for r in _rows(HELDOUT_FILE)]
    assert [r.text for r in longtail] == [r["text"] for r in _rows(HELDOUT_LONGTAIL_FILE)]


def test_long_tail_held_out_holds_exactly_the_messages_of_long_tail_templates():
    longtail = {t.key for t in corpus.parse_templates(corpus.TEMPLATES_EXTRA)}
    assert all(set(r["template"].split("+")) & longtail for r in _rows(HELDOUT_LONGTAIL_FILE))
    assert not any(set(r["template"].split("+")) & longtail for r in _rows(HELDOUT_FILE))
    assert len(_rows(HELDOUT_LONGTAIL_FILE)) > 1000


def test_held_out_templates_never_appear_in_training():
    def parts(rows):
        return {p for r in rows for p in r["template"].split("+")}

    held_rows = _rows(HELDOUT_FILE) + _rows(HELDOUT_LONGTAIL_FILE)
    train, heldout = parts(_rows(TRAIN_FILE)), parts(held_rows) - {"taxonomy"}
    assert not train & heldout
    assert not {r["text"] for r in _rows(TRAIN_FILE)} & {r["text"] for r in held_rows}


def test_every_item_is_on_one_side_only():
    # A template, frame, filler or suffix phrase (same text) must not be both trained on and tested on.
    sides: dict[tuple[str, str], set[bool]] = {}
    for kind, text, heldout in _items():
        sides.setdefault((kind, text), set()).add(heldout)
    assert [key for key, s in sides.items() if len(s) > 1] == []


def test_items_of_corpus_v1_keep_the_side_they_had():
    # split_v1.json freezes the first corpus's split; adding items later must never move an old one across.
    frozen = json.loads(corpus.SPLIT_FILE.read_text(encoding="utf-8"))
    current = {(kind, text): heldout for kind, text, heldout in _items()}
    moved = [
        (kind, text)
        for kind, sides in frozen.items()
        for side, texts in sides.items()
        for text in texts
        if (kind, text) in current and current[(kind, text)] is not (side == "heldout")
    ]
    assert moved == []


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\{\w+\}|[，。！？!?、；：:\"“”\s~…]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _near_copy(grams: set[str], grams2: set[str]) -> bool:
    return len(grams & grams2) / len(grams | grams2) >= 0.5


def test_no_held_out_item_is_a_near_copy_of_a_training_item():
    # A paraphrase that keeps most of the wording is a leak too: character-bigram Jaccard must stay below 0.5
    # between any held-out and any training template, filler or frame of six characters or more (and the
    # TAXONOMY.md examples, always held out, are compared with every training template and filler).
    items = [(k, t, h, _bigrams(t)) for k, t, h in _items() if k != "phrase"]
    items = [item for item in items if len(item[3]) >= 5]
    held = [(k, t, g) for k, t, h, g in items if h]
    held += [("template", text, _bigrams(text)) for text, *_ in TAXONOMY_EXAMPLES]
    train = [(k, t, g) for k, t, h, g in items if not h]
    close = []
    for kind, text, grams in held:
        for kind2, text2, grams2 in train:
            same_kind = kind == kind2 or {kind, kind2} <= {"template", "filler"}
            if same_kind and _near_copy(grams, grams2):
                close.append((text, text2))
    assert close == []


def test_every_frame_group_is_split_both_ways():
    # Each (frame kind, request type) has frames on both sides, so held-out compositional messages exist for it
    # and training ones too.
    groups: dict[tuple[str, str], set[bool]] = {}
    for heading, lines in corpus._sections(FRAMES).items():
        rt, kind, *_ = heading.split()
        for line in lines:
            groups.setdefault((kind, rt), set()).add(corpus.is_heldout("frame", line))
    assert {key for key, sides in groups.items() if sides != {True, False}} == set()


def test_corpus_is_large_and_covers_every_label_in_both_splits():
    train, heldout = _rows(TRAIN_FILE), _rows(HELDOUT_FILE)
    held_out = len(heldout) + len(_rows(HELDOUT_LONGTAIL_FILE))
    assert len(train) + held_out >= 3000
    assert held_out >= 0.15 * (len(train) + held_out)
    for rows in (train, heldout):
        assert set(Counter(r["request_type"] for r in rows)) == set(RequestType.values)
        assert set(Counter(r["category"] for r in rows)) == set(Category.values)
        assert set(Counter(r["urgency"] for r in rows)) == set(Urgency.values)
        assert set(Counter(r["sentiment"] for r in rows)) == {"positive", "neutral", "negative", "angry"}
        assert {r["sensitive"] for r in rows} == {True, False}
        styles = {s for r in rows for s in r["style"].split("+")}
        assert {"wechat", "hotline", "email", "frontdesk", "traditional", "fullwidth", "two_problems"} <= styles


def test_every_category_has_held_out_hand_written_templates():
    held = Counter(t.category for t in corpus.parse_templates() if t.heldout)
    assert set(held) == set(Category.values)
    assert min(held.values()) >= 5

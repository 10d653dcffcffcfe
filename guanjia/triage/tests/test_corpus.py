"""The corpus is labelled by construction and its held-out split is a genuine test."""

from __future__ import annotations

import json
from collections import Counter

from guanjia.tickets.taxonomy import Category, RequestType, Urgency
from guanjia.triage.corpus.build import build
from guanjia.triage.model import HELDOUT_FILE, TRAIN_FILE


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_committed_corpus_is_what_the_generator_writes():
    train, heldout = build()
    assert [r.text for r in train] == [r["text"] for r in _rows(TRAIN_FILE)]
    assert [r.text for r in heldout] == [r["text"] for r in _rows(HELDOUT_FILE)]


def test_held_out_templates_never_appear_in_training():
    def parts(rows):
        return {p for r in rows for p in r["template"].split("+")}

    train, heldout = parts(_rows(TRAIN_FILE)), parts(_rows(HELDOUT_FILE)) - {"taxonomy"}
    assert not train & heldout
    assert not {r["text"] for r in _rows(TRAIN_FILE)} & {r["text"] for r in _rows(HELDOUT_FILE)}


def test_corpus_is_large_and_covers_every_label_in_both_splits():
    train, heldout = _rows(TRAIN_FILE), _rows(HELDOUT_FILE)
    assert len(train) + len(heldout) >= 3000
    for rows in (train, heldout):
        assert set(Counter(r["request_type"] for r in rows)) == set(RequestType.values)
        assert set(Counter(r["category"] for r in rows)) == set(Category.values)
        assert set(Counter(r["urgency"] for r in rows)) == set(Urgency.values)
        assert set(Counter(r["sentiment"] for r in rows)) == {"positive", "neutral", "negative", "angry"}
        assert {r["sensitive"] for r in rows} == {True, False}
        styles = {s for r in rows for s in r["style"].split("+")}
        assert {"wechat", "hotline", "email", "frontdesk", "traditional", "fullwidth", "two_problems"} <= styles

"""The committed model on the committed held-out split: the figures of guanjia/triage/README.md."""

from __future__ import annotations

import functools

import pytest

from guanjia.triage.evaluation import AIMS, Report, evaluate
from guanjia.triage.model import HELDOUT_FILE, default_model, read_examples
from guanjia.triage.services import review_threshold


@functools.cache
def _report() -> Report:
    return evaluate(default_model(), read_examples(HELDOUT_FILE))


def test_emergency_recall_meets_the_aim():
    assert _report().emergency_recall >= AIMS["emergency_recall"]


def test_sensitive_recall_meets_the_aim():
    assert _report().sensitive_recall >= AIMS["sensitive_recall"]


def test_request_type_accuracy_meets_the_aim():
    assert _report().accuracy["request_type"] >= AIMS["request_type"]


def test_scores_do_not_fall_below_the_recorded_figures():
    # The floor of the figures in README.md (corpus v3); a retrain that falls below them must not be committed.
    report = _report()
    assert report.accuracy["department"] >= 0.92
    assert report.accuracy["request_type"] >= 0.93
    assert report.accuracy["category"] >= 0.885
    assert report.accuracy["urgency"] >= 0.945
    assert report.emergency_precision >= 0.85
    assert report.sensitive_precision >= 0.92


def test_blind_test_set_scores_do_not_fall_below_the_recorded_figures():
    # 250 messages written by someone who never saw the corpus (README.md, "The three test sets"): the honest figure.
    report = evaluate(default_model(), read_examples(HELDOUT_FILE.parent / "blind_test.jsonl"))
    assert report.n == 250
    assert report.accuracy["department"] >= 0.89
    assert report.emergency_recall >= 0.95
    assert report.sensitive_recall >= 0.80


@pytest.mark.xfail(strict=True, reason="aim not met yet: department 92.2 % on the template-disjoint split (README.md)")
def test_department_accuracy_meets_the_aim():
    assert _report().accuracy["department"] >= AIMS["department"]


def test_routing_table_trades_clerk_work_for_department_accuracy():
    # README.md quotes this table: below each threshold a clerk checks the labels before the ticket is routed.
    routing = _report().routing
    assert routing[0.0] == (1.0, _report().accuracy["department"])
    shares = [share for share, _ in routing.values()]
    assert shares == sorted(shares, reverse=True)
    live_share, live_accuracy = routing[review_threshold()]
    assert live_share == pytest.approx(1 - _report().needs_review_share)
    assert live_accuracy > routing[0.0][1]

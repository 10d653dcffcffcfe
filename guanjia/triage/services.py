"""Triage of owner messages: model, then the alarm-raising rules; the one entry point every channel calls."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from guanjia.tickets.taxonomy import department_for

from .model import TriageModel, default_model
from .normalize import _t2s, to_halfwidth
from .rules import apply_rules

REVIEW_THRESHOLD = 0.55  # below this category confidence a clerk checks the labels before routing
CONTRACT_KEYS = ("request_type", "category", "department", "urgency", "sentiment", "sensitive", "confidence")


@dataclass(frozen=True)
class TriageResult:
    request_type: str | None
    category: str | None
    department: str | None
    urgency: str | None
    sentiment: str | None
    sensitive: bool
    confidence: float
    needs_review: bool
    rules: tuple[str, ...] = field(default=())
    model_labels: dict[str, Any] = field(default_factory=dict)  # what the model said before the rules

    def contract(self) -> dict[str, Any]:
        """The keys of TAXONOMY.md's `guanjia triage --json` contract, in its order."""
        data = asdict(self)
        return {key: data[key] for key in CONTRACT_KEYS}


EMPTY = TriageResult(
    request_type=None,
    category=None,
    department=None,
    urgency=None,
    sentiment=None,
    sensitive=False,
    confidence=0.0,
    needs_review=True,
)


# A second problem in the same message usually follows one of these ("。另外，", "，还有，", "；顺便说一下，").
# "还有" alone needs a pause after it: "电梯里还有人" is one problem.
_SECOND_PROBLEM = re.compile(
    r"(?<=[。，,；;！!？?\s])\s*(?:(?:另外|还有个事|还有一件事|还有件事|顺便说一下|顺便问一下|顺便说下|顺便提一下|对了)"
    r"[，,：:\s]*|还有[，,：:\s]+|(?:二是|其二)[，,：:\s]*|第二[，,：:、]\s*|2[.、:：]\s*)"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Which of two problems decides (corpus README, labelling guide rule 15): the more urgent, then the one that
# needs more follow-up. The corpus generator labels two-problem messages with the same tables.
URGENCY_RANK = {"emergency": 3, "urgent": 2, "normal": 1, "planned": 0}
REQUEST_RANK = {"help": 6, "complaint": 5, "repair": 4, "business": 3, "inquiry": 2, "suggestion": 1, "praise": 0}


def review_threshold() -> float:
    """GUANJIA_TRIAGE_REVIEW_THRESHOLD under Django, else REVIEW_THRESHOLD (the command runs without Django)."""
    from django.conf import settings

    if not settings.configured:
        return REVIEW_THRESHOLD
    return getattr(settings, "GUANJIA_TRIAGE_REVIEW_THRESHOLD", REVIEW_THRESHOLD)


def problems(text: str) -> list[str]:
    """The problems of one message: the text cut before "另外 / 还有 / 顺便 …"; a piece with fewer than four
    Chinese characters stays with the one before it. One problem → [text]."""
    flat = _t2s_halfwidth(text)
    pieces: list[str] = []
    start = 0
    for m in _SECOND_PROBLEM.finditer(flat):
        pieces.append(flat[start : m.start()])
        start = m.end()
    pieces.append(flat[start:])
    merged: list[str] = []
    for piece in pieces:
        if merged and (len(_CJK.findall(piece)) < 4 or len(_CJK.findall(merged[-1])) < 4):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged if len(merged) > 1 else [text]


def _t2s_halfwidth(text: str) -> str:
    return _t2s().convert(to_halfwidth(text))


def _main(labels: list[dict[str, Any]]) -> int:
    """Index of the problem that decides: the most urgent, then the one needing most follow-up, then the first."""
    return max(
        range(len(labels)),
        key=lambda k: (URGENCY_RANK[labels[k]["urgency"]], REQUEST_RANK[labels[k]["request_type"]], -k),
    )


def triage_texts(texts: Sequence[str], *, model: TriageModel | None = None) -> list[TriageResult]:
    """Triage many messages in one model call (far faster than one call per message); order is kept.

    A message with two problems ("…。另外，…") is also triaged problem by problem: request type, category and
    urgency are those of the main problem (most urgent, then most follow-up); sentiment is read from the whole
    message; it is sensitive if the whole or any problem is. Empty or whitespace-only messages yield EMPTY (request_type None, needs_review True) without touching
    the model.
    """
    model = model or default_model()
    threshold = review_threshold()
    live = [i for i, t in enumerate(texts) if t and t.strip()]
    # Each message once whole; a message with several problems also piece by piece.
    batch = [(i, texts[i]) for i in live]
    for i in live:
        pieces = problems(texts[i])
        if len(pieces) > 1:
            batch += [(i, piece) for piece in pieces]
    predictions = model.predict([text for _, text in batch])
    by_text: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for (i, text), pred in zip(batch, predictions, strict=True):
        by_text.setdefault(i, []).append((text, pred))
    results: list[TriageResult] = [EMPTY] * len(texts)
    for i in live:
        (whole_text, whole_pred), *pieces = by_text[i]
        whole_model = {label: value for label, (value, _) in whole_pred.items()}
        whole, fired = apply_rules(whole_text, whole_model)
        if not pieces:
            main_pred, chosen, raw = whole_pred, whole, whole_model
        else:
            piece_model = [{label: value for label, (value, _) in pred.items()} for _, pred in pieces]
            raised = []
            for (piece, _), labels in zip(pieces, piece_model, strict=True):
                up, names = apply_rules(piece, labels)
                raised.append(up)
                fired += [n for n in names if n not in fired]
            main = _main(raised)
            main_pred, chosen = pieces[main][1], raised[main]
            raw = {**piece_model[_main(piece_model)], "sentiment": whole_model["sentiment"]}
            raw["sensitive"] = whole_model["sensitive"] or any(m["sensitive"] for m in piece_model)
        category, confidence = main_pred["category"]
        results[i] = TriageResult(
            request_type=chosen["request_type"],
            category=category,
            department=department_for(category),
            urgency=chosen["urgency"],
            sentiment=whole["sentiment"],
            sensitive=bool(whole["sensitive"] or raw["sensitive"] or chosen["sensitive"]),
            confidence=round(confidence, 4),
            needs_review=confidence < threshold,
            rules=tuple(fired),
            model_labels=raw,
        )
    return results


def triage_text(text: str, *, model: TriageModel | None = None) -> TriageResult:
    """Labels for one owner message. The committed model is loaded once per process on first use."""
    return triage_texts([text], model=model)[0]

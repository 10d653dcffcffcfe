"""Triage of owner messages: model, then the alarm-raising rules; the one entry point every channel calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from guanjia.tickets.taxonomy import department_for

from .model import TriageModel, default_model
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


def triage_texts(texts: Sequence[str], *, model: TriageModel | None = None) -> list[TriageResult]:
    """Triage many messages in one model call (far faster than one call per message); order is kept.

    Empty or whitespace-only messages yield EMPTY (request_type None, needs_review True) without touching
    the model.
    """
    model = model or default_model()
    live = [i for i, t in enumerate(texts) if t and t.strip()]
    predictions = model.predict([texts[i] for i in live])
    results: list[TriageResult] = [EMPTY] * len(texts)
    for i, pred in zip(live, predictions, strict=True):
        labels = {label: value for label, (value, _) in pred.items()}
        raised, fired = apply_rules(texts[i], labels)
        category, confidence = pred["category"]
        results[i] = TriageResult(
            request_type=raised["request_type"],
            category=category,
            department=department_for(category),
            urgency=raised["urgency"],
            sentiment=raised["sentiment"],
            sensitive=bool(raised["sensitive"]),
            confidence=round(confidence, 4),
            needs_review=confidence < REVIEW_THRESHOLD,
            rules=tuple(fired),
            model_labels=labels,
        )
    return results


def triage_text(text: str, *, model: TriageModel | None = None) -> TriageResult:
    """Labels for one owner message. The committed model is loaded once per process on first use."""
    return triage_texts([text], model=model)[0]

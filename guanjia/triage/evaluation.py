"""Held-out evaluation: the figures in README.md, the retrain gate, and the test that keeps them honest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from guanjia.tickets.taxonomy import department_for

from .model import LABELS, Example, TriageModel
from .services import REVIEW_THRESHOLD, review_threshold, triage_texts

DEPARTMENTS = ("engineering", "security", "environment", "customer_service", "finance")
AIMS = {"department": 0.95, "request_type": 0.92, "emergency_recall": 0.99, "sensitive_recall": 0.95}
# Review thresholds the report shows (and the live one): what a centre trades between clerk work and routing.
ROUTING_THRESHOLDS = (0.0, 0.5, REVIEW_THRESHOLD, 0.6, 0.65, 0.7, 0.8)


@dataclass
class Report:
    n: int
    accuracy: dict[str, float]
    emergency_recall: float
    emergency_precision: float
    sensitive_recall: float
    sensitive_precision: float
    needs_review_share: float
    department_confusion: dict[str, Counter[str]] = field(default_factory=dict)
    model_only: dict[str, float] = field(default_factory=dict)  # the same figures before the rules
    # threshold → (share of messages routed without a clerk, department accuracy on those messages)
    routing: dict[float, tuple[float, float]] = field(default_factory=dict)

    def meets_aims(self) -> dict[str, bool]:
        got = {
            "department": self.accuracy["department"],
            "request_type": self.accuracy["request_type"],
            "emergency_recall": self.emergency_recall,
            "sensitive_recall": self.sensitive_recall,
        }
        return {name: got[name] >= aim for name, aim in AIMS.items()}


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def evaluate(model: TriageModel, examples: Sequence[Example]) -> Report:
    results = triage_texts([e.text for e in examples], model=model)
    gold = [
        {**{label: getattr(e, label) for label in LABELS}, "department": department_for(e.category)} for e in examples
    ]
    got = [{**{label: getattr(r, label) for label in LABELS}, "department": r.department} for r in results]
    raw = [{**r.model_labels, "department": department_for(r.model_labels["category"])} for r in results]
    keys = (*LABELS, "department")
    n = len(examples)

    def scores(pred: list[dict]) -> dict[str, float]:
        out = {k: _ratio(sum(p[k] == g[k] for p, g in zip(pred, gold, strict=True)), n) for k in keys}
        em = [p["urgency"] == "emergency" for p, g in zip(pred, gold, strict=True) if g["urgency"] == "emergency"]
        se = [bool(p["sensitive"]) for p, g in zip(pred, gold, strict=True) if g["sensitive"]]
        out["emergency_recall"] = _ratio(sum(em), len(em))
        out["sensitive_recall"] = _ratio(sum(se), len(se))
        return out

    final = scores(got)
    said_em = [g["urgency"] == "emergency" for p, g in zip(got, gold, strict=True) if p["urgency"] == "emergency"]
    said_se = [bool(g["sensitive"]) for p, g in zip(got, gold, strict=True) if p["sensitive"]]
    right_department = [p["department"] == g["department"] for p, g in zip(got, gold, strict=True)]
    routing = {}
    for threshold in sorted({*ROUTING_THRESHOLDS, review_threshold()}):
        routed = [ok for ok, r in zip(right_department, results, strict=True) if r.confidence >= threshold]
        routing[threshold] = (_ratio(len(routed), n), _ratio(sum(routed), len(routed)))
    confusion: dict[str, Counter[str]] = {d: Counter() for d in DEPARTMENTS}
    for p, g in zip(got, gold, strict=True):
        confusion[g["department"]][p["department"]] += 1
    return Report(
        n=n,
        accuracy={k: final[k] for k in keys},
        emergency_recall=final["emergency_recall"],
        emergency_precision=_ratio(sum(said_em), len(said_em)),
        sensitive_recall=final["sensitive_recall"],
        sensitive_precision=_ratio(sum(said_se), len(said_se)),
        needs_review_share=_ratio(sum(r.needs_review for r in results), n),
        department_confusion=confusion,
        model_only=scores(raw),
        routing=routing,
    )


def format_report(report: Report) -> str:
    pct = "{:.1%}".format
    lines = [f"held-out messages: {report.n}", "", "label          model+rules   model only"]
    for key in ("department", *LABELS):
        lines.append(f"{key:<14} {pct(report.accuracy[key]):>11}   {pct(report.model_only[key]):>10}")
    lines += [
        "",
        f"emergency recall   {pct(report.emergency_recall)} (model only {pct(report.model_only['emergency_recall'])}),"
        f" precision {pct(report.emergency_precision)}",
        f"sensitive recall   {pct(report.sensitive_recall)} (model only {pct(report.model_only['sensitive_recall'])}),"
        f" precision {pct(report.sensitive_precision)}",
        f"needs review       {pct(report.needs_review_share)} of messages (confidence below threshold)",
        "",
        "department confusion (rows: true, columns: predicted)",
        "".ljust(18) + "".join(d[:11].rjust(12) for d in DEPARTMENTS),
    ]
    for d in DEPARTMENTS:
        lines.append(d.ljust(18) + "".join(str(report.department_confusion[d][p]).rjust(12) for p in DEPARTMENTS))
    if report.routing:
        lines += ["", "review threshold   routed without a clerk   department accuracy of those"]
        for threshold, (share, accuracy) in report.routing.items():
            live = "  (live)" if threshold == review_threshold() else ""
            lines.append(f"{threshold:>16.2f}   {pct(share):>22}   {pct(accuracy):>19}{live}")
    aims = report.meets_aims()
    lines += ["", "aims: " + ", ".join(f"{k} ≥ {AIMS[k]:.0%} {'met' if ok else 'MISSED'}" for k, ok in aims.items())]
    return "\n".join(lines)

"""`guanjia triage --json`: one JSON object per input line, same order, exactly the contract's keys."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from guanjia.triage.cli import classify_lines, retrain_verdict, run_classify, run_evaluate
from guanjia.triage.evaluation import Report
from guanjia.triage.model import CorrectionError, read_examples

KEYS = ["request_type", "category", "department", "urgency", "sentiment", "sensitive", "confidence"]
LINES = [
    "3栋2单元电梯卡在8楼了，里面有人，快来人！",
    "",
    "你好，想问下装修押金什么时候能退？",
    "   ",
    "谢谢王师傅，下水道修得很快！",
]


def test_one_json_object_per_line_in_order_with_exactly_the_contract_keys():
    out = [json.loads(line) for line in classify_lines(LINES)]
    assert len(out) == len(LINES)
    assert all(list(obj) == KEYS for obj in out)
    assert [o["request_type"] for o in out] == ["repair", None, "inquiry", None, "praise"]
    assert out[0]["department"] == "engineering" and out[0]["urgency"] == "emergency"
    assert all(0.0 <= o["confidence"] <= 1.0 for o in out)


def test_stdin_to_stdout_keeps_line_count_including_a_trailing_empty_line():
    stdout = io.StringIO()
    run_classify(io.StringIO("电梯困人了\n\n"), stdout, as_json=True)
    lines = stdout.getvalue().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["request_type"] is None


def test_python_dash_m_runs_the_same_contract():
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.run(
        [sys.executable, "-m", "guanjia.triage", "--json"],
        input="一股煤气味\n\n我已经联系了电视台\n",
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["urgency"] for o in out] == ["emergency", None, out[2]["urgency"]]
    assert out[2]["sensitive"] is True


def _report(department: float, emergency: float) -> Report:
    accuracy = {"department": department, "request_type": 0.9}
    return Report(
        n=10,
        accuracy=accuracy,
        emergency_recall=emergency,
        emergency_precision=1,
        sensitive_recall=1,
        sensitive_precision=1,
        needs_review_share=0,
    )


def test_retrain_refuses_a_model_worse_on_department_or_emergency_recall():
    old = _report(0.93, 0.99)
    assert retrain_verdict(_report(0.94, 0.99), old) == []
    assert "department accuracy" in retrain_verdict(_report(0.92, 0.99), old)[0]
    assert "emergency recall" in retrain_verdict(_report(0.95, 0.98), old)[0]
    assert retrain_verdict(_report(0.5, 0.5), None) == []


def test_corrections_file_format_is_validated(tmp_path):
    good = {
        "text": "电梯异响",
        "request_type": "repair",
        "category": "elevator",
        "urgency": "normal",
        "sentiment": "neutral",
        "sensitive": False,
        "ticket": 42,
        "corrected_by": "wanglei",
    }
    path = tmp_path / "corrections.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n\n", encoding="utf-8")
    [example] = read_examples(path, weight=3.0)
    assert (example.category, example.weight) == ("elevator", 3.0)
    path.write_text(json.dumps({**good, "category": "lift"}, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        read_examples(path)
    except CorrectionError as exc:
        assert ":1: category='lift'" in str(exc)
    else:
        raise AssertionError("an unknown category must be refused")


def test_the_management_command_speaks_the_same_contract():
    from django.core.management import call_command

    stdout = io.StringIO()
    call_command("triage", "--json", stdin=io.StringIO("水从天花板往下灌\n\n"), stdout=stdout)
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [o["urgency"] for o in out] == ["emergency", None]
    assert all(list(o) == KEYS for o in out)


def test_evaluate_on_another_labelled_file_reports_on_that_file(tmp_path):
    labelled = tmp_path / "mine.jsonl"
    row = {"request_type": "repair", "category": "elevator", "urgency": "emergency", "sentiment": "negative"}
    labelled.write_text(
        json.dumps({"text": "3栋电梯困人了，快来", **row, "sensitive": False}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    stdout = io.StringIO()
    assert run_evaluate(stdout, on=labelled) == 0
    assert "held-out messages: 1" in stdout.getvalue()
    assert "department          100.0%" in stdout.getvalue()

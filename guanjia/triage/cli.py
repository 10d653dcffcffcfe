"""What `guanjia triage` does, as plain functions: the management command and `python -m guanjia.triage` share them.

guanjia triage --json                      one message per stdin line → one JSON object per stdout line
guanjia triage evaluate [--on F]           the held-out report of the committed model (or on another JSONL)
guanjia triage retrain [--corrections F]   retrain; replace the model only if it is not worse (or --force)
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .evaluation import Report, evaluate, format_report
from .model import (
    ARTIFACT,
    CORRECTION_WEIGHT,
    HELDOUT_FILE,
    TriageModel,
    default_model,
    load_model,
    read_examples,
    train,
)
from .normalize import normalize
from .services import triage_texts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", nargs="?", default="classify", choices=("classify", "evaluate", "retrain"), help="default: classify"
    )
    parser.add_argument("--json", action="store_true", help="classify: one JSON object per line (the contract)")
    parser.add_argument("--corrections", type=Path, help="retrain: JSONL of clerk-corrected labels")
    parser.add_argument("--force", action="store_true", help="retrain: replace the model even if it scores worse")
    parser.add_argument(
        "--on", type=Path, default=HELDOUT_FILE, help="evaluate: a labelled JSONL (default: the held-out split)"
    )


def classify_lines(lines: Iterable[str], *, as_json: bool = True) -> list[str]:
    """One output line per input line, same order; an empty line gives request_type null."""
    texts = [line.rstrip("\r\n") for line in lines]
    out = []
    for result in triage_texts(texts):
        data = result.contract()
        if as_json:
            out.append(json.dumps(data, ensure_ascii=False))
        else:
            flags = " ".join(f for f, on in (("SENSITIVE", result.sensitive), ("REVIEW", result.needs_review)) if on)
            out.append("\t".join(str(data[k]) for k in data) + (f"\t{flags}" if flags else ""))
    return out


def run_classify(stdin: TextIO, stdout: TextIO, *, as_json: bool) -> int:
    for line in classify_lines(stdin, as_json=as_json):
        stdout.write(line + "\n")
    return 0


def run_evaluate(stdout: TextIO, *, on: Path = HELDOUT_FILE) -> int:
    stdout.write(format_report(evaluate(default_model(), read_examples(on))) + "\n")
    return 0


def retrain_verdict(new: Report, old: Report | None) -> list[str]:
    """Why the new model must not replace the old one (empty: it may)."""
    if old is None:
        return []
    reasons = []
    if new.accuracy["department"] < old.accuracy["department"]:
        reasons.append(
            f"department accuracy would drop from {old.accuracy['department']:.1%} to {new.accuracy['department']:.1%}"
        )
    if new.emergency_recall < old.emergency_recall:
        reasons.append(f"emergency recall would drop from {old.emergency_recall:.1%} to {new.emergency_recall:.1%}")
    return reasons


def run_retrain(
    stdout: TextIO, *, corrections: Path | None = None, force: bool = False, artifact: Path = ARTIFACT
) -> int:
    """Train on the corpus (+ corrections), report held-out scores, and replace the artifact only if not worse.

    Corrections whose text is also a held-out message are dropped (and counted), so a correction can never
    leak the test into training. Returns 0 when the model was replaced, 1 when it was refused.
    """
    heldout = read_examples(HELDOUT_FILE)
    extra = []
    if corrections is not None:
        held_texts = {normalize(e.text) for e in heldout}
        loaded = read_examples(corrections, weight=CORRECTION_WEIGHT)
        extra = [e for e in loaded if normalize(e.text) not in held_texts]
        stdout.write(f"corrections: {len(loaded)} read, {len(loaded) - len(extra)} dropped (held-out texts)\n")
    new_model = train(corrections=extra)
    new_report = evaluate(new_model, heldout)
    stdout.write("== new model ==\n" + format_report(new_report) + "\n")
    old_report = None
    if artifact.exists():
        try:
            old_report = evaluate(load_model(artifact), heldout)
        except Exception as error:  # an artifact the current code cannot run is no model to keep
            stdout.write(f"== current model == cannot be evaluated ({error}); it will be replaced\n")
        else:
            stdout.write(
                f"== current model == department {old_report.accuracy['department']:.1%}, "
                f"emergency recall {old_report.emergency_recall:.1%}\n"
            )
    reasons = retrain_verdict(new_report, old_report)
    if reasons and not force:
        stdout.write("refused to replace the model: " + "; ".join(reasons) + " (use --force to replace anyway)\n")
        return 1
    _save_atomically(new_model, artifact)
    stdout.write(f"model replaced: {artifact}" + (" (forced)" if reasons else "") + "\n")
    return 0


def _save_atomically(model: TriageModel, artifact: Path) -> None:
    # A half-written artifact would break every channel's triage: write beside it, then rename.
    artifact.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=artifact.parent, suffix=".joblib.tmp")
    os.close(fd)
    try:
        model.save(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the artifact is a committed, world-readable file
        os.replace(tmp, artifact)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def run(options: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if options.action == "evaluate":
        return run_evaluate(stdout, on=options.on)
    if options.action == "retrain":
        return run_retrain(stdout, corrections=options.corrections, force=options.force)
    return run_classify(stdin, stdout, as_json=options.json)

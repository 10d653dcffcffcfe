"""Triage speed in one process, next to jieba alone on the same messages.

    .venv/bin/python bench/triage_speed.py [--repeat N]

Messages: the held-out corpus (guanjia/triage/corpus/heldout.jsonl). Reports model load time, batch throughput
(one triage_texts call for all messages), one-at-a-time throughput with per-message median and p99 latency, and
the same for jieba.lcut alone (dictionary already loaded).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jieba  # noqa: E402

from guanjia.triage.model import HELDOUT_FILE, default_model, read_examples  # noqa: E402
from guanjia.triage.services import triage_text, triage_texts  # noqa: E402


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _one_by_one(fn, texts: list[str]) -> tuple[float, list[float]]:
    times = []
    start = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - t0)
    return time.perf_counter() - start, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1, help="pass over the messages this many times")
    args = parser.parse_args()
    texts = [e.text for e in read_examples(HELDOUT_FILE)] * args.repeat
    n = len(texts)

    t0 = time.perf_counter()
    default_model()
    load = time.perf_counter() - t0
    jieba.initialize()
    triage_text(texts[0])  # warm caches (OpenCC, regexes)

    t0 = time.perf_counter()
    triage_texts(texts)
    batch = time.perf_counter() - t0
    single_total, single = _one_by_one(triage_text, texts)
    jieba_total, jieba_times = _one_by_one(jieba.lcut, texts)

    ms = 1000.0
    print(f"messages: {n} (mean {sum(map(len, texts)) / n:.0f} characters)")
    print(f"model load (joblib, once per process): {load * ms:.0f} ms")
    print(f"triage, one batch call:    {n / batch:8.0f} msg/s")
    print(
        f"triage, one at a time:     {n / single_total:8.0f} msg/s   median {statistics.median(single) * ms:.2f} ms"
        f"   p99 {_percentile(single, 0.99) * ms:.2f} ms"
    )
    print(
        f"jieba.lcut alone:          {n / jieba_total:8.0f} msg/s   median {statistics.median(jieba_times) * ms:.3f} ms"
        f"   p99 {_percentile(jieba_times, 0.99) * ms:.3f} ms"
    )


if __name__ == "__main__":
    main()

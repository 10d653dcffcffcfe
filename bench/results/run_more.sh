#!/usr/bin/env bash
# Second runs of the 100k sweeps, after run_all.sh, for figures taken under similar load.
set -u
cd "$(dirname "$0")/../.."
r=bench/results
while kill -0 "$1" 2>/dev/null; do sleep 20; done
.venv/bin/python -u bench/clock_sweep.py --open 100000 > $r/sweep_sqlite_100k_2.txt 2>&1
scripts/with-postgres .venv/bin/python -u bench/clock_sweep.py --open 100000 > $r/sweep_pg_100k_2.txt 2>&1

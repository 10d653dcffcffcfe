#!/usr/bin/env bash
# The runs behind README.md's figures, one after another (the machine has two cores).
set -u
cd "$(dirname "$0")/../.."
r=bench/results
scripts/with-postgres .venv/bin/python -u bench/create_tickets.py --count 20000 > $r/create_pg_20k.txt 2>&1
.venv/bin/python -u bench/clock_sweep.py --open 1000000 > $r/sweep_sqlite_1m.txt 2>&1
scripts/with-postgres .venv/bin/python -u bench/clock_sweep.py --open 1000000 > $r/sweep_pg_1m.txt 2>&1
.venv/bin/python -u bench/ticket_list.py --count 1000000 > $r/list_sqlite_1m.txt 2>&1
scripts/with-postgres .venv/bin/python -u bench/ticket_list.py --count 1000000 > $r/list_pg_1m.txt 2>&1

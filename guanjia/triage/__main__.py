"""`python -m guanjia.triage …`: the same as `guanjia triage …`, without Django's command machinery."""

from __future__ import annotations

import argparse
import sys

from .cli import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guanjia.triage", description="Triage owner messages.")
    add_arguments(parser)
    return run(parser.parse_args(argv), sys.stdin, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())

"""`guanjia triage`: classify messages from stdin (--json is TAXONOMY.md's contract), evaluate, retrain."""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from guanjia.triage.cli import add_arguments, run


class Command(BaseCommand):
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests
    help = _("Triage owner messages: one per stdin line → labels; or `evaluate`, or `retrain [--corrections F]`.")

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: object, **options: object) -> None:
        stdin = options.pop("stdin", None) or sys.stdin
        code = run(argparse.Namespace(**options), stdin, self.stdout)
        if code:
            raise CommandError("triage: the new model was not installed", returncode=code)

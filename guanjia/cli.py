"""The `guanjia` command: Django's manage.py under our own name.

`guanjia demo`, `guanjia worker`, `guanjia triage` … are management commands of the apps.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv or sys.argv)
    return 0

"""The ticket personas live in guanjia/conftest.py so every app's tests share them."""

from guanjia.conftest import MONDAY_9, SH, new_repair

__all__ = ["MONDAY_9", "SH", "new_repair"]

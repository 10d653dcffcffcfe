from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_mail(name: str) -> bytes:
    """A recorded mail from fixtures/, as the bytes a mail server holds."""
    return (FIXTURES / name).read_bytes()

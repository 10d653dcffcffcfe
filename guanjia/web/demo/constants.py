"""What every part of the demo shares: the company, the password, the seed and the demo's "today"."""

from __future__ import annotations

from datetime import date

DEMO_COMPANY = "和悦物业服务有限公司"
DEMO_PASSWORD = "guanjia-demo-2026"
DEMO_SEED = 2026
# "Today" for the demo world: rosters are centred on it, move-ins and services happened before it.
DEMO_TODAY = date(2026, 11, 1)
BATCH = 500

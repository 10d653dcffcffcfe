"""The demo company (`guanjia demo`): three estates, their residents, staff, rosters and equipment.

Everything comes from one `random.Random(seed)` and the fixed date `DEMO_TODAY`, so the same seed
gives the same data on every machine. Rows are written with `bulk_create` inside one transaction:
the full company (≈2,400 units, ≈5,000 residents) loads in seconds on SQLite.

    constants.py   the company name, the shared password, the default seed, the demo's "today"
    layout.py      estates, buildings, units, parking zones at a scale: no database, no randomness
    names.py       surnames, given names, mobile prefixes, tenant and shop words: pure data
    people.py      names, mobiles and ID numbers drawn from the seed
    estates.py     buildings, units, common areas, parking spaces
    residents.py   owners and households, tenants, office, shop and hotel contacts
    equipment.py   makes and vendors, service intervals, each estate's plant
    staff.py       departments, accounts, shifts, rosters
    load.py        `demo_load`: the order it all happens in, and the logins
    tickets.py     `demo_tickets_load`: a week of work orders through the ticket services
"""

from guanjia.web.demo.constants import DEMO_COMPANY, DEMO_PASSWORD, DEMO_SEED, DEMO_TODAY
from guanjia.web.demo.layout import demo_layout
from guanjia.web.demo.load import DemoConflict, DemoLogins, demo_load
from guanjia.web.demo.people import id_number_with_check
from guanjia.web.demo.staff import ROSTER_DAYS, ROSTER_FIRST

__all__ = [
    "DEMO_COMPANY",
    "DEMO_PASSWORD",
    "DEMO_SEED",
    "DEMO_TODAY",
    "ROSTER_DAYS",
    "ROSTER_FIRST",
    "DemoConflict",
    "DemoLogins",
    "demo_layout",
    "demo_load",
    "id_number_with_check",
]

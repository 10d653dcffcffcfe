"""Who lives and works in the units: owners and their households, tenants, office, shop and hotel contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from guanjia.estates.models import Estate, Unit
from guanjia.people.models import Occupancy, Resident
from guanjia.people.services import resident_fill_derived
from guanjia.web.demo.constants import BATCH, DEMO_TODAY
from guanjia.web.demo.layout import EstateSpec
from guanjia.web.demo.names import (
    COMPANY_BRANDS,
    COMPANY_PLACES,
    COMPANY_TRADES,
    HOTEL_OPERATOR,
    OFFICE_TITLES,
    SHOP_KINDS,
    SHOP_WORDS,
)
from guanjia.web.demo.people import People


@dataclass
class _Pending:
    residents: list[Resident] = field(default_factory=list)
    ties: list[tuple[Resident, Unit, str, date | None, date | None]] = field(default_factory=list)


class ResidentBuilder:
    """Residents and occupancies, estate by estate.

    One builder serves every estate, so no two tenant companies in the demo share a name.
    """

    def __init__(self, people: People) -> None:
        self.rng = people.rng
        self.people = people
        self.company_names: set[str] = set()

    def build(self, *, estate: Estate, spec: EstateSpec, units: list[Unit]) -> None:
        pending = _Pending()
        homes = [u for u in units if u.use == Unit.Use.RESIDENCE]
        # Apartments in a mixed-use complex are let far more often than family homes.
        tenant_rate = 0.15 if spec.kind == Estate.Kind.RESIDENTIAL else 0.4
        for unit in homes:
            self._household(estate, unit, spec.opened, tenant_rate, pending)
        offices = [u for u in units if u.use == Unit.Use.OFFICE]
        self._office_tenants(estate, offices, spec.opened, pending)
        for unit in units:
            if unit.use == Unit.Use.SHOP:
                self._shop_tenant(estate, unit, spec.opened, pending)
        hotel = [u for u in units if u.use == Unit.Use.HOTEL]
        if hotel:
            self._hotel_operator(estate, hotel, spec.opened, pending)

        for resident in pending.residents:
            resident_fill_derived(resident)
        Resident.objects.bulk_create(pending.residents, batch_size=BATCH)
        Occupancy.objects.bulk_create(
            [
                Occupancy(
                    estate=estate, resident=r, unit=u, relation=relation, moved_in_on=moved_in, moved_out_on=moved_out
                )
                for r, u, relation, moved_in, moved_out in pending.ties
            ],
            batch_size=BATCH,
        )

    def _resident(self, estate: Estate, *, name: str, born: date | None = None, male: bool = True, **extra) -> Resident:
        """A resident with a fresh mobile; about a third have their ID number on file."""
        rng = self.rng
        fields: dict[str, object] = {
            "estate": estate,
            "name": name,
            "phone": self.people.mobile(),
            "id_number": self.people.id_number(born=born, male=male) if born and rng.random() < 0.35 else "",
            "preferred_contact": rng.choices(("phone", "wechat", "sms", "email"), weights=(45, 35, 15, 5))[0],
            "consents_to_notifications": rng.random() < 0.95,
        }
        fields.update(extra)
        return Resident(**fields)

    def _tie(
        self,
        pending: _Pending,
        resident: Resident,
        unit: Unit,
        relation: str,
        moved_in: date | None,
        moved_out: date | None = None,
    ) -> None:
        if not pending.residents or pending.residents[-1] is not resident:
            pending.residents.append(resident)
        pending.ties.append((resident, unit, relation, moved_in, moved_out))

    def _household(self, estate: Estate, unit: Unit, opened: date, tenant_rate: float, pending: _Pending) -> None:
        rng, people = self.rng, self.people
        roll = rng.random()
        if roll < 0.03:
            return  # unsold or developer-held: nobody on file
        handed_over = people.day_between(opened, DEMO_TODAY - timedelta(days=30))
        if roll < 0.08:
            elder_male = rng.random() < 0.4
            born = people.birthday(1936, 1954)
            surname = people.surname()
            child_male = rng.random() < 0.5
            extra: dict[str, object] = {
                "lives_alone_elderly": True,
                "emergency_contact_name": people.name(male=child_male, surname=surname),
                "emergency_contact_phone": people.mobile(),
                "quiet_hours": rng.choice(("", "12:00-14:00", "20:30-07:00")),
                "preferred_contact": "phone",  # the care call must reach a person
            }
            if rng.random() < 0.3:
                extra["disability"] = rng.choice(
                    ("行动不便，使用轮椅", "听力较弱，请大声说话", "视力较弱", "腿脚不便，上下楼需协助")
                )
            owner = self._resident(
                estate,
                name=people.name(male=elder_male, surname=surname, elder=True),
                born=born,
                male=elder_male,
                **extra,
            )
            self._tie(pending, owner, unit, Occupancy.Relation.OWNER, handed_over)
            return

        owner_male = rng.random() < 0.55
        born = people.birthday(1955, 1995)
        surname = people.surname()
        owner = self._resident(estate, name=people.name(male=owner_male, surname=surname), born=born, male=owner_male)
        if rng.random() < 0.02:
            owner.is_vip = True
            owner.note = rng.choice(("业委会委员", "业委会主任", "楼栋长", "重点关注：曾多次投诉"))
        self._tie(pending, owner, unit, Occupancy.Relation.OWNER, handed_over)

        let_from = max(handed_over, date(2023, 1, 1))
        if rng.random() < 0.05:  # a former tenant, moved out before the present one moved in
            came = people.day_between(handed_over, DEMO_TODAY - timedelta(days=400))
            left = max(came, people.day_between(came + timedelta(days=180), DEMO_TODAY - timedelta(days=60)))
            former_male = rng.random() < 0.5
            former = self._resident(estate, name=people.name(male=former_male), male=former_male)
            self._tie(pending, former, unit, Occupancy.Relation.TENANT, came, left)
            let_from = max(let_from, left + timedelta(days=1))

        if rng.random() < tenant_rate:  # let out: the owner lives elsewhere
            since = people.day_between(let_from, DEMO_TODAY - timedelta(days=7))
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                tenant_male = rng.random() < 0.5
                tenant = self._resident(
                    estate,
                    name=people.name(male=tenant_male),
                    born=people.birthday(1975, 2003),
                    male=tenant_male,
                )
                self._tie(pending, tenant, unit, Occupancy.Relation.TENANT, since)
            return

        members = rng.choices((0, 1, 2, 3, 4), weights=(30, 30, 22, 13, 5))[0]
        if members:  # a spouse first, then grown children and parents
            spouse = self._resident(
                estate,
                name=people.name(male=not owner_male),
                born=born + timedelta(days=rng.randint(-1500, 1500)),
                male=not owner_male,
            )
            self._tie(pending, spouse, unit, Occupancy.Relation.MEMBER, handed_over)
        for _ in range(members - 1):
            if rng.random() < 0.6 and born.year < 1985:
                child_male = rng.random() < 0.5
                member = self._resident(
                    estate,
                    name=people.name(male=child_male, surname=surname),
                    born=people.birthday(min(born.year + 22, 2004), min(born.year + 32, 2006)),
                    male=child_male,
                )
            else:
                parent_male = rng.random() < 0.45
                member = self._resident(
                    estate,
                    name=people.name(male=parent_male, surname=surname if parent_male else None, elder=True),
                    born=people.birthday(1938, 1960),
                    male=parent_male,
                )
            self._tie(pending, member, unit, Occupancy.Relation.MEMBER, handed_over)

    def _company_name(self) -> str:
        while True:
            name = self.rng.choice(COMPANY_PLACES) + self.rng.choice(COMPANY_BRANDS) + self.rng.choice(COMPANY_TRADES)
            if name not in self.company_names:
                self.company_names.add(name)
                return name

    def _office_tenants(self, estate: Estate, offices: list[Unit], opened: date, pending: _Pending) -> None:
        """Companies lease runs of neighbouring offices; about one floor in seven goes to one tenant."""
        rng, people = self.rng, self.people
        floors: dict[tuple[int, int], list[Unit]] = {}
        for unit in offices:
            floors.setdefault((unit.building_id, unit.floor), []).append(unit)
        for floor_units in floors.values():
            if rng.random() < 0.15:
                runs = [floor_units]
            else:
                runs, i = [], 0
                while i < len(floor_units):
                    size = rng.choice((1, 1, 2, 2, 3, 4))
                    runs.append(floor_units[i : i + size])
                    i += size
            for run in runs:
                if len(run) < len(floor_units) and rng.random() < 0.1:
                    continue  # to let
                company = self._company_name()
                since = people.day_between(opened, DEMO_TODAY - timedelta(days=14))
                whole_floor = len(run) == len(floor_units) and len(run) > 2
                for title in rng.sample(OFFICE_TITLES, rng.choice((1, 2))):
                    male = rng.random() < 0.45
                    contact = self._resident(
                        estate,
                        name=people.name(male=male),
                        born=people.birthday(1970, 2000),
                        male=male,
                        note=f"{company} · {title}",
                        is_vip=whole_floor and rng.random() < 0.5,
                        preferred_contact=rng.choice(("phone", "wechat", "email")),
                    )
                    for unit in run:
                        self._tie(pending, contact, unit, Occupancy.Relation.TENANT, since)

    def _shop_tenant(self, estate: Estate, unit: Unit, opened: date, pending: _Pending) -> None:
        rng, people = self.rng, self.people
        if rng.random() < 0.08:
            return  # 招商中
        shop = f"{rng.choice(SHOP_WORDS)}{rng.choice(SHOP_KINDS)}"
        male = rng.random() < 0.4
        manager = self._resident(
            estate,
            name=people.name(male=male),
            born=people.birthday(1980, 2001),
            male=male,
            note=f"{shop}（{unit.code}）· 店长",
            quiet_hours="",
        )
        since = people.day_between(opened, DEMO_TODAY - timedelta(days=14))
        self._tie(pending, manager, unit, Occupancy.Relation.TENANT, since)

    def _hotel_operator(self, estate: Estate, units: list[Unit], opened: date, pending: _Pending) -> None:
        rng, people = self.rng, self.people
        for title in ("驻店总经理", "工程总监"):
            male = rng.random() < 0.6
            contact = self._resident(
                estate,
                name=people.name(male=male),
                born=people.birthday(1968, 1988),
                male=male,
                note=f"{HOTEL_OPERATOR} · {title}",
                is_vip=title == "驻店总经理",
            )
            for unit in units:
                self._tie(pending, contact, unit, Occupancy.Relation.TENANT, opened)

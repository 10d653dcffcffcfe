"""The property rows of one estate: buildings, units, common areas and parking spaces."""

from __future__ import annotations

import random
from decimal import Decimal

from guanjia.estates.models import Building, CommonArea, Estate, ParkingSpace, Unit
from guanjia.web.demo.constants import BATCH
from guanjia.web.demo.layout import EstateSpec


def buildings_create(*, estate: Estate, spec: EstateSpec) -> dict[str, Building]:
    rows = Building.objects.bulk_create(
        [Building(estate=estate, code=b.code, name=b.name, use=b.use, floors=b.floors) for b in spec.buildings],
        batch_size=BATCH,
    )
    return {b.code: b for b in rows}


def units_create(*, rng: random.Random, estate: Estate, spec: EstateSpec, buildings: dict[str, Building]) -> list[Unit]:
    # Flats stacked above each other share a floor plan, so the area is drawn per stack.
    stack_area: dict[tuple[str, str, str], Decimal] = {}
    rows = []
    for u in spec.units:
        stack = (u.building, u.entrance, u.number[-2:])
        if stack not in stack_area:
            stack_area[stack] = _area(rng, u.use)
        area = stack_area[stack] if u.use in (Unit.Use.RESIDENCE, Unit.Use.OFFICE) else _area(rng, u.use)
        rows.append(
            Unit(
                estate=estate,
                building=buildings[u.building],
                entrance=u.entrance,
                floor=u.floor,
                number=u.number,
                code=u.code,
                area=area,
                use=u.use,
            )
        )
    return Unit.objects.bulk_create(rows, batch_size=BATCH)


def _area(rng: random.Random, use: str) -> Decimal:
    lo, hi = {
        Unit.Use.RESIDENCE: (89, 143),
        Unit.Use.OFFICE: (120, 480),
        Unit.Use.SHOP: (45, 380),
        Unit.Use.HOTEL: (600, 1800),
    }.get(use, (20, 60))
    return Decimal(f"{rng.uniform(lo, hi):.2f}")


def common_areas_create(*, estate: Estate, spec: EstateSpec, buildings: dict[str, Building]) -> None:
    CommonArea.objects.bulk_create(
        [
            CommonArea(estate=estate, name=name, building=_building_of_area(name, buildings))
            for name in spec.common_areas
        ],
        batch_size=BATCH,
    )


def _building_of_area(name: str, buildings: dict[str, Building]) -> Building | None:
    # "3栋大堂" belongs to 3栋; pick the longest matching name so 13栋 never matches 3栋.
    matches = [b for b in buildings.values() if name.startswith((b.name, f"{b.code}座"))]
    return max(matches, key=lambda b: len(b.name), default=None)


def parking_create(*, rng: random.Random, estate: Estate, spec: EstateSpec) -> None:
    weights = {
        Estate.Kind.RESIDENTIAL: (70, 25, 5),
        Estate.Kind.OFFICE: (0, 65, 35),
        Estate.Kind.MIXED: (25, 35, 40),
    }[spec.kind]
    kinds = (ParkingSpace.Kind.OWNED, ParkingSpace.Kind.RENTAL, ParkingSpace.Kind.VISITOR)
    rows = [
        ParkingSpace(
            estate=estate,
            code=f"{zone}-{n:03d}",
            zone=f"{zone}区",
            kind=rng.choices(kinds, weights=weights)[0],
            has_charger=rng.random() < 0.18,
        )
        for zone, count in spec.parking
        for n in range(1, count + 1)
    ]
    ParkingSpace.objects.bulk_create(rows, batch_size=BATCH)

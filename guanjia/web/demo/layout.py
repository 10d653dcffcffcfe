"""The layout: pure, no database, no randomness — what the scale decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from guanjia.estates.models import Building, Estate, Unit


@dataclass(frozen=True)
class BuildingSpec:
    code: str
    name: str
    use: str
    floors: int
    lifts: int


@dataclass(frozen=True)
class UnitSpec:
    building: str
    entrance: str
    floor: int
    number: str
    use: str

    @property
    def code(self) -> str:
        return Unit.make_code(building_code=self.building, entrance=self.entrance, number=self.number)


@dataclass(frozen=True)
class EstateSpec:
    code: str
    name: str
    kind: str
    address: str
    city: str
    opened: date
    buildings: tuple[BuildingSpec, ...]
    units: tuple[UnitSpec, ...]
    parking: tuple[tuple[str, int], ...]  # (zone, spaces)
    common_areas: tuple[str, ...]


def _scaled(n: int, scale: float) -> int:
    return max(1, round(n * scale))


def _rooms(building: str, entrance: str, floors: Sequence[int], per_floor: int, use: str) -> list[UnitSpec]:
    return [
        UnitSpec(building, entrance, floor, f"{floor}{room:02d}", use)
        for floor in floors
        for room in range(1, per_floor + 1)
    ]


def demo_layout(*, scale: float = 1.0) -> tuple[EstateSpec, ...]:
    """The three estates' buildings, units, parking zones and common areas at `scale`.

    Scale 1.0: 和悦家园 is 20 buildings × 2 entrances × 25 floors × 2 rooms = 2,000 units.
    Any scale keeps at least one building, floor, shop and parking space of each kind.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")

    # 和悦家园: 20 residential buildings, two entrances (单元) each, 25 floors, two rooms a landing.
    hy_buildings = tuple(
        BuildingSpec(str(n), f"{n}栋", Building.Use.RESIDENTIAL, 25, 4) for n in range(1, _scaled(20, scale) + 1)
    )
    hy_units = [
        unit
        for b in hy_buildings
        for entrance in ("1", "2")
        for unit in _rooms(b.code, entrance, range(1, 26), 2, Unit.Use.RESIDENCE)
    ]
    hy = EstateSpec(
        code="HY",
        name="和悦家园",
        kind=Estate.Kind.RESIDENTIAL,
        address="浙江省杭州市余杭区良睦路1288号",
        city="杭州",
        opened=date(2017, 6, 18),
        buildings=hy_buildings,
        units=tuple(hy_units),
        parking=(("B1", _scaled(820, scale)), ("B2", _scaled(780, scale))),
        common_areas=(
            "南门岗",
            "北门岗",
            "中心花园",
            "儿童游乐区",
            "健身步道",
            "会所",
            "恒温泳池",
            "垃圾分类投放点",
            "地下车库B1",
            "地下车库B2",
            "消防控制室",
            *(f"{b.name}大堂" for b in hy_buildings),
            *(f"{b.name}电梯厅" for b in hy_buildings),
        ),
    )

    # 环球金融中心: one 40-floor tower; floors 1–2 are lobby, 15 and 30 refuge floors (避难层).
    office_floors = [f for f in range(3, 41) if f not in (15, 30)]
    office_floors = office_floors[: _scaled(len(office_floors), scale)]
    hq = EstateSpec(
        code="HQ",
        name="环球金融中心",
        kind=Estate.Kind.OFFICE,
        address="浙江省杭州市上城区富春路188号",
        city="杭州",
        opened=date(2014, 9, 1),
        buildings=(BuildingSpec("T1", "T1塔楼", Building.Use.OFFICE, 40, 6),),
        units=tuple(_rooms("T1", "", office_floors, 8, Unit.Use.OFFICE)),
        parking=(("B1", _scaled(160, scale)), ("B2", _scaled(180, scale)), ("B3", _scaled(160, scale))),
        common_areas=(
            "T1塔楼一层大堂",
            "T1塔楼二层大堂",
            "低区电梯厅",
            "高区电梯厅",
            "15层避难层",
            "30层避难层",
            "屋顶停机坪",
            "地下车库B1",
            "地下车库B2",
            "地下车库B3",
            "装卸货区",
            "消防控制室",
            "员工餐厅",
        ),
    )

    # 万象汇: office A座, hotel B座, retail podium C, apartments D座.
    a_floors = list(range(5, 5 + _scaled(20, scale)))
    d_floors = list(range(2, 2 + _scaled(30, scale)))
    shops = _scaled(20, scale)
    hotel_floors = [1, 2, 3, 5, 10, 15][: _scaled(6, scale)]
    wx_units = [
        *_rooms("A", "", a_floors, 6, Unit.Use.OFFICE),
        *(UnitSpec("B", "", floor, f"{floor}01", Unit.Use.HOTEL) for floor in hotel_floors),
        *(
            UnitSpec("C", "", floor, f"{floor}{n:03d}", Unit.Use.SHOP)
            for floor in range(1, 5)
            for n in range(1, shops + 1)
        ),
        *_rooms("D", "", d_floors, 6, Unit.Use.RESIDENCE),
    ]
    wx = EstateSpec(
        code="WX",
        name="万象汇",
        kind=Estate.Kind.MIXED,
        address="浙江省杭州市拱墅区湖州街58号",
        city="杭州",
        opened=date(2019, 12, 20),
        buildings=(
            BuildingSpec("A", "A座", Building.Use.OFFICE, 24, 4),
            BuildingSpec("B", "B座", Building.Use.HOTEL, 18, 3),
            BuildingSpec("C", "C座商业裙楼", Building.Use.RETAIL, 4, 2),
            BuildingSpec("D", "D座", Building.Use.RESIDENTIAL, 31, 3),
        ),
        units=tuple(wx_units),
        parking=(("B1", _scaled(380, scale)), ("B2", _scaled(320, scale))),
        common_areas=(
            "A座大堂",
            "B座酒店大堂",
            "C座中庭",
            "C座屋顶花园",
            "D座大堂",
            "D座空中会所",
            "下沉广场",
            "美食广场",
            "地下车库B1",
            "地下车库B2",
            "装卸货区",
            "消防控制室",
        ),
    )
    return (hy, hq, wx)

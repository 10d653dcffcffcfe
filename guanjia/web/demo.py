"""The demo company (`guanjia demo`): three estates, their residents, staff, rosters and equipment.

Everything comes from one `random.Random(seed)` and the fixed date `DEMO_TODAY`, so the same seed
gives the same data on every machine. Rows are written with `bulk_create` inside one transaction:
the full company (≈2,400 units, ≈5,000 residents) loads in seconds on SQLite.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from itertools import accumulate

import phonenumbers
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from guanjia.estates.models import Building, CommonArea, Company, Equipment, Estate, ParkingSpace, Unit
from guanjia.org.models import Department, DutyAssignment, Shift, Staff
from guanjia.org.roles import Role
from guanjia.org.services import staff_create
from guanjia.people.models import Occupancy, Resident
from guanjia.people.pii import normalise_phone
from guanjia.people.services import resident_fill_derived

DEMO_COMPANY = "和悦物业服务有限公司"
DEMO_PASSWORD = "guanjia-demo-2026"
DEMO_SEED = 2026
# "Today" for the demo world: rosters are centred on it, move-ins and services happened before it.
DEMO_TODAY = date(2026, 11, 1)
# The roster covers a fixed season (so the same seed gives the same rows) that includes the demo's "now".
ROSTER_FIRST = date(2026, 10, 25)
ROSTER_DAYS = 127  # through 2027-02-28
BATCH = 500


class DemoConflict(Exception):
    """Demo codes or usernames are already taken by other data; loading would mix the two."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    role_label: str
    username: str
    password: str
    estates: tuple[str, ...]


@dataclass(frozen=True)
class DemoLogins:
    """One login per role; `created` is False when the demo company was already there."""

    logins: tuple[DemoLogin, ...]
    created: bool

    def __iter__(self) -> Iterator[DemoLogin]:
        return iter(self.logins)

    def __len__(self) -> int:
        return len(self.logins)


# ---------------------------------------------------------------------------------------------
# The layout: pure, no database, no randomness — what the scale decides.
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# People: names, phones and ID numbers that look real and pass validation.
# ---------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Common surnames are far more common: weight by rank.
_SURNAME_CUM_WEIGHTS = list(accumulate(1.0 / (rank + 8) for rank in range(len(SURNAMES))))
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志文峰亮成东海宏晨博昊然轩睿泽子一嘉思航天永振立德庆荣"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲婷雪慧倩琳颖洁梅琴云莉欣怡萍红燕晶妍佳悦涵雨馨诗梦瑶彤蕾薇璐菲晓月春兰凤丹"
ELDER_MALE = ("建国", "建华", "志强", "国庆", "德明", "振华", "卫东", "保国", "永福", "长青", "忠良", "炳坤")
ELDER_FEMALE = ("秀英", "桂兰", "淑珍", "玉兰", "凤英", "秀珍", "桂英", "玉珍", "美兰", "素华", "丽华", "淑英")
MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "173 175 176 177 178 180 181 182 183 185 186 187 188 189 191 193 195 198 199"
)
# 6-digit administrative codes (GB/T 2260) of places a Hangzhou estate's residents come from.
ID_AREAS = _words(
    "330102 330105 330106 330108 330110 330212 330302 330402 330502 330602 330702 320102 320506 310104 "
    "310115 340104 360102 410105 420106 430104 510107 610113 110105 440305 370202 350203 130104"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_with_check(first17: str) -> str:
    """Append the GB 11643 check character to 17 digits."""
    return first17 + _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


class _People:
    """Names, unique mobiles and ID numbers drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phones: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0]

    def given(self, male: bool, elder: bool = False) -> str:
        if elder and self.rng.random() < 0.7:
            return self.rng.choice(ELDER_MALE if male else ELDER_FEMALE)
        chars = MALE_CHARS if male else FEMALE_CHARS
        if self.rng.random() < 0.35:
            return self.rng.choice(chars)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def name(self, *, male: bool, surname: str | None = None, elder: bool = False) -> str:
        return (surname or self.surname()) + self.given(male, elder)

    def mobile(self) -> str:
        """A valid, never-repeated mainland mobile number, in national form."""
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number in self.phones:
                continue
            if phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")):
                self.phones.add(number)
                return number

    def landline(self) -> str:
        return f"0571-{self.rng.choice('5678')}{self.rng.randrange(10**7):07d}"

    def id_number(self, *, born: date, male: bool) -> str:
        seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)  # 17th digit: odd for men
        return id_number_with_check(f"{self.rng.choice(ID_AREAS)}{born:%Y%m%d}{seq:03d}")

    def birthday(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last_year, 12, 31) - start).days))

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange(max(1, (last - first).days)))


# Tenants of offices and shops.
COMPANY_PLACES = ("杭州", "浙江", "钱塘", "之江", "西湖", "萧山")
COMPANY_BRANDS = _words(
    "云帆 启明 华信 博远 星辰 恒泰 鼎盛 睿达 君合 汇通 中瑞 天衡 数智 青禾 远航 弘毅 德润 瀚海 卓越 宏图 "
    "凌云 同舟 安和 锦程 蓝湾 北辰 合众 明德 天目 致远 嘉禾 新禾 泰和 银杏 九章 澄明 拓普 易达 万维"
)
COMPANY_TRADES = (
    "科技有限公司",
    "网络科技有限公司",
    "信息技术有限公司",
    "投资管理有限公司",
    "律师事务所",
    "会计师事务所",
    "贸易有限公司",
    "文化传媒有限公司",
    "管理咨询有限公司",
    "保险代理有限公司",
    "建筑设计有限公司",
    "基金管理有限公司",
    "人力资源服务有限公司",
    "医疗科技有限公司",
    "电子商务有限公司",
)
OFFICE_TITLES = ("行政经理", "行政主管", "前台主管", "办公室主任", "总经理助理", "IT主管", "财务经理")
SHOP_WORDS = _words(
    "拾光 鲜语 悦享 山海 森屿 初见 原野 晴天 半岛 南山 知味 一禾 橙子 麦田 云朵 小满 青柠 木槿 朝暮 星河"
)
SHOP_KINDS = _words(
    "咖啡 面包工坊 茶饮 书店 花艺 眼镜 母婴 童装 烘焙 火锅 面馆 烤肉 美甲 健身 大药房 便利店 数码 服饰 鞋履 家居 "
    "甜品 寿司 轻食 宠物 文具"
)
HOTEL_OPERATOR = "杭州万象铂悦酒店管理有限公司"


# ---------------------------------------------------------------------------------------------
# Equipment ledger.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Make:
    manufacturer: str
    models: tuple[str, ...]
    vendor: str


LIFTS = (
    _Make("奥的斯电梯", ("Gen2 MRL", "SkyWay", "GeN2-Regen"), "奥的斯电梯（中国）有限公司杭州分公司"),
    _Make("三菱电梯", ("NexWay", "LEHY-Pro", "ELENESSA"), "上海三菱电梯有限公司杭州分公司"),
    _Make("通力电梯", ("MonoSpace 500", "MiniSpace", "TranSys"), "通力电梯有限公司浙江分公司"),
    _Make("日立电梯", ("HGP", "MCA", "UAX"), "日立电梯（中国）有限公司杭州分公司"),
    _Make("迅达电梯", ("Schindler 3300", "Schindler 5500", "Schindler 7000"), "迅达（中国）电梯有限公司杭州分公司"),
)
PUMPS = (
    _Make("格兰富水泵", ("CR 32-4", "Hydro MPC-E 3 CRE 15-3", "NBG 100-80-200"), "杭州格兰富水泵技术服务有限公司"),
    _Make("威乐水泵", ("Helix V 1605", "Wilo-CO-2 Helix", "IL 80/160"), "威乐（中国）水泵系统有限公司杭州办事处"),
    _Make("南方泵业", ("CDL 32-40", "TD 100-30", "XBD 8.0/40G"), "浙江南方泵业售后服务中心"),
)
GATES = (
    _Make(
        "海康威视",
        ("DS-TMG4B5-L 道闸", "DS-K1T671M 人脸识别门禁", "DS-K3B530 摆闸"),
        "杭州海康威视系统技术服务有限公司",
    ),
    _Make("捷顺科技", ("JSDZ0601 道闸", "JSM-F71 人脸门禁"), "深圳市捷顺科技实业股份有限公司杭州分公司"),
    _Make("大华股份", ("DH-IPMECD-2022 道闸", "DH-ASI7213 门禁一体机"), "浙江大华技术服务有限公司"),
)
FIRE_PANELS = (
    _Make("海湾消防", ("GST5000", "JB-QB-GST200"), "杭州海湾消防设备工程有限公司"),
    _Make("利达华信", ("JB-QG-LD128EN(M)",), "浙江利达消防工程有限公司"),
    _Make("泛海三江", ("JB-QB-9000",), "泛海三江电子杭州服务中心"),
)
CAMERAS = (
    _Make(
        "海康威视", ("DS-2CD3T46WDV3-I3", "DS-2DE4425IW-DE 球机", "DS-2CD3346WDV3"), "杭州海康威视系统技术服务有限公司"
    ),
    _Make("大华股份", ("DH-IPC-HFW2433M", "DH-SD49425XB 球机"), "浙江大华技术服务有限公司"),
)
TRANSFORMERS = (
    _Make("正泰电气", ("SCB13-1250/10", "SCB13-1600/10"), "浙江正泰电气运维服务有限公司"),
    _Make("特变电工", ("SCB11-2000/10", "SCB11-1250/10"), "特变电工杭州运维中心"),
    _Make("施耐德电气", ("Trihal 1600kVA",), "施耐德电气（中国）有限公司杭州分公司"),
)
GENERATORS = (
    _Make("康明斯", ("C550D5", "C1000D5"), "重庆康明斯发电机组杭州服务站"),
    _Make("玉柴", ("YC6T660L-D20",), "玉柴动力杭州服务中心"),
    _Make("卡特彼勒", ("C18 600kW",), "利星行机械杭州分公司"),
)
CHILLERS = (
    _Make("约克", ("YK 离心式冷水机组", "YVAA 螺杆机组"), "江森自控约克（杭州）服务中心"),
    _Make("开利", ("19XR 离心机", "30XW 螺杆机"), "开利空调销售服务（上海）有限公司杭州分公司"),
    _Make("特灵", ("CVGF 离心机", "RTHD 螺杆机"), "特灵空调系统（中国）有限公司杭州办事处"),
)
# Statutory or usual service intervals in days: lifts every half month (TSG T5002), fire systems monthly.
SERVICE_DAYS = {
    Equipment.Kind.LIFT: 15,
    Equipment.Kind.PUMP: 30,
    Equipment.Kind.GATE: 90,
    Equipment.Kind.FIRE_PANEL: 30,
    Equipment.Kind.CAMERA: 180,
    Equipment.Kind.TRANSFORMER: 365,
    Equipment.Kind.HVAC: 90,
    Equipment.Kind.GENERATOR: 30,
}
CODE_PREFIX = {
    Equipment.Kind.LIFT: "DT",
    Equipment.Kind.PUMP: "SB",
    Equipment.Kind.GATE: "MJ",
    Equipment.Kind.FIRE_PANEL: "XF",
    Equipment.Kind.CAMERA: "JK",
    Equipment.Kind.TRANSFORMER: "BP",
    Equipment.Kind.HVAC: "KT",
    Equipment.Kind.GENERATOR: "FD",
}


# ---------------------------------------------------------------------------------------------
# Staff and rosters.
# ---------------------------------------------------------------------------------------------

# (role, department, how many at 和悦家园, at 环球金融中心, at 万象汇). Rosters need at least four
# front-desk clerks, technicians and security officers per estate to cover 7×24 in four teams.
STAFFING: tuple[tuple[Role, str | None, int, int, int], ...] = (
    (Role.ESTATE_MANAGER, None, 1, 1, 1),
    (Role.CENTRE_MANAGER, Department.Kind.CUSTOMER_SERVICE, 1, 1, 1),
    (Role.SUPERVISOR, Department.Kind.CUSTOMER_SERVICE, 2, 1, 2),
    (Role.FRONT_DESK, Department.Kind.CUSTOMER_SERVICE, 6, 4, 5),
    (Role.COMPLAINT_HANDLER, Department.Kind.CUSTOMER_SERVICE, 2, 1, 1),
    (Role.ENGINEERING_LIAISON, Department.Kind.CUSTOMER_SERVICE, 2, 1, 1),
    (Role.TECHNICIAN, Department.Kind.ENGINEERING, 8, 5, 6),
    (Role.SECURITY_OFFICER, Department.Kind.SECURITY, 16, 8, 12),
    (Role.CLEANER, Department.Kind.ENVIRONMENT, 12, 6, 8),
    (Role.ANALYST, Department.Kind.FINANCE, 2, 1, 1),  # 财务 staff read reports, never PII
)
TECH_SKILLS = (
    "水电,电梯",
    "强电,配电",
    "暖通,空调",
    "弱电,门禁,监控",
    "水电,管道",
    "消防,弱电",
    "土建,防水",
    "电梯,水泵",
)
ROLE_SKILLS = {
    Role.SECURITY_OFFICER: ("巡逻,消防", "门岗,车辆管理", "监控中心", "巡逻,急救"),
    Role.CLEANER: ("保洁", "保洁,垃圾分类", "绿化", "外墙清洗"),
    Role.COMPLAINT_HANDLER: ("投诉处理,回访",),
    Role.ENGINEERING_LIAISON: ("报修派单,回访",),
}


@dataclass(frozen=True)
class _ShiftSpec:
    name: str
    starts: time
    ends: time


SHIFTS = (
    _ShiftSpec("保洁班", time(7, 0), time(16, 0)),
    _ShiftSpec("白班", time(8, 0), time(20, 0)),
    _ShiftSpec("客服早班", time(8, 30), time(17, 30)),
    _ShiftSpec("行政班", time(9, 0), time(18, 0)),
    _ShiftSpec("客服夜班", time(17, 30), time(8, 30)),
    _ShiftSpec("夜班", time(20, 0), time(8, 0)),
)
# Four teams rotate through a four-day cycle; None is a rest day.
SECURITY_CYCLE = ("白班", "夜班", None, None)
TECHNICIAN_CYCLE = ("白班", "白班", "夜班", None)  # the night is on call, not on site
FRONT_DESK_CYCLE = ("客服早班", "客服早班", "客服夜班", None)


def _username(estate_code: str, role: str, n: int) -> str:
    return f"{estate_code.lower()}-{role.replace('_', '-')}-{n}"


def _staff_usernames() -> list[str]:
    """Every demo account, for the conflict check before loading."""
    names = [
        _username(code, role, n)
        for column, code in enumerate(spec.code for spec in demo_layout())
        for role, _, *per in STAFFING
        for n in range(1, per[column] + 1)
    ]
    return [*names, "company-admin", "analyst"]


def _login_usernames() -> dict[str, str]:
    """The one login shown per role: 和悦家园's first of each, and the two company-wide accounts."""
    usernames = {role: _username("HY", role, 1) for role, *_ in STAFFING}
    usernames[Role.ANALYST] = "analyst"
    usernames[Role.COMPANY_ADMIN] = "company-admin"
    return {role.value: usernames[role] for role in Role}


# ---------------------------------------------------------------------------------------------
# The loader.
# ---------------------------------------------------------------------------------------------


@dataclass
class _Pending:
    residents: list[Resident] = field(default_factory=list)
    ties: list[tuple[Resident, Unit, str, date | None, date | None]] = field(default_factory=list)


class _DemoBuilder:
    def __init__(self, *, seed: int, scale: float) -> None:
        self.rng = random.Random(seed)
        self.people = _People(self.rng)
        self.scale = scale
        self.company_names: set[str] = set()
        self.vendor_phones: dict[str, str] = {}

    # -- estates and property ----------------------------------------------------------------

    def build(self) -> None:
        company = Company.objects.create(name=DEMO_COMPANY)
        estates: list[Estate] = []
        for spec in demo_layout(scale=self.scale):
            estate = Estate.objects.create(
                company=company,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                address=spec.address,
                city=spec.city,
            )
            buildings = self._buildings(estate, spec)
            units = self._units(estate, spec, buildings)
            self._residents(estate, spec, units)
            self._parking(estate, spec)
            CommonArea.objects.bulk_create(
                [
                    CommonArea(estate=estate, name=name, building=self._building_of_area(name, buildings))
                    for name in spec.common_areas
                ],
                batch_size=BATCH,
            )
            self._equipment(estate, spec, buildings)
            estates.append(estate)
        self._staff_and_rosters(estates)

    def _buildings(self, estate: Estate, spec: EstateSpec) -> dict[str, Building]:
        rows = Building.objects.bulk_create(
            [Building(estate=estate, code=b.code, name=b.name, use=b.use, floors=b.floors) for b in spec.buildings],
            batch_size=BATCH,
        )
        return {b.code: b for b in rows}

    @staticmethod
    def _building_of_area(name: str, buildings: dict[str, Building]) -> Building | None:
        # "3栋大堂" belongs to 3栋; pick the longest matching name so 13栋 never matches 3栋.
        matches = [b for b in buildings.values() if name.startswith((b.name, f"{b.code}座"))]
        return max(matches, key=lambda b: len(b.name), default=None)

    def _units(self, estate: Estate, spec: EstateSpec, buildings: dict[str, Building]) -> list[Unit]:
        # Flats stacked above each other share a floor plan, so the area is drawn per stack.
        stack_area: dict[tuple[str, str, str], Decimal] = {}
        rows = []
        for u in spec.units:
            stack = (u.building, u.entrance, u.number[-2:])
            if stack not in stack_area:
                stack_area[stack] = self._area(u.use)
            area = stack_area[stack] if u.use in (Unit.Use.RESIDENCE, Unit.Use.OFFICE) else self._area(u.use)
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

    def _area(self, use: str) -> Decimal:
        lo, hi = {
            Unit.Use.RESIDENCE: (89, 143),
            Unit.Use.OFFICE: (120, 480),
            Unit.Use.SHOP: (45, 380),
            Unit.Use.HOTEL: (600, 1800),
        }.get(use, (20, 60))
        return Decimal(f"{self.rng.uniform(lo, hi):.2f}")

    # -- residents ---------------------------------------------------------------------------

    def _residents(self, estate: Estate, spec: EstateSpec, units: list[Unit]) -> None:
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

    # -- parking and equipment ---------------------------------------------------------------

    def _parking(self, estate: Estate, spec: EstateSpec) -> None:
        rng = self.rng
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

    def _equipment(self, estate: Estate, spec: EstateSpec, buildings: dict[str, Building]) -> None:
        rng = self.rng
        rows: list[Equipment] = []
        counters: dict[str, int] = {}
        # One estate signs one maintenance contract per trade, so a kind shares a make.
        makes = {
            kind: rng.choice(choices)
            for kind, choices in (
                (Equipment.Kind.PUMP, PUMPS),
                (Equipment.Kind.GATE, GATES),
                (Equipment.Kind.FIRE_PANEL, FIRE_PANELS),
                (Equipment.Kind.CAMERA, CAMERAS),
                (Equipment.Kind.TRANSFORMER, TRANSFORMERS),
                (Equipment.Kind.GENERATOR, GENERATORS),
                (Equipment.Kind.HVAC, CHILLERS),
            )
        }

        def add(
            kind: str,
            name: str,
            location: str,
            building: Building | None = None,
            make: _Make | None = None,
            model: str = "",
        ) -> None:
            make = make or makes[kind]
            counters[kind] = counters.get(kind, 0) + 1
            interval = SERVICE_DAYS[kind]
            installed = spec.opened - timedelta(days=rng.randint(30, 120))
            if kind == Equipment.Kind.CAMERA and rng.random() < 0.3:  # cameras get replaced
                installed = self.people.day_between(spec.opened, DEMO_TODAY - timedelta(days=200))
            if rng.random() < 0.06:  # overdue: the supervisor's dashboard should show a few
                last = DEMO_TODAY - timedelta(days=interval + rng.randint(1, 20))
            else:
                last = DEMO_TODAY - timedelta(days=rng.randint(1, interval))
            rows.append(
                Equipment(
                    estate=estate,
                    code=f"{CODE_PREFIX[kind]}-{counters[kind]:03d}",
                    name=name,
                    kind=kind,
                    building=building,
                    location=location,
                    model_number=model or rng.choice(make.models),
                    manufacturer=make.manufacturer,
                    maintenance_vendor=make.vendor,
                    vendor_phone=self._vendor_phone(make.vendor),
                    installed_on=installed,
                    last_serviced_on=last,
                    next_service_due=last + timedelta(days=interval),
                )
            )

        for b in buildings.values():
            b_spec = next(s for s in spec.buildings if s.code == b.code)
            lift_make = rng.choice(LIFTS)  # a building's lifts come in one order, one model
            lift_model = rng.choice(lift_make.models)
            for n in range(1, b_spec.lifts + 1):
                where = (
                    f"{b.name}{(n + 1) // 2}单元电梯井" if spec.kind == Estate.Kind.RESIDENTIAL else f"{b.name}电梯井"
                )
                add(Equipment.Kind.LIFT, f"{b.name}{n}号梯", where, b, lift_make, lift_model)
            if spec.kind == Estate.Kind.RESIDENTIAL:
                for entrance in (1, 2):
                    add(Equipment.Kind.GATE, f"{b.name}{entrance}单元人脸门禁", f"{b.name}{entrance}单元门口", b)
                add(Equipment.Kind.CAMERA, f"{b.name}大堂摄像机", f"{b.name}大堂", b)
                add(Equipment.Kind.CAMERA, f"{b.name}单元门摄像机", f"{b.name}单元门外", b)
            else:
                add(Equipment.Kind.GATE, f"{b.name}大堂速通门", f"{b.name}大堂", b)
                for floor in ("大堂", "电梯厅", "消防通道"):
                    add(Equipment.Kind.CAMERA, f"{b.name}{floor}摄像机", f"{b.name}{floor}", b)

        for room in ("1号水泵房", "2号水泵房")[: 1 if spec.kind == Estate.Kind.OFFICE else 2]:
            for pump in ("生活给水泵（低区）", "生活给水泵（高区）", "消火栓泵", "喷淋泵", "排污泵"):
                add(Equipment.Kind.PUMP, f"{room}{pump}", f"地下室{room}")
        for gate in ("南门车行道闸", "北门车行道闸", "地库入口道闸", "地库出口道闸", "南门人行闸机"):
            add(Equipment.Kind.GATE, gate, gate[:2] if gate.startswith(("南门", "北门")) else "地下车库")
        add(Equipment.Kind.FIRE_PANEL, "火灾自动报警控制器", "消防控制室")
        add(Equipment.Kind.FIRE_PANEL, "消防联动控制器", "消防控制室")
        for n in range(1, 13):
            add(Equipment.Kind.CAMERA, f"周界摄像机{n:02d}", f"周界{n:02d}号点位")
        for n in range(1, 5):
            add(Equipment.Kind.CAMERA, f"车库摄像机{n:02d}", f"地下车库B{(n + 1) // 2}")
        for n in range(1, {Estate.Kind.RESIDENTIAL: 5, Estate.Kind.OFFICE: 4, Estate.Kind.MIXED: 5}[spec.kind]):
            add(Equipment.Kind.TRANSFORMER, f"{n}#干式变压器", "地下一层高低压配电房")
        for n in range(1, (2 if spec.kind == Estate.Kind.RESIDENTIAL else 3)):
            add(Equipment.Kind.GENERATOR, f"{n}#柴油发电机组", "地下一层发电机房")
        if spec.kind == Estate.Kind.RESIDENTIAL:
            add(Equipment.Kind.HVAC, "会所多联机空调", "会所", make=CHILLERS[0])
        else:
            for n in range(1, 4):
                add(Equipment.Kind.HVAC, f"{n}#冷水机组", "地下二层制冷机房")
            add(Equipment.Kind.HVAC, "冷却塔", "屋顶")
        Equipment.objects.bulk_create(rows, batch_size=BATCH)

    def _vendor_phone(self, vendor: str) -> str:
        if vendor not in self.vendor_phones:
            self.vendor_phones[vendor] = (
                f"400-{self.rng.randint(600, 899)}-{self.rng.randrange(10**4):04d}"
                if self.rng.random() < 0.4
                else self.people.landline()
            )
        return self.vendor_phones[vendor]

    # -- staff and rosters -------------------------------------------------------------------

    def _staff_and_rosters(self, estates: list[Estate]) -> None:
        people = self.people
        staff: list[Staff] = []
        by_estate: dict[int, list[Staff]] = {}
        for column, estate in enumerate(estates):
            departments = {
                kind: Department(estate=estate, kind=kind, phone=people.landline()) for kind in Department.Kind
            }
            Department.objects.bulk_create(list(departments.values()))
            seq = 0
            for role, department, *per_estate in STAFFING:
                for n in range(1, per_estate[column] + 1):
                    seq += 1
                    male = self.rng.random() < (0.75 if role in (Role.SECURITY_OFFICER, Role.TECHNICIAN) else 0.45)
                    skills = ""
                    if role == Role.TECHNICIAN:
                        skills = TECH_SKILLS[(n - 1) % len(TECH_SKILLS)]
                    elif role in ROLE_SKILLS:
                        skills = self.rng.choice(ROLE_SKILLS[role])
                    member = staff_create(
                        username=_username(estate.code, role, n),
                        name=people.name(male=male),
                        employee_no=f"{estate.code}{seq:03d}",
                        role=role,
                        estates=[estate],
                        department=departments[department] if department else None,
                        phone=normalise_phone(people.mobile()),
                        skills=skills,
                        check_password=False,
                    )
                    staff.append(member)
                    by_estate.setdefault(estate.pk, []).append(member)
        for n, (role, username) in enumerate(((Role.COMPANY_ADMIN, "company-admin"), (Role.ANALYST, "analyst")), 1):
            male = self.rng.random() < 0.5
            staff.append(
                staff_create(
                    username=username,
                    name=people.name(male=male),
                    employee_no=f"GS{n:03d}",
                    role=role,
                    estates=estates,
                    phone=normalise_phone(people.mobile()),
                    check_password=False,
                )
            )
        # One hash for every demo account: hashing ~120 times would take a minute at production cost.
        get_user_model().objects.filter(pk__in=[s.user_id for s in staff]).update(password=make_password(DEMO_PASSWORD))

        for estate in estates:
            shifts = {
                s.name: s
                for s in Shift.objects.bulk_create(
                    [Shift(estate=estate, name=s.name, starts_at=s.starts, ends_at=s.ends) for s in SHIFTS]
                )
            }
            DutyAssignment.objects.bulk_create(
                _roster(estate=estate, staff=by_estate[estate.pk], shifts=shifts), batch_size=BATCH
            )


def _roster(*, estate: Estate, staff: list[Staff], shifts: dict[str, Shift]) -> list[DutyAssignment]:
    """ROSTER_DAYS from ROSTER_FIRST; security, engineering and the front desk cover every hour."""
    first = ROSTER_FIRST
    rows: list[DutyAssignment] = []
    index: dict[str, int] = {}
    for member in staff:
        i = index[member.role] = index.get(member.role, -1) + 1
        for offset in range(ROSTER_DAYS):
            day = first + timedelta(days=offset)
            # The cycle runs on the calendar, not the roster window, so any window agrees.
            d = day.toordinal()
            name, on_call = None, False
            if member.role == Role.SECURITY_OFFICER:
                name = SECURITY_CYCLE[(d + i) % 4]
            elif member.role == Role.TECHNICIAN:
                name = TECHNICIAN_CYCLE[(d + i) % 4]
                on_call = name == "夜班"
            elif member.role == Role.FRONT_DESK:
                name = FRONT_DESK_CYCLE[(d + i) % 4]
            elif member.role in (Role.SUPERVISOR, Role.COMPLAINT_HANDLER, Role.ENGINEERING_LIAISON):
                name = None if (d + 3 * i) % 7 >= 5 else "客服早班"
            elif member.role == Role.CLEANER:
                name = None if (d + i) % 7 == 6 else "保洁班"
            elif day.weekday() < 5:  # managers and finance keep office hours
                name = "行政班"
            if name:
                rows.append(DutyAssignment(estate=estate, staff=member, shift=shifts[name], date=day, on_call=on_call))
    return rows


def _logins() -> DemoLogins:
    usernames = _login_usernames()
    found = {
        s.user.username: s
        for s in Staff.objects.filter(user__username__in=usernames.values())
        .select_related("user")
        .prefetch_related("estates")
    }
    labels = dict(Role.choices)
    logins = []
    for role, username in usernames.items():
        member = found.get(username)
        if member is None:
            continue
        logins.append(
            DemoLogin(
                role=role,
                role_label=str(labels[role]),
                username=username,
                password=DEMO_PASSWORD,
                estates=tuple(e.name for e in sorted(member.estates.all(), key=lambda e: e.pk)),
            )
        )
    return DemoLogins(logins=tuple(logins), created=False)


def demo_load(*, seed: int = DEMO_SEED, scale: float = 1.0) -> DemoLogins:
    """Load the demo company; if it is already there, change nothing and return its logins.

    Raises DemoConflict when its estate codes or usernames belong to other data, and ValueError for
    a scale that is not positive.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if Company.objects.filter(name=DEMO_COMPANY).exists():
        return _logins()
    codes = [spec.code for spec in demo_layout(scale=scale)]
    taken = list(Estate.objects.filter(code__in=codes).values_list("code", flat=True))
    taken += get_user_model().objects.filter(username__in=_staff_usernames()).values_list("username", flat=True)
    if taken:
        raise DemoConflict(f"演示数据与现有数据冲突：{', '.join(sorted(taken))} 已存在")
    with transaction.atomic():
        _DemoBuilder(seed=seed, scale=scale).build()
    return DemoLogins(logins=_logins().logins, created=True)

"""The equipment ledger: makes and their maintenance vendors, service intervals, and one estate's plant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from guanjia.estates.models import Building, Equipment, Estate
from guanjia.web.demo.constants import BATCH, DEMO_TODAY
from guanjia.web.demo.layout import EstateSpec
from guanjia.web.demo.people import People


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


class EquipmentBuilder:
    """Equipment, estate by estate; one builder serves every estate, so a vendor has one phone number."""

    def __init__(self, people: People) -> None:
        self.rng = people.rng
        self.people = people
        self.vendor_phones: dict[str, str] = {}

    def build(self, *, estate: Estate, spec: EstateSpec, buildings: dict[str, Building]) -> None:
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

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from guanjia.estates.models import Building, CommonArea, Company, Equipment, Estate, ParkingSpace, Unit
from guanjia.org.models import Department, DutyAssignment, Shift, Staff
from guanjia.org.roles import Role
from guanjia.people.models import Occupancy, Resident
from guanjia.people.pii import normalise_id_number
from guanjia.web.demo import (
    DEMO_COMPANY,
    DEMO_PASSWORD,
    DEMO_TODAY,
    ROSTER_DAYS,
    ROSTER_FIRST,
    DemoConflict,
    demo_layout,
    demo_load,
    id_number_with_check,
)

SMALL = 0.05  # one residential building, two office floors: enough to see every kind of row
MODELS = (Company, Estate, Building, Unit, ParkingSpace, CommonArea, Equipment, Resident, Occupancy)
MODELS += (Department, Staff, Shift, DutyAssignment)


def fingerprint() -> dict[str, list[tuple]]:
    """Everything the seed decides, in creation order, without primary keys or timestamps."""
    return {
        "units": list(Unit.objects.order_by("pk").values_list("estate__code", "code", "area", "use")),
        "residents": list(
            Resident.objects.order_by("pk").values_list(
                "estate__code", "name", "phone", "is_vip", "lives_alone_elderly", "emergency_contact_phone", "note"
            )
        ),
        "id_numbers": [r.id_number for r in Resident.objects.order_by("pk")],
        "occupancies": list(
            Occupancy.objects.order_by("pk").values_list("unit__code", "resident__phone", "relation", "moved_in_on")
        ),
        "staff": list(
            Staff.objects.order_by("pk").values_list("user__username", "name", "employee_no", "role", "phone")
        ),
        "equipment": list(
            Equipment.objects.order_by("pk").values_list(
                "estate__code", "code", "name", "model_number", "next_service_due"
            )
        ),
        "parking": list(ParkingSpace.objects.order_by("pk").values_list("estate__code", "code", "kind", "has_charger")),
        "duties": list(
            DutyAssignment.objects.order_by("pk").values_list("staff__user__username", "shift__name", "date", "on_call")
        ),
    }


def wipe_demo() -> None:
    # Staff first: their departments are protected while anyone works in them.
    get_user_model().objects.filter(staff__isnull=False).delete()
    Estate.objects.all().delete()
    Company.objects.all().delete()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_every_role_has_one_login_whose_password_works():
    logins = demo_load(scale=SMALL)

    assert logins.created
    assert [login.role for login in logins] == list(Role.values)
    for login in logins:
        request = RequestFactory().post("/login/")  # django-axes insists on a request
        user = authenticate(request=request, username=login.username, password=login.password)
        assert user is not None, login.username
        assert user.staff.role == login.role
        assert login.password == DEMO_PASSWORD
    by_role = {login.role: login for login in logins}
    assert by_role[Role.FRONT_DESK].estates == ("和悦家园",)
    assert by_role[Role.COMPANY_ADMIN].estates == ("和悦家园", "环球金融中心", "万象汇")


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    demo_load(seed=7, scale=SMALL)
    first = fingerprint()
    wipe_demo()
    demo_load(seed=7, scale=SMALL)
    again = fingerprint()
    wipe_demo()
    demo_load(seed=8, scale=SMALL)
    other = fingerprint()

    assert again == first
    assert other["residents"] != first["residents"]
    # Accounts are named by role, not by chance: the printed logins hold for every seed.
    assert [s[0] for s in other["staff"]] == [s[0] for s in first["staff"]]


@pytest.mark.django_db
def test_loading_twice_adds_nothing_and_returns_the_same_logins():
    first = demo_load(scale=SMALL)
    counts = row_counts()

    second = demo_load(scale=SMALL)

    assert not second.created
    assert row_counts() == counts
    assert second.logins == first.logins


@pytest.mark.django_db
def test_refuses_to_mix_with_other_data_using_a_demo_estate_code():
    other = Company.objects.create(name="别家物业")
    Estate.objects.create(company=other, code="HY", name="别家小区", kind=Estate.Kind.RESIDENTIAL)

    with pytest.raises(DemoConflict, match="HY"):
        demo_load(scale=SMALL)

    assert not Company.objects.filter(name=DEMO_COMPANY).exists()
    assert not Staff.objects.exists()


@pytest.mark.django_db
def test_three_estates_of_the_right_kinds_with_buildings_for_each_use():
    demo_load(scale=SMALL)

    estates = {e.code: e for e in Estate.objects.all()}
    assert {code: e.kind for code, e in estates.items()} == {
        "HY": Estate.Kind.RESIDENTIAL,
        "HQ": Estate.Kind.OFFICE,
        "WX": Estate.Kind.MIXED,
    }
    assert all(e.company.name == DEMO_COMPANY for e in estates.values())
    assert set(Building.objects.filter(estate=estates["WX"]).values_list("use", flat=True)) == {
        Building.Use.OFFICE,
        Building.Use.HOTEL,
        Building.Use.RETAIL,
        Building.Use.RESIDENTIAL,
    }
    assert Unit.objects.filter(estate=estates["HY"], code="1-2-1102").exists()
    assert Unit.objects.filter(estate=estates["HQ"], code="T1-301").exists()
    assert set(Unit.objects.filter(estate=estates["WX"]).values_list("use", flat=True)) == {
        Unit.Use.OFFICE,
        Unit.Use.HOTEL,
        Unit.Use.SHOP,
        Unit.Use.RESIDENCE,
    }


def test_full_scale_residential_estate_is_2000_units_in_20_buildings():
    hy, hq, wx = demo_layout(scale=1.0)

    assert len(hy.buildings) == 20
    assert len(hy.units) == 2000
    assert {u.code for u in hy.units} >= {"1-1-101", "20-2-2502", "3-2-1102"}
    assert len({u.code for u in hy.units}) == 2000
    assert hq.buildings[0].floors == 40
    assert 250 <= len(hq.units) <= 320
    assert 200 <= len(wx.units) <= 500


@pytest.mark.django_db
def test_full_scale_loads_2000_homes_with_owners_families_tenants_and_a_few_empty():
    demo_load()

    hy = Estate.objects.get(code="HY")
    assert hy.buildings.count() == 20
    assert hy.units.count() == 2000
    homes = hy.units.count()
    occupied = hy.units.filter(occupancies__isnull=False).distinct().count()
    let = hy.units.filter(occupancies__relation=Occupancy.Relation.TENANT, occupancies__moved_out_on=None)
    assert 0.01 < 1 - occupied / homes < 0.06  # a few per cent with nobody on file
    assert 0.10 < let.distinct().count() / homes < 0.20
    residents = hy.residents.count()
    assert 3500 < residents < 6000
    assert 0.01 < hy.residents.filter(lives_alone_elderly=True).count() / residents < 0.05
    assert 0.003 < hy.residents.filter(is_vip=True).count() / residents < 0.03
    assert hy.equipment.filter(kind=Equipment.Kind.LIFT).count() == 80


def test_even_the_smallest_scale_keeps_one_of_everything():
    for spec in demo_layout(scale=0.001):
        assert spec.units and spec.buildings
        assert all(count >= 1 for _, count in spec.parking)
        assert {u.use for u in spec.units} >= {
            "HY": {Unit.Use.RESIDENCE},
            "HQ": {Unit.Use.OFFICE},
            "WX": {Unit.Use.OFFICE, Unit.Use.HOTEL, Unit.Use.SHOP, Unit.Use.RESIDENCE},
        }[spec.code]


@pytest.mark.django_db
def test_each_estate_has_every_department_equipment_parking_and_common_areas():
    demo_load(scale=SMALL)

    for estate in Estate.objects.all():
        assert set(estate.departments.values_list("kind", flat=True)) == set(Department.Kind.values)
        kinds = set(estate.equipment.values_list("kind", flat=True))
        assert {Equipment.Kind.LIFT, Equipment.Kind.PUMP, Equipment.Kind.FIRE_PANEL, Equipment.Kind.CAMERA} <= kinds
        assert not estate.equipment.filter(next_service_due__isnull=True).exists()
        assert estate.parking_spaces.exists()
        assert estate.common_areas.exists()
        # Every department has someone in it.
        assert set(Staff.objects.filter(department__estate=estate).values_list("department__kind", flat=True)) == set(
            Department.Kind.values
        )
    assert Equipment.objects.filter(name="1栋1号梯", manufacturer__endswith="电梯").exists()


@pytest.mark.django_db
def test_security_engineering_and_front_desk_cover_every_day_and_night_of_the_roster():
    demo_load(scale=SMALL)

    first = ROSTER_FIRST
    days = [first + timedelta(days=n) for n in range(ROSTER_DAYS)]
    for estate in Estate.objects.all():
        duties = set(
            DutyAssignment.objects.filter(estate=estate).values_list("date", "shift__name", "staff__role", "on_call")
        )
        for day in days:
            assert (day, "白班", Role.SECURITY_OFFICER, False) in duties, (estate.code, day)
            assert (day, "夜班", Role.SECURITY_OFFICER, False) in duties, (estate.code, day)
            assert (day, "白班", Role.TECHNICIAN, False) in duties, (estate.code, day)
            assert (day, "夜班", Role.TECHNICIAN, True) in duties, (estate.code, day)
            assert (day, "客服早班", Role.FRONT_DESK, False) in duties, (estate.code, day)
            assert (day, "客服夜班", Role.FRONT_DESK, False) in duties, (estate.code, day)
        night = Shift.objects.get(estate=estate, name="夜班")
        assert night.overnight


@pytest.mark.django_db
def test_residents_look_real_and_pass_the_same_checks_as_hand_entered_ones():
    demo_load(scale=SMALL)

    residents = list(Resident.objects.all())
    phones = [r.phone for r in residents]
    assert len(set(phones)) == len(phones)
    assert all(p.startswith("+861") and len(p) == 14 for p in phones)
    with_ids = [r for r in residents if r.id_number]
    assert with_ids
    assert all(normalise_id_number(r.id_number) == r.id_number for r in with_ids)
    assert all(r.name_pinyin and r.name_initials for r in residents)
    elderly = [r for r in residents if r.lives_alone_elderly]
    assert elderly and all(r.emergency_contact_name and r.emergency_contact_phone for r in elderly)
    for resident in residents:
        resident.full_clean(exclude=["phone", "id_number", "emergency_contact_phone"])
    for item in Equipment.objects.all():
        item.full_clean()
    relations = set(Occupancy.objects.values_list("relation", flat=True))
    assert relations == set(Occupancy.Relation.values)
    assert Occupancy.objects.filter(unit__estate__code="HQ", relation=Occupancy.Relation.TENANT).exists()
    assert not Occupancy.objects.filter(moved_in_on__gt=DEMO_TODAY).exists()


def test_id_numbers_carry_the_gb11643_check_character():
    assert id_number_with_check("11010519491231002") == "11010519491231002X"
    assert normalise_id_number(id_number_with_check("33010619850612123"))


@pytest.mark.django_db
def test_command_prints_one_login_per_role_and_where_to_log_in():
    out = StringIO()

    call_command("demo", scale=SMALL, seed=3, stdout=out)
    call_command("demo", scale=SMALL, stdout=out)

    text = out.getvalue()
    for label in Role.labels:
        assert str(label) in text
    assert "company-admin" in text and DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000/" in text
    assert "已存在" in text


@pytest.mark.django_db
def test_command_rejects_a_scale_of_zero():
    with pytest.raises(CommandError):
        call_command("demo", scale=0, stdout=StringIO())

"""Importing and exporting an estate's buildings, units and residents as an .xlsx workbook."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from guanjia.audit.models import AuditEntry
from guanjia.estates.models import Building, Company, Estate, ImportJob, Unit
from guanjia.estates.spreadsheets import (
    BUILDING_COLUMNS,
    RESIDENT_COLUMNS,
    SHEET_BUILDINGS,
    SHEET_RESIDENTS,
    SHEET_UNITS,
    UNIT_COLUMNS,
    RowError,
    estate_export,
    estate_import,
    workbook_template,
)
from guanjia.org.roles import Role
from guanjia.org.services import staff_create
from guanjia.people.models import Occupancy, Resident
from guanjia.people.services import resident_create

PASSWORD = "ledger-import-7Qx"
CHEN_ID = "11010519491231002X"  # valid check digit
BAD_CHECK_ID = "110105194912310021"


def workbook(*, buildings=(), units=(), residents=(), drop_sheet: str | None = None) -> bytes:
    """An import workbook built in memory; rows are lists in the template's column order."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in (
        (SHEET_BUILDINGS, BUILDING_COLUMNS, buildings),
        (SHEET_UNITS, UNIT_COLUMNS, units),
        (SHEET_RESIDENTS, RESIDENT_COLUMNS, residents),
    ):
        if title == drop_sheet:
            continue
        ws = wb.create_sheet(title)
        ws.append(list(columns))
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def counts(estate: Estate) -> tuple[int, int, int, int]:
    return (
        Building.objects.filter(estate=estate).count(),
        Unit.objects.filter(estate=estate).count(),
        Resident.objects.filter(estate=estate).count(),
        Occupancy.objects.filter(estate=estate).count(),
    )


def read_sheet(data: bytes, title: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data))[title].iter_rows(min_row=2, values_only=True))


@pytest.fixture
def site(db):
    """和悦家园 (HY) with building 3 and unit 3-2-1102 where 陈静 lives; 环球中心 (HQ) next door."""
    company = Company.objects.create(name="和悦物业")
    hy = Estate.objects.create(company=company, code="HY", name="和悦家园", kind=Estate.Kind.RESIDENTIAL)
    hq = Estate.objects.create(company=company, code="HQ", name="环球中心", kind=Estate.Kind.OFFICE)
    empty = Estate.objects.create(company=company, code="XY", name="新苑", kind=Estate.Kind.RESIDENTIAL)
    b3 = Building.objects.create(estate=hy, code="3", name="3栋", floors=25)
    unit = Unit.objects.create(estate=hy, building=b3, entrance="2", number="1102", floor=11, area=Decimal("98.50"))

    def staff(username: str, name: str, role: str, estates: list[Estate]):
        return staff_create(
            username=username,
            name=name,
            employee_no=f"IMP-{username}",
            role=role,
            estates=estates,
            password=PASSWORD,
        ).user

    s = SimpleNamespace(company=company, hy=hy, hq=hq, empty=empty, b3=b3, hy_3_2_1102=unit)
    s.liu = staff("liuyang", "刘洋", Role.ESTATE_MANAGER, [hy, empty])  # estate manager, HY + XY: imports, sees PII
    s.qian = staff("qianfang", "钱芳", Role.ANALYST, [hy])  # analyst, HY: never sees phones in clear
    s.wang = staff("wanglei", "王磊", Role.FRONT_DESK, [hy])  # front desk, HY: may not import
    s.zhao = staff("zhaomin", "赵敏", Role.ESTATE_MANAGER, [hq])  # estate manager, HQ: nothing of HY
    s.chen = resident_create(estate=hy, name="陈静", phone="138 1234 5678", id_number=CHEN_ID, unit=unit)
    return s


CLEAN = dict(
    buildings=[["5", "5栋", "住宅", 18], ["A", "A座", "办公", 30]],
    units=[
        ["5", "1", 1, "0101", 89.5, "住宅"],
        ["5", "1", 1, "0102", "92.30", "residence"],
        ["A", None, 23, "2305", 210, "办公"],
        ["3", "1", 5, "0501", 98.5, "住宅"],  # building 3 already exists in HY
    ],
    residents=[
        ["5-1-0101", "周建国", "158 0000 5678", "业主", CHEN_ID, date(2023, 5, 1), "是", "否", "周小红", "13900001111"],
        ["5-1-0101", "周小红", "+86-139-0000-1111", "家庭成员", None, "2023-05-01", "否", "否", None, None],
        ["A-2305", "环球贸易公司 王经理", "18600002222", "租户", None, None, None, None, None, None],
        ["3-1-0501", "周建国", "15800005678", "业主", None, None, "是", "否", None, None],  # second home, same person
        ["3-2-1102", "陈小明", "13912340001", "家庭成员", None, None, "否", "是", "陈静", "13812345678"],
    ],
)


# Importing -----------------------------------------------------------------------------------


def test_clean_workbook_imports_buildings_units_and_residents_with_normalised_phones(site):
    before = counts(site.hy)

    result = estate_import(estate=site.hy, data=workbook(**CLEAN), user=site.liu)

    assert result.errors == []
    assert result.summary() == {"buildings": 2, "units": 4, "residents": 4, "occupancies": 5}
    assert counts(site.hy) == (before[0] + 2, before[1] + 4, before[2] + 4, before[3] + 5)
    assert set(Unit.objects.filter(estate=site.hy).values_list("code", flat=True)) == {
        "3-2-1102",
        "5-1-0101",
        "5-1-0102",
        "A-2305",
        "3-1-0501",
    }
    a2305 = Unit.objects.get(estate=site.hy, code="A-2305")
    assert (a2305.building.code, a2305.entrance, a2305.area, a2305.use) == ("A", "", Decimal("210.00"), "office")
    zhou = Resident.objects.get(estate=site.hy, name="周建国")
    assert zhou.phone == "+8615800005678"
    assert zhou.emergency_contact_phone == "+8613900001111"
    assert zhou.id_number == CHEN_ID
    assert zhou.is_vip and zhou.name_initials == "zjg"
    assert sorted(zhou.occupancies.values_list("unit__code", "relation", "moved_in_on")) == [
        ("3-1-0501", "owner", None),
        ("5-1-0101", "owner", date(2023, 5, 1)),
    ]
    assert Resident.objects.get(estate=site.hy, name="周小红").phone == "+8613900001111"
    assert Occupancy.objects.get(resident__name="陈小明").unit == site.hy_3_2_1102
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_id=str(site.hy.pk)).count() == 1


def test_workbook_with_bad_rows_imports_nothing_and_lists_every_error_by_sheet_and_excel_row(site):
    data = workbook(
        buildings=[
            ["5", "5栋", "住宅", 18],  # row 2: fine
            ["3", "3栋", "住宅", 25],  # row 3: already in HY
            ["5", "5栋又一次", "住宅", 18],  # row 4: duplicate of row 2
        ],
        units=[
            ["5", "1", 1, "0101", 89.5, "住宅"],  # row 2: fine
            ["9", "1", 1, "0101", 89.5, "住宅"],  # row 3: building 9 is nowhere
            ["5", "1", 1, "0101", 89.5, "住宅"],  # row 4: duplicate of row 2
            ["3", "2", 11, "1102", 98.5, "住宅"],  # row 5: 3-2-1102 already in HY
            ["5", "1", "一楼", "0102", "大约九十", "别墅"],  # row 6: floor, area and use all wrong
        ],
        residents=[
            ["5-1-0101", "周建国", "15800005678", "业主", None, None, "否", "否", None, None],  # row 2: fine
            ["5-1-0101", "周小红", "12345", "家庭成员", None, None, "否", "否", None, None],  # row 3: bad phone
            ["3-2-1102", "陈小明", "13912340001", "业主", BAD_CHECK_ID, None, "否", "否", None, None],  # row 4
            ["7-1-0101", "吴敏", "13700001234", "房东", None, "2023-02-30", "也许", "否", None, None],  # row 5
            [None, None, None, None, None, None, None, None, None, None],  # blank line: skipped, not an error
            ["3-2-1102", "", "13700001235", "租户", None, None, "否", "否", None, None],  # row 7: no name
        ],
    )
    before = counts(site.hy)

    result = estate_import(estate=site.hy, data=data, user=site.liu)

    assert counts(site.hy) == before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()
    found = {(e.sheet, e.row) for e in result.errors}
    assert found == {
        ("楼栋", 3),
        ("楼栋", 4),
        ("房屋", 3),
        ("房屋", 4),
        ("房屋", 5),
        ("房屋", 6),
        ("住户", 3),
        ("住户", 4),
        ("住户", 5),
        ("住户", 7),
    }
    messages = {(e.sheet, e.row, e.message) for e in result.errors}

    def said(sheet: str, row: int, *words: str) -> bool:
        return any(s == sheet and r == row and all(w in m for w in words) for s, r, m in messages)

    assert said("楼栋", 3, "3", "已存在")
    assert said("楼栋", 4, "重复", "第 2 行")
    assert said("房屋", 3, "楼栋 9 不存在")
    assert said("房屋", 4, "5-1-0101", "重复", "第 2 行")
    assert said("房屋", 5, "3-2-1102", "已存在")
    assert said("房屋", 6, "楼层", "整数") and said("房屋", 6, "建筑面积") and said("房屋", 6, "别墅")
    assert said("住户", 3, "手机号", "12345")
    assert said("住户", 4, "身份证号")
    assert said("住户", 5, "7-1-0101", "不存在") and said("住户", 5, "房东") and said("住户", 5, "日期")
    assert said("住户", 5, "是", "否")
    assert said("住户", 7, "姓名", "不能为空")


def test_upload_that_is_not_a_workbook_gives_one_clear_error_and_changes_nothing(site):
    before = counts(site.hy)

    result = estate_import(estate=site.hy, data="姓名,手机号\n陈静,13812345678\n".encode(), user=site.liu)

    assert result.errors == [RowError("", None, result.errors[0].message)]
    assert ".xlsx" in result.errors[0].message
    assert counts(site.hy) == before


def test_missing_sheet_and_renamed_header_are_reported_before_any_row(site):
    wb = load_workbook(io.BytesIO(workbook(units=[["3", "1", 5, "0501", 98.5, "住宅"]], drop_sheet=SHEET_RESIDENTS)))
    wb[SHEET_UNITS]["E1"] = "面积"
    buffer = io.BytesIO()
    wb.save(buffer)

    result = estate_import(estate=site.hy, data=buffer.getvalue(), user=site.liu)

    assert [(e.sheet, e.row) for e in result.errors] == [("房屋", 1), ("住户", None)]
    assert "建筑面积" in result.errors[0].message
    assert not Unit.objects.filter(code="3-1-0501").exists()


def test_blank_template_has_the_three_sheets_and_imports_as_nothing_to_do(site):
    data = workbook_template()

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:3] == [SHEET_BUILDINGS, SHEET_UNITS, SHEET_RESIDENTS]
    assert [c.value for c in wb[SHEET_RESIDENTS][1]] == list(RESIDENT_COLUMNS)
    result = estate_import(estate=site.hy, data=data, user=site.liu)
    assert len(result.errors) == 1 and "没有任何数据" in result.errors[0].message


def test_resident_already_living_in_the_unit_is_a_duplicate_but_a_new_home_is_added(site):
    data = workbook(
        units=[["3", "1", 5, "0501", 98.5, "住宅"]],
        residents=[
            ["3-2-1102", "陈静", "13812345678", "业主", None, None, "否", "否", None, None],  # row 2: already there
            ["3-1-0501", "陈静", "13812345678", "业主", None, None, "否", "否", None, None],  # row 3: her new home
        ],
    )

    failed = estate_import(estate=site.hy, data=data, user=site.liu)
    assert [(e.sheet, e.row) for e in failed.errors] == [("住户", 2)]

    data = workbook(
        units=[["3", "1", 5, "0501", 98.5, "住宅"]],
        residents=[["3栋1单元0501", "陈静", "13812345678", "业主", None, None, "否", "否", None, None]],
    )
    result = estate_import(estate=site.hy, data=data, user=site.liu)
    assert result.errors == []
    assert result.residents == 0 and result.occupancies == 1
    assert sorted(site.chen.occupancies.values_list("unit__code", flat=True)) == ["3-1-0501", "3-2-1102"]


def test_progress_is_reported_in_steps_and_ends_at_total_for_a_large_import(site, django_assert_max_num_queries):
    units = [
        ["8", str(e), f, f"{f:02d}{n:02d}", 88, "住宅"] for e in (1, 2) for f in range(1, 31) for n in range(1, 11)
    ]
    residents = [[f"8-{u[1]}-{u[3]}", f"住户{i}", f"139{i:08d}", "业主"] + [None] * 6 for i, u in enumerate(units)]
    data = workbook(buildings=[["8", "8栋", "住宅", 30]], units=units, residents=residents)
    calls: list[tuple[int, int]] = []

    # Bulk writes: the number of queries does not grow with the 1,201 rows.
    with django_assert_max_num_queries(40):
        result = estate_import(estate=site.hy, data=data, user=site.liu, progress=lambda d, t: calls.append((d, t)))

    assert result.errors == []
    assert (result.buildings, result.units, result.residents) == (1, 600, 600)
    total = calls[-1][1]
    assert total == 2 * 1201
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert len(calls) >= 5
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)
    assert Unit.objects.filter(estate=site.hy, code="8-2-3010").exists()


# Exporting -----------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_estate_reproduces_units_and_residents(site):
    estate_import(estate=site.hy, data=workbook(**CLEAN), user=site.liu)

    exported = estate_export(estate=site.hy, user=site.liu)
    result = estate_import(estate=site.empty, data=exported, user=site.liu)

    assert result.errors == []

    def homes(estate: Estate):
        return sorted(
            Occupancy.objects.filter(estate=estate).values_list(
                "unit__code", "resident__name", "resident__phone", "relation", "moved_in_on"
            )
        )

    assert sorted(Unit.objects.filter(estate=site.empty).values_list("code", "floor", "area", "use")) == sorted(
        Unit.objects.filter(estate=site.hy).values_list("code", "floor", "area", "use")
    )
    assert homes(site.empty) == homes(site.hy)
    assert Resident.objects.filter(estate=site.empty).count() == Resident.objects.filter(estate=site.hy).count()
    assert Resident.objects.get(estate=site.empty, name="陈静").id_number == CHEN_ID


def test_export_masks_phones_and_id_numbers_for_an_analyst_and_is_audited(site):
    data = estate_export(estate=site.hy, user=site.qian)

    [row] = read_sheet(data, SHEET_RESIDENTS)
    assert row[:5] == ("3-2-1102", "陈静", "138****5678", "业主", "1101**********002X")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.actor, entry.object_type, entry.object_id, entry.fields) == (
        site.qian,
        "estates.estate",
        str(site.hy.pk),
        "",
    )


def test_export_for_a_manager_has_phones_in_clear_and_records_which_fields(site):
    data = estate_export(estate=site.hy, user=site.liu)

    assert read_sheet(data, SHEET_RESIDENTS)[0][2] == "13812345678"
    assert read_sheet(data, SHEET_UNITS) == [("3", "2", 11, "1102", 98.5, "住宅")]
    assert "phone" in AuditEntry.objects.get(action=AuditEntry.Action.EXPORT).fields


# Admin pages ---------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(data: bytes, name: str = "和悦家园.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_admin_upload_runs_a_job_that_succeeds_and_deletes_the_uploaded_file(
    site, client, media, django_capture_on_commit_callbacks
):
    client.force_login(site.liu)
    url = reverse("admin:estates_estate_import", args=[site.hy.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload(workbook(**CLEAN))})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:estates_estate_import_job", args=[site.hy.pk, job.pk])
    assert (job.status, job.done, job.total, job.created_by) == ("succeeded", job.total, 22, site.liu)
    assert job.summary["units"] == 4 and job.file.name == ""
    assert not list(media.rglob("*.xlsx"))
    page = client.get(response["Location"]).content.decode()
    assert "导入成功" in page and "every 1s" not in page


def test_admin_upload_of_a_bad_workbook_fails_and_the_status_page_lists_row_errors(
    site, client, media, django_capture_on_commit_callbacks
):
    client.force_login(site.liu)
    data = workbook(
        units=[["9", "1", 1, "0101", 89.5, "住宅"]],
        residents=[["3-2-1102", "陈小明", "12345", "家庭成员", None, None, "否", "否", None, None]],
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:estates_estate_import", args=[site.hy.pk]), {"file": upload(data)})

    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert [(e["sheet"], e["row"]) for e in job.errors] == [("房屋", 2), ("住户", 2)]
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-errors"' in page and "楼栋 9 不存在" in page and "12345" in page
    assert not Unit.objects.filter(building__code="9").exists()


def test_status_page_of_a_running_job_polls_with_htmx_and_refreshes_without_js(site, client, media):
    job = ImportJob.objects.create(
        estate=site.hy, created_by=site.liu, file=upload(b"x"), status="running", done=500, total=2000
    )
    client.force_login(site.liu)
    url = reverse("admin:estates_estate_import_job", args=[site.hy.pk, job.pk])

    page = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert 'http-equiv="refresh"' in page and "web/htmx.min.js" in page
    assert 'value="500" max="2000"' in page and "25%" in page
    assert fragment.lstrip().startswith('<div id="import-status"') and "<html" not in fragment


def test_estate_page_links_to_template_export_and_import_and_they_serve_xlsx(site, client):
    client.force_login(site.liu)

    page = client.get(reverse("admin:estates_estate_change", args=[site.hy.pk])).content.decode()
    template = client.get(reverse("admin:estates_estate_import_template"))
    export = client.get(reverse("admin:estates_estate_export", args=[site.hy.pk]))

    assert reverse("admin:estates_estate_import_template") in page
    assert reverse("admin:estates_estate_export", args=[site.hy.pk]) in page
    assert reverse("admin:estates_estate_import", args=[site.hy.pk]) in page
    form = client.get(reverse("admin:estates_estate_import", args=[site.hy.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in export["Content-Disposition"]
    assert read_sheet(export.content, SHEET_UNITS)[0][3] == "1102"
    assert AuditEntry.objects.get(action=AuditEntry.Action.EXPORT).channel == "admin"


def test_manager_of_another_estate_gets_404_on_every_import_page(site, client, media):
    job = ImportJob.objects.create(estate=site.hy, created_by=site.liu, file=upload(b"x"))
    client.force_login(site.zhao)

    for url in (
        reverse("admin:estates_estate_export", args=[site.hy.pk]),
        reverse("admin:estates_estate_import", args=[site.hy.pk]),
        reverse("admin:estates_estate_import_job", args=[site.hy.pk, job.pk]),
        reverse("admin:estates_estate_import_job", args=[site.hq.pk, job.pk]),  # own estate, someone else's job
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("admin:estates_estate_import", args=[site.hy.pk]), {"file": upload(b"x")}).status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_front_desk_of_the_estate_may_not_import_or_export(site, client):
    client.force_login(site.wang)

    assert client.get(reverse("admin:estates_estate_export", args=[site.hy.pk])).status_code == 403
    assert client.get(reverse("admin:estates_estate_import", args=[site.hy.pk])).status_code == 403
    assert client.get(reverse("admin:estates_estate_import_template")).status_code == 403
    page = client.get(reverse("admin:estates_estate_change", args=[site.hy.pk])).content.decode()
    assert reverse("admin:estates_estate_import", args=[site.hy.pk]) not in page

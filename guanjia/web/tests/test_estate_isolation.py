"""Staff of one estate learn nothing of another: every way in answers 404, not 403."""

import pytest

from guanjia.conftest import api_client_for


@pytest.fixture
def hq_desk(world, client):
    client.force_login(world.zhao.user)
    return client


@pytest.mark.django_db
def test_other_estates_unit_page_is_404(world, hq_desk):
    assert hq_desk.get(f"/units/{world.hy_3_2_1102.id}/").status_code == 404
    assert hq_desk.get(f"/units/{world.t1_2305.id}/").status_code == 200


@pytest.mark.django_db
def test_other_estates_resident_page_is_404(world, hq_desk):
    assert hq_desk.get(f"/residents/{world.chen.id}/").status_code == 404
    assert hq_desk.post(f"/residents/{world.chen.id}/reveal/", {"fields": "phone", "reason": "x"}).status_code == 404


@pytest.mark.django_db
def test_lists_show_only_own_estate(world, hq_desk):
    units = hq_desk.get("/units/").content.decode()
    residents = hq_desk.get("/residents/").content.decode()
    assert f"/units/{world.t1_2305.id}/" in units and f"/units/{world.hy_3_2_1102.id}/" not in units
    assert "陈国华" in residents and "陈静" not in residents


@pytest.mark.django_db
def test_other_estates_records_are_404_in_the_api(world):
    api = api_client_for(world.zhao.user)
    assert api.get(f"/api/v1/units/{world.hy_3_2_1102.id}/").status_code == 404
    assert api.get(f"/api/v1/residents/{world.chen.id}/").status_code == 404
    assert api.get(f"/api/v1/estates/{world.hy.id}/").status_code == 404
    listed = api.get("/api/v1/units/").json()
    assert [u["code"] for u in listed["results"]] == ["T1-2305"]


@pytest.mark.django_db
def test_other_estates_records_are_404_in_the_admin(world, hq_desk):
    assert hq_desk.get(f"/admin/estates/unit/{world.hy_3_2_1102.id}/change/").status_code == 404
    assert hq_desk.get(f"/admin/people/resident/{world.chen.id}/change/").status_code == 404
    assert hq_desk.get(f"/admin/estates/unit/{world.t1_2305.id}/change/").status_code == 200
    changelist = hq_desk.get("/admin/people/resident/").content.decode()
    assert "陈国华" in changelist and "陈静" not in changelist


@pytest.mark.django_db
def test_company_admin_sees_every_estate(world, client):
    client.force_login(world.boss.user)
    assert client.get(f"/units/{world.hy_3_2_1102.id}/").status_code == 200
    assert client.get(f"/units/{world.t1_2305.id}/").status_code == 200


@pytest.mark.django_db
def test_owner_sees_only_their_own_units(world):
    api = api_client_for(world.chen_user)
    assert [u["code"] for u in api.get("/api/v1/units/").json()["results"]] == ["3-2-1102"]
    assert api.get(f"/api/v1/units/{world.hy_3_1_0501.id}/").status_code == 404
    # An owner is not staff: other residents, even of the same unit, are not theirs to see.
    assert api.get(f"/api/v1/residents/{world.chen_member.id}/").status_code == 404


@pytest.mark.django_db
def test_owner_cannot_open_the_admin(world, client):
    client.force_login(world.chen_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_anonymous_api_request_is_refused(world):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/units/").status_code == 401

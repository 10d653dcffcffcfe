"""Personal data is masked unless the role may reveal it, and every reveal is audited."""

import pytest
from django.db import connection

from guanjia.audit.models import AuditEntry
from guanjia.conftest import api_client_for
from guanjia.people.pii import mask_id_number, mask_phone


def test_masks_look_like_what_clerks_expect():
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_id_number("440106199001011234") == "4401**********1234"


@pytest.mark.django_db
def test_phone_is_stored_normalised_and_id_number_encrypted(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM people_resident WHERE id = %s", [world.chen.id])
        phone, stored_id = cursor.fetchone()
    assert phone == "+8613812345678"
    assert "11010519491231002X" not in stored_id and stored_id.startswith("gAAAA")
    world.chen.refresh_from_db()
    assert world.chen.id_number == "11010519491231002X"


@pytest.mark.django_db
def test_api_lists_residents_masked(world):
    body = api_client_for(world.wang.user).get(f"/api/v1/residents/{world.chen.id}/").json()
    assert body["phone"] == "138****5678"
    assert body["id_number"] == "1101**********002X"
    assert AuditEntry.objects.count() == 0  # masked reads are not reveals


@pytest.mark.django_db
def test_front_desk_reveal_through_api_returns_clear_values_and_audits(world):
    api = api_client_for(world.wang.user)
    response = api.post(
        f"/api/v1/residents/{world.chen.id}/reveal/",
        {"fields": ["phone", "id_number"], "reason": "回访业主"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"phone": "13812345678", "id_number": "11010519491231002X"}
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (world.wang.user, "reveal", str(world.chen.id))
    assert (entry.fields, entry.reason, entry.channel, entry.estate_id) == (
        "phone,id_number",
        "回访业主",
        "api",
        world.hy.id,
    )


@pytest.mark.django_db
def test_technician_may_not_reveal_and_nothing_is_audited(world):
    response = api_client_for(world.li.user).post(
        f"/api/v1/residents/{world.chen.id}/reveal/", {"fields": ["phone"], "reason": "上门"}, format="json"
    )
    assert response.status_code == 403
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_reveal_without_a_reason_is_refused(world):
    response = api_client_for(world.wang.user).post(
        f"/api/v1/residents/{world.chen.id}/reveal/", {"fields": ["phone"], "reason": " "}, format="json"
    )
    assert response.status_code == 400
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_resident_page_shows_masked_phone_and_reveals_on_request(world, client):
    client.force_login(world.wang.user)
    page = client.get(f"/residents/{world.chen.id}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    revealed = client.post(
        f"/residents/{world.chen.id}/reveal/", {"fields": ["phone"], "reason": "核对报修电话"}, HTTP_HX_REQUEST="true"
    )
    assert revealed.status_code == 200
    assert "13812345678" in revealed.content.decode()
    assert AuditEntry.objects.filter(channel="page", fields="phone").count() == 1


@pytest.mark.django_db
def test_technician_page_has_no_reveal_form(world, client):
    client.force_login(world.li.user)
    page = client.get(f"/residents/{world.chen.id}/").content.decode()
    assert "138****5678" in page and "查看完整信息" not in page
    assert client.post(f"/residents/{world.chen.id}/reveal/", {"fields": ["phone"], "reason": "x"}).status_code == 403
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_admin_masks_for_analyst_and_audits_reveal_for_front_desk(world, client):
    from guanjia.conftest import make_staff
    from guanjia.org.roles import Role

    analyst = make_staff("fenxi", "钱晓", role=Role.ANALYST, estates=[world.hy])
    client.force_login(analyst.user)
    page = client.get(f"/admin/people/resident/{world.chen.id}/change/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert AuditEntry.objects.count() == 0

    client.force_login(world.wang.user)
    page = client.get(f"/admin/people/resident/{world.chen.id}/change/").content.decode()
    assert "+8613812345678" in page
    assert AuditEntry.objects.filter(actor=world.wang.user, channel="admin").count() == 1

"""The admin is usable in Chinese for every model of the foundation."""

import pytest
from django.contrib import admin

FOUNDATION_APPS = {"estates", "people", "org", "audit", "tickets", "notify"}


def foundation_models():
    return [m for m in admin.site._registry if m._meta.app_label in FOUNDATION_APPS]


@pytest.mark.django_db
def test_every_foundation_model_lists_and_adds_in_chinese(world, client):
    client.force_login(world.boss.user)
    checked = 0
    for model in foundation_models():
        opts = model._meta
        changelist = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        assert changelist.status_code == 200, opts.label
        assert str(opts.verbose_name_plural) in changelist.content.decode(), opts.label
        add = client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/")
        assert add.status_code in (200, 403), opts.label  # the audit log cannot be added to
        checked += 1
    assert checked >= 11
    index = client.get("/admin/").content.decode()
    assert "项目与房产" in index and "业主与住户" in index and "组织与排班" in index


@pytest.mark.django_db
def test_front_desk_may_view_units_but_not_change_estates(world, client):
    client.force_login(world.wang.user)
    assert client.get(f"/admin/estates/unit/{world.hy_3_2_1102.id}/change/").status_code == 200
    assert client.post(f"/admin/estates/unit/{world.hy_3_2_1102.id}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/estates/company/").status_code == 403


@pytest.mark.django_db
def test_technician_has_no_admin(world, client):
    client.force_login(world.li.user)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_api_schema_and_docs_are_served_offline(world, client):
    client.force_login(world.wang.user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/residents/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


@pytest.mark.django_db
def test_english_is_selectable(world, client):
    client.force_login(world.wang.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_chooses(world, client):
    client.force_login(world.wang.user)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "欢迎" in page

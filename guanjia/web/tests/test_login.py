"""Logging in: lockout after repeated failures; passwords follow the validators."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from rest_framework.test import APIClient

from guanjia.conftest import PASSWORD


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_correct_password_logs_in(world, client):
    response = login(client, "wanglei", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "王磊" in client.get("/").content.decode()


@pytest.mark.django_db
def test_wrong_password_shows_error_and_stays_logged_out(world, client):
    response = login(client, "wanglei", "wrong-password-1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5)
def test_five_failures_lock_the_account_even_with_the_right_password(world, client):
    for _ in range(4):
        assert login(client, "wanglei", "wrong-password-1").status_code == 200
    locked = login(client, "wanglei", "wrong-password-1")
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()
    assert login(client, "wanglei", PASSWORD).status_code == 429
    assert client.get("/").status_code == 302  # still not logged in


@pytest.mark.django_db
def test_lockout_of_one_account_leaves_colleagues_at_the_same_desk_alone(world, client):
    for _ in range(5):
        login(client, "wanglei", "wrong-password-1")
    assert login(client, "liqiang", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_lifts_after_the_cool_off(world, client):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            login(client, "wanglei", "wrong-password-1")
        assert login(client, "wanglei", PASSWORD).status_code == 429
    with time_machine.travel(start + timezone.timedelta(minutes=16), tick=False):
        assert login(client, "wanglei", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_api_token_endpoint_is_locked_out_too(world):
    api = APIClient()
    for _ in range(5):
        assert api.post("/api/v1/auth/token/", {"username": "wanglei", "password": "nope-nope-1"}).status_code == 400
    response = api.post("/api/v1/auth/token/", {"username": "wanglei", "password": PASSWORD})
    assert response.status_code == 429
    assert "token" not in response.json()


@pytest.mark.parametrize("weak", ["12345678901", "password123", "short1"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_fraction, env_int, env_secret


def test_bad_boolean_stops_start_up(monkeypatch):
    monkeypatch.setenv("GUANJIA_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="GUANJIA_DEBUG"):
        env_bool("GUANJIA_DEBUG", False)


def test_bad_integer_stops_start_up(monkeypatch):
    monkeypatch.setenv("GUANJIA_LOGIN_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("GUANJIA_LOGIN_FAILURE_LIMIT", 5)


def test_production_secret_without_default_must_be_set(monkeypatch):
    monkeypatch.delenv("GUANJIA_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env_secret("GUANJIA_SECRET_KEY")
    monkeypatch.setenv("GUANJIA_SECRET_KEY", "s3cret")
    assert env_secret("GUANJIA_SECRET_KEY") == "s3cret"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_outgoing_mail_is_configured_from_the_environment(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("GUANJIA_EMAIL_HOST", "smtp.heyue-wuye.example")
    monkeypatch.setenv("GUANJIA_EMAIL_PORT", "587")
    monkeypatch.setenv("GUANJIA_EMAIL_USE_TLS", "true")
    monkeypatch.setenv("GUANJIA_EMAIL_FROM", "kefu@heyue-wuye.example")
    try:
        fresh = importlib.reload(base)
        assert (fresh.EMAIL_HOST, fresh.EMAIL_PORT, fresh.EMAIL_USE_TLS, fresh.DEFAULT_FROM_EMAIL) == (
            "smtp.heyue-wuye.example",
            587,
            True,
            "kefu@heyue-wuye.example",
        )
    finally:
        monkeypatch.undo()
        importlib.reload(base)


@pytest.mark.parametrize("raw", ["1.5", "-0.1", "high", ""])
def test_threshold_outside_zero_to_one_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv("GUANJIA_TRIAGE_REVIEW_THRESHOLD", raw)
    with pytest.raises(ImproperlyConfigured, match="from 0 to 1"):
        env_fraction("GUANJIA_TRIAGE_REVIEW_THRESHOLD", 0.55)
    monkeypatch.setenv("GUANJIA_TRIAGE_REVIEW_THRESHOLD", "0.65")
    assert env_fraction("GUANJIA_TRIAGE_REVIEW_THRESHOLD", 0.55) == 0.65

"""Device alarms: HMAC-signed, fresh, never replayed; one ticket per fault on an equipment item."""

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest

from guanjia.estates.models import Equipment
from guanjia.intake.models import DeviceAlarm, DeviceSource, SeenSignature
from guanjia.tickets.models import Event, Ticket

pytestmark = pytest.mark.django_db
SECRET = "lift-monitor-2026-secret"


@pytest.fixture
def lift(hy):
    DeviceSource.objects.create(estate=hy.world.hy, name="电梯物联网平台", secret=SECRET)
    return Equipment.objects.create(
        estate=hy.world.hy, code="HY-L-03-1", name="3栋1号梯", kind=Equipment.Kind.LIFT, location="3栋2单元"
    )


def signed(body: dict, *, secret=SECRET, at: float | None = None):
    raw = json.dumps(body, ensure_ascii=False).encode()
    ts = str(int(at if at is not None else time.time()))
    sig = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return raw, {"HTTP_X_GUANJIA_TIMESTAMP": ts, "HTTP_X_GUANJIA_SIGNATURE": f"sha256={sig}"}


def post(client, raw, headers, estate="HY"):
    return client.post(f"/channels/iot/{estate}/", raw, content_type="application/json", **headers)


TRAPPED = {"device": "HY-L-03-1", "event": "alarm", "fault": "trapped", "message": "轿厢困人，停在8层"}


def test_alarm_opens_an_emergency_repair_on_the_equipment(client, lift):
    raw, headers = signed(TRAPPED)
    response = post(client, raw, headers)
    assert response.status_code == 201
    ticket = Ticket.objects.get(number=response.json()["ticket"])
    assert (ticket.equipment, ticket.category, ticket.urgency, ticket.channel) == (lift, "elevator", "emergency", "iot")
    assert ticket.department.kind == "engineering"
    assert ticket.arrive_due_at is not None


def test_repeated_alarm_of_the_same_fault_attaches_to_the_open_ticket(client, lift, clock):
    first = post(client, *signed(TRAPPED)).json()["ticket"]
    clock.shift(timedelta(minutes=2))
    second = post(client, *signed({**TRAPPED, "message": "仍困人"}))
    assert second.status_code == 200 and second.json()["ticket"] == first
    assert Ticket.objects.count() == 1
    assert Ticket.objects.get().events.filter(kind=Event.Kind.NOTE, detail__repeat="trapped").count() == 1


def test_recovery_is_noted_on_the_ticket(client, lift, clock):
    number = post(client, *signed(TRAPPED)).json()["ticket"]
    clock.shift(timedelta(minutes=20))
    response = post(client, *signed({**TRAPPED, "event": "recovery", "message": "已放人，恢复运行"}))
    assert response.status_code == 200
    ticket = Ticket.objects.get(number=number)
    assert ticket.events.filter(detail__recovery="trapped").exists()


def assert_nothing_stored():
    assert (Ticket.objects.count(), DeviceAlarm.objects.count(), SeenSignature.objects.count()) == (0, 0, 0)


def test_wrong_key_is_403_and_stores_nothing(client, lift):
    response = post(client, *signed(TRAPPED, secret="guessed"))
    assert response.status_code == 403
    assert_nothing_stored()


def test_tampered_body_is_403(client, lift):
    raw, headers = signed(TRAPPED)
    response = post(client, raw.replace("8层".encode(), "9层".encode()), headers)
    assert response.status_code == 403
    assert_nothing_stored()


def test_signature_older_than_five_minutes_is_403(client, lift):
    response = post(client, *signed(TRAPPED, at=time.time() - 301))
    assert response.status_code == 403 and "过期" in response.json()["detail"]
    assert_nothing_stored()


def test_replayed_call_is_403(client, lift):
    raw, headers = signed(TRAPPED)
    assert post(client, raw, headers).status_code == 201
    replay = post(client, raw, headers)
    assert replay.status_code == 403 and "重放" in replay.json()["detail"]
    assert Ticket.objects.count() == 1 and DeviceAlarm.objects.count() == 1


def test_unknown_device_is_400_and_opens_nothing(client, lift):
    response = post(client, *signed({**TRAPPED, "device": "NOPE"}))
    assert response.status_code == 400
    assert Ticket.objects.count() == 0 and DeviceAlarm.objects.count() == 0


def test_another_estates_key_cannot_post_here(client, lift, hy):
    DeviceSource.objects.create(estate=hy.world.tower, name="塔楼BMS", secret="tower-secret")
    response = post(client, *signed(TRAPPED, secret="tower-secret"))
    assert response.status_code == 403
    assert_nothing_stored()

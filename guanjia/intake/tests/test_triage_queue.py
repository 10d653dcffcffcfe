"""A clerk corrects automatic labels: the ticket moves queue and promise; the correction is kept."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from guanjia.conftest import MONDAY_9, new_repair
from guanjia.tickets.models import LabelCorrection, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsure(hy):
    t = new_repair(
        hy.world, category="general", urgency="normal", request_type="inquiry", description="那个东西又不行了，麻烦看看"
    )
    Ticket.objects.filter(pk=t.pk).update(needs_review=True, triage={"confidence": 0.31})
    t.refresh_from_db()
    return t


def test_queue_lists_unsure_tickets_only_for_their_estate(hy, client, unsure):
    client.force_login(hy.world.wang.user)
    assert unsure.number in client.get("/intake/triage/").content.decode()
    client.force_login(hy.world.zhao.user)
    assert unsure.number not in client.get("/intake/triage/").content.decode()
    assert client.get(f"/intake/triage/{unsure.id}/").status_code == 404


def test_correction_reroutes_restarts_the_promise_and_is_kept_for_training(hy, client, unsure):
    client.force_login(hy.world.wang.user)
    response = client.post(
        f"/intake/triage/{unsure.id}/",
        {
            "version": unsure.version,
            "request_type": "repair",
            "category": "elevator",
            "urgency": "emergency",
        },
    )
    assert response.status_code == 302
    unsure.refresh_from_db()
    assert (unsure.department.kind, unsure.needs_review) == ("engineering", False)
    assert unsure.arrive_due_at == MONDAY_9 + timedelta(minutes=30)  # counted from when the owner asked
    correction = LabelCorrection.objects.get()
    assert correction.before["category"] == "general" and correction.after["category"] == "elevator"
    assert unsure.events.filter(kind="relabel").count() == 1
    out = StringIO()
    call_command("corrections_export", stdout=out)
    row = json.loads(out.getvalue().splitlines()[0])
    assert row["text"] == "那个东西又不行了，麻烦看看" and row["urgency"] == "emergency" and row["sensitive"] is False


def test_bad_label_or_stale_version_changes_nothing(hy, client, unsure):
    client.force_login(hy.world.wang.user)
    bad = client.post(
        f"/intake/triage/{unsure.id}/",
        {"version": unsure.version, "request_type": "repair", "category": "spaceship", "urgency": "normal"},
    )
    stale = client.post(
        f"/intake/triage/{unsure.id}/",
        {"version": unsure.version - 1, "request_type": "repair", "category": "water", "urgency": "normal"},
    )
    assert (bad.status_code, stale.status_code) == (400, 409)
    unsure.refresh_from_db()
    assert (unsure.category, unsure.needs_review) == ("general", True)
    assert LabelCorrection.objects.count() == 0

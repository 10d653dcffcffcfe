"""Long lists stop counting at the cap: the page says "more than N" and the database never counts further."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.conftest import api_client_for, new_repair
from guanjia.tickets.models import Ticket
from guanjia.web.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)


def test_under_the_cap_the_count_is_exact(hy):
    for _ in range(3):
        new_repair(hy.world)
    paginator = CappedPaginator(Ticket.objects.order_by("-id"), 2)
    paginator.cap = 3
    assert (paginator.count, paginator.count_capped, paginator.num_pages) == (3, False, 2)


def test_count_of_a_long_list_stops_at_the_cap_without_ordering(hy, cap_of_three):
    for _ in range(5):
        new_repair(hy.world)
    paginator = CappedPaginator(Ticket.objects.order_by("-created_at"), 2)
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.count_capped) == (4, True)
    (sql,) = [q["sql"].upper() for q in queries]
    assert "COUNT(" in sql and "LIMIT 4" in sql and "ORDER BY" not in sql


def test_ticket_list_page_says_more_than_the_cap(hy, client, cap_of_three):
    for _ in range(5):
        new_repair(hy.world)
    client.force_login(hy.world.wang.user)
    html = client.get("/tickets/").content.decode()
    assert "超过 3 条" in html and "共 5 条" not in html


def test_ticket_api_says_when_its_count_is_capped(hy, cap_of_three):
    for _ in range(5):
        new_repair(hy.world)
    data = api_client_for(hy.world.wang.user).get("/api/v1/tickets/", {"page_size": 2}).json()
    assert (data["count"], data["count_capped"], len(data["results"])) == (4, True, 2)
    few = api_client_for(hy.world.wang.user).get("/api/v1/tickets/", {"page_size": 2, "q": "无此内容"}).json()
    assert (few["count"], few["count_capped"]) == (0, False)

"""Ticket photos are personal data: only people who may see the ticket get the file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guanjia.tickets.services import ticket_photo_add
from guanjia.tickets.tests.conftest import new_repair

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(hy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "JPEG")
    ticket = new_repair(hy.world)
    upload = SimpleUploadedFile("leak.jpg", buf.getvalue(), content_type="image/jpeg")
    return ticket_photo_add(ticket=ticket, user=hy.world.wang.user, stage="reported", upload=upload, channel="page")


def test_staff_of_the_estate_and_the_owner_get_the_photo(hy, client, photo):
    for user in (hy.world.li.user, hy.world.chen_user):
        client.force_login(user)
        response = client.get(f"/media/{photo.image.name}")
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_other_estate_and_anonymous_get_nothing(hy, client, photo):
    assert client.get(f"/media/{photo.image.name}").status_code == 302  # to the login page
    client.force_login(hy.world.zhao.user)
    assert client.get(f"/media/{photo.image.name}").status_code == 404
    assert client.get("/media/../config/settings/base.py").status_code == 404

"""``/layanan-informasi/`` itself: a reader who types the service's address lands on the site's PPID
page (the hub that explains the service), or on the request form when the site has no live one."""

from __future__ import annotations

import pytest

from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

SERVICE_URL = "/layanan-informasi/"


def test_the_address_leads_to_the_ppid_page(client, home_page):
    factories.PPIDPageFactory(parent=home_page)
    response = client.get(SERVICE_URL)
    assert response.status_code == 302 and response["Location"] == "/ppid/"
    assert client.get(response["Location"]).status_code == 200


def test_without_a_live_ppid_page_the_address_leads_to_the_request_form(client, home_page):
    assert reverse("ppid:hub") == SERVICE_URL
    response = client.get(SERVICE_URL)
    assert response.status_code == 302 and response["Location"] == reverse("ppid:request")
    factories.PPIDPageFactory(parent=home_page, live=False)
    assert client.get(SERVICE_URL)["Location"] == "/layanan-informasi/permohonan/"
    assert client.get("/layanan-informasi/permohonan/").status_code == 200

"""Notifications travel through a real SMTP server (aiosmtpd) on 127.0.0.1."""

import email
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from sop_workflow.sop import Role
from tests import factories
from tests.servers import free_port
from tests.sop_workflow.admin_helpers import login, submit

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


class Sink:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield sink
    finally:
        controller.stop()


def test_step_arrival_email_goes_through_real_smtp(
    smtp_sink, home_page, sop_users, django_capture_on_commit_callbacks
):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    page = factories.BeritaPageFactory(
        parent=index, title="Rapat pleno terbuka", owner=sop_users[Role.PENGAMPU]
    )
    page.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        submit(login(sop_users[Role.PENGAMPU]), page)
    assert [envelope.rcpt_tos for envelope in smtp_sink.envelopes] == [["pengelola@kpu.test"]]
    message = email.message_from_bytes(smtp_sink.envelopes[0].content)
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "[KPU Jateng] Menunggu tinjauan Anda: Rapat pleno terbuka"
    body = message.get_payload(decode=True).decode("utf-8")
    assert f"/admin/pages/{page.pk}/edit/" in body
    assert "Pengelola Website: terima konsep" in body

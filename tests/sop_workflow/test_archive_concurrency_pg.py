"""On PostgreSQL: two publications at the same moment append two records to one chain (no fork)."""

import threading

import pytest

from django.conf import settings
from django.db import connection

from sop_workflow.archive import freeze_outside_chain, verify_chain
from sop_workflow.models import ArsipPersetujuan
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.IS_POSTGRESQL, reason="row locking is tested on PostgreSQL (CI runs it there)"
    ),
]


def test_two_records_frozen_at_the_same_moment_form_one_chain(home_page, django_user_model):
    index = factories.BeritaIndexPageFactory(parent=home_page)
    pages = [factories.BeritaPageFactory(parent=index, title=f"Berita serentak {n}") for n in range(2)]
    superuser = django_user_model.objects.create_superuser("super", "super@kpu.test", "kata-sandi-uji-123")
    barrier = threading.Barrier(2)
    errors = []

    def freeze(page):
        try:
            barrier.wait(timeout=10)
            freeze_outside_chain(page, page.get_latest_revision(), superuser, "Uji serentak dua penerbitan.")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=freeze, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    records = list(ArsipPersetujuan.objects.order_by("sequence"))
    assert [r.sequence for r in records] == [1, 2]
    assert records[1].previous_hash == records[0].record_hash
    assert verify_chain().ok

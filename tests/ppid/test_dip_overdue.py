"""Overdue periodic DIP items: the dashboard panel and the reminders (``ppid.dip``, ``ppid.admin.dip``).

Only the live DIP counts (the published revision is what the public sees): a draft that brings an item
up to date changes nothing until the SOP chain has published it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from freezegun import freeze_time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from ppid import dip
from ppid.models import Reminder
from ppid.rules import ROLES
from ppid.rules import Role as PPIDRole
from ppid.setup import setup_groups
from sop_workflow.sop import Role
from tests import factories
from tests.conftest import PASSWORD
from tests.sop_workflow.admin_helpers import act, login

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
UNIT = "PPID Pelaksana Bagian Keuangan, Umum, dan Logistik"
#: the report was last updated on 15 January 2026 and is due every semester: due 15 July 2026
LAST_UPDATE = dt.date(2026, 1, 15)
DUE = dt.date(2026, 7, 15)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


@pytest.fixture
def people(sop_users):
    """The SOP's users, a PPID member, a member of the unit (also an author) and of another unit."""
    setup_groups(apps)
    User = get_user_model()
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    unit = Group.objects.create(name=UNIT)
    other_unit = Group.objects.create(name="PPID Pelaksana Bagian Hukum dan Sumber Daya Manusia")
    for group in (unit, other_unit):
        group.permissions.add(access_admin)
    ppid = User.objects.create_user("ppid", "ppid@kpu.test", PASSWORD, first_name="Petugas PPID")
    ppid.groups.add(Group.objects.get(name=ROLES[PPIDRole.PPID].group_name))
    keuangan = User.objects.create_user("keuangan", "keuangan@kpu.test", PASSWORD, first_name="Staf Keuangan")
    keuangan.groups.add(unit, Group.objects.get(name="Pengampu Konsep (Tim Pelaksana Kegiatan)"))
    hukum = User.objects.create_user("hukum", "hukum@kpu.test", PASSWORD)
    hukum.groups.add(other_unit)
    superuser = User.objects.create_superuser("super", "super@kpu.test", PASSWORD)
    return {**sop_users, "ppid": ppid, "keuangan": keuangan, "hukum": hukum, "super": superuser, "unit": unit}


@pytest.fixture
def dip_page(home_page, people):
    """A live DIP with one periodic item of the unit, one fresh periodic item and one excluded item."""
    ppid = factories.PPIDPageFactory(parent=home_page)
    page = factories.DaftarInformasiPublikPageFactory(parent=ppid, owner=people[Role.PENGAMPU])
    factories.InformasiPublikFactory(
        page=page,
        kategori="berkala",
        ringkasan="Laporan Keuangan (LRA, Neraca, dan CaLK)",
        unit_penanggung_jawab=people["unit"],
        periode_pembaruan="semester",
        diperbarui_pada=LAST_UPDATE,
    )
    factories.InformasiPublikFactory(
        page=page,
        kategori="berkala",
        ringkasan="Tahapan dan jadwal pemilihan",
        unit_penanggung_jawab=people["unit"],
        periode_pembaruan="tahunan",
        diperbarui_pada=LAST_UPDATE,
    )
    factories.InformasiPublikFactory(
        page=page,
        kategori="dikecualikan",
        ringkasan="Data pribadi pemilih",
        periode_pembaruan="",
        diperbarui_pada=dt.date(2025, 1, 1),
        dasar_hukum_pengecualian="Pasal 17 huruf h",
        uji_konsekuensi="Pemalsuan identitas.",
        jangka_waktu_pengecualian="Tanpa batas waktu",
    )
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def report(page):
    return page.entri.get(ringkasan__startswith="Laporan Keuangan")


def dashboard(user) -> str:
    response = login(user).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str | None:
    found = re.search(
        r"Informasi berkala perlu diperbarui.*?</table>|Informasi berkala perlu diperbarui.*?</p>", html, re.S
    )
    return found.group(0) if found else None


def dip_form(page, rows) -> dict:
    """The DIP page's edit form, with its rows (existing ones by id), as the browser posts it."""
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro,
            "keterangan": rich_text("<p>Ditetapkan oleh Atasan PPID.</p>"),
            "entri": inline_formset(rows, initial=len(rows)),
            "comments": inline_formset([]),
        }
    )


def rows_with(page, **changes_to_report) -> list[dict]:
    rows = []
    for entry in page.entri.order_by("sort_order"):
        data = {
            "id": entry.pk,
            "kategori": entry.kategori,
            "ringkasan": entry.ringkasan,
            "penguasa": entry.penguasa,
            "penanggung_jawab": entry.penanggung_jawab,
            "waktu_tempat": entry.waktu_tempat,
            "bentuk": entry.bentuk,
            "retensi": entry.retensi,
            "jenis_media": entry.jenis_media,
            "tautan": entry.tautan,
            "dokumen": entry.dokumen_id or "",
            "unit_penanggung_jawab": entry.unit_penanggung_jawab_id or "",
            "periode_pembaruan": entry.periode_pembaruan,
            "diperbarui_pada": entry.diperbarui_pada.strftime("%d-%m-%Y") if entry.diperbarui_pada else "",
            "dasar_hukum_pengecualian": entry.dasar_hukum_pengecualian,
            "uji_konsekuensi": entry.uji_konsekuensi,
            "jangka_waktu_pengecualian": entry.jangka_waktu_pengecualian,
        }
        if entry.ringkasan.startswith("Laporan Keuangan"):
            data.update(changes_to_report)
        rows.append(data)
    return rows


# --- which items are overdue --------------------------------------------------------------------
def test_an_item_is_overdue_the_day_after_its_last_update_plus_its_period(dip_page):
    assert dip.overdue_items(DUE) == []
    (item,) = dip.overdue_items(DUE + dt.timedelta(days=1))
    assert item.entry == report(dip_page)
    assert (item.due_on, item.days_overdue, item.page) == (DUE, 1, dip_page)
    assert item.key == f"dip-{item.entry.pk}-2026-07-15"
    assert item.edit_url == f"http://testserver/admin/pages/{dip_page.pk}/edit/"
    # a year on, the yearly item is overdue too, and the report has missed a second semester
    items = dip.overdue_items(dt.date(2027, 1, 20))
    assert [(i.entry.ringkasan[:16], i.days_overdue, i.period_due_on) for i in items] == [
        ("Laporan Keuangan", 189, dt.date(2027, 1, 15)),
        ("Tahapan dan jadw", 5, dt.date(2027, 1, 15)),
    ]


def test_an_unpublished_dip_page_counts_for_nothing(dip_page):
    dip_page.unpublish()
    assert dip.overdue_items(DUE + dt.timedelta(days=30)) == []


# --- the dashboard panel ------------------------------------------------------------------------
def test_the_panel_shows_the_item_its_page_unit_due_date_and_days_overdue(dip_page, people):
    with freeze_time(at(dt.date(2026, 8, 4))):
        html = panel(dashboard(people["ppid"]))
    assert html is not None
    row = re.search(r"<tr data-dip-entry=.*?</tr>", html, re.S).group(0)
    assert "Laporan Keuangan (LRA, Neraca, dan CaLK)" in row
    assert "Daftar Informasi Publik" in row
    assert UNIT in row
    assert "15 Juli 2026" in row
    assert "20 hari" in row
    assert "Tahapan dan jadwal pemilihan" not in html  # yearly: not due until January


@pytest.mark.parametrize("who", ["ppid", "keuangan", "super"])
def test_the_responsible_unit_the_ppid_and_superusers_see_the_panel(dip_page, people, who):
    with freeze_time(at(dt.date(2026, 8, 4))):
        html = panel(dashboard(people[who]))
    assert html is not None and "Laporan Keuangan (LRA, Neraca, dan CaLK)" in html


@pytest.mark.parametrize("who", [Role.PENGAMPU, Role.WEB_ADMIN, Role.SEKRETARIS, "hukum"])
def test_sop_roles_and_other_units_do_not_see_the_panel(dip_page, people, who):
    with freeze_time(at(dt.date(2026, 8, 4))):
        html = dashboard(people[who])
    assert "Informasi berkala perlu diperbarui" not in html
    assert "Laporan Keuangan (LRA, Neraca, dan CaLK)" not in html


def test_the_panel_links_the_edit_screen_only_for_who_may_edit(dip_page, people):
    edit = f'href="/admin/pages/{dip_page.pk}/edit/"'
    with freeze_time(at(dt.date(2026, 8, 4))):
        assert edit in panel(dashboard(people["super"]))
        ppid_view = panel(dashboard(people["ppid"]))  # the PPID is told; the author edits
    assert edit not in ppid_view
    assert f'href="{dip_page.url}"' in ppid_view and "Lihat di situs" in ppid_view


def test_a_unit_member_sees_only_their_units_items(dip_page, people):
    entry = report(dip_page)
    entry.unit_penanggung_jawab = Group.objects.get(
        name="PPID Pelaksana Bagian Hukum dan Sumber Daya Manusia"
    )
    entry.save()
    with freeze_time(at(dt.date(2026, 8, 4))):
        assert "Laporan Keuangan" in panel(dashboard(people["hukum"]))
        unit_view = panel(dashboard(people["keuangan"]))  # still responsible for the yearly item
    assert unit_view is not None and "Laporan Keuangan" not in unit_view
    assert "Semua informasi berkala unit Anda masih dalam periode pembaruannya." in unit_view


def test_an_update_counts_only_once_the_sop_chain_has_published_it(dip_page, people):
    """The author updates the report's date and submits it; until the last step of the chain publishes
    it the live DIP, and so the panel and the reminders, still have the item overdue."""
    author = people[Role.PENGAMPU]
    with freeze_time(at(dt.date(2026, 8, 4))):
        client = login(author)
        data = dip_form(dip_page, rows_with(dip_page, diperbarui_pada="03-08-2026"))
        data["action-submit"] = "action-submit"
        response = client.post(reverse("wagtailadmin_pages:edit", args=[dip_page.pk]), data)
        assert response.status_code == 302
        assert "Laporan Keuangan" in panel(dashboard(people["ppid"]))
        assert [r.key for r in dip.send_reminders(dry_run=True)] == [f"dip-{report(dip_page).pk}-2026-07-15"]

        steps = 0
        while (task := Page.objects.get(pk=dip_page.pk).current_workflow_task) is not None:
            assert "Laporan Keuangan" in panel(dashboard(people["ppid"])), f"overdue before step {steps}"
            role = Role(task.specific.role)
            assert act(login(people[role]), dip_page, "approve").status_code == 302
            steps += 1

        assert steps >= 5 and Page.objects.get(pk=dip_page.pk).live
        ppid_view = panel(dashboard(people["ppid"]))
    assert "Laporan Keuangan" not in ppid_view
    assert (
        "Semua informasi berkala pada Daftar Informasi Publik masih dalam periode pembaruannya." in ppid_view
    )
    assert dip.overdue_items(dt.date(2026, 8, 4)) == []


# --- reminders ----------------------------------------------------------------------------------
def test_reminders_go_to_the_unit_and_the_ppid_once_per_period(
    dip_page, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert dip.send_reminders(now=at(DUE)) == []  # the due day itself is not late
        sent = dip.send_reminders(now=at(DUE + dt.timedelta(days=1)))
    assert [r.key for r in sent] == [f"dip-{report(dip_page).pk}-2026-07-15"]
    assert sorted(message.to[0] for message in mail.outbox) == ["keuangan@kpu.test", "ppid@kpu.test"]
    message = mail.outbox[0]
    assert (
        message.subject
        == "[KPU Jateng] Informasi berkala perlu diperbarui: Laporan Keuangan (LRA, Neraca, dan CaLK)"
    )
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    body = message.body
    assert "Terakhir diperbarui : 15 Januari 2026" in body
    assert "Batas pembaruan : 15 Juli 2026" in body
    assert "Terlambat : 1 hari" in body
    assert f"Unit penanggung jawab : {UNIT}" in body
    assert f"http://testserver/admin/pages/{dip_page.pk}/edit/" in body
    assert Reminder.objects.get().recipients.splitlines() == ["keuangan@kpu.test", "ppid@kpu.test"]

    with django_capture_on_commit_callbacks(execute=True):
        with freeze_time(at(dt.date(2026, 9, 30))):
            assert dip.send_reminders() == []  # still the same missed period: nothing new
    assert len(mail.outbox) == 2

    # left alone for a second semester, the item is reminded again
    with django_capture_on_commit_callbacks(execute=True):
        with freeze_time(at(dt.date(2027, 1, 16))):
            again = dip.send_reminders()
    yearly = dip_page.entri.get(ringkasan__startswith="Tahapan")
    assert [r.key for r in again] == [f"dip-{report(dip_page).pk}-2027-01-15", f"dip-{yearly.pk}-2027-01-15"]
    assert len([m for m in mail.outbox if "Laporan Keuangan" in m.subject]) == 4


def test_once_updated_and_published_the_next_period_is_reminded_again(
    dip_page, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dip.send_reminders(now=at(dt.date(2026, 7, 20)))
    assert len(mail.outbox) == 2
    # the unit updates the report on 21 July; the SOP chain publishes it (the system's publication here)
    with freeze_time(at(dt.date(2026, 7, 21))):
        response = login(people["super"]).post(
            reverse("wagtailadmin_pages:edit", args=[dip_page.pk]),
            dip_form(dip_page, rows_with(dip_page, diperbarui_pada="21-07-2026")),
        )
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            dip.send_reminders(now=at(dt.date(2026, 7, 22))) == []
        )  # a draft: the live row is unchanged, already reminded
    Page.objects.get(pk=dip_page.pk).get_latest_revision().publish()
    assert report(dip_page).diperbarui_pada == dt.date(2026, 7, 21)
    key = f"dip-{report(dip_page).pk}-2027-01-21"
    with django_capture_on_commit_callbacks(execute=True):
        assert key not in [r.key for r in dip.send_reminders(now=at(dt.date(2027, 1, 21)))]  # due that day
        assert key in [r.key for r in dip.send_reminders(now=at(dt.date(2027, 1, 22)))]
    assert len([m for m in mail.outbox if "Laporan Keuangan" in m.subject]) == 4


def test_a_dry_run_sends_and_records_nothing(dip_page, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planned = dip.send_reminders(now=at(dt.date(2026, 8, 4)), dry_run=True)
    assert [r.addresses for r in planned] == [["keuangan@kpu.test", "ppid@kpu.test"]]
    assert "Laporan Keuangan" in str(planned[0]) and "terlambat 20 hari" in str(planned[0])
    assert mail.outbox == [] and not Reminder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(dip.send_reminders(now=at(dt.date(2026, 8, 4)))) == 1
    assert len(mail.outbox) == 2


def test_an_item_without_a_unit_reminds_the_ppid_and_no_sop_role(
    dip_page, people, django_capture_on_commit_callbacks
):
    entry = report(dip_page)
    entry.unit_penanggung_jawab = None
    entry.save()
    with django_capture_on_commit_callbacks(execute=True):
        dip.send_reminders(now=at(dt.date(2026, 8, 4)))
    assert [message.to for message in mail.outbox] == [["ppid@kpu.test"]]
    assert "Unit penanggung jawab : (belum ditetapkan)" in mail.outbox[0].body

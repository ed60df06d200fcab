"""Regression tests for what the admin fuzz (tests/test_fuzz_admin_forms.py) found in the page forms.

Each posted a form the author or reviewer could send and got a server error, or a draft that saved
and then could not be shown (kpu_pages/admin_forms.py). Now each is refused in Indonesian with
nothing saved; the ordinary form still saves.
"""

from __future__ import annotations

import json

import pytest

from django.urls import reverse

from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kpu_pages.models import BeritaPage, PengumumanLampiran, PengumumanPage
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import current_step, login, news_form_data

pytestmark = pytest.mark.django_db

UNREADABLE = "tidak dapat dibaca: data dari formulir rusak atau tidak lengkap. Tidak ada yang disimpan."
OUT_OF_RANGE = "Tanggal harus antara 1 Januari 1900 dan 31 Desember 2100."


@pytest.fixture
def index(home_page):
    return factories.BeritaIndexPageFactory(parent=home_page)


@pytest.fixture
def draft(index, sop_users):
    page = factories.BeritaPageFactory(
        parent=index,
        title="Rapat pleno terbuka",
        slug="rapat-pleno",
        owner=sop_users[Role.PENGAMPU],
        live=False,
    )
    page.save_revision(user=sop_users[Role.PENGAMPU])
    return page


@pytest.fixture
def author(sop_users):
    client = login(sop_users[Role.PENGAMPU])
    client.raise_request_exception = False  # a crash must show as the 500 the author would get
    return client


def revisions(page) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def one_block(block_type: str, **fields) -> dict:
    """The body as one block of ``block_type``, posted the way the editor's script does."""
    data = {"body-count": "1", "body-0-type": block_type, "body-0-deleted": "", "body-0-order": "0"}
    data.update({f"body-0-value{'-' + key if key else ''}": value for key, value in fields.items()})
    return data


def assert_refused_unreadable(client, page, response, before: int) -> None:
    assert response.status_code == 302, response.status_code
    assert response.url == edit_url(page)
    shown = client.get(response.url).content.decode()
    assert UNREADABLE in shown
    assert revisions(page) == before, "a refused form must not save a revision"


# --- dates the database cannot store -----------------------------------------------------------------
@pytest.mark.parametrize("field", ["tanggal", "go_live_at"])
@pytest.mark.parametrize("value", ["01-01-0001 00:00", "31-12-9999 23:59", "31-12-1899 23:59"])
def test_a_date_out_of_range_is_refused_on_its_field_with_nothing_saved(author, draft, field, value):
    before = revisions(draft)
    response = author.post(edit_url(draft), news_form_data(draft, **{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert OUT_OF_RANGE in html
    assert "Halaman tidak dapat disimpan karena ada kesalahan validasi." in html
    assert revisions(draft) == before


def test_a_date_within_the_range_is_saved(author, draft):
    response = author.post(edit_url(draft), news_form_data(draft, tanggal="17-08-1945 10:00"))
    assert response.status_code == 302
    saved = BeritaPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert saved.tanggal.astimezone().strftime("%d-%m-%Y %H:%M") == "17-08-1945 10:00"


def test_a_snippet_date_is_bounded_too(admin_client):
    """The bound is on every admin model form's date fields, not only pages (here: Hari libur)."""
    response = admin_client.post(
        reverse("wagtailsnippets_sop_workflow_harilibur:add"),
        {"tanggal": "0001-01-01", "nama": "Libur uji", "jenis": "nasional"},
    )
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()


# --- StreamField data the editor's script never sends -------------------------------------------------
BROKEN_BODIES = {
    "no-count": {"body-0-type": "paragraph"},
    "count-not-a-number": {"body-count": "abc"},
    "count-beyond-the-blocks": {"body-count": "5"},
    "order-not-a-number": {**one_block("paragraph", **{"": rich_text("<p>x</p>")}), "body-0-order": "x"},
    "rich-text-not-json": one_block("paragraph", **{"": "{"}),
    "rich-text-a-list": one_block("paragraph", **{"": "[1, 2]"}),
    "rich-text-nested-too-deep": one_block("paragraph", **{"": "[" * 3000 + "]" * 3000}),
    "table-not-json": one_block("table", **{"": "{tidak"}),
    "table-a-list": one_block("table", **{"": "[1]"}),
    "image-id-not-a-number": one_block("image", image="abc", alt_text="Foto", caption="", credit=""),
    # PostgreSQL's jsonb refuses \u0000: these were a 500 there (and kept as they were on SQLite)
    "table-cell-with-nul": one_block("table", **{"": json.dumps({"data": [["a\u0000b"]]})}),
    "block-id-with-nul": {**one_block("quote", text="Kutipan", attribution=""), "body-0-id": "a\x00b"},
}


@pytest.mark.parametrize("body", BROKEN_BODIES.values(), ids=BROKEN_BODIES.keys())
def test_streamfield_data_the_editor_never_sends_is_refused_with_nothing_saved(author, draft, body):
    data = {key: value for key, value in news_form_data(draft).items() if not key.startswith("body-")}
    data.update(body)
    before = revisions(draft)
    assert_refused_unreadable(author, draft, author.post(edit_url(draft), data), before)


@pytest.mark.parametrize(
    "table",
    [
        {"data": 5},
        {"data": "abc", "first_row_is_table_header": True},
        {"data": [1, 2], "first_col_is_header": True},
        {"data": [["a"]], "cell": [{"className": "x"}]},
        {"data": [["a"]], "mergeCells": [{"row": 0, "col": 0}]},
    ],
    ids=["data-a-number", "data-text", "rows-not-lists", "cell-without-place", "merge-without-span"],
)
def test_a_table_that_is_not_rows_of_cells_is_refused_before_it_is_saved(author, draft, table):
    """Wagtail used to keep these drafts, which then failed to render (preview, and the public page)."""
    data = {key: value for key, value in news_form_data(draft).items() if not key.startswith("body-")}
    data.update(one_block("table", **{"": json.dumps(table)}))
    before = revisions(draft)
    assert_refused_unreadable(author, draft, author.post(edit_url(draft), data), before)


def test_a_table_as_the_editor_sends_it_is_saved_and_renders(author, draft):
    table = {
        "data": [["Kabupaten/kota", "Pemilih"], ["Kota Semarang", "1.200.000"], ["Kab. Demak", None]],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_header_choice": "row",
        "table_caption": "DPT per kabupaten/kota",
        "cell": [{"row": 0, "col": 0, "className": "htLeft"}],
        "mergeCells": [{"row": 1, "col": 0, "rowspan": 1, "colspan": 1}],
    }
    data = {key: value for key, value in news_form_data(draft).items() if not key.startswith("body-")}
    data.update(one_block("table", **{"": json.dumps(table)}))
    assert author.post(edit_url(draft), data).status_code == 302
    revision = Page.objects.get(pk=draft.pk).get_latest_revision()
    preview = author.get(reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, revision.pk]))
    assert preview.status_code == 200
    assert "Kota Semarang" in preview.content.decode()


# --- ids that are not ids -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "overrides",
    [{"feature_image": "abc"}, {"wilayah": "9" * 40}, {"feature_image": "9223372036854775808"}],
    ids=["chooser-id-text", "id-too-large-for-the-database", "chooser-id-too-large"],
)
def test_an_id_that_is_not_a_database_id_is_refused_with_nothing_saved(author, draft, overrides):
    before = revisions(draft)
    assert_refused_unreadable(
        author, draft, author.post(edit_url(draft), news_form_data(draft, **overrides)), before
    )


@pytest.mark.parametrize("row_id", ["abc", None], ids=["row-id-text", "row-id-missing"])
def test_an_inline_row_id_that_is_not_an_id_is_refused_with_nothing_saved(
    home_page, author, sop_users, row_id
):
    index = factories.PengumumanIndexPageFactory(parent=home_page)
    page = factories.PengumumanPageFactory(parent=index, owner=sop_users[Role.PENGAMPU], live=False)
    page.lampiran.add(PengumumanLampiran(document=factories.DocumentFactory(), judul="Formulir"))
    page.save()
    page.save_revision(user=sop_users[Role.PENGAMPU])
    page = PengumumanPage.objects.get(pk=page.pk)
    row = page.lampiran.get()
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "nomor_surat": page.nomor_surat,
            "tanggal": page.tanggal.isoformat(),
            "perihal": page.perihal,
            "jenis": page.jenis,
            "body": streamfield([]),
            "lampiran": {
                "TOTAL_FORMS": "1",
                "INITIAL_FORMS": "1",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
                "0": {
                    "id": row_id,
                    "document": row.document_id,
                    "judul": "Formulir",
                    "ORDER": "1",
                    "DELETE": "",
                },
            },
            "comments": {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            },
        }
    )
    if row_id is None:
        del data["lampiran-0-id"]
    before = revisions(page)
    assert_refused_unreadable(author, page, author.post(edit_url(page), data), before)


def test_a_new_page_with_unreadable_data_is_refused_and_not_created(author, index):
    data = {**news_form_data(factories.BeritaPageFactory.build(slug="konsep-baru")), "body-count": "abc"}
    url = reverse("wagtailadmin_pages:add", args=["kpu_pages", "beritapage", index.pk])
    pages = Page.objects.count()
    response = author.post(url, data)
    assert response.status_code == 302 and response.url == url
    assert UNREADABLE in author.get(url).content.decode()
    assert Page.objects.count() == pages


# --- a `next` that Wagtail would take for a URL name --------------------------------------------------
def test_a_bare_word_next_is_refused_before_the_decision_is_taken(draft, sop_users):
    from tests.sop_workflow.admin_helpers import submit

    assert submit(login(sop_users[Role.PENGAMPU]), Page.objects.get(pk=draft.pk)).status_code == 302
    reviewer = login(sop_users[Role.PENGELOLA])
    reviewer.raise_request_exception = False
    data = news_form_data(BeritaPage.objects.get(pk=draft.pk), title="Rapat pleno terbuka (koreksi)")
    data.update(
        {
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": "Sesuai."}),
            "next": "kata",
        }
    )
    before = revisions(draft)
    response = reviewer.post(edit_url(draft), data)
    assert response.status_code == 302 and response.url == edit_url(draft)
    assert "Alamat tujuan sesudah menyimpan" in reviewer.get(response.url).content.decode()
    assert current_step(draft) == "terima", "the step must not have been decided"
    assert revisions(draft) == before

    data["next"] = reverse("wagtailadmin_home")  # what Wagtail's own links carry: accepted
    assert reviewer.post(edit_url(draft), data).url == reverse("wagtailadmin_home")
    assert current_step(draft) == "validasi"


def test_an_ordinary_edit_still_saves(author, draft):
    before = revisions(draft)
    response = author.post(edit_url(draft), news_form_data(draft, title="Rapat pleno terbuka (revisi)"))
    assert response.status_code == 302
    assert revisions(draft) == before + 1
    assert (
        Page.objects.get(pk=draft.pk).get_latest_revision_as_object().title == "Rapat pleno terbuka (revisi)"
    )

"""Property-based fuzzing of the admin forms the SOP's roles use: never a 5xx, never a half-saved object.

Each form is posted by the person who would use it (the author, the reviewer at the step, Kabag HTH)
with hostile values. A refused POST changes nothing; an accepted one leaves the object whole and the
text posted is the text kept. Examples are derandomised and bounded (docs/security.md, "Fuzzing");
what the fuzz found has regression tests in ``tests/kpu_pages/test_admin_forms.py``.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, TaskState, UploadedFile, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from kpu_pages import models
from kpu_pages.kinds import KINDS
from sop_workflow.admin import run_end
from sop_workflow.models import ArsipPersetujuan, SOPTaskState
from sop_workflow.sop import Role
from tests import factories
from tests.sop_workflow.admin_helpers import login
from tests.test_uploads import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()

#: CI's second run (PostgreSQL) sets FUZZ_EXAMPLES_SCALE=0.25: the forms' validation is the same on
#: either database, and the first run (SQLite) tries every example.
SCALE = float(os.environ.get("FUZZ_EXAMPLES_SCALE", "1"))


def examples(count: int) -> int:
    return max(5, round(count * SCALE))


FUZZ = settings(
    max_examples=examples(40),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# --- hostile values ------------------------------------------------------------------------------
# Very long strings, RTL and zero-width marks, emoji, NUL, lone surrogates and invalid UTF-8 (sent as
# the bytes a client could send), HTML and JavaScript, numbers where text is expected and text where
# numbers are, dates out of range, malformed StreamField data, formset management fields, missing,
# extra and repeated fields, and multipart fields over Django's size limit.
UNICODE = [
    "\u202eطبع\u202c",  # right-to-left override
    "\u200b",  # zero-width space
    "\u200d\u200c\u2060",  # zero-width joiners
    "\ufeff",  # byte order mark
    "\x00",
    "a\x00b",
    "\ud800",  # lone surrogates: sent as the bytes a client could send
    "\udfff",
    "\U0010ffff",
    "👍🏽🇮🇩👨‍👩‍👧",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "\r\n\r\n",
    "\t\x0b\x0c",
    "   ",
    "",
]
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "{{ request.user.password }}",
    "{% debug %}",
    "<!--",
    "]]><![CDATA[",
    "&#0;&lt;",
    "' OR '1'='1",
    "%00%ff",
    "../../../../etc/passwd",
    '=HYPERLINK("http://x")',
]
NUMBERS = [
    "0",
    "-1",
    "-9223372036854775809",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 40,
    "1e309",
    "NaN",
    "-0",
    "0x10",
    "1.5",
    "٣",  # Arabic-Indic digit
    "²",
    "1_000",
]
DATES = [
    "2026-13-40",
    "2026-02-30",
    "30-02-2026",
    "0001-01-01",
    "01-01-0001",
    "01-01-0001 00:00",
    "01-01-0001 06:59",
    "31-12-9999 23:59",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "2101-01-01",
    "24-08-2026 24:00",
    "2026-08-24T25:61",
    "17-08-1945 10:00",
]
JSON_SHAPES = [
    "{",
    "[" * 3000 + "]" * 3000,
    "null",
    "[]",
    '"teks"',
    "1e999",
    '{"blocks": 5, "entityMap": []}',
    '{"blocks": [{"text": 5, "type": null}], "entityMap": {}}',
    '{"blocks": [{"key": "a", "text": "x", "type": "unstyled", "depth": 0, '
    '"inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 1, "key": 9}]}], "entityMap": {}}',
    '{"data": [[1]], "first_row_is_table_header": "ya"}',
    '{"data": "x"}',
    '{"comment": "ok", "comment": 1}',
]
EXTRA_KEYS = [
    "owner",
    "live",
    "locked",
    "locked_by",
    "latest_revision",
    "live_revision",
    "content_type",
    "path",
    "depth",
    "id",
    "pk",
    "has_unpublished_changes",
    "first_published_at",
    "go_live_at",
    "expire_at",
    "locale",
    "translation_key",
    "alias_of",
    "url_path",
    "draft_title",
    "cover_image",
    "teks_pencarian",
    "tables-0-data",
    "sop_bypass_reason",
    "workflow-action-name",
    "action-workflow-action",
    "next",
]

any_char = st.characters(exclude_categories=())  # every code point, lone surrogates included
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(any_char, max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
texts = st.one_of(
    st.text(any_char, max_size=40),
    st.lists(st.sampled_from(UNICODE + MARKUP), min_size=1, max_size=4).map("".join),
    st.tuples(st.sampled_from(["a", "ى", "👍", "\u202e", "<b>"]), st.integers(200, 5000)).map(
        lambda t: t[0] * t[1]
    ),
    st.just("x" * 100_000),
)
values = st.one_of(
    texts,
    st.sampled_from(UNICODE + MARKUP + NUMBERS + DATES + JSON_SHAPES),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    json_values.map(json.dumps),
    st.binary(max_size=40),  # invalid UTF-8, as a client may send it
)


def as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def as_received(value: str | bytes) -> str:
    """What Django reads from the bytes a client sent for ``value`` (invalid UTF-8 replaced)."""
    return as_bytes(value).decode("utf-8", "replace")


def urlencoded(pairs: list[tuple[str, str | bytes]]) -> bytes:
    return "&".join(
        f"{quote_from_bytes(as_bytes(key), safe='')}={quote_from_bytes(as_bytes(value), safe='')}"
        for key, value in pairs
    ).encode("ascii")


def post_form(client, url: str, pairs):
    """A form as a browser (or a forger) posts it: urlencoded bytes, repeated keys kept."""
    return client.post(url, urlencoded(pairs), content_type="application/x-www-form-urlencoded")


def contentstate(text: str) -> str:
    """Draftail's JSON for one paragraph of ``text``, as the rich-text editor posts it."""
    block = {
        "key": "a1b2c",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


cells = st.one_of(st.none(), texts.map(as_received), st.sampled_from(NUMBERS), json_values)
#: tables the table editor never posts, each of which Wagtail used to keep and then fail to render
TABLE_SHAPES = [
    {"data": 5},
    {"data": "abc", "first_row_is_table_header": True},
    {"data": [1, 2], "first_col_is_header": True},
    {"data": {"": None}, "first_row_is_table_header": True},
    {"data": [["a"]], "cell": [{"className": "x"}]},
    {"data": [["a"]], "mergeCells": [{"row": 0, "col": 0}]},
    {"data": [["a"]], "table_caption": ["b"]},
    {"data": [["a\u0000b"]]},  # PostgreSQL's jsonb refuses \u0000
]
#: what the table editor posts, bent out of shape: rows of odd cells, or not rows at all
table_values = st.one_of(
    st.sampled_from(TABLE_SHAPES),
    st.fixed_dictionaries(
        {"data": st.lists(st.lists(cells, max_size=3), max_size=3)},
        optional={
            "first_row_is_table_header": json_values,
            "first_col_is_header": json_values,
            "table_header_choice": st.sampled_from(["row", "column", "both", "neither", "", "x"]),
            "table_caption": st.one_of(texts.map(as_received), json_values),
            "cell": json_values,
            "mergeCells": st.lists(
                st.dictionaries(st.sampled_from(["row", "col", "rowspan", "colspan"]), json_values),
                max_size=2,
            ),
        },
    ),
    st.fixed_dictionaries(
        {
            "data": st.one_of(
                json_values, st.lists(st.one_of(cells, st.text(max_size=3)), min_size=1, max_size=3)
            )
        },
        optional={"first_row_is_table_header": st.booleans(), "first_col_is_header": st.booleans()},
    ),
    st.dictionaries(st.sampled_from(["data", "first_row_is_table_header", "cell"]), json_values, max_size=3),
).map(json.dumps)
#: what Draftail posts, with hostile text, or JSON of another shape
rich_text_values = st.one_of(
    texts.map(lambda text: contentstate(as_received(text))),
    st.dictionaries(st.sampled_from(["blocks", "entityMap"]), json_values, max_size=2).map(json.dumps),
)


def stream_layout(model) -> dict:
    """Each StreamField of ``model`` and its stream block."""
    from wagtail.fields import StreamField

    return {
        field.name: field.stream_block for field in model._meta.get_fields() if isinstance(field, StreamField)
    }


def block_pairs(draw, block, prefix: str, ids: dict) -> list[tuple[str, str]]:
    """The form fields of one block's value: mostly well formed, with hostile content; sometimes not."""
    from wagtail import blocks
    from wagtail.contrib.table_block.blocks import TableBlock

    if isinstance(block, blocks.StructBlock):
        return [
            pair
            for name, child in block.child_blocks.items()
            for pair in block_pairs(draw, child, f"{prefix}-{name}", ids)
        ]
    if isinstance(block, blocks.ChooserBlock):
        chosen = str(next(pk for model, pk in ids.items() if issubclass(block.model_class, model)))
        return [(prefix, draw(st.one_of(st.just(chosen), st.just(chosen), st.just(""), values)))]
    if isinstance(block, blocks.RichTextBlock):
        return [(prefix, draw(st.one_of(rich_text_values, rich_text_values, values)))]
    if isinstance(block, TableBlock):
        return [(prefix, draw(st.one_of(table_values, table_values, values)))]
    return [(prefix, draw(st.one_of(texts, values)))]


@st.composite
def stream_rewrites(draw, layout: dict, ids: dict):
    """A StreamField posted again with one to three blocks of any of its types (or none of them)."""
    name = draw(st.sampled_from(sorted(layout)))
    types = layout[name].child_blocks
    chosen = draw(st.lists(st.sampled_from([*types, *types, "x"]), min_size=1, max_size=3))
    count = st.just(str(len(chosen)))
    pairs = [(f"{name}-count", draw(st.one_of(count, count, count, st.sampled_from(NUMBERS))))]
    for n, block_type in enumerate(chosen):
        prefix = f"{name}-{n}"
        pairs += [(f"{prefix}-type", block_type), (f"{prefix}-deleted", ""), (f"{prefix}-order", str(n))]
        pairs.append((f"{prefix}-id", draw(st.one_of(st.uuids().map(str), st.uuids().map(str), values))))
        if block_type in types:
            pairs += block_pairs(draw, types[block_type], f"{prefix}-value", ids)
        else:
            pairs.append((f"{prefix}-value", draw(values)))
    return ("stream", name, pairs)


@st.composite
def mutations(draw, keys: list[str], layout=None, ids=None):
    """One to four changes to a form: a field set to a hostile value, dropped, or added (again), or a
    StreamField posted again with hostile blocks."""
    key = st.one_of(st.sampled_from(keys), st.sampled_from(EXTRA_KEYS), st.text(any_char, max_size=12))
    operations = [
        st.tuples(st.just("set"), st.sampled_from(keys), values),
        st.tuples(st.just("drop"), st.sampled_from(keys), st.just("")),
        st.tuples(st.just("add"), key, values),
    ]
    if layout:
        operations += [stream_rewrites(layout, ids), stream_rewrites(layout, ids)]
    return draw(st.lists(st.one_of(operations), min_size=1, max_size=4))


def mutate(pairs, operations) -> tuple[list, dict]:
    """Apply ``operations``; returns the pairs and, per key, the value Django will read (the last one)."""
    pairs = list(pairs)
    for operation, key, value in operations:
        if operation == "set":
            pairs = [(k, v) for k, v in pairs if k != key] + [(key, value)]
        elif operation == "drop":
            pairs = [(k, v) for k, v in pairs if k != key]
        elif operation == "stream":
            pairs = [(k, v) for k, v in pairs if not k.startswith(f"{key}-")] + value
        else:
            pairs.append((key, value))
    last = {}
    for key, value in pairs:
        last[as_received(key)] = as_received(value)
    return pairs, last


# --- the site: an index and a concept of every kind, owned by the author ------------------------
INDEX_FACTORIES = {
    "berita": factories.BeritaIndexPageFactory,
    "liputan-kegiatan": factories.LiputanKegiatanIndexPageFactory,
    "artikel": factories.ArtikelIndexPageFactory,
    "pengumuman": factories.PengumumanIndexPageFactory,
    "regulasi": factories.RegulasiIndexPageFactory,
    "data": factories.DataIndexPageFactory,
    "dokumentasi": factories.DokumentasiIndexPageFactory,
    "bahan-sosialisasi": factories.BahanSosialisasiIndexPageFactory,
}
#: plain text fields per kind whose accepted value must be kept as posted (stripped)
TEXT_FIELDS = {
    "berita": ["title", "kota", "lead", "feature_image_alt", "seo_title", "search_description"],
    "liputan-kegiatan": ["title", "kota", "lead", "tempat_kegiatan"],
    "artikel": ["title", "kota", "lead", "penulis", "bio_penulis"],
    "pengumuman": ["title", "nomor_surat", "perihal"],
    "regulasi": ["title", "judul_lengkap", "nomor", "abstrak", "subjek", "sumber", "penandatangan"],
    "data": ["title", "basis", "description"],
    "dokumentasi": ["title", "tempat", "deskripsi"],
    "bahan-sosialisasi": ["title", "deskripsi"],
}
KIND_KEYS = list(INDEX_FACTORIES)
GOOD_CSV = "Wilayah,Jumlah\nKota Semarang,1200\nKota Tegal,300\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def stored_files() -> set[str]:
    from django.conf import settings

    found = set()
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(root, name) for name in files)
    return found


@pytest.fixture
def site(home_page, sop_users):
    """Every kind's index, the files concepts use, and a counter for unique slugs."""
    pdf = factories.DocumentFactory(
        title="Salinan resmi",
        file=SimpleUploadedFile("salinan.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    return {
        "indexes": {key: make(parent=home_page) for key, make in INDEX_FACTORIES.items()},
        "pdf": pdf,
        "csv": factories.data_document(GOOD_CSV, "dpt.csv"),
        "image": factories.ImageFactory(title="Foto rapat pleno"),
        "author": sop_users[Role.PENGAMPU],
        "serial": iter(range(1, 10**6)),
    }


def chosen_ids(site) -> dict:
    """What a chooser may point at, by model: the site's image, its PDF, its home page."""
    return {
        Image: site["image"].pk,
        Document: site["pdf"].pk,
        Page: site["indexes"]["berita"].get_parent().pk,
    }


def make_concept(site, kind: str):
    """A draft of ``kind`` owned by the author, never published, with the author's revision."""
    author, n = site["author"], next(site["serial"])
    options = {"parent": site["indexes"][kind], "owner": author, "live": False, "slug": f"konsep-{kind}-{n}"}
    if kind == "regulasi":
        options["dokumen"] = site["pdf"]
    elif kind == "data":
        options["tables"] = [factories.data_table("DPT per kabupaten/kota", site["csv"])]
    elif kind == "dokumentasi":
        options["galeri"] = factories.gallery_photos([site["image"]])
    page = PAGE_FACTORIES[kind](**options)
    if kind == "pengumuman":
        page.lampiran = [models.PengumumanLampiran(document=site["pdf"], judul="Formulir pendaftaran")]
        page.save()
    elif kind == "bahan-sosialisasi":
        page.berkas = [
            models.BahanSosialisasiBerkas(
                judul="Poster A3", dokumen=site["pdf"], teks_alternatif="Ajakan ke TPS."
            )
        ]
        page.save()
    page.save_revision(user=author)
    return Page.objects.get(pk=page.pk).specific


PAGE_FACTORIES = {
    "berita": factories.BeritaPageFactory,
    "liputan-kegiatan": factories.LiputanKegiatanPageFactory,
    "artikel": factories.ArtikelPageFactory,
    "pengumuman": factories.PengumumanPageFactory,
    "regulasi": factories.RegulasiPageFactory,
    "data": factories.DataPageFactory,
    "dokumentasi": factories.DokumentasiPageFactory,
    "bahan-sosialisasi": factories.BahanSosialisasiPageFactory,
}


def unsaved_concept(site, kind: str):
    """What the author fills in on the add form of ``kind``: the factory's values, a row where the kind
    has rows (a Data page needs one table)."""
    page = PAGE_FACTORIES[kind].build(slug=f"baru-{kind}-{next(site['serial'])}")
    if kind == "pengumuman":
        page.lampiran = [models.PengumumanLampiran(document=site["pdf"], judul="Formulir")]
    elif kind == "regulasi":
        page.dokumen = site["pdf"]
    elif kind == "data":
        page.tables = [models.DataTable(title="DPT", document=site["csv"])]
    elif kind == "bahan-sosialisasi":
        page.berkas = [
            models.BahanSosialisasiBerkas(judul="Poster", dokumen=site["pdf"], teks_alternatif="Ajakan.")
        ]
    return page


def rows(items, existing: bool, **options):
    """An inline formset's rows; on an add form they carry no id."""
    return inline_formset(
        [item if existing else {k: v for k, v in item.items() if k != "id"} for item in items], **options
    )


def form_pairs(kind: str, page, site, existing: bool = True) -> list[tuple[str, str]]:
    """The editor's form of ``page`` (its latest revision) as the browser posts it."""
    page = page.get_latest_revision_as_object() if existing else page
    data = {
        "title": page.title,
        "slug": page.slug,
        "seo_title": page.seo_title,
        "search_description": page.search_description,
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    multiple = {}
    if kind not in ("regulasi", "data"):  # the kinds tagged with Wilayah and Pemilu
        multiple["wilayah"] = [str(item.pk) for item in page.wilayah.all()] if existing else []
        multiple["pemilu"] = [str(item.pk) for item in page.pemilu.all()] if existing else []
    if kind in ("berita", "liputan-kegiatan", "artikel"):
        data.update(
            tanggal=page.tanggal.astimezone().strftime("%d-%m-%Y %H:%M"),
            kota=page.kota,
            lead=page.lead,
            feature_image=str(site["image"].pk),
            feature_image_alt=page.feature_image_alt or "Peserta rapat pleno",
            body=streamfield([("paragraph", rich_text("<p>Isi konsep.</p>"))]),
            related_pages=streamfield([]),
            tags="pleno, DPT",
        )
        if kind == "artikel":
            data.update(penulis=page.penulis, bio_penulis=page.bio_penulis)
        if kind == "liputan-kegiatan":
            data.update(
                tanggal_kegiatan=page.tanggal_kegiatan.strftime("%d-%m-%Y"),
                tempat_kegiatan=page.tempat_kegiatan,
            )
    elif kind == "pengumuman":
        lampiran = [
            {"id": row.pk, "document": row.document_id, "judul": row.judul} for row in page.lampiran.all()
        ]
        data.update(
            nomor_surat=page.nomor_surat,
            tanggal=page.tanggal.isoformat(),
            perihal=page.perihal,
            jenis=page.jenis,
            berlaku_sampai="",
            body=streamfield([("paragraph", rich_text("<p>Isi pengumuman.</p>"))]),
            lampiran=rows(lampiran, existing, initial=len(lampiran) if existing else 0),
        )
    elif kind == "regulasi":
        data.update(
            judul_lengkap=page.judul_lengkap,
            tipe_dokumen=page.tipe_dokumen,
            jenis=page.jenis,
            singkatan_jenis=page.singkatan_jenis,
            nomor=page.nomor,
            tahun=str(page.tahun),
            status=page.status,
            tempat_penetapan=page.tempat_penetapan,
            tanggal_penetapan=page.tanggal_penetapan.isoformat(),
            tanggal_pengundangan="",
            sumber=page.sumber,
            abstrak=page.abstrak,
            dokumen=str(page.dokumen_id or site["pdf"].pk),
            lampiran=streamfield([("lampiran", {"judul": "Lampiran I", "dokumen": site["pdf"].pk})]),
            teu_badan=page.teu_badan,
            subjek=page.subjek,
            bidang_hukum=page.bidang_hukum,
            pemrakarsa=page.pemrakarsa,
            penandatangan=page.penandatangan,
            bahasa=page.bahasa,
            lokasi=page.lokasi,
            relasi=inline_formset([]),
        )
    elif kind == "data":
        tables = [{"id": t.pk, "title": t.title, "document": t.document_id} for t in page.tables.all()]
        data.update(
            as_of=page.as_of.isoformat(),
            level=page.level,
            basis=page.basis,
            description=page.description,
            tables=rows(tables, existing, initial=len(tables) if existing else 0, min=1, max=10),
        )
    elif kind == "dokumentasi":
        data.update(
            tanggal_kegiatan=page.tanggal_kegiatan.isoformat(),
            tempat=page.tempat,
            deskripsi=page.deskripsi,
            galeri=streamfield(factories.gallery_photos([site["image"].pk])),
        )
    else:
        berkas = [
            {
                "id": b.pk,
                "judul": b.judul,
                "gambar": b.gambar_id or "",
                "dokumen": b.dokumen_id or "",
                "teks_alternatif": b.teks_alternatif,
            }
            for b in page.berkas.all()
        ]
        multiple["sasaran"] = list(page.sasaran) or ["umum"]
        data.update(
            jenis_bahan=page.jenis_bahan,
            deskripsi=page.deskripsi,
            berkas=rows(berkas, existing, initial=len(berkas) if existing else 0),
            video=streamfield([]),
        )
    pairs = [(key, "" if value is None else str(value)) for key, value in nested_form_data(data).items()]
    pairs += [(key, value) for key, choices in multiple.items() for value in choices]
    return pairs


# --- what must hold before and after ---------------------------------------------------------------
# Never a 5xx. A refused POST changes nothing: no new page, revision, document, image, workflow or
# task state, no file left in storage, and the concept's latest revision is the one it had. An
# accepted POST leaves the object whole: the revision loads, the editor opens it again and its preview
# renders, the text posted is the text kept, the fields a form does not offer (owner, live, path,
# lock, the workflow) are as they were, a submission starts the kind's chain, and a decision records
# who decided, with which comment and on which revision, and moves the run on.
def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "documents": Document.objects.count(),
        "images": Image.objects.count(),
        "workflow_states": WorkflowState.objects.count(),
        "task_states": TaskState.objects.count(),
        "archive": ArsipPersetujuan.objects.count(),
        "staged_uploads": UploadedFile.objects.count(),
    }


def page_row(pk: int) -> dict:
    return (
        Page.objects.filter(pk=pk)
        .values(
            "title",
            "draft_title",
            "slug",
            "live",
            "owner_id",
            "path",
            "depth",
            "locked",
            "locked_by_id",
            "latest_revision_id",
            "live_revision_id",
            "has_unpublished_changes",
            "content_type_id",
            "url_path",
            "go_live_at",
            "expire_at",
        )
        .get()
    )


def task_states_of(page) -> list[tuple]:
    return list(
        SOPTaskState.objects.filter(workflow_state__object_id=str(page.pk))
        .order_by("pk")
        .values_list("pk", "status", "comment", "finished_by_id", "judged_revision_id")
    )


def assert_opens_again(client, page_id: int, revision) -> None:
    """The editor opens the saved draft, and the draft renders as the public would see it (preview)."""
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page_id])).status_code == 200
    preview = client.get(reverse("wagtailadmin_pages:revisions_view", args=[page_id, revision.pk]))
    assert preview.status_code == 200, preview.status_code


def assert_refused_page_form(response) -> None:
    """A refused page form: shown again with the reason, in Indonesian; or turned away."""
    assert response.status_code in (200, 302, 400, 403, 404), response.status_code
    if response.status_code == 200:
        html = response.content.decode()
        assert "error-message" in html or "help-critical" in html or "w-field--error" in html, "no message"
        assert "could not be" not in html, "the refusal is in English"


# --- 1. the author edits a concept of every kind --------------------------------------------------
EDIT_ACTIONS = [
    None,
    None,
    None,
    "action-submit",
    "action-publish",
    "action-cancel-workflow",
    "action-workflow-action",
    "action-lock",
]


def concept(site, kind: str):
    """The kind's concept every example of a test edits (made on first use)."""
    concepts = site.setdefault("concepts", {})
    if kind not in concepts:
        concepts[kind] = make_concept(site, kind)
    return concepts[kind]


def edit_and_check(site, kind: str, operations, action: str | None) -> None:
    """The author posts the concept's form changed by ``operations``: saved whole, or nothing saved."""
    author = login(site["author"])
    author.raise_request_exception = False
    page = concept(site, kind)
    pairs, sent = mutate(form_pairs(kind, page, site), operations)
    if action:
        pairs.append((action, "1"))
    before, row = counts(), page_row(page.pk)

    response = post_form(author, reverse("wagtailadmin_pages:edit", args=[page.pk]), pairs)

    assert response.status_code < 500, response.status_code
    after = page_row(page.pk)
    event(f"{response.status_code}, {counts()['revisions'] - before['revisions']} revision(s)")
    if counts()["revisions"] == before["revisions"]:
        assert_refused_page_form(response)
        assert counts() == before, "a refused edit left rows behind"
        assert after == row, "a refused edit changed the page"
        return
    # Accepted: one revision by the author, the page's latest; nothing a form does not offer changed.
    assert response.status_code == 302, response.status_code
    revision = Page.objects.get(pk=page.pk).get_latest_revision()
    assert revision.pk == after["latest_revision_id"] and revision.user_id == site["author"].pk
    submitted = action == "action-submit"
    expected = {**before, "revisions": before["revisions"] + 1}
    if submitted:
        expected["workflow_states"] += 1
        expected["task_states"] += 1
    assert counts() == expected
    for key in ("live", "owner_id", "path", "depth", "locked", "live_revision_id", "content_type_id"):
        assert after[key] == row[key], key
    draft = revision.as_object()
    assert draft.pk == page.pk and type(draft) is type(page)
    for name in TEXT_FIELDS[kind]:
        if name in sent:
            assert getattr(draft, name) == sent[name].strip(), name
    if kind == "data":
        assert all(table.data.get("rows") for table in draft.tables.all() if table.document_id)
    assert_opens_again(author, page.pk, revision)
    state = Page.objects.get(pk=page.pk).current_workflow_state
    if submitted:
        assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.current_task_state.task.specific.step_key == "terima"
        # The author withdraws (with a reason) so the next example edits a draft again.
        run_end.end_run(page, state, run_end.WITHDRAW, site["author"], "Ditarik untuk uji berikutnya.")
    else:
        assert state is None


@settings(FUZZ, max_examples=examples(100))
@given(kind=st.sampled_from(KIND_KEYS), action=st.sampled_from(EDIT_ACTIONS), data=st.data())
def test_the_authors_edit_of_any_kind_is_saved_whole_or_refused_with_nothing_saved(site, kind, action, data):
    pairs = form_pairs(kind, concept(site, kind), site)
    operations = data.draw(
        mutations([key for key, _ in pairs], stream_layout(KINDS[kind].model), chosen_ids(site))
    )
    edit_and_check(site, kind, operations, action)


STREAM_KINDS = [key for key in KIND_KEYS if stream_layout(KINDS[key].model)]


@settings(FUZZ, max_examples=examples(80))
@given(
    kind=st.sampled_from(STREAM_KINDS), action=st.sampled_from([None, None, "action-submit"]), data=st.data()
)
def test_any_streamfield_content_is_saved_renderable_or_refused_with_nothing_saved(site, kind, action, data):
    """Every block type of every StreamField, with values Draftail and the table editor never send."""
    layout = stream_layout(KINDS[kind].model)
    operations = data.draw(st.lists(stream_rewrites(layout, chosen_ids(site)), min_size=1, max_size=2))
    edit_and_check(site, kind, operations, action)


# --- 2. the author adds a concept of every kind -----------------------------------------------------
@settings(FUZZ, max_examples=examples(64))
@given(kind=st.sampled_from(KIND_KEYS), submit=st.booleans(), data=st.data())
def test_a_new_concept_of_any_kind_is_created_whole_or_not_at_all(site, kind, submit, data):
    author = login(site["author"])
    author.raise_request_exception = False
    index = site["indexes"][kind]
    model = KINDS[kind].model
    pairs = form_pairs(kind, unsaved_concept(site, kind), site, existing=False)
    pairs, sent = mutate(
        pairs, data.draw(mutations([key for key, _ in pairs], stream_layout(model), chosen_ids(site)))
    )
    if submit:
        pairs.append(("action-submit", "1"))
    before = counts()
    children = set(Page.objects.child_of(index).values_list("pk", flat=True))

    url = reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, index.pk])
    response = post_form(author, url, pairs)

    assert response.status_code < 500, response.status_code
    event(f"{response.status_code} {counts()['pages'] - before['pages']}")
    if counts()["pages"] == before["pages"]:
        assert_refused_page_form(response)
        assert counts() == before, "a refused add left rows behind"
        return
    new = Page.objects.child_of(index).exclude(pk__in=children)
    assert new.count() == 1, "one add, one page"
    page = new.get().specific
    assert type(page) is model and page.owner_id == site["author"].pk and not page.live
    revision = page.get_latest_revision()
    assert revision is not None and revision.user_id == site["author"].pk
    expected = {**before, "pages": before["pages"] + 1, "revisions": before["revisions"] + 1}
    if submit:
        expected["workflow_states"] += 1
        expected["task_states"] += 1
    assert counts() == expected
    draft = revision.as_object()
    for name in TEXT_FIELDS[kind]:
        if name in sent:
            assert getattr(draft, name) == sent[name].strip(), name
    assert_opens_again(author, page.pk, revision)
    state = page.current_workflow_state
    assert (state is not None) == submit
    if submit:
        assert state.current_task_state.task.specific.step_key == "terima"


# --- 3. the author uploads documents and images -----------------------------------------------------
FILES = {
    "pdf": ("pengumuman.pdf", pdf_bytes),
    "png": ("foto.png", png_bytes),
    "empty": ("kosong.pdf", lambda: b""),
    "html": ("halaman.pdf", lambda: b"<html><script>alert(1)</script></html>"),
    "truncated-png": ("rusak.png", lambda: png_bytes()[:60]),
    "csv-nul": ("data.csv", lambda: b"a,b\x00\n"),
}
UPLOADS = {
    "document": ("wagtaildocs:add", "", "title"),
    "document-multiple": ("wagtaildocs:add_multiple", "", None),
    "document-chooser": ("wagtaildocs_chooser:create", "document-chooser-upload-", "title"),
    "image": ("wagtailimages:add", "", "title"),
    "image-multiple": ("wagtailimages:add_multiple", "", None),
    "image-chooser": ("wagtailimages_chooser:create", "image-chooser-upload-", "title"),
}
file_names = st.one_of(
    st.sampled_from(["pengumuman.pdf", "foto.png", ".pdf", "a" * 3000 + ".pdf", "../../x.pdf", "foto.PNG"]),
    st.tuples(st.text(any_char, max_size=30), st.sampled_from([".pdf", ".png", ".jpg", ".csv", ""])).map(
        "".join
    ),
)


@settings(FUZZ, max_examples=examples(60))
@given(
    endpoint=st.sampled_from(list(UPLOADS)),
    content=st.sampled_from(list(FILES)),
    name=st.one_of(st.none(), file_names),
    fields=st.lists(
        st.tuples(
            st.sampled_from(["title", "tags", "collection", "focal_point_x", "focal_point_width", "x"]),
            values,
        ),
        max_size=3,
    ),
    oversized=st.booleans(),
)
def test_an_upload_is_stored_whole_or_refused_with_nothing_kept(
    site, endpoint, content, name, fields, oversized
):
    author = login(site["author"])
    author.raise_request_exception = False
    url_name, prefix, title_field = UPLOADS[endpoint]
    default_name, make = FILES[content]
    upload = SimpleUploadedFile(name or default_name, make())
    data = {f"{prefix}title": "Lampiran uji", f"{prefix}collection": str(Collection.get_first_root_node().pk)}
    for key, value in fields:
        data[f"{prefix}{key}"] = as_received(value).replace("\x00", "\ufffd") if key != "x" else "1"
    if oversized:
        data[f"{prefix}title"] = "judul " * 500_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE
    data[f"{prefix}file" if title_field else "files[]"] = upload
    before, files_before = counts(), stored_files()

    response = author.post(reverse(url_name), data)

    assert response.status_code < 500, response.status_code
    model = Document if endpoint.startswith("document") else Image
    payload = response.json() if response["Content-Type"].startswith("application/json") else {}
    event(f"{endpoint} {response.status_code}, {'+' if counts() != before else 'nothing'} kept")
    if counts() == {**before, "staged_uploads": before["staged_uploads"] + 1}:
        # The multiple uploader keeps a file whose content passed but whose details did not (Wagtail's
        # UploadedFile) until the author completes the details: kept whole, and only that file.
        staged = UploadedFile.objects.get(pk=payload["uploaded_file_id"])
        assert staged.uploaded_by_user_id == site["author"].pk
        assert stored_files() - files_before == {staged.file.path}
        assert os.path.getsize(staged.file.path) == len(make()) > 0
        return
    if counts() == before:
        assert stored_files() == files_before, "a refused upload left its file in storage"
        if payload:
            assert payload.get("success") is False or payload.get("step") == "reshow_creation_form", payload
        return
    assert counts() == {**before, f"{model._meta.model_name}s": before[f"{model._meta.model_name}s"] + 1}
    item = model.objects.order_by("-pk").first()
    assert item.uploaded_by_user_id == site["author"].pk
    assert os.path.exists(item.file.path) and os.path.getsize(item.file.path) == len(make()) > 0
    # the file itself, and for an image maybe the uploader's thumbnail (a rendition, under images/)
    added = {path for path in stored_files() - files_before if os.sep + "images" + os.sep not in path}
    assert added == {item.file.path}
    if title_field and "title" not in dict(fields) and not oversized:
        assert item.title == "Lampiran uji"
    elif title_field and "title" in dict(fields):
        assert item.title == data[f"{prefix}title"].strip()
    if model is Image:
        assert item.width > 0 and item.height > 0
    else:
        assert item.file_size == len(make()) and item.file_hash


@pytest.mark.parametrize("endpoint", ["image", "image-multiple", "image-chooser"])
def test_a_truncated_image_is_refused_with_a_message(site, endpoint):
    """A PNG cut off after its header: Wagtail's ``WagtailImageField.check_image_pixel_size`` opens it
    with Willow, Pillow raises ``OSError: image file is truncated`` and the upload answers 500."""
    author = login(site["author"])
    author.raise_request_exception = False
    url_name, prefix, title_field = UPLOADS[endpoint]
    data = {
        f"{prefix}title": "Foto rapat",
        f"{prefix}collection": str(Collection.get_first_root_node().pk),
        f"{prefix}file" if title_field else "files[]": SimpleUploadedFile("rusak.png", png_bytes()[:60]),
    }
    response = author.post(reverse(url_name), data)
    assert response.status_code < 500
    assert not Image.objects.filter(title="Foto rapat").exists()


# --- 4. the reviewer at the step decides ---------------------------------------------------------------
CHAINS = {
    "short": ["terima", "validasi", "tekmas", "kabag", "unggah"],
    "long": ["terima", "validasi", "tekmas", "kabag", "sekretaris", "komisioner", "unggah"],
}
ROLE_OF = {
    "terima": Role.PENGELOLA,
    "validasi": Role.WEB_ADMIN,
    "tekmas": Role.TEKMAS,
    "kabag": Role.KABAG_HTH,
    "sekretaris": Role.SEKRETARIS,
    "komisioner": Role.KOMISIONER,
    "unggah": Role.WEB_ADMIN,
}
#: what a reviewer writes on an ordinary day
plain_notes = st.sampled_from(
    ["Sudah sesuai SOP.", "Judulnya kurang jelas, mohon diperbaiki.", "  Lanjut.  ", ""]
)
#: what Wagtail's dialog sends (its form's cleaned data), twice as likely as the rest
dialog_data = st.one_of(plain_notes, texts).map(lambda text: json.dumps({"comment": as_received(text)}))
extra_data = st.one_of(
    dialog_data,
    dialog_data,
    st.dictionaries(
        st.sampled_from(["comment", "update", "user", "publish", "task_state"]), json_values, max_size=3
    ).map(json.dumps),
    st.sampled_from(JSON_SHAPES),
    st.binary(max_size=20),
)


def start_run(site, sop_users, kind: str, steps: int):
    """A concept of ``kind`` submitted by its author and approved ``steps`` steps along its chain."""
    page = make_concept(site, kind)
    page.get_workflow().start(page, site["author"])
    for _ in range(steps):
        state = Page.objects.get(pk=page.pk).current_workflow_task_state.specific
        task = state.task.specific
        if task.publishes:
            break
        task.on_action(state, sop_users[ROLE_OF[task.step_key]], "approve", comment="")
    return Page.objects.get(pk=page.pk).specific


@settings(FUZZ, max_examples=examples(80))
@given(
    kind=st.sampled_from(KIND_KEYS),
    steps=st.integers(0, 6),
    route=st.sampled_from(["dashboard", "editor", "collect"]),
    action=st.one_of(
        st.sampled_from(["approve", "approve", "reject"]),
        st.sampled_from(["approve", "reject"]),
        st.text(any_char, max_size=10),
    ),
    comment=st.one_of(
        plain_notes, plain_notes, texts, st.sampled_from(UNICODE + MARKUP), st.binary(max_size=20)
    ),
    extra=extra_data,
    more=st.lists(st.tuples(st.sampled_from(EXTRA_KEYS + ["update", "comment"]), values), max_size=2),
)
def test_a_decision_at_any_step_moves_the_run_whole_or_changes_nothing(
    site, sop_users, kind, steps, route, action, comment, extra, more
):
    page = start_run(site, sop_users, kind, steps)
    state = page.current_workflow_task_state.specific
    task = state.task.specific
    reviewer = login(sop_users[ROLE_OF[task.step_key]])
    reviewer.raise_request_exception = False
    before, row, history = counts(), page_row(page.pk), task_states_of(page)
    judged_before = page.get_latest_revision().pk

    action_path = quote_from_bytes(as_bytes(action), safe="")
    if route == "editor":
        pairs = form_pairs(kind, page, site) + [
            ("action-workflow-action", "true"),
            ("workflow-action-name", action),
            ("workflow-action-extra-data", extra),
            *more,
        ]
        response = post_form(reviewer, reverse("wagtailadmin_pages:edit", args=[page.pk]), pairs)
        sent_comment = None
        try:
            decoded = json.loads(as_received(extra))
            # no "comment" key is an empty comment (the approve dialog may leave it out)
            sent_comment = decoded.get("comment", "") if isinstance(decoded, dict) else None
        except (ValueError, RecursionError):
            pass
    else:
        view = "workflow_action" if route == "dashboard" else "collect_workflow_action_data"
        url = reverse(f"wagtailadmin_pages:{view}", args=[page.pk, "ACTION", state.pk]).replace(
            "ACTION", action_path
        )
        response = reviewer.post(
            url,
            urlencoded([("comment", comment), *more]),
            content_type="application/x-www-form-urlencoded",
            headers={"x-requested-with": "XMLHttpRequest"} if route == "collect" else {},
        )
        sent_comment = as_received(comment)
        for key, value in more:
            if key == "comment":
                sent_comment = as_received(value)

    assert response.status_code < 500, response.status_code
    decided = SOPTaskState.objects.get(pk=state.pk)
    event(f"{route} {response.status_code} {decided.status}")
    reviewer_user = sop_users[ROLE_OF[task.step_key]]
    if decided.status == TaskState.STATUS_IN_PROGRESS:
        assert task_states_of(page) == history, "the step changed without a decision"
        saved = counts()["revisions"] - before["revisions"]
        if saved and route == "editor" and action not in ("approve", "reject"):
            # Not an action of this step: Wagtail's editor saves the form as a draft ("Simpan draf"),
            # the reviewer's own correction at their own step, whole, and nothing else.
            assert counts() == {**before, "revisions": before["revisions"] + 1}
            latest = Page.objects.get(pk=page.pk).get_latest_revision()
            assert latest.user_id == reviewer_user.pk and page_row(page.pk)["latest_revision_id"] == latest.pk
            assert latest.as_object().title == page.title
            return
        # Refused (or only collected): nothing saved, the run where it was.
        assert counts() == before, "a refused decision left rows behind"
        assert page_row(page.pk) == row
        return
    assert route != "collect", "collecting the dialog's data must not decide"
    assert action in ("approve", "reject")
    assert decided.status == (TaskState.STATUS_APPROVED if action == "approve" else TaskState.STATUS_REJECTED)
    assert decided.finished_by_id == reviewer_user.pk
    assert isinstance(sent_comment, str) and decided.comment.strip() == sent_comment.strip()
    latest = Page.objects.get(pk=page.pk).get_latest_revision()
    assert decided.judged_revision_id == latest.pk
    if route == "dashboard":
        assert latest.pk == judged_before, "a dashboard decision saves no revision"
    if action == "reject":
        assert decided.comment.strip(), "changes asked without saying which"
        assert (
            Page.objects.get(pk=page.pk).current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
        )
    elif task.publishes:
        published = Page.objects.get(pk=page.pk)
        assert published.live and published.live_revision_id == decided.judged_revision_id
    else:
        following = Page.objects.get(pk=page.pk).current_workflow_task_state
        assert following.status == TaskState.STATUS_IN_PROGRESS and following.pk != state.pk


# --- 5. Kabag HTH filters the compliance report and the archive ----------------------------------------
REPORT_KEYS = {
    "/admin/reports/kepatuhan-sop/": [
        "finished_at_after",
        "finished_at_before",
        "kind",
        "chain",
        "export",
        "p",
        "ordering",
    ],
    "/admin/reports/kepatuhan-sop/results/": [
        "finished_at_after",
        "finished_at_before",
        "kind",
        "chain",
        "p",
    ],
    "/admin/sop/arsip/": [
        "created_at_after",
        "created_at_before",
        "kind_key",
        "outside_sop",
        "outcome",
        "p",
        "export",
        "ordering",
    ],
    "/admin/sop/arsip/results/": [
        "created_at_after",
        "created_at_before",
        "kind_key",
        "outcome",
        "p",
        "ordering",
    ],
}
query_values = st.one_of(
    values,
    st.sampled_from(["csv", "xlsx", "pdf", "9" * 5000, "-1", "0", "99999999999999999999", "2026-13-40"]),
    st.sampled_from(list(KINDS) + ["short", "long", "approved", "cancelled", "true", "false"]),
)


@pytest.fixture
def finished_runs(site, sop_users):
    """A published Berita (short chain) and a withdrawn Regulasi (long chain): rows to filter."""
    done = start_run(site, sop_users, "berita", 4)
    state = done.current_workflow_task_state.specific
    state.task.specific.on_action(state, sop_users[Role.WEB_ADMIN], "approve", comment="Terbit.")
    withdrawn = start_run(site, sop_users, "regulasi", 2)
    run_end.end_run(
        withdrawn, withdrawn.current_workflow_state, run_end.WITHDRAW, site["author"], "Salah unggah."
    )
    assert ArsipPersetujuan.objects.count() == 2


@settings(FUZZ, max_examples=examples(80))
@given(url=st.sampled_from(list(REPORT_KEYS)), data=st.data())
def test_kabag_hth_filters_the_report_and_archive_with_any_query_without_error(
    finished_runs, sop_users, url, data
):
    kabag = login(sop_users[Role.KABAG_HTH])
    kabag.raise_request_exception = False
    key = st.one_of(st.sampled_from(REPORT_KEYS[url]), st.text(any_char, max_size=10))
    pairs = data.draw(st.lists(st.tuples(key, query_values), max_size=6))
    before = counts()
    response = kabag.get(url + "?" + urlencoded(pairs).decode())
    assert response.status_code in (200, 302), response.status_code
    assert counts() == before, "a report must not write"

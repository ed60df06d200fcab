"""Uploads are judged by their content, not their name (docs/security.md, "Unggahan berkas").

Documents may only be the kinds the site publishes, and the bytes must be what the extension says
(``filetype``; office zips opened through ``kpu_site.zip_limits``); images add Indonesian messages to
Wagtail's own checks. The forms are Wagtail's base forms, so every upload path uses them, and a file
that published or in-review content uses can no longer be replaced (``kpu_site.media_rules.in_use``).
"""

from __future__ import annotations

import os
import zipfile
from functools import partial

import filetype

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from kpu_site import media_rules
from kpu_site.zip_limits import SafeZip, ZipRefused

#: extension -> MIME type filetype must find in the bytes (None: text, checked separately)
DOCUMENT_KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "csv": None,
}
#: OOXML: the main part's content type declared in [Content_Types].xml
OOXML_MAIN_PART = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
#: the image fields whose change calls for new renditions
RENDITION_FIELDS = {"file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"}
#: why a file used by published or in-review content stays as it is (shown on the file field)
DOCUMENT_TITLE_IN_USE = (
    "Judul dokumen ini tampil di halaman yang sudah terbit atau sedang ditinjau, sehingga tidak dapat "
    "diubah di sini. Unggah dokumen baru dengan judul yang benar, lalu pilih di halamannya."
)
DOCUMENT_IN_USE = (
    "Berkas dokumen ini dipakai oleh konten yang sudah terbit atau sedang ditinjau, sehingga tidak dapat "
    "diganti. Unggah penggantinya sebagai dokumen baru, lalu pilih dokumen baru itu di halamannya: "
    "perubahan halaman itu melewati alur SOP."
)
IMAGE_IN_USE = (
    "Berkas gambar ini dipakai oleh konten yang sudah terbit atau sedang ditinjau, sehingga tidak dapat "
    "diganti. Unggah penggantinya sebagai gambar baru, lalu pilih gambar baru itu di halamannya: "
    "perubahan halaman itu melewati alur SOP."
)
FOCAL_POINT_IN_USE = (
    "Gambar ini dipakai oleh konten yang sudah terbit atau sedang ditinjau, sehingga titik fokusnya "
    "(yang menentukan potongan gambar) tidak dapat diubah. Unggah gambar itu sebagai gambar baru, atur "
    "titik fokusnya, lalu pilih gambar baru itu di halamannya: perubahan halaman itu melewati alur SOP."
)
KIND_NAMES = "PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV, JPG, dan PNG"
#: after a ZIP limit's reason (kpu_site.zip_limits): what an editor with a genuine file can do
ZIP_REFUSED_ADVICE = (
    "Berkas seperti ini biasanya rusak atau sengaja dibuat untuk membebani server. Bila berkasnya asli, "
    "buka di Word, Excel atau LibreOffice, simpan ulang (gambar sebagai JPG atau PNG), lalu unggah lagi."
)
HEAD_BYTES = 8192


def _message(name: str, text: str) -> ValidationError:
    return ValidationError(f"Berkas “{name}” ditolak: {text}", code="kind")


def _head(uploaded) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    return head


def _looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body"))


def _check_zip_container(uploaded, extension: str, name: str) -> None:
    uploaded.seek(0)
    try:
        with SafeZip(uploaded) as archive:
            names = set(archive.namelist())
            if extension in OOXML_MAIN_PART:
                if "[Content_Types].xml" not in names:
                    raise _message(name, f"isinya bukan dokumen .{extension} yang sah.")
                declared = archive.read("[Content_Types].xml").decode("utf-8", "replace")
                if OOXML_MAIN_PART[extension] not in declared:
                    raise _message(name, f"isinya bukan dokumen .{extension} yang sah.")
            else:
                if "mimetype" not in names or archive.read("mimetype").strip() != DOCUMENT_KINDS[
                    extension
                ].encode("ascii"):
                    raise _message(name, f"isinya bukan dokumen .{extension} yang sah.")
    except ZipRefused as refusal:
        raise _message(name, f"{refusal.reason}. {ZIP_REFUSED_ADVICE}") from None
    except zipfile.BadZipFile:
        raise _message(name, f"isinya bukan dokumen .{extension} yang sah (arsip rusak).") from None
    finally:
        uploaded.seek(0)


def _check_csv(uploaded, name: str) -> None:
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if b"\x00" in data:
        raise _message(name, "berkas .csv harus berupa teks, bukan berkas biner.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover -- every byte string decodes as Latin-1
            raise _message(name, "berkas .csv tidak dapat dibaca sebagai teks.") from None
    if _looks_like_markup(data[:HEAD_BYTES]):
        raise _message(name, "berkas .csv berisi HTML atau SVG, bukan tabel.")


def refuse_changes_to_what_is_in_use(form, fields: set[str], message: str, field: str = "file") -> None:
    """Put ``message`` on ``field`` when ``fields`` of an existing, in-use file were changed."""
    if form.instance.pk is None or not (fields & set(form.changed_data)) or form.has_error(field):
        return
    if media_rules.in_use(form.instance):
        form.add_error(field, ValidationError(message, code="in_use"))


def validate_document_file(uploaded) -> None:
    """Raise a ValidationError in Indonesian unless the file is a publishable kind, by content."""
    name = os.path.basename(uploaded.name or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in DOCUMENT_KINDS:
        raise _message(name, f"jenis berkas tidak diizinkan. Yang diterima: {KIND_NAMES}.")
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit is not None and uploaded.size > limit:
        raise _message(
            name, f"ukurannya {filesizeformat(uploaded.size)}, melebihi batas {filesizeformat(limit)}."
        )
    if uploaded.size == 0:
        raise _message(name, "berkas kosong.")
    expected = DOCUMENT_KINDS[extension]
    if expected is None:
        _check_csv(uploaded, name)
        return
    kind = filetype.guess(_head(uploaded))
    found = kind.mime if kind else None
    zipped = extension in OOXML_MAIN_PART or extension in ("odt", "ods")
    if zipped and found in (expected, "application/zip"):
        _check_zip_container(uploaded, extension, name)
        return
    if found != expected:
        described = f"berkas {kind.extension.upper()}" if kind else "jenis yang tidak dikenal"
        raise _message(
            name,
            f"namanya .{extension}, tetapi isinya {described}. Unggah berkas {KIND_NAMES} yang asli.",
        )


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing any file that is not what its name says."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            field = self.fields["file"]
            limit = filesizeformat(field.max_upload_size) if field.max_upload_size else ""
            field.help_text = f"Jenis yang diterima: {KIND_NAMES}. Ukuran paling besar {limit}."
            field.error_messages["file_too_large"] = (
                "Berkas terlalu besar (%(file_size)s). Ukuran paling besar %(max_filesize)s."
            )
            field.error_messages["file_too_large_unknown_size"] = (
                f"Berkas terlalu besar. Ukuran paling besar {limit}."
            )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            validate_document_file(uploaded)
        return uploaded

    def clean(self):
        cleaned_data = super().clean()
        refuse_changes_to_what_is_in_use(self, {"file"}, DOCUMENT_IN_USE)
        # A document's title is the link text public pages show: it changes only with a new document.
        refuse_changes_to_what_is_in_use(self, {"title"}, DOCUMENT_TITLE_IN_USE, field="title")
        return cleaned_data


def _readable_pixel_size(field, uploaded) -> None:
    """Wagtail's pixel check, with an image Pillow cannot read (cut off, damaged) refused as not an
    image rather than answered with a 500 (``OSError: image file is truncated``)."""
    try:
        type(field).check_image_pixel_size(field, uploaded)
    except OSError as error:
        raise ValidationError(field.error_messages["invalid_image"], code="invalid_image") from error


class SafeImageForm(BaseImageForm):
    """Wagtail's image form (format by content, size, pixels) with its refusals in Indonesian."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            field = self.fields["file"]
            formats = ", ".join(field.allowed_image_extensions).upper()
            limit = filesizeformat(field.max_upload_size)
            field.help_text = f"Jenis yang diterima: {formats}. Ukuran paling besar {limit}."
            field.error_messages.update(
                {
                    "invalid_image_extension": f"Jenis gambar tidak diizinkan (SVG dan HTML ditolak). "
                    f"Yang diterima: {formats}.",
                    "invalid_image_known_format": "Isi berkas bukan gambar .%(extension)s "
                    "(isinya %(image_format)s). Unggah gambar asli.",
                    "invalid_image": f"Berkas ini bukan gambar yang dapat dibaca. Yang diterima: {formats}.",
                    "file_too_large": "Gambar terlalu besar (%(file_size)s). Ukuran paling besar "
                    "%(max_filesize)s.",
                    "file_too_large_unknown_size": f"Gambar terlalu besar. Ukuran paling besar {limit}.",
                    "file_too_many_pixels": "Gambar terlalu banyak piksel (%(num_pixels)s). Paling "
                    "banyak %(max_pixels_count)s piksel.",
                }
            )
            field.check_image_pixel_size = partial(_readable_pixel_size, field)

    def clean(self):
        cleaned_data = super().clean()
        if "file" in self.changed_data:
            refuse_changes_to_what_is_in_use(self, {"file"}, IMAGE_IN_USE)
        else:
            refuse_changes_to_what_is_in_use(self, RENDITION_FIELDS, FOCAL_POINT_IN_USE)
        return cleaned_data

    def save(self, commit=True):
        existed = self.instance.pk is not None
        changed = RENDITION_FIELDS & set(self.changed_data)
        image = super().save(commit=commit)
        if commit and existed and changed:
            # A replaced file (Wagtail's save has just deleted the old renditions) or a moved focal
            # point: the templates' renditions again, not in the next reader's request. A new image
            # gets them from the model's post_save (kpu_pages.renditions), whichever view saved it.
            from kpu_pages.renditions import make_renditions_when_stored

            make_renditions_when_stored(image)
        return image

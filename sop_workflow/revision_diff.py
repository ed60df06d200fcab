"""What a revision is, byte for byte, and what changed between two: for the approval archive.

``revision_hash`` is the SHA-256 of a revision's content as canonical JSON (sorted keys, no spaces,
UTF-8), recomputable from the database at any later time. ``summarise_changes`` compares two
revisions' content field by field and says in a few Indonesian lines what an approver changed.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import re
from collections import Counter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

#: Bookkeeping Wagtail stores in every revision: never a change a reader would see.
IGNORED_KEYS = frozenset(
    {
        "pk",
        "id",
        "path",
        "depth",
        "numchild",
        "translation_key",
        "locale",
        "latest_revision",
        "latest_revision_created_at",
        "live",
        "live_revision",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
        "draft_title",
        "content_type",
        "url_path",
        "owner",
        "alias_of",
        "comments",
        "wagtail_admin_comments",
    }
)

#: Labels of fields whose verbose name does not read well in a summary.
FIELD_LABELS = {"title": "Judul", "lead": "Teras", "slug": "Slug", "seo_title": "Judul SEO"}

#: What each kind of StreamField block is called in a summary; text blocks are paragraphs.
BLOCK_NOUNS = {
    "paragraph": "Paragraf",
    "heading": "Paragraf",
    "image": "Gambar",
    "document": "Dokumen",
    "quote": "Kutipan",
    "embed": "Sematan",
    "table": "Tabel",
    "page": "Tautan halaman",
}

PARAGRAPH = "Paragraf"
#: Longest excerpt of a text shown in a summary line.
EXCERPT = 80
_HTML_BLOCK = re.compile(r"<(p|h[1-6]|li|blockquote|pre)\b[^>]*>(.*?)</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


# --- the hash ---------------------------------------------------------------------------------
def canonical_content(content: Any) -> str:
    """The content as stored (Django's JSON encoder), then sorted keys and no spaces."""
    stored = json.loads(json.dumps(content, cls=DjangoJSONEncoder))
    return json.dumps(stored, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: Any) -> str:
    return hashlib.sha256(canonical_content(content).encode("utf-8")).hexdigest()


def revision_hash(revision) -> str:
    """SHA-256 of ``revision.content`` (see :func:`canonical_content`)."""
    return content_hash(revision.content)


# --- the summary ------------------------------------------------------------------------------
def summarise_changes(old_revision, new_revision) -> list[str]:
    """Field-by-field lines such as "Judul diubah: «lama» → «baru»" or "Paragraf ditambah: 1"."""
    if old_revision is None or new_revision is None or old_revision.pk == new_revision.pk:
        return []
    model = _model_of(new_revision)
    old, new = old_revision.content or {}, new_revision.content or {}
    lines: list[str] = []
    for key in _ordered_keys(old, new, model):
        before, after = old.get(key), new.get(key)
        if key in IGNORED_KEYS or key.endswith("_ptr") or before == after:
            continue
        lines += _field_changes(key, _label(model, key), before, after)
    return lines


def _model_of(revision):
    try:
        return revision.content_type.model_class()
    except Exception:  # noqa: BLE001 - a revision of a removed model still gets a summary
        return None


def _ordered_keys(old: dict, new: dict, model) -> list[str]:
    """Fields in the model's order (title first), then any others alphabetically."""
    keys = set(old) | set(new)
    order = [field.name for field in model._meta.get_fields()] if model else []
    known = [key for key in order if key in keys]
    return known + sorted(keys - set(known))


def _label(model, key: str) -> str:
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    try:
        name = str(model._meta.get_field(key).verbose_name)
    except Exception:  # noqa: BLE001 - a field since removed, or a child relation
        name = key.replace("_", " ")
    return name[:1].upper() + name[1:]


def _field_changes(key: str, label: str, before: Any, after: Any) -> list[str]:
    old_units, new_units = _units(before), _units(after)
    if old_units is not None and new_units is not None:
        where = "" if key == "body" else f" ({label.lower()})"
        return _unit_changes(old_units, new_units, where)
    if isinstance(before, str | None) and isinstance(after, str | None):
        return [_text_change(label, before or "", after or "")]
    if isinstance(before, list) and isinstance(after, list):
        return [f"{label} diubah: {len(before)} → {len(after)} butir"]
    if before in (None, "") and after not in (None, ""):
        return [f"{label} ditambahkan"]
    if after in (None, ""):
        return [f"{label} dihapus"]
    return [f"{label} diganti"]


def _text_change(label: str, before: str, after: str) -> str:
    if not before.strip():
        return f"{label} diisi: «{_excerpt(after)}»"
    if not after.strip():
        return f"{label} dikosongkan (sebelumnya «{_excerpt(before)}»)"
    before, after = " ".join(before.split()), " ".join(after.split())
    start = _where_they_differ(before, after)
    return f"{label} diubah: «{_excerpt(before, start)}» → «{_excerpt(after, start)}»"


#: Characters of unchanged text kept before the first difference, so a reader sees where it is.
CONTEXT = 20


def _where_they_differ(before: str, after: str) -> int:
    """Where an excerpt of a long text should begin so that the first difference is inside it."""
    common = 0
    for old_char, new_char in zip(before, after, strict=False):
        if old_char != new_char:
            break
        common += 1
    if common + CONTEXT < EXCERPT - CONTEXT:
        return 0
    return before.rfind(" ", 0, max(0, common - CONTEXT)) + 1  # at the start of a word


def _excerpt(text: str, start: int = 0) -> str:
    text = " ".join(text.split())
    head = "…" if start else ""
    text = text[start:]
    return head + (text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…")


# --- StreamField and rich text, as a sequence of units (paragraphs, images, ...) -------------------
def _units(value: Any) -> list[tuple[str, str]] | None:
    """(noun, text) of each paragraph or block, or None when the value is neither stream nor rich text."""
    stream = _as_stream(value)
    if stream is not None:
        units: list[tuple[str, str]] = []
        for block in stream:
            units += _block_units(block)
        return units
    if isinstance(value, str) and _HTML_BLOCK.search(value):
        return _html_units(value)
    return None


def _as_stream(value: Any) -> list[dict] | None:
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, list) and all(isinstance(block, dict) and "type" in block for block in value):
        return value
    return None


def _block_units(block: dict) -> list[tuple[str, str]]:
    kind, value = block.get("type", ""), block.get("value")
    if isinstance(value, str) and _HTML_BLOCK.search(value):
        return _html_units(value)
    if isinstance(value, str):
        return [(BLOCK_NOUNS.get(kind, PARAGRAPH), value)]
    noun = BLOCK_NOUNS.get(kind, f"Blok {kind}")
    return [(noun, json.dumps(value, sort_keys=True, ensure_ascii=False))]


def _html_units(markup: str) -> list[tuple[str, str]]:
    return [
        (PARAGRAPH, " ".join(html.unescape(_TAG.sub(" ", inner)).split()))
        for _tag, inner in _HTML_BLOCK.findall(markup)
    ]


def _unit_changes(old: list[tuple[str, str]], new: list[tuple[str, str]], where: str) -> list[str]:
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = Counter(n for n, _ in old[i1:i2]), Counter(n for n, _ in new[j1:j2])
        for noun in before | after:
            both = min(before[noun], after[noun])
            changed[noun] += both
            added[noun] += after[noun] - both
            removed[noun] += before[noun] - both
    lines = []
    for noun in sorted(added | removed | changed, key=lambda n: (n != PARAGRAPH, n)):
        for verb, counts in (("ditambah", added), ("dihapus", removed), ("diubah", changed)):
            if counts[noun]:
                lines.append(f"{noun} {verb}{where}: {counts[noun]}")
    return lines

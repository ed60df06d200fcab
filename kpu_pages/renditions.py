"""An image's renditions are made when it is stored, not by the first reader who sees it.

Wagtail makes a rendition inside the first request that asks for it: a reader's worker then decodes
the original and keeps the memory for life, and a photo published on election night is decoded by
many workers at once. So the upload, the edit screen, the demo content and ``manage.py make_renditions``
make every rendition the templates use (read from the compiled templates); readers only look them up.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import transaction
from django.template import engines

from wagtail.images.templatetags.wagtailimages_tags import ImageNode, SrcsetImageNode

logger = logging.getLogger(__name__)


def site_app_paths() -> list[Path]:
    """The folders of the installed apps that are the site's own: packages at the project's root
    (``settings.BASE_DIR``), not installed libraries."""
    root = Path(settings.BASE_DIR).resolve()
    paths = (Path(config.path).resolve() for config in apps.get_app_configs())
    return [path for path in paths if path.parent == root]


def _template_names() -> list[str]:
    directories = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    directories += [path / "templates" for path in site_app_paths()]
    names = set()
    for directory in directories:
        names.update(str(path.relative_to(directory)) for path in directory.rglob("*.html"))
    return sorted(names)


@functools.cache
def template_filter_specs() -> tuple[str, ...]:
    """Every filter spec the site's templates render an image with, in the order first found."""
    engine = engines["django"]
    specs: dict[str, None] = {}
    for name in _template_names():
        nodelist = engine.get_template(name).template.nodelist
        for node in nodelist.get_nodes_by_type(ImageNode):
            filters = node.get_filters() if isinstance(node, SrcsetImageNode) else [node.get_filter()]
            specs.update(dict.fromkeys(f.spec for f in filters))
    return tuple(specs)


def make_renditions(image) -> bool:
    """Make every missing rendition of ``image`` the templates use; False if some could not be made
    now (logged, never raised: the image is stored and a reader makes what is missing).

    One size at a time: Wagtail's ``get_renditions()`` makes several at once in three threads, each
    decoding the original, which multiplies the process's peak memory; one at a time is slower but
    happens in the editor's upload, never in a reader's request.
    """
    try:
        for spec in template_filter_specs():
            image.get_rendition(spec)
    except Exception:  # noqa: BLE001 - see the docstring
        logger.warning("Rendisi gambar %s belum dapat dibuat sekarang", image.pk, exc_info=True)
        return False
    return True


def make_renditions_when_stored(image) -> None:
    """Make ``image``'s renditions once the transaction that stores it has committed: Wagtail's add
    and edit views save inside one, and seconds of decoding must neither hold it open nor, failing,
    touch it (outside a transaction: at once)."""
    if settings.KPU_RENDITIONS_ON_UPLOAD:
        transaction.on_commit(lambda: make_renditions(image))


def make_renditions_of_new_image(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of the image model: a new image (an edited one goes through the form's save)."""
    if created and not raw:
        make_renditions_when_stored(instance)


def connect() -> None:
    from django.db.models.signals import post_save

    from wagtail.images import get_image_model

    post_save.connect(
        make_renditions_of_new_image, sender=get_image_model(), dispatch_uid="kpu_make_renditions"
    )


@checks.register(checks.Tags.templates)
def check_template_filter_specs(app_configs=None, **kwargs):
    """A site template that cannot be compiled would leave every upload without renditions: say so."""
    try:
        template_filter_specs()
    except Exception as error:  # noqa: BLE001 - any compile error is reported, not raised
        return [
            checks.Error(
                f"Ukuran rendisi tidak dapat dibaca dari templat situs: {error}",
                hint="Perbaiki templat itu: sampai saat itu gambar yang diunggah tidak mendapat rendisi.",
                id="kpu_pages.E001",
            )
        ]
    return []

"""Whether an uploaded file may be shown or replaced: asked of the apps through Wagtail hooks.

``kpu_site`` serves and checks media but knows nothing of the SOP; ``sop_workflow`` answers these hooks
(its ``wagtail_hooks.py``). Without an answer the rule fails closed: not public, not shown to editors,
in use (so never replaced in place).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail import hooks

#: ``fn(obj) -> bool | None``: may the public fetch this image or document?
PUBLIC_HOOK = "kpu_media_is_public"
#: ``fn(obj, user) -> bool | None``: may this signed-in editor see it in the admin's library?
ADMIN_HOOK = "kpu_media_visible_in_admin"
#: ``fn(obj) -> bool | None``: does published or in-review content use it?
IN_USE_HOOK = "kpu_media_in_use"


def _ask(name: str, *args: Any, default: bool) -> bool:
    answers: list[Callable[..., bool | None]] = hooks.get_hooks(name)
    for answer in answers:
        result = answer(*args)
        if result is not None:
            return bool(result)
    return default


def is_public(obj) -> bool:
    return _ask(PUBLIC_HOOK, obj, default=False)


def may_see_in_admin(obj, user) -> bool:
    return _ask(ADMIN_HOOK, obj, user, default=False)


def in_use(obj) -> bool:
    return _ask(IN_USE_HOOK, obj, default=True)

"""Ids in URLs: one longer than any database id answers 404, never 500.

Python refuses to turn more than 4,300 digits into an int (a ValueError), so a view that converts an
id itself fails on ``/documents/<5000 digits>/x.pdf``. The site's own URL patterns take ids through
the ``id`` path converter (registered in ``kpu_site.urls``): at most 19 digits, the size of a
64-bit id column, so a longer one matches nothing and Django answers 404. Wagtail's own patterns that
take ids by regex (the admin's revision comparison, ``\\d+``) pass strings on unconverted:
``OverlongIdMiddleware`` answers 404 before such a view runs.
"""

from __future__ import annotations

from django.http import Http404

#: the largest id a 64-bit integer column holds (Django's BigAutoField, PostgreSQL's bigint)
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


def is_overlong_id(value: object) -> bool:
    """True for an int, or a string of digits, beyond any database id (leading zeros count: Python's
    digit limit does too)."""
    if isinstance(value, str):
        return value.isascii() and value.isdigit() and (len(value) > MAX_ID_DIGITS or int(value) > MAX_ID)
    return isinstance(value, int) and value > MAX_ID


class IdConverter:
    """``<id:name>``: like Django's ``int``, but only ids a database column can hold."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        if is_overlong_id(value):
            raise ValueError("not a database id")  # Django: no match, so 404 unless another pattern matches
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


class OverlongIdMiddleware:
    """Answers 404 when an argument the URL resolved to is an id no database holds (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(is_overlong_id(value) for value in (*view_args, *view_kwargs.values())):
            raise Http404
        return None

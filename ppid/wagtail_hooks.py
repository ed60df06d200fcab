"""The ppid app's one entry point into Wagtail: each admin concern registers its own hooks."""

from ppid.admin import dip, objections, report, requests  # noqa: F401 - each registers its hooks

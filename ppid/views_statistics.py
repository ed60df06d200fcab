"""The public statistics of the information service, per year (UU 14/2008 art. 12).

Counts and times only, from ``ppid.report``: no name, address, email, request text or legal-basis text
written by the PPID reaches these pages (the reasons for refusals are in the yearly report the PPID
publishes after reading it). Mounted by ``ppid.urls`` at ``statistik/`` and ``statistik/<year>/``.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ppid.report import (
    FIRST_YEAR,
    REPORT_LEGAL_BASIS,
    build_chart,
    build_report,
    current_year,
    is_reportable,
    requests_per_year,
    years_with_requests,
)


@require_safe
def index(request):
    return render(
        request,
        "ppid/statistics/index.html",
        {"years": requests_per_year(), "this_year": current_year(), "legal_basis": REPORT_LEGAL_BASIS},
    )


@require_safe
def year(request, year: int):
    if not is_reportable(year):
        raise Http404(f"no statistics before {FIRST_YEAR} or after this year")
    report = build_report(year)
    return render(
        request,
        "ppid/statistics/year.html",
        {
            "report": report,
            "chart": build_chart(report),
            "other_years": [other for other in years_with_requests() if other != year],
            "legal_basis": REPORT_LEGAL_BASIS,
        },
    )

"""The reader's side of the information service: the request form, its receipt, the status page
(number + email), the objection form, and the notices and documents to download: the answer's
document and, after an upheld objection, the follow-up document beside it. ``/layanan-informasi/``
itself leads to the site's PPID page (the hub that explains the service), else to the request form.

A reader who filed a request here, or proved its number and email on the status page, has it
remembered in their session; only such a session sees the request's status, downloads its notices
and documents (404 for anyone else) or files an objection against it. Every answer here is private
to that reader: never kept by the page cache or a proxy. Flood control: ``ppid.challenge``.
"""

from __future__ import annotations

import os

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from kpu_pages.models import PPIDPage
from ppid import challenge, notices, receipts, rules
from ppid.challenge import Budget
from ppid.forms import (
    RETENTION_NOTE,
    ObjectionForm,
    RequestForm,
    StatusForm,
    objection_grounds,
    objection_open,
)
from ppid.models import InformationRequest, Objection, normalise_number
from ppid.working_days import today

#: the requests this session may see (filed here, or number + email proved), newest last
SESSION_VERIFIED = "ppid_verified"
#: the request the status page shows
SESSION_CURRENT = "ppid_current"
SESSION_RECEIPT = "ppid_receipt"
SESSION_OBJECTION_RECEIPT = "ppid_objection_receipt"
VERIFIED_KEPT = 20

NOT_FOUND = (
    "Nomor registrasi dan alamat email ini tidak cocok dengan permohonan mana pun. Periksa lagi "
    "keduanya: nomor tertera pada tanda bukti (misalnya PI-2026-00042), dan alamat email harus sama "
    "dengan yang diisi saat mengajukan permohonan."
)


# --- responses ------------------------------------------------------------------------------------
def private(response: HttpResponse, index: bool = False) -> HttpResponse:
    """For this reader only: no shared cache, no browser cache; no search engine unless ``index``."""
    patch_cache_control(response, private=True, no_store=True)
    if not index:
        response["X-Robots-Tag"] = "noindex"
    return response


def page(request: HttpRequest, template: str, context: dict, status: int = 200, index: bool = False):
    response = TemplateResponse(request, f"ppid/public/{template}", context, status=status)
    return private(response, index=index)


def limited(request: HttpRequest, seconds: int) -> HttpResponse:
    """The polite refusal of a flood: 429, nothing read or saved."""
    response = page(request, "limited.html", {"retry_after_minutes": max(1, round(seconds / 60))}, status=429)
    response["Retry-After"] = str(seconds)
    return response


# --- the session's requests ----------------------------------------------------------------------
def verified_ids(request: HttpRequest) -> list[int]:
    return [pk for pk in request.session.get(SESSION_VERIFIED, []) if isinstance(pk, int)]


def remember(request: HttpRequest, req: InformationRequest) -> None:
    kept = [pk for pk in verified_ids(request) if pk != req.pk] + [req.pk]
    request.session[SESSION_VERIFIED] = kept[-VERIFIED_KEPT:]
    request.session[SESSION_CURRENT] = req.pk


def current_request(request: HttpRequest) -> InformationRequest | None:
    pk = request.session.get(SESSION_CURRENT)
    if pk is None or pk not in verified_ids(request):
        return None
    return InformationRequest.objects.filter(pk=pk).first()


def verified_request(request: HttpRequest, number: str) -> InformationRequest:
    """The session's request with this number, else 404."""
    req = InformationRequest.objects.filter(
        number=normalise_number(number), pk__in=verified_ids(request)
    ).first()
    if req is None:
        raise Http404("Tidak ditemukan")
    return req


# --- the service's own address -------------------------------------------------------------------
@require_http_methods(["GET", "HEAD"])
def hub(request: HttpRequest) -> HttpResponse:
    """The site's live PPID page (at most one exists), else the request form."""
    pages = PPIDPage.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    found = pages.first()
    url = found.get_url(request) if found is not None else None
    return redirect(url or reverse("ppid:request"))


# --- the request form -----------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        wait = challenge.exhausted(request, Budget.FILED, Budget.SENT)
        if wait:
            return limited(request, wait)
        challenge.spend(request, Budget.SENT)
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            with transaction.atomic():
                req = InformationRequest.receive(**form.request_fields())
                receipts.send_request_receipt(req)
                receipts.notify_request_arrived(req)
            challenge.consume(form.cleaned_data["challenge"])
            challenge.spend(request, Budget.FILED)
            request.session.cycle_key()
            remember(request, req)
            request.session[SESSION_RECEIPT] = req.pk
            return redirect("ppid:receipt")
    else:
        form = RequestForm()
    context = {"form": form, "retention_note": RETENTION_NOTE, "rules": rules}
    return page(request, "request_form.html", context, index=request.method != "POST")


def receipt(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_RECEIPT)
    req = InformationRequest.objects.filter(pk=pk, pk__in=verified_ids(request)).first() if pk else None
    if req is None:
        return redirect("ppid:status")
    return page(request, "receipt.html", {"req": req, "rules": rules, "retention_note": RETENTION_NOTE})


# --- the status page --------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("tindakan") == "tutup":
        # "Tutup status" on a shared computer: the session forgets every request it had proved.
        for key in (SESSION_VERIFIED, SESSION_CURRENT, SESSION_RECEIPT, SESSION_OBJECTION_RECEIPT):
            request.session.pop(key, None)
        return redirect(f"{reverse('ppid:status')}?ditutup=1")
    if request.method == "POST":
        wait = challenge.exhausted(request, Budget.NOT_FOUND, Budget.SENT)
        if wait:
            return limited(request, wait)
        challenge.spend(request, Budget.SENT)
        form = StatusForm(request.POST)
        if form.is_valid():
            req = form.find()
            if req is not None:
                request.session.cycle_key()
                remember(request, req)
                return redirect("ppid:status")
            challenge.spend(request, Budget.NOT_FOUND)
            form.add_error(None, NOT_FOUND)
        return page(request, "status.html", {"form": form, "req": None, "lookup_open": True})
    req = current_request(request)
    context = {
        "form": StatusForm(),
        "req": req,
        "closed": request.GET.get("ditutup") == "1",
        "objection_asked": request.GET.get("keberatan") == "1",
    }
    if req is not None:
        context.update(status_context(req))
    return page(request, "status.html", context)


def file_kind(field_file) -> str:
    """ "PDF", "XLSX"...: the kind of a download, named in its link."""
    return os.path.splitext(field_file.name or "")[1].lstrip(".").upper()


def status_context(req: InformationRequest) -> dict:
    objections = list(req.objections.order_by("received_at"))
    for objection in objections:
        objection.commission_until = objection.commission_deadline()
        objection.notice_available = notices.objection_notice_available(objection)
    deadline = req.objection_deadline()
    return {
        "rules": rules,
        "today": today(),
        "overdue": req.is_overdue(),
        "original_due_on": notices.original_due_on(req),
        "answer_notice": notices.request_notice_available(req),
        "extension_notice": notices.extension_notice_available(req),
        "has_document": bool(req.answer_document),
        "document_kind": file_kind(req.answer_document),
        "has_followup_document": bool(req.followup_document),
        "followup_document_kind": file_kind(req.followup_document),
        "objections": objections,
        "objection_open": objection_open(req),
        "objection_deadline": deadline,
        "objection_window_passed": deadline is not None and today() > deadline,
        "notice_kinds": {
            "answer": notices.KIND_ANSWER,
            "extension": notices.KIND_EXTENSION,
            "objection": notices.KIND_OBJECTION,
        },
    }


# --- the objection ----------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
def objection(request: HttpRequest) -> HttpResponse:
    req = current_request(request)
    if req is None:
        return redirect(f"{reverse('ppid:status')}?keberatan=1")
    context = {
        "req": req,
        "rules": rules,
        "deadline": req.objection_deadline(),
        "grounds": objection_grounds(req),
    }
    if not objection_open(req):
        # What the reader wrote is shown back, to keep or to use elsewhere (nothing is saved).
        context["typed_reason"] = request.POST.get("reason", "").strip() if request.method == "POST" else ""
        return page(
            request, "objection_closed.html", context, status=403 if request.method == "POST" else 200
        )
    if request.method == "POST":
        wait = challenge.exhausted(request, Budget.FILED, Budget.SENT)
        if wait:
            return limited(request, wait)
        challenge.spend(request, Budget.SENT)
        form = ObjectionForm(request.POST, request_obj=req)
        if form.is_valid():
            with transaction.atomic():
                filed = Objection.receive(
                    request=req, ground=form.cleaned_data["ground"], reason=form.cleaned_data["reason"]
                )
                receipts.send_objection_receipt(filed)
                receipts.notify_objection_arrived(filed)
            challenge.spend(request, Budget.FILED)
            request.session[SESSION_OBJECTION_RECEIPT] = filed.pk
            return redirect("ppid:objection_receipt")
    else:
        form = ObjectionForm(request_obj=req)
    context["form"] = form
    return page(request, "objection_form.html", context)


def objection_receipt(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_OBJECTION_RECEIPT)
    filed = (
        Objection.objects.filter(pk=pk, request__pk__in=verified_ids(request))
        .select_related("request")
        .first()
        if pk
        else None
    )
    if filed is None:
        return redirect("ppid:status")
    return page(request, "objection_receipt.html", {"objection": filed, "req": filed.request, "rules": rules})


# --- downloads ------------------------------------------------------------------------------
def notice(request: HttpRequest, kind: str, number: str) -> HttpResponse:
    """A written notice (PDF) of a request this session proved, made from its record now."""
    if kind == notices.KIND_OBJECTION:
        filed = (
            Objection.objects.filter(number=normalise_number(number), request__pk__in=verified_ids(request))
            .select_related("request")
            .first()
        )
        if filed is None or not notices.objection_notice_available(filed):
            raise Http404("Tidak ditemukan")
        content = notices.objection_notice(filed)
        number = filed.number
    elif kind == notices.KIND_ANSWER:
        req = verified_request(request, number)
        if not notices.request_notice_available(req):
            raise Http404("Tidak ditemukan")
        content, number = notices.request_notice(req), req.number
    elif kind == notices.KIND_EXTENSION:
        req = verified_request(request, number)
        if not notices.extension_notice_available(req):
            raise Http404("Tidak ditemukan")
        content, number = notices.extension_notice(req), req.number
    else:
        raise Http404("Tidak ditemukan")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notices.filename(kind, number)}"'
    return private(response)


def stored_file(field_file, filename: str) -> HttpResponse:
    """A document streamed from private storage (never a URL under /media/), as ``filename`` plus its
    extension."""
    if not field_file:
        raise Http404("Tidak ditemukan")
    try:
        handle = field_file.open("rb")
    except OSError:
        raise Http404("Tidak ditemukan") from None
    extension = os.path.splitext(field_file.name)[1].lower()
    return private(FileResponse(handle, as_attachment=True, filename=f"{filename}{extension}"))


def document(request: HttpRequest, number: str) -> HttpResponse:
    """The answer's document."""
    req = verified_request(request, number)
    return stored_file(req.answer_document, f"informasi-{req.number}")


def followup_document(request: HttpRequest, number: str) -> HttpResponse:
    """The document provided after an upheld objection, checked like the answer's."""
    req = verified_request(request, number)
    return stored_file(req.followup_document, f"informasi-tindak-lanjut-{req.number}")

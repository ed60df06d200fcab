"""Information requests and objections, with their registration numbers and legal deadlines.

Deadlines are dates (the last working day to answer), computed once on receipt or extension from
the office calendar. Identity scans, answer documents and the documents provided after an upheld
objection (``followup_document``, beside the answer's) live in private storage
(``STORAGES["ppid_private"]``), served only through checked views (``ppid.admin.requests.private_file``,
``ppid.views``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ppid import rules
from ppid.rules import (
    AccessMethod,
    Channel,
    CopyFormat,
    Decision,
    Delivery,
    ObjectionDecision,
    ObjectionGround,
    RequesterType,
)
from ppid.working_days import WorkCalendar, add_working_days, local_date, today


def private_storage():
    return storages["ppid_private"]


def private_name(folder: str, filename: str) -> str:
    """A new private file's name: ``<folder>/<year>/<month>/<random>.<extension>`` (the name the
    reader gave is never kept)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def identity_path(instance, filename: str) -> str:
    return private_name("identitas", filename)


def answer_path(instance, filename: str) -> str:
    return private_name("jawaban", filename)


def followup_path(instance, filename: str) -> str:
    return private_name("tindak-lanjut", filename)


class NumberedQuerySet(models.QuerySet):
    def by_number(self, number: str):
        return self.filter(number=normalise_number(number))


def normalise_number(number: str) -> str:
    return re.sub(r"\s+", "", (number or "")).upper()


class Numbered(models.Model):
    """A registration number ``<prefix>-<year>-<sequence>``, the sequence counted per year."""

    PREFIX = ""

    number = models.CharField(_("nomor registrasi"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("tahun"), editable=False)
    sequence = models.PositiveIntegerField(_("nomor urut"), editable=False)
    received_at = models.DateTimeField(_("diterima pada"), default=timezone.now, db_index=True)

    objects = NumberedQuerySet.as_manager()

    class Meta:
        abstract = True

    def assign_number(self) -> None:
        self.year = local_date(self.received_at).year
        last = type(self).objects.filter(year=self.year).aggregate(models.Max("sequence"))["sequence__max"]
        self.sequence = (last or 0) + 1
        self.number = rules.NUMBER_FORMAT.format(prefix=self.PREFIX, year=self.year, sequence=self.sequence)

    def save_numbered(self, attempts: int = 5) -> None:
        """Save a new record under the year's next number (retried when two arrive at once)."""
        for attempt in range(attempts):
            self.assign_number()
            try:
                with transaction.atomic():
                    self.save(force_insert=True)
                return
            except IntegrityError:
                if attempt == attempts - 1:
                    raise

    @property
    def received_on(self) -> dt.date:
        return local_date(self.received_at)


class InformationRequest(Numbered):
    """A permohonan informasi publik, from receipt to its written notice."""

    PREFIX = rules.REQUEST_PREFIX

    class Status(models.TextChoices):
        RECEIVED = "diterima", _("Diterima, menunggu jawaban")
        EXTENDED = "diperpanjang", _("Diperpanjang")
        ANSWERED = "dijawab", _("Sudah dijawab")

    requester_type = models.CharField(
        _("jenis pemohon"), max_length=20, choices=RequesterType.choices, default=RequesterType.PERSON
    )
    name = models.CharField(_("nama"), max_length=200)
    address = models.TextField(_("alamat"), max_length=500)
    occupation = models.CharField(_("pekerjaan"), max_length=150)
    phone = models.CharField(_("nomor telepon"), max_length=30)
    #: required on the public form; a request registered at the desk may come without one (no email
    #: is then sent to the requester)
    email = models.EmailField(_("email"), blank=True)
    identity_scan = models.FileField(
        _("pindaian identitas"), storage=private_storage, upload_to=identity_path, blank=True, max_length=200
    )
    identity_deleted_at = models.DateTimeField(_("pindaian identitas dihapus pada"), null=True, blank=True)
    information = models.TextField(_("rincian informasi yang dibutuhkan"), max_length=4000)
    purpose = models.TextField(_("tujuan penggunaan informasi"), max_length=2000)
    #: when the office entered it here: the moment of receipt for the public form; later than
    #: ``received_at`` for a letter or email the desk registers afterwards. No deadline of the
    #: requester's (objection, retention) may run out before they could know the number.
    registered_at = models.DateTimeField(_("dicatat pada"), default=timezone.now, editable=False)
    channel = models.CharField(
        _("cara permohonan diterima"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    access_method = models.CharField(
        _("cara memperoleh informasi"), max_length=20, choices=AccessMethod.choices
    )
    copy_format = models.CharField(_("bentuk salinan"), max_length=20, choices=CopyFormat.choices, blank=True)
    delivery = models.CharField(
        _("cara mendapatkan salinan"), max_length=20, choices=Delivery.choices, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    due_on = models.DateField(_("batas waktu jawaban"))
    #: the deadline before any extension, kept as computed on receipt (a holiday added later moves nothing)
    first_due_on = models.DateField(_("batas waktu semula"), null=True, blank=True)
    extended_at = models.DateTimeField(_("diperpanjang pada"), null=True, blank=True)
    extension_reason = models.TextField(_("alasan perpanjangan"), blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices, blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    consequence_test = models.TextField(_("uji konsekuensi"), blank=True)
    answer = models.TextField(_("penjelasan jawaban"), blank=True)
    answer_document = models.FileField(
        _("dokumen informasi"), storage=private_storage, upload_to=answer_path, blank=True, max_length=200
    )
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the information provided after an upheld objection (``ppid.admin.requests.FollowUpView``), kept
    #: beside the answer's document: the requester downloads both
    followup_document = models.FileField(
        _("dokumen tindak lanjut keberatan"),
        storage=private_storage,
        upload_to=followup_path,
        blank=True,
        max_length=200,
    )
    followup_objection = models.ForeignKey(
        "Objection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("keberatan yang ditindaklanjuti"),
    )

    class Meta:
        verbose_name = _("permohonan informasi")
        verbose_name_plural = _("permohonan informasi")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="ppid_request_number")]
        permissions = [
            ("answer_request", _("Dapat menjawab dan memperpanjang permohonan informasi (PPID)")),
            ("answer_objection", _("Dapat menanggapi keberatan (Atasan PPID)")),
            ("record_response", _("Dapat mencatat tanggapan pemohon atas keberatan")),
            (
                "register_request",
                _("Dapat mencatat permohonan yang diterima langsung, lewat surat, atau email"),
            ),
            ("view_report", _("Dapat melihat laporan layanan informasi")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @classmethod
    def receive(cls, calendar: WorkCalendar | None = None, **fields) -> InformationRequest:
        """A new request, numbered, with its deadline of 10 working days."""
        request = cls(**fields)
        calendar = calendar or WorkCalendar.load()
        request.due_on = add_working_days(calendar, request.received_on, rules.ANSWER_WORKING_DAYS)
        request.first_due_on = request.due_on
        request.save_numbered()
        return request

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def can_extend(self) -> bool:
        return not self.is_answered and self.extended_at is None

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return not self.is_answered and (on or today()) > self.due_on

    @property
    def answered_late(self) -> bool:
        return self.is_answered and local_date(self.answered_at) > self.due_on

    def extend(self, reason: str, user, calendar: WorkCalendar | None = None) -> None:
        """The one extension of 7 working days, from the current deadline (art. 22(8))."""
        if not self.can_extend:
            raise ValueError("a request is extended once, before it is answered")
        calendar = calendar or WorkCalendar.load()
        self.extended_at = timezone.now()
        self.extension_reason = reason
        self.extended_by = user
        self.due_on = add_working_days(calendar, self.due_on, rules.EXTENSION_WORKING_DAYS)
        self.status = self.Status.EXTENDED
        self.save()

    def record_answer(
        self,
        *,
        decision: str,
        answer: str,
        user,
        legal_basis: str = "",
        consequence_test: str = "",
        document=None,
    ) -> None:
        if self.is_answered:
            raise ValueError("a request is answered once")
        self.decision = decision
        self.answer = answer
        self.legal_basis = legal_basis
        self.consequence_test = consequence_test
        if document is not None:
            self.answer_document = document
        self.answered_at = timezone.now()
        self.answered_by = user
        self.status = self.Status.ANSWERED
        self.save()

    def record_followup(self, objection: Objection, document) -> None:
        """The document provided after the upheld ``objection``; the answer's own document stays."""
        self.followup_document = document
        self.followup_objection = objection
        self.save(update_fields=["followup_document", "followup_objection"])

    def objection_ground_arose_on(self) -> dt.date | None:
        """When a ground for objection arose: the answer's date, or the day after the deadline passed
        unanswered; None while the request is still within its deadline."""
        if self.is_answered:
            return local_date(self.answered_at)
        if self.is_overdue():
            # a letter registered after its deadline: the ground arises when the office registers it
            return max(self.due_on + dt.timedelta(days=1), local_date(self.registered_at))
        return None

    def objection_deadline(self, calendar: WorkCalendar | None = None) -> dt.date | None:
        """The last day an objection is accepted (30 working days after its ground arose)."""
        arose = self.objection_ground_arose_on()
        if arose is None:
            return None
        calendar = calendar or WorkCalendar.load()
        # "paling lambat 30 hari kerja setelah ditemukannya alasan" (art. 36(1)): the day it arose
        # is not counted, as no other deadline counts its first day
        return add_working_days(calendar, arose, rules.OBJECTION_WINDOW_WORKING_DAYS)

    def identity_retained_until(self) -> dt.date | None:
        """The last day the identity scan is kept: ``IDENTITY_RETENTION_DAYS`` after the request's last
        decision (its answer, its objections' answers) or, never answered, after its deadline; None
        while the request or an objection still awaits an answer within its deadline."""
        if not self.is_answered and not self.is_overdue():
            return None
        if self.objections.filter(answered_at__isnull=True).exists():
            return None
        moments = [self.answered_at, *self.objections.values_list("answered_at", flat=True)]
        dates = [local_date(moment) for moment in moments if moment is not None]
        # never answered: kept from its deadline, or from its registration when that came later
        last = max(dates, default=max(self.due_on, local_date(self.registered_at)))
        return last + dt.timedelta(days=rules.IDENTITY_RETENTION_DAYS)


class Objection(Numbered):
    """A keberatan against a request, answered by the Atasan PPID."""

    PREFIX = rules.OBJECTION_PREFIX

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="objections", verbose_name=_("permohonan")
    )
    ground = models.CharField(_("alasan keberatan"), max_length=1, choices=ObjectionGround.choices)
    reason = models.TextField(_("uraian keberatan"), max_length=4000)
    due_on = models.DateField(_("batas waktu tanggapan"))

    decision = models.CharField(_("keputusan"), max_length=20, choices=ObjectionDecision.choices, blank=True)
    answer = models.TextField(_("tanggapan atasan PPID"), blank=True)
    answered_at = models.DateTimeField(_("ditanggapi pada"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superior_name = models.CharField(_("nama atasan PPID"), max_length=200, blank=True)
    superior_position = models.CharField(_("jabatan atasan PPID"), max_length=200, blank=True)
    requester_response = models.TextField(_("tanggapan pemohon"), blank=True)
    requester_response_at = models.DateTimeField(_("tanggapan pemohon dicatat pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="ppid_objection_number")]

    def __str__(self) -> str:
        return f"{self.number} ({self.request.number})"

    @classmethod
    def receive(cls, calendar: WorkCalendar | None = None, **fields) -> Objection:
        """A new objection, numbered, with the superior's deadline of 30 working days."""
        objection = cls(**fields)
        calendar = calendar or WorkCalendar.load()
        objection.due_on = add_working_days(
            calendar, objection.received_on, rules.OBJECTION_ANSWER_WORKING_DAYS
        )
        objection.save_numbered()
        return objection

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return not self.is_answered and (on or today()) > self.due_on

    def commission_deadline(self, calendar: WorkCalendar | None = None) -> dt.date | None:
        """The last day to take the answer to the Komisi Informasi (14 working days, art. 37(2))."""
        if not self.is_answered:
            return None
        calendar = calendar or WorkCalendar.load()
        return add_working_days(calendar, local_date(self.answered_at), rules.COMMISSION_WORKING_DAYS)

    def record_answer(
        self, *, decision: str, answer: str, user, superior_name: str, superior_position: str
    ) -> None:
        if self.is_answered:
            raise ValueError("an objection is answered once")
        self.decision = decision
        self.answer = answer
        self.superior_name = superior_name
        self.superior_position = superior_position
        self.answered_at = timezone.now()
        self.answered_by = user
        self.save()


class Reminder(models.Model):
    """A reminder or escalation sent once: its key names what and which threshold
    (``PI-2026-00042:menjelang``, ``dip-17-2026-06``); a second insert of the same key fails."""

    key = models.CharField(_("kunci"), max_length=120, unique=True)
    sent_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)
    recipients = models.TextField(_("penerima"), help_text=_("Alamat email penerima, satu per baris."))

    class Meta:
        verbose_name = _("pengingat layanan informasi")
        verbose_name_plural = _("pengingat layanan informasi")

    def __str__(self) -> str:
        return self.key

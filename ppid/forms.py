"""The reader's forms: an information request, a status look-up, an objection; and the desk's forms
for a request or an objection received in person, by letter or by email (the reader's fields and
checks shared, plus how it came in and its receipt date: ``DeskReceipt``).

Every message is Indonesian and tied to its field for screen readers (``aria-describedby`` names the
hint and the error, ``aria-invalid`` marks the field); ``error_summary`` lists each error with the id
of the field to link to. Which objection grounds a request allows is decided here, from its state.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst

from kpu_site.dates import WIB, format_date
from ppid import challenge, rules
from ppid.models import InformationRequest, normalise_number
from ppid.rules import AccessMethod, Channel, CopyFormat, Decision, Delivery, ObjectionGround, RequesterType
from ppid.uploads import validate_identity_scan
from ppid.working_days import WorkCalendar, today

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()\-.]*$")
#: how the identity scan is kept and deleted: the consent line of the form, repeated on the receipt
RETENTION_NOTE = (
    "Pindaian identitas disimpan tertutup: tidak pernah ditampilkan kepada umum dan hanya dapat dibuka "
    "oleh Petugas Layanan Informasi, PPID, dan Atasan PPID untuk memeriksa permohonan ini. Pindaian "
    f"dihapus {rules.IDENTITY_RETENTION_DAYS} hari setelah permohonan (beserta keberatannya, bila ada) "
    "selesai diputus, atau setelah batas waktu jawabannya bila permohonan tidak pernah dijawab."
)


class PublicForm(forms.Form):
    """A form whose hints and errors are announced with their field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    #: ids of text elsewhere on the page that describes a field (name -> ids)
    described_by: dict[str, tuple[str, ...]] = {}

    def describe_fields(self) -> None:
        errors = self._errors or {}
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            # not ``self[name]``: that caches the label and hint before a subclass adjusts them
            bound = field.get_bound_field(self, name)
            described = list(self.described_by.get(name, ()))
            if field.help_text:
                described.append(f"{bound.auto_id}-petunjuk")
            if errors.get(name):
                described.append(f"{bound.auto_id}-galat")
            if self.field_note(name):
                described.append(f"{bound.auto_id}-catatan")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def field_note(self, name: str) -> str:
        """What the reader must still do about a field that has no error (shown with it)."""
        return ""

    def anchor(self, name: str) -> str:
        """The id a link in the error summary points to (a choice list: its first choice)."""
        if name not in self.fields:
            return "formulir"
        bound = self[name]
        if isinstance(self.fields[name].widget, forms.RadioSelect):
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def error_summary(self) -> list[tuple[str, str]]:
        """(field id, message) for every error, in the order of the fields on screen."""
        if not self.is_bound or not self.errors:
            return []
        summary = [("formulir", message) for message in self.non_field_errors()]
        for name in self.fields:
            summary.extend((self.anchor(name), message) for message in self.errors.get(name, ()))
            if self.field_note(name):
                summary.append((self.anchor(name), self.field_note(name)))
        return summary


# --- the request -------------------------------------------------------------------------------
class ChallengeMixin(forms.Form):
    """The self-hosted challenge (``ppid.challenge``): a question, a minimum fill time, a honeypot."""

    challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    challenge_answer = forms.CharField(
        label="Jawaban",
        max_length=20,
        error_messages={"required": "Jawab pertanyaan pengaman di bawah ini."},
        help_text="Tulis jawabannya dengan angka, misalnya 12.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input-short"}),
    )
    website = forms.CharField(
        label="Situs web (jangan diisi)",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def setup_challenge(self) -> None:
        """An empty form gets a question; a sent one keeps its token until it is judged."""
        if self.is_bound:
            self.challenge_question = challenge.question(self.data.get("challenge", ""))
        else:
            self.renew_challenge()

    def renew_challenge(self) -> None:
        """A new question; the old answer is cleared (only the answer, nothing the reader wrote)."""
        fresh = challenge.issue()
        self.challenge_question = fresh.question
        if self.is_bound:
            self.data = self.data.copy()
            self.data["challenge"] = fresh.token
            self.data["challenge_answer"] = ""
        else:
            self.initial["challenge"] = fresh.token

    def judge_challenge(self) -> None:
        answer = self.data.get("challenge_answer", "").strip()
        verdict = challenge.judge(self.data.get("challenge", ""), answer, self.data.get("website", ""))
        self.challenge_verdict = verdict
        # A new question after a wrong answer or an expired one; an empty answer keeps its question.
        self.challenge_renewed = verdict is challenge.Verdict.EXPIRED or (
            verdict is challenge.Verdict.WRONG and bool(answer)
        )
        if verdict is challenge.Verdict.ROBOT:
            self.add_error(None, "Formulir tidak dapat diproses. Muat ulang halaman ini, lalu isi kembali.")
        elif self.has_error("challenge_answer") or verdict is challenge.Verdict.PASSED:
            return
        elif verdict is challenge.Verdict.TOO_FAST:
            if not self._errors:  # with other errors to fix, the reader sends it again anyway
                self.add_error(
                    "challenge_answer",
                    "Formulir terkirim terlalu cepat sehingga tampak diisi oleh program otomatis. Periksa "
                    "isian Anda, tunggu beberapa detik, lalu kirim lagi.",
                )
        elif verdict is challenge.Verdict.EXPIRED:
            self.add_error(
                "challenge_answer",
                "Pertanyaan pengaman sudah kedaluwarsa. Jawab pertanyaan yang baru di bawah ini.",
            )
        else:
            self.add_error(
                "challenge_answer",
                "Jawaban pertanyaan pengaman belum benar. Jawab pertanyaan yang baru di bawah ini.",
            )

    def after_challenge_judged(self) -> None:
        """A wrong or expired answer gets a new question (after the errors are known)."""
        if getattr(self, "challenge_renewed", False) or self.challenge_question is None:
            self.renew_challenge()


class RequestFields(PublicForm):
    """Permohonan informasi publik (UU 14/2008 art. 22; Perki 1/2021 form): the fields and checks the
    reader's form (``RequestForm``) and the desk's (``DeskRequestForm``) share."""

    requester_type = forms.ChoiceField(
        label="Anda mengajukan sebagai",
        choices=[
            (value, f"{label} ({rules.IDENTITY_DOCUMENT[value]})") for value, label in RequesterType.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih apakah Anda mengajukan sebagai perorangan atau badan hukum."},
    )
    name = forms.CharField(
        label="Nama lengkap",
        max_length=200,
        help_text="Untuk badan hukum: nama badan hukum dan nama orang yang mewakilinya.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Isi nama lengkap Anda."},
    )
    address = forms.CharField(
        label="Alamat",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": "Isi alamat Anda."},
    )
    occupation = forms.CharField(
        label="Pekerjaan",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": "Isi pekerjaan Anda."},
    )
    phone = forms.CharField(
        label="Nomor telepon atau HP",
        max_length=30,
        help_text="Contoh: 081234567890 atau +62 24 8413393.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "Isi nomor telepon atau HP Anda."},
    )
    email = forms.EmailField(
        label="Alamat email",
        max_length=254,
        help_text="Tanda bukti dikirim ke alamat ini. Nomor registrasi bersama alamat ini dipakai untuk "
        "melihat status permohonan.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Isi alamat email Anda: tanda bukti dan status permohonan memakai alamat ini.",
            "invalid": "Alamat email belum benar. Contoh penulisan: nama@contoh.id.",
        },
    )
    identity_scan = forms.FileField(
        label="Pindaian identitas",
        help_text="Perorangan: KTP. Badan hukum: akta pendirian yang disahkan. Berupa PDF, JPG, atau PNG.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={
            "required": "Pilih berkas pindaian KTP (atau akta pendirian untuk badan hukum).",
            "empty": "Berkas yang dipilih kosong. Pilih berkas pindaian yang lain.",
            "invalid": "Berkas tidak terbaca. Pilih berkas pindaiannya lagi.",
        },
    )
    information = forms.CharField(
        label="Rincian informasi yang dibutuhkan",
        max_length=4000,
        help_text="Sebutkan sejelas mungkin, misalnya judul atau jenis dokumen, tahun, dan wilayahnya.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Tuliskan informasi yang Anda butuhkan."},
    )
    purpose = forms.CharField(
        label="Tujuan penggunaan informasi",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tuliskan tujuan penggunaan informasi."},
    )
    access_method = forms.ChoiceField(
        label="Cara memperoleh informasi",
        choices=AccessMethod.choices,
        widget=forms.RadioSelect,
        help_text="Bila memilih salinan, pilih juga bentuk salinan dan cara mendapatkannya.",
        error_messages={"required": "Pilih cara memperoleh informasi."},
    )
    copy_format = forms.ChoiceField(
        label="Bentuk salinan",
        choices=CopyFormat.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    delivery = forms.ChoiceField(
        label="Cara mendapatkan salinan",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent = forms.BooleanField(
        label="Saya memahami cara penyimpanan dan penghapusan pindaian identitas di atas, dan menyatakan "
        "bahwa data yang saya isi benar.",
        error_messages={"required": "Centang pernyataan persetujuan untuk mengirim permohonan."},
    )

    field_order = [
        "requester_type",
        "name",
        "address",
        "occupation",
        "phone",
        "email",
        "identity_scan",
        "information",
        "purpose",
        "access_method",
        "copy_format",
        "delivery",
        "consent",
    ]
    #: the model's fields, as ``InformationRequest.receive`` takes them
    REQUEST_FIELDS = (
        "requester_type",
        "name",
        "address",
        "occupation",
        "phone",
        "email",
        "identity_scan",
        "information",
        "purpose",
        "access_method",
        "copy_format",
        "delivery",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(rules.IDENTITY_MAX_BYTES)  # "5,0 MB": formatted in the reader's language
        self.fields["identity_scan"].help_text += f" Ukuran paling besar {limit}."

    described_by = {"consent": ("catatan-penyimpanan",)}
    #: the note under a scan that must be chosen again (``{name}``: the file's name)
    choose_again = (
        "Pilih lagi berkas pindaian identitas Anda (“{name}”): berkas belum tersimpan karena ada isian lain "
        "yang perlu diperbaiki, dan demi keamanan peramban tidak mengirim ulang berkas."
    )

    def field_note(self, name: str) -> str:
        """A scan sent with a form that came back is not kept, and the browser forgets it: say so."""
        if name != "identity_scan" or not self.is_bound or self._errors is None or not self._errors:
            return ""
        uploaded = self.files.get("identity_scan")
        if not uploaded or self._errors.get("identity_scan"):
            return ""
        return self.choose_again.format(name=uploaded.name)

    @property
    def choose_again_note(self) -> str:
        return self.field_note("identity_scan")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if not PHONE_PATTERN.match(phone) or not 8 <= len(digits) <= 15:
            raise ValidationError(
                "Nomor telepon hanya berisi angka (boleh diawali +, dengan spasi atau tanda hubung), "
                "8 sampai 15 digit. Contoh: 081234567890."
            )
        return phone

    def clean_identity_scan(self):
        uploaded = self.cleaned_data.get("identity_scan")
        if uploaded:
            validate_identity_scan(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("access_method") == AccessMethod.COPY:
            if not cleaned.get("copy_format"):
                self.add_error(
                    "copy_format", "Pilih bentuk salinan: elektronik (softcopy) atau cetak (hardcopy)."
                )
            if not cleaned.get("delivery"):
                self.add_error("delivery", "Pilih cara mendapatkan salinan.")
            elif cleaned.get("delivery") == Delivery.EMAIL and cleaned.get("copy_format") == CopyFormat.HARD:
                self.add_error(
                    "delivery",
                    "Salinan cetak tidak dapat dikirim lewat email. Pilih dikirim lewat pos atau mengambil "
                    "langsung, atau ubah bentuknya menjadi salinan elektronik.",
                )
        elif cleaned.get("access_method"):
            # Seeing, reading, listening or noting happens at the office: no copy, no delivery.
            cleaned["copy_format"] = ""
            cleaned["delivery"] = ""
        return cleaned

    def request_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.REQUEST_FIELDS}


class RequestForm(ChallengeMixin, RequestFields):
    """The reader's request on the public site: the request's fields behind the challenge."""

    field_order = [*RequestFields.field_order, "challenge_answer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_challenge()

    def clean(self):
        cleaned = super().clean()
        self.judge_challenge()
        return cleaned

    def full_clean(self):
        super().full_clean()
        self.after_challenge_judged()


# --- the desk's registration --------------------------------------------------------------------
#: the channels whose receipt date the desk enters (the deadline counts from it); a walk-in is received now
DATED_CHANNELS = (Channel.LETTER, Channel.EMAIL)


def earliest_received_on(on: dt.date) -> dt.date:
    """The earliest receipt date a letter may be registered with on ``on``: 1 January of the year
    ``RECEIPT_BACKDATE_YEARS`` back."""
    return dt.date(on.year - rules.RECEIPT_BACKDATE_YEARS, 1, 1)


class DeskReceipt(forms.Form):
    """How something handed to the desk came in (in person, by letter, by email) and, for a letter or
    email, the day the office received it, from which its deadline counts: shared by the desk's
    request (``DeskRequestForm``) and objection (``DeskObjectionForm``)."""

    #: what came in, and the deadline its receipt date starts, in the form's wording
    received_what = "permohonan"
    deadline_name = "batas waktu jawaban"

    channel = forms.ChoiceField(
        choices=[(channel.value, channel.label) for channel in Channel if channel is not Channel.ONLINE],
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Pilih salah satu cara yang tersedia: datang langsung, surat, atau email.",
        },
    )
    received_on = forms.DateField(
        label="Tanggal surat atau email diterima",
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "input-short"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "Tanggal belum benar. Pilih dari kalender, atau tulis seperti 23-11-2026."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        channel.label = f"Cara {self.received_what} diterima"
        channel.error_messages["required"] = (
            f"Pilih cara {self.received_what} diterima: datang langsung, surat, atau email."
        )
        self.fields["received_on"].help_text = (
            "Untuk surat: tanggal diterima kantor menurut cap atau agenda surat masuk; untuk email: "
            f"tanggal email masuk. {capfirst(self.deadline_name)} dihitung dari tanggal ini. Kosongkan "
            "untuk yang datang langsung."
        )

    @cached_property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar.load()

    def clean_received_on(self) -> dt.date | None:
        day = self.cleaned_data.get("received_on")
        if day is None:
            return None
        on = today()
        if day > on:
            raise ValidationError(
                f"Tanggal diterima tidak boleh setelah hari ini ({format_date(on)}). Periksa lagi cap "
                "atau agenda surat masuk, atau tanggal email."
            )
        self.check_received_on(day, on)
        return day

    def check_received_on(self, day: dt.date, on: dt.date) -> None:
        """Refuse (``ValidationError``) a receipt date too early for what came in."""

    def check_channel_date(self, cleaned: dict) -> None:
        """A letter or email needs its date; a walk-in has none (received now)."""
        channel, day = cleaned.get("channel"), cleaned.get("received_on")
        if self.has_error("received_on"):
            return
        if channel in DATED_CHANNELS and day is None:
            self.add_error(
                "received_on",
                "Isi tanggal surat atau email diterima kantor (cap atau agenda surat masuk, tanggal email): "
                f"{self.deadline_name} dihitung dari tanggal itu.",
            )
        elif channel == Channel.WALK_IN and day is not None:
            self.add_error(
                "received_on",
                f"{self.received_what.capitalize()} yang datang langsung diterima hari ini: kosongkan "
                "tanggalnya, atau pilih “Lewat surat” atau “Lewat email”.",
            )

    def received_at(self) -> dt.datetime:
        """Now; for a letter or email received on an earlier day, that day at the office's opening (on a day
        the office was closed, at the opening hour of that weekday or else of the week)."""
        day = self.cleaned_data.get("received_on")
        if day is None or day >= today():
            return timezone.now()
        interval = self.calendar.open_interval(day)
        if interval is not None:
            return interval[0]
        hours = self.calendar.hours.get(day.weekday()) or min(self.calendar.hours.values(), default=None)
        return dt.datetime.combine(day, hours[0] if hours else dt.time(0), WIB)


def staff_wording(form: forms.Form, wording: dict) -> None:
    """The reader's wording ("Anda") turned to the requester, for the staff member filling ``form``:
    ``wording``: field -> (label or None to keep it, message when left empty)."""
    for name, (label, required) in wording.items():
        field = form.fields[name]
        if label:
            field.label = label
        field.error_messages = {**field.error_messages, "required": required}


class DeskRequestForm(DeskReceipt, RequestFields):
    """A request the desk received in person, by letter or by email ("Catat permohonan"): the reader's
    fields and checks without the challenge, worded for the staff member, plus how it came in and a
    letter's receipt date, from which its deadline counts. The email may stay empty (no receipt is
    then emailed)."""

    field_order = ["channel", "received_on", *RequestFields.field_order]
    #: field -> (label or None to keep it, message when left empty), for ``staff_wording``
    STAFF_WORDING = {
        "requester_type": (
            "Pemohon mengajukan sebagai",
            "Pilih apakah pemohon mengajukan sebagai perorangan atau badan hukum.",
        ),
        "name": ("Nama lengkap pemohon", "Isi nama lengkap pemohon."),
        "address": (None, "Isi alamat pemohon."),
        "occupation": (None, "Isi pekerjaan pemohon."),
        "phone": (None, "Isi nomor telepon atau HP pemohon."),
        "information": (None, "Tuliskan informasi yang dibutuhkan pemohon."),
        "consent": (
            "Pemohon sudah diberi tahu cara penyimpanan dan penghapusan pindaian identitasnya, dan "
            "menyatakan bahwa data yang diisi benar.",
            "Centang pernyataan ini setelah pemohon diberi tahu cara penyimpanan pindaian identitasnya.",
        ),
    }
    choose_again = (
        "Pilih lagi berkas pindaian identitas (“{name}”): berkas belum tersimpan karena ada isian lain yang "
        "perlu diperbaiki, dan demi keamanan peramban tidak mengirim ulang berkas."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff_wording(self, self.STAFF_WORDING)
        for field in self.fields.values():
            if "autocomplete" in field.widget.attrs:  # the staff member's own details are no answer here
                field.widget.attrs["autocomplete"] = "off"
        email = self.fields["email"]
        email.required = False
        email.help_text = (
            "Tanda bukti dikirim ke alamat ini; bersama nomor registrasi, alamat ini dipakai pemohon untuk "
            "melihat status permohonan. Kosongkan bila pemohon tidak memiliki email: berikan nomor "
            "registrasi dan batas waktunya secara langsung."
        )
        self.describe_fields()

    def check_received_on(self, day: dt.date, on: dt.date) -> None:
        earliest = earliest_received_on(on)
        if day < earliest:
            raise ValidationError(
                f"Tanggal ini terlalu jauh ke belakang: paling awal {format_date(earliest)}. Periksa lagi "
                "tahun dan bulannya pada cap atau agenda surat masuk, atau pada email."
            )

    def clean(self):
        cleaned = super().clean()
        self.check_channel_date(cleaned)
        return cleaned

    def request_fields(self) -> dict:
        return {
            **super().request_fields(),
            "channel": self.cleaned_data["channel"],
            "received_at": self.received_at(),
        }


# --- the status look-up ----------------------------------------------------------------------
class StatusForm(PublicForm):
    number = forms.CharField(
        label="Nomor registrasi",
        max_length=30,
        help_text="Tertera pada tanda bukti, misalnya PI-2026-00042 (permohonan) atau KB-2026-00003 "
        "(keberatan).",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": "Isi nomor registrasi dari tanda bukti Anda."},
    )
    email = forms.EmailField(
        label="Alamat email",
        max_length=254,
        help_text="Alamat email yang Anda isi saat mengajukan permohonan.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Isi alamat email yang Anda pakai saat mengajukan permohonan.",
            "invalid": "Alamat email belum benar. Contoh penulisan: nama@contoh.id.",
        },
    )

    def clean_number(self) -> str:
        number = normalise_number(self.cleaned_data["number"])
        if not re.match(rules.NUMBER_PATTERN, number):
            raise ValidationError("Nomor registrasi ditulis seperti PI-2026-00042 atau KB-2026-00003.")
        return number

    def find(self) -> InformationRequest | None:
        """The request the number (of the request or of one of its objections) and email name."""
        number, email = self.cleaned_data["number"], self.cleaned_data["email"]
        found = InformationRequest.objects.filter(email__iexact=email)
        if number.startswith(rules.OBJECTION_PREFIX):
            return found.filter(objections__number=number).first()
        return found.filter(number=number).first()


# --- the objection ----------------------------------------------------------------------------
#: art. 35(1) grounds that an answer can give rise to, by the answer's decision; c and g depend on
#: time (unanswered past the deadline, answered late), f on a copy having been asked for
GROUNDS_BY_DECISION = {
    Decision.GIVEN: (ObjectionGround.NOT_AS_ASKED, ObjectionGround.NOT_FULFILLED),
    Decision.PARTLY: (
        ObjectionGround.REFUSED,
        ObjectionGround.PERIODIC_NOT_PROVIDED,
        ObjectionGround.NOT_AS_ASKED,
        ObjectionGround.NOT_FULFILLED,
    ),
    Decision.NOT_HELD: (ObjectionGround.PERIODIC_NOT_PROVIDED, ObjectionGround.NOT_FULFILLED),
    Decision.REFUSED: (
        ObjectionGround.REFUSED,
        ObjectionGround.PERIODIC_NOT_PROVIDED,
        ObjectionGround.NOT_FULFILLED,
    ),
}


def objection_grounds(request: InformationRequest) -> list[ObjectionGround]:
    """The grounds that make sense for the request now, in the law's order (a-g)."""
    if not request.is_answered:
        return [ObjectionGround.NOT_ANSWERED] if request.is_overdue() else []
    grounds = set(GROUNDS_BY_DECISION.get(request.decision, ()))
    if request.access_method == AccessMethod.COPY:
        grounds.add(ObjectionGround.UNREASONABLE_FEE)
    if request.answered_late:
        grounds.add(ObjectionGround.LATE)
    return [ground for ground in ObjectionGround if ground in grounds]


def objection_open(request: InformationRequest) -> bool:
    """A ground has arisen and today is within the 30 working days (art. 36(1))."""
    deadline = request.objection_deadline()
    return deadline is not None and today() <= deadline and bool(objection_grounds(request))


class ObjectionFields(PublicForm):
    """Keberatan (UU 14/2008 art. 35-36): the ground among those the request's state allows, minus
    those already used against it, and its description; the fields and checks the reader's form
    (``ObjectionForm``) and the desk's (``DeskObjectionForm``) share."""

    ground = forms.ChoiceField(
        label="Alasan keberatan",
        widget=forms.RadioSelect,
        help_text="Alasan menurut Pasal 35 ayat (1) UU 14/2008; hanya alasan yang sesuai dengan keadaan "
        "permohonan Anda yang ditampilkan.",
        error_messages={
            "required": "Pilih alasan keberatan.",
            "invalid_choice": "Alasan ini tidak sesuai dengan keadaan permohonan Anda. Pilih salah satu "
            "alasan yang tersedia.",
        },
    )
    reason = forms.CharField(
        label="Uraian keberatan",
        max_length=4000,
        help_text="Jelaskan apa yang Anda keberatkan dan apa yang Anda harapkan.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tuliskan uraian keberatan Anda."},
    )

    #: a ground already used against the request (``{ground}``, ``{number}``: the earlier objection's)
    filed_message = "Keberatan dengan alasan {ground} sudah Anda ajukan ({number}). Pilih alasan lain."

    def __init__(self, *args, request_obj: InformationRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj
        self.filed = dict(request_obj.objections.order_by("received_at").values_list("ground", "number"))
        self.already_filed = [ground for ground in objection_grounds(request_obj) if ground in self.filed]
        self.fields["ground"].choices = [
            (ground.value, ground.label)
            for ground in objection_grounds(request_obj)
            if ground not in self.filed
        ]
        self.describe_fields()

    def clean(self):
        cleaned = super().clean()
        ground = self.data.get("ground", "")
        if self.has_error("ground", "invalid_choice") and ground in self.filed:
            message = self.filed_message.format(ground=ground, number=self.filed[ground])
            self._errors["ground"] = self.error_class([message])
        return cleaned

    def objection_fields(self) -> dict:
        """The model's fields, as ``Objection.receive`` takes them."""
        return {
            "request": self.request_obj,
            "ground": self.cleaned_data["ground"],
            "reason": self.cleaned_data["reason"],
        }


class ObjectionForm(ObjectionFields):
    """The reader's objection from the status page (flood control: the view's budgets)."""


class DeskObjectionForm(DeskReceipt, ObjectionFields):
    """An objection handed in at the desk, by letter or by email ("Catat keberatan"): the reader's
    grounds and checks, worded for the staff member, plus how it came in and a letter's receipt date
    (never before the request's ground for objection arose), from which the Atasan PPID's deadline
    counts."""

    received_what = "keberatan"
    deadline_name = "batas waktu tanggapan Atasan PPID"
    field_order = ["channel", "received_on", "ground", "reason"]
    STAFF_WORDING = {
        "ground": (None, "Pilih alasan keberatan yang diajukan pemohon."),
        "reason": (None, "Tuliskan uraian keberatan pemohon."),
    }
    filed_message = (
        "Keberatan dengan alasan {ground} sudah tercatat untuk permohonan ini ({number}). Pilih alasan lain "
        "yang diajukan pemohon."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff_wording(self, self.STAFF_WORDING)
        ground = self.fields["ground"]
        ground.help_text = (
            "Alasan menurut Pasal 35 ayat (1) UU 14/2008; hanya alasan yang sesuai dengan keadaan permohonan "
            "ini dan belum pernah diajukan atasnya yang ditampilkan."
        )
        ground.error_messages["invalid_choice"] = (
            "Alasan ini tidak sesuai dengan keadaan permohonan ini. Pilih salah satu alasan yang tersedia."
        )
        self.fields["reason"].help_text = (
            "Salin atau ringkas dari surat, email, atau keterangan pemohon: apa yang dikeberatkan dan apa "
            "yang diharapkan."
        )
        self.describe_fields()

    def check_received_on(self, day: dt.date, on: dt.date) -> None:
        arose = self.request_obj.objection_ground_arose_on()
        if arose is not None and day < arose:
            why = "permohonan dijawab" if self.request_obj.is_answered else "batas waktu jawaban terlewati"
            raise ValidationError(
                f"Tanggal diterima tidak boleh sebelum {format_date(arose)}: alasan keberatan baru timbul "
                f"pada tanggal itu ({why}). Periksa lagi cap atau agenda surat masuk, atau tanggal email."
            )

    def clean(self):
        cleaned = super().clean()
        self.check_channel_date(cleaned)
        return cleaned

    def objection_fields(self) -> dict:
        return {**super().objection_fields(), "received_at": self.received_at()}

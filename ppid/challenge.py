"""Flood control of the public forms: a budget per client address and a self-hosted challenge.

No third-party CAPTCHA: the form carries a signed token (``django.core.signing``) for a sum or a
difference asked in Indonesian words, answered in digits or words; the token holds the question's
words and a keyed hash of its answer, never the answer or the numbers themselves; a form sent back sooner than
``MIN_SECONDS`` after it was shown, or with the hidden honeypot field filled, is refused. Budgets
count per client address (found as the search limit finds it) per clock hour in Django's cache
(Redis in production, shared by every worker); when the cache cannot answer, the form is allowed.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from kpu_pages.search_limit import client_address
from ppid import rules

SALT = "ppid.challenge"
#: a form filled faster than this (seconds) was not filled by a person
MIN_SECONDS = 4
#: a question older than this (seconds) is replaced by a new one
MAX_AGE = 3 * 60 * 60
#: the honeypot: a field people never see or reach, which form-filling robots fill in
HONEYPOT_FIELD = "website"

WORDS = {
    0: "nol",
    1: "satu",
    2: "dua",
    3: "tiga",
    4: "empat",
    5: "lima",
    6: "enam",
    7: "tujuh",
    8: "delapan",
    9: "sembilan",
    10: "sepuluh",
    11: "sebelas",
}


def in_words(number: int) -> str:
    """0-99 in Indonesian words ("dua belas", "dua puluh satu")."""
    if number in WORDS:
        return WORDS[number]
    if number < 20:
        return f"{WORDS[number - 10]} belas"
    tens, ones = divmod(number, 10)
    prefix = "sepuluh" if tens == 1 else f"{WORDS[tens]} puluh"
    return prefix if ones == 0 else f"{prefix} {WORDS[ones]}"


ANSWERS_IN_WORDS = {in_words(number): number for number in range(100)}


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str


def issue(now: float | None = None) -> Challenge:
    """A new question, signed with the moment it was shown."""
    first, second = 1 + secrets.randbelow(9), 1 + secrets.randbelow(9)
    subtract = secrets.randbelow(2) == 1 and first != second
    if subtract and first < second:
        first, second = second, first
    answer = first - second if subtract else first + second
    nonce = secrets.token_hex(8)
    operation = "dikurangi" if subtract else "ditambah"
    payload = {
        "q": f"Berapa {in_words(first)} {operation} {in_words(second)}?",
        "h": _answer_hash(nonce, answer),
        "t": int(now if now is not None else time.time()),
        "n": nonce,
    }
    return Challenge(token=signing.dumps(payload, salt=SALT), question=payload["q"])


def _answer_hash(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()


def _payload(token: str) -> dict | None:
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(payload, dict) or not {"q", "h", "t", "n"} <= payload.keys():
        return None
    return payload


def question(token: str) -> str | None:
    """The question a valid token asks (to show it again with the reader's answer kept)."""
    payload = _payload(token)
    return payload["q"] if payload else None


def _is_answer(payload: dict, value: int | None) -> bool:
    return value is not None and constant_time_compare(_answer_hash(payload["n"], value), payload["h"])


def answer_for(token: str) -> int:
    """The right answer to a token's question, found as the server checks it (for tests)."""
    payload = _payload(token)
    if payload is None:
        raise ValueError("not a valid challenge token")
    return next(value for value in range(100) if _is_answer(payload, value))


def parse_answer(text: str) -> int | None:
    """Digits ("12") or Indonesian words ("dua belas"); None when neither."""
    cleaned = " ".join((text or "").lower().replace("-", " ").split())
    if cleaned.isdigit() and len(cleaned) <= 3:
        return int(cleaned)
    return ANSWERS_IN_WORDS.get(cleaned)


class Verdict(StrEnum):
    PASSED = "lolos"
    EXPIRED = "kedaluwarsa"
    WRONG = "salah"
    TOO_FAST = "terlalu-cepat"
    ROBOT = "robot"


def min_seconds() -> float:
    return getattr(settings, "PPID_CHALLENGE_MIN_SECONDS", MIN_SECONDS)


def judge(token: str, answer: str, honeypot: str, now: float | None = None) -> Verdict:
    if honeypot:
        return Verdict.ROBOT
    payload = _payload(token)
    if payload is None:
        return Verdict.EXPIRED
    if not _is_answer(payload, parse_answer(answer)):
        return Verdict.WRONG
    if (now if now is not None else time.time()) - payload["t"] < min_seconds():
        return Verdict.TOO_FAST
    if cache.get(_used_key(payload)):
        return Verdict.EXPIRED
    return Verdict.PASSED


def _used_key(payload: dict) -> str:
    return f"ppid-challenge-used:{payload['n']}"


def consume(token: str) -> None:
    """A question answered for a filed form is not accepted a second time."""
    payload = _payload(token)
    if payload is not None:
        cache.set(_used_key(payload), 1, timeout=MAX_AGE + 60)


# --- budgets per client address ----------------------------------------------------------------
class Budget(StrEnum):
    """What is counted, each against its own hourly limit."""

    #: requests and objections filed
    FILED = "diajukan"
    #: every form sent (filed or refused): a flood of bad submissions also ends
    SENT = "dikirim"
    #: status look-ups that matched nothing (number and email guessed)
    NOT_FOUND = "tidak-ditemukan"


#: every form sent, valid or not, per address per hour: room for a reader's corrections
SENT_PER_FILED = 4
WINDOW = 60 * 60
KEY_PREFIX = "ppid-limit"


def hourly_limit(budget: Budget) -> int:
    limit = rules.SUBMISSIONS_PER_ADDRESS_PER_HOUR
    return limit * SENT_PER_FILED if budget is Budget.SENT else limit


def _key(request: HttpRequest, budget: Budget, now: float) -> str:
    return f"{KEY_PREFIX}:{budget}:{client_address(request)}:{int(now // WINDOW)}"


def exhausted(request: HttpRequest, *budgets: Budget, now: float | None = None) -> int:
    """0 while every budget has room, else the seconds until the window ends."""
    now = now if now is not None else time.time()
    for budget in budgets:
        used = cache.get(_key(request, budget, now)) or 0
        if used >= hourly_limit(budget):
            return max(1, int(WINDOW - now % WINDOW))
    return 0


def spend(request: HttpRequest, budget: Budget, now: float | None = None) -> None:
    """Count one use of ``budget`` for the request's client address."""
    now = now if now is not None else time.time()
    key = _key(request, budget, now)
    if cache.add(key, 1, timeout=WINDOW + 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between, or the cache is unavailable
        cache.add(key, 1, timeout=WINDOW + 60)

"""CPR numbers (Danish personal identity numbers): DDMMYY-SSSS, DDMMYYSSSS and "DDMMYY SSSS".

The first six digits must be a real date, with the century read from the 7th digit and the year
(CPR office rule). Modulus 11 *raises* confidence but never rejects: numbers issued since 2007 may fail
it. Context words ("cpr", "CPR-nr.", "personnummer") raise the score, and with such a word even an
impossible date is kept (a mistyped CPR is still a CPR). Journal and case numbers are not CPRs.
"""

from __future__ import annotations

import datetime as dt
import re

from sprogtro.privacy.recognizers.base import Pattern, PatternRecognizer

_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
CONTEXT = ("cpr", "cpr-nr", "cprnr", "cpr nr", "cpr-nummer", "personnummer", "personnr", "cpr.nr", "personnummeret")


def century(yy: int, seventh: int) -> int:
    """The full year of a CPR whose year digits are ``yy`` and whose 7th digit is ``seventh``."""
    if seventh <= 3:
        return 1900 + yy
    if seventh in (4, 9):
        return (2000 if yy <= 36 else 1900) + yy
    return (2000 if yy <= 57 else 1800) + yy


def birth_date(digits: str) -> dt.date | None:
    """The date encoded in a 10-digit CPR, or None when it is not a real date."""
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    try:
        return dt.date(century(yy, seventh), month, day)
    except ValueError:
        return None


def mod11_ok(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS)) % 11 == 0


class CprRecognizer(PatternRecognizer):
    name = "cpr"
    entity_type = "CPR"
    patterns = (
        Pattern("cpr_dash", r"(?<![\d./-])\d{6}-\d{4}(?![\d-])", 0.7),
        Pattern("cpr_space", r"(?<![\d./-])(?<!\d )\d{6} \d{4}(?![\d-]|\s\d)", 0.5),
        Pattern("cpr_plain", r"(?<![\d./-])\d{10}(?![\d-])", 0.45),
    )
    context = CONTEXT
    deny_context = ("j.nr", "jnr", "journalnr", "journal nr", "sagsnr", "sag nr", "sags nr", "reg.nr", "konto", "kontonr", "ean", "cvr", "faktura", "ordre")

    def validate(self, match: re.Match, score: float) -> float | None:
        digits = re.sub(r"\D", "", match.group())
        text = match.string
        before = text[max(0, match.start() - 40) : match.start()].lower()
        has_context = any(word in before for word in CONTEXT)
        if birth_date(digits) is None:
            return 0.6 if has_context else None
        if mod11_ok(digits):
            score += 0.15
        return score

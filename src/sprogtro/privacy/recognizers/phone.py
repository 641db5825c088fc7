"""Danish phone numbers: 8 digits in the usual groupings, with or without +45/0045.

Subscriber numbers never start with 0 or 1 (short codes), so those are not phones. Context words
("tlf.", "mobil", "telefon", "ring") raise the score; a plain run of 8 digits without context is weak
evidence, and one that reads as a date (DDMMYYYY) is dropped. Numbers inside journal/case numbers,
amounts ("kr. 12.345" uses dots, never matched) and year ranges ("2023-2024") are not phones.
"""

from __future__ import annotations

import datetime as dt
import re

from sprogtro.privacy.recognizers.base import Pattern, PatternRecognizer

_PREFIX = r"(?:(?:\+|00)45[ .-]?)"
_S = r"[ .-]?"
_END = r"(?![\d]|[-.]\d|\s\d{2}\b)"
_START = r"(?<![\d.,/-])(?<!\d\s)"


class PhoneRecognizer(PatternRecognizer):
    name = "phone"
    entity_type = "PHONE"
    patterns = (
        Pattern("phone_intl", rf"{_START}{_PREFIX}\(?[2-9]\d\)?{_S}\d{{2}}{_S}\d{{2}}{_S}\d{{2}}{_END}", 0.9),
        Pattern("phone_intl_4_4", rf"{_START}{_PREFIX}[2-9]\d{{3}}{_S}\d{{4}}{_END}", 0.9),
        Pattern("phone_pairs", rf"{_START}[2-9]\d[ .-]\d{{2}}[ .-]\d{{2}}[ .-]\d{{2}}{_END}", 0.65),
        Pattern("phone_4_4", rf"{_START}[2-9]\d{{3}}[ -]\d{{4}}{_END}", 0.55),
        Pattern("phone_3_2_3", rf"{_START}[2-9]\d{{2}} \d{{2}} \d{{3}}{_END}", 0.55),
        Pattern("phone_plain", rf"{_START}[2-9]\d{{7}}{_END}", 0.4),
    )
    context = ("tlf", "telefon", "telefonnummer", "telefonnr", "mobil", "mobilnr", "mobilnummer", "ring", "ringe",
               "sms", "nummer", "nr", "kontakt", "fastnet", "tlf.nr", "phone")
    deny_context = ("j.nr", "jnr", "journalnr", "journal nr", "sagsnr", "sag nr", "sags nr", "kr", "dkk", "cvr",
                    "faktura", "ordre", "reg.nr", "konto", "kontonr", "p-nr", "ean")

    def validate(self, match: re.Match, score: float) -> float | None:
        digits = re.sub(r"\D", "", match.group())
        local = digits[-8:]
        if not match.group().startswith(("+", "00")) and _years(local):
            return None
        if score < 0.5 and _is_date(local):
            return None
        return score


def _years(local: str) -> bool:
    """"2023 2024" or "2019-2021": a year range, not a phone."""
    a, b = int(local[:4]), int(local[4:])
    return 1900 <= a <= 2100 and 1900 <= b <= 2100


def _is_date(local: str) -> bool:
    try:
        dt.date(int(local[4:]), int(local[2:4]), int(local[:2]))
        return True
    except ValueError:
        return False

"""Dates of birth: a date after "født", "f.", "fødselsdato", "fødselsdag" ("født 3. marts 1987",
"Fødselsdato: 17.09.1995", "(f. 03-03-1987)"). Other dates (meeting dates, deadlines) are not hits,
and neither is a year alone ("født i 1987"): it identifies no one and the analysis may need it.
"""

from __future__ import annotations

import re

from sprogtro.privacy.recognizers.base import Pattern, PatternRecognizer

MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_CUE = r"(?:født(?:\s+den|\s+d\.)?|f\.(?:\s*d\.)?|fødselsdato|fødselsdag|fødselsdagen|født\s+d\.|fødselsår\s+og\s+dato|dob)"
_NUMERIC = r"\d{1,2}\s?[./-]\s?\d{1,2}\s?[./-]\s?(?:\d{4}|\d{2})(?!\d)"
_ISO = r"(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)"
_SLASH_DASH = r"\d{1,2}/\d{1,2}[- ](?:\d{4}|\d{2})(?!\d)"
_WORDS = rf"\d{{1,2}}\.?\s+(?:{MONTHS})\.?\s+(?:\d{{4}}|'?\d{{2}})(?!\d)"
_SEP = r"[\s:,(]*"


class BirthDateRecognizer(PatternRecognizer):
    name = "birthdate"
    entity_type = "BIRTHDATE"
    flags = re.IGNORECASE | re.UNICODE
    patterns = (
        Pattern("born_words", rf"(?<![^\W\d_]){_CUE}{_SEP}(?P<v>{_WORDS})", 0.85),
        Pattern("born_numeric", rf"(?<![^\W\d_]){_CUE}{_SEP}(?P<v>{_ISO}|{_SLASH_DASH}|{_NUMERIC})", 0.85),
    )

    def validate(self, match: re.Match, score: float) -> float | None:
        value = match.group("v")
        numbers = [int(n) for n in re.findall(r"\d+", value)]
        if len(numbers) == 3 and value[:4].isdigit() and len(value) >= 10 and value[4] == "-":
            numbers = [numbers[2], numbers[1], numbers[0]]
        day = numbers[0]
        month = numbers[1] if len(numbers) == 3 else 1
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        return score

"""Postal addresses: street + house number (+ letter) + floor/side ("3. th.", "st. tv.", "1. sal",
"2. mf.", "1.tv."), "c/o" lines and postcode + town ("2200 København N").

A street is a capitalised word ending in a Danish street word (-vej, -gade, -allé, Bakken…) or any
capitalised name followed by a number *and* a floor/side or a postcode. Amounts ("kr. 12.345"), times
and "kl. 10" are not addresses. A postcode + town needs a known town, a district letter (N, S, Ø, V,
C, SV, NV) or a preceding street to count.
"""

from __future__ import annotations

import re

from sprogtro.privacy.lexicon import name_lexicon
from sprogtro.privacy.recognizers.base import Pattern, PatternRecognizer

_UP = "A-ZÆØÅÉÜÖÄ"
_LOW = "a-zæøåéüöä"
_CAPWORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)*"
STREET_WORDS = (
    "vej|vejen|gade|gaden|allé|alle|alléen|alleen|vænge|vænget|stræde|strædet|pladsen|torv|torvet|park|parken"
    "|bakke|bakken|toft|toften|haven|lund|lunden|boulevard|sti|stien|høj|højen|eng|engen|marken|vang|vangen"
    "|ageren|krog|krogen|hegn|hegnet|bro|broen|holm|holmen|dal|dalen|skov|skoven|gård|gården|gaard|kær|kæret"
    "|brink|brinken|løkke|løkken|sving|svinget|kaj|kajen|vold|volden|bjerg|bjerget"
    "|passage|promenade|ringvej|tværvej|kvarter|kvarteret|slugt|slugten|skrænt|skrænten|mose|mosen|vig|vigen"
)
_STREET = rf"(?:{_CAPWORD}[ ])?(?:{_CAPWORD}[ ])?[{_UP}][{_LOW}]*(?:{STREET_WORDS})"
_ANY_STREET = rf"(?:{_CAPWORD}[ ]){{0,2}}{_CAPWORD}"
_NUMBER = r"\d{1,4}(?!\d)(?:[ ]?[A-Za-z](?![\w]))?"
_FLOOR = (r"(?:st|kl|k|\d{1,2})\.?[ ]?(?:(?:th|tv|mf|sal)\b\.?(?:,?[ ](?:th|tv|mf)\b\.?)?|,[ ]?(?:th|tv|mf)\b\.?"
          r"|[ ]?(?:lejl\.?|dør)[ ]?\d+)?")
_FLOOR_STRICT = r"(?:st|kl|\d{1,2})\.?[ ]?(?:th|tv|mf|sal)\b\.?|st\.|kl\."
_TOWN = rf"{_CAPWORD}(?:[ ]{_CAPWORD})?(?:[ ](?:N|S|Ø|V|C|K|SV|NV|SØ|NØ)\b)?"
_POSTCODE = rf"[1-9]\d{{3}}[ ]{_TOWN}"
_DISTRICT = re.compile(r" (?:N|S|Ø|V|C|K|SV|NV|SØ|NØ)$")


class AddressRecognizer(PatternRecognizer):
    name = "address"
    entity_type = "ADDRESS"
    patterns = (
        Pattern("street_number_floor_postcode",
                rf"(?<![\w.]){_STREET}[ ]{_NUMBER}(?:,?[ ]{_FLOOR})?,?[ ]{_POSTCODE}", 0.9),
        Pattern("street_number_floor", rf"(?<![\w.]){_STREET}[ ]{_NUMBER}(?:,?[ ]{_FLOOR})?(?![\d.,]\d)", 0.8),
        Pattern("name_number_floor", rf"(?<![\w.]){_ANY_STREET}[ ]{_NUMBER},?[ ](?:{_FLOOR_STRICT})", 0.75),
        Pattern("name_number_postcode", rf"(?<![\w.]){_ANY_STREET}[ ]{_NUMBER},[ ]?{_POSTCODE}", 0.8),
        Pattern("postcode_town", rf"(?<![\w.,/-]){_POSTCODE}", 0.4),
        Pattern("care_of", rf"(?i:c/o)[ ]+{_CAPWORD}(?:[ ]{_CAPWORD}){{0,3}}", 0.85),
    )
    context = ("adresse", "bopæl", "bor på", "bor i", "flyttet til", "flytter til", "adr.", "postadresse")
    deny_context = ("kr", "kr.", "dkk", "kl", "j.nr", "jnr", "sagsnr", "§")

    def validate(self, match: re.Match, score: float) -> float | None:
        value = match.group()
        if value[:4].isdigit():
            town = re.sub(r"^\d{4} ", "", value)
            town_words = _DISTRICT.sub("", town).split()
            if int(value[:4]) in range(1900, 2100) and not _DISTRICT.search(town):
                score -= 0.1  # "i 2019 Aarhus": more likely a year
            if _DISTRICT.search(town) or town_words[0] in name_lexicon().places:
                score += 0.35
            before = match.string[max(0, match.start() - 3) : match.start()]
            if before.endswith((", ", ",")):
                score += 0.2
        return score

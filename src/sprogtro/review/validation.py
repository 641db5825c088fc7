"""Checks on everything a reviewer sends: name, verdict, corrected code, comment.

Each check returns the cleaned value or raises :class:`ReviewInputError` with the field and a Danish
message for the UI (the English ``reason`` is for logs and the CLI). Messages never repeat the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sprogtro.review.codebook import ReviewCodebook

VERDICTS = ("agree", "disagree", "skip", "comment")
# Verdicts that count an item as handled by a reviewer (a comment alone does not).
DECIDED = ("agree", "disagree", "skip")
MAX_NAME = 60
MAX_COMMENT = 2000
_NAME_RE = re.compile(r"^[^\W_][\w .'\-]*$")


class ReviewInputError(ValueError):
    def __init__(self, field: str, message_da: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.message_da = message_da
        self.reason = reason


def clean_reviewer(value: object) -> str:
    """1-60 characters: letters, digits, spaces and . ' - _ ; starts with a letter or digit."""
    if not isinstance(value, str):
        raise ReviewInputError("reviewer", "Skriv dit navn, før du giver din vurdering.", "reviewer missing")
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if not name:
        raise ReviewInputError("reviewer", "Skriv dit navn, før du giver din vurdering.", "reviewer missing")
    if len(name) > MAX_NAME:
        raise ReviewInputError("reviewer", f"Navnet må højst være {MAX_NAME} tegn.", "reviewer too long")
    if not _NAME_RE.match(name):
        raise ReviewInputError(
            "reviewer", "Navnet må kun indeholde bogstaver, tal, mellemrum og . ' - _",
            "reviewer has characters outside letters, digits, space and . ' - _",
        )
    return name


def clean_comment(value: object, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ReviewInputError("comment", "Kommentaren skal være tekst.", "comment is not a string")
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
    if len(text) > MAX_COMMENT:
        raise ReviewInputError("comment", f"Kommentaren må højst være {MAX_COMMENT} tegn.",
                               "comment too long")
    if required and not text:
        raise ReviewInputError("comment", "Skriv en kommentar.", "comment missing")
    return text


@dataclass
class ReviewInput:
    sentence_id: str
    dimension: str
    verdict: str
    code: str  # the code the reviewer says fits (the given code when agreeing)
    given_code: str
    reviewer: str
    comment: str


def clean_review(payload: object, *, codebook: ReviewCodebook, given_code: str, sentence_id: str,
                 dimension: str) -> ReviewInput:
    """Validate a review against the item it is about (its dimension and given code)."""
    if not isinstance(payload, dict):
        raise ReviewInputError("body", "Forespørgslen skal være et JSON-objekt.", "body is not a JSON object")
    reviewer = clean_reviewer(payload.get("reviewer"))
    verdict = payload.get("verdict")
    if verdict not in VERDICTS:
        raise ReviewInputError("verdict", "Ukendt vurdering: vælg enig, uenig, spring over eller kommentar.",
                               f"verdict must be one of {', '.join(VERDICTS)}")
    comment = clean_comment(payload.get("comment"), required=verdict == "comment")
    code = payload.get("code")
    if verdict == "disagree":
        if not isinstance(code, str) or not codebook.is_valid(dimension, code):
            raise ReviewInputError(
                "code", "Vælg den kode, der passer bedre (tast 1-4).",
                f"a disagreement needs a corrected code from the codebook: {', '.join(codebook.values(dimension))}",
            )
        if code == given_code:
            raise ReviewInputError("code", "Den rettede kode skal være en anden end den givne.",
                                   "the corrected code equals the given code")
    else:
        if code not in (None, "", given_code):
            raise ReviewInputError("code", "Kun en uenig vurdering kan have en rettet kode.",
                                   "only 'disagree' takes a corrected code")
        code = given_code
    return ReviewInput(sentence_id=sentence_id, dimension=dimension, verdict=verdict, code=code,
                       given_code=given_code, reviewer=reviewer, comment=comment)

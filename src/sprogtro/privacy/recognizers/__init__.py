"""One recognizer per identifier. Each returns :class:`Hit` objects; none replaces anything."""

from __future__ import annotations

from sprogtro.privacy.recognizers.address import AddressRecognizer
from sprogtro.privacy.recognizers.base import Hit, Pattern, PatternRecognizer, Recognizer
from sprogtro.privacy.recognizers.birthdate import BirthDateRecognizer
from sprogtro.privacy.recognizers.cpr import CprRecognizer
from sprogtro.privacy.recognizers.email import EmailRecognizer
from sprogtro.privacy.recognizers.organisation import OrganisationRecognizer
from sprogtro.privacy.recognizers.person import PersonRecognizer
from sprogtro.privacy.recognizers.person_context import PersonContextRecognizer
from sprogtro.privacy.recognizers.phone import PhoneRecognizer
from sprogtro.privacy.recognizers.speaker import SpeakerRecognizer

ENTITY_TYPES = ("PERSON", "CPR", "PHONE", "EMAIL", "ADDRESS", "BIRTHDATE", "ORG")


def default_recognizers() -> list[Recognizer]:
    """A fresh list of every built-in recognizer."""
    return [
        CprRecognizer(),
        PhoneRecognizer(),
        EmailRecognizer(),
        AddressRecognizer(),
        BirthDateRecognizer(),
        PersonRecognizer(),
        PersonContextRecognizer(),
        SpeakerRecognizer(),
        OrganisationRecognizer(),
    ]


__all__ = [
    "ENTITY_TYPES",
    "AddressRecognizer",
    "BirthDateRecognizer",
    "CprRecognizer",
    "EmailRecognizer",
    "Hit",
    "OrganisationRecognizer",
    "Pattern",
    "PatternRecognizer",
    "PersonContextRecognizer",
    "PersonRecognizer",
    "PhoneRecognizer",
    "Recognizer",
    "SpeakerRecognizer",
    "default_recognizers",
]

"""Phones: +45/0045, groupings, context words; amounts, journal numbers, dates and years are not phones."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tlf. 23 45 67 81", "23 45 67 81"),
        ("mobil: 2345 6781", "2345 6781"),
        ("ring på 23456781 i morgen", "23456781"),
        ("+45 23 45 67 81", "+45 23 45 67 81"),
        ("0045 29 87 65 43", "0045 29 87 65 43"),
        ("+4540123456", "+4540123456"),
        ("tlf.nr.: 23-45-67-81", "23-45-67-81"),
        ("Hun kan træffes på 86 12 34 56 efter kl. 12", "86 12 34 56"),
    ],
)
def test_phone_recognizer_hits(found, text, expected):
    assert found(text, "PHONE") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Ydelsen er kr. 12.345,00 om måneden",
        "J.nr. 2023-1234-56",
        "sagsnr. 2023 4567",
        "Perioden 2019-2021 og 2023 2024",
        "Hun blev født 17091995 ifølge papirerne",
        "Kontonr 1234 12345678",
        "Der er 12 34 56 deltagere",
        "kl. 10.30-12.00",
    ],
)
def test_phone_recognizer_misses(found, text):
    assert found(text, "PHONE") == []

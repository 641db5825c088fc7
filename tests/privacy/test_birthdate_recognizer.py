"""Dates of birth only after a birth cue; other dates and bare years stay."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Borgeren er født 3. marts 1987 i Odense.", "3. marts 1987"),
        ("Fødselsdato: 17.09.1995", "17.09.1995"),
        ("Ibrahim Yilmaz (født 03.07.1992)", "03.07.1992"),
        ("(f. 03-03-1987)", "03-03-1987"),
        ("født den 1/2-1990", "1/2-1990"),
        ("Fødselsdato 1995-09-17", "1995-09-17"),
    ],
)
def test_birthdate_recognizer_hits(found, text, expected):
    assert found(text, "BIRTHDATE") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Mødet er den 3. marts 1987.",
        "Hun er født i 1987 og opvokset i Vejle.",
        "Næste samtale: 11.04.2024 kl. 10.30",
        "Sygemeldt siden 17.09.2023",
    ],
)
def test_birthdate_recognizer_misses(found, text):
    assert found(text, "BIRTHDATE") == []

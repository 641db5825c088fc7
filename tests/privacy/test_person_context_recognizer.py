"""Names announced by context: naming verbs, titles, relations, roles, and label lists."""

from __future__ import annotations

import pytest

from sprogtro.privacy.recognizers.person_context import PersonContextRecognizer
from sprogtro.privacy.textview import TextView


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hendes mor hedder Rask.", ["Rask"]),
        ("Vi talte med fru Lund om sagen.", ["Lund"]),
        ("Hr. Holm var ikke mødt.", ["Holm"]),
        ("Hendes søn Storm er 9 år.", ["Storm"]),
        ("Borgerens datter, Skov, er flyttet.", ["Skov"]),
        ("Egen læge Dam har sendt en erklæring.", ["Dam"]),
        ("Sagsbehandler Pia Bjerg deltog.", ["Pia Bjerg"]),
        ("Hans kæreste Bo Storm var med.", ["Bo Storm"]),
    ],
)
def test_person_context_hits(found, text, expected):
    assert found(text, "PERSON") == expected


def test_person_context_label_lists():
    text = "Deltagere: Karin Bjerregaard (borger), Søren Holm (sagsbehandler), Pia Storm\nDato: 12.03.2024\n"
    hits = PersonContextRecognizer().analyze(TextView(text))
    assert [text[h.start : h.end] for h in hits] == ["Karin Bjerregaard", "Søren Holm", "Pia Storm"]
    assert all(h.pattern == "cue_label" for h in hits)


def test_person_context_bullet_list_under_label(found):
    text = "Til stede:\n- Mette Kirkegaard\n- Jens Rask\n\nReferat: Mødet gik godt."
    assert found(text, "PERSON") == ["Mette Kirkegaard", "Jens Rask"]


@pytest.mark.parametrize(
    "text",
    [
        "Sagsbehandler: Vi skal tale om din plan.",
        "Hun hedder ikke noget særligt i kommunen.",
        "Min mor er syg, og min far arbejder.",
        "Sagsbehandleren i Jobcenter Aarhus har ringet.",
    ],
)
def test_person_context_misses(found, text):
    assert found(text, "PERSON") == []


def test_person_context_lowercase_name_after_naming_verb_in_prose(found):
    assert found("Jeg spurgte til sønnen. Han hedder ali og går i skole.", "PERSON") == ["ali"]
    assert found("Hun hedder ikke noget særligt.", "PERSON") == []

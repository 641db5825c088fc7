"""Identifying organisations are hits; public bodies on the allow-list and bare chains are not."""

from __future__ import annotations

import pytest

from sprogtro.privacy.analyzer import Analyzer


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hun er ansat hos Hansen & Søn ApS.", ["Hansen & Søn ApS"]),
        ("Praktik hos Lindegaard Rengøring I/S i Hvidovre.", ["Lindegaard Rengøring I/S"]),
        ("Han arbejder hos Kjærsgaard VVS ApS.", ["Kjærsgaard VVS ApS"]),
        ("Vi kontakter Føtex Vanløse om en praktik.", ["Føtex Vanløse"]),
        ("Praktikken er i Netto i Brabrand.", ["Netto i Brabrand"]),
        ("Hun har fået job hos Bageriet Solsikken på Amager.", ["Bageriet Solsikken"]),
        ("chauffør hos Aarhus Vognmandsforretning A/S", ["Aarhus Vognmandsforretning A/S"]),
    ],
)
def test_organisation_hits(found, text, expected):
    assert found(text, "ORG") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mødet holdes i Jobcenter Aarhus.",
        "Udbetaling Danmark har stoppet ydelsen.",
        "Region Midtjylland betaler behandlingen.",
        "Sagen er sendt til Ankestyrelsen og Aarhus Kommune.",
        "Hun handler i Netto og Lidl.",
        "Han arbejder i Aarhus.",
        "Hun har praktik i 13 uger.",
    ],
)
def test_organisation_misses(found, text):
    assert found(text, "ORG") == [] and found(text, "PERSON") == []


def test_organisation_allow_list_is_configurable():
    text = "Hun har praktik hos Bageriet Solsikken ApS."
    assert Analyzer(allow_list=["Bageriet Solsikken ApS"]).analyze(text) == []

"""Addresses: street + number + letter + floor/side, c/o, postcode + town; not amounts, times or dates."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Adresse: Vibevej 17, 2. th., 2400 København NV", ["Vibevej 17, 2. th., 2400 København NV"]),
        ("bor på Nørrebrogade 12B, st. tv.", ["Nørrebrogade 12B, st. tv."]),
        ("Søndergade 14, 1. sal, 8000 Aarhus C", ["Søndergade 14, 1. sal, 8000 Aarhus C"]),
        ("Ryesgade 31, 2. mf.", ["Ryesgade 31, 2. mf."]),
        ("Ellebjergvej 56, 2. sal th, 2450 København SV", ["Ellebjergvej 56, 2. sal th, 2450 København SV"]),
        ("flyttet til Bøgeparken 7, 1.tv.", ["Bøgeparken 7, 1.tv."]),
        ("Vejgaard Bymidte 6, 1. th.", ["Vejgaard Bymidte 6, 1. th."]),
        ("Postadresse: 2200 København N", ["2200 København N"]),
        ("Industrivej 22, 6700 Esbjerg", ["Industrivej 22, 6700 Esbjerg"]),
    ],
)
def test_address_recognizer_hits(found, text, expected):
    assert found(text, "ADDRESS") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ydelse: kr. 12.345 udbetalt",
        "Mødet er kl. 10.30 den 12.03.2024",
        "Midtvejsevaluering 17.06.2021 i butikken",
        "Vurdering 2 af 3 er positiv",
        "Hun flyttede i 2019 og arbejder 15 timer om ugen",
        "Paragraf 56 i lov om sygedagpenge",
        "Hun har gået i 9. klasse",
    ],
)
def test_address_recognizer_misses(found, text):
    assert found(text, "ADDRESS") == []


def test_address_care_of_a_known_person_is_replaced_as_that_person(analyzer):
    text = "Han bor c/o Fatemeh Karimi i en periode"
    hits = analyzer.analyze(text)
    assert [(text[h.start : h.end], h.entity_type) for h in hits] == [("Fatemeh Karimi", "PERSON")]


def test_address_care_of_recognizer_alone():
    from sprogtro.privacy.recognizers.address import AddressRecognizer
    from sprogtro.privacy.textview import TextView

    text = "Post sendes c/o Boligselskabet Nordstjernen indtil videre"
    hits = AddressRecognizer().analyze(TextView(text))
    assert [text[h.start : h.end] for h in hits] == ["c/o Boligselskabet Nordstjernen"]

"""Person names: gazetteer, capitalisation, possessives, multi-part names, name-words, lower-case
transcripts. Name-words (Rask, Lund, Holm, Bjerg, Dam, Skov, Bo, Storm) never take the ordinary word."""

from __future__ import annotations

import pytest

from sprogtro.corpus.document import Turn


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Borgeren Mette Kirkegaard møder op.", ["Mette Kirkegaard"]),
        ("Mette fortæller, at hun har sovet dårligt.", ["Mette"]),
        ("Jeg talte med Mettes mor i går.", ["Mette"]),
        ("Jovanas søn går i skole.", ["Jovana"]),
        ("Hun kom sammen med Dragana Petrović.", ["Dragana Petrović"]),
        ("Han har talt med Ahmed bin Ali om det.", ["Ahmed bin Ali"]),
        ("Anne-Marie Hansen-Nielsen er mødt.", ["Anne-Marie Hansen-Nielsen"]),
        ("Samtalen med M. Jensen blev udsat.", ["M. Jensen"]),
        ("Henriette Rask Thomsen møder op.", ["Henriette Rask Thomsen"]),
        ("Hun bor hos Kasper Bjerg og hans søster.", ["Kasper Bjerg"]),
        ("Mødet med Bo blev aflyst.", ["Bo"]),
        ("Hun har ringet til Lars' mor.", ["Lars"]),
        ("Fatima Al-Sayed har tre børn.", ["Fatima Al-Sayed"]),
        ("Senere ringede Xhulio tilbage.", ["Xhulio"]),
    ],
)
def test_person_recognizer_hits(found, text, expected):
    assert found(text, "PERSON") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Borgeren er rask igen og vil gerne bo i skoven ved en dam.",
        "Rask og glad mødte borgeren op til samtalen.",
        "Storm og sne gjorde, at mødet blev aflyst.",
        "Lund og skov præger området, og holm betyder ø.",
        "Hun vil gerne arbejde med tøj eller i en butik.",
        "Mødet blev holdt i Jobcenter Aarhus med deltagelse af Udbetaling Danmark.",
        "Han har boet i Syrien og Tyrkiet, før han kom til Danmark.",
        "Borgeren bruger Facebook og Teams til at holde kontakt.",
        "Hun har ADHD og PTSD ifølge lægen.",
        "Status: Ressourceforløbet fortsætter.",
        "Sagen drøftes i Rehabiliteringsteamet i næste uge.",
        "Hun handler ind i Netto og Lidl.",
    ],
)
def test_person_recognizer_misses(found, text):
    assert found(text, "PERSON") == []


def test_person_name_word_found_by_cue_is_found_where_it_opens_a_sentence(found):
    text = "Hendes søn hedder Storm. Storm går i 3. klasse. Det var storm i går."
    assert found(text, "PERSON") == ["Storm", "Storm"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sagsbehandler: ja så velkommen ahmed\nBorger: tak, min kone fatima er syg\n", ["ahmed", "fatima"]),
        ("Sagsbehandler: hvordan går det hos jensen\nBorger: det går godt\n", ["jensen"]),
        ("Sagsbehandler: og din søn\nBorger: han hedder bo og er rask\n", ["bo"]),
    ],
)
def test_person_lowercase_transcript_hits(found, text, expected):
    turns = [Turn(start=0, end=len(text), speaker="Sagsbehandler", role="caseworker")]
    assert found(text, "PERSON", turns) == expected


def test_person_lowercase_names_outside_transcripts_are_left(found):
    text = "Borgeren mødte op. Hun vil gerne bo tæt på skoven. Det gik godt."
    assert found(text, "PERSON") == []


def test_person_lowercase_name_words_in_transcripts_need_a_naming_cue(found):
    text = "Borger: jeg vil gerne bo i et hus ved skoven\nSagsbehandler: og er du rask\n"
    turns = [Turn(start=0, end=len(text))]
    assert found(text, "PERSON", turns) == []

"""Speaker turns: label forms, roles, overrides, and prose that must not become a transcript."""

from __future__ import annotations

import pytest

from sprogtro.corpus import document_from_text, looks_like_transcript, parse_speaker_roles, role_for_label
from sprogtro.corpus.transcripts import match_label, parse_cues, render_cues

TRANSCRIPT = """Dato: 12.03.2024
Deltagere: Pia, Ali

Sagsbehandler (Pia): Hej Ali, hvordan går det?
Borger: Det går fint.
  Jeg har været til lægen.
[00:01:12] Karina: Godt at høre.
SB: Ok.
B:
Ja tak.
"""


def _turns(text, **kw):
    doc = document_from_text(text, "t.txt", **kw)
    return doc, [(t.speaker, t.role, doc.text[t.start : t.end], doc.text[t.label_start : t.label_end]) for t in doc.turns]


def test_parse_turns_label_forms_and_spans():
    doc, turns = _turns(TRANSCRIPT)
    assert turns == [
        ("Sagsbehandler (Pia)", "caseworker", "Hej Ali, hvordan går det?", "Sagsbehandler (Pia):"),
        ("Borger", "citizen", "Det går fint.\n  Jeg har været til lægen.", "Borger:"),
        ("Karina", "other", "Godt at høre.", "Karina:"),
        ("SB", "caseworker", "Ok.", "SB:"),
        ("B", "citizen", "Ja tak.", "B:"),
    ]


def test_parse_turns_header_lines_are_not_speakers():
    doc, turns = _turns(TRANSCRIPT)
    assert not any(s in ("Dato", "Deltagere") for s, *_ in turns)


def test_speaker_roles_metadata_overrides():
    text = "Karina: Velkommen.\nAli: Tak.\nKarina: Hvad har du lavet?\nAli: Ikke så meget.\n"
    _, turns = _turns(text, metadata={"speaker_roles": "Karina=caseworker;Ali=borger"})
    assert [(s, r) for s, r, *_ in turns] == [
        ("Karina", "caseworker"), ("Ali", "citizen"), ("Karina", "caseworker"), ("Ali", "citizen")
    ]


def test_interviewer_deltager_and_lower_case_labels():
    text = "Interviewer: hvordan oplever du mødet?\nDeltager: det var fint\ninterviewer: okay\nsagsbehandler: ja\n"
    _, turns = _turns(text)
    assert [(s, r) for s, r, *_ in turns] == [
        ("Interviewer", "other"), ("Deltager", "other"), ("interviewer", "other"), ("sagsbehandler", "caseworker")
    ]


@pytest.mark.parametrize(
    "label, role",
    [
        ("Sagsbehandler", "caseworker"), ("Rådgiver", "caseworker"), ("Jobkonsulent (Mads)", "caseworker"),
        ("SB", "caseworker"), ("Borger", "citizen"), ("Jobkandidat", "citizen"), ("Klient", "citizen"),
        ("B", "citizen"), ("Arbejdsgiver", "employer"), ("Virksomhed", "employer"), ("Leder (Hanne)", "employer"),
        ("Interviewer", "other"), ("Borgerens mor", "other"), ("Karina", "other"),
    ],
)
def test_role_for_label(label, role):
    assert role_for_label(label) == role


def test_role_for_label_override_by_name_inside_parentheses():
    assert role_for_label("Deltager (Pia)", parse_speaker_roles("Pia=caseworker")) == "caseworker"


def test_parse_speaker_roles_forms():
    assert parse_speaker_roles("Karina=caseworker; Ali: borger, Søren=arbejdsgiver") == {
        "karina": "caseworker", "ali": "citizen", "soeren": "employer"
    }


@pytest.mark.parametrize(
    "line",
    [
        "Dato: 12.03.2024", "Hun sagde: det er fint", "Kl. 10:30 mødte borgeren op", "https://example.org",
        "Se https://example.org: her", "Ad 1: status", "Bemærk: borgeren var syg", "",
        "Det er vigtigt at sige noget: ja",
    ],
)
def test_match_label_rejects_prose(line):
    assert match_label(line) is None


@pytest.mark.parametrize(
    "line, speaker",
    [
        ("Mette Kirkegaard: Ja.", "Mette Kirkegaard"), ("Ali al Hassan: Nej.", "Ali al Hassan"),
        ("00:01:12 Karina: Hej", "Karina"), ("(01:12) Pia: Hej", "Pia"), ("Interviewer 1: Hej", "Interviewer 1"),
        ("KARINA: hej", "KARINA"), ("Pia (sagsbehandler): Hej", "Pia (sagsbehandler)"),
    ],
)
def test_match_label_accepts_speakers(line, speaker):
    match = match_label(line)
    assert match is not None and match.speaker == speaker


def test_journal_note_is_not_a_transcript(note_text):
    note = "Dato: 01.02.2024\nEmne: Opfølgning\n\n" + note_text + "\nAftale: Ny samtale om 4 uger."
    assert not looks_like_transcript(note)
    assert document_from_text(note, "n.txt").turns == []


def test_transcript_doc_type_lowers_the_bar():
    text = "Referat fra samtalen.\nNoget tekst her.\nMere tekst.\nSagsbehandler: Hej.\nBorger: Hej.\n"
    assert document_from_text(text, "x").turns == []
    assert len(document_from_text(text, "x", metadata={"doc_type": "transskription"}).turns) == 2


VTT = """WEBVTT

NOTE fra optageværktøjet

1
00:00:01.000 --> 00:00:04.000
<v Karina>Hej og velkommen.</v>

2
00:00:04.500 --> 00:00:06.000
<v Karina>Hvordan går det?

00:00:06.500 --> 00:00:09.000 align:start
<v.loud Ali Hassan>Det går <i>fint</i> &amp; roligt.</v>
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Sagsbehandler: Hej og velkommen.

2
00:00:04,500 --> 00:00:06,000
Hvordan går det?

3
00:00:06,500 --> 00:00:09,000
Borger: Det går fint.
"""


def test_parse_cues_vtt_voices_and_tags():
    cues = parse_cues(VTT)
    assert [(c.speaker, c.text) for c in cues] == [
        ("Karina", "Hej og velkommen."), ("Karina", "Hvordan går det?"), ("Ali Hassan", "Det går fint & roligt.")
    ]


def test_render_cues_merges_speaker_runs():
    text, turns = render_cues(parse_cues(SRT))
    assert text == "Sagsbehandler: Hej og velkommen. Hvordan går det?\nBorger: Det går fint.\n"
    assert [(text[t.label_start : t.label_end], text[t.start : t.end], t.role) for t in turns] == [
        ("Sagsbehandler:", "Hej og velkommen. Hvordan går det?", "caseworker"),
        ("Borger:", "Det går fint.", "citizen"),
    ]


def test_render_cues_without_speakers_has_no_turns():
    text, turns = render_cues(parse_cues("1\n00:00:01,000 --> 00:00:02,000\nHej\n\n2\n00:00:02,000 --> 00:00:03,000\nDav\n"))
    assert text == "Hej\nDav\n" and turns == []


def test_form_with_field_labels_is_not_a_transcript():
    form = (
        "Henvisning til mentorforløb – 01.08.2023\n\nBorger: Lene Dahl\nTelefon: 12 34 56 78\n\n"
        "Problemstillinger: Kronisk hovedpine.\n\nRessourcer: Uddannet lærer.\n\nMål: Struktur på hverdagen.\n\n"
        "Tilbud: mentor 2 t/uge.\n"
    )
    assert not looks_like_transcript(form)
    assert document_from_text(form, "f.txt", metadata={"doc_type": "visitation"}).turns == []


def test_three_distinct_speakers_without_repeat_are_not_enough():
    assert not looks_like_transcript("Karina: Hej.\nAli: Hej.\nPeter: Hej.\n")
    assert looks_like_transcript("Karina: Hej.\nAli: Hej.\nKarina: Godt.\n")
    assert looks_like_transcript("Karina: Hej.\nAli: Hej.\n")

"""Speaker labels: names in labels are persons, role words are not."""

from __future__ import annotations

from sprogtro.corpus.document import Turn
from sprogtro.privacy.recognizers.speaker import SpeakerRecognizer
from sprogtro.privacy.textview import TextView


def _labels(text: str, turns=()) -> list[str]:
    return [text[h.start : h.end] for h in SpeakerRecognizer().analyze(TextView(text, list(turns)))]


def test_speaker_labels_from_turns():
    text = "Sagsbehandler (Pia): Hej.\nStorm: Hej med dig.\n"
    turns = [Turn(21, 25, "Sagsbehandler (Pia)", "caseworker", 0, 20), Turn(33, 45, "Storm", "citizen", 26, 32)]
    assert _labels(text, turns) == ["Pia", "Storm"]


def test_speaker_labels_found_without_turns():
    text = "[00:01:12] Karina: Velkommen.\n[00:01:15] Borger: Tak.\n[00:01:20] Karina: Skal vi starte?\n"
    assert _labels(text) == ["Karina", "Karina"]


def test_speaker_heading_labels_in_notes_are_not_names():
    text = "Dato: 12.03.2024\nEmne: Opfølgning\nStatus: Fortsætter\nVurdering: God\n"
    assert _labels(text) == []


def test_speaker_name_in_label_is_replaced_everywhere(found):
    text = "Interviewer: Hvad hedder din søn?\nMariam: Han er 12.\nInterviewer: Tak, Mariam.\n"
    assert found(text, "PERSON") == ["Mariam", "Mariam"]

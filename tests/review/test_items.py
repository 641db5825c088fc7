"""Review items from a sentence table: flagging, cue highlighting, confidence, filters, context."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from sprogtro.review.items import ItemIndex, confidence_of, highlight_segments, parse_cues, split_item_id


def _table():
    doc = "Han har svært ved tider. Han er god til at lave mad. Sagen afventer svar."
    rows = []
    for i, (sentence, framing, action, p) in enumerate([
        ("Han har svært ved tider.", "deficit", "none", 0.9),
        ("Han er god til at lave mad.", "resource", "none", 0.55),
        ("Sagen afventer svar.", "neutral", "waiting", None),
    ]):
        start = doc.index(sentence)
        rows.append({"sentence_id": i + 10, "doc_id": "d1", "sent_index": i, "start_char": start,
                     "end_char": start + len(sentence), "text": sentence, "framing": framing,
                     "expectation": "none", "action": action, "framing_p": p, "action_p": 0.7,
                     "municipality": "Nordby" if i < 2 else None, "doc_type": "journalnotat",
                     "role": None, "speaker": None, "cues": "[]"})
    return pd.DataFrame(rows)


def test_items_flag_every_non_empty_label():
    index = ItemIndex(_table())
    assert list(index.items["item_id"]) == ["10:framing", "11:framing", "12:action"]
    assert index.item("12:action")["code"] == "waiting"
    assert index.item("12:action")["municipality"] is None  # missing values are None, never NaN


def test_items_filter_unknown_municipality_and_confidence():
    index = ItemIndex(_table())
    assert list(index.filter(municipality="(ukendt)")["item_id"]) == ["12:action"]
    assert list(index.filter(below=0.6)["item_id"]) == ["11:framing"]
    assert list(index.filter(min_confidence=0.6)["item_id"]) == ["10:framing", "12:action"]
    assert list(index.filter(order="uncertain")["item_id"])[0] == "11:framing"
    assert list(index.filter(item_ids=["12:action", "10:framing"], order="given")["item_id"]) == [
        "12:action", "10:framing"]


def test_items_context_stays_in_the_document():
    index = ItemIndex(_table())
    before, after = index.context("11")
    assert [s["text"] for s in before] == ["Han har svært ved tider."]
    assert [s["text"] for s in after] == ["Sagen afventer svar."]


def test_items_without_sentence_ids_or_labels_get_defaults():
    df = pd.DataFrame({"doc_id": ["a", "a"], "text": ["Hun mangler erfaring.", "Ok."],
                       "framing": ["deficit", None]})
    index = ItemIndex(df)
    assert list(index.items["item_id"]) == ["a#0:framing"]


@pytest.mark.parametrize("text, cues, start, expected", [
    # offsets into the document, mapped onto the sentence
    ("har svært ved", [{"start": 104, "end": 117, "code": "deficit", "cue": "har svært ved"}], 104,
     [("har svært ved", "deficit")]),
    # offsets already relative to the sentence
    ("Han har svært ved", [{"start": 4, "end": 17, "code": "deficit", "cue": "har svært ved"}], None,
     [("Han ", None), ("har svært ved", "deficit")]),
    # offsets that do not fit: found by the cue text instead
    ("Han er god til mad", [{"start": 900, "end": 910, "code": "resource", "cue": "god til"}], 0,
     [("Han er ", None), ("god til", "resource"), (" mad", None)]),
    # overlapping cues: the first, longest one wins
    ("ikke motiveret nu", [{"start": 0, "end": 14, "code": "deficit", "cue": "ikke motiveret"},
                           {"start": 5, "end": 14, "code": "framing.resource", "cue": "motiveret"}], 0,
     [("ikke motiveret", "deficit"), (" nu", None)]),
    # a cue that is not in the sentence is dropped
    ("Intet her", [{"start": 0, "end": 3, "code": "deficit", "cue": "xyz"}], 0, [("Intet her", None)]),
])
def test_items_highlight_segments(text, cues, start, expected):
    segments = highlight_segments(text, cues, start, "framing")
    assert "".join(s["text"] for s in segments) == text
    assert [(s["text"], s["cue"]["code"] if s["cue"] else None) for s in segments] == expected


def test_items_highlight_marks_cues_of_other_dimensions():
    segs = highlight_segments("Vi afventer svar", [{"start": 3, "end": 11, "code": "waiting", "cue": "afventer"}],
                              0, "framing")
    assert segs[1]["cue"]["relevant"] is False


@pytest.mark.parametrize("row, expected", [
    ({"framing": "deficit", "framing_p": 0.8}, (0.8, 0.8, pytest.approx(0.6))),
    ({"framing": "deficit", "framing_p": 0.4}, (0.4, 0.4, pytest.approx(-0.2))),
    ({"framing": "deficit", "framing_probs": json.dumps({"deficit": 0.5, "mixed": 0.4, "neutral": 0.1})},
     (0.5, 0.5, pytest.approx(0.1))),
    ({"framing": "mixed", "probs": {"framing": {"deficit": 0.5, "mixed": 0.3}}}, (0.3, 0.5, pytest.approx(0.2))),
    ({"framing": "deficit"}, (None, None, None)),
    ({"framing": "deficit", "framing_p": float("nan")}, (None, None, None)),
])
def test_items_confidence_of(row, expected):
    c = confidence_of(row, "framing")
    assert (c.probability, c.max_probability, c.margin) == expected


def test_items_uncertainty_without_probabilities_sorts_last():
    assert confidence_of({"framing": "deficit"}, "framing").uncertainty() == math.inf


@pytest.mark.parametrize("value, n", [
    (None, 0), ("", 0), ("not json", 0), ('{"start": 1, "end": 2}', 1), ('[{"start": 1}, 5]', 1),
    ([{"start": 1}], 1), (float("nan"), 0),
])
def test_items_parse_cues(value, n):
    assert len(parse_cues(value)) == n


@pytest.mark.parametrize("value", ["", "12", "12:", ":framing", "12:topic", None])
def test_items_split_item_id_rejects_malformed(value):
    with pytest.raises(ValueError):
        split_item_id(value)


def test_items_split_item_id_keeps_colons_in_sentence_ids():
    assert split_item_id("doc:7#2:framing") == ("doc:7#2", "framing")

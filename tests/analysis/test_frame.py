"""The sentence table contract: checks, normalisation, aliases."""

from __future__ import annotations

import pandas as pd
import pytest

from sprogtro.analysis.frame import AnalysisError, dedupe_key, group_values, prepare_sentences


def _table(**extra):
    base = {"doc_id": ["a", "a", "b"], "text": ["Én.", "To.", "Tre."], "framing": ["deficit", "", None],
            "expectation": ["high", "none", "low"], "action": ["none", "action", "waiting"]}
    base.update(extra)
    return pd.DataFrame(base)


def test_frame_prepare_fills_defaults_and_parses():
    raw = _table(cues=['[{"code": "framing.deficit", "cue": "mangler", "hedged": false}]', None, ""],
                 date=["2021-03-01", "not a date", None], kommune=["Vejle", " ", None])
    out = prepare_sentences(raw)
    assert list(out["framing"]) == ["deficit", "neutral", "neutral"]  # blank → the empty label
    assert out.loc[0, "cues"][0]["cue"] == "mangler" and out.loc[1, "cues"] == []
    assert out.loc[0, "date"] == pd.Timestamp("2021-03-01") and out["date"].isna().sum() == 2
    assert list(group_values(out, "municipality")) == ["Vejle", "(ukendt)", "(ukendt)"]
    assert list(out["case_id"]) == ["a", "a", "b"] and out["case_from_doc"].all()
    assert list(out["sent_index"]) == [0, 1, 0]
    assert "kommune" in raw.columns and "framing" in raw and raw.loc[1, "framing"] == ""  # input untouched


def test_frame_prepare_names_missing_columns():
    with pytest.raises(AnalysisError, match="lacks the column.*action"):
        prepare_sentences(_table().drop(columns="action"))


def test_frame_prepare_rejects_labels_outside_codebook():
    with pytest.raises(AnalysisError, match="outside the codebook: maybe"):
        prepare_sentences(_table(expectation=["high", "maybe", "low"]))


def test_frame_prepare_rejects_broken_cues_without_echoing_text():
    with pytest.raises(AnalysisError, match="not valid JSON"):
        prepare_sentences(_table(cues=["[{", None, None]))


def test_frame_case_id_kept_when_present():
    out = prepare_sentences(_table(case_id=["K1", "K1", None]))
    assert list(out["case_id"]) == ["K1", "K1", "b"]
    assert list(out["case_from_doc"]) == [False, False, True]


def test_frame_dedupe_key_normalises_case_space_and_unicode():
    assert dedupe_key("  Borgeren  MØDER\nstabilt ") == dedupe_key("borgeren møder stabilt")
    assert dedupe_key("a\u030a") == dedupe_key("å")  # NFC

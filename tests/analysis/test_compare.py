"""Shares with intervals, contingency tests and keyness across groups."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sprogtro.analysis.compare import (ALL_GROUPS, contingency_tests, example_sentences, keyness, label_shares,
                                       tokenize)
from sprogtro.analysis.frame import prepare_sentences


def _two_municipalities(n_a_deficit=40, n_b_deficit=5, n=50):
    rows = []
    for muni, n_def in (("A", n_a_deficit), ("B", n_b_deficit)):
        for i in range(n):
            deficit = i < n_def
            text = (f"Borgeren mangler søvn og motivation {i}." if deficit
                    else f"Borgeren møder stabilt på pladsen {i}.")
            cue = {"start": 9, "end": 16, "code": "framing.deficit" if deficit else "framing.resource",
                   "cue": "mangler" if deficit else "møder stabilt", "negated": False, "hedged": False}
            rows.append({"doc_id": f"{muni}{i // 10}", "sent_index": i % 10, "text": text,
                         "framing": "deficit" if deficit else "resource", "expectation": "none",
                         "action": "none", "municipality": muni, "cues": json.dumps([cue], ensure_ascii=False)})
    return prepare_sentences(pd.DataFrame(rows))


def test_compare_label_shares_counts_and_intervals(sentences):
    table = label_shares(sentences, "municipality")
    allbase = table[(table["base"] == "all") & (table["dimension"] == "framing")]
    for (_group), part in allbase.groupby("group"):
        assert part["count"].sum() == part["total"].iloc[0]
        assert part["share"].sum() == pytest.approx(1.0)
    assert ((table["ci_low"] <= table["share"]) & (table["share"] <= table["ci_high"])).all()
    total = allbase[allbase["group"] == ALL_GROUPS]["total"].iloc[0]
    assert total == len(sentences)
    coded = table[(table["base"] == "coded") & (table["dimension"] == "expectation")]
    assert "none" not in set(coded["label"])
    assert coded[coded["group"] == ALL_GROUPS]["total"].iloc[0] == (sentences["expectation"] != "none").sum()


def test_compare_label_shares_flags_small_groups():
    df = _two_municipalities(n=10, n_a_deficit=5, n_b_deficit=5)
    table = label_shares(df, "municipality")
    assert table[table["group"] == "A"]["small_sample"].all()
    assert not table[table["group"] == ALL_GROUPS]["small_sample"].any() or len(df) < 30


def test_compare_contingency_detects_a_real_difference():
    df = _two_municipalities()
    tests = contingency_tests(df, "municipality").set_index(["dimension", "base"])
    framing = tests.loc[("framing", "all")]
    assert framing["p_value"] < 0.001
    assert framing["cramers_v"] > 0.5
    assert framing["reliable"]
    assert pd.isna(tests.loc[("expectation", "coded"), "chi2"])  # no expectation coded at all: no test


def test_compare_keyness_words_direction_and_stop_words():
    df = _two_municipalities()
    table = keyness(df, "municipality", "words", min_freq=3, stop_words={"og"})
    a = table[table["group"] == "A"].set_index("term")
    assert a.loc["søvn", "direction"] == "over" and a.loc["søvn", "log_ratio"] > 0
    assert a.loc["søvn", "log_likelihood"] > 10.83  # p < 0.001
    assert a.loc["stabilt", "direction"] == "under"
    assert "og" not in a.index
    assert "borgeren" in a.index and a.loc["borgeren", "log_likelihood"] == pytest.approx(0, abs=1e-9)
    first = table[table["group"] == "A"].iloc[0]
    assert first["direction"] == "over"  # over-used terms first


def test_compare_keyness_cues_reads_cue_codes():
    df = _two_municipalities()
    table = keyness(df, "municipality", "cues", min_freq=1)
    terms = set(table["term"])
    assert "mangler [framing.deficit]" in terms
    row = table[(table["group"] == "B") & (table["term"] == "møder stabilt [framing.resource]")].iloc[0]
    assert row["direction"] == "over"


def test_compare_tokenize_keeps_danish_letters():
    assert tokenize("Søster går på gården, 3 æbler; løn-tilskud.") == ["søster", "går", "på", "gården", "æbler",
                                                                        "løn-tilskud"]


def test_compare_example_sentences_are_stable_and_distinct(sentences):
    mask = sentences["framing"] == "deficit"
    first = example_sentences(sentences, mask, n=3)
    again = example_sentences(sentences.sample(frac=1, random_state=3), mask, n=3)
    assert list(first["text"]) == list(again["text"])
    assert first["text"].str.lower().nunique() == 3
    with_term = example_sentences(sentences, mask, n=2, term="gæld [framing.deficit]")
    assert with_term["text"].str.contains("gæld").all()

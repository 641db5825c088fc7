"""The analyzer: overlapping hits merge, allow-listed bodies veto, the threshold filters."""

from __future__ import annotations

from sprogtro.privacy.analyzer import Analyzer, compile_allow_list, resolve
from sprogtro.privacy.recognizers import Hit


def _hit(start, end, kind="PERSON", score=0.8):
    return Hit(start, end, kind, score, "test", "p", "")


def test_analyzer_resolve_merges_same_type_and_prefers_higher_scores():
    merged = resolve([_hit(0, 5), _hit(3, 10), _hit(20, 30, "CPR", 0.9), _hit(22, 25, "PHONE", 0.6)])
    assert [(h.start, h.end, h.entity_type) for h in merged] == [(0, 10, "PERSON"), (20, 30, "CPR")]


def test_analyzer_allow_list_patterns():
    pattern = compile_allow_list(["Jobcenter *", "* Kommune", "Udbetaling Danmark"])
    text = "Jobcenter Aarhus, Ringkøbing-Skjern Kommune og Udbetaling Danmark"
    assert [m.group() for m in pattern.finditer(text)] == [
        "Jobcenter Aarhus", "Ringkøbing-Skjern Kommune", "Udbetaling Danmark"]


def test_analyzer_threshold_filters_weak_hits():
    text = "Rask og glad kom Xhulio."
    assert [text[h.start : h.end] for h in Analyzer().analyze(text)] == ["Xhulio"]
    assert Analyzer(threshold=0.99).analyze(text) == []


def test_analyzer_hits_are_sorted_and_disjoint(analyzer):
    text = "Mette Kirkegaard, CPR 070691-1238, Vibevej 17, 2400 København NV, tlf. 23 45 67 81."
    hits = analyzer.analyze(text)
    assert [h.entity_type for h in hits] == ["PERSON", "CPR", "ADDRESS", "PHONE"]
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:]))

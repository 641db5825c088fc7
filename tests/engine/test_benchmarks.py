"""The benchmark command keeps working: a quick run on a tiny corpus writes every figure."""

from __future__ import annotations

import csv

import pytest

from benchmarks import corpus, run
from benchmarks.measure import Result, ratio_rows

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_benchmarks_quick_run_writes_every_figure(tmp_path, capsys):
    out = tmp_path / "results.csv"
    assert run.main(["--quick", "--sizes", "12", "--sample", "16", "--model", "fallback", "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    figures = {(r["metric"], int(r["size"])): float(r["value"]) for r in rows}
    for metric in ("docs_per_s", "mb_per_s", "bare_spacy_tokens_per_s", "sprogtro_tokens_per_s",
                   "sprogtro_vs_bare_ratio", "sprogtro_tokens_per_s_np2", "n_process_speedup_1_to_2"):
        assert figures[(metric, 16)] > 0, metric
    for metric in ("pseudonymize_peak_rss_mb", "pseudonymize_docs_per_s", "code_peak_rss_mb", "code_docs_per_s"):
        assert figures[(metric, 12)] > 0, metric
    # peak RSS is the child's own, not the benchmark process's (which holds spaCy and the sample)
    assert figures[("pseudonymize_peak_rss_mb", 12)] != figures[("code_peak_rss_mb", 12)]
    table = capsys.readouterr().out
    assert "sprogtro_vs_bare_ratio" in table and "code_peak_rss_mb" in table


def test_benchmarks_corpus_is_deterministic_and_streams_to_disk(tmp_path):
    stats = corpus.write_corpus(tmp_path / "c", 10, seed=3)
    files = sorted(p for p in (tmp_path / "c").rglob("*.txt"))
    assert stats.documents == len(files) == 10
    assert stats.bytes == sum(p.stat().st_size for p in files)
    # document i depends only on (seed, i): a larger corpus starts with the smaller one
    assert [corpus.document(i, seed=3) for i in range(10)] == list(corpus.iter_documents(10, seed=3))
    assert corpus.document(4, seed=3) != corpus.document(4, seed=4)
    text = corpus.document(1, seed=3)[1]
    assert "Personnummer:" in text and "Tlf.:" in text  # planted identifiers
    assert {p.parent.name for p in files} == set(corpus.DOC_TYPES)


def test_benchmarks_peak_rss_growth_per_step():
    results = [Result("scale", f"{step}_peak_rss_mb", size, mb, "MB")
               for step, size, mb in [("pseudonymize", 10, 100), ("pseudonymize", 100, 150),
                                      ("code", 10, 400), ("code", 100, 420)]]
    growth = {r.metric: r.value for r in ratio_rows(results, 10, 100)}
    assert growth == {"pseudonymize_peak_rss_growth": 1.5, "code_peak_rss_growth": 1.05}
    assert ratio_rows(results, 10, 1000) == []


def test_benchmarks_no_scale_measures_throughput_only(tmp_path):
    out = tmp_path / "results.csv"
    assert run.main(["--quick", "--no-scale", "--sample", "12", "--model", "fallback", "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["section"] for r in rows} == {"pseudonymization", "coding"}

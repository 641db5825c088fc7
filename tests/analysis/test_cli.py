"""`sprogtro topics`, `compare` and `report` end to end: from a project store and from a sentence table."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from sprogtro.cli import cli
from sprogtro.corpus import Document

from .conftest import make_sentences


@pytest.fixture(scope="module")
def coded_csv(tmp_path_factory):
    """What `sprogtro code --out coded.csv` writes (12 cases of the synthetic corpus)."""
    path = tmp_path_factory.mktemp("coded") / "coded.csv"
    make_sentences(seed=1, n_cases=12).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A real project store holding the synthetic corpus (12 cases) as pseudonymized, machine-coded documents."""
    from sprogtro.store import Project

    raw = make_sentences(seed=1, n_cases=12)
    path = tmp_path_factory.mktemp("store") / "proj"
    with Project.init(path) as proj:
        for doc_id, part in raw.groupby("doc_id", sort=True):
            rows, text = [], ""
            for r in part.itertuples():
                start = len(text) + (1 if text else 0)
                text = f"{text} {r.text}" if text else r.text
                rows.append({"sent_index": r.sent_index, "start_char": start, "end_char": len(text), "text": r.text,
                             "speaker": r.speaker, "role": r.role, "framing": r.framing,
                             "expectation": r.expectation, "action": r.action, "cues": json.loads(r.cues)})
            first = part.iloc[0]
            meta = {k: first[k] for k in ("municipality", "doc_type", "date", "case_id")}
            proj.add_document(Document(doc_id=doc_id, text=text, metadata=meta, pseudonymized=True))
            proj.save_sentence_coding(doc_id, rows, coder="sprogtro-test", version="0.0-test")
    return path


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_compare_from_project_writes_tables(project, tmp_path):
    result = _run("compare", "--project", str(project), "--by", "municipality", "--by", "doc_type",
                  "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for name in ("shares_by_municipality", "tests_by_municipality", "keyness_words_by_municipality",
                 "keyness_cues_by_municipality", "expectation_index_by_municipality", "shares_by_doc_type",
                 "cases", "expectation_action_by_municipality"):
        assert (tmp_path / f"{name}.csv").exists(), name
    shares = pd.read_csv(tmp_path / "shares_by_municipality.csv")
    assert {"Aarhus", "Odense", "Vejle", "Aalborg", "(alle)"} <= set(shares["group"])
    known = shares[shares["total"] > 0]
    assert (known["ci_low"] <= known["share"]).all() and (known["share"] <= known["ci_high"]).all()
    assert shares.loc[shares["total"] == 0, "share"].isna().all()  # no base: no share, not 0
    cases = pd.read_csv(tmp_path / "cases.csv")
    assert len(cases) == 12 and not cases["case_from_doc"].any()


def test_cli_report_from_project_is_one_file(project, tmp_path):
    out = tmp_path / "report.html"
    result = _run("report", "--project", str(project), "--out", str(out), "--no-topics")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "sprogtro-test (version 0.0-test)" in html  # which coder's labels the report shows
    assert list(tmp_path.iterdir()) == [out]  # nothing beside it: one self-contained file


def test_cli_topics_fast_from_sentence_table(coded_csv, tmp_path):
    pytest.importorskip("bertopic", reason="the 'topics' extra is not installed")
    result = _run("topics", "--sentences", str(coded_csv), "--by", "doc_type", "--out", str(tmp_path), "--fast",
                  "--quiet")
    assert result.exit_code == 0, result.output
    assert "topics" in result.output
    assert (tmp_path / "topics_per_doc_type.csv").exists() and (tmp_path / "topics.html").exists()


def test_cli_needs_exactly_one_input(coded_csv, project, tmp_path):
    result = CliRunner().invoke(cli, ["compare", "--out", str(tmp_path)])
    assert result.exit_code != 0 and "either --project DIR or --sentences FILE" in result.output
    result = CliRunner().invoke(cli, ["compare", "--project", str(project), "--sentences", str(coded_csv),
                                      "--out", str(tmp_path)])
    assert result.exit_code != 0


def test_cli_bad_table_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"doc_id": ["a"], "text": ["Borgeren mangler noget."]}).to_csv(bad, index=False)
    result = CliRunner().invoke(cli, ["compare", "--sentences", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "framing" in result.output
    assert "mangler noget" not in result.output  # never echo citizen text


def test_cli_empty_project_says_what_to_do(tmp_path):
    from sprogtro.store import Project

    Project.init(tmp_path / "empty").close()
    result = CliRunner().invoke(cli, ["report", "--project", str(tmp_path / "empty"), "--out", str(tmp_path / "r.html"),
                                      "--no-topics"])
    assert result.exit_code == 1
    assert "sprogtro code" in result.output

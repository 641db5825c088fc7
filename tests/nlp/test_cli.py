"""`sprogtro code` and `sprogtro evaluate` through click, as users call them."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from sprogtro.cli import cli


def _folder(path, files: dict[str, str]):
    """A folder holding ``files`` (name → UTF-8 text)."""
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def _code(folder, out, *options):
    """``sprogtro code FOLDER --out OUT OPTIONS…`` through the CLI."""
    return CliRunner().invoke(cli, ["code", str(folder), "--out", str(out), *options])


@pytest.fixture
def notes(tmp_path):
    return _folder(tmp_path / "notes", {
        "a.txt": "Borgeren har svært ved at møde stabilt. Hun er god til at samarbejde.\n",
        "b.txt": "Vi afventer lægeerklæringen. Jeg tror på, at hun kan komme i job.\n",
    })


def test_cli_code_help_has_an_example():
    result = CliRunner().invoke(cli, ["code", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--assume-pseudonymized" in result.output


def test_cli_code_files_to_csv(notes, tmp_path):
    out = tmp_path / "coded.csv"
    result = _code(notes, out, "--assume-pseudonymized", "--model", "fallback", "--quiet")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["doc_id"] for r in rows] == ["a.txt", "a.txt", "b.txt", "b.txt"]
    assert rows[0]["framing"] in ("deficit", "mixed") and rows[2]["action"] == "waiting"
    assert json.loads(rows[0]["cues"])


def test_cli_code_pseudonymizes_without_key_file(tmp_path):
    folder = _folder(tmp_path / "raw", {"n.txt": "Mette Hansen har svært ved at møde. Hun kan kontaktes på 22 33 44 55.\n"})
    out = tmp_path / "coded.jsonl"
    result = _code(folder, out, "--model", "fallback")
    assert result.exit_code == 0, result.output
    assert "re-identification is impossible" in result.output
    text = out.read_text(encoding="utf-8")
    assert "22 33 44 55" not in text and "Mette Hansen" not in text


def test_cli_code_pseudonymizes_names_in_file_names(tmp_path):
    folder = _folder(tmp_path / "raw", {"samtale_Mette_Kirkegaard.txt": "Mette Kirkegaard er god til at lave mad.\n"})
    out = tmp_path / "coded.csv"
    result = _code(folder, out, "--model", "fallback", "-q")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Mette" not in text and "Kirkegaard" not in text
    assert "samtale_" in text  # ordinary words of the file name survive


def test_cli_code_table_input(tmp_path):
    table = tmp_path / "cases.csv"
    table.write_text("sagsnr,notat\nS1,Hun mangler motivation.\nS2,Der iværksættes praktik.\n", encoding="utf-8")
    out = tmp_path / "coded.parquet"
    result = CliRunner().invoke(cli, ["code", str(table), "--text-column", "notat", "--id-column", "sagsnr",
                                      "--out", str(out), "--assume-pseudonymized", "--model", "fallback", "-q"])
    assert result.exit_code == 0, result.output
    import pyarrow.parquet as pq

    assert pq.read_table(out).column("doc_id").to_pylist() == ["S1", "S2"]


def test_cli_code_needs_out(notes):
    result = CliRunner().invoke(cli, ["code", str(notes)])
    assert result.exit_code != 0 and "--out" in result.output


def test_cli_evaluate_prints_metrics_and_json(tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "id,text,framing,expectation,action,split\n"
        "1,Hun mangler motivation.,deficit,none,none,test\n"
        "2,Hun er god til at lave mad.,resource,none,none,test\n"
        "3,Jeg tvivler på at han kan få et job.,neutral,low,none,test\n"
        "4,Sagen sættes i bero.,neutral,none,waiting,test\n"
        "5,Der iværksættes praktik.,neutral,none,action,train\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", str(gold), "--text-column", "text", "--id-column", "id",
                                 "--model", "fallback", "--combine", "rules", "-q"])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "κ" in result.output and "confusion" in result.output
    assert "4 sentences (split test)" in result.output
    result = runner.invoke(cli, ["evaluate", str(gold), "--split", "all", "--json", "--model", "fallback",
                                 "--combine", "rules", "-q"])
    report = json.loads(result.output)
    assert report["n"] == 5 and report["dimensions"]["framing"]["macro"]["f1"] == 1.0


def test_cli_code_project(tmp_path):
    from sprogtro.corpus.document import Document
    from sprogtro.store import Project

    with Project.init(tmp_path / "projekt") as project:
        project.add_document(Document(doc_id="a.txt", text="Hun mangler motivation. Sagen sættes i bero.",
                                      pseudonymized=True))
    runner = CliRunner()
    args = ["code", "--project", str(tmp_path / "projekt"), "--model", "fallback"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "coded 2 sentences in 1 documents" in result.output
    result = runner.invoke(cli, args)  # nothing left for this model version
    assert "coded 0 sentences in 0 documents" in result.output


def _train_tiny_parser(path):
    """A blank Danish pipeline with a dependency parser trained on a few hand-parsed sentences and saved:
    the model tier the real da_core_news_* pipelines occupy (parse-scoped context, parse-based agency)."""
    import random

    import spacy
    from spacy.training import Example

    parsed = [
        ("Borgeren har fundet en praktikplads .", [2, 2, 2, 4, 2, 2], ["nsubj", "aux", "ROOT", "det", "obj", "punct"]),
        ("Vi har henvist borgeren til psykolog .", [2, 2, 2, 2, 5, 2, 2],
         ["nsubj", "aux", "ROOT", "obj", "case", "obl", "punct"]),
        ("Hun er god til at samarbejde .", [2, 2, 2, 5, 5, 2, 2], ["nsubj", "cop", "ROOT", "mark", "mark", "xcomp", "punct"]),
        ("Han har svært ved at møde .", [1, 1, 1, 5, 5, 2, 1], ["nsubj", "ROOT", "obj", "mark", "mark", "acl", "punct"]),
    ]
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("da")
    parser = nlp.add_pipe("parser")
    examples = []
    for text, heads, deps in parsed:
        words = text.split()
        examples.append(Example.from_dict(nlp.make_doc(text), {"words": words, "heads": heads, "deps": deps}))
    for _, _, deps in parsed:
        for dep in deps:
            parser.add_label(dep)
    optimizer = nlp.initialize(lambda: examples)
    random.seed(0)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(path)
    return path


def test_cli_code_with_a_parser_pipeline(tmp_path):
    """`code --model PATH` on a saved pipeline with a dependency parser: the parser's sentences are used,
    every sentence is labelled and the citizen as object of "henvist" is read from the parse."""
    model = _train_tiny_parser(tmp_path / "tiny_parser")
    folder = _folder(tmp_path / "notes", {"a.txt": "Borgeren har fundet en praktikplads .\n",
                                          "b.txt": "Vi har henvist borgeren til psykolog .\n"})
    out = tmp_path / "coded.csv"
    result = _code(folder, out, "--assume-pseudonymized", "--model", str(model), "--quiet")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(r["framing"] and r["expectation"] and r["action"] for r in rows)
    [referred] = [r for r in rows if r["doc_id"] == "b.txt" and "borgeren" in r["text"]]
    assert (referred["referent"], referred["agency"]) == ("borgeren", "object")

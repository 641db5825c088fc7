"""`sprogtro init`, `ingest` and `status` through the CLI (CliRunner), on small fictional sources."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sprogtro.cli import cli
from sprogtro.store import Project

NOTE = ("Borgeren Mette Kirkegaard, cpr 010190-1234, har svært ved at møde stabilt. "
        "Hun kan kontaktes på 20 30 40 50. Mette er god til at samarbejde.\n")


@pytest.fixture
def sources(tmp_path):
    root = tmp_path / "kilder"
    (root / "aarhus" / "journalnotater").mkdir(parents=True)
    (root / "aarhus" / "journalnotater" / "notat1.txt").write_text(NOTE, encoding="utf-8")
    (root / "aarhus" / "journalnotater" / "notat2.txt").write_text("Borgeren afventer svar.\n", encoding="utf-8")
    return root


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)


def test_cli_init_ingest_status_and_no_raw_text(tmp_path, sources, passphrase):
    project, key = tmp_path / "projekt", tmp_path / "nøgle.enc"
    assert run("init", project).exit_code == 0
    result = run("ingest", sources, "--project", project, "--key-file", key, "-q")
    assert result.exit_code == 0, result.output
    assert key.is_file()
    with Project.open(project) as p:
        docs = {d.doc_id: d for d in p.iter_documents()}
        assert set(docs) == {"aarhus/journalnotater/notat1.txt", "aarhus/journalnotater/notat2.txt"}
        text = docs["aarhus/journalnotater/notat1.txt"].text
        assert docs["aarhus/journalnotater/notat1.txt"].municipality == "Aarhus"
    assert "Kirkegaard" not in text and "010190-1234" not in text and "20 30 40 50" not in text
    raw = (project / "project.db").read_bytes() + b"".join(
        f.read_bytes() for f in project.iterdir() if f.is_file())
    assert b"Kirkegaard" not in raw and b"010190" not in raw
    status = run("status", "--project", project, "--json")
    info = json.loads(status.output)
    assert info["documents"] == 2 and info["by_municipality"] == {"Aarhus": 2}
    text_status = run("status", "--project", project)
    assert "journalnotat" in text_status.output


def test_cli_reingest_unchanged_is_noop_and_flags_win(tmp_path, sources, passphrase):
    project, key = tmp_path / "projekt", tmp_path / "k.enc"
    run("init", project)
    run("ingest", sources, "--project", project, "--key-file", key, "-q")
    with Project.open(project) as p:
        before = p.documents_frame()[["doc_id", "content_hash", "updated_at"]]
    result = run("ingest", sources, "--project", project, "--key-file", key)
    assert "0 added, 0 updated, 0 metadata updated, 2 unchanged" in result.output
    with Project.open(project) as p:
        assert p.documents_frame()[["doc_id", "content_hash", "updated_at"]].equals(before)
    result = run("ingest", sources, "--project", project, "--key-file", key, "--municipality", "Vejle",
                 "--doc-type", "visitation")
    assert result.exit_code == 0
    with Project.open(project) as p:
        docs = p.documents_frame()
    assert set(docs["municipality"]) == {"Vejle"} and set(docs["doc_type"]) == {"visitation"}
    assert docs["content_hash"].tolist() == before["content_hash"].tolist()  # same surrogates, same text


def test_cli_ingest_reports_unreadable_and_exits_nonzero(tmp_path, sources, passphrase):
    (sources / "aarhus" / "journalnotater" / "scan.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    project = tmp_path / "projekt"
    run("init", project)
    result = run("ingest", sources, "--project", project, "--key-file", tmp_path / "k.enc", "-q")
    assert result.exit_code != 0
    assert "scan.pdf" in result.output
    with Project.open(project) as p:
        assert len(p.document_ids()) == 2  # the readable ones are stored


def test_cli_ingest_refuses_key_inside_project(tmp_path, sources, passphrase):
    project = tmp_path / "projekt"
    run("init", project)
    result = run("ingest", sources, "--project", project, "--key-file", project / "k.enc")
    assert result.exit_code != 0 and "inside the project folder" in result.output
    assert not (project / "k.enc").exists()


def test_cli_ingest_needs_a_project(tmp_path, sources, passphrase):
    result = run("ingest", sources, "--project", tmp_path / "none", "--key-file", tmp_path / "k.enc")
    assert result.exit_code != 0 and "sprogtro init" in result.output


def test_cli_ingest_into_project_inside_source_folder(tmp_path, sources, passphrase):
    project = sources / "projekt"
    run("init", project)
    result = run("ingest", sources, "--project", project, "--key-file", tmp_path / "k.enc", "-q")
    assert result.exit_code == 0, result.output
    with Project.open(project) as p:
        assert not [d for d in p.document_ids() if d.startswith("projekt")]


def test_cli_ingest_model_finds_lowercase_names_rules_miss(tmp_path, passphrase):
    # lower-case transcript, names in no gazetteer: only the shipped sprogtro_da (--model auto) finds them
    src = tmp_path / "kilder"
    src.mkdir()
    (src / "samtale.txt").write_text("Sagsbehandler: hvordan går det med praktikken?\n"
                                     "Borger: jeg var ude hos ulugbek gebremedhin i sidste uge og det gik fint\n",
                                     encoding="utf-8")
    texts = {}
    for model in ("none", "auto"):
        project = tmp_path / f"projekt-{model}"
        assert run("init", project).exit_code == 0
        result = run("ingest", src, "--project", project, "--key-file", tmp_path / "k.enc", "--model", model, "-q")
        assert result.exit_code == 0, result.output
        with Project.open(project) as p:
            texts[model] = next(p.iter_documents()).text
    assert "ulugbek gebremedhin" in texts["none"]
    assert "ulugbek" not in texts["auto"] and "gebremedhin" not in texts["auto"] and "sidste uge" in texts["auto"]

"""`sprogtro pseudonymize` and `sprogtro reidentify` through click's CliRunner."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from sprogtro.cli import cli

NOTE = "Borger: Mette Kirkegaard, CPR 070691-1238, tlf. 23 45 67 81.\nMette er glad for praktikken.\n"


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    (src / "aarhus").mkdir(parents=True)
    (src / "aarhus" / "notat.txt").write_text(NOTE, encoding="utf-8")
    (src / "aarhus" / "notat.docx").write_bytes(b"this is no docx")  # unreadable + same stem as notat.txt
    (src / "rows.csv").write_text("id,tekst,note\nR1,Jens Rask ringede.,Ring til Jens\n", encoding="utf-8")
    return src


def _run(args, passphrase="pw-test"):
    return CliRunner().invoke(cli, args, env={"SPROGTRO_PASSPHRASE": passphrase})


def test_cli_pseudonymize_writes_outputs_report_and_key(corpus, tmp_path):
    out, key = tmp_path / "out", tmp_path / "keys" / "k.enc"
    result = _run(["pseudonymize", str(corpus), "--out", str(out), "--key-file", str(key), "-q"])
    assert result.exit_code != 0  # the broken .docx is reported …
    assert "notat.docx" in result.output and "failed" in result.output
    text = (out / "aarhus" / "notat.txt.txt").read_text(encoding="utf-8")  # … and clashing stems keep full names
    assert "Mette" not in text and "070691-1238" not in text and "23 45 67 81" not in text
    assert (out / "rows" / "R1.txt").is_file() and "Jens" not in (out / "rows" / "R1.txt").read_text()
    assert key.is_file() and not any(p.suffix == ".enc" for p in out.rglob("*"))
    rows = list(csv.DictReader((out / "pseudonymization_report.csv").open(encoding="utf-8")))
    assert {r["document"] for r in rows} == {"aarhus/notat.txt.txt", "rows/R1.txt"}
    assert "Mette" not in (out / "pseudonymization_report.csv").read_text()
    meta = (out / "metadata.csv").read_text(encoding="utf-8")
    assert "Jens" not in meta and "rows/R1.txt" in meta


def test_cli_pseudonymize_rerun_skips_and_force_redoes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTE, encoding="utf-8")
    out, key = tmp_path / "out", tmp_path / "k.enc"
    first = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", str(key)])
    assert first.exit_code == 0, first.output
    before = (out / "a.txt").read_text()
    again = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", str(key)])
    assert "0 written, 1 already done" in again.output
    forced = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", str(key), "--force"])
    assert "1 written" in forced.output and (out / "a.txt").read_text() == before  # same vault, same surrogates


def test_cli_pseudonymize_refuses_key_inside_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTE)
    result = _run(["pseudonymize", str(src), "--out", str(tmp_path / "out"), "--key-file", str(tmp_path / "out" / "k.enc")])
    assert result.exit_code == 1 and "inside the output folder" in result.output


def test_cli_pseudonymize_output_inside_input_is_not_read_back(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTE)
    args = ["pseudonymize", str(src), "--out", str(src / "pseudo"), "--key-file", str(tmp_path / "k.enc"), "-q"]
    assert _run(args).exit_code == 0
    assert _run(args).exit_code == 0
    assert not (src / "pseudo" / "pseudo").exists()


def test_cli_reidentify_round_trip_and_wrong_passphrase(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTE, encoding="utf-8")
    out, key = tmp_path / "out", tmp_path / "k.enc"
    assert _run(["pseudonymize", str(src), "--out", str(out), "--key-file", str(key), "-q"]).exit_code == 0
    restored = _run(["reidentify", str(out / "a.txt"), "--key-file", str(key)])
    assert restored.exit_code == 0 and restored.output == NOTE
    target = tmp_path / "back.txt"
    assert _run(["reidentify", str(out / "a.txt"), "--key-file", str(key), "--out", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == NOTE
    wrong = _run(["reidentify", str(out / "a.txt"), "--key-file", str(key)], passphrase="nope")
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output and "Mette" not in wrong.output


def test_cli_pseudonymize_tags_style(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTE, encoding="utf-8")
    out = tmp_path / "out"
    result = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", str(tmp_path / "k.enc"), "--style", "tags", "-q"])
    assert result.exit_code == 0
    assert (out / "a.txt").read_text() == "Borger: [PERSON_1], CPR [CPR_1], tlf. [PHONE_1].\n[PERSON_1] er glad for praktikken.\n"


def test_cli_pseudonymize_without_passphrase_fails_cleanly(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTE)
    result = CliRunner().invoke(cli, ["pseudonymize", str(src), "--out", str(tmp_path / "o"), "--key-file",
                                      str(tmp_path / "k.enc")], env={"SPROGTRO_PASSPHRASE": ""})
    assert result.exit_code == 1 and "SPROGTRO_PASSPHRASE" in result.output
    shutil.rmtree(tmp_path / "o", ignore_errors=True)


def test_cli_pseudonymize_mixed_formats_leave_no_planted_identifier(tmp_path):
    import docx

    src = tmp_path / "in"
    src.mkdir()
    document = docx.Document()
    document.add_paragraph("Visitation af Zeynep Yılmaz, CPR 111286-2168, Munkerisvej 40, 3. mf., 5230 Odense M.")
    document.add_paragraph("Zeyneps mentor, Bo Lund, ringer på 52 18 03 66.")
    document.save(src / "visitation.docx")
    (src / "samtale.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Karina>Hej Yusuf, hvordan går det?\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Yusuf>Fint. Min kone Elif er startet hos Lagerhuset Skejby A/S.\n",
        encoding="utf-8")
    (src / "noter.txt").write_text("Mødt: Kirsten Rask og Per Storm. Borgeren er rask.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", str(tmp_path / "k.enc"), "-q"])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.txt")))
    for planted in ("Zeynep", "Yılmaz", "111286-2168", "Munkerisvej", "5230 Odense", "Lund", "52 18 03 66",
                    "Karina", "Yusuf", "Elif", "Lagerhuset", "Kirsten", "Rask", "Storm"):
        assert planted not in text, planted
    assert "Bo " not in text and "rask." in text


# A lower-case transcript naming people in no gazetteer: only the shipped sprogtro_da finds them.
TRANSCRIPT = ("Sagsbehandler: hvordan går det med praktikken?\n"
              "Borger: jeg var ude hos ulugbek gebremedhin i sidste uge og det gik fint\n"
              "Sagsbehandler: okay og hvad sagde ngozi til det?\n")


def test_cli_pseudonymize_model_finds_lowercase_names_rules_miss(tmp_path):
    from sprogtro.privacy.lexicon import name_lexicon

    assert not any(name_lexicon().is_name(n.capitalize()) for n in ("ulugbek", "gebremedhin", "ngozi"))
    src = tmp_path / "in"
    src.mkdir()
    (src / "samtale.txt").write_text(TRANSCRIPT, encoding="utf-8")
    key = str(tmp_path / "k.enc")
    rules = _run(["pseudonymize", str(src), "--out", str(tmp_path / "rules"), "--key-file", key,
                  "--model", "none", "-q"])
    assert rules.exit_code == 0, rules.output
    assert "rules only" in rules.output
    assert "ulugbek" in (tmp_path / "rules" / "samtale.txt").read_text(encoding="utf-8")
    default = _run(["pseudonymize", str(src), "--out", str(tmp_path / "ner"), "--key-file", key,
                    "--style", "tags", "-q"])
    assert default.exit_code == 0, default.output
    assert default.output.count("NER evidence from spaCy pipeline") == 1
    text = (tmp_path / "ner" / "samtale.txt").read_text(encoding="utf-8")
    for name in ("ulugbek", "gebremedhin", "ngozi"):
        assert name not in text
    assert "praktikken" in text and "sidste uge" in text


def test_cli_pseudonymize_another_model_redoes_the_documents(tmp_path):
    """Switching --model into the same output folder re-processes (the NER evidence is part of the keyed
    source hash), so names only the model finds do not stay in an output judged 'already done'."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "samtale.txt").write_text(TRANSCRIPT, encoding="utf-8")
    out, key = tmp_path / "out", str(tmp_path / "k.enc")
    rules = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", key, "--model", "none", "-q"])
    assert rules.exit_code == 0, rules.output
    assert "ulugbek" in (out / "samtale.txt").read_text(encoding="utf-8")
    same = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", key, "--model", "none"])
    assert "0 written, 1 already done" in same.output
    ner = _run(["pseudonymize", str(src), "--out", str(out), "--key-file", key])
    assert ner.exit_code == 0, ner.output
    assert "1 written" in ner.output
    assert "ulugbek" not in (out / "samtale.txt").read_text(encoding="utf-8")


def test_cli_pseudonymize_unknown_model_is_a_clear_error(tmp_path, corpus):
    result = _run(["pseudonymize", str(corpus), "--out", str(tmp_path / "o"), "--key-file", str(tmp_path / "k.enc"),
                   "--model", "no_such_pipeline_xyz"])
    assert result.exit_code == 1 and "no_such_pipeline_xyz" in result.output and "Traceback" not in result.output

"""Identifiers in file and folder names: Pseudonymizer.pseudonymize_path, the vault's way back, and the
`pseudonymize` / `ingest` commands (no planted name may reach an output path, report, manifest or doc_id)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sprogtro.cli import cli
from sprogtro.corpus import iter_documents
from sprogtro.privacy.manifest import Manifest
from sprogtro.privacy.pseudonymizer import Pseudonymizer
from sprogtro.privacy.vault import KeyVault

SAMPLE = Path(__file__).resolve().parents[2] / "corpora_sample"

# path, originals that must be gone, pieces that must stay
TABLE = [
    ("notat_Mette_Kirkegaard_2023.docx", ["Mette", "Kirkegaard"], ["notat_", "_2023.docx"]),
    ("samtale med ali hassan.txt", ["ali", "hassan"], ["samtale med ", ".txt"]),
    ("Jensen, Karina - visitation.pdf", ["Jensen", "Karina"], [", ", " - visitation.pdf"]),
    ("praktikstart_MetteKirkegaard.odt", ["Mette", "Kirkegaard"], ["praktikstart_", ".odt"]),
    ("METTE_KIRKEGAARD_notat.txt", ["METTE", "KIRKEGAARD"], ["_notat.txt"]),
    ("Anne-Marie Hansen-Nielsen opfoelgning.txt", ["Anne", "Marie", "Hansen", "Nielsen"], [" opfoelgning.txt"]),
    ("Ahmed bin Ali - samtale.txt", ["Ahmed", "Ali"], [" bin ", " - samtale.txt"]),
    ("notat_Mette_Kowalczyk.txt", ["Mette", "Kowalczyk"], ["notat_"]),
    ("Mette_K_notat.txt", ["Mette", "_K_"], ["_notat.txt"]),
    ("notat_mette.txt", ["mette"], ["notat_", ".txt"]),
    ("notat_Holm_2023.txt", ["Holm"], ["notat_", "_2023.txt"]),
    ("Bo_Storm_samtale.txt", ["Bo_", "Storm"], ["_samtale.txt"]),
    ("0101901234_notat.txt", ["0101901234"], ["_notat.txt"]),
    ("notat-010190-1234.txt", ["010190-1234"], ["notat-", ".txt"]),
    ("tlf 22334455 notat.txt", ["22334455"], ["tlf ", " notat.txt"]),
    ("mail fra mette.k@gmail.com.txt", ["mette", "gmail"], [".txt"]),
    ("borgere/Mette Kirkegaard/visitation.txt", ["Mette", "Kirkegaard"], ["borgere/", "/visitation.txt"]),
]
KEPT = [
    "aarhus/journalnotater/2023-05-22_AAR-21-0412_opfoelgning.txt",
    "aalborg/moedetransskriptioner/2024-11-12_AAL-23-0977_mentorsamtale.txt",
    "odense/visitationer/2023-10-16_ODE-21-0456_rehab-forelaeggelse.pdf",
    "herning/visitation/samtale_status_praktikstart.docx",
    "Notat opfølgning visitation.txt",
    "IPS_notat_jun_2023.txt",
    "rows.csv#3",
]


@pytest.fixture(scope="module")
def pseudo():
    return Pseudonymizer(KeyVault.ephemeral())


@pytest.mark.parametrize("path,gone,kept", TABLE, ids=[t[0] for t in TABLE])
def test_paths_table_replaces_identifiers_and_keeps_the_rest(pseudo, path, gone, kept):
    out = pseudo.pseudonymize_path(path)
    assert out != path
    for original in gone:
        assert original not in out, (original, out)
    for piece in kept:
        assert piece in out, (piece, out)
    assert out.count("/") == path.count("/")


@pytest.mark.parametrize("path", KEPT)
def test_paths_ordinary_words_layout_dates_and_case_numbers_survive(pseudo, path):
    assert pseudo.pseudonymize_path(path) == path


def test_paths_case_style_is_kept(pseudo):
    lower = pseudo.pseudonymize_path("samtale med ali hassan.txt")
    upper = pseudo.pseudonymize_path("ALI_HASSAN.txt")
    camel = pseudo.pseudonymize_path("notatAliHassan.txt")
    assert lower[len("samtale med "):-4].islower()
    assert upper[:-4].replace("_", "").isupper()
    assert lower[len("samtale med "):-4].split() == [w.lower() for w in upper[:-4].split("_")]
    assert camel[len("notat"):-4] == "".join(w.capitalize() for w in upper[:-4].split("_"))


def test_paths_sample_corpus_names_are_unchanged():
    pseudonymizer = Pseudonymizer(KeyVault.ephemeral())
    paths = [p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file()]
    assert len(paths) > 50
    assert [p for p in paths if pseudonymizer.pseudonymize_path(p) != p] == []


def test_paths_same_surrogate_as_the_text():
    vault = KeyVault.ephemeral()
    pseudonymizer = Pseudonymizer(vault)
    text = pseudonymizer.pseudonymize_text("Borger: Mette Kirkegaard, cpr 010190-1234. Karina Jensen ringede.").text
    path = pseudonymizer.pseudonymize_path("aarhus/visitationer/notat_Mette_Kirkegaard_0101901234.docx")
    first, last = path.split("notat_")[1].split("_")[:2]
    assert f"{first} {last}" in text
    cpr = path.rsplit("_", 1)[1][:-5]
    assert f"{cpr[:6]}-{cpr[6:]}" in text
    reverse = pseudonymizer.pseudonymize_path("Jensen, Karina - visitation.pdf")
    surname, given = reverse.split(" - ")[0].split(", ")
    assert f"{given} {surname}" in text


def test_paths_tags_style_names_the_person_the_text_names():
    pseudonymizer = Pseudonymizer(KeyVault.ephemeral(), style="tags")
    text = pseudonymizer.pseudonymize_text("Mette Kirkegaard og Karina Jensen. Mette kom.").text
    assert text == "[PERSON_1] og [PERSON_2]. [PERSON_1] kom."
    assert pseudonymizer.pseudonymize_path("notat_Mette_Kirkegaard_2023.docx") == "notat_PERSON_1_2023.docx"
    assert pseudonymizer.pseudonymize_path("samtale_mette.txt") == "samtale_PERSON_1.txt"
    assert pseudonymizer.pseudonymize_path("Jensen, Karina - visitation.pdf") == "PERSON_2 - visitation.pdf"


def test_paths_deterministic_across_vault_save_and_open(tmp_path):
    key = tmp_path / "k.enc"
    paths = [t[0] for t in TABLE] + KEPT
    for style in ("realistic", "tags"):
        vault = KeyVault.create(key, "pw", log2_n=12)
        first = Pseudonymizer(vault, style=style)
        first.pseudonymize_text("Mette Kirkegaard ringede.")
        before = [first.pseudonymize_path(p) for p in paths]
        vault.save()
        again = Pseudonymizer(KeyVault.open(key, "pw"), style=style)
        assert [again.lookup_path(p) for p in paths] == before
        assert [again.pseudonymize_path(p) for p in reversed(paths)] == before[::-1]
        assert len(set(before)) == len(before)
        key.unlink()


def test_paths_lookup_adds_nothing_and_reidentify_path_maps_back():
    vault = KeyVault.ephemeral()
    pseudonymizer = Pseudonymizer(vault)
    path = "borgere/Mette Kirkegaard/notat_Mette_Kirkegaard_2023.docx"
    assert pseudonymizer.lookup_path(path) is None and len(vault) == 0
    assert pseudonymizer.lookup_path(KEPT[0]) == KEPT[0]
    out = pseudonymizer.pseudonymize_path(path)
    assert pseudonymizer.lookup_path(path) == out
    assert vault.reidentify_path(out) == path
    assert vault.reidentify_path(out[:-5] + ".txt") == path[:-5] + ".txt"  # the output's .txt
    assert vault.reidentify_path(KEPT[0]) == KEPT[0]


def test_paths_known_names_from_the_text_count(pseudo):
    assert pseudo.pseudonymize_path("notat_Zqwerty.txt") == "notat_Zqwerty.txt"
    out = pseudo.pseudonymize_path("notat_Zqwerty.txt", known={"Zqwerty"})
    assert "Zqwerty" not in out and out.startswith("notat_")


# -- the commands ---------------------------------------------------------------------------------------
NOTE = "Borger: Mette Kirkegaard, cpr 010190-1234. Mette er glad for praktikken hos Karina Jensen.\n"
PLANTED_FILES = {
    "aarhus/journalnotater/notat_Mette_Kirkegaard_2023.txt": NOTE,
    "aarhus/journalnotater/Jensen, Karina - visitation.txt": "Karina Jensen er visiteret.\n",
    "aarhus/moedetransskriptioner/samtale med ali hassan.txt": "Ali Hassan mødte op.\n",
    "aarhus/journalnotater/0101901234_notat.txt": "Kort notat uden navne.\n",
    "aarhus/journalnotater/2023-05-22_AAR-21-0412_opfoelgning.txt": "Borgeren afventer svar.\n",
}
PLANTED = ("Mette", "Kirkegaard", "Karina", "Jensen", "ali", "Ali", "hassan", "Hassan", "0101901234", "010190")


def _leaks(planted: str, text: str) -> bool:
    """``planted`` as a whole word ("_" and digits count as boundaries: "notat_Mette_2023")."""
    return re.search(rf"(?<![^\W\d_]){re.escape(planted)}(?![^\W\d_])", text) is not None


def _corpus(tmp_path) -> Path:
    src = tmp_path / "kilder"
    for rel, text in PLANTED_FILES.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    return src


def _run(args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"SPROGTRO_PASSPHRASE": "pw-test"})


def test_paths_cli_pseudonymize_no_planted_name_in_paths_report_or_manifest(tmp_path):
    src, out, key = _corpus(tmp_path), tmp_path / "out", tmp_path / "k.enc"
    result = _run(["pseudonymize", src, "--out", out, "--key-file", key, "-q"])
    assert result.exit_code == 0, result.output
    outputs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(outputs) == len(PLANTED_FILES) + 3  # + report, metadata, manifest
    assert "aarhus/journalnotater/2023-05-22_AAR-21-0412_opfoelgning.txt" in outputs
    listing = "\n".join(outputs)
    report = (out / "pseudonymization_report.csv").read_text(encoding="utf-8")
    manifest = (out / "sprogtro-manifest.db").read_bytes().decode("utf-8", "replace")
    report += (out / "metadata.csv").read_text(encoding="utf-8")
    texts = "".join((out / p).read_text(encoding="utf-8") for p in outputs if not p.endswith(".db"))
    for planted in PLANTED:
        assert not _leaks(planted, listing + report + manifest + texts), planted
    rows = [r["document"] for r in csv.DictReader((out / "pseudonymization_report.csv").open(encoding="utf-8"))]
    with Manifest(out) as done:
        assert sorted(rows) == done.outputs() == [p for p in outputs if "/" in p]
    again = _run(["pseudonymize", src, "--out", out, "--key-file", key])  # same names, nothing redone
    assert f"0 written, {len(PLANTED_FILES)} already done" in again.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == outputs
    named = next(p for p in rows if p.endswith("_2023.txt"))
    back = _run(["reidentify", "--path", named, "--key-file", key])
    assert back.exit_code == 0 and back.output.strip() == "aarhus/journalnotater/notat_Mette_Kirkegaard_2023.txt"


def test_paths_output_under_a_source_name_from_an_older_run_is_replaced(tmp_path):
    from sprogtro.privacy.batch import pseudonymize_folder
    from sprogtro.privacy.manifest import LEGACY_MANIFEST, MANIFEST

    src, out = _corpus(tmp_path), tmp_path / "out"
    vault = KeyVault.ephemeral()
    pseudonymize_folder(src, out, vault=vault)
    named = "aarhus/journalnotater/notat_Mette_Kirkegaard_2023.txt"
    new = Pseudonymizer(vault).pseudonymize_path(named)
    with Manifest(out) as manifest:  # as an older sprogtro left it: a JSON manifest, the source's own name
        documents = {o: {"hash": manifest.get(o)["hash"], "counts": manifest.get(o)["counts"]}
                     for o in manifest.outputs()}
    documents[named] = documents.pop(new)
    (out / MANIFEST).unlink()
    (out / LEGACY_MANIFEST).write_text(json.dumps({"documents": documents}), encoding="utf-8")
    (out / new).rename(out / named)
    result = pseudonymize_folder(src, out, vault=vault)
    assert result.written == 1 and (out / new).is_file() and not (out / named).exists()
    assert result.skipped == len(documents) - 1  # the rest was taken over from the JSON manifest
    assert not (out / LEGACY_MANIFEST).exists()
    with Manifest(out) as manifest:
        assert named not in manifest.outputs() and new in manifest.outputs()


def test_paths_cli_ingest_no_planted_name_in_stored_doc_ids(tmp_path):
    from sprogtro.store import Project

    src, project, key = _corpus(tmp_path), tmp_path / "projekt", tmp_path / "k.enc"
    assert _run(["init", project]).exit_code == 0
    result = _run(["ingest", src, "--project", project, "--key-file", key, "-q"])
    assert result.exit_code == 0, result.output
    with Project.open(project) as p:
        ids = sorted(d.doc_id for d in p.iter_documents())
    assert len(ids) == len(PLANTED_FILES)
    assert "aarhus/journalnotater/2023-05-22_AAR-21-0412_opfoelgning.txt" in ids
    raw = (project / "project.db").read_bytes() + b"".join(f.read_bytes() for f in project.iterdir() if f.is_file())
    for planted in PLANTED:
        assert not _leaks(planted, "\n".join(ids)), planted
        assert not _leaks(planted, raw.decode("utf-8", "replace")), planted
    again = _run(["ingest", src, "--project", project, "--key-file", key])
    assert f"{len(PLANTED_FILES)} unchanged" in again.output
    # the same key gives the same names in both commands
    out = tmp_path / "out"
    assert _run(["pseudonymize", src, "--out", out, "--key-file", key, "-q"]).exit_code == 0
    assert {i.rsplit(".", 1)[0] for i in ids} == {
        p.relative_to(out).with_suffix("").as_posix() for p in out.rglob("*.txt") if p.parent != out}
    docs = {d.doc_id: d for d in iter_documents(src)}
    assert len(docs) == len(PLANTED_FILES)

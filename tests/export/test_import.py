"""Importing codings from REFI-QDA exports: round trip, re-anchoring, code mapping, the example projects."""

from __future__ import annotations

import zipfile

import pytest

from sprogtro.export.importer import import_codings
from sprogtro.export.qdpx import write_qdpx
from sprogtro.store import Project
from tests.export.conftest import AARHUS, example_path
from tests.store.conftest import make_document

KEY_COLUMNS = ["coder", "coder_kind", "code_key", "doc_id", "start_char", "end_char"]


def _codings(project):
    df = project.codings_frame()[KEY_COLUMNS]
    return df.sort_values(KEY_COLUMNS).reset_index(drop=True)


def test_import_round_trip_gives_identical_codings(full_project, tmp_path):
    out = tmp_path / "eksport.qdpx"
    write_qdpx(full_project, out)
    with Project.init(tmp_path / "ny") as fresh:
        report = import_codings(fresh, out, add_sources=True)
        assert report.mismatches == [] and report.codes_created == []
        assert len(report.sources_added) == 3
        assert _codings(fresh).equals(_codings(full_project))
        coders = fresh.coders_frame().set_index("name")
        assert coders.loc["sprogtro-rules", "version"] == "0.1.0"
        docs = fresh.documents_frame().set_index("doc_id")
        assert docs.loc[AARHUS, "municipality"] == "Aarhus" and docs.loc[AARHUS, "doc_type"] == "journalnotat"
        assert docs.loc[AARHUS, "content_hash"] == full_project.documents_frame().set_index("doc_id").loc[
            AARHUS, "content_hash"]
        again = import_codings(fresh, out)  # matched by GUID now; nothing doubles
        assert again.codings_added == 0 and again.sources_matched["guid"] == 3
        assert _codings(fresh).equals(_codings(full_project))


def test_import_into_same_project_matches_by_guid_and_adds_nothing(full_project, tmp_path):
    out = tmp_path / "eksport.qdpx"
    write_qdpx(full_project, out)
    before = _codings(full_project)
    report = import_codings(full_project, out)
    assert report.codings_added == 0 and report.codings_existing == len(before)
    assert _codings(full_project).equals(before)


def test_import_coder_option_overrides_users(full_project, tmp_path):
    out = tmp_path / "lærke.qdpx"
    write_qdpx(full_project, out, coder="Lærke")
    report = import_codings(full_project, out, coder="Lærke igen")
    assert report.codings_added == 4
    assert full_project.coders_frame().set_index("name").loc["Lærke igen", "kind"] == "human"


def _rewrite_source(qdpx, out, change, move=lambda text, pos: pos):
    """A copy of ``qdpx`` whose source texts went through ``change``, and whose selection offsets went
    through ``move(old_text, pos)`` (as the QDA tool that changed the text would have moved them)."""
    from lxml import etree

    from sprogtro.export.refi import PROJECT_NS

    with zipfile.ZipFile(qdpx) as zin, zipfile.ZipFile(out, "w") as zout:
        root = etree.fromstring(zin.read("project.qde"))
        for src in root.iter(f"{{{PROJECT_NS}}}TextSource"):
            name = "sources/" + src.get("plainTextPath").removeprefix("internal://")
            text = zin.read(name).decode("utf-8")
            for sel in src.iter(f"{{{PROJECT_NS}}}PlainTextSelection"):
                for attr in ("startPosition", "endPosition"):
                    sel.set(attr, str(move(text, int(sel.get(attr)))))
            zout.writestr(name, change(text).encode("utf-8"))
        zout.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_import_reanchors_on_changed_text_and_reports_what_it_cannot_find(full_project, tmp_path):
    out = tmp_path / "eksport.qdpx"
    write_qdpx(full_project, out, coder="Lærke")
    edited = tmp_path / "redigeret.qdpx"
    # The QDA tool's copy has an extra header line and CRLF line endings: every offset moved.
    header = "Overskrift\r\n"
    _rewrite_source(out, edited, lambda t: header + t.replace("\n", "\r\n"),
                    lambda t, pos: pos + len(header) + t[:pos].count("\n"))
    with Project.init(tmp_path / "ny") as p:
        for doc_id in full_project.document_ids():
            p.add_document(full_project.get_document(doc_id))
        report = import_codings(p, edited, coder="Lærke")
        assert report.mismatches == []
        assert report.reanchored == 4 and report.sources_matched["guid"] == 3  # GUIDs derive from doc_id
        got = p.codings_frame()[["doc_id", "start_char", "end_char", "text"]].sort_values(["doc_id", "start_char"])
        want = full_project.codings_frame("Lærke")[["doc_id", "start_char", "end_char", "text"]].sort_values(
            ["doc_id", "start_char"])
        assert got.reset_index(drop=True).equals(want.reset_index(drop=True))
    # A selection whose text is not in the stored document is reported, not dropped silently.
    gone = tmp_path / "væk.qdpx"
    _rewrite_source(out, gone, lambda t: t.replace("Borgeren har svært ved at møde stabilt.", "X" * 39))
    with Project.init(tmp_path / "ny2") as p:
        for doc_id in full_project.document_ids():
            p.add_document(full_project.get_document(doc_id))
        report = import_codings(p, gone)
        reasons = [(m.source, m.start, m.end, m.reason) for m in report.mismatches]
        lost = "the selected text was not found in the stored document"
        assert reasons == [(AARHUS, 0, 39, lost), (AARHUS, 30, 70, lost)]  # both overlap the changed sentence
        assert report.codings_added == 2
        assert "mismatch" in "\n".join(report.lines()) and "Borgeren" not in "\n".join(report.lines())


QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Kodning i ATLAS.ti">
 <Users><User guid="AAAAAAAA-0000-0000-0000-000000000001" name="Signe"/></Users>
 <CodeBook><Codes>
  <Code guid="BBBBBBBB-0000-0000-0000-000000000001" name="framing::deficit" isCodable="true"/>
  <Code guid="BBBBBBBB-0000-0000-0000-000000000002" name="expectation" isCodable="false">
   <Code guid="BBBBBBBB-0000-0000-0000-000000000003" name="none" isCodable="true"/>
  </Code>
  <Code guid="BBBBBBBB-0000-0000-0000-000000000004" name="Resource" isCodable="true"/>
  <Code guid="BBBBBBBB-0000-0000-0000-000000000005" name="Egen kode::Underkode" isCodable="true" color="#123456"/>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="CCCCCCCC-0000-0000-0000-000000000001" name="sag-001.txt" plainTextPath="internal://x.txt">
   <PlainTextSelection guid="DDDDDDDD-0000-0000-0000-000000000001" startPosition="0" endPosition="39"
     creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
    <Coding guid="EEEEEEEE-0000-0000-0000-000000000001" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
     <CodeRef targetGUID="BBBBBBBB-0000-0000-0000-000000000001"/></Coding>
    <Coding guid="EEEEEEEE-0000-0000-0000-000000000002" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
     <CodeRef targetGUID="BBBBBBBB-0000-0000-0000-000000000003"/></Coding>
    <Coding guid="EEEEEEEE-0000-0000-0000-000000000003" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
     <CodeRef targetGUID="BBBBBBBB-0000-0000-0000-000000000004"/></Coding>
    <Coding guid="EEEEEEEE-0000-0000-0000-000000000004" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
     <CodeRef targetGUID="BBBBBBBB-0000-0000-0000-000000000005"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
</Project>"""


def test_import_maps_codes_by_name_flattened_and_nested(project, tmp_path):
    project.add_document(make_document(AARHUS))
    (tmp_path / "atlas").mkdir()
    qde = tmp_path / "atlas" / "project.qde"
    qde.write_text(QDE, encoding="utf-8")
    report = import_codings(project, qde)  # no sources/ folder: matched by name, offsets unverified
    assert report.sources_matched["name"] == 1 and report.unverified == 1
    got = project.codings_frame("Signe")
    assert sorted(got["code_key"]) == sorted(["framing.deficit", "expectation.none", "framing.resource",
                                              "user/Egen kode/Underkode"])
    assert report.codes_created == ["Egen kode", "Egen kode › Underkode"]
    codes = project.codes_frame().set_index("name")
    assert codes.loc["Underkode", "colour"] == "#123456" and codes.loc["Underkode", "parent_key"] == "user/Egen kode"


def test_import_danish_example(project):
    report = import_codings(project, example_path("dansk-test-lf.qdpx"), add_sources=True)
    assert report.mismatches == [] and report.codings_added == 3
    got = project.codings_frame()
    assert sorted(got["text"]) == ["ikke-aktivitetsparat", "mødt op på jobcentret", "Ændring: Ø-klassen"]
    assert set(got["coder"]) == {"Analytiker Å"} and set(got["coder_kind"]) == {"human"}
    assert set(got["code_path"]) == {"Kategorier › Kategorisering af borger", "Kategorier › Sted/institution"}
    doc = project.get_document("sagsnotat_1")
    assert doc.municipality == "Aarhus" and "👍" in doc.text


def test_import_hand_authored_example(project):
    report = import_codings(project, example_path("hand-authored/project.qde"), add_sources=True)
    assert report.mismatches == [] and report.codings_added == 2
    got = project.codings_frame().sort_values("start_char")
    assert got["text"].tolist() == ["Diet and health", "health are clo"]  # names are labels, offsets rule
    assert got["code_path"].tolist() == ["Topics › Health", "Topics › Health › Diet"]
    assert sum(report.non_text.values()) == 5  # picture, PDF, audio, transcript, video: reported
    assert "not imported" in "\n".join(report.lines())


def test_import_atlas_example_without_sources_reports_and_does_not_fail(project):
    report = import_codings(project, example_path("atlasti-8.4-spec-annexA2/Project.qde"), add_sources=True)
    assert report.codings_added == 0
    assert len(report.mismatches) == 5 and set(report.sources_unmatched) == {
        "1994 Diet Coke-Diet Coke Break.docx", "Mabel.txt", "Simon.docx"}
    assert report.non_text["PDFSelection"] == 4


def test_import_atlas_example_onto_matching_documents(project):
    from sprogtro.corpus.document import Document

    for name in ("1994 Diet Coke-Diet Coke Break.docx", "Mabel.txt", "Simon.docx"):
        project.add_document(Document(doc_id=name, text="x" * 1000, pseudonymized=True))
    report = import_codings(project, example_path("atlasti-8.4-spec-annexA2/Project.qde"))
    assert report.mismatches == [] and report.codings_added == 7
    got = project.codings_frame()
    assert "Coke › diet Coke" in set(got["code_path"])  # "Coke::diet Coke" nested under the code "Coke"
    assert set(got["coder"]) == {"Friedrich Markgraf"}


@pytest.mark.parametrize("relative", ["dansk-test-lf.qdpx", "hand-authored/project.qde",
                                      "atlasti-8.4-spec-annexA2/Project.qde"])
def test_import_every_example_through_cli(tmp_path, relative):
    from click.testing import CliRunner

    from sprogtro.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "p")]).exit_code == 0
    result = runner.invoke(cli, ["import-codings", str(example_path(relative)), "--project", str(tmp_path / "p"),
                                 "--add-sources", "--report", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("source,start,end,codes,reason")

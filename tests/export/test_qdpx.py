"""REFI-QDA export: .qdpx valid against Project.xsd, .qdc against Codebook.xsd, sources and positions right."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from lxml import etree

from sprogtro.export.qdpx import write_qdc, write_qdpx
from sprogtro.export.refi import PROJECT_NS, SCHEMA_DIR
from tests.export.conftest import AARHUS, EMOJI_DOC, SHARED_REFI

NS = {"q": PROJECT_NS}


def _open(path):
    zf = zipfile.ZipFile(path)
    root = etree.fromstring(zf.read("project.qde"))
    return zf, root


def test_qdpx_validates_against_project_xsd(full_project, tmp_path, project_schema):
    out = tmp_path / "eksport.qdpx"
    counts = write_qdpx(full_project, out)
    zf, root = _open(out)
    assert project_schema.validate(root), project_schema.error_log
    assert counts["sources"] == 3 and counts["codings"] > 0
    assert sorted(n for n in zf.namelist() if n.startswith("sources/")) == sorted(
        f"sources/{g}.txt" for g in full_project.documents_frame()["guid"])


def test_qdpx_sources_are_utf8_lf_without_bom_and_positions_are_code_points(full_project, tmp_path):
    out = tmp_path / "eksport.qdpx"
    write_qdpx(full_project, out)
    zf, root = _open(out)
    for src in root.iterfind(".//q:TextSource", NS):
        data = zf.read("sources/" + src.get("plainTextPath").removeprefix("internal://"))
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
        text = data.decode("utf-8")
        assert text == full_project.get_document(src.get("name")).text
        for sel in src.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert 0 <= start < end <= len(text)
    emoji = root.find(f".//q:TextSource[@name='{EMOJI_DOC}']", NS)
    spans = {(int(s.get("startPosition")), int(s.get("endPosition"))): s.get("name")
             for s in emoji.iterfind("q:PlainTextSelection", NS)}
    assert spans[(9, 22)] == "👍 er mødt op."  # after the emoji: code points, not UTF-16 units or bytes
    assert spans[(23, 49)] == "Æblet: Ø-klassen i Åbenrå."


def test_qdpx_codebook_users_cases_variables_notes(full_project, tmp_path):
    out = tmp_path / "eksport.qdpx"
    write_qdpx(full_project, out)
    _, root = _open(out)
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["framing", "expectation", "action"]
    assert all(c.get("isCodable") == "false" for c in top)
    deficit = top[0].find("q:Code[@name='deficit']", NS)
    assert deficit.get("color").startswith("#") and deficit.find("q:Description", NS).text
    assert deficit.find("q:NoteRef", NS) is not None  # the code memo
    names = [c.get("name") for c in root.iterfind(".//q:Code", NS)]
    assert len(names) == len(set(names))
    users = {u.get("name"): u.get("id") for u in root.iterfind("q:Users/q:User", NS)}
    assert users["sprogtro-rules"] == "sprogtro:model:0.1.0" and users["Lærke"] == "sprogtro:human"
    variables = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert variables["municipality"] == "Text" and variables["doc_type"] == "Text" and variables["date"] == "Date"
    cases = {c.get("name"): len(c.findall("q:SourceRef", NS)) for c in root.iterfind("q:Cases/q:Case", NS)}
    assert cases["municipality: Aarhus"] == 1 and cases["doc_type: journalnotat"] == 2
    notes = root.findall("q:Notes/q:Note", NS)
    assert len(notes) == 3
    src = root.find(f".//q:TextSource[@name='{AARHUS}']", NS)
    assert src.find("q:NoteRef", NS) is not None
    assert root.find("q:NoteRef", NS) is not None  # the project memo
    # one selection per span, one Coding per coder and code, each by its user
    by_guid = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    sel = src.find("q:PlainTextSelection[@startPosition='0']", NS)
    coders = sorted(by_guid[c.get("creatingUser")] for c in sel.iterfind("q:Coding", NS))
    assert coders == ["Lærke", "sprogtro-rules"]


def test_qdpx_coder_filter(full_project, tmp_path, project_schema):
    out = tmp_path / "lærke.qdpx"
    counts = write_qdpx(full_project, out, coder="Lærke")
    _, root = _open(out)
    assert project_schema.validate(root)
    assert counts["codings"] == 4
    assert {u.get("name") for u in root.iterfind("q:Users/q:User", NS)} == {"sprogtro", "Lærke"}


def test_qdpx_empty_project_is_valid(tmp_path, project_schema):
    from sprogtro.store import Project

    with Project.init(tmp_path / "tom") as p:
        write_qdpx(p, tmp_path / "tom.qdpx")
    _, root = _open(tmp_path / "tom.qdpx")
    assert project_schema.validate(root), project_schema.error_log


def test_qdc_validates_against_codebook_xsd(full_project, tmp_path, codebook_schema):
    out = tmp_path / "kodebog.qdc"
    assert write_qdc(full_project, out)["codes"] == 14
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    root = etree.fromstring(data)
    assert codebook_schema.validate(root), codebook_schema.error_log


def test_qdpx_export_is_atomic_on_failure(full_project, tmp_path, monkeypatch):
    from sprogtro.errors import ExportError
    from sprogtro.export import qdpx

    out = tmp_path / "eksport.qdpx"
    out.write_bytes(b"old")
    monkeypatch.setattr(qdpx, "validate", lambda root, kind: (_ for _ in ()).throw(ExportError("invalid")))
    with pytest.raises(ExportError):
        write_qdpx(full_project, out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(not SHARED_REFI.is_dir(), reason="../shared/refi-qda is not beside the repository")
@pytest.mark.parametrize("name", ["Project.xsd", "Codebook.xsd"])
def test_vendored_schemas_equal_shared(name):
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert digest(SCHEMA_DIR / name) == digest(SHARED_REFI / name)

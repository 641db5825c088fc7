"""Export a project as a REFI-QDA project (``.qdpx``) or codebook (``.qdc``).

A ``.qdpx`` is a zip with ``project.qde`` (QDA-XML, valid against Project.xsd) and one
``sources/<guid>.txt`` per document (UTF-8, LF, no BOM). Mapping:

- coders → ``Users`` (``id`` = ``sprogtro:model:<version>`` or ``sprogtro:human``, read back on import);
- the codebook → nested ``Codes`` (dimension codes not codable, label codes with colour and description);
- municipality, document type, date, case id and free metadata → ``Variables``; values on each
  ``TextSource``, and one ``Case`` per municipality and per document type with its ``SourceRef``\\ s;
- codings → ``PlainTextSelection`` (one per distinct span; positions in code points, end-exclusive)
  holding one ``Coding`` per coder and code;
- memos → ``Notes`` with ``NoteRef`` from the document, the code or the project.

Child order follows the schema's sequences. GUIDs are stable across exports of the same project.
"""

from __future__ import annotations

import os
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from sprogtro import __version__
from sprogtro.errors import ExportError
from sprogtro.export.refi import (CODEBOOK_NS, PROJECT_NS, atomic_export, atomic_write_bytes, derived_guid,
                                 validate, xml_bytes)
from sprogtro.store import Project

ORIGIN = f"sprogtro {__version__}"
TOOL_USER = "sprogtro"
FIXED_VARIABLES = ("municipality", "doc_type", "date", "case_id")
# Reader bookkeeping that is no use as a QDA variable.
SKIPPED_VARIABLES = ("encoding", "source_format", "row")
SELECTION_NAME_CHARS = 100
# documents_frame columns that are bookkeeping, not metadata variables.
_DOC_BOOKKEEPING = ("doc_id", "guid", "n_chars", "content_hash", "origin", "created_at", "updated_at", "text",
                    "n_sentences", "n_turns")


def _el(parent: etree._Element | None, tag: str, ns: str = PROJECT_NS, text: str | None = None, **attrs: Any):
    attrs = {k: str(v) for k, v in attrs.items() if v is not None and not (isinstance(v, float) and v != v)}
    el = etree.Element(f"{{{ns}}}{tag}", attrs, nsmap={None: ns}) if parent is None \
        else etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        el.text = _xml_safe(text)
    return el


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters; they never occur in normalised text but be safe."""
    return "".join(ch for ch in str(text) if ch in "\t\n\r" or ord(ch) >= 0x20)


def user_id(kind: str, version: str | None) -> str:
    return f"sprogtro:model:{version or ''}" if kind == "model" else "sprogtro:human"


def _datetime(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text if "T" in text else None


def build_project_xml(project: Project, *, coder: str | None = None) -> tuple[etree._Element, list[tuple[str, str]]]:
    """The ``Project`` element and the ``(guid, text)`` of each source file."""
    coders = project.coders_frame()
    if coder is not None:
        project.coder_id(coder)  # raises with the known names when unknown
        coders = coders[coders["name"] == coder]
    codings = project.codings_frame(coder, with_text=False)
    docs = project.documents_frame(with_text=True)
    codes = project.codes_frame()
    memos = project.memos_frame()
    now = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    created = str(project.config.get("project", {}).get("created") or now)
    tool_guid = derived_guid("user", TOOL_USER)

    root = _el(None, "Project", name=project.name, origin=ORIGIN, creatingUserGUID=tool_guid,
               creationDateTime=created, modifyingUserGUID=tool_guid, modifiedDateTime=now)

    # Users
    users = _el(root, "Users")
    _el(users, "User", guid=tool_guid, name=TOOL_USER, id="sprogtro:tool")
    coder_guid = {}
    for row in coders.itertuples(index=False):
        coder_guid[row.name] = row.guid
        _el(users, "User", guid=row.guid, name=row.name, id=user_id(row.kind, row.version))

    # CodeBook
    memo_by_code = defaultdict(list)
    for m in memos.itertuples(index=False):
        if isinstance(m.code_guid, str):
            memo_by_code[m.code_guid].append(m.guid)
    children = defaultdict(list)
    for c in codes.itertuples(index=False):
        children[c.parent_key if isinstance(c.parent_key, str) else None].append(c)
    if len(codes):
        codes_el = _el(_el(root, "CodeBook"), "Codes")
        _add_codes(codes_el, children, None, memo_by_code, PROJECT_NS)

    # Variables
    meta_cols = [c for c in docs.columns if c not in _DOC_BOOKKEEPING and c not in SKIPPED_VARIABLES]
    variables = [c for c in FIXED_VARIABLES if c in meta_cols and docs[c].notna().any()]
    variables += sorted(c for c in meta_cols if c not in FIXED_VARIABLES and docs[c].notna().any())
    var_guid = {v: derived_guid("variable", v) for v in variables}
    var_type = {v: _variable_type(docs[v]) for v in variables}
    if variables:
        vars_el = _el(root, "Variables")
        for v in variables:
            _el(vars_el, "Variable", guid=var_guid[v], name=v, typeOfVariable=var_type[v])

    # Cases: one per municipality and per document type
    cases = []
    for var in ("municipality", "doc_type"):
        if var not in variables:
            continue
        for value, group in docs.dropna(subset=[var]).groupby(var, sort=True):
            cases.append((var, str(value), group["guid"].tolist()))
    if cases:
        cases_el = _el(root, "Cases")
        for var, value, guids in cases:
            case = _el(cases_el, "Case", guid=derived_guid("case", var, value), name=f"{var}: {value}")
            _variable_value(case, var_guid[var], var_type[var], value)
            for g in guids:
                _el(case, "SourceRef", targetGUID=g)

    # Sources
    memo_by_doc = defaultdict(list)
    project_memos = []
    for m in memos.itertuples(index=False):
        if isinstance(m.doc_guid, str):
            memo_by_doc[m.doc_guid].append(m.guid)
        elif not isinstance(m.code_guid, str):
            project_memos.append(m.guid)
    spans = defaultdict(lambda: defaultdict(list))
    for g in codings.itertuples(index=False):
        spans[g.doc_id][(int(g.start_char), int(g.end_char))].append(g)
    code_guid = dict(zip(codes["key"], codes["guid"]))
    files = []
    if len(docs):
        sources_el = _el(root, "Sources")
        for d in docs.to_dict("records"):
            guid, doc_id, text = d["guid"], d["doc_id"], d["text"]
            src = _el(sources_el, "TextSource", guid=guid, name=doc_id, plainTextPath=f"internal://{guid}.txt",
                      creatingUser=tool_guid, creationDateTime=_datetime(d["created_at"]),
                      modifyingUser=tool_guid, modifiedDateTime=_datetime(d["updated_at"]))
            for (start, end), group in sorted(spans.get(doc_id, {}).items()):
                first = group[0]
                sel = _el(src, "PlainTextSelection", guid=derived_guid("selection", guid, start, end),
                          name=_selection_name(text[start:end]), startPosition=start, endPosition=end,
                          creatingUser=coder_guid.get(first.coder), creationDateTime=_datetime(first.created_at))
                for g in group:
                    coding = _el(sel, "Coding", guid=g.guid, creatingUser=coder_guid.get(g.coder),
                                 creationDateTime=_datetime(g.created_at))
                    _el(coding, "CodeRef", targetGUID=code_guid[g.code_key])
            for memo_guid in memo_by_doc.get(guid, ()):
                _el(src, "NoteRef", targetGUID=memo_guid)
            for v in variables:
                value = d.get(v)
                if value is not None and not (isinstance(value, float) and value != value):
                    _variable_value(src, var_guid[v], var_type[v], value)
            files.append((guid, text))

    # Notes
    if len(memos):
        notes = _el(root, "Notes")
        for m in memos.itertuples(index=False):
            note = _el(notes, "Note", guid=m.guid, name=m.title if isinstance(m.title, str) else None,
                       creatingUser=tool_guid, creationDateTime=_datetime(m.created_at))
            body = m.text
            if isinstance(m.author, str) and m.author:
                body = f"{body}\n\n— {m.author}"
            _el(note, "PlainTextContent", text=body)
    if len(docs) or len(coders):
        _el(root, "Description", text=f"Exported by {ORIGIN}. Texts are pseudonymized.")
    for memo_guid in project_memos:
        _el(root, "NoteRef", targetGUID=memo_guid)
    return root, files


def _add_codes(parent_el, children, parent_key, memo_by_code, ns) -> None:
    for c in children.get(parent_key, ()):
        el = _el(parent_el, "Code", ns=ns, guid=c.guid, name=c.name, isCodable="true" if c.is_codable else "false",
                 color=c.colour if isinstance(c.colour, str) else None)
        if isinstance(c.description, str) and c.description:
            _el(el, "Description", ns=ns, text=c.description)
        if ns == PROJECT_NS:
            for memo_guid in memo_by_code.get(c.guid, ()):
                _el(el, "NoteRef", ns=ns, targetGUID=memo_guid)
        _add_codes(el, children, c.key, memo_by_code, ns)


def _selection_name(text: str) -> str:
    name = " ".join(text.split())
    return name if len(name) <= SELECTION_NAME_CHARS else name[: SELECTION_NAME_CHARS - 1] + "…"


def _variable_type(series: pd.Series) -> str:
    values = series.dropna().astype(str)
    if len(values) and values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
        return "Date"
    return "Text"


def _variable_value(parent, var_guid: str, var_type: str, value: Any) -> None:
    vv = _el(parent, "VariableValue")
    _el(vv, "VariableRef", targetGUID=var_guid)
    _el(vv, "DateValue" if var_type == "Date" else "TextValue", text=str(value))


def write_qdpx(project: Project, out: str | os.PathLike, *, coder: str | None = None) -> dict[str, int]:
    """Write the project as a REFI-QDA ``.qdpx`` (validated before writing, written atomically)."""
    root, files = build_project_xml(project, coder=coder)
    validate(root, "project")

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", xml_bytes(root))
            for guid, text in files:
                zf.writestr(f"sources/{guid}.txt", text.encode("utf-8"))

    atomic_export(out, write)
    n_sel = len(root.findall(f".//{{{PROJECT_NS}}}PlainTextSelection"))
    n_cod = len(root.findall(f".//{{{PROJECT_NS}}}PlainTextSelection/{{{PROJECT_NS}}}Coding"))
    return {"sources": len(files), "selections": n_sel, "codings": n_cod,
            "codes": len(root.findall(f".//{{{PROJECT_NS}}}Code"))}


def build_codebook_xml(project: Project) -> etree._Element:
    codes = project.codes_frame()
    if not len(codes):
        raise ExportError("the project has no codes to export")
    root = _el(None, "CodeBook", ns=CODEBOOK_NS, origin=ORIGIN)
    children = defaultdict(list)
    for c in codes.itertuples(index=False):
        children[c.parent_key if isinstance(c.parent_key, str) else None].append(c)
    _add_codes(_el(root, "Codes", ns=CODEBOOK_NS), children, None, {}, CODEBOOK_NS)
    return root


def write_qdc(project: Project, out: str | os.PathLike) -> dict[str, int]:
    """Write the codebook alone as a REFI-QDA ``.qdc`` (valid against Codebook.xsd)."""
    root = build_codebook_xml(project)
    validate(root, "codebook")
    atomic_write_bytes(out, xml_bytes(root))
    return {"codes": len(root.findall(f".//{{{CODEBOOK_NS}}}Code"))}

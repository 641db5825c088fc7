"""Import codings made in a QDA tool (NVivo, ATLAS.ti, MAXQDA, QualCoder) from a REFI-QDA export.

Reads a ``.qdpx`` (zip) or a bare ``.qde`` (sources then looked for in ``sources/``/``Sources/`` beside it)
and stores every text coding under its coder (the REFI ``User`` name, or ``--coder``):

1. **Codes** are mapped onto the project's codebook by GUID, key (``framing.deficit``), path
   (``framing › deficit``, ATLAS.ti's flattened ``framing::deficit``, or nesting), name, or a leaf name
   that is unique. Codes that match nothing are added to the project (``origin = import``) under
   their mapped parent, never dropped.
2. **Sources** are matched to stored documents by GUID, by name (= ``doc_id``, with or without the
   file suffix), or by identical text. With ``add_sources`` an unmatched text source becomes a new
   document (its text must already be pseudonymized: the QDA project is taken as it is).
3. **Selections** are re-anchored on the stored text. Where the export's source text equals the
   stored text the offsets are used as they are; otherwise the selected substring is searched near its
   original offset (exactly, then with whitespace differences allowed). Selections that cannot be
   anchored, selections in sources that match no document, and non-text selections (PDF regions,
   pictures, audio, video) are reported, never silently dropped.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from sprogtro.corpus.document import Document
from sprogtro.corpus.metadata import clean_metadata
from sprogtro.corpus.normalize import decode_bytes, normalize_text
from sprogtro.errors import ExportError
from sprogtro.export.refi import local, norm_guid
from sprogtro.store import Project, content_hash
from sprogtro.store.project import CODE_PATH_SEPARATOR

NON_TEXT_SELECTIONS = ("PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection", "TranscriptSelection")
UNKNOWN_CODER = "unknown coder"
SEARCH_WINDOW = 2000


@dataclass
class Mismatch:
    """A selection that could not be stored. Never carries the selected text (it may be citizen text)."""

    source: str
    start: int | None
    end: int | None
    codes: str
    reason: str


@dataclass
class ImportReport:
    sources: int = 0
    sources_matched: Counter = field(default_factory=Counter)  # how: guid / name / text
    sources_added: list[str] = field(default_factory=list)
    sources_unmatched: list[str] = field(default_factory=list)
    selections: int = 0
    codings_added: int = 0
    codings_existing: int = 0
    reanchored: int = 0
    unverified: int = 0
    codes_mapped: int = 0
    codes_created: list[str] = field(default_factory=list)
    coders: Counter = field(default_factory=Counter)
    non_text: Counter = field(default_factory=Counter)
    mismatches: list[Mismatch] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human-readable summary (no document text)."""
        matched = ", ".join(f"{n} by {how}" for how, n in sorted(self.sources_matched.items())) or "none"
        out = [
            f"sources: {self.sources} ({matched}; {len(self.sources_added)} added; "
            f"{len(self.sources_unmatched)} not in the project)",
            f"codes: {self.codes_mapped} mapped onto the codebook, {len(self.codes_created)} created",
            f"selections: {self.selections}; codings stored: {self.codings_added} new, "
            f"{self.codings_existing} already present; {self.reanchored} re-anchored, "
            f"{self.unverified} unverified (no source text in the export)",
        ]
        if self.codes_created:
            out.append("created codes: " + ", ".join(self.codes_created))
        if self.coders:
            out.append("coders: " + ", ".join(f"{name} ({n})" for name, n in sorted(self.coders.items())))
        if self.sources_unmatched:
            out.append("sources not in the project (use --add-sources to add them): "
                       + ", ".join(self.sources_unmatched))
        for kind, n in sorted(self.non_text.items()):
            out.append(f"not imported: {n} {kind} coding(s) (only text selections are imported)")
        for m in self.mismatches:
            where = f"{m.start}–{m.end}" if m.start is not None else "whole source"
            out.append(f"mismatch: {m.source} [{where}] {m.codes}: {m.reason}")
        return out


# ---------------------------------------------------------------------- reading the export


@dataclass
class _Source:
    guid: str
    name: str
    text: str | None  # None when the export carries no text for it
    element: Any
    metadata: dict[str, Any]


class _Export:
    """A parsed REFI-QDA project: the XML root and a way to read its internal source files."""

    def __init__(self, path: Path):
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, str] = {}
        try:
            if zipfile.is_zipfile(path):
                self._zip = zipfile.ZipFile(path)
                names = self._zip.namelist()
                qde = [n for n in names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
                qde = qde or [n for n in names if n.lower().endswith(".qde")]
                if not qde:
                    raise ExportError(f"{path} has no .qde project file inside")
                data = self._zip.read(qde[0])
                self._files = {PurePosixPath(n).name.lower(): n for n in names if not n.endswith("/")}
            else:
                data = path.read_bytes()
                for folder in ("sources", "Sources"):
                    d = path.parent / folder
                    if d.is_dir():
                        self._files.update({f.name.lower(): str(f) for f in d.iterdir() if f.is_file()})
        except (OSError, zipfile.BadZipFile) as exc:
            raise ExportError(f"cannot read {path}: {exc.__class__.__name__}") from None
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
            self.root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise ExportError(f"{path}: the project file is not well-formed XML ({exc.msg})") from None
        if local(self.root.tag) != "Project":
            raise ExportError(f"{path}: the root element is {local(self.root.tag)!r}, not a REFI-QDA Project")
        self.base_path = self.root.get("basePath")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def read_text(self, path_attr: str | None) -> str | None:
        """The text of ``internal://…``, ``relative://…`` or ``absolute://…`` paths (None when absent)."""
        if not path_attr:
            return None
        scheme, _, rest = path_attr.partition("://")
        data = None
        if scheme == "internal":
            key = self._files.get(PurePosixPath(rest).name.lower())
            if key is not None:
                data = self._zip.read(key) if self._zip is not None else Path(key).read_bytes()
        else:
            rest = rest.lstrip("/") if scheme == "relative" else "/" + rest.lstrip("/")
            for candidate in ([Path(self.base_path or "") / rest, self.path.parent / rest] if scheme == "relative"
                              else [Path(rest)]):
                if candidate.is_file():
                    data = candidate.read_bytes()
                    break
        if data is None:
            return None
        text, _encoding = decode_bytes(data)
        return text


def _children(el, name: str):
    return [c for c in el if local(c.tag) == name]


def _child(el, name: str):
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def _text_value(vv) -> str | None:
    for c in vv:
        if local(c.tag) != "VariableRef" and c.text is not None:
            return c.text.strip()
    return None


# ---------------------------------------------------------------------- codes


def _qda_codes(root) -> dict[str, tuple[list[str], Any]]:
    """guid → (path of names from the top, element) for every code of the export's codebook."""
    out: dict[str, tuple[list[str], Any]] = {}

    def walk(parent, path):
        for code in _children(parent, "Code"):
            name = (code.get("name") or "").strip()
            out[norm_guid(code.get("guid"))] = (path + [name], code)
            walk(code, path + [name])

    book = _child(root, "CodeBook")
    if book is not None and _child(book, "Codes") is not None:
        walk(_child(book, "Codes"), [])
    return out


def _split_flat(path: list[str]) -> list[str]:
    """ATLAS.ti flattens hierarchy into names: ``Coke::diet Coke`` → ``[Coke, diet Coke]``."""
    parts: list[str] = []
    for name in path:
        for sep in ("::", CODE_PATH_SEPARATOR.strip()):
            if sep in name:
                parts += [p.strip() for p in name.split(sep) if p.strip()]
                break
        else:
            parts.append(name)
    return parts


class _CodeMapper:
    def __init__(self, project: Project, report: ImportReport):
        self.project = project
        self.report = report
        self._reload()
        self.cache: dict[str, int] = {}

    def _reload(self) -> None:
        codes = self.project.codes_frame()
        self.by_guid = {norm_guid(g): int(i) for g, i in zip(codes["guid"], codes["code_id"])}
        self.by_key = {k.casefold(): int(i) for k, i in zip(codes["key"], codes["code_id"])}
        self.by_name = {n.casefold(): int(i) for n, i in zip(codes["name"], codes["code_id"])}
        self.by_path: dict[tuple[str, ...], int] = {}
        leaves: dict[str, list[int]] = defaultdict(list)
        for row in codes.itertuples(index=False):
            names = tuple(p.casefold() for p in row.path.split(CODE_PATH_SEPARATOR))
            self.by_path[names] = int(row.code_id)
            if isinstance(row.dimension, str) and isinstance(row.label, str):
                self.by_path[(row.dimension.casefold(), row.label.casefold())] = int(row.code_id)
                leaves[row.label.casefold()].append(int(row.code_id))
            leaves[row.name.casefold()].append(int(row.code_id))
        self.unique_leaf = {k: v[0] for k, v in leaves.items() if len(set(v)) == 1}

    def lookup(self, guid: str, path: list[str]) -> int | None:
        parts = _split_flat(path)
        name = path[-1]
        folded = tuple(p.casefold() for p in parts)
        hit = self.by_guid.get(guid)
        if hit is None and len(folded) > 1:
            hit = self.by_path.get(folded)
        if hit is None:
            hit = self.by_key.get(name.casefold())
        if hit is None and len(folded) == 1:
            hit = self.by_name.get(folded[0])
        if hit is None and len(folded) == 1:
            hit = self.unique_leaf.get(folded[0])
        return hit

    def map(self, guid: str, codes: dict[str, tuple[list[str], Any]]) -> int:
        """The project code id for an export code, creating it (and unknown parents) when needed."""
        if guid in self.cache:
            return self.cache[guid]
        path, element = codes[guid]
        hit = self.lookup(guid, path)
        if hit is not None:
            self.report.codes_mapped += 1
        else:
            parent_id = None
            parent = element.getparent()
            if parent is not None and local(parent.tag) == "Code":
                parent_id = self.map(norm_guid(parent.get("guid")), codes)
            flat = _split_flat(path)
            if parent_id is None and len(flat) > 1:  # ATLAS.ti "Parent::child" with Parent as its own code
                parent_id = self._flat_parent(flat[:-1], codes)
            unique = self._unique(flat)
            description = _child(element, "Description")
            hit = self.project.add_code(
                unique, parent=parent_id, colour=_colour(element.get("color")),
                description=description.text.strip() if description is not None and description.text else None,
                is_codable=(element.get("isCodable", "true").lower() != "false"), guid=guid, origin="import")
            self.report.codes_created.append(" › ".join(flat[:-1] + [unique]))
            self._reload()
        self.cache[guid] = hit
        return hit

    def _flat_parent(self, parent_path: list[str], codes) -> int:
        """The parent of a flattened ``Parent::child`` code: the export's code of that path, a project
        code of that path, or a new (not codable) grouping code."""
        wanted = [p.casefold() for p in parent_path]
        for guid, (path, _el) in codes.items():
            if [p.casefold() for p in _split_flat(path)] == wanted:
                return self.map(guid, codes)
        hit = self.lookup("", parent_path)
        if hit is not None:
            return hit
        grand = self._flat_parent(parent_path[:-1], codes) if len(parent_path) > 1 else None
        hit = self.project.add_code(self._unique(parent_path), parent=grand, is_codable=False, origin="import")
        self.report.codes_created.append(" › ".join(parent_path))
        self._reload()
        return hit

    def _unique(self, flat: list[str]) -> str:
        name = flat[-1] or "(unnamed code)"
        unique, n = name, 2
        while unique.casefold() in self.by_name:
            unique = f"{name} ({flat[-2]})" if n == 2 and len(flat) > 1 else f"{name} ({n})"
            n += 1
        return unique


def _colour(value: str | None) -> str | None:
    if value and re.fullmatch(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})", value.strip()):
        return value.strip().upper()
    return None


# ---------------------------------------------------------------------- sources


def _collect_sources(export: _Export) -> list[_Source]:
    root = export.root
    variables = {}
    vars_el = _child(root, "Variables")
    if vars_el is not None:
        variables = {norm_guid(v.get("guid")): v.get("name") for v in _children(vars_el, "Variable")}

    def values(el) -> dict[str, str]:
        out = {}
        for vv in _children(el, "VariableValue"):
            ref = _child(vv, "VariableRef")
            name = variables.get(norm_guid(ref.get("targetGUID"))) if ref is not None else None
            value = _text_value(vv)
            if name and value:
                out[name] = value
        return out

    case_meta: dict[str, dict[str, str]] = defaultdict(dict)
    cases_el = _child(root, "Cases")
    if cases_el is not None:
        for case in _children(cases_el, "Case"):
            vals = values(case)
            for ref in _children(case, "SourceRef"):
                case_meta[norm_guid(ref.get("targetGUID"))].update(vals)

    sources = []
    sources_el = _child(root, "Sources")
    for el in (sources_el if sources_el is not None else []):
        if local(el.tag) != "TextSource":
            continue
        guid = norm_guid(el.get("guid"))
        content = _child(el, "PlainTextContent")
        text = content.text if content is not None and content.text is not None else export.read_text(
            el.get("plainTextPath"))
        meta = {**case_meta.get(guid, {}), **values(el)}
        sources.append(_Source(guid, (el.get("name") or guid).strip(), text, el, meta))
    return sources


class _DocumentMatcher:
    def __init__(self, project: Project):
        docs = project.documents_frame()
        self.by_guid = {norm_guid(g): d for g, d in zip(docs["guid"], docs["doc_id"])}
        self.ids = set(docs["doc_id"])
        stems: dict[str, list[str]] = defaultdict(list)
        for d in docs["doc_id"]:
            for key in {d.casefold(), PurePosixPath(d).name.casefold(), PurePosixPath(d).stem.casefold()}:
                stems[key].append(d)
        self.by_stem = {k: v[0] for k, v in stems.items() if len(v) == 1}
        self.by_hash = dict(zip(docs["content_hash"], docs["doc_id"]))

    def match(self, src: _Source) -> tuple[str | None, str | None]:
        if src.guid in self.by_guid:
            return self.by_guid[src.guid], "guid"
        if src.name in self.ids:
            return src.name, "name"
        for key in (src.name.casefold(), PurePosixPath(src.name).stem.casefold()):
            if key in self.by_stem:
                return self.by_stem[key], "name"
        if src.text is not None:
            hit = self.by_hash.get(content_hash(normalize_text(src.text)))
            if hit is not None:
                return hit, "text"
        return None, None


# ---------------------------------------------------------------------- anchoring


class _Anchor:
    """Maps a selection of the export's source text onto the stored text."""

    def __init__(self, stored: str, source: str | None):
        self.stored = stored
        self.source = source
        self.identical = source is not None and source == stored

    def locate(self, start: int, end: int, name: str | None = None) -> tuple[int, int, str] | None:
        """(start, end, how) on the stored text, or None. ``how``: exact, reanchored, unverified."""
        n = len(self.stored)
        if self.identical:
            return (start, end, "exact") if 0 <= start <= end <= n else None
        if self.source is None:
            return self._locate_by_name(start, end, name)
        if not (0 <= start <= end <= len(self.source)):
            return None
        wanted = normalize_text(self.source[start:end])
        if not wanted.strip():
            return None
        hit = _find_near(self.stored, wanted, start)
        if hit is None:
            return None
        return hit[0], hit[1], "exact" if hit == (start, end) else "reanchored"


    def _locate_by_name(self, start: int, end: int, name: str | None) -> tuple[int, int, str] | None:
        """No source text in the export (ATLAS.ti's .qde alone): trust the offsets, checked against the
        selection's name where the name is the start of the selected text (ATLAS.ti writes that);
        names that are labels leave the offsets unverified."""
        n = len(self.stored)
        hint = " ".join((name or "").rstrip("…").split())
        if len(hint) >= 8:
            if 0 <= start <= end <= n and " ".join(self.stored[start:end].split()).startswith(hint):
                return start, end, "exact"
            hit = _find_near(self.stored, hint, start)
            if hit is not None and hit[0] + (end - start) <= n:
                return hit[0], hit[0] + (end - start), "reanchored"
        if not (0 <= start <= end <= n):
            return None
        return start, end, "unverified"


def _find_near(text: str, wanted: str, near: int) -> tuple[int, int] | None:
    """The occurrence of ``wanted`` in ``text`` nearest to ``near``: exactly, else with any whitespace."""
    best = None
    lo = max(0, near - SEARCH_WINDOW)
    for haystack_start in (lo, 0):
        idx = text.find(wanted, haystack_start)
        while idx != -1:
            if best is None or abs(idx - near) < abs(best[0] - near):
                best = (idx, idx + len(wanted))
            if idx > near:
                break
            idx = text.find(wanted, idx + 1)
        if best is not None:
            return best
    words = wanted.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    for m in pattern.finditer(text):
        if best is None or abs(m.start() - near) < abs(best[0] - near):
            best = (m.start(), m.end())
    return best


# ---------------------------------------------------------------------- the import


def import_codings(project: Project, path: str | Path, *, coder: str | None = None,
                   add_sources: bool = False) -> ImportReport:
    """Import the text codings of a REFI-QDA export into ``project``; see the module docstring."""
    export = _Export(Path(path))
    try:
        return _import(project, export, Path(path).name, coder=coder, add_sources=add_sources)
    finally:
        export.close()


def _import(project: Project, export: _Export, file_name: str, *, coder: str | None, add_sources: bool) -> ImportReport:
    report = ImportReport()
    root = export.root
    users = {}
    users_el = _child(root, "Users")
    if users_el is not None:
        for u in _children(users_el, "User"):
            users[norm_guid(u.get("guid"))] = (u.get("name") or u.get("id") or "").strip(), u.get("id") or ""
    codes = _qda_codes(root)
    mapper = _CodeMapper(project, report)
    matcher = _DocumentMatcher(project)
    sources = _collect_sources(export)
    report.sources = len(sources)

    # Non-text sources: count their codings, never import them silently.
    sources_el = _child(root, "Sources")
    for el in (sources_el if sources_el is not None else []):
        kind = local(el.tag)
        if kind == "TextSource":
            continue
        for sel in el.iter():
            if local(sel.tag) in NON_TEXT_SELECTIONS:
                n = len([c for c in sel if local(c.tag) == "Coding"])
                if n:
                    report.non_text[local(sel.tag)] += n
        n_direct = len(_children(el, "Coding"))
        if n_direct:
            report.non_text[f"whole-{kind}"] += n_direct

    for src in sources:
        doc_id, how = matcher.match(src)
        if doc_id is None and add_sources and src.text is not None:
            doc_id = _add_source(project, src, matcher)
            report.sources_added.append(doc_id)
            how = None
        selections = _children(src.element, "PlainTextSelection")
        direct = _children(src.element, "Coding")
        report.selections += len(selections)
        if doc_id is None:
            if direct or any(_children(sel, "Coding") for sel in selections):
                report.sources_unmatched.append(src.name)
                reason = ("no source text in the export and no document of that name in the project"
                          if src.text is None else "no matching document in the project")
                for sel in selections:
                    if not _children(sel, "Coding"):
                        continue
                    report.mismatches.append(Mismatch(src.name, _int(sel.get("startPosition")),
                                                      _int(sel.get("endPosition")), _code_names(sel, codes), reason))
            continue
        if how:
            report.sources_matched[how] += 1
        stored = project.get_document(doc_id).text
        anchor = _Anchor(stored, src.text)
        sentence_ids = project.sentence_spans(doc_id)
        rows_by_coder: dict[tuple[str, str, str | None], list[dict]] = defaultdict(list)
        for sel in selections:
            start, end = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
            codings = _children(sel, "Coding")
            if not codings:
                continue
            located = anchor.locate(start, end, sel.get("name")) if start is not None and end is not None else None
            if located is None:
                report.mismatches.append(Mismatch(src.name, start, end, _code_names(sel, codes),
                                                  "the selected text was not found in the stored document"))
                continue
            new_start, new_end, how_anchor = located
            if how_anchor == "reanchored":
                report.reanchored += 1
            elif how_anchor == "unverified":
                report.unverified += 1
            for coding in codings:
                _add_row(rows_by_coder, coding, sel, doc_id, new_start, new_end, users, coder, codes, mapper,
                         sentence_ids, report, src.name)
        for coding in direct:  # a coding of the whole source
            _add_row(rows_by_coder, coding, src.element, doc_id, 0, len(stored), users, coder, codes, mapper,
                     sentence_ids, report, src.name)
        for (name, kind, version), rows in rows_by_coder.items():
            added = project.add_codings(rows, coder=name, kind=kind, version=version, origin=f"import:{file_name}")
            report.codings_added += added
            report.codings_existing += len(rows) - added
            report.coders[name] += len(rows)
    return report


def _add_row(rows_by_coder, coding, sel, doc_id, start, end, users, coder, codes, mapper, sentence_ids,
             report, source_name) -> None:
    ref = _child(coding, "CodeRef")
    guid = norm_guid(ref.get("targetGUID")) if ref is not None else None
    if guid not in codes:
        report.mismatches.append(Mismatch(source_name, start, end, guid or "?",
                                          "the coding refers to a code that is not in the export's codebook"))
        return
    code_id = mapper.map(guid, codes)
    if coder:
        key = (coder, "human", None)
    else:
        user = norm_guid(coding.get("creatingUser") or sel.get("creatingUser"))
        name, uid = users.get(user, (None, ""))
        if uid.startswith("sprogtro:model:"):
            key = (name or UNKNOWN_CODER, "model", uid.split(":", 2)[2] or None)
        else:
            key = (name or UNKNOWN_CODER, "human", None)
    rows_by_coder[key].append({"doc_id": doc_id, "code": code_id, "start_char": start, "end_char": end,
                               "guid": norm_guid(coding.get("guid")), "sentence_id": sentence_ids.get((start, end)),
                               "created_at": coding.get("creationDateTime")})


def _add_source(project: Project, src: _Source, matcher: _DocumentMatcher) -> str:
    doc_id = src.name
    n = 2
    while doc_id in matcher.ids:
        doc_id = f"{src.name} ({n})"
        n += 1
    text = normalize_text(src.text)
    meta = clean_metadata(src.metadata)
    meta["qda_source"] = src.name
    project.add_document(Document(doc_id=doc_id, text=text, metadata=meta, pseudonymized=True), origin="import")
    with project.transaction() as conn:  # keep the export's GUID so a second import matches by GUID
        if not conn.execute("SELECT 1 FROM documents WHERE lower(guid) = ?", (src.guid,)).fetchone():
            conn.execute("UPDATE documents SET guid = ? WHERE doc_id = ?", (src.guid, doc_id))
    matcher.ids.add(doc_id)
    matcher.by_guid[src.guid] = doc_id
    return doc_id


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _code_names(sel, codes) -> str:
    names = []
    for coding in _children(sel, "Coding"):
        ref = _child(coding, "CodeRef")
        guid = norm_guid(ref.get("targetGUID")) if ref is not None else None
        names.append(" › ".join(codes[guid][0]) if guid in codes else "?")
    return ", ".join(names) or "(no coding)"

"""Ingest sources into a project, pseudonymizing on the way in: raw text never reaches the database.

Each source document is read (:func:`sprogtro.corpus.iter_documents`), recognised as unchanged by a
keyed hash of its raw text and metadata (HMAC with the key vault's secret, so the hash reveals nothing
without the key file), otherwise pseudonymized with :class:`sprogtro.privacy.pseudonymizer.Pseudonymizer`
and stored. The vault is saved before the documents whose surrogates it holds are stored, so a stored
document can always be re-identified. The stored ``doc_id`` is the source path with the identifiers in
its folder and file names pseudonymized too ("notat_Mette_2023.docx" → "notat_Hanne_2023.docx").
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sprogtro._io import CheckpointPacer
from sprogtro.corpus import iter_documents
from sprogtro.corpus.document import Document
from sprogtro.errors import ReadError
from sprogtro.store.project import Project

BATCH = 25


@dataclass
class IngestResult:
    added: int = 0
    updated: int = 0
    metadata: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # replaced identifiers per entity type

    @property
    def stored(self) -> int:
        return self.added + self.updated + self.metadata


def source_hash(vault, doc: Document, style: str, evidence: str = "rules") -> str:
    """A keyed hash of what decides the stored document: raw text, turns, metadata, style and the NER
    ``evidence`` (so ingesting again with another ``--model`` re-pseudonymizes)."""
    turns = [(t.start, t.end, t.speaker, t.role, t.label_start, t.label_end) for t in doc.turns]
    payload = json.dumps([style, evidence, doc.text, turns, doc.metadata], sort_keys=True, default=str,
                         ensure_ascii=False)
    return vault.key_id("sprogtro-source", payload)


def ingest_sources(project: Project, sources: Iterable[str | Path], *, vault, style: str = "realistic",
                   metadata: dict[str, Any] | None = None, metadata_csv: str | Path | None = None,
                   text_column: str | None = None, id_column: str | None = None, nlp: Any = None,
                   progress: Callable[[int], None] | None = None) -> IngestResult:
    """Read, pseudonymize and store every document under ``sources``; see the module docstring."""
    from sprogtro.privacy.pseudonymizer import Pseudonymizer, evidence_id

    result = IngestResult()
    sources = [Path(s) for s in sources]
    pseudonymizer = Pseudonymizer(vault, style=style, nlp=nlp)
    evidence = evidence_id(nlp)
    pending: list[tuple[Document, str]] = []
    pacer = CheckpointPacer(BATCH)  # the key file grows with the corpus: a fixed interval is quadratic
    seen: set[str] = set()

    def on_error(error: ReadError) -> None:
        result.failures.append((error.path, error.reason))

    def flush() -> None:
        vault.save()  # the key first: a stored document must always be re-identifiable
        for doc, digest in pending:
            outcome = project.add_document(doc, source_hash=digest)
            setattr(result, outcome, getattr(result, outcome) + 1)
        pending.clear()

    docs = iter_documents(sources, metadata=metadata, metadata_csv=metadata_csv, text_column=text_column,
                          id_column=id_column, on_error=on_error, exclude=_exclude_project(sources, project.path))
    try:
        for doc in docs:
            if progress is not None:
                progress(1)
            if doc.doc_id in seen:
                result.failures.append((doc.source_path or doc.doc_id, f"a second document with id {doc.doc_id!r} in "
                                        "this run (ingest the sources separately or rename one)"))
                continue
            seen.add(doc.doc_id)
            digest = source_hash(vault, doc, style, evidence)
            stored_id = _stored_id(pseudonymizer, doc.doc_id)
            if stored_id is not None and project.source_hash(stored_id) == digest:
                result.unchanged += 1
                continue
            try:
                pseudo, counts, names = _pseudonymize(pseudonymizer, doc)
                pseudo = _pseudonymize_ids(pseudonymizer, pseudo, names)
            except Exception as exc:  # one bad document must not stop the run; never echo its text
                result.failures.append((doc.source_path or doc.doc_id,
                                        f"pseudonymization failed ({exc.__class__.__name__})"))
                continue
            result.counts.update(counts)
            pending.append((pseudo, digest))
            if pacer.tick():
                with pacer.saving():
                    flush()
    finally:
        flush()
    return result


def _pseudonymize(pseudonymizer, doc: Document) -> tuple[Document, Counter, frozenset[str]]:
    """The pseudonymized document, its counts and the name words found (``process`` gives all three;
    ``pseudonymize`` may give a document or a result with ``document`` and ``counts``)."""
    result = pseudonymizer.process(doc) if hasattr(pseudonymizer, "process") else pseudonymizer.pseudonymize(doc)
    if isinstance(result, Document):
        return result, Counter(), frozenset()
    return result.document, Counter(result.counts), frozenset(getattr(result, "names", ()))


def _stored_id(pseudonymizer, doc_id: str) -> str | None:
    """The id an earlier run stored ``doc_id`` under (None: not stored before, as far as the key knows)."""
    return pseudonymizer.lookup_path(doc_id) if hasattr(pseudonymizer, "lookup_path") else doc_id


def _pseudonymize_ids(pseudonymizer, doc: Document, known: frozenset[str]) -> Document:
    """File names may name the citizen: the id and source path get the text's surrogates too (after
    the text, so that tags name the person the text names)."""
    if not hasattr(pseudonymizer, "pseudonymize_path"):
        return doc
    doc_id = pseudonymizer.pseudonymize_path(doc.doc_id, known=known)
    source = pseudonymizer.pseudonymize_path(doc.source_path, known=known) if doc.source_path else doc.source_path
    return replace(doc, doc_id=doc_id, source_path=source)


def _exclude_project(sources: list[Path], project_dir: Path) -> list[str]:
    """Glob patterns that keep the project folder out of a walk over a source folder containing it."""
    patterns = []
    for source in sources:
        try:
            rel = project_dir.resolve().relative_to(source.resolve())
        except ValueError:
            continue
        if str(rel) != ".":
            patterns += [rel.as_posix(), f"{rel.as_posix()}/*"]
    return patterns

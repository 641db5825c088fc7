"""``sprogtro pseudonymize`` as a library call: a folder of sources → a folder of pseudonymized text.

* ``OUT_DIR/<relative path, suffix replaced by .txt>``; table rows go to
  ``OUT_DIR/<table path without suffix>/<id>.txt``; when two sources would share an output
  ("a.docx" and "a.txt") both keep their full name ("a.docx.txt", "a.txt.txt").
* Identifiers in folder and file names (and table ids) are pseudonymized like the text
  (:meth:`Pseudonymizer.pseudonymize_path`): "notat_Mette_2023.docx" → "notat_Hanne_2023.txt". Output
  paths, report rows, metadata rows and manifest keys all use the pseudonymized name.
* Every output is written atomically (temporary file + rename), UTF-8 with LF.
* ``OUT_DIR/pseudonymization_report.csv``: counts per document and entity type, never an original.
* ``OUT_DIR/metadata.csv``: the pseudonymized metadata keyed by output path (the corpus reader picks it
  up when the output folder is read again).
* ``OUT_DIR/sprogtro-manifest.db``: a keyed content hash per document (:mod:`sprogtro.privacy.manifest`),
  so a re-run skips what is done (unless ``force``); the vault is re-opened, so surrogates stay the same
  across runs. Both live on disk: memory stays flat however large the corpus.
* An unreadable file is recorded with its path and reason and skipped; the run goes on.
"""

from __future__ import annotations

import csv
import inspect
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sprogtro._io import CheckpointPacer
from sprogtro._io import atomic_write
from sprogtro._io import atomic_write_text
from sprogtro.corpus import SUPPORTED_SUFFIXES, Document, iter_documents
from sprogtro.corpus.reader import TABLE_SUFFIXES
from sprogtro.errors import ReadError, SprogtroError, VaultError
from sprogtro.privacy.manifest import Manifest
from sprogtro.privacy.pseudonymizer import Pseudonymizer, evidence_id
from sprogtro.privacy.recognizers import ENTITY_TYPES
from sprogtro.privacy.vault import KeyVault

REPORT = "pseudonymization_report.csv"
METADATA = "metadata.csv"
SAVE_EVERY = 25
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class RunResult:
    written: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


def check_key_location(key_file: Path, out_dir: Path) -> None:
    """The key must never lie inside the output folder (outputs get shared; the key must not)."""
    if key_file.resolve().is_relative_to(out_dir.resolve()):
        raise VaultError(f"the key file {key_file} lies inside the output folder {out_dir}; keep it elsewhere")


class OutputNames:
    """Output paths (relative, posix) for the documents of one input folder."""

    def __init__(self, input_dir: Path, claimed: Any = None) -> None:
        self._clashing = _clashing_stems(input_dir)
        # Paths taken earlier in this run: a set, or anything with ``in`` and ``add`` (the run keeps them
        # on disk, beside the manifest, so that a million documents need no million strings in memory).
        self._used = claimed if claimed is not None else set()

    def raw(self, doc: Document) -> str:
        """The output path before pseudonymization (it may still hold a name from the source's name)."""
        source = PurePosixPath(doc.source_path or doc.doc_id)
        base = source.with_suffix("").as_posix()
        if base in self._clashing:
            base = source.as_posix()
        if source.suffix.lower() in TABLE_SUFFIXES:
            name = _UNSAFE.sub("_", str(doc.doc_id)).lstrip(".") or "row"
            return f"{base}/{name}.txt"
        return f"{base}.txt"

    def next_free(self, out: str) -> str:
        """``out``, or ``out`` with "_2", "_3" … when an earlier document of this run took it."""
        candidate, n = out, 2
        while candidate in self._used:
            candidate = f"{out[:-4]}_{n}.txt"
            n += 1
        return candidate

    def claim(self, out: str) -> str:
        candidate = self.next_free(out)
        self._used.add(candidate)
        return candidate

    def for_document(self, doc: Document, pseudonymizer: Pseudonymizer | None = None, known=()) -> str:
        """The output path of ``doc``, its file and folder names pseudonymized when a pseudonymizer is given."""
        raw = self.raw(doc)
        return self.claim(pseudonymizer.pseudonymize_path(raw, known=known) if pseudonymizer else raw)


def _clashing_stems(input_dir: Path) -> set[str]:
    """Relative paths without suffix that two sources share ("a.docx" and "a.txt"); only files of one
    folder can clash, so one folder's names are held at a time."""
    clashing: set[str] = set()
    if not input_dir.is_dir():
        return clashing
    for dirpath, _dirnames, filenames in os.walk(input_dir):
        rel = Path(dirpath).relative_to(input_dir)
        stems = Counter(Path(f).stem for f in filenames if Path(f).suffix.lower() in SUPPORTED_SUFFIXES)
        clashing.update((rel / stem).as_posix() for stem, n in stems.items() if n > 1)
    return clashing


def document_hash(doc: Document, style: str, vault: KeyVault, evidence: str = "rules") -> str:
    """A keyed hash of a source document and of what decides its replacements (style, NER ``evidence``);
    HMAC with the vault's secret: without the key file it tells nothing about the text, not even for
    short table cells."""
    payload = json.dumps([style, evidence, doc.doc_id, doc.text, doc.metadata], sort_keys=True, default=str,
                         ensure_ascii=False)
    return vault.key_id("sprogtro-source", payload)


def pseudonymize_folder(input_dir: str | Path, out_dir: str | Path, *, vault: KeyVault, style: str = "realistic",
                        force: bool = False, nlp: Any = None,
                        progress: Callable[[int], None] | None = None) -> RunResult:
    """Pseudonymize every readable source under ``input_dir`` into ``out_dir`` (see the module docs)."""
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    if not input_dir.exists():
        raise SprogtroError(f"input folder {input_dir} does not exist")
    if vault.path is not None:
        check_key_location(vault.path, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(out_dir)
    result = RunResult()
    exclude = _exclude_out_dir(input_dir, out_dir)
    names = OutputNames(input_dir, claimed=manifest.claimed_this_run())
    pseudonymizer = Pseudonymizer(vault, style=style, nlp=nlp)
    evidence = evidence_id(nlp)
    failures = result.failures

    def on_error(error: ReadError) -> None:
        failures.append((error.path, error.reason))

    pacer = CheckpointPacer(SAVE_EVERY)
    with manifest:  # committed and closed however the run ends
        try:
            for doc in _documents(input_dir, on_error, exclude):
                raw = names.raw(doc)
                digest = document_hash(doc, style, vault, evidence)
                # The output name of a document done before is known without choosing new surrogates.
                known_name = None if force else pseudonymizer.lookup_path(raw)
                expected = names.next_free(known_name) if known_name is not None else None
                previous = manifest.get(expected) if expected is not None else None
                if previous and previous["hash"] == digest and (out_dir / expected).is_file():
                    names.claim(expected)
                    result.skipped += 1
                    result.counts.update(previous["counts"])
                else:
                    try:
                        processed = pseudonymizer.process(doc)
                        # after the text, so that a name in the file name gets the surrogate the text gave it
                        output = names.claim(pseudonymizer.pseudonymize_path(raw, known=processed.names))
                    except Exception as exc:  # one bad document must not stop the run; never echo its text
                        failures.append((doc.source_path or doc.doc_id, f"pseudonymization failed ({exc.__class__.__name__})"))
                        continue
                    _drop_stale(out_dir, manifest, raw, output, digest)
                    atomic_write_text(out_dir / output, processed.document.text)
                    meta = {k: v for k, v in processed.document.metadata.items() if k != "encoding"}
                    manifest.put(output, digest, dict(processed.counts), meta)
                    result.written += 1
                    result.counts.update(processed.counts)
                    if pacer.tick():
                        with pacer.saving():
                            _checkpoint(vault, manifest)
                if progress is not None:
                    progress(1)
        finally:
            _checkpoint(vault, manifest)
        _write_report(out_dir, manifest)
    return result


def _drop_stale(out_dir: Path, manifest: Manifest, raw: str, output: str, digest: str) -> None:
    """An output written under the source's own name by an older sprogtro (before file names were
    pseudonymized) leaks that name: remove it once the same document has its pseudonymized name."""
    if raw == output:
        return
    stale = manifest.get(raw)
    if stale is not None and stale["hash"] == digest:
        (out_dir / raw).unlink(missing_ok=True)
        manifest.delete(raw)


def _documents(input_dir: Path, on_error: Callable[[ReadError], None], exclude: list[str]):
    """The corpus reader's documents, minus anything under the output folder when it lies inside."""
    kwargs: dict[str, Any] = {"on_error": on_error}
    if "exclude" in inspect.signature(iter_documents).parameters:
        kwargs["exclude"] = exclude
    prefixes = tuple(p[:-1] for p in exclude if p.endswith("/*"))
    for doc in iter_documents(input_dir, **kwargs):
        if not (prefixes and str(doc.source_path or doc.doc_id).startswith(prefixes)):
            yield doc


def _checkpoint(vault: KeyVault, manifest: Manifest) -> None:
    """Save the vault first, then the manifest: a document is only marked done once its key is safe."""
    vault.save()
    manifest.commit()


def _exclude_out_dir(input_dir: Path, out_dir: Path) -> list[str]:
    try:
        rel = out_dir.resolve().relative_to(input_dir.resolve())
    except ValueError:
        return []
    return [f"{rel.as_posix()}/*", rel.as_posix()] if str(rel) != "." else []


def _write_report(out_dir: Path, manifest: Manifest) -> None:
    """The report and the metadata table, streamed from the manifest (every document ever done here)."""

    def write_report(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["document", *ENTITY_TYPES, "total"])
            for output, counts, _meta in manifest.rows():
                writer.writerow([output, *(counts.get(t, 0) for t in ENTITY_TYPES), sum(counts.values())])

    atomic_write(out_dir / REPORT, write_report)
    keys = manifest.metadata_keys()
    if not keys:
        return

    def write_metadata(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["path", *keys])
            for output, _counts, meta in manifest.rows():
                writer.writerow([output, *(meta.get(k, "") for k in keys)])

    atomic_write(out_dir / METADATA, write_metadata)

"""Code documents sentence by sentence: the library half of ``sprogtro code``.

:func:`code_documents` streams :class:`~sprogtro.corpus.document.Document` objects through the spaCy
pipeline (``nlp.pipe`` with batching and ``n_process``) and yields one row per sentence. Transcripts are
segmented turn by turn, so a sentence never crosses a speaker turn and each row carries the turn's speaker
and role. Memory stays flat: documents are pulled lazily and rows leave as soon as a document is done.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
from bisect import bisect_left
from collections import deque
from contextlib import contextmanager
from itertools import islice
from operator import attrgetter
from typing import Any, Iterable, Iterator

from spacy.language import Language

from sprogtro.corpus.document import Document
from sprogtro.nlp.extensions import span_values

# the row columns, in order (the first ten are DESIGN.md's contract)
COLUMNS = (
    "doc_id", "sent_index", "start_char", "end_char", "speaker", "text",
    "framing", "expectation", "action", "cues",
    "role", "framing_p", "expectation_p", "action_p",
    "framing_rule", "expectation_rule", "action_rule",
    "referent", "agency", "experiencer", "horizon", "target",
    "municipality", "doc_type", "date", "case_id", "model_version",
)
METADATA_COLUMNS = ("municipality", "doc_type", "date", "case_id")

# lexicon code → codebook code ("<dimension>.<label>", as the store and QDA exports name them)
CODEBOOK_CODES = {
    "deficit": "framing.deficit",
    "resource": "framing.resource",
    "expectation_high": "expectation.high",
    "expectation_low": "expectation.low",
    "expectation_uncertain": "expectation.uncertain",
    "action": "action.action",
    "waiting": "action.waiting",
}
# whose belief, when no experiencer cue says it: the speaker in a transcript, else the note's author
ROLE_EXPERIENCER = {"caseworker": "caseworker", "citizen": "citizen", "employer": "employer"}


_CUE_FIELDS = ("effective", "negated", "hedged", "conditional", "cue_group", "experiencer")
_SENTENCE_FIELDS = ("framing", "expectation", "action", "framing_p", "expectation_p", "action_p", "framing_rule",
                    "expectation_rule", "action_rule", "referent", "agency", "horizon", "target")


# one encoder for every row's cue list (json.dumps builds a new one per call when given options)
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def codebook_code(code: str) -> str:
    return CODEBOOK_CODES.get(code, code)


def _segments(doc: Document) -> list[tuple[int, int, str | None, str | None]]:
    """(start, end, speaker, role) per turn; the whole text when the document has no turns."""
    if doc.turns:
        return [(t.start, t.end, t.speaker, t.role) for t in doc.turns if t.end > t.start]
    return [(0, len(doc.text), None, None)]


def _inputs(documents: Iterable[Document]) -> Iterator[tuple[str, dict[str, Any]]]:
    for index, doc in enumerate(documents):
        segments = _segments(doc)
        meta = {k: _plain(doc.metadata.get(k)) for k in METADATA_COLUMNS}
        for k, (start, end, speaker, role) in enumerate(segments):
            text = doc.text[start:end]
            yield text, {
                "index": index, "doc_id": doc.doc_id, "offset": start, "speaker": speaker, "role": role,
                "text": text,  # what the Doc was made from: the same as doc.text, without rebuilding it
                "last": k == len(segments) - 1, "meta": meta,
            }
        if not segments:
            yield "", {"index": index, "doc_id": doc.doc_id, "offset": 0, "speaker": None, "role": None,
                       "text": "", "last": True, "meta": meta}


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def code_documents(nlp: Language, documents: Iterable[Document], *, batch_size: int = 64, n_process: int = 1,
                   model_version: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one row (a dict with :data:`COLUMNS`) per sentence, documents in input order.

    ``nlp`` must carry sprogtro's components (:func:`sprogtro.nlp.models.load_pipeline`). Rows of one
    document come together, ``sent_index`` counting from 0 across its turns.
    """
    for _, rows in code_documents_grouped(nlp, documents, batch_size=batch_size, n_process=n_process,
                                          model_version=model_version):
        yield from rows


def code_documents_grouped(nlp: Language, documents: Iterable[Document], *, batch_size: int = 64,
                           n_process: int = 1, model_version: str | None = None
                           ) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Like :func:`code_documents`, but ``(doc_id, rows)`` per document, also for documents without
    sentences, so a caller can checkpoint whole documents."""
    if model_version is None:
        from sprogtro.nlp.models import model_version as version_of

        model_version = version_of(nlp)
    with _long_lived_objects_frozen():
        if n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
            yield from _code_in_pool(nlp, documents, batch_size=batch_size, n_process=n_process,
                                     model_version=model_version)
            return
        # n_process == 1, or no "fork" (the pipeline's components cannot be rebuilt in a spawned child
        # from an ``nlp`` object alone): spaCy's own multiprocessing
        yield from _code_serial(nlp, documents, batch_size=batch_size, n_process=n_process,
                                model_version=model_version)


@contextmanager
def _long_lived_objects_frozen() -> Iterator[None]:
    """Keep the objects that exist now (the pipeline, the imported libraries: about half a million)
    out of the garbage collector's sight while coding, and give them back afterwards.

    Coding allocates many short-lived containers, which trigger full collections; each walked every
    long-lived object (0.3 s here, several times per thousand documents: ~4 % of the coding time).
    Frozen objects are never freed by the collector, so they are unfrozen when coding ends; nothing is
    touched when the caller has frozen objects of its own. Forked workers inherit the frozen state, which
    also spares them copy-on-write of those pages.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _code_serial(nlp: Language, documents: Iterable[Document], *, batch_size: int, n_process: int,
                 model_version: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    rows: list[dict[str, Any]] = []
    stream = nlp.pipe(_inputs(documents), as_tuples=True, batch_size=batch_size, n_process=n_process)
    for doc, ctx in stream:
        for row in sentence_rows(doc, ctx, model_version):
            row["sent_index"] = len(rows)
            rows.append(row)
        if ctx["last"]:
            yield ctx["doc_id"], rows
            rows = []


# documents per task sent to a worker: small enough to balance two workers on a few hundred documents,
# large enough that pickling a chunk and its rows is noise next to coding it
CHUNK_DOCS = 16
_WORKER: dict[str, Any] = {}


def _init_worker(nlp: Language, batch_size: int, model_version: str) -> None:
    # inherited through fork (Process args are not pickled under "fork"): the pipeline loads once, in the parent
    from threadpoolctl import threadpool_limits

    # one BLAS thread per worker: n workers on n cores, not n × (BLAS threads) fighting over them
    _WORKER.update(nlp=nlp, batch_size=batch_size, model_version=model_version,
                   blas_limit=threadpool_limits(limits=1, user_api="blas"))


def _code_chunk(chunk: list[Document]) -> list[tuple[str, list[dict[str, Any]]]]:
    return list(_code_serial(_WORKER["nlp"], chunk, batch_size=_WORKER["batch_size"], n_process=1,
                             model_version=_WORKER["model_version"]))


def _code_in_pool(nlp: Language, documents: Iterable[Document], *, batch_size: int, n_process: int,
                  model_version: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Code chunks of documents in forked workers that send back rows, not Docs (a processed Doc
    pickles to ~100× its text), in input order, with at most ``2 * n_process`` chunks in flight."""
    pool = multiprocessing.get_context("fork").Pool(n_process, initializer=_init_worker,
                                                    initargs=(nlp, batch_size, model_version))
    try:
        docs = iter(documents)
        pending: deque = deque()
        while True:
            while len(pending) < 2 * n_process:
                chunk = list(islice(docs, CHUNK_DOCS))
                if not chunk:
                    break
                pending.append(pool.apply_async(_code_chunk, (chunk,)))
            if not pending:
                break
            yield from pending.popleft().get()
        pool.close()
    finally:
        # also on an exception or an abandoned generator: no worker outlives the call
        pool.terminate()
        pool.join()


def sentence_rows(doc, ctx: dict[str, Any], model_version: str) -> Iterator[dict[str, Any]]:
    """Rows for the sentences of one segment Doc (offsets shifted to the whole document)."""
    offset = ctx["offset"]
    sentences = doc.spans["sprogtro_sentences"] if "sprogtro_sentences" in doc.spans else []
    cues = sorted(doc.spans["sprogtro_cues"], key=attrgetter("start")) if "sprogtro_cues" in doc.spans else []
    cue_starts = [c.start for c in cues]
    doc_text = ctx["text"]
    role = ctx.get("role")
    for sent in sentences:
        text = doc_text[sent.start_char : sent.end_char]
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        start = offset + sent.start_char + lead
        end = start + len(stripped)
        sent_cues = cues[bisect_left(cue_starts, sent.start) : bisect_left(cue_starts, sent.end)]
        experiencer = ""
        cue_list = []
        for c in sent_cues:
            values = span_values(c, _CUE_FIELDS)
            effective = values["effective"]
            cue_list.append({
                "start": offset + c.start_char, "end": offset + c.end_char, "code": codebook_code(c.label_),
                "cue": doc_text[c.start_char : c.end_char], "negated": bool(values["negated"]), "hedged": bool(values["hedged"]),
                "effective": codebook_code(effective) if effective else "",
                "conditional": bool(values["conditional"]), "group": values["cue_group"],
            })
            if effective.startswith("expectation_") and not experiencer:
                experiencer = values["experiencer"] or ""
        labels = span_values(sent, _SENTENCE_FIELDS)
        if labels["expectation"] != "none" and not experiencer:
            experiencer = ROLE_EXPERIENCER.get(role or "", "caseworker" if role is None else "")
        yield {
            "doc_id": ctx["doc_id"], "sent_index": 0, "start_char": start, "end_char": end,
            "speaker": ctx.get("speaker"), "text": stripped,
            "framing": labels["framing"], "expectation": labels["expectation"], "action": labels["action"],
            "cues": _dumps(cue_list), "role": role, "framing_p": labels["framing_p"],
            "expectation_p": labels["expectation_p"], "action_p": labels["action_p"],
            "framing_rule": labels["framing_rule"], "expectation_rule": labels["expectation_rule"],
            "action_rule": labels["action_rule"], "referent": labels["referent"] or None,
            "agency": labels["agency"] or None, "experiencer": experiencer or None,
            "horizon": labels["horizon"] or None, "target": labels["target"] or None,
            **ctx["meta"], "model_version": model_version,
        }

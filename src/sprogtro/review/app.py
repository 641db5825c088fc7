"""The review web app (Flask): learning groups look at flagged sentences and say whether the code fits.

:func:`create_app` is the factory. The page (``templates/index.html`` with ``static/app.js`` and
``static/app.css``, all local) talks to a small JSON API:

``GET  /api/session``            the CSRF token for this browser session
``GET  /api/codebook``           dimensions, codes (Danish labels), reflection questions
``GET  /api/facets``             values of the filters (municipality, document type, speaker role …)
``GET  /api/items``              the queue: flagged items matching the filters (or the discussion set),
                                 each with the reviewer's status, plus progress
``GET  /api/item?id=…``          one item: sentence, context, highlighted cues, why it was coded
``POST /api/reviews``            a verdict: agree, disagree (with a corrected code), skip, or a comment
``GET  /api/progress``           counts for the queue
``GET  /api/sets``, ``/api/sets/<name>``   discussion sets in the project

Every POST needs the session's CSRF token (see :mod:`sprogtro.review.security`). Errors are JSON:
``{"error": <code>, "message": <Danish text for the UI>, "detail": <English reason>, "field": …}``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
from pathlib import Path
from typing import Any

import pandas as pd
from flask import Flask, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from sprogtro import __version__
from sprogtro.errors import StoreError
from sprogtro.review import security
from sprogtro.review.codebook import ReviewCodebook
from sprogtro.review.items import UNKNOWN, ItemIndex, plain_records, split_item_id
from sprogtro.review.sets import DiscussionSet, SetError, list_sets, load_set, resolve_set
from sprogtro.review.source import ReviewSource
from sprogtro.review.validation import DECIDED, ReviewInputError, clean_review, clean_reviewer

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
MAX_LIST = 5000

# Danish messages for HTTP errors the API can return.
_MESSAGES = {
    "csrf": "Sikkerhedsnøglen mangler eller er forældet. Genindlæs siden og prøv igen.",
    "origin": "Forespørgslen kom fra en anden side og blev afvist.",
    "host": "Ukendt værtsnavn. Åbn appen via den adresse, serveren skrev ved start.",
    400: "Forespørgslen kunne ikke forstås.",
    403: "Handlingen blev afvist.",
    404: "Findes ikke.",
    405: "Metoden er ikke tilladt her.",
    413: "Forespørgslen er for stor.",
    415: "Send data som JSON (Content-Type: application/json).",
    500: "Der skete en fejl på serveren. Prøv igen.",
}
# Confidence bands of the filter menu: [low, high) on the probability of the given label.
_CONFIDENCE_BANDS = {"low": (None, 0.6), "medium": (0.6, 0.8), "high": (0.8, None)}


class ReviewState:
    """What the app keeps between requests: the store handle, the item index (built once from the
    sentence table, rebuilt on demand), the codebook and the active discussion set."""

    def __init__(self, source: ReviewSource, set_name: str | None = None):
        self.source = source
        self.set_name = set_name
        self._lock = threading.Lock()
        self._index: ItemIndex | None = None
        self._codebook: ReviewCodebook | None = None
        if set_name:
            self.load_set(set_name)  # fail at start, not on first page view

    @property
    def index(self) -> ItemIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = ItemIndex(self.source.sentences())
        return self._index

    @property
    def codebook(self) -> ReviewCodebook:
        if self._codebook is None:
            with self._lock:
                if self._codebook is None:
                    self._codebook = self.source.codebook()
        return self._codebook

    def reload(self) -> None:
        with self._lock:
            self._index = None
            self._codebook = None

    def load_set(self, name: str) -> DiscussionSet:
        return load_set(self.source.project_dir, name)

    def reviews(self) -> "ReviewSummary":
        """The project's reviews, summarised (read fresh: other reviewers and processes write too)."""
        return ReviewSummary(plain_records(self.source.reviews()))


EMPTY_COUNTS = {"agree": 0, "disagree": 0, "skip": 0, "comments": 0}


class ReviewSummary:
    """Reviews folded per item: each reviewer's latest decided verdict (agree/disagree/skip; a later
    one replaces an earlier one), counts over reviewers, and each reviewer's comments."""

    def __init__(self, records: list[dict]):
        self.latest: dict[tuple[str, str, str], dict] = {}
        self.comments: dict[tuple[str, str, str], list[dict]] = {}
        for rec in records:
            key = (str(rec["sentence_id"]), rec["dimension"], rec["reviewer"])
            if rec["verdict"] in DECIDED:
                self.latest[key] = rec
            if rec.get("comment"):
                self.comments.setdefault(key, []).append(
                    {"comment": rec["comment"], "created_at": str(rec.get("created_at") or "")})
        self.counts: dict[tuple[str, str], dict[str, int]] = {}
        for (sid, dim, _), rec in self.latest.items():
            self.counts.setdefault((sid, dim), dict(EMPTY_COUNTS))[rec["verdict"]] += 1
        for (sid, dim, _), notes in self.comments.items():
            self.counts.setdefault((sid, dim), dict(EMPTY_COUNTS))["comments"] += len(notes)
        self.reviewed = {(sid, dim) for (sid, dim, _) in self.latest}

    def mine(self, sentence_id: str, dimension: str, reviewer: str | None) -> dict | None:
        return self.latest.get((sentence_id, dimension, reviewer)) if reviewer else None

    def count(self, sentence_id: str, dimension: str) -> dict[str, int]:
        return dict(self.counts.get((sentence_id, dimension), EMPTY_COUNTS))


def create_app(project_dir: str | os.PathLike, *, set_name: str | None = None,
               secret_key: bytes | str | None = None, allowed_hosts: set[str] | None = None,
               source: ReviewSource | None = None) -> Flask:
    """The review app for the project at ``project_dir``.

    ``set_name`` opens a discussion set (``P/review_sets/NAME.json``) as the default queue.
    ``allowed_hosts``: host names accepted in the Host header (the CLI passes the loopback names when
    bound to loopback, against DNS rebinding); None accepts any. The session secret is random per
    process unless given: a restarted server issues new CSRF tokens, and the page fetches one again.
    """
    app = Flask(__name__, static_folder="static", template_folder="templates")
    project_dir = Path(project_dir)
    app.config.update(
        SECRET_KEY=secret_key or os.urandom(32),
        # one cookie per project: two review apps on one machine (ports share cookies) keep apart
        SESSION_COOKIE_NAME="sprogtro_review_" + hashlib.sha1(str(project_dir.resolve()).encode()).hexdigest()[:8],
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=MAX_BODY,
        JSON_SORT_KEYS=False,
        ALLOWED_HOSTS=allowed_hosts,
        SEND_FILE_MAX_AGE_DEFAULT=0,
    )
    app.json.ensure_ascii = False
    state = ReviewState(source or ReviewSource(project_dir), set_name)
    app.extensions["sprogtro_review"] = state
    security.install(app)
    _register_routes(app, state)
    _register_errors(app)
    return app


def _api_error(status: int, error: str, message: str, detail: str = "", field: str | None = None):
    body = {"error": error, "message": message, "detail": detail or message}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    return response


def _register_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        desc = exc.description if isinstance(exc.description, str) else ""
        key = desc if desc in _MESSAGES else exc.code
        message = _MESSAGES.get(key, _MESSAGES.get(exc.code, exc.name))
        if request.path.startswith("/api/") or key in ("csrf", "origin", "host"):
            error = desc if desc in ("csrf", "origin", "host") else exc.name.lower().replace(" ", "_")
            detail = {"csrf": "missing or invalid CSRF token", "origin": "cross-origin request refused",
                      "host": "unexpected Host header"}.get(desc, desc or exc.name)
            return _api_error(exc.code or 500, error, message, detail)
        return exc

    @app.errorhandler(ReviewInputError)
    def _input_error(exc: ReviewInputError):
        return _api_error(400, "invalid", exc.message_da, exc.reason, exc.field)

    @app.errorhandler(StoreError)
    def _store_error(exc: StoreError):
        # e.g. the sentence was removed by a re-coding while the page was open
        return _api_error(409, "store", "Projektet er ændret, mens siden var åben. Genindlæs siden.", str(exc))

    @app.errorhandler(SetError)
    def _set_error(exc: SetError):
        return _api_error(404, "set", "Diskussionssættet findes ikke eller kan ikke læses.", str(exc))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return exc
        log.exception("review app: unexpected error")
        return _api_error(500, "server", _MESSAGES[500], exc.__class__.__name__)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _register_routes(app: Flask, state: ReviewState) -> None:
    @app.get("/")
    def index():
        return render_template(
            "index.html", csrf_token=security.csrf_token(), version=__version__,
            set_name=state.set_name or "", sets=list_sets(state.source.project_dir),
        )

    @app.get("/api/session")
    def session_info():
        return jsonify({"csrf_token": security.csrf_token(), "version": __version__,
                        "set": state.set_name})

    @app.get("/api/codebook")
    def codebook():
        return jsonify(state.codebook.as_dict())

    @app.get("/api/facets")
    def facets():
        return jsonify(state.index.facets())

    @app.get("/api/sets")
    def sets():
        out = []
        for name in list_sets(state.source.project_dir):
            try:
                dset = state.load_set(name)
            except SetError:
                continue
            out.append({"name": name, "items": len(dset.items), "created": dset.created,
                        "least_certain": dset.least_certain, "strata": dset.strata})
        return jsonify({"sets": out, "active": state.set_name})

    @app.get("/api/sets/<name>")
    def set_detail(name: str):
        dset = state.load_set(name)
        present, missing = resolve_set(state.index, dset)
        return jsonify({**dset.as_dict(), "present": len(present), "missing": missing})

    @app.get("/api/items")
    def items():
        queue, dset, missing = _queue(state, request.args)
        reviewer = _optional_reviewer(request.args.get("reviewer"))
        summary = state.reviews()
        cb = state.codebook
        theme_of = {e["item_id"]: e.get("theme") for e in dset.items} if dset else {}
        out = []
        for rec in plain_records(queue.head(MAX_LIST)):
            mine = summary.mine(rec["sentence_id"], rec["dimension"], reviewer)
            out.append({
                "item_id": rec["item_id"],
                "dimension": rec["dimension"],
                "code": rec["code"],
                "code_label": cb.label(rec["dimension"], rec["code"]),
                "municipality": rec["municipality"],
                "doc_type": rec["doc_type"],
                "role": rec["role"],
                "probability": _number(rec["probability"]),
                "theme": theme_of.get(rec["item_id"]),
                "status": mine["verdict"] if mine else None,
                "reviews": summary.count(rec["sentence_id"], rec["dimension"]),
            })
        return jsonify({
            "items": out, "total": int(len(queue)), "truncated": len(queue) > MAX_LIST,
            "set": dset.name if dset else None, "missing": len(missing),
            "progress": _progress(queue, summary, reviewer),
        })

    @app.get("/api/progress")
    def progress():
        queue, _, _ = _queue(state, request.args)
        reviewer = _optional_reviewer(request.args.get("reviewer"))
        return jsonify(_progress(queue, state.reviews(), reviewer))

    @app.get("/api/item")
    def item():
        iid = request.args.get("id", "")
        try:
            split_item_id(iid)
        except ValueError as exc:
            return _api_error(400, "invalid", "Ugyldigt id.", str(exc), "id")
        data = state.index.explain(iid)
        if data is None:
            return _api_error(404, "not_found", "Sætningen findes ikke (længere) i projektet.",
                              "no such item")
        cb = state.codebook
        dim, code = data["dimension"], data["code"]
        reviewer = _optional_reviewer(request.args.get("reviewer"))
        summary = state.reviews()
        mine = summary.mine(data["sentence_id"], dim, reviewer)
        my_comments = summary.comments.get((data["sentence_id"], dim, reviewer), []) if reviewer else []
        data.update({
            "code_label": cb.label(dim, code),
            "definition": (cb.get(dim, code).definition if cb.get(dim, code) else ""),
            "dimension_label": cb.dimension_labels.get(dim, dim),
            "choices": [{"value": c.value, "label": c.label, "key": i + 1}
                        for i, c in enumerate(cb.codes.get(dim, []))],
            "questions": cb.questions(dim, code),
            "mine": ({"verdict": mine["verdict"], "code": mine["code"], "created_at": str(mine["created_at"])}
                     if mine else None),
            "my_comments": my_comments,
            "reviews": summary.count(data["sentence_id"], dim),
        })
        return jsonify(data)

    @app.post("/api/reviews")
    def post_review():
        if not request.is_json:
            abort(415)
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            raise ReviewInputError("body", "Forespørgslen skal være et JSON-objekt.", "body is not a JSON object")
        iid = payload.get("item_id")
        try:
            sentence_id, dimension = split_item_id(iid)
        except ValueError as exc:
            raise ReviewInputError("item_id", "Ugyldigt id.", str(exc)) from None
        target = state.index.item(iid)
        if target is None:
            return _api_error(404, "not_found", "Sætningen findes ikke (længere) i projektet.", "no such item",
                              "item_id")
        rv = clean_review(payload, codebook=state.codebook, given_code=target["code"],
                          sentence_id=sentence_id, dimension=dimension)
        state.source.add_review(sentence_id=rv.sentence_id, dimension=rv.dimension, verdict=rv.verdict,
                                code=rv.code, reviewer=rv.reviewer, comment=rv.comment,
                                coder=target.get("coder"))
        log.info("review stored: item=%s verdict=%s", iid, rv.verdict)  # never the comment or text
        return jsonify({"ok": True, "item_id": iid, "verdict": rv.verdict,
                        "code": rv.code if rv.verdict == "disagree" else None,
                        "reviewer": rv.reviewer}), 201


def _optional_reviewer(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return clean_reviewer(value)
    except ReviewInputError:
        return None


def _queue(state: ReviewState, args) -> tuple[pd.DataFrame, DiscussionSet | None, list[dict]]:
    """The items the request asks for: the discussion set (``set=NAME``, default the app's set;
    ``set=`` for none) narrowed by the filters, in set order, or all flagged items in reading order."""
    set_name = args.get("set", state.set_name) or None
    dset, missing, ids = None, [], None
    if set_name:
        dset = state.load_set(set_name)
        ids, missing = resolve_set(state.index, dset)
    band = _CONFIDENCE_BANDS.get(args.get("confidence", ""), (None, None))
    min_c = _number(args.get("min_confidence"))
    max_c = _number(args.get("max_confidence"))
    order = args.get("order") or ("given" if ids is not None else "document")
    if order not in ("given", "document", "uncertain"):
        order = "document"
    queue = state.index.filter(
        dimension=args.get("dimension") or None,
        code=args.get("code") or None,
        municipality=args.get("municipality") or None,
        doc_type=args.get("doc_type") or None,
        role=args.get("role") or None,
        min_confidence=min_c if min_c is not None else band[0],
        max_confidence=max_c,
        below=band[1],
        item_ids=ids,
        order=order,
    )
    status = args.get("status")
    reviewer = _optional_reviewer(args.get("reviewer"))
    if status in ("open", "done") and reviewer:
        summary = state.reviews()
        done = [summary.mine(s, d, reviewer) is not None for s, d in zip(queue["sentence_id"], queue["dimension"])]
        keep = pd.Series(done, index=queue.index, dtype=bool)
        queue = queue[keep] if status == "done" else queue[~keep]
    return queue, dset, missing


def _progress(queue: pd.DataFrame, summary: ReviewSummary, reviewer: str | None) -> dict:
    keys = list(zip(queue["sentence_id"], queue["dimension"]))
    out = {"total": len(keys), "reviewed_by_anyone": sum(1 for k in keys if k in summary.reviewed),
           "reviewer": reviewer, "done": 0, "agree": 0, "disagree": 0, "skip": 0}
    if reviewer:
        for k in keys:
            rec = summary.mine(*k, reviewer)
            if rec:
                out["done"] += 1
                out[rec["verdict"]] += 1
    return out


__all__ = ["create_app", "ReviewState", "UNKNOWN"]

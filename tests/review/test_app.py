"""The review app (its JSON API) through Flask's test client: listing and filtering, item details,
reviews landing in the store, CSRF, validation, concurrent reviewers and restarts."""

from __future__ import annotations

import threading

import pytest

from sprogtro.review.app import create_app
from sprogtro.store import Project

from .conftest import CODER, csrf_of, flagged_count


def _post(client, token, **body):
    return client.post("/api/reviews", json=body, headers={"X-CSRF-Token": token})


def _items(client, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(f"/api/items?{query}").get_json()


def _item_id(client, text_part, dimension):
    for item in _items(client)["items"]:
        if item["dimension"] != dimension:
            continue
        detail = client.get(f"/api/item?id={item['item_id']}").get_json()
        if text_part in detail["text"]:
            return item["item_id"]
    raise AssertionError(f"no {dimension} item with {text_part!r}")


def _reviews(project_dir):
    with Project.open(project_dir) as project:
        return project.reviews_frame()


# ------------------------------------------------------------------ page and listing


def test_app_index_page_is_danish_with_token_and_strict_headers(client):
    res = client.get("/")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert 'lang="da"' in html and "Dit navn" in html and "Spring over" in html
    assert 'name="csrf-token" content="' in html
    assert "http://" not in html and "https://" not in html  # every asset is local
    csp = res.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert res.headers["X-Frame-Options"] == "DENY"
    for asset in ("/static/app.js", "/static/app.css"):
        body = client.get(asset).get_data(as_text=True)
        assert "http://" not in body and "https://" not in body
        assert "innerHTML" not in body


def test_app_items_lists_every_flagged_code(client):
    data = _items(client)
    assert data["total"] == flagged_count() == len(data["items"])
    assert data["progress"] == {"total": flagged_count(), "reviewed_by_anyone": 0, "reviewer": None,
                                "done": 0, "agree": 0, "disagree": 0, "skip": 0}
    first = data["items"][0]
    assert first["code_label"] == "Mangelsprog" and first["dimension"] == "framing"
    assert {i["code"] for i in data["items"]} >= {"deficit", "resource", "mixed", "low", "high", "uncertain",
                                                  "waiting", "action"}
    assert "neutral" not in {i["code"] for i in data["items"]}


@pytest.mark.parametrize("params, expected", [
    ({"code": "framing.deficit"}, 3),
    ({"code": "waiting"}, 2),
    ({"dimension": "expectation"}, 4),
    ({"municipality": "Sydstrand"}, 4),
    ({"doc_type": "visitation"}, 5),
    ({"role": "citizen"}, 2),
    ({"confidence": "low"}, 5),
    ({"confidence": "medium"}, 4),
    ({"confidence": "high"}, 4),
    ({"min_confidence": "0.9"}, 2),
    ({"max_confidence": "0.55"}, 3),
    ({"municipality": "Nordby", "code": "framing.resource"}, 1),
])
def test_app_items_filters(client, params, expected):
    assert _items(client, **params)["total"] == expected


def test_app_items_order_uncertain_puts_least_certain_first(client):
    items = _items(client, order="uncertain")["items"]
    probs = [i["probability"] for i in items]
    assert probs[0] == min(probs) == 0.48


def test_app_facets(client):
    facets = client.get("/api/facets").get_json()
    assert facets["municipality"] == ["Nordby", "Sydstrand", "Vestdal"]
    assert "(ukendt)" in facets["role"] and "citizen" in facets["role"]
    assert "expectation.low" in facets["code"]


def test_app_item_has_context_highlighted_cues_and_why(client):
    iid = _item_id(client, "ikke motiveret", "framing")
    data = client.get(f"/api/item?id={iid}").get_json()
    assert data["code"] == "deficit" and data["code_label"] == "Mangelsprog"
    assert [c["text"] for c in data["context_before"]] == ["Du har ingen problemer med at lære nyt.",
                                                           "Måske kan jeg arbejde lidt på sigt."]
    assert [c["text"] for c in data["context_after"]] == ["Vi aftaler en praktik hos en lokal virksomhed."]
    assert "".join(s["text"] for s in data["segments"]) == data["text"]
    cues = [s["cue"] for s in data["segments"] if s["cue"]]
    assert cues[0]["cue"] == "motiveret" and cues[0]["negated"] is True
    assert data["why"]["negated"] is True and data["why"]["probability"] == pytest.approx(0.61)
    assert len(data["choices"]) == 4 and data["choices"][0] == {"value": "deficit", "label": "Mangelsprog", "key": 1}
    assert data["questions"] and all(isinstance(q, str) for q in data["questions"])
    assert data["speaker"] == "Borger" and data["role"] == "citizen"


def test_app_item_unknown_and_malformed_ids(client):
    assert client.get("/api/item?id=999999:framing").status_code == 404
    res = client.get("/api/item?id=nonsense")
    assert res.status_code == 400 and res.get_json()["field"] == "id"


# ------------------------------------------------------------------ reviews land in the store


def test_app_review_agree_disagree_skip_comment_are_stored(client, token, project_dir):
    deficit = _item_id(client, "har svært ved", "framing")
    low = _item_id(client, "tvivler på", "expectation")
    waiting = _item_id(client, "afventer", "action")
    assert _post(client, token, item_id=deficit, reviewer="Pia Holm", verdict="agree").status_code == 201
    res = _post(client, token, item_id=low, reviewer="Pia Holm", verdict="disagree", code="uncertain")
    assert res.status_code == 201 and res.get_json()["code"] == "uncertain"
    assert _post(client, token, item_id=waiting, reviewer="Pia Holm", verdict="skip").status_code == 201
    assert _post(client, token, item_id=waiting, reviewer="Pia Holm", verdict="comment",
                 comment="Hvem venter vi på?").status_code == 201

    df = _reviews(project_dir)
    assert list(df["verdict"]) == ["agree", "disagree", "skip", "comment"]
    assert set(df["reviewer"]) == {"Pia Holm"}
    # the reviewer's label for decided reviews (confirmed or corrected), nothing for skip and comment
    assert list(df["corrected_value"].fillna("")) == ["deficit", "uncertain", "", ""]
    assert df["created_at"].notna().all()
    assert set(df["coder"]) == {CODER}  # whose label was reviewed: pairs model and reviewer for agreement
    assert df.loc[1, "label"] == "low" and df.loc[1, "dimension"] == "expectation"
    assert df.loc[3, "comment"] == "Hvem venter vi på?"

    progress = client.get("/api/progress?reviewer=Pia%20Holm").get_json()
    assert progress["done"] == 3 and progress["agree"] == 1 and progress["disagree"] == 1
    item = client.get(f"/api/item?id={waiting}&reviewer=Pia%20Holm").get_json()
    assert item["mine"]["verdict"] == "skip" and item["my_comments"][0]["comment"] == "Hvem venter vi på?"


def test_app_review_latest_verdict_counts_and_corrections_reach_the_store(client, token, project_dir):
    low = _item_id(client, "tvivler på", "expectation")
    _post(client, token, item_id=low, reviewer="Ole", verdict="agree")
    _post(client, token, item_id=low, reviewer="Ole", verdict="disagree", code="high")
    listed = {i["item_id"]: i for i in _items(client, reviewer="Ole")["items"]}
    assert listed[low]["status"] == "disagree"
    assert listed[low]["reviews"] == {"agree": 0, "disagree": 1, "skip": 0, "comments": 0}
    assert _items(client, reviewer="Ole", status="done")["total"] == 1
    assert _items(client, reviewer="Ole", status="open")["total"] == flagged_count() - 1
    with Project.open(project_dir) as project:
        corrected = project.sentences_frame(apply_reviews=True)
    row = corrected[corrected["text"].str.contains("tvivler på")].iloc[0]
    assert row["expectation"] == "high" and bool(row["reviewed"])
    # Ole comes round: the latest verdict wins in the app and in the store alike
    _post(client, token, item_id=low, reviewer="Ole", verdict="agree")
    assert {i["item_id"]: i for i in _items(client, reviewer="Ole")["items"]}[low]["status"] == "agree"
    with Project.open(project_dir) as project:
        corrected = project.sentences_frame(apply_reviews=True)
    assert corrected[corrected["text"].str.contains("tvivler på")].iloc[0]["expectation"] == "low"


# ------------------------------------------------------------------ CSRF


def test_app_post_without_csrf_token_is_rejected(client, project_dir):
    iid = _items(client)["items"][0]["item_id"]
    client.get("/")  # a session exists, but the token is not sent
    res = client.post("/api/reviews", json={"item_id": iid, "reviewer": "Pia", "verdict": "agree"})
    assert res.status_code == 403
    body = res.get_json()
    assert body["error"] == "csrf" and "Genindlæs" in body["message"]
    assert len(_reviews(project_dir)) == 0


def test_app_post_with_wrong_or_foreign_token_is_rejected(app, client, token, project_dir):
    iid = _items(client)["items"][0]["item_id"]
    other = app.test_client()
    other_token = csrf_of(other)
    assert other_token != token
    for bad in ("", "x" * 43, other_token):
        res = client.post("/api/reviews", json={"item_id": iid, "reviewer": "Pia", "verdict": "agree"},
                          headers={"X-CSRF-Token": bad})
        assert res.status_code == 403
    fresh = app.test_client()  # no session at all
    res = fresh.post("/api/reviews", json={"item_id": iid, "reviewer": "Pia", "verdict": "agree"},
                     headers={"X-CSRF-Token": token})
    assert res.status_code == 403
    assert len(_reviews(project_dir)) == 0


def test_app_post_from_another_origin_is_rejected(client, token):
    iid = _items(client)["items"][0]["item_id"]
    res = client.post("/api/reviews", json={"item_id": iid, "reviewer": "Pia", "verdict": "agree"},
                      headers={"X-CSRF-Token": token, "Origin": "http://evil.example"})
    assert res.status_code == 403 and res.get_json()["error"] == "origin"


def test_app_host_check_when_bound_to_loopback(project_dir):
    app = create_app(project_dir, allowed_hosts={"127.0.0.1", "localhost", "::1"})
    client = app.test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    res = client.get("/api/items", headers={"Host": "attacker.example:8765"})
    assert res.status_code == 400 and res.get_json()["error"] == "host"
    app.extensions["sprogtro_review"].source.close()


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("body, field", [
    ({"reviewer": "", "verdict": "agree"}, "reviewer"),
    ({"reviewer": "   ", "verdict": "agree"}, "reviewer"),
    ({"reviewer": "x" * 61, "verdict": "agree"}, "reviewer"),
    ({"reviewer": "<script>alert(1)</script>", "verdict": "agree"}, "reviewer"),
    ({"reviewer": ["Pia"], "verdict": "agree"}, "reviewer"),
    ({"reviewer": "Pia", "verdict": "maybe"}, "verdict"),
    ({"reviewer": "Pia"}, "verdict"),
    ({"reviewer": "Pia", "verdict": "disagree"}, "code"),
    ({"reviewer": "Pia", "verdict": "disagree", "code": "high"}, "code"),  # not a framing code
    ({"reviewer": "Pia", "verdict": "disagree", "code": "deficit"}, "code"),  # the given code
    ({"reviewer": "Pia", "verdict": "agree", "code": "resource"}, "code"),
    ({"reviewer": "Pia", "verdict": "comment", "comment": ""}, "comment"),
    ({"reviewer": "Pia", "verdict": "comment", "comment": "x" * 2001}, "comment"),
    ({"reviewer": "Pia", "verdict": "agree", "comment": 5}, "comment"),
])
def test_app_review_validation(client, token, project_dir, body, field):
    iid = _item_id(client, "har svært ved", "framing")
    res = _post(client, token, item_id=iid, **body)
    assert res.status_code == 400
    data = res.get_json()
    assert data["error"] == "invalid" and data["field"] == field and data["message"] and data["detail"]
    assert "<script>" not in res.get_data(as_text=True)  # input is never echoed
    assert len(_reviews(project_dir)) == 0


def test_app_review_unknown_item_and_bad_bodies(client, token):
    assert _post(client, token, item_id="999999:framing", reviewer="Pia", verdict="agree").status_code == 404
    assert _post(client, token, item_id="1:nonsense", reviewer="Pia", verdict="agree").status_code == 400
    res = client.post("/api/reviews", data="item_id=1", headers={"X-CSRF-Token": token},
                      content_type="application/x-www-form-urlencoded")
    assert res.status_code == 415 and res.get_json()["error"]
    res = client.post("/api/reviews", data="[1, 2", headers={"X-CSRF-Token": token}, content_type="application/json")
    assert res.status_code == 400
    res = client.post("/api/reviews", data="x" * (70 * 1024), headers={"X-CSRF-Token": token},
                      content_type="application/json")
    assert res.status_code == 413


def test_app_review_accepts_danish_names_and_normalises_spaces(client, token, project_dir):
    iid = _item_id(client, "har svært ved", "framing")
    res = _post(client, token, item_id=iid, reviewer="  Søren   Ærø-Østergaard ", verdict="agree")
    assert res.status_code == 201 and res.get_json()["reviewer"] == "Søren Ærø-Østergaard"
    assert list(_reviews(project_dir)["reviewer"]) == ["Søren Ærø-Østergaard"]


# ------------------------------------------------------------------ concurrency and restarts


def test_app_concurrent_reviewers_lose_nothing(app, project_dir):
    items = [i["item_id"] for i in _items(app.test_client())["items"]]
    reviewers = [f"Kollega {n}" for n in range(8)]
    errors: list[str] = []
    barrier = threading.Barrier(len(reviewers))

    def work(name: str) -> None:
        client = app.test_client()
        token = csrf_of(client)
        barrier.wait()
        for iid in items:
            res = _post(client, token, item_id=iid, reviewer=name, verdict="agree")
            if res.status_code != 201:
                errors.append(f"{name}: {res.status_code} {res.get_data(as_text=True)[:200]}")

    threads = [threading.Thread(target=work, args=(name,)) for name in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    df = _reviews(project_dir)
    assert len(df) == len(items) * len(reviewers)
    assert df.groupby("reviewer").size().to_dict() == {name: len(items) for name in reviewers}
    progress = app.test_client().get("/api/progress?reviewer=Kollega%203").get_json()
    assert progress["done"] == progress["total"] == len(items)


def test_app_two_servers_on_one_project_write_concurrently(project_dir):
    apps = [create_app(project_dir), create_app(project_dir)]
    items = [i["item_id"] for i in _items(apps[0].test_client())["items"]]
    errors: list[int] = []

    def work(app, name):
        client = app.test_client()
        token = csrf_of(client)
        for iid in items:
            res = _post(client, token, item_id=iid, reviewer=name, verdict="skip")
            if res.status_code != 201:
                errors.append(res.status_code)

    threads = [threading.Thread(target=work, args=(apps[k % 2], f"R{k}")) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for app in apps:
        app.extensions["sprogtro_review"].source.close()
    assert not errors
    assert len(_reviews(project_dir)) == 4 * len(items)


def test_app_restart_keeps_reviews_and_issues_a_new_token(project_dir):
    app1 = create_app(project_dir)
    client1 = app1.test_client()
    token1 = csrf_of(client1)
    iid = _item_id(client1, "tror på", "expectation")
    assert _post(client1, token1, item_id=iid, reviewer="Pia", verdict="disagree", code="uncertain").status_code == 201
    app1.extensions["sprogtro_review"].source.close()  # the server stops

    app2 = create_app(project_dir)  # … and starts again (new session secret)
    client2 = app2.test_client()
    listed = {i["item_id"]: i for i in _items(client2, reviewer="Pia")["items"]}
    assert listed[iid]["status"] == "disagree"
    assert client2.get("/api/progress?reviewer=Pia").get_json()["done"] == 1
    # The old page's token no longer works; the page fetches a fresh one and goes on.
    assert _post(client2, token1, item_id=iid, reviewer="Pia", verdict="agree").status_code == 403
    token2 = csrf_of(client2)
    assert _post(client2, token2, item_id=iid, reviewer="Pia", verdict="agree").status_code == 201
    app2.extensions["sprogtro_review"].source.close()
    assert list(_reviews(project_dir)["verdict"]) == ["disagree", "agree"]


def test_app_review_of_a_sentence_removed_meanwhile_is_a_clear_conflict(client, token, project_dir):
    iid = _item_id(client, "har svært ved", "framing")  # the app has read the sentences
    with Project.open(project_dir) as project:
        project.delete_document("nordby/journal-001.txt")  # e.g. re-ingested while the page is open
    res = _post(client, token, item_id=iid, reviewer="Pia", verdict="agree")
    assert res.status_code == 409
    assert res.get_json()["error"] == "store" and "Genindlæs" in res.get_json()["message"]


def test_app_assets_ship_as_package_data():
    from importlib import resources

    root = resources.files("sprogtro.review")
    for name in ("static/app.js", "static/app.css", "static/booklet.css", "static/favicon.svg",
                 "templates/index.html", "templates/booklet.html"):
        assert root.joinpath(name).is_file(), name

"""Discussion sets: the spec, stratified seeded draws, active learning, atomic files, the app's queue."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sprogtro.review.app import create_app
from sprogtro.review.items import ItemIndex
from sprogtro.review.sets import (
    SetError,
    Stratum,
    draw_set,
    list_sets,
    load_set,
    parse_spec,
    resolve_set,
    save_set,
    set_path,
)


def _index(n_per_code: int = 12) -> ItemIndex:
    """Sentences coded deficit/resource/low across three municipalities, with varied probabilities."""
    rows = []
    munis = ["Nordby", "Sydstrand", "Vestdal"]
    k = 0
    for framing, expectation in (("deficit", "none"), ("resource", "none"), ("neutral", "low")):
        for i in range(n_per_code):
            p = round(0.35 + 0.05 * i, 2)
            rows.append({"sentence_id": k, "doc_id": f"d{k // 4}", "sent_index": k % 4, "text": f"Sætning {k}.",
                         "framing": framing, "expectation": expectation, "action": "none",
                         "framing_p": p if framing != "neutral" else 0.9,
                         "expectation_p": p if expectation != "none" else 0.9,
                         "municipality": munis[i % 3], "doc_type": "journalnotat"})
            k += 1
    return ItemIndex(pd.DataFrame(rows))


@pytest.mark.parametrize("spec, expected", [
    ("deficit=10,resource=10,low=5", [Stratum("framing", "deficit", 10), Stratum("framing", "resource", 10),
                                      Stratum("expectation", "low", 5)]),
    (" expectation.low = 3 , action:waiting=2 ", [Stratum("expectation", "low", 3), Stratum("action", "waiting", 2)]),
    ("DEFICIT=1", [Stratum("framing", "deficit", 1)]),
])
def test_sets_parse_spec(spec, expected):
    assert parse_spec(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ("", "names no codes"),
    ("deficit", "lacks '=N'"),
    ("deficit=ten", "not a whole number"),
    ("deficit=-1", "0 or more"),
    ("sad=3", "unknown code"),
    ("none=3", "ambiguous"),
    ("framing.neutral=3", "uncoded"),
    ("deficit=1,framing.deficit=2", "named twice"),
    ("framing.low=2", "unknown code"),
])
def test_sets_parse_spec_errors(spec, message):
    with pytest.raises(SetError, match=message):
        parse_spec(spec)


def test_sets_draw_is_stratified_seeded_and_spread():
    index = _index()
    a = draw_set(index, "moede1", "deficit=6,resource=6,low=3", seed=7)
    b = draw_set(index, "moede1", "deficit=6,resource=6,low=3", seed=7)
    c = draw_set(index, "moede1", "deficit=6,resource=6,low=3", seed=8)
    assert a.item_ids == b.item_ids
    assert a.item_ids != c.item_ids
    themes = [it["theme"] for it in a.items]
    assert themes == ["framing.deficit"] * 6 + ["framing.resource"] * 6 + ["expectation.low"] * 3
    muni = {m: 0 for m in ("Nordby", "Sydstrand", "Vestdal")}
    for it in a.items[:6]:
        muni[index.item(it["item_id"])["municipality"]] += 1
    assert set(muni.values()) == {2}  # spread evenly over municipalities
    assert [s["found"] for s in a.strata] == [6, 6, 3]


def test_sets_least_certain_takes_lowest_margin_first():
    index = _index()
    dset = draw_set(index, "al", "deficit=3", least_certain=True)
    probs = [index.item(i)["probability"] for i in dset.item_ids]
    assert probs == [0.35, 0.4, 0.45]
    by_max = draw_set(index, "al", "deficit=3", least_certain=True, measure="maxprob")
    assert by_max.item_ids == dset.item_ids


def test_sets_a_sentence_appears_once_and_shortfalls_are_reported():
    rows = [{"sentence_id": 1, "doc_id": "d", "text": "x", "framing": "deficit", "expectation": "low",
             "action": "none"}]
    index = ItemIndex(pd.DataFrame(rows))
    dset = draw_set(index, "s", "deficit=2,low=2")
    assert dset.item_ids == ["1:framing"]
    assert [(s["requested"], s["found"]) for s in dset.strata] == [(2, 1), (2, 0)]


def test_sets_filters_narrow_the_pool():
    dset = draw_set(_index(), "s", "deficit=12", filters={"municipality": "Vestdal"})
    assert len(dset.items) == 4
    with pytest.raises(SetError, match="unknown set filter"):
        draw_set(_index(), "s", "deficit=1", filters={"town": "x"})


@pytest.mark.parametrize("name", ["", "../evil", "a/b", ".hidden", "x" * 65, "møde 1"])
def test_sets_names_are_validated(tmp_path, name):
    with pytest.raises(SetError):
        set_path(tmp_path, name)


def test_sets_save_atomically_load_and_list(tmp_path):
    dset = draw_set(_index(), "møde-1", "deficit=2,low=1", seed=3, least_certain=True)
    path = save_set(tmp_path, dset)
    assert path == tmp_path / "review_sets" / "møde-1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "sprogtro.review_set" and data["seed"] == 3 and data["least_certain"] is True
    assert [p.name for p in path.parent.iterdir()] == ["møde-1.json"]  # no temporary file left
    loaded = load_set(tmp_path, "møde-1")
    assert loaded.item_ids == dset.item_ids and loaded.strata == dset.strata
    assert list_sets(tmp_path) == ["møde-1"]
    with pytest.raises(SetError, match="exists already"):
        save_set(tmp_path, dset)
    save_set(tmp_path, dset, overwrite=True)
    with pytest.raises(SetError, match="no discussion set"):
        load_set(tmp_path, "andet")
    (path.parent / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(SetError, match="not a readable"):
        load_set(tmp_path, "broken")


def test_sets_resolve_reports_missing_items():
    index = _index()
    dset = draw_set(index, "s", "deficit=2")
    dset.items.append({"item_id": "9999:framing", "theme": "framing.deficit"})
    present, missing = resolve_set(index, dset)
    assert len(present) == 2 and [m["item_id"] for m in missing] == ["9999:framing"]


def test_sets_app_shows_the_set_in_order_with_questions(project_dir):
    from sprogtro.review.source import ReviewSource

    source = ReviewSource(project_dir)
    index = ItemIndex(source.sentences())
    source.close()
    dset = draw_set(index, "moede1", "deficit=2,resource=1,low=1", seed=1, least_certain=True)
    save_set(project_dir, dset)

    app = create_app(project_dir, set_name="moede1")
    client = app.test_client()
    data = client.get("/api/items").get_json()
    assert data["set"] == "moede1"
    assert [i["item_id"] for i in data["items"]] == dset.item_ids
    assert [i["theme"] for i in data["items"]] == ["framing.deficit"] * 2 + ["framing.resource", "expectation.low"]
    assert client.get("/api/items?set=").get_json()["set"] is None  # the whole project on request
    assert client.get("/api/items?set=moede1&municipality=Vestdal").get_json()["total"] < len(dset.items)
    detail = client.get(f"/api/item?id={dset.item_ids[0]}").get_json()
    assert detail["questions"]
    sets = client.get("/api/sets").get_json()
    assert sets["active"] == "moede1" and sets["sets"][0]["items"] == len(dset.items)
    assert client.get("/api/sets/moede1").get_json()["present"] == len(dset.items)
    assert client.get("/api/sets/nope").status_code == 404
    assert 'content="moede1"' in client.get("/").get_data(as_text=True)
    app.extensions["sprogtro_review"].source.close()


def test_sets_app_refuses_an_unknown_set_at_start(project_dir):
    with pytest.raises(SetError):
        create_app(project_dir, set_name="findes-ikke")

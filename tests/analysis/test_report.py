"""The HTML report: content, escaping, self-containment, and rendering in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sprogtro.analysis.frame import prepare_sentences
from sprogtro.analysis.report import render_report, write_report

CHROMIUM = Path("/usr/bin/chromium")
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def report_html(raw_sentences) -> str:
    return render_report(prepare_sentences(raw_sentences), project="test")


def test_report_has_every_section_and_finding(report_html):
    for anchor in ("data", "laes", "by-municipality", "by-doc_type", "by-role", "keyness", "index", "link", "method",
                   "caveats"):
        assert f'id="{anchor}"' in report_html
    assert 'id="topics"' not in report_html  # no topics asked for
    for text in ("Kommuner (municipalities)", "Cramér's V", "95 %-konfidensinterval", "ikke en neutral forventning",
                 "Beskrivende, ikke årsager", "Sætninger er ikke uafhængige", "Aarhus", "Odense"):
        assert text in report_html
    assert report_html.count("<svg") >= 9 + 1  # 3 groupings × 3 dimensions + the index chart
    assert report_html.count("<blockquote>") > 20  # example sentences for the findings


def test_report_is_self_contained(report_html):
    assert not EXTERNAL.search(report_html)
    assert "<script" not in report_html and "<link" not in report_html and "@import" not in report_html


def test_report_escapes_sentence_text(raw_sentences):
    raw = raw_sentences.copy()
    raw.loc[0, ["text", "framing"]] = ["Borgeren skrev <script>alert(1)</script> & mangler svar.", "deficit"]
    raw.loc[0, "cues"] = '[{"start": 0, "end": 8, "code": "a", "cue": "x"}, {"start": 0, "end": 8, "code": "b", "cue": "y"}, {"start": 0, "end": 8, "code": "c", "cue": "z"}]'
    html = render_report(prepare_sentences(raw))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mangler" in html


def test_report_states_missing_data(raw_sentences):
    raw = raw_sentences.drop(columns=["date", "case_id"]).copy()
    raw.loc[raw.index[:50], "role"] = None
    html = render_report(prepare_sentences(raw))
    assert "mangler dato" in html
    assert "intet sags-id" in html
    assert "ingen talerrolle" in html


def test_report_with_topics(raw_sentences, fast_topics, tmp_path):
    df = prepare_sentences(raw_sentences)
    path = write_report(tmp_path / "r.html", df, topics=fast_topics)
    html = path.read_text(encoding="utf-8")
    assert 'id="topics"' in html and "Emnernes andel pr. kommune" in html
    assert not EXTERNAL.search(html)


def _browser():
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def _open_offline(pw, path: Path):
    """Open a local file in headless Chromium; every non-file request is counted and refused."""
    browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                 args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return browser, page, requests, errors


needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="/usr/bin/chromium is absent: install Debian's chromium (make browser)")


@pytest.mark.browser
@needs_chromium
def test_report_renders_in_headless_chromium_without_network(raw_sentences, tmp_path):
    path = write_report(tmp_path / "report.html", prepare_sentences(raw_sentences))
    with _browser() as pw:
        browser, page, requests, errors = _open_offline(pw, path)
        try:
            assert page.title() == "Sprog og forventninger i sagsarbejdet"
            assert page.locator("h2").count() >= 8
            charts = page.locator("svg.chart")
            assert charts.count() >= 10
            box = charts.first.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 50
            assert page.locator("#by-municipality table").first.is_visible()
            page.locator("#by-municipality details summary").first.click()
            assert page.locator("#by-municipality details blockquote").first.is_visible()
        finally:
            browser.close()
    assert requests == []
    assert errors == []


@pytest.mark.browser
@needs_chromium
def test_report_topic_plots_render_offline(fast_topics, tmp_path):
    fast_topics.write(tmp_path, "municipality")
    with _browser() as pw:
        browser, page, requests, errors = _open_offline(pw, tmp_path / "topics.html")
        try:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            assert page.locator(".js-plotly-plot").count() >= 2
        finally:
            browser.close()
    assert requests == []
    assert errors == []

"""The review app in headless Chromium (Playwright driving Debian's /usr/bin/chromium): a reviewer gives
their name, reviews sentences with the keyboard, and the reviews are in the project database."""

from __future__ import annotations

import re

import pytest

from sprogtro.review.app import create_app
from sprogtro.store import Project

from .conftest import LiveServer, flagged_count

pytestmark = pytest.mark.browser


@pytest.fixture
def live(project_dir):
    app = create_app(project_dir, allowed_hosts={"127.0.0.1", "localhost", "::1"})
    with LiveServer(app) as server:
        yield server
    app.extensions["sprogtro_review"].source.close()


@pytest.fixture
def page(browser, live):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    external: list[str] = []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(live.url) else None)
    page.goto(live.url + "/")
    page.wait_for_selector("#sentence:not(:empty)")
    yield page
    assert not errors, errors
    assert not external, external  # every asset and call stays on this server
    context.close()


def _reviews(project_dir):
    with Project.open(project_dir) as project:
        return project.reviews_frame()


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def _sign_in(page, name="Pia Holm"):
    page.fill("#reviewer", name)
    page.press("#reviewer", "Enter")
    expect(page.locator("#progress-text")).to_contain_text("vurderet af dig")


def _wait_position(page, n):
    expect(page.locator("#position")).to_have_text(re.compile(rf"^Sætning {n} af \d+$"))


def _wait_progress(page, done, total):
    expect(page.locator("#progress-text")).to_have_text(f"{done} af {total} vurderet af dig")


def test_browser_review_with_the_keyboard_lands_in_the_store(page, project_dir):
    total = flagged_count()
    _sign_in(page)
    assert page.locator("#progress-text").text_content() == f"0 af {total} vurderet af dig"
    first = page.locator("#sentence").text_content()

    page.keyboard.press("a")  # agree with sentence 1
    _wait_position(page, 2)
    expect(page.locator("#status")).to_contain_text("Gemt: Enig")

    page.keyboard.press("d")  # disagree with sentence 2 …
    page.wait_for_selector("#choices:not([hidden])")
    page.keyboard.press("3")  # … it is mixed
    _wait_position(page, 3)

    page.keyboard.press("s")  # skip sentence 3
    _wait_position(page, 4)
    page.keyboard.press("k")  # back to sentence 3 and comment on it
    _wait_position(page, 3)
    page.keyboard.press("c")
    page.wait_for_selector("#comment-box:not([hidden])")
    page.keyboard.type("Hvem tvivler – og hvorfor? <b>fed</b>")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".mine-comment")
    assert page.locator(".mine-comment").text_content().endswith("<b>fed</b>")  # shown as text
    assert page.locator(".mine-comment b").count() == 0
    _wait_progress(page, 3, total)

    df = _reviews(project_dir)
    assert list(df["verdict"]) == ["agree", "disagree", "skip", "comment"]
    assert set(df["reviewer"]) == {"Pia Holm"}
    assert df.loc[0, "text"] in first
    assert df.loc[1, "dimension"] == "framing" and df.loc[1, "corrected_value"] == "mixed"
    assert df.loc[3, "comment"] == "Hvem tvivler – og hvorfor? <b>fed</b>"
    assert df["created_at"].notna().all()

    page.reload()  # the name is remembered, and the address keeps the place
    page.wait_for_selector("#sentence:not(:empty)")
    _wait_progress(page, 3, total)
    _wait_position(page, 3)
    page.goto(page.url.split("?")[0])  # a fresh start opens the first sentence not yet reviewed
    _wait_progress(page, 3, total)
    _wait_position(page, 4)


def test_browser_asks_for_a_name_before_storing_anything(page, project_dir):
    page.evaluate("localStorage.clear()")
    page.keyboard.press("a")
    assert "Skriv dit navn" in page.locator("#status").text_content()
    assert page.evaluate("document.activeElement.id") == "reviewer"
    assert len(_reviews(project_dir)) == 0


def test_browser_filters_and_shows_why_and_escaped_text(page, live):
    page.select_option("#f-municipality", "Vestdal")
    expect(page.locator("#position")).to_have_text("Sætning 1 af 5")
    page.select_option("#f-code", "framing.mixed")
    expect(page.locator("#position")).to_have_text("Sætning 1 af 1")
    assert page.locator("#code-badge").text_content() == "Indramning: Blandet"
    cues = page.locator("#sentence mark.cue")
    assert cues.count() == 2 and cues.first.text_content() == "mangler"
    assert "Modellen er 58 % sikker" in page.locator("#why").text_content()
    page.select_option("#f-code", "framing.deficit")
    expect(page.locator("#code-badge")).to_have_text("Indramning: Mangelsprog")
    sentence = page.locator("#sentence")
    assert "<b>ikke</b> klar & sagen" in sentence.text_content()
    assert sentence.locator("b").count() == 0  # the sentence's markup-like text is never HTML


def test_browser_screenshot_is_readable(page, tmp_path):
    _sign_in(page)
    page.keyboard.press("j")
    _wait_position(page, 2)
    path = tmp_path / "review.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#sentence')).fontSize)")
    assert size >= 28  # large type for a projector
    page.keyboard.press("p")
    projector = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#sentence')).fontSize)")
    assert projector > size
    assert not page.locator("#filters").is_visible()
    page.keyboard.press("p")
    page.set_viewport_size({"width": 400, "height": 800})  # a phone or a narrow laptop window
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400

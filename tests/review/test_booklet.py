"""The printable booklet: themes, context, questions, room for notes, escaping, and PDF conversion."""

from __future__ import annotations

import os
import re

import pytest

from sprogtro.review import booklet as booklet_mod
from sprogtro.review.booklet import PdfUnavailable, html_to_pdf, write_booklet
from sprogtro.review.items import ItemIndex
from sprogtro.review.sets import draw_set, save_set
from sprogtro.review.source import ReviewSource

CHROMIUM = "/usr/bin/chromium"


def test_booklet_groups_examples_by_theme_with_context_questions_and_notes(project_dir, tmp_path):
    out = tmp_path / "haefte" / "booklet.html"
    result = write_booklet(project_dir, out)
    html = out.read_text(encoding="utf-8")
    assert result.html == out and result.pdf is None
    # the default mix asks for more than there is: every flagged sentence once (a sentence coded on
    # several dimensions appears under its first theme only)
    assert result.examples == 11 and result.themes == 8
    assert html.count('class="example"') == 11
    assert html.count('<section class="theme">') == 8
    for label in ("Mangelsprog", "Ressourcesprog", "Blandet", "Lav forventning", "Høj forventning",
                  "Usikker forventning", "Venten", "Handling"):
        assert label in html
    assert "Spørgsmål til temaet" in html and "Noter" in html and "Koden passer" in html
    assert "Sagsbehandler:</b> Du har ingen problemer med at lære nyt." in html  # context before
    assert re.search(r'<span class="cue cue-deficit">har svært ved</span>', html)
    assert "Modellen er 93 % sikker." in html
    assert "pseudonymiseret" in html
    # printable and self-contained
    assert "@page" in html and "break-before: page" in html and "break-inside: avoid" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # an ordinary file, not a private temp file


def test_booklet_escapes_sentence_text(project_dir, tmp_path):
    out = write_booklet(project_dir, tmp_path / "b.html").html
    html = out.read_text(encoding="utf-8")
    assert "Han er &lt;b&gt;ikke&lt;/b&gt; klar &amp; sagen" in html
    assert "<b>ikke</b>" not in html


def test_booklet_from_a_saved_set_keeps_its_order_and_reports_missing(project_dir, tmp_path):
    source = ReviewSource(project_dir)
    index = ItemIndex(source.sentences())
    source.close()
    dset = draw_set(index, "moede1", "low=1,deficit=2", seed=4)
    dset.items.append({"item_id": "99999:framing", "theme": "framing.deficit"})
    save_set(project_dir, dset)
    result = write_booklet(project_dir, tmp_path / "b.html", set_name="moede1")
    html = result.html.read_text(encoding="utf-8")
    assert result.examples == 3 and result.themes == 2 and result.missing == 1
    assert html.index("Lav forventning</span></h2>") < html.index("Mangelsprog</span></h2>")
    assert "findes ikke længere i projektet" in html


def test_booklet_pdf_without_any_converter_says_what_to_install(project_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(booklet_mod, "find_chromium", lambda: None)
    monkeypatch.setattr(booklet_mod, "_weasyprint", lambda: None)
    out = tmp_path / "b.html"
    with pytest.raises(PdfUnavailable) as err:
        write_booklet(project_dir, out, pdf=True)
    assert "apt-get install chromium" in str(err.value) and "weasyprint" in str(err.value)
    assert out.exists()  # the HTML is written all the same
    assert not out.with_suffix(".pdf").exists()


def test_booklet_pdf_uses_weasyprint_when_there_is_no_chromium(tmp_path, monkeypatch):
    calls = {}

    class FakeHTML:
        def __init__(self, filename):
            calls["html"] = filename

        def write_pdf(self, target):
            with open(target, "wb") as fh:
                fh.write(b"%PDF-1.7 fake")

    class FakeWeasy:
        HTML = FakeHTML

    monkeypatch.setattr(booklet_mod, "find_chromium", lambda: None)
    monkeypatch.setattr(booklet_mod, "_weasyprint", lambda: FakeWeasy)
    html = tmp_path / "b.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    assert html_to_pdf(html, tmp_path / "b.pdf") == "weasyprint"
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")


def test_booklet_pdf_reports_a_failing_chromium(tmp_path, monkeypatch):
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(booklet_mod, "find_chromium", lambda: str(fake))
    monkeypatch.setattr(booklet_mod, "_weasyprint", lambda: None)
    html = tmp_path / "b.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(PdfUnavailable, match="exit 3: cannot start"):
        html_to_pdf(html, tmp_path / "b.pdf")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium)")
def test_booklet_pdf_with_headless_chromium(project_dir, tmp_path):
    result = write_booklet(project_dir, tmp_path / "booklet.html", pdf=True)
    assert result.converter == "chromium"
    data = result.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 1 + result.themes  # a cover, then every theme starts on a new page

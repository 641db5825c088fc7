"""``sprogtro report``: one self-contained HTML file with the comparisons, examples, method and caveats.

Everything is inline (CSS, SVG charts); the page makes no network request, so a researcher can e-mail
it to a municipality. The text is Danish with English terms in brackets where they help. Example
sentences come from the sentence table, which holds pseudonymized text only.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import jinja2
import pandas as pd

from sprogtro import __version__
from sprogtro._io import atomic_write_text
from sprogtro.analysis.cases import LINKS, STEP_LABELS, case_table, index_summary, link_summary
from sprogtro.analysis.compare import (ALL_GROUPS, SMALL_N, contingency_tests, example_sentences, keyness,
                                       label_shares)
from sprogtro.analysis.frame import GROUPINGS, MISSING_LABEL, UNKNOWN, group_values
from sprogtro.analysis.plots import Point, interval_chart
from sprogtro.analysis.stopwords import analysis_stop_words

LABELS_DA = {
    "framing": {"deficit": "underskud (deficit)", "resource": "ressource (resource)", "mixed": "blandet (mixed)",
                "neutral": "neutral"},
    "expectation": {"high": "høj (high)", "low": "lav (low)", "uncertain": "usikker (uncertain)",
                    "none": "ingen"},
    "action": {"action": "handling (action)", "waiting": "venten (waiting)", "none": "ingen"},
}
DIMENSION_HEADINGS = {
    "framing": "Indramning af borgeren (framing: deficit/resource)",
    "expectation": "Forventninger til job og uddannelse (expectations)",
    "action": "Handling og venten (action/waiting)",
}
# Which labels each chart shows, and on which base (see compare.label_shares).
FOCUS = {
    "framing": (("deficit", "resource"), "all", "andel af alle sætninger"),
    "expectation": (("high", "low", "uncertain"), "coded",
                    "andel af sætninger med en forventning (sætninger uden forventning tæller ikke med)"),
    "action": (("action", "waiting"), "all", "andel af alle sætninger"),
}
GROUP_HEADINGS = {
    "municipality": "Kommuner (municipalities)",
    "doc_type": "Dokumenttyper (document types)",
    "role": "Talere (speaker roles)",
}
ROLE_DA = {"caseworker": "sagsbehandler", "citizen": "borger", "employer": "arbejdsgiver", "other": "anden"}


def _fmt_p(p: float) -> str:
    if p != p:
        return "–"
    return "< 0,001" if p < 0.001 else f"{p:.3f}".replace(".", ",")


def _fmt_p_rel(p: float) -> str:
    """``= 0,015`` or ``< 0,001``: for "p …" in running text."""
    text = _fmt_p(p)
    return text if text.startswith("<") else f"= {text}"


def _num(v: float, digits: int = 2) -> str:
    return "–" if v is None or v != v else f"{v:.{digits}f}".replace(".", ",")


def _pct(v: float) -> str:
    return "–" if v is None or v != v else f"{100 * v:.0f} %"


def _example(row: pd.Series) -> dict:
    date = row.get("date")
    meta = [str(row.get(c)) for c in ("municipality", "doc_type") if row.get(c) not in (None, "") and row.get(c) == row.get(c)]
    role = row.get("role")
    if isinstance(role, str):
        meta.append(ROLE_DA.get(role, role))
    if isinstance(date, pd.Timestamp) and not pd.isna(date):
        meta.append(str(date.year))
    return {"text": row["text"], "meta": " · ".join(meta)}


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("sprogtro.analysis", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pct=_pct, num=_num, p=_fmt_p, p_rel=_fmt_p_rel)
    return env


def _dimension_section(df: pd.DataFrame, by: str, dim: str, shares: pd.DataFrame, tests: pd.DataFrame,
                       n_examples: int) -> dict:
    labels, base, base_note = FOCUS[dim]
    part = shares[(shares["dimension"] == dim) & (shares["base"] == base) & shares["label"].isin(labels)]
    points = [Point(row=("I alt" if r.group == ALL_GROUPS else r.group), value=r.share, low=r.ci_low,
                    high=r.ci_high, series=LABELS_DA[dim][r.label], note=f"n={r.total}")
              for r in part.itertuples()]
    table = []
    for group, g in part.groupby("group", sort=False):
        cells = {r.label: r for r in g.itertuples()}
        total = next(iter(cells.values())).total
        table.append({"group": "I alt" if group == ALL_GROUPS else group, "total": total,
                      "small": total < SMALL_N,
                      "cells": [{"share": cells[lab].share, "low": cells[lab].ci_low, "high": cells[lab].ci_high,
                                 "count": cells[lab].count} for lab in labels]})
    test = tests[(tests["dimension"] == dim) & (tests["base"] == base)].iloc[0]
    groups = group_values(df, by)
    examples = []
    for group in sorted(groups.unique()):
        items = []
        for lab in labels:
            rows = example_sentences(df, (groups == group) & (df[dim] == lab), n=n_examples)
            items.append({"label": LABELS_DA[dim][lab], "sentences": [_example(r) for _, r in rows.iterrows()]})
        examples.append({"group": group, "by_label": items})
    return {
        "dim": dim, "heading": DIMENSION_HEADINGS[dim], "base_note": base_note,
        "labels": [LABELS_DA[dim][lab] for lab in labels], "chart": interval_chart(points), "table": table,
        "test": test.to_dict(), "examples": examples,
    }


def _keyness_section(df: pd.DataFrame, stop_words, top: int) -> list[dict]:
    words = keyness(df, "municipality", "words", min_freq=3, stop_words=stop_words)
    cues = keyness(df, "municipality", "cues", min_freq=1)
    groups = group_values(df, "municipality")
    out = []
    for group in sorted(groups.unique()):
        entry = {"group": group, "words": [], "cues": []}
        for kind, table in (("words", words), ("cues", cues)):
            if table.empty:
                continue
            over = table[(table["group"] == group) & (table["direction"] == "over")].head(top)
            for i, r in enumerate(over.itertuples()):
                ex = example_sentences(df, groups == group, n=1, term=r.term) if i < 3 else pd.DataFrame()
                entry[kind].append({
                    "term": r.term, "freq_group": r.freq_group, "freq_rest": r.freq_rest,
                    "per_10k_group": r.per_10k_group, "per_10k_rest": r.per_10k_rest, "ll": r.log_likelihood,
                    "p": r.p_value, "log_ratio": r.log_ratio,
                    "example": _example(ex.iloc[0]) if len(ex) else None,
                })
        out.append(entry)
    return out


def _cases_section(df: pd.DataFrame, n_examples: int) -> dict:
    cases = case_table(df)
    summary = index_summary(df, "municipality")
    points = [Point(row=r.group, value=r.mean_index, low=r.ci_low, high=r.ci_high, series="indeks",
                    note=f"n={r.n_cases_with_expectation} sager") for r in summary.itertuples()]
    links = link_summary(cases, "municipality")
    link_rows = []
    for group, g in links.groupby("group", sort=True):
        cells = {r.measure: r for r in g.itertuples()}
        link_rows.append({"group": group, "n_cases": int(cells["neither"].total),
                          "cells": [cells[m] for m in (*LINKS, "long_period_without_action")]})
    link_examples = []
    for link in ("belief_without_action", "action_without_belief"):
        ids = cases.loc[cases["link"] == link, "case_id"].head(n_examples)
        sentences = []
        for case_id in ids:
            rows = example_sentences(df, (df["case_id"] == case_id) & (df["expectation"] != "none"), n=1)
            sentences += [_example(r) for _, r in rows.iterrows()]
        link_examples.append({"label": LINKS[link], "sentences": sentences})
    long_gap = cases["long_period_without_action"]
    return {
        "n_cases": len(cases),
        "n_with_index": int(cases["expectation_index"].notna().sum()) if len(cases) else 0,
        "n_from_doc": int(cases["case_from_doc"].sum()) if len(cases) else 0,
        "n_gap_known": int(long_gap.notna().sum()) if len(cases) else 0,
        "chart": interval_chart(points, xmin=1, xmax=5, percent=False, ticks=4) if points else "",
        "summary": summary.to_dict("records"), "steps": STEP_LABELS, "links": LINKS,
        "link_rows": link_rows, "link_examples": link_examples,
    }


def _topics_section(result, n_examples: int) -> dict:
    table = result.topic_table()
    shares = result.shares("municipality")
    top = [t for t in table.sort_values("n_rows", ascending=False)["topic"] if t != -1][:8]
    labels = dict(zip(table["topic"], table["label"]))
    points = [Point(row=f"T{r.topic}", value=r.share, low=r.ci_low, high=r.ci_high, series=r.group,
                    note=f"n={r.total}") for r in shares.itertuples() if r.topic in top]
    reps = result.representative(n_examples)
    return {
        "table": table.to_dict("records"),
        "chart": interval_chart(points, xmax=max(0.05, min(1.0, shares["ci_high"].max() * 1.1))),
        "examples": [{"label": labels[t], "sentences": [_example(r) for _, r in reps[reps["topic"] == t].iterrows()]}
                     for t in top],
        "settings": result.settings(),
        "n_distinct": len(result.docs), "n_rows": len(result.rows),
        "n_outliers": int((result.rows["topic"] == -1).sum()), "notes": result.notes,
    }


def _overview(df: pd.DataFrame) -> dict:
    groups = group_values(df, "municipality")
    per = []
    for group in sorted(groups.unique()):
        part = df.loc[groups == group]
        per.append({"group": group, "sentences": len(part), "documents": part["doc_id"].nunique(),
                    "cases": part["case_id"].nunique(),
                    "doc_types": ", ".join(sorted(part["doc_type"].dropna().astype(str).unique())) or "–",
                    "small": len(part) < SMALL_N})
    docs = df.drop_duplicates("doc_id")
    missing = []
    for col, what in (("municipality", "kommune"), ("doc_type", "dokumenttype"), ("date", "dato")):
        n = int(docs[col].isna().sum())
        if n:
            missing.append(f"{n} af {len(docs)} dokumenter mangler {what}.")
    n_from_doc = int(df.drop_duplicates("case_id")["case_from_doc"].sum())
    if n_from_doc:
        missing.append(f"{n_from_doc} sager har intet sags-id; hvert af deres dokumenter regnes som én sag.")
    n_role = int(df["role"].isna().sum())
    if n_role:
        missing.append(f"{n_role} sætninger har ingen talerrolle — typisk skrevne notater uden talere "
                       f"(vist som {MISSING_LABEL['role']}).")
    dates = df["date"].dropna()
    coders = []
    if "coder" in df.columns:
        versions = df["model_version"] if "model_version" in df.columns else pd.Series(None, index=df.index)
        for (coder, version), part in df.groupby([df["coder"].fillna("?"), versions.fillna("")], sort=True):
            coders.append(f"{coder}" + (f" (version {version})" if version else "") + f": {len(part)} sætninger")
    return {
        "coders": coders,
        "sentences": len(df), "documents": df["doc_id"].nunique(), "cases": df["case_id"].nunique(),
        "municipalities": int(groups[groups != UNKNOWN].nunique()), "per_group": per, "missing": missing,
        "period": f"{dates.min().year}–{dates.max().year}" if len(dates) else "ukendt",
    }


def render_report(df: pd.DataFrame, *, topics=None, title: str = "Sprog og forventninger i sagsarbejdet",
                  project: str | None = None, groupings=GROUPINGS, stop_words=None, n_examples: int = 2,
                  generated: dt.date | None = None) -> str:
    """The report as one HTML string. ``df`` is a prepared sentence table; ``topics`` an optional
    :class:`~sprogtro.analysis.topics.TopicResult` fitted on it. ``stop_words`` (left out of the keyness
    tables) default to :func:`~sprogtro.analysis.stopwords.analysis_stop_words`."""
    if stop_words is None:
        stop_words = analysis_stop_words()
    sections = []
    for by in groupings:
        if df[by].isna().all():
            continue
        shares = label_shares(df, by)
        tests = contingency_tests(df, by)
        sections.append({
            "by": by, "heading": GROUP_HEADINGS.get(by, by),
            "dimensions": [_dimension_section(df, by, dim, shares, tests, n_examples) for dim in FOCUS],
        })
    context = {
        "title": title, "project": project, "version": __version__,
        "generated": (generated or dt.date.today()).isoformat(),
        "overview": _overview(df), "sections": sections,
        "keyness": _keyness_section(df, stop_words, top=8),
        "cases": _cases_section(df, n_examples),
        "topics": _topics_section(topics, n_examples) if topics is not None else None,
        "small_n": SMALL_N, "labels_da": LABELS_DA, "isnan": lambda v: v is None or (isinstance(v, float) and math.isnan(v)),
    }
    return _env().get_template("report.html.j2").render(**context)


def write_report(path: str | Path, df: pd.DataFrame, **kwargs) -> Path:
    """Render the report and write it (UTF-8, LF, atomically)."""
    return atomic_write_text(path, render_report(df, **kwargs))

"""Case-level measures: an expectation index on a 1–5 scale and the expectation–action link.

The expectation index aggregates the expectation coding of a case's sentences onto the 5 steps of a
belief question like the one in the Danish employment-indicator research, where caseworkers rate how
likely it is that the citizen gets a job ("meget usandsynligt" … "meget sandsynligt"):

    sentence expectation      hedged?   score   step label
    high                      no        5       meget sandsynligt
    high                      yes       4       sandsynligt
    uncertain                 either    3       hverken/eller (usikker)
    low                       yes       2       usandsynligt
    low                       no        1       meget usandsynligt

A sentence is hedged when one of its expectation cues carries ``hedged: true`` (or, for a sentence
labelled without an expectation cue, when it has a hedge cue).
The case index is the mean score of the case's expectation sentences and its step the mean rounded
half up. A case without any expectation sentence has a MISSING index, never 3: silence in the file is
missing data, not a neutral belief (DESIGN.md, codebook rules).

The link crosses the index with action: belief = step 4–5; action = at least one ``action`` sentence.
"Long periods without action" use document dates: the longest stretch of the observed period (first
to last dated document) with no dated document that records an action.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sprogtro.analysis.frame import group_values
from sprogtro.analysis.stats import mean_interval, wilson_interval

STEP_LABELS = {
    1: "meget usandsynligt",
    2: "usandsynligt",
    3: "hverken/eller (usikker)",
    4: "sandsynligt",
    5: "meget sandsynligt",
}
LINKS = {
    "belief_and_action": "tro og handling",
    "belief_without_action": "tro uden handling",
    "action_without_belief": "handling uden tro",
    "neither": "hverken tro eller handling",
    "no_expectation": "ingen forventning i teksten",
}
DEFAULT_GAP_YEARS = 1.0
DAYS_PER_YEAR = 365.25


def _code(cue: dict) -> str:
    return f"{cue.get('code', '')} {cue.get('effective', '')}".lower()


def _is_hedged(cues: list[dict]) -> bool:
    """The sentence's expectation cues decide (their own ``hedged`` flag, set by the hedge scope); a
    sentence labelled without any expectation cue counts as hedged when it has a hedge cue."""
    expectation = [c for c in cues if "expect" in _code(c)]
    if expectation:
        return any(bool(c.get("hedged")) for c in expectation)
    return any(bool(c.get("hedged")) or "hedge" in _code(c) for c in cues)


def sentence_scores(df: pd.DataFrame) -> pd.Series:
    """The 1–5 score of each sentence's expectation (NaN where the sentence has none)."""
    scores = []
    for label, cues in zip(df["expectation"], df["cues"]):
        if label == "high":
            scores.append(4.0 if _is_hedged(cues) else 5.0)
        elif label == "low":
            scores.append(2.0 if _is_hedged(cues) else 1.0)
        elif label == "uncertain":
            scores.append(3.0)
        else:
            scores.append(math.nan)
    return pd.Series(scores, index=df.index, dtype=float, name="expectation_score")


def to_step(index: float) -> int | None:
    """Mean score → step 1..5 (half up), None when missing."""
    if index != index:
        return None
    return int(min(5, max(1, math.floor(index + 0.5))))


def expectation_index(df: pd.DataFrame, keys: tuple[str, ...] = ("case_id",)) -> pd.DataFrame:
    """Expectation index per ``keys`` (a case, or a case × group).

    Columns: keys…, ``n_sentences, n_expectation, n_high, n_uncertain, n_low, expectation_index,
    expectation_step, expectation_step_label`` (index/step missing where ``n_expectation`` is 0).
    """
    work = df.assign(_score=sentence_scores(df))
    for col in keys:
        if col != "case_id":
            work[col] = group_values(work, col)
    grouped = work.groupby(list(keys), sort=True, dropna=False)
    out = grouped.agg(
        n_sentences=("text", "size"),
        n_expectation=("_score", "count"),
        n_high=("expectation", lambda s: int((s == "high").sum())),
        n_uncertain=("expectation", lambda s: int((s == "uncertain").sum())),
        n_low=("expectation", lambda s: int((s == "low").sum())),
        expectation_index=("_score", "mean"),
    ).reset_index()
    steps = [to_step(v) for v in out["expectation_index"]]
    out["expectation_step"] = pd.array(steps, dtype="Int64")
    out["expectation_step_label"] = [STEP_LABELS.get(s) if s else None for s in steps]
    return out


def _longest_gap_years(doc_dates: pd.Series, doc_has_action: pd.Series) -> float:
    dated = doc_dates.notna()
    if dated.sum() < 2:
        return math.nan
    dates = doc_dates[dated]
    first, last = dates.min(), dates.max()
    marks = sorted(set(dates[doc_has_action[dated]]))
    points = [first, *marks, last]
    gaps = [(b - a).days for a, b in zip(points, points[1:])]
    return max(gaps) / DAYS_PER_YEAR if gaps else 0.0


def _mode(values: pd.Series) -> str | None:
    vals = values.dropna()
    if vals.empty:
        return None
    counts = vals.astype(str).value_counts()
    return sorted(counts[counts == counts.max()].index)[0]


def link_of(step: int | None, n_action: int) -> str:
    if step is None:
        return "no_expectation"
    belief = step >= 4
    if belief:
        return "belief_and_action" if n_action else "belief_without_action"
    return "action_without_belief" if n_action else "neither"


def case_table(df: pd.DataFrame, gap_years: float = DEFAULT_GAP_YEARS) -> pd.DataFrame:
    """One row per case: expectation index, action counts, dates, longest period without action, link.

    Columns: ``case_id, case_from_doc, municipality, n_documents, n_sentences, n_expectation, n_high,
    n_uncertain, n_low, expectation_index, expectation_step, expectation_step_label, n_action,
    n_waiting, first_date, last_date, n_dated_documents, longest_gap_without_action_years,
    long_period_without_action, link, link_label``.
    """
    index = expectation_index(df, ("case_id",)).set_index("case_id")
    rows = []
    for case_id, part in df.groupby("case_id", sort=True):
        docs = part.groupby("doc_id", sort=True).agg(
            date=("date", "min"), action=("action", lambda s: bool((s == "action").any())))
        gap = _longest_gap_years(docs["date"], docs["action"])
        n_action = int((part["action"] == "action").sum())
        idx = index.loc[case_id]
        step = None if pd.isna(idx["expectation_step"]) else int(idx["expectation_step"])
        link = link_of(step, n_action)
        rows.append({
            "case_id": case_id,
            "case_from_doc": bool(part["case_from_doc"].all()),
            "municipality": _mode(part["municipality"]),
            "n_documents": int(part["doc_id"].nunique()),
            **{k: idx[k] for k in ("n_sentences", "n_expectation", "n_high", "n_uncertain", "n_low",
                                   "expectation_index", "expectation_step", "expectation_step_label")},
            "n_action": n_action,
            "n_waiting": int((part["action"] == "waiting").sum()),
            "first_date": docs["date"].min(),
            "last_date": docs["date"].max(),
            "n_dated_documents": int(docs["date"].notna().sum()),
            "longest_gap_without_action_years": gap,
            "long_period_without_action": None if gap != gap else bool(gap >= gap_years),
            "link": link,
            "link_label": LINKS[link],
        })
    out = pd.DataFrame(rows)
    if not out.empty:
        out["expectation_step"] = out["expectation_step"].astype("Int64")
        out["long_period_without_action"] = out["long_period_without_action"].astype("boolean")
    return out


def index_summary(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Expectation index per group: mean of the cases' indices within the group with a 95% interval.

    A case contributes one value per group it has expectation sentences in; cases without any count
    under ``n_cases_missing`` (missing, not neutral).
    """
    per = expectation_index(df, ("case_id", by))
    rows = []
    for group, part in per.groupby(by, sort=True):
        mean, low, high = mean_interval(part["expectation_index"])
        rows.append({
            "by": by, "group": group, "n_cases": int(len(part)),
            "n_cases_with_expectation": int(part["expectation_index"].notna().sum()),
            "n_cases_missing": int(part["expectation_index"].isna().sum()),
            "mean_index": mean, "ci_low": low, "ci_high": high,
            **{f"n_step_{s}": int((part["expectation_step"] == s).sum()) for s in range(1, 6)},
        })
    return pd.DataFrame(rows)


def link_summary(cases: pd.DataFrame, by: str = "municipality") -> pd.DataFrame:
    """Shares of cases per link category (and with long periods without action) per group, Wilson 95%.

    Only case-level groupings make sense here (a case belongs to one municipality); ``by`` must be a
    column of ``cases``.
    """
    cols = ["by", "group", "measure", "count", "total", "share", "ci_low", "ci_high"]
    if cases.empty:
        return pd.DataFrame(columns=cols)
    groups = group_values(cases, by)
    rows = []
    for group in sorted(groups.unique()):
        part = cases.loc[groups == group]
        total = len(part)
        for link in LINKS:
            k = int((part["link"] == link).sum())
            rows.append((by, group, link, k, total, *_share(k, total)))
        known = part["long_period_without_action"].dropna()
        k = int(known.sum())
        rows.append((by, group, "long_period_without_action", k, len(known), *_share(k, len(known))))
    return pd.DataFrame(rows, columns=cols)


def _share(k: int, n: int) -> tuple[float, float, float]:
    low, high = wilson_interval(k, n)
    return (k / n if n else np.nan, low, high)

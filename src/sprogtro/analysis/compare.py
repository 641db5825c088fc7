"""Comparisons across municipalities, document types and speaker roles.

Every function takes a prepared sentence table (:func:`sprogtro.analysis.frame.prepare_sentences`) and
returns a new long-format DataFrame, ready for CSV, the report or a pandas/R/Stata session.

- :func:`label_shares`: share of each label per group with 95% Wilson intervals, on two bases:
  ``all`` sentences of the group, and ``coded`` sentences (those with a non-empty label on that
  dimension, e.g. "of the sentences that frame the citizen, how many frame a deficit").
- :func:`contingency_tests`: group × label chi-square tests with Cramér's V.
- :func:`keyness`: words and cues over- or under-used in one group against all the others
  (log-likelihood G² and log ratio).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import pandas as pd

from sprogtro.analysis.frame import DIMENSIONS, EMPTY_LABEL, dedupe_key, group_values
from sprogtro.analysis.stats import chi_square, log_likelihood, log_likelihood_p, log_ratio, wilson_interval

ALL_GROUPS = "(alle)"
SMALL_N = 30  # groups with fewer sentences are flagged in tables and the report
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
BASES = ("all", "coded")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters incl. æøå, inner hyphens kept); digits and punctuation dropped."""
    return [t for t in WORD_RE.findall(text.lower()) if len(t) > 1]


def label_shares(df: pd.DataFrame, by: str, dimensions: Sequence[str] = tuple(DIMENSIONS),
                 include_total: bool = True) -> pd.DataFrame:
    """Share of each label per group (and overall) with 95% Wilson intervals.

    Columns: ``by, group, dimension, base, label, count, total, share, ci_low, ci_high, small_sample``.
    """
    groups = group_values(df, by)
    rows = []
    frames = [(g, df.loc[groups == g]) for g in sorted(groups.unique())]
    if include_total:
        frames.append((ALL_GROUPS, df))
    for dim in dimensions:
        labels = DIMENSIONS[dim]
        for group, part in frames:
            counts = part[dim].value_counts()
            for base in BASES:
                shown = labels if base == "all" else [lab for lab in labels if lab != EMPTY_LABEL[dim]]
                total = int(counts.reindex(shown, fill_value=0).sum())
                for label in shown:
                    k = int(counts.get(label, 0))
                    low, high = wilson_interval(k, total)
                    rows.append({
                        "by": by, "group": group, "dimension": dim, "base": base, "label": label,
                        "count": k, "total": total, "share": k / total if total else float("nan"),
                        "ci_low": low, "ci_high": high, "small_sample": total < SMALL_N,
                    })
    return pd.DataFrame(rows)


def contingency_tests(df: pd.DataFrame, by: str, dimensions: Sequence[str] = tuple(DIMENSIONS)) -> pd.DataFrame:
    """Chi-square test of independence between group and label, per dimension and base, with Cramér's V.

    ``reliable`` is False when expected counts are too small for the chi-square approximation
    (Cochran's rule); read those p-values with care.
    """
    groups = group_values(df, by)
    rows = []
    for dim in dimensions:
        for base in BASES:
            mask = pd.Series(True, index=df.index) if base == "all" else df[dim] != EMPTY_LABEL[dim]
            table = pd.crosstab(groups[mask], df.loc[mask, dim])
            res = chi_square(table.to_numpy())
            rows.append({
                "by": by, "dimension": dim, "base": base, "n": res.n, "groups": res.n_rows,
                "labels": res.n_cols, "chi2": res.chi2, "dof": res.dof, "p_value": res.p_value,
                "cramers_v": res.cramers_v, "min_expected": res.min_expected,
                "share_expected_below_5": res.share_expected_below_5, "reliable": res.reliable,
            })
    return pd.DataFrame(rows)


def _cue_terms(cues: Iterable[dict], text: str) -> list[str]:
    terms = []
    for cue in cues:
        word = cue.get("cue")
        if not word and isinstance(cue.get("start"), int) and isinstance(cue.get("end"), int):
            word = text[cue["start"]:cue["end"]]
        if not word:
            continue
        code = cue.get("code") or "?"
        prefix = "ikke " if cue.get("negated") else ""
        terms.append(f"{prefix}{str(word).lower()} [{code}]")
    return terms


def keyness(df: pd.DataFrame, by: str, kind: str = "words", min_freq: int = 3,
            stop_words: Iterable[str] = ()) -> pd.DataFrame:
    """Keyness of words (``kind="words"``) or cues (``kind="cues"``) per group against the rest.

    The corpus size on both sides is the number of word tokens, so a cue's rate reads "per 10,000
    words". Terms seen fewer than ``min_freq`` times in all are left out; stop words are left out of the
    words (they still count in the corpus size). Cues are ``"<cue> [<code>]"``, prefixed "ikke " when
    negated. Sorted per group by G², over-used terms first.

    Columns: ``by, group, kind, term, freq_group, freq_rest, per_10k_group, per_10k_rest,
    log_likelihood, p_value, log_ratio, direction``.
    """
    if kind not in ("words", "cues"):
        raise ValueError("kind must be 'words' or 'cues'")
    groups = group_values(df, by)
    stop = {w.lower() for w in stop_words}
    per_group_terms: dict[str, Counter] = {}
    per_group_tokens: Counter = Counter()
    for group, text, cues in zip(groups, df["text"], df["cues"]):
        tokens = tokenize(text)
        per_group_tokens[group] += len(tokens)
        terms = [t for t in tokens if t not in stop] if kind == "words" else _cue_terms(cues, text)
        per_group_terms.setdefault(group, Counter()).update(terms)
    total_terms = sum(per_group_terms.values(), Counter())
    total_tokens = sum(per_group_tokens.values())
    vocab = sorted(t for t, f in total_terms.items() if f >= min_freq)
    rows = []
    for group in sorted(per_group_terms):
        c = per_group_tokens[group]
        d = total_tokens - c
        if c == 0 or d == 0:
            continue
        counts = per_group_terms[group]
        for term in vocab:
            a = counts.get(term, 0)
            b = total_terms[term] - a
            g2 = log_likelihood(a, b, c, d)
            lr = log_ratio(a, b, c, d)
            rows.append({
                "by": by, "group": group, "kind": kind, "term": term, "freq_group": a, "freq_rest": b,
                "per_10k_group": 1e4 * a / c, "per_10k_rest": 1e4 * b / d, "log_likelihood": g2,
                "p_value": log_likelihood_p(g2), "log_ratio": lr,
                "direction": "over" if a / c > b / d else ("under" if a / c < b / d else "equal"),
            })
    cols = ["by", "group", "kind", "term", "freq_group", "freq_rest", "per_10k_group", "per_10k_rest",
            "log_likelihood", "p_value", "log_ratio", "direction"]
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    out["_over"] = out["direction"] != "over"
    out = out.sort_values(["group", "_over", "log_likelihood", "term"], ascending=[True, True, False, True])
    return out.drop(columns="_over").reset_index(drop=True)


def example_sentences(df: pd.DataFrame, mask: pd.Series, n: int = 3, term: str | None = None) -> pd.DataFrame:
    """Up to ``n`` example rows where ``mask`` holds (optionally containing ``term``), chosen the same
    way every time: most cues first, then by document and sentence; no repeated wording."""
    part = df.loc[mask]
    if term:
        word = term.split(" [")[0].removeprefix("ikke ")
        part = part.loc[part["text"].str.lower().str.contains(re.escape(word), regex=True)]
    if part.empty:
        return part
    order = part.assign(_ncues=[-len(c) for c in part["cues"]], _key=[dedupe_key(t) for t in part["text"]])
    order = order.sort_values(["_ncues", "doc_id", "sent_index"], kind="stable")
    order = order.drop_duplicates("_key")
    return order.head(n).drop(columns=["_ncues", "_key"])


def compare(df: pd.DataFrame, by: str, stop_words: Iterable[str] = (), min_freq: int = 3) -> dict[str, pd.DataFrame]:
    """All comparison tables for one grouping, keyed by the name they are written under."""
    from sprogtro.analysis.cases import index_summary

    return {
        "shares": label_shares(df, by),
        "tests": contingency_tests(df, by),
        "keyness_words": keyness(df, by, "words", min_freq=min_freq, stop_words=stop_words),
        "keyness_cues": keyness(df, by, "cues", min_freq=1),
        "expectation_index": index_summary(df, by),
    }

"""Evaluation against hand-coded gold sentences: per-class precision/recall/F1, macro-F1, Cohen's κ and a
confusion matrix per dimension. The library half of ``sprogtro evaluate``."""

from __future__ import annotations

from typing import Any, Sequence

from sprogtro.nlp.decisions import DIMENSIONS


def score_dimension(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Metrics for one dimension; ``labels`` fixes the class order of the report and the matrix."""
    from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support

    present = [lab for lab in labels if lab in set(gold) | set(predicted)]
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=present, zero_division=0)
    macro = precision_recall_fscore_support(gold, predicted, labels=[lab for lab in present if lab in set(gold)],
                                            average="macro", zero_division=0)
    kappa = cohen_kappa_score(gold, predicted) if len(set(gold) | set(predicted)) > 1 else 1.0
    matrix = confusion_matrix(gold, predicted, labels=present)
    accuracy = sum(g == q for g, q in zip(gold, predicted)) / max(len(gold), 1)
    return {
        "n": len(gold),
        "labels": list(present),
        "per_class": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])} for i, lab in enumerate(present)},
        "macro": {"precision": round(float(macro[0]), 4), "recall": round(float(macro[1]), 4),
                  "f1": round(float(macro[2]), 4)},
        "accuracy": round(accuracy, 4),
        "kappa": round(float(kappa), 4),
        "confusion": {"labels": list(present), "matrix": matrix.tolist()},
    }


def evaluate_rows(gold_rows: Sequence[dict[str, str]], results: Sequence[dict[str, Any]], *,
                  source: str = "labels") -> dict[str, Any]:
    """Score predictions (``results[i][source][dim]``) against gold rows, per dimension.

    Rows whose gold label for a dimension is empty or unknown are left out of that dimension.
    """
    report: dict[str, Any] = {}
    for dim, labels in DIMENSIONS.items():
        pairs = [(g[dim], r[source][dim]) for g, r in zip(gold_rows, results) if g.get(dim) in labels]
        if not pairs:
            continue
        gold, pred = zip(*pairs)
        report[dim] = score_dimension(gold, pred, labels)
    return report


def format_report(report: dict[str, Any], *, title: str = "") -> str:
    """A plain-text table per dimension: per-class P/R/F1, macro, κ and the confusion matrix."""
    lines = [title] if title else []
    for dim, res in report.items():
        lines.append("")
        lines.append(f"{dim}  (n={res['n']}, macro-F1 {res['macro']['f1']:.3f}, κ {res['kappa']:.3f}, "
                     f"accuracy {res['accuracy']:.3f})")
        lines.append(f"  {'class':<11}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}")
        for lab, m in res["per_class"].items():
            lines.append(f"  {lab:<11}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>9}")
        mac = res["macro"]
        lines.append(f"  {'macro':<11}{mac['precision']:>10.3f}{mac['recall']:>8.3f}{mac['f1']:>8.3f}{res['n']:>9}")
        labels = res["confusion"]["labels"]
        width = max(9, *(len(lab) + 1 for lab in labels))
        lines.append("  confusion (rows: gold, columns: predicted)")
        lines.append("  " + " " * 11 + "".join(f"{lab:>{width}}" for lab in labels))
        for lab, row in zip(labels, res["confusion"]["matrix"]):
            lines.append(f"  {lab:<11}" + "".join(f"{v:>{width}}" for v in row))
    return "\n".join(lines)

"""Scoring an alignment against a sample book's truth: pairing, description coverage, bleed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

from align.clean import t2s
from align.geometry import h_overlap, iou, v_overlap
from align.labels import normalize_label
from culti.records import BBox, BookAlignment, Pair

BLEED_CHARS = 10
MATCH_IOU = 0.5


def compact(text: str) -> str:
    """Given text, return it NFKC, simplified, without whitespace: the form metrics compare."""
    return re.sub(r"\s+", "", t2s(unicodedata.normalize("NFKC", text or "")))


def coverage(truth: str, text: str) -> float:
    """Given a true description and a produced text, return the share of truth chars found in order."""
    t, s = compact(truth), compact(text)
    if not t:
        return 1.0
    if not s:
        return 0.0
    blocks = SequenceMatcher(None, t, s, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(t)


def _grams(text: str, n: int = BLEED_CHARS) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def _inside(a: BBox, b: BBox) -> float:
    """Share of box a that lies inside box b."""
    inter = h_overlap(a, b) * v_overlap(a, b)
    return inter / max((a[2] - a[0]) * (a[3] - a[1]), 1e-6)


def _caption_ok(fig: dict, pair: Pair) -> bool:
    if fig.get("caption_page") is not None and pair.caption_page != fig["caption_page"]:
        return False
    label = normalize_label(fig.get("label") or "") or normalize_label(fig.get("caption") or "")
    if label:
        if "(" in label:
            return pair.label == label
        return pair.label.split("(")[0] == label
    want, got = compact(fig.get("caption") or fig.get("title") or ""), compact(pair.caption)
    return bool(want) and SequenceMatcher(None, want, got, autojunk=False).ratio() >= 0.8


def _best(fig: dict, pairs: list[Pair]) -> Pair | None:
    best, best_iou = None, MATCH_IOU
    for p in pairs:
        if p.figure.page != fig["page"]:
            continue
        v = iou(tuple(fig["bbox"]), p.figure.bbox_pt)
        if v >= best_iou:
            best, best_iou = p, v
    return best


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 1.0


def score_alignment(truth_book: dict, alignment: BookAlignment) -> dict:
    """Given one book of truth.json and its alignment, return pairing, coverage and bleed figures."""
    figs = list(truth_book.get("figures", []))
    pairs = list(alignment.pairs)
    matched: dict[int, Pair] = {}
    correct, wrong = 0, []
    for k, fig in enumerate(figs):
        p = _best(fig, pairs)
        if p is not None:
            matched[k] = p
        if p is not None and _caption_ok(fig, p):
            correct += 1
        else:
            wrong.append(fig.get("key", str(k)))
    covs, low = [], []
    for k, fig in enumerate(figs):
        if fig.get("description"):
            covs.append(coverage(fig["description"], matched[k].text) if k in matched else 0.0)
            if covs[-1] < 0.9:
                low.append((fig.get("key", str(k)), round(covs[-1], 3)))
    desc = [compact(f.get("description") or "") for f in figs]
    pair_to_fig = {id(p): k for k, p in matched.items()}
    bleed_rows, bleed_keys = 0, []
    for p in pairs:
        k = pair_to_fig.get(id(p))
        own = desc[k] if k is not None else ""
        own_grams = _grams(own)
        if k is None:  # a merged or split figure: the truth figures it covers are its own
            for j, fig in enumerate(figs):
                if fig["page"] == p.figure.page and _inside(tuple(fig["bbox"]), p.figure.bbox_pt) > 0.5:
                    own_grams |= _grams(desc[j])
        text_grams = _grams(compact(p.text)) - own_grams
        for j, other in enumerate(desc):
            if j == k or not other or other == own:
                continue
            if text_grams & _grams(other):
                bleed_rows += 1
                bleed_keys.append(p.id)
                break
    n = len(figs)
    return {
        "book": truth_book.get("file", alignment.book),
        "figures": n,
        "matched_figures": len(matched),
        "pairs": len(pairs),
        "paired_correctly": correct,
        "pairing_accuracy": correct / n if n else 1.0,
        "description_coverage": sum(covs) / len(covs) if covs else 1.0,
        # over the figures extract found (a figure extract missed or merged scores 0 above)
        "description_coverage_matched": _mean([coverage(f["description"], matched[k].text)
                                               for k, f in enumerate(figs)
                                               if f.get("description") and k in matched]),
        "bleed_rows": bleed_rows,
        "wrong": wrong,
        "bleeding": bleed_keys,
        "low_coverage": low,
        "rejects": dict(sorted(Counter(r.reason.value for r in alignment.rejects).items())),
    }

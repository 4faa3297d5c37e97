"""Score a dataset folder against a truth.json: figures, captions, pairing and descriptions.

Works from the output contract alone (rows of every split plus figure-level rejects), so anyone can
score their own labelled pages. Figures match truth by IoU on the same page (optimal assignment).
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

from extract.evaluate import box_iou as iou

MATCH_IOU = 0.5
BLEED_WINDOW = 10  # chars of another figure's description that count as bleeding
_FIGURE_REJECT_STAGES = {"align", "dataset", "review"}


def normalize(text: str) -> str:
    """Given printed or OCR text, return it in NFKC with all whitespace removed."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).replace("（", "(").replace("）", ")")


def match_boxes(truth_boxes, found_boxes, min_iou: float = MATCH_IOU) -> list[tuple[int, int, float]]:
    """Given truth and found boxes of one page, return (truth index, found index, IoU) matches."""
    from scipy.optimize import linear_sum_assignment

    if not truth_boxes or not found_boxes:
        return []
    ious = np.array([[iou(t, f) for f in found_boxes] for t in truth_boxes])
    rows, cols = linear_sum_assignment(-ious)
    return [(int(r), int(c), float(ious[r, c])) for r, c in zip(rows, cols, strict=True) if ious[r, c] >= min_iou]


def coverage(truth: str, found: str) -> float:
    """Share of the truth text's characters found, in order, in the found text."""
    truth, found = normalize(truth), normalize(found)
    if not truth:
        return 1.0
    blocks = SequenceMatcher(None, truth, found, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(truth)


def _bleeds(text: str, own: str, others: list[str]) -> bool:
    """Whether text holds a run of >= BLEED_WINDOW chars, not from its own description, found in another.

    Only the parts of text that do not match its own description are searched, so phrases that
    many descriptions share (and OCR slips inside its own text) do not count as bleeding.
    """
    text, own = normalize(text), normalize(own)
    matcher = SequenceMatcher(None, text, own, autojunk=False)
    extra, start = [], 0
    for block in matcher.get_matching_blocks():
        if block.a - start >= BLEED_WINDOW:
            extra.append(text[start:block.a])
        start = block.a + block.size
    if not extra:
        return False
    others_norm = [normalize(o) for o in others]
    for run in extra:
        for i in range(len(run) - BLEED_WINDOW + 1):
            window = run[i:i + BLEED_WINDOW]
            if window not in own and any(window in other for other in others_norm):
                return True
    return False


def _found_figures(data_dir: Path) -> dict[str, list[dict]]:
    """Given a dataset folder, return the figures it found per source file."""
    import pyarrow.parquet as pq

    columns = ["id", "source", "page", "bbox", "caption", "label", "text"]
    found: dict[str, list[dict]] = defaultdict(list)
    for split in ("train", "validation", "test"):
        path = data_dir / f"{split}.parquet"
        if path.exists():
            for row in pq.read_table(path, columns=columns).to_pylist():
                found[row["source"]].append(row)
    rejects_path = data_dir / "rejects.parquet"
    if rejects_path.exists():
        table = pq.read_table(rejects_path, columns=["id", "stage", "source", "page", "bbox", "caption", "text"])
        for row in table.to_pylist():
            if row["stage"] in _FIGURE_REJECT_STAGES and row["bbox"] is not None and row["page"] is not None:
                found[row["source"]].append({**row, "label": "", "rejected": True})
    return found


def _score_book(truth_book: dict, found: list[dict]) -> dict:
    by_page_truth: dict[int, list[dict]] = defaultdict(list)
    by_page_found: dict[int, list[dict]] = defaultdict(list)
    for fig in truth_book["figures"]:
        by_page_truth[fig["page"]].append(fig)
    for fig in found:
        by_page_found[fig["page"]].append(fig)
    descriptions = [f["description"] for f in truth_book["figures"]]
    counts = defaultdict(float)
    counts["truth"] = len(truth_book["figures"])
    counts["found"] = len(found)
    for page, truths in by_page_truth.items():
        finds = by_page_found.get(page, [])
        for ti, fi, overlap in match_boxes([t["bbox"] for t in truths], [f["bbox"] for f in finds]):
            t, f = truths[ti], finds[fi]
            counts["matched"] += 1
            counts["iou_sum"] += overlap
            if f.get("rejected") and not f.get("caption"):
                continue  # a figure without a caption: found, but not paired
            counts["paired"] += 1
            counts["caption_exact"] += _caption_exact(t, f)
            counts["pair_correct"] += _pair_correct(t, f)
            counts["coverage_sum"] += coverage(t["description"], f.get("text") or "")
            others = [d for d in descriptions if d != t["description"]]
            counts["bleed"] += _bleeds(f.get("text") or "", t["description"], others)
    return counts


def _caption_exact(truth: dict, found: dict) -> bool:
    want, got = normalize(truth["caption"]), normalize(found.get("caption") or "")
    return want == got or (truth.get("composite") is not None and want in got)


def _pair_correct(truth: dict, found: dict) -> bool:
    want = normalize(truth["label"])
    label = normalize(found.get("label") or "")
    return bool(want) and (label == want or label.startswith(want) or want in normalize(found.get("caption") or ""))


def evaluate_dataset(data_dir: Path, truth_path: Path) -> dict:
    """Given a dataset folder and a truth.json, return scores per page kind (digital, scanned)."""
    truth = json.loads(Path(truth_path).read_text())
    found = _found_figures(Path(data_dir))
    totals: dict[str, defaultdict] = defaultdict(lambda: defaultdict(float))
    for book in truth["books"]:
        if book["file"] not in found:
            continue  # not part of this dataset
        counts = _score_book(book, found[book["file"]])
        for key, value in counts.items():
            totals[book["kind"]][key] += value
    return {kind: _ratios(c) for kind, c in sorted(totals.items())}


def _ratios(c: dict) -> dict:
    def div(a: float, b: float) -> float:
        return round(a / b, 4) if b else 0.0

    return {
        "figures_truth": int(c["truth"]),
        "figures_found": int(c["found"]),
        "figure_recall": div(c["matched"], c["truth"]),
        "figure_precision": div(c["matched"], c["found"]),
        "mean_iou": div(c["iou_sum"], c["matched"]),
        "caption_exact": div(c["caption_exact"], c["paired"]),
        "pairing_accuracy": div(c["pair_correct"], c["matched"]),
        "description_coverage": div(c["coverage_sum"], c["paired"]),
        "rows_bleeding": int(c["bleed"]),
    }


def format_scores(scores: dict) -> str:
    """Given evaluate_dataset's scores, return a markdown table."""
    if not scores:
        return "no input of the truth file is in this dataset"
    keys = list(next(iter(scores.values())).keys())
    lines = ["| metric | " + " | ".join(scores) + " |", "|---|" + "---|" * len(scores)]
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(str(scores[k][key]) for k in scores) + " |")
    return "\n".join(lines)

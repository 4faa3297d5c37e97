"""Does confidence mean something? Confidence bins of a dataset's rows against labelled truth.

    python benchmarks/bench_calibration.py DATASET_DIR [DIR ...] --truth truth.json [--markdown] [--wrong]

Every row of the three splits, and every `low_confidence` reject, is matched to the truth figures
of its file and page (IoU >= 0.5, optimal assignment). A row is **right** when it matches a truth
figure and carries that figure's caption (same label; for a caption with no label, the same
title, whitespace and bracket width ignored). A row on a truth `neutral` box is left out; a row on
nothing, on a `not_figures` box (logo, watermark, icon) or with another figure's caption is
**wrong**. Prints, per confidence bin, rows and the share right; and the row-level precision and
recall of captioned figures at IoU 0.5 and 0.8 for the kept rows. Works on truth.json version 1
(sample books) and version 2 (the real corpus).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.labels import normalize_label  # noqa: E402
from culti.geometry import iou as box_iou  # noqa: E402
from culti.geometry import match_boxes  # noqa: E402
from culti.scoring import normalize  # noqa: E402

BINS = ((0.0, 0.3), (0.3, 0.5), (0.5, 0.65), (0.65, 0.8), (0.8, 0.9), (0.9, 1.01))
SPLITS = ("train", "validation", "test")


def align_rows(data_dir: Path) -> list[dict] | None:
    """Given a dataset folder, return align's own pairs (kept: True) and low-confidence rejects
    (kept: False) from its work folder, before dedupe drops near-duplicate pictures; None when
    the work folder is gone."""
    from culti.records import BookAlignment
    from culti.store import Store

    paths = sorted((data_dir / "work" / "books").glob("*/alignment.parquet"))
    if not paths:
        return None
    rows = []
    store = Store(data_dir / "work")
    for path in paths:
        (al,) = store.get_records(f"books/{path.parent.name}/alignment.parquet", BookAlignment)
        for p in al.pairs:
            rows.append({"id": p.id, "source": p.figure.source, "page": p.figure.page,
                         "bbox": list(p.figure.bbox_pt), "label": p.label, "title": p.title,
                         "caption": p.caption, "confidence": p.confidence, "text": p.text,
                         "text_kind": p.text_kind.value, "kept": True})
        for r in al.rejects:
            if r.reason.value == "low_confidence" and r.bbox_pt is not None:
                rows.append({"id": r.item_id, "source": r.source, "page": r.page, "bbox": list(r.bbox_pt),
                             "label": "", "title": "", "caption": r.caption,
                             "confidence": float(r.detail.split()[1]), "kept": False})
    return rows


def load_rows(data_dir: Path) -> list[dict]:
    """Given a dataset folder, return align's pairs when its work folder is there, else the rows
    of the splits (kept: True) and low-confidence rejects (kept: False)."""
    rows = align_rows(data_dir)
    if rows is not None:
        return rows
    cols = ["id", "source", "page", "bbox", "label", "title", "caption", "confidence", "text",
            "text_kind"]
    rows = []
    for split in SPLITS:
        path = data_dir / f"{split}.parquet"
        if path.is_file():
            table = pq.read_table(path)
            have = [c for c in cols if c in table.column_names]
            rows += [{**r, "kept": True} for r in table.select(have).to_pylist()]
    rej = data_dir / "rejects.parquet"
    if rej.is_file():
        table = pq.read_table(rej, columns=["id", "reason", "source", "page", "bbox", "caption", "detail"])
        for r in table.to_pylist():
            if r["reason"] == "low_confidence" and r["bbox"] is not None:
                conf = float(r["detail"].split()[1]) if r["detail"].startswith("confidence") else 0.0
                rows.append({**r, "label": "", "title": "", "confidence": conf, "kept": False})
    return rows


def _caption_ok(row: dict, fig: dict) -> bool:
    label = normalize_label(fig.get("label") or "")
    if label:  # Figure 1-1, Fig. 1 and 图1-1 are one label
        got = normalize_label(row.get("label") or "") or normalize_label(row.get("caption") or "")
        return got.split("(")[0] == label.split("(")[0]
    want = normalize(fig.get("title") or fig.get("caption") or "")
    got = normalize(row.get("title") or row.get("caption") or "")
    return bool(want) and (got == want or want in normalize(row.get("caption") or ""))


def judge(rows: list[dict], truth: dict) -> list[dict]:
    """Given rows and the truth, return each row with `verdict`: right, wrong or neutral, and
    `iou` with its matched truth figure."""
    books = {b["file"]: b for b in truth["books"]}
    by_page: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for r in rows:
        if r["source"] in books:
            by_page[r["source"], r["page"]].append(r)
    out = []
    for (source, page), items in by_page.items():
        book = books[source]
        figs = [f for f in book["figures"] if f["page"] == page]
        neutral = [n["bbox"] for n in book.get("neutral", []) if n["page"] == page]
        logos = [n["bbox"] for n in book.get("not_figures", []) if n["page"] == page]
        matched = {j: i for i, j, _ in match_boxes([f["bbox"] for f in figs], [r["bbox"] for r in items])}
        for j, r in enumerate(items):
            if j in matched:
                fig = figs[matched[j]]
                ok = _caption_ok(r, fig)
                out.append({**r, "verdict": "right" if ok else "wrong", "truth_key": fig["key"],
                            "iou": box_iou(fig["bbox"], r["bbox"]),
                            "caption_exact": normalize(r.get("caption") or "") == normalize(fig.get("caption") or ""),
                            "text_ok": not (r.get("text_kind") == "description" and r.get("text"))
                            if not fig.get("description") else None})
            elif any(box_iou(n, r["bbox"]) >= 0.5 for n in neutral):
                out.append({**r, "verdict": "neutral", "truth_key": None, "iou": 0.0})
            else:
                logo = any(box_iou(n, r["bbox"]) >= 0.5 for n in logos)
                out.append({**r, "verdict": "wrong", "truth_key": None, "iou": 0.0, "logo": logo})
    return out


def calibration(judged: list[dict]) -> list[dict]:
    """Given judged rows, return per confidence bin: rows, right, share right."""
    table = []
    for lo, hi in BINS:
        inside = [r for r in judged if r["verdict"] != "neutral" and lo <= r["confidence"] < hi]
        right = sum(r["verdict"] == "right" for r in inside)
        table.append({"bin": f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}", "rows": len(inside),
                      "right": right, "share_right": round(right / len(inside), 3) if inside else None})
    return table


def figure_scores(judged: list[dict], truth: dict, files: set[str]) -> dict:
    """Captioned-figure precision/recall of the kept rows at IoU 0.5 and 0.8."""
    kept = [r for r in judged if r["kept"] and r["verdict"] != "neutral"]
    n_truth = sum(1 for b in truth["books"] if b["file"] in files for f in b["figures"]
                  if f.get("caption") or f.get("title") or f.get("label"))
    out = {"truth_figures": n_truth, "rows": len(kept),
           "logo_rows": sum(1 for r in kept if r.get("logo"))}
    right = [r for r in kept if r["verdict"] == "right"]
    out["caption_exact"] = round(sum(r["caption_exact"] for r in right) / len(right), 3) if right else None
    # rows of figures printed with no description whose text is no description either
    judged_text = [r for r in right if r.get("text_ok") is not None]
    out["no_desc_kept_clean"] = (round(sum(r["text_ok"] for r in judged_text) / len(judged_text), 3)
                                 if judged_text else None)
    for t in (0.5, 0.8):
        right = {r["truth_key"] for r in kept if r["verdict"] == "right" and r["iou"] >= t}
        good_rows = sum(1 for r in kept if r["verdict"] == "right" and r["iou"] >= t)
        out[f"recall@{t}"] = round(len(right) / n_truth, 3) if n_truth else None
        out[f"precision@{t}"] = round(good_rows / len(kept), 3) if kept else None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, nargs="+", help="dataset folders (their rows are pooled)")
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--kind", choices=("digital", "scanned"), help="only books of this kind")
    ap.add_argument("--wrong", action="store_true", help="list the wrong rows and missed figures")
    args = ap.parse_args(argv)
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    kinds = {b["file"]: b.get("kind") for b in truth["books"]}
    rows, seen = [], set()
    for d in args.data:  # a book found in several folders counts from the first one
        here = [r for r in load_rows(d) if r["source"] not in seen
                and (args.kind is None or kinds.get(r["source"]) == args.kind)]
        seen |= {r["source"] for r in here}
        rows += here
    judged = judge(rows, truth)
    files = {r["source"] for r in rows} & {b["file"] for b in truth["books"]}
    table = calibration(judged)
    scores = figure_scores(judged, truth, files)
    if args.markdown:
        print("| confidence | rows | right | share right |\n|---|---:|---:|---:|")
        for t in table:
            print(f"| {t['bin']} | {t['rows']} | {t['right']} | {t['share_right']} |")
        print()
        print("| " + " | ".join(scores) + " |\n|" + "---|" * len(scores))
        print("| " + " | ".join(str(v) for v in scores.values()) + " |")
    else:
        print(json.dumps({"calibration": table, "figures": scores}, ensure_ascii=False, indent=1))
    if args.wrong:
        for r in sorted(judged, key=lambda r: (r["source"], r["page"])):
            if r["verdict"] == "wrong":
                print(f"WRONG {r['source']} p{r['page']} conf={r['confidence']:.2f} kept={r['kept']} "
                      f"label={r.get('label')!r} title={r.get('title', '')[:40]!r} truth={r['truth_key']}")
        got = {r["truth_key"] for r in judged if r["kept"] and r["verdict"] == "right"}
        for b in truth["books"]:
            for f in b["figures"]:
                if b["file"] in files and f["key"] not in got:
                    print(f"MISSED {b['file']} p{f['page']} {f['label']!r} {f['title'][:40]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

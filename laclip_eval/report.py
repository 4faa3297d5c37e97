"""benchmark.json and the markdown table in the paper's layout."""

from __future__ import annotations

import json
import math
from pathlib import Path

NAMES = {"zero-shot": "zero-shot", "fine-tuned": "fine-tuned", "fine-tuned+LACLIP": "fine-tuned + LACLIP"}


def write_json(path: Path, report: dict) -> Path:
    """Write the report as indented JSON (NaN written as null) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(_finite(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def format_table(report: dict) -> str:
    """Given a benchmark.json dict, return the markdown table (rows x T->I, I->T recalls, MR),
    the chosen LACLIP parameters, timings and the device."""
    lines = [
        f"{report['model']} on {report['n_texts']} test texts x {report['n_images']} test images",
        "",
        "| Method | T->I R1 | R5 | R10 | I->T R1 | R5 | R10 | MR |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["rows"]:
        t, i = row["t2i"], row["i2t"]
        cells = [t["R1"], t["R5"], t["R10"], i["R1"], i["R5"], i["R10"], row["MR"]]
        lines.append(f"| {NAMES.get(row['method'], row['method'])} | " + " | ".join(_num(c) for c in cells) + " |")
    p, tm = report["params"], report["timing"]
    lines += [
        "",
        f"LACLIP (chosen on validation): K={p['K']} tau={p['tau']:g} alpha={p['alpha']:g} "
        f"crop scale={p['crop_scale'][0]:g}-{p['crop_scale'][1]:g} seed={p['seed']}",
        f"timing: global {_num(tm['global_images_per_s'])} images/s, LACLIP {_num(tm['laclip_images_per_s'])} images/s, "
        f"LACLIP cost / ((K+1) x global) = {_num(tm['laclip_overhead_ratio'], 2)}"
        f"{' (cached)' if tm.get('from_cache') else ''}, fine-tune {_num(tm['finetune_seconds'])} s, "
        f"total {_num(tm.get('total_seconds'))} s",
        f"device: {report['device']} ({report['device_name']})",
    ]
    return "\n".join(lines)

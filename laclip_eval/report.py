"""benchmark.json and the markdown table in the paper's layout."""

from __future__ import annotations

import json
import math
from pathlib import Path

NAMES = {"zero-shot": "zero-shot", "fine-tuned": "fine-tuned", "checkpoint": "given checkpoint, no fine-tune",
         "LACLIP (paper)": "LACLIP (paper)", "LACLIP (tuned)": "LACLIP (tuned)"}
HEADER = ["| Model | T->I R1 | R5 | R10 | I->T R1 | R5 | R10 | MR |", "|---|---:|---:|---:|---:|---:|---:|---:|"]


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


def _label(model: str, method: str) -> str:
    """The paper's row names: CN-CLIP_<size> for the encoder alone, LACLIP_<size> with crops."""
    if method.startswith("LACLIP"):
        return f"LACLIP {model} ({method.split('(')[1]}"
    return f"CN-CLIP {model} ({NAMES.get(method, method)})"


def _rows(report: dict) -> list[str]:
    lines = []
    for row in report["rows"]:
        t, i = row["t2i"], row["i2t"]
        cells = [t["R1"], t["R5"], t["R10"], i["R1"], i["R5"], i["R10"], row["MR"]]
        lines.append(f"| {_label(report['model'], row['method'])} | " + " | ".join(_num(c) for c in cells) + " |")
    return lines


def _timing_line(tm: dict) -> str:
    cached = f" (from cache: measured on {tm.get('measured_on') or 'an earlier run'})" if tm.get("from_cache") else ""
    return (f"K={tm['K']}: global {_num(tm['global_images_per_s'])} images/s, LACLIP "
            f"{_num(tm['laclip_images_per_s'])} images/s, LACLIP cost / ((K+1) x global) = "
            f"{_num(tm['laclip_overhead_ratio'], 2)}{cached}")


def format_table(report: dict) -> str:
    """Given a benchmark.json dict, return the markdown table in the paper's layout (rows x T->I,
    I->T recalls, MR), both LACLIP parameter sets, timings and the device."""
    weights = report["rows"][-1].get("weights", "")
    lines = [f"{report['model']} on {report['n_texts']} test texts x {report['n_images']} test images "
             f"(weights: {weights}; no image or group in two splits)", "", *HEADER, *_rows(report)]
    p, pp, tm = report["params"], report["params_paper"], report["timing"]
    lines += [
        "",
        f"LACLIP (paper): K={pp['K']} tau=e^-4 alpha=0 crop scale={pp['crop_scale'][0]:g}-{pp['crop_scale'][1]:g}; "
        f"LACLIP (tuned, chosen on validation): K={p['K']} tau={p['tau']:g} alpha={p['alpha']:g} "
        f"crop scale={p['crop_scale'][0]:g}-{p['crop_scale'][1]:g}; seed={p['seed']}",
        f"timing (paper) {_timing_line(tm['paper'])}",
        f"timing (tuned) {_timing_line(tm)}",
        f"fine-tune {_num(tm['finetune_seconds'])} s, total {_num(tm.get('total_seconds'))} s",
        f"device: {report['device']} ({report['device_name']}), {report['precision']}, geometry {report['geometry']}",
    ]
    return "\n".join(lines)


def format_multi_table(reports: list[dict]) -> str:
    """Given several models' benchmark.json dicts, return one table in the paper's layout."""
    first = reports[0]
    lines = [f"{first['n_texts']} test texts x {first['n_images']} test images, device {first['device']} "
             f"({first['device_name']})", "", *HEADER]
    for report in reports:
        lines += _rows(report)
    lines.append("")
    for report in reports:
        p = report["params"]
        lines.append(f"{report['model']}: weights {report['rows'][-1].get('weights', '')}; LACLIP (tuned) K={p['K']} "
                     f"tau={p['tau']:g} alpha={p['alpha']:g}; total {_num(report['timing'].get('total_seconds'))} s")
    return "\n".join(lines)

"""The dataset card (README.md with HF YAML front matter) and its statistics plot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from dataset.config import SPLITS
from dataset.rows import Row

PLOT = "card_stats.png"


def _yaml() -> str:
    files = "\n".join(f"  - split: {s}\n    path: {s}.parquet" for s in SPLITS)
    return ("---\nlicense: other\nlicense_name: own-books\nlanguage:\n- zh\ntask_categories:\n"
            "- image-to-text\n- text-to-image\n- zero-shot-image-classification\n"
            "pretty_name: culti image-text dataset\nconfigs:\n- config_name: default\n"
            f"  default: true\n  data_files:\n{files}\n- config_name: rejects\n  data_files:\n"
            "  - split: train\n    path: rejects.parquet\n---\n")


def _quantiles(values: Sequence[int]) -> str:
    if not values:
        return "-"
    s = sorted(values)
    pick = [s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))] for q in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return " / ".join(str(v) for v in pick)


def write_plot(path: Path, rows: Sequence[Row]) -> None:
    """Write a PNG with text length and image size histograms (matplotlib Agg, no timestamps)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), dpi=80)
    axes[0].hist([len(r.text) for r in rows] or [0], bins=30, color="#8c5a3c")
    axes[0].set_title("description length (characters)")
    axes[1].scatter([r.width for r in rows], [r.height for r in rows], s=4, color="#3c6e8c")
    axes[1].set_title("image size (pixels)")
    axes[1].set_xlabel("width")
    axes[1].set_ylabel("height")
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def card_text(rows: Sequence[Row], splits: Sequence[str], manifest: dict, reject_counts: dict[str, int],
              dedupe_counts: dict[str, int], n_groups: int) -> str:
    """Given the kept rows with their splits and the manifest, return the card's Markdown."""
    lines = [_yaml(), "# culti image-text dataset\n",
             "Figures cut from books on Chinese cultural heritage (silk patterns, Dunhuang murals), "
             "each with its caption and description, split 7:1:2 by group so that no near-duplicate, "
             "crop of a figure or part of a composite figure lies in two splits.\n",
             "## Licence\n",
             "The pictures and texts come from the user's own books and remain under their "
             "publishers' copyright. This dataset is for the owner's private research; do not "
             "redistribute it.\n", "## Sources\n", "| file | sha256 | status | pages |", "|---|---|---|---|"]
    for item in manifest.get("inputs", []):
        lines.append(f"| {item.get('source', '')} | `{item.get('sha256', '')}` | {item.get('status', '')} "
                     f"| {item.get('page_count', '')} |")
    domains = sorted({r.domain for r in rows})
    count = Counter(zip(splits, (r.domain for r in rows), strict=True))
    lines += ["", "## Rows\n", "| split | " + " | ".join(domains) + " | total |",
              "|---|" + "---|" * (len(domains) + 1)]
    for s in SPLITS:
        cells = [str(count[(s, d)]) for d in domains]
        lines.append(f"| {s} | " + " | ".join(cells) + f" | {sum(count[(s, d)] for d in domains)} |")
    kinds = Counter(r.text_kind for r in rows)
    lines += ["", f"{len(rows)} rows in {n_groups} groups.\n",
              f"`text_kind`: {kinds['description']} rows whose `text` is the figure's description, "
              f"{kinds['caption']} whose figure has a caption and no description (`text` repeats the "
              "caption's title); `dataset.load(DIR, text_kind='description')` keeps only the first.\n",
              "## Distributions\n",
              "min / 25% / median / 75% / max\n",
              f"- description length (characters): {_quantiles([len(r.text) for r in rows])}",
              f"- image width (pixels): {_quantiles([r.width for r in rows])}",
              f"- image height (pixels): {_quantiles([r.height for r in rows])}", "",
              f"![text length and image size]({PLOT})\n", "## Dedupe and rejects\n",
              "Dropped as duplicates (the largest, surest copy is kept; `duplicate_of` names it):\n"]
    lines += [f"- {k}: {v}" for k, v in sorted(dedupe_counts.items())] or ["- none"]
    lines += ["", "All rows of rejects.parquet by reason:\n"]
    lines += [f"- {k}: {v}" for k, v in sorted(reject_counts.items())] or ["- none"]
    lines += ["", "## Loading\n", "```python",
              "import dataset  # culti's package",
              "df = dataset.load(DIR, split='train')                 # pandas",
              "from datasets import load_dataset",
              "ds = load_dataset(DIR)                                # train / validation / test",
              "```", ""]
    return "\n".join(lines)

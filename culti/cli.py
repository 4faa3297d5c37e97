"""The `culti` command: a thin layer that maps flags onto stage configs and errors onto one line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from culti import __version__
from culti.errors import UsageError

DEFAULT_SAMPLE_DIR = Path("data/sample")
DEFAULT_OUT_DIR = Path("data/out")
EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """argparse with culti's error format: one line naming the flag, exit status 2."""

    def error(self, message: str) -> None:  # argparse's own prints the usage block first
        command = self.prog.removeprefix("culti").strip()
        where = f"culti {command} --help" if command else "culti --help"
        print(f"culti: error: {message} (see {where})", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _int_at_least(low: int, high: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {bounds}, got {value}")
        return value

    return parse


_positive = _int_at_least(1)
_natural = _int_at_least(0)


def _add_pipeline_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", type=Path, help="PDF files or folders (default: the sample books)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: data/out)")
    parser.add_argument("--workers", type=_positive, default=None, help="page worker processes (default: all cores)")
    parser.add_argument("--domain", choices=["silk", "mural", "auto"], default="auto",
                        help="fills the domain column; auto decides per book from its text")
    parser.add_argument("--no-cache", action="store_true", help="recompute every page even if cached")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--keep-traditional", action="store_true",
                        help="do not convert traditional characters to simplified in text fields")
    parser.add_argument("--ocr-engine", default="rapidocr", help="OCR backend: rapidocr (default) or paddleocr")
    _add_executor_args(parser)


def _add_executor_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--executor", choices=["local", "ray"], default="local",
                        help="where pages and books run: local (a process pool, default) or ray (Ray Data)")
    parser.add_argument("--ray-address", default=None, metavar="auto|HOST:PORT",
                        help="the Ray cluster to join (with --executor ray); default: start a local Ray")
    parser.add_argument("--work", default=None, metavar="URI",
                        help="the work store (default OUT/work); on a cluster a folder or bucket (s3://...) every node reads")


def _add_build_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=_natural, default=0, help="split seed (default: 0)")
    parser.add_argument("--corrections", type=Path, default=None, help="a corrections.json from `culti review`")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="culti", description=__doc__)
    parser.add_argument("--version", action="version", version=f"culti {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="generate sample books (born-digital and scanned PDFs + truth.json)")
    p.add_argument("--out", type=Path, default=DEFAULT_SAMPLE_DIR)
    p.add_argument("--books", type=_int_at_least(1, 99), default=None,
                   help="books per domain, each born-digital and scanned (default: the quick default set)")
    p.add_argument("--figures", type=_int_at_least(1, 2000), default=None, help="figures per book (with --books or --full)")
    p.add_argument("--full", action="store_true",
                   help="the long set: 2 books per domain x 160 figures, each born-digital and scanned")
    p.add_argument("--seed", type=_natural, default=0)
    p.add_argument("--real-layouts", action="store_true",
                   help="also write real-layouts-digital.pdf (caption layouts of real files) and its truth")

    p = sub.add_parser("dataset", help="PDFs -> Parquet dataset (extract, align, build)")
    _add_pipeline_args(p)
    _add_build_args(p)

    p = sub.add_parser("extract", help="stage 1: PDF pages -> figures and text blocks (OUT/work)")
    _add_pipeline_args(p)

    p = sub.add_parser("align", help="stage 2: figures <-> captions and descriptions (reads OUT/work)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    p.add_argument("--domain", choices=["silk", "mural", "auto"], default="auto")
    p.add_argument("--keep-traditional", action="store_true")
    _add_executor_args(p)

    p = sub.add_parser("build", help="stage 3: dedupe, split, write Parquet + card (reads OUT/work)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    p.add_argument("--work", default=None, metavar="URI", help="the work store (default OUT/work)")
    _add_build_args(p)

    p = sub.add_parser("evaluate", aliases=["eval-extract"],
                       help="score a dataset folder against a truth.json (figures, captions, pairs, descriptions)")
    p.add_argument("data", type=Path, nargs="?", default=DEFAULT_OUT_DIR)
    p.add_argument("--truth", type=Path, default=DEFAULT_SAMPLE_DIR / "truth.json")
    p.add_argument("--json", type=Path, default=None, help="also write the scores to this file")
    p.add_argument("--per-file", action="store_true", help="also print one row of scores per file")
    p.add_argument("--misses", action="store_true",
                   help="also list, per file, the figures missed, extra boxes, wrong captions and off-text rows")

    p = sub.add_parser("finetune", help="fine-tune Chinese-CLIP on the train split")
    _add_model_args(p)
    _add_train_args(p)
    p.add_argument("--save", type=Path, default=None, help="where to write the fine-tuned checkpoint")

    p = sub.add_parser("benchmark", help="score zero-shot / fine-tuned / LACLIP (paper, tuned) retrieval on the test split")
    _add_model_args(p)
    _add_train_args(p)
    p.add_argument("--models", default=None,
                   help="comma-separated sizes for the paper's table in one run, e.g. RN50,ViT-B-16,ViT-L-14,ViT-H-14")
    p.add_argument("--checkpoints", type=Path, default=None,
                   help="folder with the released checkpoints under their own names (clip_cn_vit-b-16.pt, ...)")
    p.add_argument("--no-finetune", action="store_true",
                   help="score the given (already fine-tuned) checkpoint as it is, with LACLIP on top")
    p.add_argument("--save-scores", action="store_true", help="also write scores.npz")

    p = sub.add_parser("export", help="write a dataset folder as Chinese-CLIP's fine-tuning layout or webdataset shards")
    p.add_argument("data", type=Path, nargs="?", default=DEFAULT_OUT_DIR, help="a culti dataset folder")
    p.add_argument("--format", choices=["cn-clip", "webdataset"], required=True)
    p.add_argument("--out", type=Path, required=True, help="the folder to write")
    p.add_argument("--shard-size", type=_positive, default=1000, help="samples per webdataset shard (default: 1000)")

    p = sub.add_parser("review", help="write DIR/review/index.html for a curator")
    p.add_argument("data", type=Path, nargs="?", default=DEFAULT_OUT_DIR)
    return parser


def _add_model_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT_DIR, help="a culti dataset folder")
    parser.add_argument("--model", default="tiny", help="tiny, RN50, ViT-B-16, ViT-L-14, ViT-L-14-336, ViT-H-14")
    parser.add_argument("--checkpoint", type=Path, default=None, help="a cn_clip checkpoint (.pt)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--out", type=Path, default=None, help="where results go (default: DATA/benchmark)")
    parser.add_argument("--seed", type=_natural, default=0)


def _add_train_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--epochs", type=_natural, default=None, help="default: 40 from scratch (tiny), 5 from a checkpoint")
    parser.add_argument("--batch-size", type=int, default=None, help="pairs per optimizer step (default: 128 CUDA, 32 CPU)")
    parser.add_argument("--grad-accum", type=_positive, default=1, help="split each step into this many micro-batches")
    parser.add_argument("--grad-checkpointing", action=argparse.BooleanOptionalAction, default=None,
                        help="activation checkpointing (default: on for ViT-L-14-336 and ViT-H-14 on CUDA)")
    parser.add_argument("--lr", type=float, default=None, help="peak learning rate (default: the recipe's)")
    parser.add_argument("--precision", choices=["bf16", "fp16", "fp32"], default=None,
                        help="autocast precision (default: bf16 on CUDA, fp32 on CPU)")
    parser.add_argument("--geometry", choices=["stretch", "pad", "squash"], default="stretch",
                        help="non-square images: stretch (aspect-following crops, resize; default), pad (letterbox), "
                             "squash (the old fixed-crop behaviour)")
    parser.add_argument("--recipe", choices=["culti", "cn-clip"], default="culti",
                        help="cn-clip: Chinese-CLIP's fine-tune recipe (lr 5e-5, wd 0.001, 100 warmup steps, crops 0.9-1.0)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from culti import commands  # heavy stage imports stay out of `culti --help`

    try:
        return commands.run(args)
    except UsageError as err:
        print(f"culti: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("culti: interrupted; finished pages are cached, re-run to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""What each `culti` subcommand does: build stage configs from flags, call the stages, report."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from culti import pipeline
from culti.cli import DEFAULT_SAMPLE_DIR
from culti.contract import FileStatus, SchemaError
from culti.errors import UsageError
from culti.lock import FolderLocked, lock_folder

EXIT_OK = 0
EXIT_INPUT_FAILED = 2
WRITES_OUT = ("dataset", "extract", "align", "build")  # commands that lock --out while they write


def run(args: argparse.Namespace) -> int:
    handler = {
        "sample": cmd_sample,
        "dataset": cmd_dataset,
        "extract": cmd_extract,
        "align": cmd_align,
        "build": cmd_build,
        "evaluate": cmd_evaluate,
        "eval-extract": cmd_evaluate,
        "finetune": cmd_finetune,
        "benchmark": cmd_benchmark,
        "review": cmd_review,
        "export": cmd_export,
    }[args.command]
    if args.command in WRITES_OUT:
        with writing(args.out, "--out"):
            return handler(args)
    return handler(args)


def writable_folder(path: Path, flag: str) -> Path:
    """Create `path`, a folder this run writes into, or say in one line why it cannot be."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path} is a file, not a folder: choose a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"{flag} {path} cannot be created ({err.strerror}): "
                         "choose a folder you can write to") from err
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {path} is not writable: choose a folder you can write to")
    return path


@contextmanager
def writing(folder: Path, flag: str) -> Iterator[None]:
    """Hold `folder`'s lock while the body writes it: one writer per folder (see culti/lock.py)."""
    writable_folder(folder, flag)
    command = "culti " + shlex.join(sys.argv[1:])
    try:
        lock = lock_folder(folder, command[:300], "folder" if flag == "DIR" else flag)
    except FolderLocked as err:
        raise UsageError(str(err)) from err
    except OSError as err:
        raise UsageError(f"{flag} {folder}: cannot write its lock file ({err.strerror}): "
                         "choose a folder you can write to") from err
    with lock:
        yield


@contextmanager
def reading_parquet(folder: Path) -> Iterator[None]:
    """A dataset file that does not read as Parquet is the user's to rebuild: say so in one line."""
    import pyarrow as pa

    try:
        yield
    except pa.ArrowException as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"{folder}: a dataset file does not read as Parquet ({first}): "
                         f"rebuild it with `culti build --out {folder}`") from err


def cmd_sample(args: argparse.Namespace) -> int:
    from culti.sample import generate_samples

    writable_folder(args.out, "--out")
    truth = generate_samples(args.out, books=args.books, figures=args.figures, seed=args.seed,
                             full=args.full)
    print(f"sample books and {truth} written to {args.out}")
    if getattr(args, "real_layouts", False):
        from culti.sample.real_layouts import write_real_layouts

        path, _ = write_real_layouts(args.out, seed=args.seed)
        print(f"{path} and real-layouts-truth.json written to {args.out}")
    return EXIT_OK


def _default_inputs(inputs: list[Path]) -> list[Path]:
    """With no inputs, the sample books (generated on first use)."""
    if inputs:
        return inputs
    if not (DEFAULT_SAMPLE_DIR / "truth.json").exists():
        from culti.sample import generate_samples

        print(f"no input given: generating the sample books in {DEFAULT_SAMPLE_DIR}", file=sys.stderr)
        generate_samples(DEFAULT_SAMPLE_DIR)
    return [DEFAULT_SAMPLE_DIR]


def _run_config(args: argparse.Namespace):
    """Map the flags onto the pipeline's config; a bad value is a one-line error."""
    from culti.run import RunConfig

    stages = {}
    if hasattr(args, "ocr_engine"):
        stages["extract"] = _extract_config(args)
    if hasattr(args, "domain"):
        from align import AlignConfig

        stages["align"] = AlignConfig(domain=args.domain, to_simplified=not args.keep_traditional)
    if hasattr(args, "seed"):
        from dataset import BuildConfig

        stages["build"] = BuildConfig(seed=args.seed)
    executor = getattr(args, "executor", "local")
    address = getattr(args, "ray_address", None)
    if address is not None and executor != "ray":
        raise UsageError("--ray-address needs --executor ray")
    try:
        return RunConfig(**stages, executor=executor, ray_address=address,
                         use_cache=not getattr(args, "no_cache", False), work_uri=getattr(args, "work", None),
                         corrections=getattr(args, "corrections", None))
    except ValueError as err:
        raise UsageError(str(err)) from err


def _extract_config(args: argparse.Namespace):
    import importlib.util

    from extract import ExtractConfig
    from extract.config import OCR_ENGINES

    if args.ocr_engine not in OCR_ENGINES:
        raise UsageError(f"--ocr-engine {args.ocr_engine}: unknown engine; use one of {', '.join(OCR_ENGINES)}")
    if args.ocr_engine == "paddleocr" and importlib.util.find_spec("paddleocr") is None:
        raise UsageError("--ocr-engine paddleocr: paddleocr is not installed; "
                         "pip install paddleocr paddlepaddle, or use --ocr-engine rapidocr")
    return ExtractConfig(workers=args.workers, progress=not args.no_progress, ocr_engine=args.ocr_engine)


def _paths(args: argparse.Namespace) -> list[Path]:
    paths = pipeline.collect_inputs(_default_inputs(args.inputs))
    if not paths:
        raise UsageError(f"no PDF files found in {', '.join(map(str, args.inputs))}")
    return paths


def _exit_status(reports) -> int:
    return EXIT_INPUT_FAILED if any(r.status == FileStatus.FAILED for r in reports) else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from culti.run import extract_inputs

    config = _run_config(args)
    store = pipeline.work_store(args.out, config.work_uri)
    pipeline.save_params(store, {"ocr_engine": args.ocr_engine, "extract": config.extract.fingerprint()})
    reports = _guard(lambda: extract_inputs(_paths(args), store, config))
    ok = sum(1 for r in reports if r.status != FileStatus.FAILED)
    print(f"extracted {ok} of {len(reports)} inputs into {store.root}")
    return _exit_status(reports)


def cmd_align(args: argparse.Namespace) -> int:
    from culti.run import align_inputs

    config = _run_config(args)
    store = pipeline.work_store(args.out, config.work_uri)
    reports = pipeline.read_run(store)
    pipeline.save_params(store, {"domain": args.domain, "to_simplified": not args.keep_traditional})
    alignments = _guard(lambda: align_inputs(store, reports, config))
    print(f"aligned {len(alignments)} books in {store.root}")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from culti.run import build

    config = _run_config(args)
    store = pipeline.work_store(args.out, config.work_uri)
    reports = pipeline.read_run(store)
    summary = _guard(lambda: build(args.out, store, reports, config), config.corrections)
    print(_summary_line(summary, args.out))
    return _exit_status(reports)


def _guard(call, corrections: Path | None = None):
    """Run a stage; the errors a user can cause become one line."""
    from culti.executors.ray import RayUnavailable

    correction_error = _correction_error() if corrections is not None else ()
    try:
        return call()
    except correction_error as err:
        raise UsageError(f"{corrections}: {err}") from err
    except (SchemaError, RayUnavailable, FileNotFoundError) as err:
        raise UsageError(str(err)) from err


def _correction_error() -> type[Exception]:
    import review

    return review.CorrectionError


def _summary_line(summary, out_dir: Path) -> str:
    splits = ", ".join(f"{k} {v}" for k, v in summary.split_counts.items())
    return f"dataset written to {out_dir}: {splits}; rejects {summary.n_rejects}"


def cmd_dataset(args: argparse.Namespace) -> int:
    from culti.run import NoReadableInput, run_pipeline

    config = _run_config(args)
    try:
        summary = _guard(lambda: run_pipeline(_paths(args), args.out, config), config.corrections)
    except NoReadableInput as err:  # a mistyped path must not publish an empty dataset
        raise UsageError(f"none of the {err.count} inputs could be read (see above): "
                         f"check the paths; the dataset in {args.out} is unchanged") from err
    print(_summary_line(summary.build, args.out))
    return _exit_status(summary.inputs)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from culti.evaluate import (
        TruthError,
        dataset_misses,
        evaluate_dataset,
        format_misses,
        format_scores,
    )

    if not args.truth.is_file():
        raise UsageError(f"truth file {args.truth} not found: pass --truth PATH (see README: evaluation)")
    try:
        truth = json.loads(args.truth.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise UsageError(f"--truth {args.truth}: not a readable truth.json ({err})") from err
    problem = _truth_problem(truth)
    if problem:
        raise UsageError(f"--truth {args.truth}: {problem}: not a truth.json (see README: truth.json)")
    _need_dataset(args.data, "test.parquet")
    try:
        with reading_parquet(args.data):
            scores = evaluate_dataset(args.data, args.truth)
            found_misses = dataset_misses(args.data, args.truth) if args.misses else None
    except TruthError as err:
        raise UsageError(f"--truth {err} (see README: truth.json)") from err
    print(format_scores(scores, per_file=args.per_file))
    if found_misses is not None:
        print()
        print(format_misses(found_misses))
    if args.json is not None:
        writable_folder(args.json.parent, "--json")
        args.json.write_text(json.dumps(scores, ensure_ascii=False, indent=2))
    return EXIT_OK


def _train_options(args: argparse.Namespace) -> dict:
    """The fine-tune flags shared by `culti finetune` and `culti benchmark`, as EvalConfig fields."""
    return {"batch_size": args.batch_size, "grad_accum": args.grad_accum,
            "grad_checkpointing": args.grad_checkpointing, "lr": args.lr, "precision": args.precision,
            "recipe": args.recipe, "geometry": args.geometry}


_TRUTH_BOOK_KEYS = ("file", "kind", "figures")
_TRUTH_FIGURE_KEYS = ("page", "bbox", "label", "caption", "description")


def _truth_problem(truth: object) -> str:
    """What keeps `truth` from being scored (the keys every truth.json version has), or ""."""
    if not isinstance(truth, dict) or not isinstance(truth.get("books"), list):
        return 'no "books" list'
    for i, book in enumerate(truth["books"], 1):
        if not isinstance(book, dict) or any(k not in book for k in _TRUTH_BOOK_KEYS):
            return f"book #{i} lacks one of {', '.join(_TRUTH_BOOK_KEYS)}"
        if not isinstance(book["figures"], list):
            return f"book #{i} ({book['file']}): \"figures\" is not a list"
        for j, fig in enumerate(book["figures"], 1):
            if not isinstance(fig, dict) or any(k not in fig for k in _TRUTH_FIGURE_KEYS):
                return f"book #{i} ({book['file']}) figure #{j} lacks one of {', '.join(_TRUTH_FIGURE_KEYS)}"
    return ""


def _need_dataset(folder: Path, name: str) -> None:
    if not (folder / name).is_file():
        raise UsageError(f"{folder} is not a culti dataset folder (no {name}): "
                         f"run `culti dataset --out {folder}` first")


def _eval_outputs(args: argparse.Namespace, split: str) -> None:
    _need_dataset(args.data, split)
    writable_folder(args.out if args.out is not None else args.data / "benchmark", "--out")
    if getattr(args, "save", None) is not None:
        writable_folder(args.save.parent, "--save")


def cmd_finetune(args: argparse.Namespace) -> int:
    import laclip_eval

    _eval_outputs(args, "train.parquet")
    try:
        path = laclip_eval.run_finetune(args.data, model=args.model, checkpoint=args.checkpoint,
                                        device=args.device, save=args.save, seed=args.seed,
                                        epochs=args.epochs, **_train_options(args))
    except laclip_eval.EvalConfigError as err:
        raise UsageError(str(err)) from err
    print(f"fine-tuned checkpoint written to {path}")
    return EXIT_OK


def cmd_benchmark(args: argparse.Namespace) -> int:
    import laclip_eval

    _eval_outputs(args, "test.parquet")
    options = {**_train_options(args), "finetune": not args.no_finetune}
    try:
        if args.models is not None:
            if args.checkpoint is not None:
                raise UsageError("--models takes its checkpoints from --checkpoints DIR, not --checkpoint")
            laclip_eval.run_models(args.data, [m.strip() for m in args.models.split(",") if m.strip()],
                                   checkpoints=args.checkpoints, device=args.device, out_dir=args.out,
                                   seed=args.seed, epochs=args.epochs, save_scores=args.save_scores, **options)
        else:
            checkpoint = args.checkpoint
            if checkpoint is None and args.checkpoints is not None:
                from laclip_eval.benchmark import model_checkpoints

                checkpoint = model_checkpoints([args.model], args.checkpoints)[0][1]
            laclip_eval.run_benchmark(args.data, model=args.model, checkpoint=checkpoint, device=args.device,
                                      out_dir=args.out, seed=args.seed, save_scores=args.save_scores,
                                      epochs=args.epochs, **options)
    except laclip_eval.EvalConfigError as err:
        raise UsageError(str(err)) from err
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    import laclip_eval

    if not (args.data / "train.parquet").exists():
        raise UsageError(f"{args.data}/train.parquet not found: pass a culti dataset folder (culti dataset --out DIR)")
    try:
        counts = laclip_eval.export_dataset(args.data, args.out, args.format, shard_size=args.shard_size)
    except laclip_eval.EvalConfigError as err:
        raise UsageError(str(err)) from err
    summary = "; ".join(f"{split} " + ", ".join(f"{v} {k}" for k, v in c.items()) for split, c in counts.items())
    print(f"{args.format} export written to {args.out}: {summary}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    import review

    _need_dataset(args.data, "manifest.json")
    with writing(args.data, "DIR"), reading_parquet(args.data):
        try:
            index = review.write_report(args.data)
        except json.JSONDecodeError as err:
            raise UsageError(f"{args.data}/manifest.json does not read ({err}): "
                             f"rebuild it with `culti build --out {args.data}`") from err
        except SchemaError as err:  # written by another version of culti
            raise UsageError(str(err)) from err
    print(f"review report written to {index}")
    return EXIT_OK

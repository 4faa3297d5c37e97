"""What each `culti` subcommand does: build stage configs from flags, call the stages, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from culti import pipeline
from culti.cli import DEFAULT_SAMPLE_DIR
from culti.contract import FileStatus
from culti.errors import UsageError

EXIT_OK = 0
EXIT_INPUT_FAILED = 2


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
    }[args.command]
    return handler(args)


def cmd_sample(args: argparse.Namespace) -> int:
    from culti.sample import generate_samples

    truth = generate_samples(args.out, books=args.books, figures=args.figures, seed=args.seed)
    print(f"sample books and {truth} written to {args.out}")
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

    if getattr(args, "workers", None) is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    stages = {}
    if hasattr(args, "ocr_engine"):
        from extract import ExtractConfig

        stages["extract"] = ExtractConfig(workers=args.workers, progress=not args.no_progress,
                                          ocr_engine=args.ocr_engine)
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
    reports = _read_run(store)
    pipeline.save_params(store, {"domain": args.domain, "to_simplified": not args.keep_traditional})
    alignments = _guard(lambda: align_inputs(store, reports, config))
    print(f"aligned {len(alignments)} books in {store.root}")
    return EXIT_OK


def _read_run(store):
    try:
        return pipeline.read_run(store)
    except FileNotFoundError as err:
        raise UsageError(str(err)) from err


def cmd_build(args: argparse.Namespace) -> int:
    from culti.run import build

    config = _run_config(args)
    store = pipeline.work_store(args.out, config.work_uri)
    reports = _read_run(store)
    summary = _guard(lambda: build(args.out, store, reports, config), config.corrections)
    print(_summary_line(summary, args.out))
    return _exit_status(reports)


def _guard(call, corrections: Path | None = None):
    """Run a stage; the errors a user can cause become one line."""
    import review
    from culti.contract import SchemaError
    from culti.executors.ray import RayUnavailable

    try:
        return call()
    except review.CorrectionError as err:
        raise UsageError(f"{corrections}: {err}") from err
    except (SchemaError, RayUnavailable, FileNotFoundError) as err:
        raise UsageError(str(err)) from err


def _summary_line(summary, out_dir: Path) -> str:
    splits = ", ".join(f"{k} {v}" for k, v in summary.split_counts.items())
    return f"dataset written to {out_dir}: {splits}; rejects {summary.n_rejects}"


def cmd_dataset(args: argparse.Namespace) -> int:
    from culti.run import run_pipeline

    config = _run_config(args)
    summary = _guard(lambda: run_pipeline(_paths(args), args.out, config), config.corrections)
    print(_summary_line(summary.build, args.out))
    return _exit_status(summary.inputs)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from culti.evaluate import evaluate_dataset, format_scores

    if not args.truth.exists():
        raise UsageError(f"truth file {args.truth} not found: pass --truth PATH (see README: evaluation)")
    scores = evaluate_dataset(args.data, args.truth)
    print(format_scores(scores))
    if args.json is not None:
        import json

        args.json.write_text(json.dumps(scores, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_finetune(args: argparse.Namespace) -> int:
    import laclip_eval

    try:
        path = laclip_eval.run_finetune(args.data, model=args.model, checkpoint=args.checkpoint,
                                        device=args.device, save=args.save, seed=args.seed,
                                        epochs=args.epochs)
    except laclip_eval.EvalConfigError as err:
        raise UsageError(str(err)) from err
    print(f"fine-tuned checkpoint written to {path}")
    return EXIT_OK


def cmd_benchmark(args: argparse.Namespace) -> int:
    import laclip_eval

    if not (args.data / "test.parquet").exists():
        raise UsageError(f"{args.data}/test.parquet not found: run `make dataset` (or culti dataset --out {args.data}) first")
    try:
        laclip_eval.run_benchmark(args.data, model=args.model, checkpoint=args.checkpoint, device=args.device,
                                  out_dir=args.out, seed=args.seed, save_scores=args.save_scores,
                                  epochs=args.epochs)
    except laclip_eval.EvalConfigError as err:
        raise UsageError(str(err)) from err
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    import review

    if not (args.data / "manifest.json").exists():
        raise UsageError(f"{args.data} is not a culti dataset folder (no manifest.json): run `culti dataset --out {args.data}` first")
    index = review.write_report(args.data)
    print(f"review report written to {index}")
    return EXIT_OK

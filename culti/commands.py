"""What each `culti` subcommand does: build stage configs from flags, call the stages, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from culti import pipeline
from culti.cli import DEFAULT_SAMPLE_DIR
from culti.errors import UsageError
from culti.manifest import new_manifest
from culti.records import FileStatus

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


def _extract_config(args: argparse.Namespace):
    from extract import ExtractConfig

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    return ExtractConfig(workers=args.workers, progress=not args.no_progress, ocr_engine=args.ocr_engine)


def _align_config(args: argparse.Namespace):
    from align import AlignConfig

    return AlignConfig(domain=args.domain, to_simplified=not args.keep_traditional)


def _run_extract(args: argparse.Namespace) -> pipeline.InputsOutcome:
    paths = pipeline.collect_inputs(_default_inputs(args.inputs))
    if not paths:
        raise UsageError(f"no PDF files found in {', '.join(map(str, args.inputs))}")
    config = _extract_config(args)
    pipeline.save_params(args.out, {"ocr_engine": args.ocr_engine, "extract": config.fingerprint()})
    return pipeline.extract_inputs(paths, args.out, config, use_cache=not args.no_cache)


def _exit_status(failed_inputs: int) -> int:
    return EXIT_INPUT_FAILED if failed_inputs else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    outcome = _run_extract(args)
    ok = len(outcome.reports) - len(outcome.failed)
    print(f"extracted {ok} of {len(outcome.reports)} inputs into {pipeline.work_dir(args.out)}")
    return _exit_status(len(outcome.failed))


def cmd_align(args: argparse.Namespace) -> int:
    reports = _read_run(args.out)
    pipeline.save_params(args.out, {"domain": args.domain, "to_simplified": not args.keep_traditional})
    alignments = pipeline.align_books(args.out, reports, _align_config(args))
    print(f"aligned {len(alignments)} books in {pipeline.work_dir(args.out)}")
    return EXIT_OK


def _read_run(out_dir: Path):
    try:
        return pipeline.read_run(out_dir)
    except FileNotFoundError as err:
        raise UsageError(str(err)) from err


def cmd_build(args: argparse.Namespace) -> int:
    from dataset import BuildConfig, build_dataset

    reports = _read_run(args.out)
    manifest = new_manifest(reports, {**pipeline.load_params(args.out), "seed": args.seed})
    config = BuildConfig(seed=args.seed)
    if args.corrections is not None:
        pairs, rejects = _corrected(args.out, reports, args.corrections, manifest)
    else:  # stream book by book: images are never all in memory
        pairs = (p for a in pipeline.iter_alignments(args.out, reports) for p in a.pairs)
        rejects = _stream_rejects(args.out, reports)
    summary = build_dataset(pairs, rejects, config, args.out, manifest)
    print(_summary_line(summary, args.out))
    return _exit_status(sum(1 for r in reports if r.status == FileStatus.FAILED))


def _stream_rejects(out_dir: Path, reports):
    yield from pipeline.input_rejects(reports)
    for alignment in pipeline.iter_alignments(out_dir, reports):
        yield from alignment.rejects


def _corrected(out_dir: Path, reports, corrections_path: Path, manifest: dict):
    import review

    pairs, rejects = pipeline.pairs_and_rejects(out_dir, reports)
    known = {p.id for p in pairs} | {r.item_id for r in rejects if r.item_id}
    try:
        corrections = review.load_corrections(corrections_path, known)
    except review.CorrectionError as err:
        raise UsageError(f"{corrections_path}: {err}") from err
    pairs, rejects, applied = review.apply_corrections(pairs, rejects, corrections)
    manifest["corrections"] = {"file": str(corrections_path), "applied": list(applied)}
    return pairs, rejects


def _summary_line(summary, out_dir: Path) -> str:
    splits = ", ".join(f"{k} {v}" for k, v in summary.split_counts.items())
    return f"dataset written to {out_dir}: {splits}; rejects {summary.n_rejects}"


def cmd_dataset(args: argparse.Namespace) -> int:
    _run_extract(args)
    cmd_align(args)
    return cmd_build(args)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from culti.evaluate import TruthError, evaluate_dataset, format_scores

    if not args.truth.exists():
        raise UsageError(f"truth file {args.truth} not found: pass --truth PATH (see README: evaluation)")
    if not args.data.is_dir():
        raise UsageError(f"{args.data} is not a dataset folder: run `culti dataset --out {args.data}` first")
    try:
        scores = evaluate_dataset(args.data, args.truth)
    except TruthError as err:
        raise UsageError(f"{err} (see README: truth.json)") from err
    print(format_scores(scores, per_file=args.per_file))
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

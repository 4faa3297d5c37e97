"""Evaluation stage: fine-tune Chinese-CLIP on a culti dataset and score LACLIP retrieval.

Heavy imports (torch, cn_clip) happen inside the functions, so importing this package is cheap.
"""

from __future__ import annotations

import os
from pathlib import Path

# Before torch loads OpenMP: idle threads sleep instead of spinning. On a busy 2-core machine
# spinning made 2-thread training 3-5x slower than 1 thread; no effect once torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from laclip_eval.config import EvalConfig, EvalConfigError

__all__ = ["EvalConfig", "EvalConfigError", "export_dataset", "run_benchmark", "run_finetune", "run_models"]


def run_benchmark(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                  device: str = "cpu", out_dir: Path | None = None, seed: int = 0,
                  save_scores: bool = False, epochs: int | None = None, **options) -> dict:
    """Given a dataset folder, write out_dir/benchmark.json (zero-shot / fine-tuned / LACLIP (paper)
    / LACLIP (tuned) on test), print the markdown table and return the json content. `options` are
    EvalConfig fields: batch_size, grad_accum, grad_checkpointing, lr, precision, recipe, finetune..."""
    from laclip_eval.benchmark import run_benchmark as run

    return run(data_dir, model=model, checkpoint=checkpoint, device=device, out_dir=out_dir,
               seed=seed, save_scores=save_scores, epochs=epochs, **options)


def run_models(data_dir: Path, models: list[str], checkpoints: Path | None = None, device: str = "cpu",
               out_dir: Path | None = None, seed: int = 0, epochs: int | None = None, **options) -> dict:
    """Given a dataset folder, model names and a folder of released checkpoints, benchmark every
    model into out_dir/<model>/ and write the combined out_dir/benchmark.json and table."""
    from laclip_eval.benchmark import run_models as run

    return run(data_dir, models, checkpoints=checkpoints, device=device, out_dir=out_dir, seed=seed,
               epochs=epochs, **options)


def run_finetune(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                 device: str = "cpu", save: Path | None = None, seed: int = 0,
                 epochs: int | None = None, **options) -> Path:
    """Given a dataset folder, fine-tune on train (best validation MR) and return the written
    cn_clip-format checkpoint path."""
    from laclip_eval.benchmark import run_finetune as run

    return run(data_dir, model=model, checkpoint=checkpoint, device=device, save=save, seed=seed,
               epochs=epochs, **options)


def export_dataset(data_dir: Path, out: Path, fmt: str, **options) -> dict:
    """Given a dataset folder, write it as Chinese-CLIP's fine-tuning layout (fmt "cn-clip") or
    webdataset tar shards (fmt "webdataset") under out; return the counts written."""
    from laclip_eval.export import export

    return export(data_dir, out, fmt, **options)

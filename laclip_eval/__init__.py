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

__all__ = ["EvalConfig", "EvalConfigError", "run_benchmark", "run_finetune"]


def run_benchmark(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                  device: str = "cpu", out_dir: Path | None = None, seed: int = 0,
                  save_scores: bool = False, epochs: int | None = None) -> dict:
    """Given a dataset folder, write out_dir/benchmark.json (zero-shot / fine-tuned / LACLIP on
    test), print the markdown table and return the json content."""
    from laclip_eval.benchmark import run_benchmark as run

    return run(data_dir, model=model, checkpoint=checkpoint, device=device, out_dir=out_dir,
               seed=seed, save_scores=save_scores, epochs=epochs)


def run_finetune(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                 device: str = "cpu", save: Path | None = None, seed: int = 0,
                 epochs: int | None = None) -> Path:
    """Given a dataset folder, fine-tune on train (best validation MR) and return the written
    cn_clip-format checkpoint path."""
    from laclip_eval.benchmark import run_finetune as run

    return run(data_dir, model=model, checkpoint=checkpoint, device=device, save=save, seed=seed,
               epochs=epochs)

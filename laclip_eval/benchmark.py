"""The two entry points: fine-tune on train, and benchmark zero-shot / fine-tuned / LACLIP on test."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from laclip_eval.config import EvalConfig, EvalConfigError
from laclip_eval.data import Split, read_split
from laclip_eval.encode import decode_all, encode_texts
from laclip_eval.finetune import FinetuneResult, finetune, seed_everything
from laclip_eval.laclip import Gallery, LaclipParams, build_gallery, encode_global, laclip_scores
from laclip_eval.metrics import retrieval_metrics
from laclip_eval.models import (
    count_parameters,
    fingerprint,
    load_model,
    resolution,
    save_checkpoint,
)
from laclip_eval.report import format_table, write_json


@dataclass(frozen=True, slots=True)
class Selection:
    params: LaclipParams
    val_mr: float
    val_mr_global: float


def _setup(cfg: EvalConfig) -> None:
    import torch

    if cfg.cuda and not torch.cuda.is_available():
        raise EvalConfigError("--device cuda asked for but torch sees no CUDA device: use --device cpu")
    if not cfg.cuda:
        torch.set_num_threads(cfg.threads)


def _splits(data_dir: Path, cfg: EvalConfig, need_test: bool) -> tuple[Split, Split, Split | None]:
    train = read_split(data_dir, "train", cfg.text_field)
    if not train.pairs:
        raise EvalConfigError(f"{data_dir}/train.parquet has no rows: nothing to fine-tune on")
    val = read_split(data_dir, "validation", cfg.text_field)
    test = read_split(data_dir, "test", cfg.text_field) if need_test else None
    if test is not None and not test.pairs:
        raise EvalConfigError(f"{data_dir}/test.parquet has no rows: nothing to benchmark")
    return train, val, test


def _train(data_dir: Path, cfg: EvalConfig, train: Split, val: Split, save: Path):
    seed_everything(cfg.seed)  # the from-scratch initialisation draws from torch's RNG
    model = load_model(cfg.model, cfg.checkpoint, cfg.device)
    size = resolution(cfg.model)
    print(f"fine-tuning {cfg.model} ({count_parameters(model) / 1e6:.1f}M parameters) on "
          f"{len(train.pairs)} train pairs, {cfg.n_epochs} epochs, device {cfg.device}")
    result = finetune(model, train, val, size, cfg)
    save_checkpoint(model, save, cfg.model, epoch=result.best_epoch, step=result.steps)
    return model, result


def run_finetune(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                 device: str = "cpu", save: Path | None = None, seed: int = 0,
                 epochs: int | None = None) -> Path:
    """Given a dataset folder, fine-tune on train (best validation MR) and return the checkpoint path."""
    cfg = EvalConfig(model=model, checkpoint=checkpoint, device=device, seed=seed, epochs=epochs)
    _setup(cfg)
    data_dir = Path(data_dir)
    train, val, _ = _splits(data_dir, cfg, need_test=False)
    save = Path(save) if save is not None else data_dir / "benchmark" / f"finetuned-{model}.pt"
    _train(data_dir, cfg, train, val, save)
    return save


def _select(model, val: Split, pils: list, size: int, cfg: EvalConfig, cache_dir: Path) -> Selection:
    """Grid-search K, tau, alpha and the crop scale on validation (never test), by LACLIP MR."""
    if not val.pairs:  # no validation split: the paper's setting with the grid's first values
        return Selection(LaclipParams(max(cfg.ks), cfg.taus[0], 0.0, cfg.crop_scales[0]), float("nan"), float("nan"))
    texts = encode_texts(model, val.texts, cfg.device, cfg.encode_batch_size, cfg.context_length)
    positives = val.positives()
    key = fingerprint(model)
    glob = encode_global(model, pils, size, cfg.device, cfg.encode_batch_size)
    best: tuple[float, LaclipParams] | None = None
    for scale in cfg.crop_scales:
        gal = build_gallery(model, pils, list(val.image_ids), size, cfg.device, cfg.encode_batch_size,
                            max(cfg.ks), scale, cfg.seed, _cache_file(cache_dir, key, val, max(cfg.ks), scale, cfg.seed), glob)
        for k, tau, alpha in itertools.product(sorted(cfg.ks), cfg.taus, cfg.alphas):
            params = LaclipParams(k, tau, alpha, scale)
            mr = retrieval_metrics(laclip_scores(texts, gal.global_emb, gal.crop_emb, params), positives)["MR"]
            if best is None or mr > best[0]:  # strict: ties keep the earlier (smaller K) setting
                best = (mr, params)
    global_mr = retrieval_metrics(texts @ glob[0].T, positives)["MR"]
    return Selection(best[1], best[0], global_mr)


def _cache_file(cache_dir: Path, model_key: str, split: Split, k: int, scale: tuple[float, float], seed: int) -> Path:
    return cache_dir / f"{model_key}-{split.name}-{split.fingerprint[:16]}-k{k}-s{scale[0]:g}_{scale[1]:g}-seed{seed}.npz"


def _row(name: str, metrics: dict) -> dict:
    return {"method": name, "t2i": metrics["t2i"], "i2t": metrics["i2t"], "MR": metrics["MR"]}


def _timing(gal: Gallery, n: int, k: int, finetune_s: float) -> dict:
    laclip_s = gal.seconds_global + gal.seconds_crops
    return {
        "global_images_per_s": n / gal.seconds_global if gal.seconds_global else None,
        "laclip_images_per_s": n / laclip_s if laclip_s else None,
        "laclip_overhead_ratio": laclip_s / ((k + 1) * gal.seconds_global) if gal.seconds_global else None,
        "finetune_seconds": finetune_s,
        "from_cache": gal.cached,
    }


def run_benchmark(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                  device: str = "cpu", out_dir: Path | None = None, seed: int = 0,
                  save_scores: bool = False, epochs: int | None = None) -> dict:
    """Given a dataset folder, score zero-shot (with a checkpoint), fine-tuned and fine-tuned +
    LACLIP retrieval on test; write out_dir/benchmark.json, print the table, return the json."""
    start = time.perf_counter()
    cfg = EvalConfig(model=model, checkpoint=checkpoint, device=device, seed=seed, epochs=epochs)
    _setup(cfg)
    data_dir = Path(data_dir)
    out_dir = Path(out_dir) if out_dir is not None else data_dir / "benchmark"
    cache_dir = out_dir / "cache"
    train, val, test = _splits(data_dir, cfg, need_test=True)
    size = resolution(cfg.model)
    test_pils = decode_all(test.images, test.image_ids)
    val_pils = decode_all(val.images, val.image_ids)
    positives = test.positives()
    rows = []

    if cfg.checkpoint is not None:
        zero = load_model(cfg.model, cfg.checkpoint, cfg.device)
        texts = encode_texts(zero, test.texts, cfg.device, cfg.encode_batch_size, cfg.context_length)
        images, _ = encode_global(zero, test_pils, size, cfg.device, cfg.encode_batch_size)
        rows.append(_row("zero-shot", retrieval_metrics(texts @ images.T, positives)))
        del zero

    tuned, result = _train(data_dir, cfg, train, val, out_dir / f"finetuned-{cfg.model}.pt")
    selection = _select(tuned, val, val_pils, size, cfg, cache_dir)
    params = selection.params
    texts = encode_texts(tuned, test.texts, cfg.device, cfg.encode_batch_size, cfg.context_length)
    gal = build_gallery(tuned, test_pils, list(test.image_ids), size, cfg.device, cfg.encode_batch_size,
                        params.k, params.crop_scale, cfg.seed,
                        _cache_file(cache_dir, fingerprint(tuned), test, params.k, params.crop_scale, cfg.seed))
    global_scores = texts @ gal.global_emb.T
    local_scores = laclip_scores(texts, gal.global_emb, gal.crop_emb, params)
    rows.append(_row("fine-tuned", retrieval_metrics(global_scores, positives)))
    rows.append(_row("fine-tuned+LACLIP", retrieval_metrics(local_scores, positives)))

    report = {
        "model": cfg.model,
        "checkpoint": str(cfg.checkpoint) if cfg.checkpoint is not None else None,
        "device": cfg.device,
        "device_name": _device_name(cfg),
        "n_images": test.n_images,
        "n_texts": test.n_texts,
        "params": {"K": params.k, "tau": params.tau, "alpha": params.alpha,
                   "crop_scale": list(params.crop_scale), "seed": cfg.seed,
                   "selected_on": "validation", "val_MR_laclip": selection.val_mr,
                   "val_MR_global": selection.val_mr_global},
        "finetune": _finetune_summary(result, cfg),
        "timing": _timing(gal, test.n_images, params.k, result.seconds),
        "rows": rows,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    if save_scores:
        np.savez_compressed(out_dir / "scores.npz", global_scores=global_scores, laclip_scores=local_scores,
                            pairs=np.array(test.pairs, dtype=np.int64).reshape(-1, 2),
                            texts=np.array(test.texts), image_ids=np.array(test.image_ids))
    report["timing"]["total_seconds"] = time.perf_counter() - start
    write_json(out_dir / "benchmark.json", report)
    print(format_table(report))
    return report


def _finetune_summary(result: FinetuneResult, cfg: EvalConfig) -> dict:
    return {"epochs": result.epochs, "steps": result.steps, "best_epoch": result.best_epoch,
            "batch_size": cfg.train_batch, "lr": cfg.learning_rate, "from_scratch": cfg.from_scratch,
            "val_MR_by_epoch": [h.val_mr for h in result.history]}


def _device_name(cfg: EvalConfig) -> str:
    import platform

    import torch

    if cfg.cuda:
        return torch.cuda.get_device_name(torch.device(cfg.device))
    return f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"

"""The entry points: fine-tune on train; benchmark zero-shot / fine-tuned / LACLIP (paper) /
LACLIP (tuned) on test, for one model or a list of sizes."""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from laclip_eval.config import EvalConfig, EvalConfigError, checkpoint_file
from laclip_eval.data import Split, check_leakage, read_split
from laclip_eval.encode import decode_all, encode_texts
from laclip_eval.finetune import FinetuneResult, finetune, seed_everything
from laclip_eval.laclip import (
    PAPER_PARAMS,
    Gallery,
    LaclipParams,
    build_gallery,
    encode_global,
    laclip_scores,
)
from laclip_eval.memory import estimate_gib
from laclip_eval.metrics import retrieval_metrics
from laclip_eval.models import (
    count_parameters,
    fingerprint,
    load_model,
    resolution,
    save_checkpoint,
)
from laclip_eval.report import format_multi_table, format_table, write_json


@dataclass(frozen=True, slots=True)
class Selection:
    params: LaclipParams
    val_mr: float
    val_mr_global: float


@dataclass(frozen=True, slots=True)
class Encoding:
    """How images become embeddings in one run: device, batch, precision, geometry, and the
    cache key part that says so (timings and bf16 embeddings differ across devices)."""

    size: int
    device: str
    batch: int
    precision: str
    geometry: str
    device_name: str

    @property
    def prep(self) -> dict:
        return {"precision": self.precision, "geometry": self.geometry}

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.device_name}|{self.precision}|{self.geometry}".encode()).hexdigest()[:10]


def _setup(cfg: EvalConfig) -> None:
    import torch

    if cfg.cuda and not torch.cuda.is_available():
        raise EvalConfigError("--device cuda asked for but torch sees no CUDA device: use --device cpu")
    if not cfg.cuda:
        torch.set_num_threads(cfg.threads)


def _splits(data_dir: Path, cfg: EvalConfig, need_test: bool) -> tuple[Split, Split, Split | None]:
    train = read_split(data_dir, "train", cfg.text_field)
    if not train.pairs and cfg.finetune:
        raise EvalConfigError(f"{data_dir}/train.parquet has no rows: nothing to fine-tune on")
    val = read_split(data_dir, "validation", cfg.text_field)
    test = read_split(data_dir, "test", cfg.text_field) if need_test else None
    if test is not None and not test.pairs:
        raise EvalConfigError(f"{data_dir}/test.parquet has no rows: nothing to benchmark")
    return train, val, test


def _train(cfg: EvalConfig, train: Split, val: Split, save: Path):
    seed_everything(cfg.seed)  # the from-scratch initialisation draws from torch's RNG
    model = load_model(cfg.model, cfg.checkpoint, cfg.device)
    size = resolution(cfg.model)
    print(f"fine-tuning {cfg.model} ({count_parameters(model) / 1e6:.1f}M parameters) on "
          f"{len(train.pairs)} train pairs, {cfg.n_epochs} epochs, batch {cfg.train_batch} "
          f"(x{cfg.grad_accum} accumulation), lr {cfg.learning_rate:g}, {cfg.amp}, "
          f"checkpointing {'on' if cfg.checkpointing else 'off'}, device {cfg.device}")
    if cfg.cuda:
        est = estimate_gib(cfg.model, cfg.train_batch // cfg.grad_accum, cfg.amp, cfg.checkpointing)
        print(f"estimated peak GPU memory {est:.0f} GiB (laclip_eval.memory)")
    result = finetune(model, train, val, size, cfg)
    save_checkpoint(model, save, cfg.model, epoch=result.best_epoch, step=result.steps)
    return model, result


def _config(model: str, checkpoint: Path | None, device: str, seed: int, epochs: int | None,
            options: dict) -> EvalConfig:
    try:
        return EvalConfig(model=model, checkpoint=checkpoint, device=device, seed=seed, epochs=epochs, **options)
    except TypeError as err:  # an option name EvalConfig does not have
        raise EvalConfigError(f"unknown benchmark option: {err}") from err


def run_finetune(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                 device: str = "cpu", save: Path | None = None, seed: int = 0,
                 epochs: int | None = None, **options) -> Path:
    """Given a dataset folder, fine-tune on train (best validation MR) and return the checkpoint path."""
    cfg = _config(model, checkpoint, device, seed, epochs, options)
    _setup(cfg)
    data_dir = Path(data_dir)
    check_leakage(data_dir)
    train, val, _ = _splits(data_dir, cfg, need_test=False)
    save = Path(save) if save is not None else data_dir / "benchmark" / f"finetuned-{model}.pt"
    _train(cfg, train, val, save)
    return save


def _select(model, val: Split, pils: list, enc: Encoding, cfg: EvalConfig, cache_dir: Path) -> Selection:
    """Grid-search K, tau, alpha and the crop scale on validation (never test), by LACLIP MR."""
    if not val.pairs:  # no validation split: the paper's setting with the grid's first values
        return Selection(LaclipParams(max(cfg.ks), cfg.taus[0], 0.0, cfg.crop_scales[0]), float("nan"), float("nan"))
    texts = encode_texts(model, val.texts, enc.device, enc.batch, cfg.context_length, precision=enc.precision)
    positives = val.positives()
    key = fingerprint(model)
    glob = encode_global(model, pils, enc.size, enc.device, enc.batch, **enc.prep)
    best: tuple[float, LaclipParams] | None = None
    for scale in cfg.crop_scales:
        gal = build_gallery(model, pils, list(val.image_ids), enc.size, enc.device, enc.batch, max(cfg.ks), scale,
                            cfg.seed, _cache_file(cache_dir, key, val, max(cfg.ks), scale, cfg.seed, enc), glob,
                            enc.device_name, **enc.prep)
        for k, tau, alpha in itertools.product(sorted(cfg.ks), cfg.taus, cfg.alphas):
            params = LaclipParams(k, tau, alpha, scale)
            mr = retrieval_metrics(laclip_scores(texts, gal.global_emb, gal.crop_emb, params), positives)["MR"]
            if best is None or mr > best[0]:  # strict: ties keep the earlier (smaller K) setting
                best = (mr, params)
    global_mr = retrieval_metrics(texts @ glob[0].T, positives)["MR"]
    return Selection(best[1], best[0], global_mr)


def _cache_file(cache_dir: Path, model_key: str, split: Split, k: int, scale: tuple[float, float], seed: int,
                enc: Encoding) -> Path:
    return cache_dir / (f"{model_key}-{split.name}-{split.fingerprint[:16]}-k{k}-s{scale[0]:g}_{scale[1]:g}"
                        f"-seed{seed}-{enc.key}.npz")


def _row(name: str, weights: str, metrics: dict) -> dict:
    return {"method": name, "weights": weights, "t2i": metrics["t2i"], "i2t": metrics["i2t"], "MR": metrics["MR"]}


def _timing(gal: Gallery, n: int, k: int) -> dict:
    laclip_s = gal.seconds_global + gal.seconds_crops
    return {
        "K": k,
        "global_images_per_s": n / gal.seconds_global if gal.seconds_global else None,
        "laclip_images_per_s": n / laclip_s if laclip_s else None,
        "laclip_overhead_ratio": laclip_s / ((k + 1) * gal.seconds_global) if gal.seconds_global else None,
        "from_cache": gal.cached,
        "measured_on": gal.measured_on,
    }


def _params(p: LaclipParams) -> dict:
    return {"K": p.k, "tau": p.tau, "alpha": p.alpha, "crop_scale": list(p.crop_scale)}


def run_benchmark(data_dir: Path, model: str = "tiny", checkpoint: Path | None = None,
                  device: str = "cpu", out_dir: Path | None = None, seed: int = 0,
                  save_scores: bool = False, epochs: int | None = None, quiet: bool = False,
                  **options) -> dict:
    """Given a dataset folder, score zero-shot (with a checkpoint), fine-tuned (or the given
    checkpoint with finetune=False), LACLIP (paper) and LACLIP (tuned) retrieval on test; write
    out_dir/benchmark.json, print the table, return the json. `options` are EvalConfig fields."""
    start = time.perf_counter()
    cfg = _config(model, checkpoint, device, seed, epochs, options)
    _setup(cfg)
    data_dir = Path(data_dir)
    out_dir = Path(out_dir) if out_dir is not None else data_dir / "benchmark"
    cache_dir = out_dir / "cache"
    leakage = check_leakage(data_dir)  # before anything is scored
    train, val, test = _splits(data_dir, cfg, need_test=True)
    enc = Encoding(resolution(cfg.model), cfg.device, cfg.encode_batch_size, cfg.amp, cfg.geometry, _device_name(cfg))
    # shrunk once to a long side of 4x the input: a quarter-area crop still has 2x the model's
    # pixels, and 60 crops of a 1887 px scan no longer cost 60 full-size resizes
    test_pils = decode_all(test.images, test.image_ids, max_side=4 * enc.size)
    val_pils = decode_all(val.images, val.image_ids, max_side=4 * enc.size)
    positives = test.positives()
    rows = []

    if cfg.finetune:
        if cfg.checkpoint is not None:
            zero = load_model(cfg.model, cfg.checkpoint, cfg.device)
            texts = encode_texts(zero, test.texts, enc.device, enc.batch, cfg.context_length, precision=enc.precision)
            images, _ = encode_global(zero, test_pils, enc.size, enc.device, enc.batch, **enc.prep)
            rows.append(_row("zero-shot", "given checkpoint", retrieval_metrics(texts @ images.T, positives)))
            del zero
        tuned, result = _train(cfg, train, val, out_dir / f"finetuned-{cfg.model}.pt")
        weights, base = "fine-tuned here on train", "fine-tuned"
    else:
        tuned, result = load_model(cfg.model, cfg.checkpoint, cfg.device), None
        weights, base = "given checkpoint, not fine-tuned here", "checkpoint"
    selection = _select(tuned, val, val_pils, enc, cfg, cache_dir)
    params = selection.params
    texts = encode_texts(tuned, test.texts, enc.device, enc.batch, cfg.context_length, precision=enc.precision)
    key, ids = fingerprint(tuned), list(test.image_ids)
    glob = encode_global(tuned, test_pils, enc.size, enc.device, enc.batch, **enc.prep)
    galleries = {}
    for name, p in (("paper", PAPER_PARAMS), ("tuned", params)):
        galleries[name] = build_gallery(tuned, test_pils, ids, enc.size, enc.device, enc.batch, p.k, p.crop_scale,
                                        cfg.seed, _cache_file(cache_dir, key, test, p.k, p.crop_scale, cfg.seed, enc),
                                        glob, enc.device_name, **enc.prep)
    gal = galleries["tuned"]
    global_scores = texts @ gal.global_emb.T
    paper_scores = laclip_scores(texts, galleries["paper"].global_emb, galleries["paper"].crop_emb, PAPER_PARAMS)
    tuned_scores = laclip_scores(texts, gal.global_emb, gal.crop_emb, params)
    rows.append(_row(base, weights, retrieval_metrics(global_scores, positives)))
    rows.append(_row("LACLIP (paper)", weights, retrieval_metrics(paper_scores, positives)))
    rows.append(_row("LACLIP (tuned)", weights, retrieval_metrics(tuned_scores, positives)))

    report = {
        "model": cfg.model,
        "checkpoint": str(cfg.checkpoint) if cfg.checkpoint is not None else None,
        "finetuned": cfg.finetune,
        "device": cfg.device,
        "device_name": enc.device_name,
        "precision": enc.precision,
        "geometry": enc.geometry,
        "n_images": test.n_images,
        "n_texts": test.n_texts,
        "leakage_check": {**leakage, "passed": True},
        "params": {**_params(params), "seed": cfg.seed, "selected_on": "validation",
                   "val_MR_laclip": selection.val_mr, "val_MR_global": selection.val_mr_global},
        "params_paper": {**_params(PAPER_PARAMS), "seed": cfg.seed, "selected_on": "fixed (paper / WCA)"},
        "finetune": _finetune_summary(result, cfg) if result is not None else None,
        "timing": {**_timing(gal, test.n_images, params.k),
                   "paper": _timing(galleries["paper"], test.n_images, PAPER_PARAMS.k),
                   "finetune_seconds": result.seconds if result is not None else None},
        "rows": rows,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    if save_scores:
        np.savez_compressed(out_dir / "scores.npz", global_scores=global_scores, laclip_paper_scores=paper_scores,
                            laclip_scores=tuned_scores, pairs=np.array(test.pairs, dtype=np.int64).reshape(-1, 2),
                            texts=np.array(test.texts), image_ids=np.array(test.image_ids))
    report["timing"]["total_seconds"] = time.perf_counter() - start
    write_json(out_dir / "benchmark.json", report)
    if not quiet:
        print(format_table(report))
    return report


def model_checkpoints(models: list[str], checkpoints: Path) -> list[tuple[str, Path]]:
    """Given model names and a folder, return (model, checkpoint path) using each model's released
    file name (clip_cn_vit-b-16.pt, ...); raise EvalConfigError naming every missing file."""
    checkpoints = Path(checkpoints)
    if not checkpoints.is_dir():
        raise EvalConfigError(f"--checkpoints {checkpoints} is not a folder")
    pairs = [(name, checkpoints / checkpoint_file(name)) for name in models]
    missing = [str(path) for _, path in pairs if not path.is_file()]
    if missing:
        raise EvalConfigError(f"checkpoint files missing: {', '.join(missing)}: download them (Chinese-CLIP's "
                              "README) into --checkpoints or drop those --models")
    return pairs


def run_models(data_dir: Path, models: list[str], checkpoints: Path | None = None, device: str = "cpu",
               out_dir: Path | None = None, seed: int = 0, epochs: int | None = None, **options) -> dict:
    """Given a dataset folder and model names (checkpoints from a folder, by released file name),
    run run_benchmark per model into out_dir/<model>/ and write out_dir/benchmark.json with every
    model's rows; print one table in the paper's layout; return the combined json."""
    from laclip_eval.config import MODELS

    unknown = [m for m in models if m not in MODELS]
    if not models or unknown:
        raise EvalConfigError(f"unknown --models {', '.join(unknown) or '(none)'}: use names from {', '.join(MODELS)}")
    data_dir = Path(data_dir)
    out_dir = Path(out_dir) if out_dir is not None else data_dir / "benchmark"
    save_scores = options.pop("save_scores", False)
    pairs = model_checkpoints(models, checkpoints) if checkpoints is not None else [(m, None) for m in models]
    for name, path in pairs:  # every config error before the first hour of training
        _config(name, path, device, seed, epochs, options)
    reports = []
    for name, path in pairs:
        print(f"== {name} ==")
        reports.append(run_benchmark(data_dir, model=name, checkpoint=path, device=device, out_dir=out_dir / name,
                                     seed=seed, epochs=epochs, quiet=True, save_scores=save_scores, **options))
    combined = {"models": models, "device": device, "reports": reports,
                "rows": [{"model": r["model"], **row} for r in reports for row in r["rows"]]}
    write_json(out_dir / "benchmark.json", combined)
    print(format_multi_table(reports))
    return combined


def _finetune_summary(result: FinetuneResult, cfg: EvalConfig) -> dict:
    return {"epochs": result.epochs, "steps": result.steps, "best_epoch": result.best_epoch,
            "batch_size": cfg.train_batch, "grad_accum": cfg.grad_accum, "lr": cfg.learning_rate,
            "weight_decay": cfg.decay, "recipe": cfg.recipe, "train_crop_scale": list(cfg.crop_scale_train),
            "precision": cfg.amp, "grad_checkpointing": cfg.checkpointing, "from_scratch": cfg.from_scratch,
            "val_MR_by_epoch": [h.val_mr for h in result.history]}


def _device_name(cfg: EvalConfig) -> str:
    import platform

    import torch

    if cfg.cuda:
        return torch.cuda.get_device_name(torch.device(cfg.device))
    return f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"

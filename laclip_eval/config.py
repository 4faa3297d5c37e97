"""The evaluation stage's one config: model, fine-tune schedule and the LACLIP search grid."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path


class EvalConfigError(Exception):
    """A configuration or input mistake, with the fix in one line (the CLI prints it)."""


# name -> (vision config, text config, input resolution, released checkpoint file name)
PRETRAINED: dict[str, tuple[str, str, int, str]] = {
    "RN50": ("RN50", "RBT3-chinese", 224, "clip_cn_rn50.pt"),
    "ViT-B-16": ("ViT-B-16", "RoBERTa-wwm-ext-base-chinese", 224, "clip_cn_vit-b-16.pt"),
    "ViT-L-14": ("ViT-L-14", "RoBERTa-wwm-ext-base-chinese", 224, "clip_cn_vit-l-14.pt"),
    "ViT-L-14-336": ("ViT-L-14-336", "RoBERTa-wwm-ext-base-chinese", 336, "clip_cn_vit-l-14-336.pt"),
    "ViT-H-14": ("ViT-H-14", "RoBERTa-wwm-ext-large-chinese", 224, "clip_cn_vit-h-14.pt"),
}
TINY_MODELS = ("tiny", "tiny-rn")
MODELS = (*TINY_MODELS, *PRETRAINED)
PRECISIONS = ("bf16", "fp16", "fp32")
# How a non-square image becomes the square input, in training and evaluation alike:
# pad: letterbox to a white square; stretch: resize to the square (aspect-following train crops);
# squash: the old behaviour (train: torchvision's absolute-ratio crop, fixed for long images)
GEOMETRIES = ("pad", "stretch", "squash")


def checkpoint_file(name: str) -> str:
    """Given a model name, return the checkpoint file name `--checkpoints DIR` looks for."""
    return PRETRAINED[name][3] if name in PRETRAINED else f"clip_cn_{name}.pt"

# A small ViT + small BERT through cn_clip's own CLIP class, trainable from scratch on 2 CPU cores.
TINY: dict[str, object] = {
    "embed_dim": 128,
    "image_resolution": 64,
    "vision_layers": 4,
    "vision_width": 128,
    "vision_patch_size": 8,
    "vision_head_width": 32,
    "vocab_size": 21128,  # cn_clip's vocab.txt, so cn_clip's tokenizer works unchanged
    "text_attention_probs_dropout_prob": 0.0,
    "text_hidden_act": "gelu",
    "text_hidden_dropout_prob": 0.0,
    "text_hidden_size": 128,
    "text_initializer_range": 0.02,
    "text_intermediate_size": 512,
    "text_max_position_embeddings": 64,
    "text_num_attention_heads": 4,
    "text_num_hidden_layers": 2,
    "text_type_vocab_size": 2,
}
# The same text tower with a small ModifiedResNet: the RN50 code path at test size.
TINY_RN: dict[str, object] = {**TINY, "vision_layers": [1, 1, 1, 1], "vision_width": 16,
                              "vision_patch_size": None, "vision_head_width": 64}


@dataclass(frozen=True, slots=True)
class Recipe:
    """A fine-tuning recipe: what `--recipe` sets unless a flag overrides it."""

    lr_scratch: float
    lr_checkpoint: float
    weight_decay: float
    warmup_frac: float
    warmup_steps: int | None  # overrides warmup_frac when set
    train_crop_scale: tuple[float, float]


RECIPES = {
    # ours: light augmentation, 10% warmup
    "culti": Recipe(1e-3, 2e-5, 0.1, 0.1, None, (0.6, 1.0)),
    # Chinese-CLIP's fine-tune scripts (muge/flickr30k-cn): lr 5e-5, wd 0.001, 100 warmup steps,
    # and its LMDBDataset augmentation crops 0.9-1.0 of the area
    "cn-clip": Recipe(1e-3, 5e-5, 0.001, 0.0, 100, (0.9, 1.0)),
}
# LACLIP as the paper draws it, K and crop weights as WCA (Li et al., ICML 2024) states them:
# 60 random crops, w = softmax_k(e^4 cos(u_k, u_img)), score = sum_k w_k cos(u_k, t), no global term.
PAPER_K = 60
PAPER_TAU = math.exp(-4)
PAPER_CROP_SCALE = (0.5, 0.9)
# On CUDA these sizes need activation checkpointing at batch 128 to stay under 80 GB (see
# laclip_eval.memory and docs/retrieval.md).
CHECKPOINTING_ON_CUDA = ("ViT-L-14-336", "ViT-H-14")


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise EvalConfigError(f"{name} must be > 0, got {value}")


@dataclass(frozen=True, slots=True)
class EvalConfig:
    """Everything run_finetune and run_benchmark need besides the data folder."""

    model: str = "tiny"
    checkpoint: Path | None = None
    device: str = "cpu"
    seed: int = 0
    epochs: int | None = None  # None: 40 for tiny from scratch, 5 when fine-tuning a checkpoint
    batch_size: int | None = None  # None: 32 on CPU, 128 on CUDA
    grad_accum: int = 1
    recipe: str = "culti"  # RECIPES: lr, weight decay, warmup and crop scale unless set below
    lr: float | None = None  # None: the recipe's (1e-3 from scratch; 2e-5, cn-clip 5e-5 from a checkpoint)
    weight_decay: float | None = None
    warmup_frac: float | None = None
    warmup_steps: int | None = None
    precision: str | None = None  # None: bf16 on CUDA, fp32 on CPU
    grad_checkpointing: bool | None = None  # None: on for CHECKPOINTING_ON_CUDA sizes on CUDA
    finetune: bool = True  # False: score the given checkpoint as it is (--no-finetune)
    geometry: str = "stretch"  # GEOMETRIES: how a non-square image becomes the square model input
    context_length: int = 52  # cn_clip's default for every released model
    text_field: str = "text"  # the description, as in CulTi
    train_crop_scale: tuple[float, float] | None = None  # None: the recipe's random resized crop area
    # LACLIP grid, searched on validation; crops are nested so only max(ks) per scale are encoded
    ks: tuple[int, ...] = (2, 4, 8)
    taus: tuple[float, ...] = (0.02, 0.1, 1.0)
    alphas: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75)
    crop_scales: tuple[tuple[float, float], ...] = ((0.25, 0.5), (0.5, 0.9))
    encode_batch: int | None = None  # None: 256 on CPU, 1024 on CUDA
    threads: int = 2  # torch CPU threads (this project's reference machine has 2 cores)
    workers: int | None = None  # augmentation processes; None: 0 on CPU, up to 8 on CUDA

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise EvalConfigError(f"unknown model {self.model!r}: use one of {', '.join(MODELS)}")
        if self.device not in ("cpu", "cuda") and not self.device.startswith("cuda:"):
            raise EvalConfigError(f"device must be cpu or cuda, got {self.device!r}")
        if self.epochs is not None and self.epochs < 0:
            raise EvalConfigError(f"--epochs must be >= 0, got {self.epochs}")
        if self.batch_size is not None and self.batch_size < 2:
            raise EvalConfigError(f"batch size must be >= 2 (contrastive loss), got {self.batch_size}")
        if self.grad_accum < 1:
            raise EvalConfigError(f"grad_accum must be >= 1, got {self.grad_accum}")
        if self.recipe not in RECIPES:
            raise EvalConfigError(f"unknown --recipe {self.recipe!r}: use one of {', '.join(RECIPES)}")
        if self.precision is not None and self.precision not in PRECISIONS:
            raise EvalConfigError(f"--precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}")
        if self.precision == "fp16" and not self.cuda:
            raise EvalConfigError("--precision fp16 needs --device cuda (use bf16 or fp32 on CPU)")
        if self.geometry not in GEOMETRIES:
            raise EvalConfigError(f"geometry must be one of {', '.join(GEOMETRIES)}, got {self.geometry!r}")
        if self.lr is not None:
            _positive("--lr", self.lr)
        if self.weight_decay is not None and self.weight_decay < 0:
            raise EvalConfigError(f"weight decay must be >= 0, got {self.weight_decay}")
        if self.warmup_frac is not None and not 0 <= self.warmup_frac < 1:
            raise EvalConfigError(f"warmup_frac must be in [0, 1), got {self.warmup_frac}")
        if self.warmup_steps is not None and self.warmup_steps < 0:
            raise EvalConfigError(f"warmup steps must be >= 0, got {self.warmup_steps}")
        if not self.finetune and self.checkpoint is None:
            raise EvalConfigError("--no-finetune scores a given checkpoint: pass --checkpoint PATH (or --checkpoints DIR)")
        if not self.ks or min(self.ks) < 1:
            raise EvalConfigError(f"LACLIP crop counts must be >= 1, got {self.ks}")
        for tau in self.taus:
            _positive("tau", tau)
        if not self.alphas or any(not 0 <= a <= 1 for a in self.alphas):
            raise EvalConfigError(f"alpha must be in [0, 1], got {self.alphas}")
        for lo, hi in (*self.crop_scales, self.crop_scale_train):
            if not 0 < lo <= hi <= 1:
                raise EvalConfigError(f"crop scale must satisfy 0 < lo <= hi <= 1, got ({lo}, {hi})")
        if self.checkpoint is not None and not Path(self.checkpoint).is_file():
            raise EvalConfigError(f"checkpoint {self.checkpoint} not found: pass an existing cn_clip .pt file")
        if self.checkpoint is None and self.model not in TINY_MODELS:
            _, _, _, file_name = PRETRAINED[self.model]
            raise EvalConfigError(
                f"model {self.model} needs its pretrained weights: download {file_name} (links in "
                f"Chinese-CLIP's README, or the cache cn_clip.clip.load_from_name('{self.model}') "
                f"fills, ~/.cache/clip/{file_name}) and pass --checkpoint PATH; nothing is downloaded"
            )

    @property
    def cuda(self) -> bool:
        return self.device.startswith("cuda")

    @property
    def from_scratch(self) -> bool:
        return self.checkpoint is None

    @property
    def n_epochs(self) -> int:
        if self.epochs is not None:
            return self.epochs
        return 40 if self.from_scratch else 5

    @property
    def learning_rate(self) -> float:
        if self.lr is not None:
            return self.lr
        r = RECIPES[self.recipe]
        return r.lr_scratch if self.from_scratch else r.lr_checkpoint

    @property
    def decay(self) -> float:
        return self.weight_decay if self.weight_decay is not None else RECIPES[self.recipe].weight_decay

    def warmup(self, total_steps: int) -> int:
        """Given the schedule's length in optimizer steps, return the warmup steps."""
        if self.warmup_steps is not None:
            return min(self.warmup_steps, total_steps)
        if self.warmup_frac is not None:
            return int(self.warmup_frac * total_steps)
        r = RECIPES[self.recipe]
        return min(r.warmup_steps, total_steps) if r.warmup_steps is not None else int(r.warmup_frac * total_steps)

    @property
    def crop_scale_train(self) -> tuple[float, float]:
        return self.train_crop_scale if self.train_crop_scale is not None else RECIPES[self.recipe].train_crop_scale

    @property
    def amp(self) -> str:
        """The autocast precision: bf16 on CUDA and fp32 on CPU unless --precision says otherwise."""
        if self.precision is not None:
            return self.precision
        return "bf16" if self.cuda else "fp32"

    @property
    def checkpointing(self) -> bool:
        if self.grad_checkpointing is not None:
            return self.grad_checkpointing
        return self.cuda and self.model in CHECKPOINTING_ON_CUDA

    @property
    def train_batch(self) -> int:
        if self.batch_size is not None:
            return self.batch_size
        return 128 if self.cuda else 32

    @property
    def loader_workers(self) -> int:
        if self.workers is not None:
            return self.workers
        return min(8, max(1, (os.cpu_count() or 2) - 1)) if self.cuda else 0

    @property
    def encode_batch_size(self) -> int:
        if self.encode_batch is not None:
            return self.encode_batch
        return 1024 if self.cuda else 256

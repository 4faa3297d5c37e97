"""The evaluation stage's one config: model, fine-tune schedule and the LACLIP search grid."""

from __future__ import annotations

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
MODELS = ("tiny", *PRETRAINED)

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
    lr: float | None = None  # None: 1e-3 for tiny from scratch, 2e-5 when fine-tuning
    weight_decay: float = 0.1
    warmup_frac: float = 0.1
    context_length: int = 52  # cn_clip's default for every released model
    text_field: str = "text"  # the description, as in CulTi
    train_crop_scale: tuple[float, float] = (0.6, 1.0)  # light augmentation: random resized crop
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
        if self.lr is not None:
            _positive("lr", self.lr)
        if not 0 <= self.warmup_frac < 1:
            raise EvalConfigError(f"warmup_frac must be in [0, 1), got {self.warmup_frac}")
        if not self.ks or min(self.ks) < 1:
            raise EvalConfigError(f"LACLIP crop counts must be >= 1, got {self.ks}")
        for tau in self.taus:
            _positive("tau", tau)
        if not self.alphas or any(not 0 <= a <= 1 for a in self.alphas):
            raise EvalConfigError(f"alpha must be in [0, 1], got {self.alphas}")
        for lo, hi in (*self.crop_scales, self.train_crop_scale):
            if not 0 < lo <= hi <= 1:
                raise EvalConfigError(f"crop scale must satisfy 0 < lo <= hi <= 1, got ({lo}, {hi})")
        if self.checkpoint is not None and not Path(self.checkpoint).is_file():
            raise EvalConfigError(f"checkpoint {self.checkpoint} not found: pass an existing cn_clip .pt file")
        if self.checkpoint is None and self.model != "tiny":
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
        return 1e-3 if self.from_scratch else 2e-5

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

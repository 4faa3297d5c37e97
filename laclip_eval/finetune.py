"""Contrastive fine-tuning: symmetric InfoNCE on train, best validation MR picks the epoch."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from laclip_eval.config import EvalConfig
from laclip_eval.data import Split
from laclip_eval.encode import autocast, decode_all, encode_pils, encode_texts
from laclip_eval.metrics import retrieval_metrics
from laclip_eval.models import MEAN, STD, tokenize


@dataclass(frozen=True, slots=True)
class EpochLog:
    epoch: int  # 0 is the model before training
    loss: float | None
    val_mr: float | None


@dataclass(frozen=True, slots=True)
class FinetuneResult:
    epochs: int
    steps: int
    best_epoch: int
    history: tuple[EpochLog, ...]
    seconds: float


def seed_everything(seed: int) -> None:
    import random

    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _optimizer(model, lr: float, weight_decay: float):
    import torch

    decay, no_decay = [], []
    for name, p in model.named_parameters():
        # norms, biases, embeddings and the temperature are not shrunk (CLIP practice)
        skip = p.ndim < 2 or "embedding" in name or "ln" in name or "LayerNorm" in name or "logit_scale" in name
        (no_decay if skip else decay).append(p)
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.98), eps=1e-6)


def _cosine(optimizer, total: int, warmup: int):
    import torch

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


class AspectCrop:
    """Given a PIL image, return a random crop of `scale` of its area whose aspect ratio is the
    image's own times 3/4-4/3, so a crop always fits: a 6:1 silk band gets a different crop every
    epoch instead of torchvision's fixed centre-crop fallback (its ratios 3/4-4/3 are absolute)."""

    def __init__(self, scale: tuple[float, float]) -> None:
        self.scale = scale

    def box(self, image) -> tuple[int, int, int, int]:
        """Given a PIL image, return a random crop box (x0, y0, x1, y1) drawn from torch's RNG."""
        from torchvision import transforms as T

        aspect = image.width / image.height
        top, left, h, w = T.RandomResizedCrop.get_params(image, list(self.scale), [aspect * 3 / 4, aspect * 4 / 3])
        return left, top, left + w, top + h

    def __call__(self, image):
        return image.crop(self.box(image))


def train_transform(size: int, scale: tuple[float, float], geometry: str = "stretch"):
    """Return the training augmentation: a random crop of `scale` of the area, then the same
    geometry as evaluation (letterbox to a square for "pad", resize to it for "stretch"; "squash"
    is the old absolute-ratio crop, kept for comparisons)."""
    from torchvision import transforms as T

    from laclip_eval.encode import Letterbox

    # no colour jitter: descriptions name colours
    if geometry == "squash":
        crop = [T.RandomResizedCrop(size, scale=scale, ratio=(3 / 4, 4 / 3), interpolation=T.InterpolationMode.BICUBIC)]
    elif geometry == "stretch":
        crop = [AspectCrop(scale), T.Resize((size, size), interpolation=T.InterpolationMode.BICUBIC)]
    else:
        crop = [AspectCrop(scale), Letterbox(size)]
    return T.Compose([*crop, T.ToTensor(), T.Normalize(MEAN, STD)])


def contrastive_loss(image_emb, text_emb, logit_scale, same_image, same_text):
    """Symmetric InfoNCE; rows sharing an image or a text are all positives: each side's targets
    spread evenly over its positives (every target row sums to 1)."""
    import torch
    import torch.nn.functional as F

    image_emb = F.normalize(image_emb.float(), dim=-1)
    text_emb = F.normalize(text_emb.float(), dim=-1)
    logits = logit_scale.exp() * image_emb @ text_emb.T  # [image of row i, text of row j]
    positive = (same_image | same_text).float()
    target_i = positive / positive.sum(dim=1, keepdim=True)
    target_t = positive.T / positive.T.sum(dim=1, keepdim=True)
    loss_i = torch.sum(-target_i * F.log_softmax(logits, dim=1), dim=1).mean()
    loss_t = torch.sum(-target_t * F.log_softmax(logits.T, dim=1), dim=1).mean()
    return (loss_i + loss_t) / 2


class _Augmented:
    """Micro-batches of augmented pixels, indexable so a DataLoader's workers can build them."""

    def __init__(self, batches: list, pils: list, augment) -> None:
        self.batches, self.pils, self.augment = batches, pils, augment

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, index: int):
        import torch

        return torch.stack([self.augment(self.pils[i]) for i in self.batches[index][:, 1]])


def _pixel_batches(batches: list, pils: list, augment, cfg: EvalConfig, epoch: int):
    """Yield augmented pixel batches in order: in-process on CPU, from worker processes on CUDA
    (PIL decoding and resizing would otherwise starve the GPU). Seeded per epoch either way."""
    import torch

    data = _Augmented(batches, pils, augment)
    if cfg.loader_workers == 0:
        return iter(data[i] for i in range(len(data)))
    generator = torch.Generator().manual_seed(cfg.seed * 1000 + epoch)
    loader = torch.utils.data.DataLoader(data, batch_size=None, shuffle=False, num_workers=cfg.loader_workers,
                                         pin_memory=cfg.cuda, generator=generator, prefetch_factor=4)
    return iter(loader)


def validation_mr(model, pils: list, split: Split, size: int, cfg: EvalConfig) -> float | None:
    """Given decoded validation images, return the global-embedding MR (None for an empty split)."""
    if not split.pairs:
        return None
    model.eval()
    images = encode_pils(model, pils, size, cfg.device, cfg.encode_batch_size, precision=cfg.amp, geometry=cfg.geometry)
    texts = encode_texts(model, split.texts, cfg.device, cfg.encode_batch_size, cfg.context_length, precision=cfg.amp)
    return retrieval_metrics(texts @ images.T, split.positives())["MR"]


def finetune(model, train: Split, val: Split, size: int, cfg: EvalConfig, log=print) -> FinetuneResult:
    """Given a model, train and validation splits, train in place and leave the best-validation
    weights loaded; return the schedule's log."""
    import torch

    seed_everything(cfg.seed)
    start = time.perf_counter()
    train_pils = decode_all(train.images, train.image_ids, max_side=max(2 * size, 128))
    val_pils = decode_all(val.images, val.image_ids, max_side=4 * size)  # as the benchmark decodes them
    tokens = tokenize(train.texts, cfg.context_length)
    pairs = np.array(train.pairs, dtype=np.int64).reshape(-1, 2)
    micro = cfg.train_batch // cfg.grad_accum if cfg.grad_accum > 1 else cfg.train_batch
    steps_per_epoch = max(1, len(pairs) // (micro * cfg.grad_accum))
    total = steps_per_epoch * cfg.n_epochs
    opt = _optimizer(model, cfg.learning_rate, cfg.decay)
    sched = _cosine(opt, total, warmup=cfg.warmup(total))
    augment = train_transform(size, cfg.crop_scale_train, cfg.geometry)
    rng = np.random.default_rng(cfg.seed)
    model.to(cfg.device)
    model.set_grad_checkpointing(cfg.checkpointing)
    # fp16 needs loss scaling; bf16 has fp32's range and fp32 needs nothing
    scaler = torch.amp.GradScaler("cuda", enabled=cfg.amp == "fp16")

    best_mr = validation_mr(model, val_pils, val, size, cfg)
    history = [EpochLog(0, None, best_mr)]
    best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    best_epoch, step = 0, 0
    for epoch in range(1, cfg.n_epochs + 1):
        model.train()
        order = pairs[rng.permutation(len(pairs))]
        batches = [order[(s * cfg.grad_accum + a) * micro:][:micro]
                   for s in range(steps_per_epoch) for a in range(cfg.grad_accum)]
        pixel_batches = _pixel_batches(batches, train_pils, augment, cfg, epoch)
        losses = []
        for s in range(steps_per_epoch):
            opt.zero_grad(set_to_none=True)
            for a in range(cfg.grad_accum):
                batch = batches[s * cfg.grad_accum + a]
                t_idx, i_idx = torch.from_numpy(batch[:, 0]), torch.from_numpy(batch[:, 1])
                pixels = next(pixel_batches).to(cfg.device, non_blocking=True)
                with autocast(cfg.device, cfg.amp):
                    img = model.encode_image(pixels)
                    txt = model.encode_text(tokens[t_idx].to(cfg.device))
                same_i = (i_idx[:, None] == i_idx[None, :]).to(cfg.device)
                same_t = (t_idx[:, None] == t_idx[None, :]).to(cfg.device)
                loss = contrastive_loss(img, txt, model.logit_scale, same_i, same_t) / cfg.grad_accum
                scaler.scale(loss).backward()
                losses.append(float(loss.detach()) * cfg.grad_accum)
            scaler.unscale_(opt)
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            scaler.step(opt)
            scaler.update()
            sched.step()
            step += 1
            with torch.no_grad():  # CLIP caps the temperature at 100
                model.logit_scale.clamp_(0, math.log(100))
        mr = validation_mr(model, val_pils, val, size, cfg)
        history.append(EpochLog(epoch, float(np.mean(losses)) if losses else None, mr))
        log(f"epoch {epoch}/{cfg.n_epochs}  loss {history[-1].loss or 0:.3f}  val MR {mr if mr is not None else float('nan'):.1f}")
        if mr is None or best_mr is None or mr > best_mr:
            best_mr, best_epoch = mr, epoch
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model.set_grad_checkpointing(False)
    model.eval()
    return FinetuneResult(cfg.n_epochs, step, best_epoch, tuple(history), time.perf_counter() - start)

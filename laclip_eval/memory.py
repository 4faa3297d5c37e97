"""A peak-GPU-memory estimate for fine-tuning, to pick batch size, precision and activation
checkpointing per model before a run (the figures in docs/retrieval.md come from here).

Weights, gradients and AdamW moments in fp32: 16 bytes per parameter (autocast keeps fp32 master
weights). Transformer activations per layer and sample, with 2-byte (bf16/fp16) activations:
s*h*34 + 5*a*s^2 bytes (Korthikanti et al. 2022, "Reducing activation recomputation", no
sequence parallelism), doubled for fp32; with checkpointing only each layer's 2*s*h input is kept,
plus one layer's full activations during recomputation. A ModifiedResNet is taken as 43 MB per
sample at 224 px in half precision (ResNet-50 training), scaled by resolution^2 and width.
Plus 1.5 GiB for the CUDA context, cuBLAS workspaces and allocator slack. An upper bound when
attention runs through fused kernels (the s^2 term then mostly vanishes)."""

from __future__ import annotations

from functools import cache

GIB = 2**30


@cache
def parameter_count(name: str) -> int:
    """Given a model name, return its parameter count (built on the meta device: no memory)."""
    import torch
    from cn_clip.clip.model import CLIP

    from laclip_eval.models import model_info

    with torch.device("meta"):
        model = CLIP(**model_info(name))
    return sum(p.numel() for p in model.parameters())


def _transformer_bytes(s: int, h: int, a: int, layers: int, act_bytes: int, checkpointing: bool) -> float:
    full = (s * h * 34 + 5 * a * s * s) * act_bytes / 2
    if checkpointing:
        return layers * s * h * act_bytes + full
    return layers * full


def activation_bytes_per_sample(name: str, precision: str, checkpointing: bool) -> float:
    """Given a model name, precision and checkpointing, return training activation bytes per sample."""
    from laclip_eval.models import model_info

    info = model_info(name)
    act = 4 if precision == "fp32" else 2
    res = int(info["image_resolution"])
    if isinstance(info["vision_layers"], list):
        # cn_clip cannot checkpoint a ResNet, so checkpointing saves nothing on this side
        vision = 43e6 * (res / 224) ** 2 * (int(info["vision_width"]) / 64) * act / 2
    else:
        s = (res // int(info["vision_patch_size"])) ** 2 + 1
        h = int(info["vision_width"])
        vision = _transformer_bytes(s, h, h // int(info.get("vision_head_width", 64)), int(info["vision_layers"]),
                                    act, checkpointing)
    text = _transformer_bytes(52, int(info["text_hidden_size"]), int(info["text_num_attention_heads"]),
                              int(info["text_num_hidden_layers"]), act, checkpointing)
    return vision + text


def estimate_gib(name: str, micro_batch: int, precision: str, checkpointing: bool) -> float:
    """Given a model name, the per-step (micro-)batch, precision and checkpointing, return the
    estimated peak GPU memory of fine-tuning in GiB."""
    states = 16 * parameter_count(name)
    acts = micro_batch * activation_bytes_per_sample(name, precision, checkpointing)
    return (states + acts) / GIB + 1.5

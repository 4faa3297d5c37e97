"""Chinese-CLIP models through cn_clip's own CLIP class: build, load and save in cn_clip's format."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from laclip_eval.config import PRETRAINED, TINY, TINY_RN, EvalConfigError

MEAN = (0.48145466, 0.4578275, 0.40821073)  # CLIP's, as in cn_clip.clip.image_transform
STD = (0.26862954, 0.26130258, 0.27577711)


def model_info(name: str) -> dict:
    """Given a model name, return the CLIP(**info) arguments from cn_clip's model_configs JSONs."""
    if name == "tiny":
        return dict(TINY)
    if name == "tiny-rn":
        return {**TINY_RN, "vision_layers": list(TINY_RN["vision_layers"])}
    from cn_clip.clip import utils as cn_utils

    vision, text, _, _ = PRETRAINED[name]
    folder = Path(cn_utils.__file__).parent / "model_configs"
    info = json.loads((folder / f"{vision}.json").read_text())
    info.update(json.loads((folder / f"{text}.json").read_text()))
    if isinstance(info["vision_layers"], str):  # RN50 stores "[3,4,6,3]"
        info["vision_layers"] = json.loads(info["vision_layers"])
    return info


def struct_name(name: str) -> str:
    """Given a model name, return cn_clip's `vision@text` name stored in checkpoints."""
    if name not in PRETRAINED:
        return name
    vision, text, _, _ = PRETRAINED[name]
    return f"{vision}@{text}"


def resolution(name: str) -> int:
    return int(model_info(name)["image_resolution"])


def build_model(name: str):
    """Given a model name, return a randomly initialised fp32 cn_clip CLIP."""
    from cn_clip.clip.model import CLIP

    return CLIP(**model_info(name)).float()


def _clean_state_dict(state: dict) -> dict:
    """Strip DDP's "module." prefix and drop BERT pooler weights, as cn_clip's loader does."""
    out = {}
    for key, value in state.items():
        key = key[len("module."):] if key.startswith("module.") else key
        if "bert.pooler" not in key:
            out[key] = value
    return out


def load_weights(model, checkpoint: Path) -> dict:
    """Given a model and a cn_clip checkpoint file, load its state_dict; return the checkpoint's
    other fields (epoch, step, name)."""
    import torch

    try:
        payload = torch.load(checkpoint, map_location="cpu", weights_only=False)
    except Exception as err:  # torch raises many types for a file that is not a checkpoint
        raise EvalConfigError(f"{checkpoint}: not a readable torch checkpoint ({err})") from err
    state = payload.get("state_dict") if isinstance(payload, dict) else None
    if state is None:
        raise EvalConfigError(f"{checkpoint}: no 'state_dict' key: expected a cn_clip checkpoint")
    try:
        model.load_state_dict(_clean_state_dict(state))
    except RuntimeError as err:
        first = str(err).splitlines()[0:2]
        raise EvalConfigError(
            f"{checkpoint} does not fit this model ({' '.join(first)[:200]}): pick the --model it was trained as"
        ) from err
    return {k: v for k, v in payload.items() if k not in ("state_dict", "optimizer")}


def load_model(name: str, checkpoint: Path | None, device: str = "cpu"):
    """Given a model name and an optional cn_clip checkpoint, return the fp32 model on device."""
    model = build_model(name)
    if checkpoint is not None:
        load_weights(model, Path(checkpoint))
    return model.to(device).eval()


def save_checkpoint(model, path: Path, name: str, epoch: int, step: int, optimizer=None) -> Path:
    """Write a checkpoint cn_clip loads back: {"epoch", "step", "name", "state_dict"[, "optimizer"]}
    with "module."-prefixed keys, as Chinese-CLIP's training script writes them."""
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {f"module.{k}": v.detach().cpu() for k, v in model.state_dict().items()}
    payload = {"epoch": epoch, "step": step, "name": struct_name(name), "state_dict": state}
    if optimizer is not None:
        payload["optimizer"] = optimizer.state_dict()
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(payload, tmp)
    tmp.replace(path)  # never leave a half-written checkpoint under the final name
    return path


def fingerprint(model) -> str:
    """Return a sha256 over the model's weights: the gallery cache key."""
    digest = hashlib.sha256()
    for key, value in sorted(model.state_dict().items()):
        digest.update(key.encode())
        digest.update(value.detach().float().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:20]


def tokenize(texts: list[str], context_length: int = 52):
    """Given texts, return cn_clip token ids [n, context_length] (cn_clip's tokenizer and vocab)."""
    from cn_clip.clip import tokenize as cn_tokenize

    return cn_tokenize(list(texts), context_length=context_length)


def count_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())

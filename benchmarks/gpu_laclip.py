"""GPU check for laclip_eval: a few fine-tune steps of a random-init ViT-B-16 and LACLIP encoding.

Reports training images/s, global and LACLIP encoding images/s, peak GPU memory and the ratio
LACLIP encode cost / ((K+1) x global encode cost) (target <= 1.1). Prints one JSON object.

    .venv/bin/python benchmarks/gpu_laclip.py --data data/out                      # CUDA, ViT-B-16
    .venv/bin/python benchmarks/gpu_laclip.py --device cpu --model tiny --steps 3   # CPU smoke test
Without --data it writes a synthetic dataset folder to a temporary directory first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def finetune_steps(model, split, size: int, args) -> dict:
    """Run args.steps optimizer steps of symmetric InfoNCE; return images/s (after one warm-up step)."""
    import numpy as np
    import torch

    from laclip_eval.encode import autocast, decode_all
    from laclip_eval.finetune import _train_transform, contrastive_loss
    from laclip_eval.models import tokenize

    pils = decode_all(split.images, split.image_ids, max_side=2 * size)
    tokens = tokenize(split.texts)
    pairs = np.array(split.pairs)
    augment = _train_transform(size, (0.6, 1.0))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
    rng = np.random.default_rng(0)
    model.train()
    timed, seconds = 0, 0.0
    for step in range(args.steps + 1):
        batch = pairs[rng.integers(0, len(pairs), args.batch)]
        _sync(args.device)
        start = time.perf_counter()
        pixels = torch.stack([augment(pils[i]) for i in batch[:, 1]]).to(args.device)
        t_idx, i_idx = torch.from_numpy(batch[:, 0]), torch.from_numpy(batch[:, 1])
        with autocast(args.device):
            img = model.encode_image(pixels)
            txt = model.encode_text(tokens[t_idx].to(args.device))
        same_i = (i_idx[:, None] == i_idx[None, :]).to(args.device)
        same_t = (t_idx[:, None] == t_idx[None, :]).to(args.device)
        loss = contrastive_loss(img, txt, model.logit_scale, same_i, same_t)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        _sync(args.device)
        if step > 0:  # the first step pays for CUDA kernels and allocator warm-up
            timed += len(batch)
            seconds += time.perf_counter() - start
    return {"train_steps": args.steps, "train_batch": args.batch, "train_images_per_s": timed / seconds if seconds else None,
            "last_loss": float(loss.detach())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="a culti dataset folder (default: synthetic)")
    parser.add_argument("--model", default="ViT-B-16", help="tiny or a cn_clip size (random init)")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--split", default="test")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--encode-batch", type=int, default=1024)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--scale", type=float, nargs=2, default=(0.25, 0.5))
    parser.add_argument("--repeat", type=int, default=1, help="tile the split's images this many times")
    args = parser.parse_args(argv)

    import torch

    from laclip_eval.data import read_split
    from laclip_eval.encode import decode_all
    from laclip_eval.laclip import encode_crops, encode_global
    from laclip_eval.models import build_model, count_parameters, resolution
    from laclip_eval.synthetic import write_synthetic_dataset

    if args.device == "cpu":
        torch.set_num_threads(2)
    data = args.data or write_synthetic_dataset(Path(tempfile.mkdtemp(prefix="gpu_laclip_")), n=600, size=256)
    train = read_split(data, "train")
    split = read_split(data, args.split)
    torch.manual_seed(0)
    model = build_model(args.model).to(args.device)
    size = resolution(args.model)
    if args.device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    result = {"model": args.model, "parameters_m": count_parameters(model) / 1e6, "device": args.device,
              "device_name": torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu",
              "data": str(data)}
    result.update(finetune_steps(model, train, size, args))

    model.eval()
    pils = decode_all(split.images, split.image_ids) * args.repeat
    ids = [f"{i}:{image_id}" for i, image_id in enumerate(list(split.image_ids) * args.repeat)]
    encode_global(model, pils[: min(len(pils), 64)], size, args.device, args.encode_batch)  # warm-up
    _, t_global = encode_global(model, pils, size, args.device, args.encode_batch)
    _, t_crops = encode_crops(model, pils, ids, size, args.device, args.encode_batch, args.k, tuple(args.scale), 0)
    n = len(pils)
    result.update({
        "images": n, "K": args.k, "crop_scale": list(args.scale),
        "global_images_per_s": n / t_global,
        "crop_images_per_s": n * args.k / t_crops,
        "laclip_images_per_s": n / (t_global + t_crops),
        "laclip_cost_ratio": (t_global + t_crops) / ((args.k + 1) * t_global),
        "peak_gpu_memory_gib": torch.cuda.max_memory_allocated() / 2**30 if args.device.startswith("cuda") else None,
    })
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

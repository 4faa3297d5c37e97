"""What training crops and evaluation inputs cover of long, thin images, before and after the
geometry fix (letterbox to a square + crops whose aspect ratio follows the image's).

For every image (a culti dataset folder's splits, and/or a folder of PNG/JPEG files such as
CulTi's sample_images/), at the model resolution:
  old training crop: torchvision RandomResizedCrop(scale 0.6-1.0, ratio 3/4-4/3) on the image
    pre-shrunk to a long side of max(2 x size, 128): share of the image area covered (mean over
    draws), distinct crops over the draws, short side after the pre-shrink;
  new training crop: AspectCrop(0.6-1.0) then letterbox: the same measures;
  evaluation: old squash factor (how much one axis is stretched relative to the other) vs 1.0 for
    the letterbox, and the content size inside the size x size input.
Prints a markdown table (images wider than 2.2:1 marked) and the means.

    python benchmarks/bench_laclip_geometry.py --images /work/shared/culti_samples/sample_images
    python benchmarks/bench_laclip_geometry.py --data data/out
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def measure(image, size: int, draws: int) -> dict:
    """Given a PIL image, return the crop coverage and eval geometry, old vs new."""
    import torch
    from PIL import Image
    from torchvision import transforms as T

    from laclip_eval.finetune import AspectCrop

    w, h = image.size
    shrunk = image.copy()
    side = max(2 * size, 128)
    if max(shrunk.size) > side:
        shrunk.thumbnail((side, side), Image.Resampling.BICUBIC)
    sw, sh = shrunk.size
    torch.manual_seed(0)
    old = [T.RandomResizedCrop.get_params(shrunk, [0.6, 1.0], [3 / 4, 4 / 3]) for _ in range(draws)]
    new_crop = AspectCrop((0.6, 1.0))
    new = [new_crop.box(shrunk) for _ in range(draws)]
    aspect = max(w, h) / min(w, h)
    return {
        "size": f"{w}x{h}", "aspect": aspect, "long": aspect > 2.2,
        "short_side_after_preshrink": min(sw, sh),
        "old_area": sum(cw * ch for _, _, ch, cw in old) / draws / (sw * sh),
        "old_distinct": len(set(old)),
        "new_area": sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in new) / draws / (sw * sh),
        "new_distinct": len(set(new)),
        "old_eval_stretch": aspect,  # squash to size x size stretches the short axis `aspect` times more
        "new_eval_content": f"{size}x{max(1, round(size / aspect))}",
    }


def images_from(args) -> list[tuple[str, object]]:
    from laclip_eval.data import decode_image, read_split

    out = []
    if args.images is not None:
        for path in sorted(args.images.iterdir(), key=lambda p: (len(p.stem), p.stem)):
            if path.suffix.lower() in (".png", ".jpg", ".jpeg"):
                out.append((path.name, decode_image(path.read_bytes())))
    if args.data is not None:
        for split in ("train", "validation", "test"):
            part = read_split(args.data, split)
            out += [(i, decode_image(b)) for i, b in zip(part.image_ids, part.images, strict=True)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=Path, default=None, help="a folder of images (e.g. CulTi's sample_images)")
    parser.add_argument("--data", type=Path, default=None, help="a culti dataset folder")
    parser.add_argument("--size", type=int, default=224, help="model input resolution (224: RN50..ViT-H-14)")
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--all", action="store_true", help="list every image, not only the long ones")
    args = parser.parse_args(argv)
    if args.images is None and args.data is None:
        parser.error("give --images DIR and/or --data DIR")
    rows = [(name, measure(image, args.size, args.draws)) for name, image in images_from(args)]
    print(f"{len(rows)} images, {sum(r['long'] for _, r in rows)} wider than 2.2:1; size {args.size}, {args.draws} draws\n")
    print("| image | size | aspect | short side after pre-shrink | old crop: area, distinct | new crop: area, distinct "
          "| eval: old stretch | eval: new content |")
    print("|---|---|---:|---:|---|---|---:|---|")
    for name, r in rows:
        if r["long"] or args.all:
            print(f"| {name} | {r['size']} | {r['aspect']:.2f} | {r['short_side_after_preshrink']} | "
                  f"{100 * r['old_area']:.0f}%, {r['old_distinct']} | {100 * r['new_area']:.0f}%, {r['new_distinct']} | "
                  f"{r['old_eval_stretch']:.2f}x | {r['new_eval_content']} |")
    for label, pick in (("long (>2.2:1)", [r for _, r in rows if r["long"]]), ("all", [r for _, r in rows])):
        if pick:
            mean = lambda key, pick=pick: sum(r[key] for r in pick) / len(pick)  # noqa: E731
            print(f"\n{label}: {len(pick)} images; old crop covers {100 * mean('old_area'):.0f}% of the image "
                  f"({mean('old_distinct'):.1f} distinct crops in {args.draws} draws), new {100 * mean('new_area'):.0f}% "
                  f"({mean('new_distinct'):.1f} distinct); old eval stretch {mean('old_eval_stretch'):.2f}x, new 1.00x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The truth.json entry of one sample book: every figure and ornament, where it lies on which page."""

from __future__ import annotations

from culti.sample.book import BookPlan
from culti.sample.layout import Layout
from culti.sample.scan import PageWarp


def _r(box) -> list[float] | None:
    return None if box is None else [round(float(v), 2) for v in box]


def book_truth(plan: BookPlan, layout: Layout, kind: str, warps: list[PageWarp] | None) -> dict:
    """Given a book's plan and layout, return its truth entry; for scans, boxes go through `warps`."""
    size = plan.page_size

    def box(bbox, page: int):
        if bbox is None:
            return None
        return _r(bbox) if warps is None else warps[page - 1].box(bbox, size)

    figures = []
    for chapter in plan.chapters:
        for unit in chapter.units:
            for fig in unit.figures:
                info = layout.placed[fig.key]
                page, cap_page = info["page"], info["caption_page"]
                figures.append({
                    "key": fig.key,
                    "page": page,
                    "bbox": box(info["bbox"], page),
                    "label": fig.label,
                    "title": fig.title,
                    "caption": fig.caption,
                    "caption_page": cap_page,
                    "caption_position": info["caption_position"],
                    "caption_bbox": box(info["caption_bbox"], cap_page),
                    "description": fig.description,
                    "crop_of": fig.crop_of,
                    "composite": fig.composite,
                    "image_kind": fig.picture.kind,
                    "subcaption": fig.subcaption,
                    "subcaption_bbox": box(info.get("subcaption_bbox"), page),
                    "description_bbox": box(info["description_bbox"], cap_page),
                    "pixel_size": [fig.picture.width, fig.picture.height],
                })
    figures.sort(key=lambda f: f["key"])
    entry = {
        "file": f"{plan.book_id}-{kind}.pdf",
        "book_id": plan.book_id,
        "kind": kind,
        "domain": plan.domain,
        "title": plan.title,
        "label_style": plan.label_style,
        "page_count": len(layout.pages),
        "page_size_pt": [size[0], size[1]],
        "figures": figures,
        "ornaments": [{"page": page, "bbox": box(bbox, page)} for page, bbox in layout.ornaments],
    }
    if warps is not None:
        entry["dpi"] = plan.dpi
        entry["skew_deg"] = [round(w.angle_deg, 3) for w in warps]
    return entry

"""Born-digital pages: embedded images, tiled images and vector drawings -> Figures or Rejects."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pymupdf

from culti.records import BBox, Figure, FigureOrigin, Reject, RejectReason, Stage

from .candidate import Candidate, drawing_count, overlap
from .config import ExtractConfig
from .drawings import drawings_over_images, labelled_charts, vector_candidates, visible_drawings
from .images import (
    Encoded,
    decode_xref,
    encode_pixmap,
    image_keeps_bytes,
    render_region,
    xref_meta,
)
from .text import pymupdf_lines, to_display


def image_digest(doc: pymupdf.Document, xref: int) -> str:
    """Given an image xref, return a digest of its raw stream (same image = same digest)."""
    return hashlib.sha1(doc.xref_stream_raw(xref) or b"").hexdigest()[:16]


def image_candidates(page: pymupdf.Page, doc: pymupdf.Document,
                     repeated: frozenset[str] = frozenset()) -> list[Candidate]:
    """Given a page (and the book's repeated image digests), return each image placement as a
    Candidate showing only its visible part (cut by the clip paths in force when it was drawn),
    strips and tiles merged into one; a repeated image (a slide's corner ornament) overlapping
    a picture is never merged into it."""
    matrix, page_rect = page.rotation_matrix, page.rect
    out: list[Candidate] = []
    for info in shown_placements(page, doc):
        xref = info.get("xref", 0)
        full = pymupdf.Rect(info["full"]) * matrix
        if full.is_empty or xref <= 0:
            continue
        shown = (pymupdf.Rect(info["bbox"]) * matrix) & page_rect
        if shown.is_empty:
            continue
        clipped = abs(shown.get_area() - full.get_area()) > 0.02 * full.get_area()
        zoom = max(info["width"] / max(full.width, 1e-3), info["height"] / max(full.height, 1e-3))
        out.append(Candidate(shown, (xref,), image_digest(doc, xref), zoom, clipped, "image"))
    # an image over (or under) another may be a fully transparent box (a text frame's shadow):
    # it shows nothing, and merged with the picture it would swallow the caption beside it
    hidden = [c for c in out if any(o is not c and o.rect.intersects(c.rect) for o in out)
              and _transparent(doc, c.xrefs[0])]
    alone = [c for c in out if c not in hidden
             and (c.digest in repeated or f"x{c.xrefs[0]}" in repeated)]
    rest = [c for c in out if c not in hidden and c not in alone]
    return merge_tiles(rest, max_overlap_area=0.5 * page_rect.get_area()) + alone + [
        Candidate(c.rect, c.xrefs, c.digest, c.zoom, c.clipped, "hidden") for c in hidden]


def _transparent(doc: pymupdf.Document, xref: int) -> bool:
    """Given an image xref, return True when its soft mask is zero everywhere (invisible)."""
    kind, value = doc.xref_get_key(xref, "SMask")
    if kind != "xref":
        return False
    mask = pymupdf.Pixmap(doc, int(value.split()[0]))
    return bool(mask.w and mask.h and mask.is_unicolor and mask.pixel(0, 0)[0] == 0)


def image_placements(page: pymupdf.Page) -> list[dict]:
    """Given a page, return get_image_info() entries with their xref: matched by pixel size to
    the page's image list, which avoids hashing every decoded image (xrefs=True does)."""
    infos = page.get_image_info()
    return _with_xrefs(page, infos, lambda: page.get_image_info(xrefs=True))


def shown_placements(page: pymupdf.Page, doc: pymupdf.Document) -> list[dict]:
    """Given a page, return its image placements as image_placements does, with "bbox" cut to
    the clip paths in force where each is drawn (MuPDF's TEXT_CLIP) and "full" the uncut one."""
    textpage = page.get_textpage(flags=pymupdf.TEXT_PRESERVE_IMAGES | pymupdf.TEXT_CLIP)
    infos = [{**i, "full": pymupdf.Rect(0, 0, 1, 1) * pymupdf.Matrix(i["transform"])}
             for i in textpage.extractIMGINFO()]

    def hashed() -> list[dict]:
        plain = image_placements(page)  # its digests are cached on the page by get_image_info
        if len(plain) == len(infos):  # the same placements in the same drawing order
            return plain
        digests = {pymupdf.Pixmap(doc, x).digest: x for x in {i[0] for i in page.get_images()}}
        return [{"xref": digests.get(h["digest"], 0)} for h in textpage.extractIMGINFO(hashes=True)]

    return _with_xrefs(page, infos, hashed)


def _with_xrefs(page: pymupdf.Page, infos: list[dict], by_digest) -> list[dict]:
    """Given image infos, return them with the xref matched by pixel size, or from `by_digest()`
    (entries in the same order) where two images share a size: only digests tell them apart."""
    by_size: dict[tuple[int, int], list[int]] = {}
    for item in page.get_images(full=True):
        by_size.setdefault((item[2], item[3]), []).append(item[0])
    sizes = [(i["width"], i["height"]) for i in infos]
    if all(len(set(by_size.get(s, []))) == 1 for s in sizes):
        return [{**info, "xref": by_size[s][0]} for info, s in zip(infos, sizes, strict=True)]
    return [{**info, "xref": h.get("xref", 0)} for info, h in zip(infos, by_digest(), strict=True)]


def merge_tiles(cands: list[Candidate], tol: float = 1.5,
                max_overlap_area: float = 0.0) -> list[Candidate]:
    """Given image candidates, return them with strips sharing an x-range (or y-range) and
    touching or overlapping merged into one `tiles` candidate; with max_overlap_area, also
    images drawn over each other (a diagram composed of pieces), each smaller than that."""
    items = sorted(cands, key=lambda c: (c.rect.y0, c.rect.x0))
    merged = True
    while merged:
        merged = False
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                a, b = items[i].rect, items[j].rect
                same_x = abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol
                same_y = abs(a.y0 - b.y0) <= tol and abs(a.y1 - b.y1) <= tol
                touch_v = b.y0 <= a.y1 + tol and a.y0 <= b.y1 + tol
                touch_h = b.x0 <= a.x1 + tol and a.x0 <= b.x1 + tol
                inter = a & b
                over = (max_overlap_area > 0 and not inter.is_empty
                        and inter.get_area() > 0.2 * min(a.get_area(), b.get_area())
                        and max(a.get_area(), b.get_area()) < max_overlap_area)
                if (same_x and touch_v) or (same_y and touch_h) or over:
                    items[i] = _join(items[i], items[j])
                    del items[j]
                    merged = True
                    break
            if merged:
                break
    return items


def _join(a: Candidate, b: Candidate) -> Candidate:
    digest = hashlib.sha1((a.digest + b.digest).encode()).hexdigest()[:16]
    return Candidate(a.rect | b.rect, a.xrefs + b.xrefs, digest, max(a.zoom, b.zoom),
                     a.clipped or b.clipped, "tiles")


def classify(cand: Candidate, page_rect: pymupdf.Rect, config: ExtractConfig,
             repeated: frozenset[str], scan_like: bool = False) -> tuple[RejectReason | None, str]:
    """Given a candidate, return (None, "") for a figure or (reason, detail) for a drop."""
    r = cand.rect
    w, h = r.width, r.height
    area_frac = r.get_area() / max(page_rect.get_area(), 1.0)
    band = config.band_frac * page_rect.height
    in_band = r.y1 <= page_rect.y0 + band or r.y0 >= page_rect.y1 - band
    size = f"{w:.0f}x{h:.0f}pt, {area_frac:.1%} of page"
    # a bar is a rule only when thin: a 30 pt strip cut from a screenshot is a (small) picture
    if min(w, h) < 4 or (max(w, h) / max(min(w, h), 1e-3) >= config.rule_aspect
                         and min(w, h) < config.floor_side_pt):
        return RejectReason.RULE, f"thin bar {size}"
    if cand.digest in repeated or any(f"x{x}" in repeated for x in cand.xrefs):
        return RejectReason.REPEATED, f"same {cand.kind} on many pages ({size})"
    if area_frac >= config.background_area_frac and not scan_like:
        return RejectReason.BACKGROUND, f"covers the page behind the text ({size})"
    small = min(w, h) < config.min_figure_side_pt or area_frac < config.min_figure_area_frac
    floor = min(w, h) < config.floor_side_pt or w * h < config.floor_area_pt2
    drawn = cand.kind in ("vector", "mixed")
    if small and not floor and not in_band and not drawn:
        return None, ""  # small but no icon: a figure if align finds its caption, else too_small
    if small:
        reason = RejectReason.ORNAMENT if in_band or drawn else RejectReason.TOO_SMALL
        return reason, f"{'in header/footer band, ' if in_band else ''}{size}"
    if drawn and area_frac < config.vector_min_area_frac:
        return RejectReason.ORNAMENT, f"small drawing cluster ({size})"
    if in_band and area_frac < 4 * config.min_figure_area_frac:
        return RejectReason.ORNAMENT, f"in header/footer band ({size})"
    return None, ""


def encode_candidate(page: pymupdf.Page, doc: pymupdf.Document, cand: Candidate,
                     config: ExtractConfig) -> tuple[Encoded, FigureOrigin]:
    """Given a figure candidate, return its image: the original bytes where they show exactly
    what the page shows, else a correct conversion or a render of the shown region."""
    q = config.jpeg_quality
    if cand.kind == "image" and not cand.clipped:
        xref = cand.xrefs[0]
        info = doc.extract_image(xref)
        if info and image_keeps_bytes(info, xref_meta(doc, xref)):
            return Encoded(info["image"], info["ext"], info["width"], info["height"]), \
                FigureOrigin.EMBEDDED
        try:
            pix = decode_xref(doc, xref, info.get("smask", 0) if info else 0)
        except (ValueError, RuntimeError):  # a pixel format PyMuPDF cannot convert: show the page
            return render_region(page, cand.rect, cand.zoom, False, q), FigureOrigin.RENDERED
        return encode_pixmap(pix, photo=(info or {}).get("ext") in ("jpeg", "jpx"), quality=q), \
            FigureOrigin.RENDERED
    photo = cand.kind != "vector" and _any_photo(doc, cand.xrefs)
    return render_region(page, cand.rect, cand.zoom, photo, q), FigureOrigin.RENDERED


def _any_photo(doc: pymupdf.Document, xrefs: tuple[int, ...]) -> bool:
    for xref in xrefs:
        flt = doc.xref_get_key(xref, "Filter")[1]
        if "DCT" in flt or "JPX" in flt:
            return True
    return False


def digital_figures(page: pymupdf.Page, doc: pymupdf.Document, ctx: PageContext,
                    config: ExtractConfig, paths: list[dict] | None = None,
                    textdict: dict | None = None) -> tuple[list[Figure], list[Reject], list[BBox]]:
    """Given a born-digital page (and its drawings, when the caller has them with glyph
    outlines taken out; its text, to take in the labels around charts), return its figures,
    the rejects, and the figure boxes."""
    page_rect = page.rect
    if paths is None:
        paths = page.get_drawings(extended=True)
    images = image_candidates(page, doc, ctx.repeated)
    shown = [c for c in images if c.kind != "hidden"]
    visible = visible_drawings(paths)
    vectors = vector_candidates(page, visible)
    if textdict is not None and any(drawing_count(v) >= config.vector_min_items for v in vectors):
        matrix = page.rotation_matrix
        lines = [(pymupdf.Rect(ln["bbox"]) * matrix, ln["text"]) for ln in pymupdf_lines(textdict)]
        vectors = labelled_charts(vectors, shown, lines, config.vector_min_items,
                                  config.floor_side_pt)
    shapes = [pymupdf.Rect(d["rect"]) * page.rotation_matrix for d in visible]
    vectors, shown = drawings_over_images(vectors, shown, shapes, config.vector_min_items,
                                          config.background_area_frac * page_rect.get_area())
    images = shown + [c for c in images if c.kind == "hidden"]
    figures_c: list[Candidate] = []
    rejects: list[Reject] = []
    for cand in images:
        if cand.kind == "hidden":
            rejects.append(ctx.reject(RejectReason.ORNAMENT, cand.rect,
                                      "fully transparent image (soft mask all zero)"))
            continue
        reason, detail = classify(cand, page_rect, config, ctx.repeated)
        if reason is None:
            figures_c.append(cand)
        else:
            rejects.append(ctx.reject(reason, cand.rect, detail))
    for cand in vectors:
        if cand.kind == "vector" and any(overlap(cand.rect, f.rect) > 0.3
                                         for f in figures_c + shown):
            continue  # frames and overlays around an image belong to that image
        reason, detail = classify(cand, page_rect, config, ctx.repeated)
        if reason is None and drawing_count(cand) < config.vector_min_items:
            reason, detail = RejectReason.ORNAMENT, "too few drawings for a vector figure"
        if reason is None:
            figures_c.append(cand)
        elif reason != RejectReason.RULE or cand.rect.width > 0.2 * page_rect.width:
            rejects.append(ctx.reject(reason, cand.rect, f"vector: {detail}"))
    figures_c.sort(key=lambda c: (round(c.rect.y0), c.rect.x0))
    figures = []
    for index, cand in enumerate(figures_c):
        enc, origin = encode_candidate(page, doc, cand, config)
        figures.append(Figure(
            source=ctx.source, source_sha256=ctx.sha256, page=ctx.page, index=index,
            bbox_pt=to_display(cand.rect, pymupdf.Identity), image=enc.data, image_format=enc.fmt,
            width=enc.width, height=enc.height, origin=origin))
    return figures, rejects, [f.bbox_pt for f in figures]


@dataclass(frozen=True, slots=True)
class PageContext:
    """What a page worker knows besides the page: the book and its book-level facts."""

    source: str
    sha256: str
    page: int
    repeated: frozenset[str]  # digests (and "x<xref>") of images seen on many pages

    def reject(self, reason: RejectReason, rect: pymupdf.Rect | BBox, detail: str) -> Reject:
        r = pymupdf.Rect(rect)
        return Reject(stage=Stage.EXTRACT, reason=reason, source=self.source,
                      source_sha256=self.sha256, page=self.page,
                      bbox_pt=(round(r.x0, 2), round(r.y0, 2), round(r.x1, 2), round(r.y1, 2)),
                      detail=detail)

"""align_book: a book's page extracts -> pairs of figure, caption and description, plus rejects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from align.blocks import join_column_pieces, split_page
from align.captions import Caption, PageCaptions, body_font_size, find_captions
from align.clean import clean_text, strip_edge_noise, t2s
from align.columns import split_page_columns
from align.config import AlignConfig
from align.describe import Description, describe
from align.domain import detect_domain
from align.headers import is_running, learn_running
from align.labels import is_exam_label, parse_caption
from align.merge import merge_figures
from align.pairing import Match, Unit, pair_book
from culti.records import (
    BookAlignment,
    Domain,
    Figure,
    PageExtract,
    Pair,
    Reject,
    RejectReason,
    Stage,
    TextKind,
    TextOrigin,
)


def align_book(pages: Sequence[PageExtract], config: AlignConfig) -> BookAlignment:
    """Given one book's page extracts, return every figure paired or rejected, with reasons."""
    pages = [split_page(split_page_columns(join_column_pieces(p))) for p in sorted(pages, key=lambda p: p.page)]
    if not pages:
        raise ValueError("align_book got no pages: pass the PageExtracts of one book")
    sources = {p.source for p in pages}
    if len(sources) > 1:
        raise ValueError(f"align_book got pages of several books {sorted(sources)}: align one at a time")
    source, sha = pages[0].source, pages[0].source_sha256
    domain = Domain(config.domain) if config.domain != "auto" else detect_domain(pages)
    rejects: list[Reject] = [r for p in pages for r in p.rejects]
    running = learn_running(pages, config)
    drops: dict[int, set[int]] = {}
    for p in pages:
        drops[p.page] = {i for i, b in enumerate(p.blocks)
                         if is_running(b, p, running, config) and parse_caption(b.text) is None}
    body_font = body_font_size(pages)
    found: dict[int, PageCaptions] = {p.page: find_captions(p, drops[p.page], body_font) for p in pages}
    result = pair_book(pages, found, config)
    # an unlabelled "caption" no figure took is a short line of text, free for descriptions
    loose = [c for c in result.orphan_captions if not c.labelled]
    for c in loose:
        pc = found[c.page]
        found[c.page] = PageCaptions(tuple(x for x in pc.captions if x is not c), pc.subcaptions,
                                     pc.used - set(c.block_ids))
    descriptions = describe(pages, drops, found, result.matches, body_font, config.body_references)
    pairs: list[Pair] = []
    for m, d in zip(result.matches, descriptions, strict=True):
        if "one-caption" in m.evidence and len(m.unit.figures) > 1 and not m.unit.composite:
            merged = merge_figures(m.unit.figures)
            for f in m.unit.figures:
                if f.index != merged.index:
                    rejects.append(_reject(f, RejectReason.MERGED,
                                           f"one figure with {merged.id}: pieces under one caption"))
            m = replace(m, unit=Unit(m.unit.page, (merged,), (None,), merged.bbox_pt))
        for pair in _pairs_of(m, d, domain, config, sha):
            if pair.confidence < config.min_confidence:
                rejects.append(_reject(pair.figure, RejectReason.LOW_CONFIDENCE,
                                       f"confidence {pair.confidence:.2f} < {config.min_confidence}",
                                       caption=pair.caption, text=pair.text))
            else:
                pairs.append(pair)
    sizes = {p.page: p.width_pt * p.height_pt for p in pages}
    for u in result.lonely_units:
        for f in u.figures:
            if _small(f, sizes.get(f.page, 0.0), config):
                rejects.append(_reject(f, RejectReason.TOO_SMALL,
                                       "small image and no caption claims it (icon, ornament)"))
            else:
                rejects.append(_reject(f, RejectReason.NO_CAPTION, "no caption on this or the facing page"))
    for c in result.orphan_captions:
        if not c.labelled:
            continue
        rejects.append(Reject(stage=Stage.ALIGN, reason=RejectReason.ORPHAN_CAPTION, source=source,
                              source_sha256=sha, page=c.page, bbox_pt=c.bbox,
                              detail="caption with no figure near it or on the facing page",
                              caption=_caption_text(c, config.to_simplified)))
    pairs.sort(key=lambda p: (p.figure.page, p.figure.index))
    rejects.sort(key=lambda r: (r.page or 0, r.reason.value, r.item_id or "", r.bbox_pt or ()))
    return BookAlignment(book=source, domain=domain, pairs=tuple(pairs), rejects=tuple(rejects))


def _small(f: Figure, page_area: float, config: AlignConfig) -> bool:
    """A picture under `small_figure_area_frac` of its page: kept only when a caption claims it."""
    x0, y0, x1, y1 = f.bbox_pt
    return page_area > 0 and (x1 - x0) * (y1 - y0) < config.small_figure_area_frac * page_area


def _reject(f: Figure, reason: RejectReason, detail: str, caption: str = "", text: str = "") -> Reject:
    return Reject(stage=Stage.ALIGN, reason=reason, source=f.source, source_sha256=f.source_sha256,
                  page=f.page, bbox_pt=f.bbox_pt, detail=detail, item_id=f.id, image=f.image,
                  image_format=f.image_format, caption=caption, text=text)


def _caption_text(c: Caption, simplified: bool) -> str:
    title = strip_edge_noise(clean_text(c.title, to_simplified=False))
    line = f"{c.printed_label}{c.printed_sep} {title}".strip()
    return t2s(line) if simplified else line


def confidence(m: Match) -> float:
    """Given a match, return 0-1 confidence from its assignment cost and its evidence."""
    conf = 1.0 - 0.7 * m.cost
    if not m.caption.labelled:
        conf *= 0.8
    if "layout:figure_caption" in m.caption.evidence:
        conf += 0.03
    return round(max(0.0, min(1.0, conf)), 3)


def _pairs_of(m: Match, d: Description, domain: Domain, config: AlignConfig, sha: str) -> list[Pair]:
    simplified = config.to_simplified
    title_o = strip_edge_noise(clean_text(m.caption.title, to_simplified=False))
    marker = f"（{m.caption.position}）" if m.caption.position else ""
    caption_o = f"{m.caption.printed_label}{m.caption.printed_sep}{marker} {title_o}".strip()
    evidence = m.caption.evidence + m.evidence + d.evidence
    group = _group_key(m.unit, m.caption, sha)
    conf = confidence(m)
    out = []
    for f, sub in zip(m.unit.figures, m.unit.subcaptions, strict=True):
        cap_o, title, label = caption_o, title_o, m.caption.label
        if sub is not None:
            sub_title = clean_text(sub.title, to_simplified=False)
            cap_o = f"{caption_o} ({sub.sub_label}) {sub_title}".strip()
            title = f"{title_o} {sub_title}".strip()
            label = f"{m.caption.label}({sub.sub_label})" if m.caption.label else f"({sub.sub_label})"
        text_o, kind = d.text, TextKind.DESCRIPTION
        if not text_o.strip() and title.strip():
            text_o, kind = title, TextKind.CAPTION  # a caption and no description: still a pair
        elif not text_o.strip() and is_exam_label(m.caption.label):
            text_o, kind = cap_o, TextKind.CAPTION  # 第3题图 is all an exercise's figure says
        out.append(Pair(
            figure=f,
            caption=t2s(cap_o) if simplified else cap_o,
            label=label,
            title=t2s(title) if simplified else title,
            text=t2s(text_o) if simplified else text_o,
            text_origin=d.origin or m.caption.origin or TextOrigin.PDF,
            domain=domain,
            confidence=conf,
            evidence=evidence + (("composite",) if sub is not None else ()),
            keywords=keywords(f"{title}\n{text_o}", config.keywords_top_k, simplified),
            caption_original=cap_o,
            text_original=text_o,
            group_hint=group,
            caption_page=m.caption.page,
            caption_bbox_pt=m.caption.bbox,
            text_bbox_pt=d.bbox if kind == TextKind.DESCRIPTION else None,
            text_kind=kind,
        ))
    return out


def _group_key(unit: Unit, cap: Caption, sha: str) -> str | None:
    """Sub-figures of one composite (or 图3-5(a), 图3-5(b)) share one key."""
    if unit.composite or len(unit.figures) > 1:
        return f"{sha[:16]}-{cap.base_label or f'p{unit.page:04d}-f{unit.figures[0].index:02d}'}"
    if cap.sub_label:
        return f"{sha[:16]}-{cap.base_label}"
    return None


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)  # jieba logs its dictionary load to stderr on first use
    return jieba.analyse


def keywords(text: str, top_k: int, simplified: bool = True) -> tuple[str, ...]:
    """Given title and description, return jieba TF-IDF keywords (deterministic, top_k)."""
    if top_k == 0 or not text.strip():
        return ()
    text = t2s(text) if simplified else text
    tags = _jieba().extract_tags(text, topK=top_k)
    return tuple(t for t in tags if not t.isdigit())

"""The one scoring core: labelled truth + found rows -> figure, caption, pairing and text scores.

Pure functions over plain records (no files): `culti evaluate`, the benchmarks and the tests all
score through `score_books`. Readers that turn a dataset folder, an alignment or extract's pages
into `FoundRow`s live in culti/evaluate.py.

Per page, truth figures and found boxes are matched optimally (`culti.geometry.match_boxes`) at
IoU 0.5 (and again at 0.8 for the strict recall / precision); captions, pairing and text are scored
on the 0.5 matches. Found boxes that match no figure but a `neutral` item are ignored; rows that
match no figure but a `not_figures` item are counted as must-not rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from culti.geometry import iou, match_boxes, overlap_of

MATCH_IOU = 0.5
STRICT_IOU = 0.8
BLEED_WINDOW = 10  # chars of another figure's description that make a row bleed
MOSTLY_OTHER = 0.5  # a row whose text is less than this share its own figure's text
REGION_HIT = 0.5  # IoU, or share of the found box inside a not-figure / neutral item
PAIRED_TITLE_RATIO = 0.8  # unlabelled captions: similarity that counts as the right caption
TRUTH_VERSIONS = (1, 2)

Box4 = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class TruthFigure:
    key: str
    page: int
    bbox: Box4
    label: str = ""
    title: str = ""
    caption: str = ""
    description: str = ""
    caption_page: int | None = None
    composite: str | None = None

    @property
    def own_text(self) -> str:
        """The text a row of this figure should carry: the description, else the caption's title."""
        return self.description or self.title


@dataclass(frozen=True, slots=True)
class TruthRegion:
    """A `not_figures` item (logo, watermark...) or a `neutral` image."""

    page: int
    bbox: Box4
    note: str = ""


@dataclass(frozen=True, slots=True)
class TruthBook:
    file: str
    kind: str  # digital, scanned, outline...
    figures: tuple[TruthFigure, ...]
    not_figures: tuple[TruthRegion, ...] = ()
    neutral: tuple[TruthRegion, ...] = ()
    page_kinds: tuple[tuple[int, str], ...] = ()  # per-page overrides of `kind`
    pages: frozenset[int] | None = None  # score only these pages (None: all)

    def page_kind(self, page: int) -> str:
        return dict(self.page_kinds).get(page, self.kind)


@dataclass(frozen=True, slots=True)
class FoundRow:
    """One figure the system under test found: a dataset row, or a figure-level reject."""

    page: int
    bbox: Box4
    caption: str = ""
    label: str = ""
    text: str = ""
    row_id: str = ""
    rejected: bool = False  # found, but dropped (no caption, duplicate...): not a dataset row
    reason: str = ""  # why it was dropped (a RejectReason value), when rejected


def truth_books(truth: Mapping) -> list[TruthBook]:
    """Given a parsed truth.json (version 1: sample books, version 2: real corpus), return its books.

    Raises ValueError naming what is wrong when the file does not follow either schema.
    """
    version = truth.get("version")
    if version not in TRUTH_VERSIONS:
        raise ValueError(f"truth version {version!r} is not one of {TRUTH_VERSIONS}")
    books = []
    for n, book in enumerate(truth.get("books", [])):
        try:
            books.append(_truth_book(book))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"book {n} ({book.get('file', '?')}): bad or missing field {err}") from err
    return books


def _truth_book(book: Mapping) -> TruthBook:
    def box(b) -> Box4:
        x0, y0, x1, y1 = (float(v) for v in b)
        return (x0, y0, x1, y1)

    figures = tuple(TruthFigure(
        key=str(f.get("key", "")), page=int(f["page"]), bbox=box(f["bbox"]),
        label=f.get("label") or "", title=f.get("title") or "", caption=f.get("caption") or "",
        description=f.get("description") or "",
        caption_page=int(f["caption_page"]) if f.get("caption_page") is not None else None,
        composite=f.get("composite")) for f in book["figures"])
    # version 1 lists decorations as `ornaments`; version 2 as `not_figures` with `what`
    not_figures = [TruthRegion(int(o["page"]), box(o["bbox"]), "ornament") for o in book.get("ornaments", [])]
    not_figures += [TruthRegion(int(o["page"]), box(o["bbox"]), o.get("what", ""))
                    for o in book.get("not_figures", [])]
    neutral = tuple(TruthRegion(int(o["page"]), box(o["bbox"]), o.get("why", ""))
                    for o in book.get("neutral", []))
    page_kinds = tuple(sorted((int(p), str(k)) for p, k in (book.get("page_kinds") or {}).items()))
    pages = frozenset(int(p) for p in book["pages"]) if book.get("pages") else None
    return TruthBook(file=book["file"], kind=book["kind"], figures=figures,
                     not_figures=tuple(not_figures), neutral=neutral, page_kinds=page_kinds, pages=pages)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


# typographic variants OCR cannot tell apart (and text layers spell either way) read as one
_DASHES = str.maketrans({"—": "-", "–": "-", "‒": "-", "−": "-", "‐": "-", "·": ".",
                         "‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"',
                         "″": '"'})


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Given printed or OCR text, return the form scores compare: NFKC, no whitespace, dashes
    folded to "-" and curly quotes to straight ones, simplified.

    Traditional characters fold to simplified on both sides, so a book printed in traditional
    scores the same whether or not the system converted it.
    """
    text = "".join(unicodedata.normalize("NFKC", text or "").split()).translate(_DASHES)
    return _t2s().convert(text) if text else text


def matched_chars(a: str, b: str) -> int:
    """Given two normalized texts, return how many characters of a are found, in order, in b."""
    if not a or not b:
        return 0
    return sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def coverage(truth: str, text: str) -> float:
    """Given a true text and a produced one, return the share of the truth's characters in the text."""
    t = normalize(truth)
    return matched_chars(t, normalize(text)) / len(t) if t else 1.0


def text_precision(truth: str, text: str) -> float:
    """Given a true text and a produced one, return the share of the produced characters that are true."""
    s = normalize(text)
    return matched_chars(s, normalize(truth)) / len(s) if s else 0.0


def caption_exact(truth: TruthFigure, row: FoundRow) -> bool:
    """Whether the row's caption reads the figure's caption exactly (after normalize).

    A sub-figure of a composite may carry its sub-caption after the group's caption.
    """
    want, got = normalize(truth.caption), normalize(row.caption)
    return want == got or (truth.composite is not None and bool(want) and got.startswith(want))


_NUMBER_CHARS = set("0123456789-.")
_CJK_NUMERALS = set("〇零一二三四五六七八九十百")


_LABEL_DOT = re.compile(r"(?<=\d)\.(?=\d)")
_LATIN_FIGURE = re.compile(r"^(figure|fig\.?)(?=[0-9])", re.IGNORECASE)


def normalize_label(label: str) -> str:
    """Given a printed or stored label, return it normalized with "Figure 3" / "Fig. 3" as 图3
    (the `label` column spells every figure label the Chinese way)."""
    # the label column writes every number separator as "-" (图表1.1 -> 图表1-1), so truth does too
    return _LABEL_DOT.sub("-", _LATIN_FIGURE.sub("图", normalize(label)))


def pairing_correct(truth: TruthFigure, row: FoundRow) -> bool:
    """Whether the row carries this figure's own caption: its label (图3-5(a) counts for 图3-5),
    read from the row's label or the start of its caption; unlabelled captions by similarity."""
    want = normalize_label(truth.label)
    if want:
        label = normalize_label(row.label)
        if not label:
            caption = normalize_label(row.caption)
            if not caption.startswith(want):
                return False
            nxt = caption[len(want):len(want) + 1]
            number = _NUMBER_CHARS | (_CJK_NUMERALS if want[-1] in _CJK_NUMERALS else set())
            return nxt not in number or nxt == ""
        return label == want or label.startswith(want + "(")
    want = normalize(truth.caption or truth.title)
    got = normalize(row.caption)
    return bool(want and got) and SequenceMatcher(None, want, got, autojunk=False).ratio() >= PAIRED_TITLE_RATIO


def bleeds(text: str, own: Sequence[str], others: Iterable[str]) -> bool:
    """Whether text holds a run of BLEED_WINDOW chars, outside its own texts, found in another's.

    Only the parts of text that do not match its own description are searched, so phrases that
    many descriptions share (and OCR slips inside its own text) do not count as bleeding.
    """
    text, mine = normalize(text), normalize("".join(own))
    extra, start = [], 0
    for block in SequenceMatcher(None, text, mine, autojunk=False).get_matching_blocks():
        if block.a - start >= BLEED_WINDOW:
            extra.append(text[start:block.a])
        start = block.a + block.size
    if not extra:
        return False
    others = [normalize(o) for o in others]
    for run in extra:
        for i in range(len(run) - BLEED_WINDOW + 1):
            window = run[i:i + BLEED_WINDOW]
            if window not in mine and any(window in other for other in others):
                return True
    return False


def _hits(found: Box4, region: Box4) -> bool:
    return iou(found, region) >= REGION_HIT or overlap_of(found, region) >= REGION_HIT


def _match_page(figures: Sequence[TruthFigure], found: Sequence[FoundRow],
                neutral: Sequence[Box4]) -> tuple[list[tuple[int, int, float]], set[int]]:
    """Given one page's figures, found rows and neutral boxes, return the IoU-0.5 matches and the
    found rows ignored (matching no figure but a neutral item)."""
    m50 = match_boxes([t.bbox for t in figures], [f.bbox for f in found], MATCH_IOU)
    hit = {fi for _, fi, _ in m50}
    return m50, {fi for fi, f in enumerate(found) if fi not in hit and any(_hits(f.bbox, n) for n in neutral)}


def _pages(book: TruthBook, found: Sequence[FoundRow]):
    """Given a book's truth and found rows, yield (page, its figures, its rows) in page order, only
    the pages the book scores."""
    wanted = book.pages
    truth_pages: dict[int, list[TruthFigure]] = defaultdict(list)
    found_pages: dict[int, list[FoundRow]] = defaultdict(list)
    for t in book.figures:
        if wanted is None or t.page in wanted:
            truth_pages[t.page].append(t)
    for f in found:
        if wanted is None or f.page in wanted:
            found_pages[f.page].append(f)
    for page in sorted(set(truth_pages) | set(found_pages)):
        yield page, truth_pages.get(page, []), found_pages.get(page, [])


def score_page(figures: Sequence[TruthFigure], found: Sequence[FoundRow], book: TruthBook,
               descriptions: Sequence[str]) -> Counter:
    """Given one page's truth figures and found rows, return its counts (see `ratios`)."""
    page = figures[0].page if figures else found[0].page if found else 0
    neutral = [r.bbox for r in book.neutral if r.page == page]
    not_figures = [r.bbox for r in book.not_figures if r.page == page]
    t_boxes, f_boxes = [t.bbox for t in figures], [f.bbox for f in found]
    m50, ignored = _match_page(figures, found, neutral)
    matched = {fi: ti for ti, fi, _ in m50}
    c: Counter = Counter(truth=len(figures), found=len(found) - len(ignored), neutral=len(ignored),
                         matched=len(m50), matched_strict=len(match_boxes(t_boxes, f_boxes, STRICT_IOU)))
    # pair level: only dataset rows count (a figure-level reject is not a pair the user gets)
    rows = [f.bbox for f in found if not f.rejected]
    r50 = match_boxes(t_boxes, rows, MATCH_IOU)
    row_hits = {fi for _, fi, _ in r50}
    c["rows"] = sum(1 for ri, b in enumerate(rows)
                    if ri in row_hits or not any(_hits(b, n) for n in neutral))
    c["pair_matched"] = len(r50)
    c["pair_matched_strict"] = len(match_boxes(t_boxes, rows, STRICT_IOU))
    for ti, fi, value in m50:
        t, f = figures[ti], found[fi]
        c["iou_sum"] += value
        c["caption_exact"] += caption_exact(t, f)
        c["pair_correct"] += pairing_correct(t, f)
        if t.description:
            c["described"] += 1
            c["coverage_sum"] += coverage(t.description, f.text)
        if normalize(f.text):
            precision = text_precision(t.own_text, f.text)
            c["with_text"] += 1
            c["precision_sum"] += precision
            c["mostly_other"] += precision < MOSTLY_OTHER
    for fi, f in enumerate(found):
        if fi in ignored:
            continue
        if fi in matched:
            own = [figures[matched[fi]].description]
        else:  # a merged or split figure: the truth figures it covers are its own
            own = [t.description for t in figures if overlap_of(t.bbox, f.bbox) > 0.5]
            c["must_not"] += not f.rejected and any(_hits(f.bbox, n) for n in not_figures)
        if f.text and bleeds(f.text, own, (d for d in descriptions if d and d not in own)):
            c["bleed"] += 1
    return c


def score_book(book: TruthBook, found: Sequence[FoundRow]) -> dict[str, Counter]:
    """Given one book's truth and the rows found in it, return counts per page kind."""
    descriptions = [t.description for t in book.figures]
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for page, figures, rows in _pages(book, found):
        by_kind[book.page_kind(page)].update(score_page(figures, rows, book, descriptions))
    return dict(by_kind)


def score_books(books: Sequence[TruthBook], found: Mapping[str, Sequence[FoundRow]],
                files: Iterable[str] | None = None) -> dict:
    """Given truth books and the rows found per file name, return JSON-ready scores:
    {"overall": metrics, "by_kind": {kind: metrics}, "by_file": {file: metrics}}.

    `files` names the inputs the system was run on (a file with no row there scores recall 0);
    None scores the books that have at least one found row.
    """
    scored = set(files) if files is not None else set(found)
    overall: Counter = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_file: dict[str, dict] = {}
    for book in books:
        if book.file not in scored:
            continue
        kinds = score_book(book, found.get(book.file, ()))
        total: Counter = Counter()
        for kind, counts in kinds.items():
            by_kind[kind].update(counts)
            total.update(counts)
        overall.update(total)
        by_file[book.file] = {"kind": book.kind, **ratios(total)}
    return {"overall": ratios(overall),
            "by_kind": {k: ratios(v) for k, v in sorted(by_kind.items())},
            "by_file": dict(sorted(by_file.items()))}


def misses(book: TruthBook, found: Sequence[FoundRow]) -> list[dict]:
    """Given one book's truth and the rows found in it, return what the scores count against it,
    one JSON-ready record per item, in page order: `missed` (a figure no found box matches),
    `extra` (a found box matching no figure and no neutral item), `dropped` (a figure found only as
    a reject: its reason), `caption` (a matched row whose
    caption is not exact), `text` (a matched row whose text is mostly not its figure's)."""
    out: list[dict] = []
    for page, figures, rows in _pages(book, found):
        matches, ignored = _match_page(figures, rows, [r.bbox for r in book.neutral if r.page == page])
        hit_t = {ti for ti, _, _ in matches}
        hit_f = {fi for _, fi, _ in matches}
        box = lambda b: [round(v, 1) for v in b]  # noqa: E731
        for ti, t in enumerate(figures):
            if ti not in hit_t:
                out.append({"page": page, "what": "missed", "key": t.key, "bbox": box(t.bbox),
                            "caption": t.caption})
        for fi, f in enumerate(rows):
            if fi not in hit_f and fi not in ignored:
                out.append({"page": page, "what": "extra", "bbox": box(f.bbox), "caption": f.caption,
                            "rejected": f.rejected})
        for ti, fi, _ in matches:
            t, f = figures[ti], rows[fi]
            if f.rejected:
                out.append({"page": page, "what": "dropped", "key": t.key, "want": t.caption,
                            "got": f.reason or "rejected"})
            if not caption_exact(t, f):
                out.append({"page": page, "what": "caption", "key": t.key, "want": t.caption,
                            "got": f.caption, "rejected": f.rejected})
            if normalize(f.text) and text_precision(t.own_text, f.text) < MOSTLY_OTHER:
                out.append({"page": page, "what": "text", "key": t.key, "want": t.own_text[:80],
                            "got": f.text[:80]})
    return out


def ratios(c: Mapping[str, float]) -> dict:
    """Given summed counts, return the metrics (None where nothing was there to measure)."""
    def div(a: str, b: str) -> float | None:
        return round(c.get(a, 0) / c[b], 4) if c.get(b) else None

    return {
        "figures_truth": int(c.get("truth", 0)),
        "figures_found": int(c.get("found", 0)),
        "figure_recall": div("matched", "truth"),
        "figure_precision": div("matched", "found"),
        "figure_recall_iou80": div("matched_strict", "truth"),
        "figure_precision_iou80": div("matched_strict", "found"),
        "pair_rows": int(c.get("rows", 0)),
        "pair_recall": div("pair_matched", "truth"),
        "pair_precision": div("pair_matched", "rows"),
        "pair_recall_iou80": div("pair_matched_strict", "truth"),
        "pair_precision_iou80": div("pair_matched_strict", "rows"),
        "mean_iou": div("iou_sum", "matched"),
        "caption_exact": div("caption_exact", "matched"),
        "pairing_accuracy": div("pair_correct", "matched"),
        "description_coverage": div("coverage_sum", "described"),
        "description_precision": div("precision_sum", "with_text"),
        "rows_mostly_other_text": int(c.get("mostly_other", 0)),
        "rows_bleeding": int(c.get("bleed", 0)),
        "rows_must_not": int(c.get("must_not", 0)),
        "found_neutral": int(c.get("neutral", 0)),
    }


def captions_read(book: TruthBook, texts: Mapping[int, Sequence[str]]) -> tuple[int, int]:
    """Given a book's truth and the text blocks read per page, return (captions, captions whose
    whole text lies inside one block of their caption page): how well a reader read them."""
    n = read = 0
    for t in book.figures:
        want = normalize(t.caption)
        if not want:
            continue
        n += 1
        page = t.caption_page or t.page
        read += any(want in normalize(block) for block in texts.get(page, ()))
    return n, read

"""A curator's corrections: the corrections.json schema, loading with validation, and applying.

Schema (version 1), written by the review page's "Export corrections.json" button or by hand:
  {"version": 1, "corrections": [{"id": "<pair or reject id>", "action": "edit"|"drop"|"restore"|"repair",
   "caption"?: str, "title"?: str, "label"?: str, "text"?: str, "note"?: str}]}
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from culti.records import (
    Domain,
    Figure,
    FigureOrigin,
    Pair,
    Reject,
    RejectReason,
    Stage,
    TextKind,
    TextOrigin,
)

SCHEMA_VERSION = 1
TEXT_FIELDS = ("caption", "title", "label", "text")
ENTRY_KEYS = frozenset({"id", "action", "note", *TEXT_FIELDS})
RESTORED = "curator:restore"  # evidence on a restored pair: later dedupe must keep it
_FIGURE_ID = re.compile(r"^[0-9a-f]{1,16}-p(\d{4,})-f(\d{2,})$")


class CorrectionError(ValueError):
    """A corrections file or entry that cannot be used; the message names the entry and the fix."""


class Action(StrEnum):
    EDIT = "edit"  # fix caption/title/label/text of a pair, keep its boxes
    DROP = "drop"  # move a pair to rejects (curator_dropped)
    RESTORE = "restore"  # turn a reject with an image back into a pair
    REPAIR = "repair"  # give a figure another caption/text: the old caption boxes no longer apply


@dataclass(frozen=True, slots=True)
class Correction:
    id: str
    action: Action
    caption: str | None = None
    title: str | None = None
    label: str | None = None
    text: str | None = None
    note: str = ""
    entry: int = -1  # position in the file, for messages

    def fields(self) -> dict[str, str]:
        """Return the text fields this correction sets."""
        return {name: getattr(self, name) for name in TEXT_FIELDS if getattr(self, name) is not None}

    def __post_init__(self) -> None:
        where = _where(self.entry, self.id)
        if not self.id:
            raise CorrectionError(f"{where}: empty id")
        given = self.fields()
        if self.action == Action.EDIT and not given:
            raise CorrectionError(f"{where}: action 'edit' needs at least one of {', '.join(TEXT_FIELDS)}")
        if self.action == Action.REPAIR and not (self.caption or "").strip():
            raise CorrectionError(f"{where}: action 'repair' needs the new 'caption'")
        if self.action == Action.DROP and given:
            raise CorrectionError(
                f"{where}: action 'drop' takes no {', '.join(sorted(given))}; use 'note' to say why")


def _where(entry: int, ident: object) -> str:
    return f"correction #{entry} (id {ident!r})" if ident is not None else f"correction #{entry}"


def parse_corrections(data: object, known_ids: set[str], origin: str = "corrections") -> tuple[Correction, ...]:
    """Given decoded corrections JSON and the dataset's ids, return the corrections or raise naming the entry."""
    if not isinstance(data, dict):
        raise CorrectionError(f"{origin}: top level must be an object {{'version': 1, 'corrections': [...]}}")
    if data.get("version") != SCHEMA_VERSION:
        raise CorrectionError(f"{origin}: 'version' must be {SCHEMA_VERSION}, got {data.get('version')!r}")
    entries = data.get("corrections")
    if not isinstance(entries, list):
        raise CorrectionError(f"{origin}: 'corrections' must be a list of entries")
    out: list[Correction] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        correction = _parse_entry(i, entry, known_ids, origin)
        if correction.id in seen:
            raise CorrectionError(f"{origin}: {_where(i, correction.id)}: same id as correction "
                                  f"#{seen[correction.id]}; merge them into one entry")
        seen[correction.id] = i
        out.append(correction)
    return tuple(out)


def _parse_entry(i: int, entry: object, known_ids: set[str], origin: str) -> Correction:
    if not isinstance(entry, dict):
        raise CorrectionError(f"{origin}: {_where(i, None)}: must be an object, got {type(entry).__name__}")
    ident = entry.get("id")
    where = f"{origin}: {_where(i, ident)}"
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        raise CorrectionError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(ENTRY_KEYS)}")
    for key in ("id", "action"):
        if key not in entry:
            raise CorrectionError(f"{where}: missing field '{key}'")
    for key in ("id", "action", "note", *TEXT_FIELDS):
        if key in entry and not isinstance(entry[key], str):
            raise CorrectionError(f"{where}: '{key}' must be a string, got {type(entry[key]).__name__}")
    try:
        action = Action(entry["action"])
    except ValueError:
        choices = ", ".join(a.value for a in Action)
        raise CorrectionError(f"{where}: unknown action {entry['action']!r}; use one of {choices}") from None
    if ident not in known_ids:
        raise CorrectionError(f"{where}: unknown id: no pair or reject in this dataset has it "
                              "(was the dataset rebuilt from other PDFs?)")
    try:
        return Correction(id=ident, action=action, note=entry.get("note", ""), entry=i,
                          **{k: entry[k] for k in TEXT_FIELDS if k in entry})
    except CorrectionError as err:
        raise CorrectionError(f"{origin}: {err}") from None


def load_corrections(path: Path, known_ids: set[str]) -> tuple[Correction, ...]:
    """Given a corrections.json and the dataset's pair and reject ids, return the validated corrections."""
    return parse_corrections(read_corrections(path), known_ids, origin=str(path))


def read_corrections(path: Path):
    """Given a corrections.json path, return its parsed JSON; raises CorrectionError naming the
    file when it cannot be read or is not JSON (checked before a build loads any book)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CorrectionError(f"{path}: cannot read ({err.strerror}); export it from the review page") from err
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise CorrectionError(f"{path}: not valid JSON at line {err.lineno} column {err.colno}: {err.msg}") from err
    return data


def apply_corrections(
    pairs: Sequence[Pair], rejects: Sequence[Reject], corrections: Sequence[Correction],
) -> tuple[tuple[Pair, ...], tuple[Reject, ...], tuple[dict, ...]]:
    """Given pairs, rejects and corrections, return the corrected pairs, rejects and one log dict per correction."""
    pair_at = {p.id: i for i, p in enumerate(pairs)}
    new_pairs: list[Pair | None] = list(pairs)
    new_rejects: list[Reject | None] = list(rejects)
    restored: list[Pair] = []
    dropped: list[Reject] = []
    log: list[dict] = []
    for c in corrections:
        where = _where(c.entry, c.id)
        if c.action == Action.RESTORE and c.id in pair_at and new_pairs[pair_at[c.id]] is not None:
            # rejected after this point (dataset dedupe): keep it, marked so the dedupe lets it through
            pair = new_pairs[pair_at[c.id]]
            before = {name: getattr(pair, name) for name in c.fields()}
            new_pairs[pair_at[c.id]] = replace(pair, **c.fields(), evidence=(*pair.evidence, RESTORED))
            log.append(_log(c, before))
            continue
        if c.action == Action.RESTORE:
            at = [i for i, r in enumerate(new_rejects) if r is not None and r.item_id == c.id]
            if not at:
                raise CorrectionError(f"{where}: 'restore' needs a reject id; {_kind(c.id, pair_at)}")
            reject = new_rejects[at[0]]
            pair = _restore(reject, c, pairs, where)
            for i in at:  # every reject row of that item: it is a pair now
                new_rejects[i] = None
            restored.append(pair)
            log.append(_log(c, {"caption": reject.caption, "text": reject.text}, reason=reject.reason.value))
            continue
        if c.id not in pair_at or new_pairs[pair_at[c.id]] is None:
            raise CorrectionError(f"{where}: '{c.action.value}' needs a pair id; {_kind(c.id, pair_at)}")
        pair = new_pairs[pair_at[c.id]]
        before = {name: getattr(pair, name) for name in c.fields()}
        if c.action == Action.DROP:
            new_pairs[pair_at[c.id]] = None
            dropped.append(_drop(pair, c))
        elif c.action == Action.EDIT:
            new_pairs[pair_at[c.id]] = _text_kind(replace(pair, **c.fields(),
                                                          evidence=(*pair.evidence, "curator:edit")), c)
        else:  # repair: the old caption and text boxes belonged to another caption
            new_pairs[pair_at[c.id]] = _text_kind(replace(
                pair, **c.fields(), confidence=1.0, caption_page=None, caption_bbox_pt=None,
                text_bbox_pt=None, evidence=(*pair.evidence, "curator:repair")), c)
        log.append(_log(c, before))
    out_pairs = tuple(p for p in new_pairs if p is not None) + tuple(restored)
    out_rejects = tuple(r for r in new_rejects if r is not None) + tuple(dropped)
    return out_pairs, out_rejects, tuple(log)


def _kind(ident: str, pair_at: dict[str, int]) -> str:
    return f"{ident!r} is a pair" if ident in pair_at else f"{ident!r} is not a current pair"


def _log(c: Correction, before: dict[str, str], reason: str | None = None) -> dict:
    item = {"id": c.id, "action": c.action.value, "fields": c.fields(), "before": before, "note": c.note}
    if reason is not None:
        item["reject_reason"] = reason
    return item


def _text_kind(pair: Pair, c: Correction) -> Pair:
    """A curator's text is a description; no text at all falls back to the title (kind caption)."""
    if c.text is not None and c.text.strip():
        return replace(pair, text_kind=TextKind.DESCRIPTION)
    if not pair.text.strip() and pair.title.strip():
        return replace(pair, text=pair.title, text_kind=TextKind.CAPTION)
    return pair


def _drop(pair: Pair, c: Correction) -> Reject:
    fig = pair.figure
    return Reject(stage=Stage.REVIEW, reason=RejectReason.CURATOR_DROPPED, source=fig.source,
                  source_sha256=fig.source_sha256, page=fig.page, bbox_pt=fig.bbox_pt,
                  detail=c.note or "dropped by the curator", item_id=pair.id, image=fig.image,
                  image_format=fig.image_format, caption=pair.caption, text=pair.text)


def _restore(reject: Reject, c: Correction, pairs: Sequence[Pair], where: str) -> Pair:
    if reject.image is None or reject.page is None or reject.bbox_pt is None:
        raise CorrectionError(f"{where}: reject ({reject.reason.value}) has no image, page or box to make a "
                              "pair from; only figure rejects can be restored")
    match = _FIGURE_ID.match(reject.item_id or "")
    if match is None:
        raise CorrectionError(f"{where}: reject id is not a figure id (sha16-pNNNN-fNN); cannot restore it")
    width, height = _image_size(reject.image, where)
    figure = Figure(source=reject.source, source_sha256=reject.source_sha256, page=reject.page,
                    index=int(match.group(2)), bbox_pt=reject.bbox_pt, image=reject.image,
                    image_format=reject.image_format or "jpeg", width=width, height=height,
                    origin=FigureOrigin.EMBEDDED, confidence=1.0)
    if figure.id != reject.item_id:
        raise CorrectionError(f"{where}: reject's source_sha256/page do not match its id; cannot restore it")
    caption = c.caption if c.caption is not None else reject.caption
    pair = Pair(figure=figure, caption=caption, label=c.label or "", title=c.title or "",
                text=c.text if c.text is not None else reject.text, text_origin=TextOrigin.PDF,
                domain=_book_domain(reject.source_sha256, pairs), confidence=1.0,
                evidence=(RESTORED, f"was:{reject.reason.value}"))
    return _text_kind(pair, c)


def _image_size(data: bytes, where: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except (UnidentifiedImageError, OSError) as err:
        raise CorrectionError(f"{where}: the reject's image cannot be decoded ({err})") from err


def _book_domain(sha: str, pairs: Sequence[Pair]) -> Domain:
    """The restored pair takes its book's domain (from the book's other pairs), else the commonest one."""
    same = [p.domain for p in pairs if p.figure.source_sha256 == sha]
    pool = same or [p.domain for p in pairs]
    if not pool:
        return Domain.SILK
    return max(sorted(set(pool), key=lambda d: d.value), key=pool.count)

"""Per-character OCR errors: truth captions and descriptions vs what extract read on OCR pages.

    .venv/bin/python benchmarks/bench_ocr_chars.py [--truth T.json --pdfs DIR] [--pages N]

Without --truth, scores the generated OCR cases (culti.sample.ocr_cases) and the first N pages
of a generated scanned sample book. For each truth caption / description on a page extract
read by OCR (scanned, mixed, outline), the block most like it is aligned character by
character (difflib); prints the character error rate, the most frequent confusions (truth ->
OCR, "" = dropped) and which of them the domain lexicon (extract/lexicon.py) corrects.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from culti.records import PageKind  # noqa: E402
from extract import ExtractConfig, extract_book, open_book  # noqa: E402
from extract.lexicon import CONFUSIONS  # noqa: E402

OCR_KINDS = {PageKind.SCANNED, PageKind.MIXED, PageKind.OUTLINE}


def normalize_caption(text: str) -> str:
    """Return text without whitespace, NFKC-folded (full-width digits and dashes)."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text or "").split())


def char_errors(truth: str, read: str) -> tuple[int, Counter]:
    """Given a truth string and the OCR text that best matches it, return (truth characters,
    Counter of (truth_char, ocr_char) for each substitution and (truth_char, "") per drop)."""
    sm = difflib.SequenceMatcher(None, truth, read, autojunk=False)
    errors: Counter = Counter()
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "replace":
            for i in range(a1 - a0):
                errors[(truth[a0 + i], read[b0 + i] if b0 + i < b1 else "")] += 1
        elif op == "delete":
            for ch in truth[a0:a1]:
                errors[(ch, "")] += 1
    return len(truth), errors


def best_block(want: str, texts: list[str]) -> str:
    """Return the block text most like `want`, cut to the span that matches it."""
    best, score = "", 0.0
    for text in texts:
        sm = difflib.SequenceMatcher(None, want, text, autojunk=False)
        blocks = [b for b in sm.get_matching_blocks() if b.size]
        if not blocks:
            continue
        start, end = blocks[0].b, blocks[-1].b + blocks[-1].size
        piece = text[max(0, start - blocks[0].a):min(len(text), end + len(want) - blocks[-1].a
                                                      - blocks[-1].size)]
        ratio = difflib.SequenceMatcher(None, want, piece, autojunk=False).ratio()
        if ratio > score:
            best, score = piece, ratio
    return best


def score_book(truth_book: dict, pdf: Path, pages_limit: int, config: ExtractConfig
               ) -> tuple[int, Counter]:
    """Given a truth entry and its PDF, return (truth characters, confusion counter)."""
    pages = {}
    for page in extract_book(open_book(pdf), config):
        pages[page.page] = page
        if pages_limit and len(pages) >= pages_limit:
            break
    total, errors = 0, Counter()
    for fig in truth_book.get("figures", []):
        page = pages.get(int(fig.get("caption_page") or fig["page"]))
        if page is None or page.kind not in OCR_KINDS:
            continue
        texts = [normalize_caption(b.text) for b in page.blocks]
        texts += [a + b for a, b in zip(texts, texts[1:], strict=False)]  # two paragraphs
        for field in ("caption_original", "caption", "description"):
            want = normalize_caption(fig.get(field) or "")
            if not want or (field == "caption" and fig.get("caption_original")):
                continue
            n, errs = char_errors(want, best_block(want, texts))
            total += n
            errors.update(errs)
    return total, errors


def report(name: str, total: int, errors: Counter) -> dict:
    wrong = sum(errors.values())
    top = errors.most_common(15)
    fixable = {f"{t}->{o}": c for (t, o), c in top if CONFUSIONS.get(o) == t}
    row = {"chars": total, "errors": wrong, "cer": round(wrong / total, 4) if total else 0.0,
           "top": {f"{t}->{o or '(dropped)'}": c for (t, o), c in top},
           "lexicon_fixes": fixable}
    print(name, json.dumps(row, ensure_ascii=False), flush=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--truth", type=Path, default=None, help="truth.json (version 1 or 2)")
    parser.add_argument("--pdfs", type=Path, default=None, help="folder of the truth's PDFs")
    parser.add_argument("--pages", type=int, default=6, help="pages per book (0 = all)")
    args = parser.parse_args()
    config = ExtractConfig(workers=1, progress=False)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.truth is None:
            from culti.sample import generate_samples
            from culti.sample.ocr_cases import generate_ocr_cases

            cases = generate_ocr_cases(Path(tmp) / "cases")
            samples = generate_samples(Path(tmp) / "sample", books=1, figures=12, seed=0,
                                       progress=False)
            sets = [(cases, cases.parent), (samples, samples.parent)]
        else:
            sets = [(args.truth, args.pdfs or args.truth.parent)]
        grand_total, grand = 0, Counter()
        for truth_path, folder in sets:
            for book in json.loads(truth_path.read_text(encoding="utf-8"))["books"]:
                if book["kind"] == "digital" and not book.get("page_kinds"):
                    continue
                total, errors = score_book(book, folder / book["file"], args.pages, config)
                if total:
                    results[book["file"]] = report(book["file"], total, errors)
                    grand_total += total
                    grand.update(errors)
        results["all"] = report("all", grand_total, grand)
    return 0


if __name__ == "__main__":
    sys.exit(main())

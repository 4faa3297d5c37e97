"""Domain lexicon: correct characters PP-OCR is known to confuse in textile and mural terms
(it never outputs 繝 and reads 晕繝 as 晕綢) when a lexicon word fits the text better."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# what OCR outputs -> the characters it may stand for (only pairs seen or plausible in print)
CONFUSIONS: dict[str, str] = {
    "綢": "繝", "绸": "繝", "缆": "繝", "纜": "繝", "澗": "繝", "涧": "繝", "間": "繝",
    "练": "缂", "緝": "緙", "揖": "缂",
    "颉": "缬", "擷": "纈", "撷": "缬", "襭": "纈",
    "寞": "窠", "巢": "窠",
    "綫": "绫", "稜": "綾",
}


@lru_cache(maxsize=1)
def terms() -> tuple[str, ...]:
    """Return the lexicon's terms (extract/data/heritage_terms.txt), longest first."""
    text = resources.files("extract").joinpath("data/heritage_terms.txt").read_text("utf-8")
    words = {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[str]]:
    """Map each lexicon term with a confusable character to the misreadings OCR gives for it."""
    wrong_for: dict[str, list[str]] = {}
    for wrong, right in CONFUSIONS.items():
        if wrong != right:
            wrong_for.setdefault(right, []).append(wrong)
    out: dict[str, list[str]] = {}
    for term in terms():
        if len(term) < 2:
            continue
        for i, ch in enumerate(term):
            for wrong in wrong_for.get(ch, []):
                out.setdefault(term, []).append(term[:i] + wrong + term[i + 1:])
    return out


def correct_terms(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Given OCR text, return it with lexicon words restored where OCR put a known confusion
    for one of their characters (晕綢 -> 晕繝, 緝絲 -> 緙絲), and the (wrong, right) fixes made.
    A misreading that is itself a lexicon word is left alone."""
    known = set(terms())
    fixes: list[tuple[str, str]] = []
    for term, misreads in _patterns().items():
        for wrong in misreads:
            if wrong in known or wrong not in text:
                continue
            text = text.replace(wrong, term)
            fixes.append((wrong, term))
    return text, fixes


__all__ = ["CONFUSIONS", "correct_terms", "terms"]

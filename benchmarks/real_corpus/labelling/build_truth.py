"""Write ../truth.json: label_helper drafts for born-digital files, then the hand corrections and
the hand labels of scanned pages from corrections.py.

    python benchmarks/real_corpus/labelling/build_truth.py [PDF_DIR]   (default ../pdfs)
"""

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RC = HERE.parent
PDFS = Path(sys.argv[1]) if len(sys.argv) > 1 else RC / "pdfs"
sys.path.insert(0, str(HERE))
spec = importlib.util.spec_from_file_location("lh", RC / "label_helper.py")
lh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lh)
import corrections as fixes  # noqa: E402
from files import SPEC  # noqa: E402 (after the sys.path line)

fixes.PDFS = str(PDFS) + "/"


def derived_book(s, books):
    """The truth of a file made from another: a rendered scan (kind scanned, "rendered": true) or
    an outlined twin (kind outline, "outlined": true): its source's labels on the chosen pages,
    pages renumbered 1..n in the order of s["pages"], keys renumbered."""
    import copy

    rendered = "rendered_from" in s
    src = copy.deepcopy(next(b for b in books if b["file"] == s.get("rendered_from", s.get("outlined_from"))))
    new_page = {old: n for n, old in enumerate(s["pages"], 1)}
    out = {
        "file": s["name"],
        "book_id": s["name"][:-4],
        "kind": "scanned" if rendered else "outline",
        "rendered" if rendered else "outlined": True,
        "domain": src["domain"],
        "page_count": len(s["pages"]),
    }
    figures = [f for f in src["figures"] if f["page"] in new_page and f["caption_page"] in new_page]
    keys = {}
    for n, f in enumerate(figures, 1):
        keys[f["key"]] = f"{out['book_id']}-{n:03d}"
    for f in figures:
        f["key"] = keys[f["key"]]
        f["page"], f["caption_page"] = new_page[f["page"]], new_page[f["caption_page"]]
        for ref in ("composite", "crop_of"):
            if f.get(ref):
                f[ref] = keys[f[ref]]
    out["figures"] = figures
    for k in ("not_figures", "neutral"):
        out[k] = [dict(x, page=new_page[x["page"]]) for x in src[k] if x["page"] in new_page]
    return out


books = []
for s in SPEC:
    name = s["name"]
    if "rendered_from" in s or "outlined_from" in s:
        books.append(derived_book(s, books))
        continue
    fx = fixes.FIX.get(name, {})
    if s.get("scanned"):
        book = {"file": name, "page_count": None, "figures": [], "not_figures": [], "neutral": []}
        import pymupdf

        book["page_count"] = pymupdf.open(PDFS / name).page_count
    else:
        book = lh.draft(str(PDFS / name), fx.get("pages"))
    if "edit" in fx:
        fx["edit"](book)
    out = {
        "file": name,
        "book_id": name[:-4],
        "kind": "scanned" if s.get("scanned") else fx.get("kind", "digital"),
        "domain": fx.get("domain", "other"),
        "page_count": book["page_count"],
    }
    if fx.get("page_kinds"):
        out["page_kinds"] = fx["page_kinds"]
    if "pages" in book:
        out["pages"] = book["pages"]
    out["figures"] = book["figures"] + fx.get("add_figures", [])
    out["not_figures"] = book["not_figures"] + fx.get("add_not", [])
    out["neutral"] = book["neutral"] + fx.get("add_neutral", [])
    out["figures"].sort(key=lambda f: (f["page"], f["bbox"][1], f["bbox"][0]))
    for n, f in enumerate(out["figures"], 1):
        f["key"] = f"{out['book_id']}-{n:03d}"
    groups = {}
    for f in out["figures"]:
        if isinstance(f.get("composite"), str) and f["composite"].startswith("grp:"):
            f["composite"] = groups.setdefault(f["composite"], f["key"])
    for f in out["figures"]:
        f.setdefault("description", "")
        f.setdefault("description_bbox", None)
        f.setdefault("composite", None)
        f.setdefault("crop_of", None)
        f.setdefault("subcaption", None)
    books.append(out)
(RC / "truth.json").write_text(
    json.dumps({"version": 2, "books": books}, ensure_ascii=False, indent=1) + "\n",
    encoding="utf-8",
)
for b in books:
    print(
        f"{b['file']:40s} {b['kind']:8s} figs={len(b['figures']):4d} not={len(b['not_figures']):4d} neutral={len(b['neutral']):3d} pages={len(b.get('pages', [])) or b['page_count']}"
    )
print("total figures", sum(len(b["figures"]) for b in books))

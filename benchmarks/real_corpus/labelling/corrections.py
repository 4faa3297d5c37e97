"""Hand corrections of the drafts and hand labels of scanned pages (boxes measured on the pixels)."""

import pymupdf as _pm


def fig(key, page, bbox, label, title, caption, cap_bbox, pos, cap_page=None, **kw):
    f = {
        "key": key,
        "page": page,
        "bbox": bbox,
        "label": label,
        "title": title,
        "caption": caption,
        "caption_page": cap_page or page,
        "caption_bbox": cap_bbox,
        "caption_position": pos,
        "description": "",
        "description_bbox": None,
        "composite": None,
        "crop_of": None,
        "subcaption": None,
    }
    f.update(kw)
    return f


def drop_neutral_inside(book, page, rect):
    x0, y0, x1, y1 = rect
    book["neutral"] = [
        n
        for n in book["neutral"]
        if not (
            n["page"] == page
            and n["bbox"][0] >= x0 - 2
            and n["bbox"][1] >= y0 - 2
            and n["bbox"][2] <= x1 + 2
            and n["bbox"][3] <= y1 + 2
        )
    ]


def demo2(book):
    for f in book["figures"]:
        if f["page"] == 4 and f["label"] == "Figure 3":
            f["bbox"] = [330.0, 60.0, 545.2, 300.0]
    drop_neutral_inside(book, 4, [330.0, 60.0, 545.2, 300.0])


def thesis(book):
    book["figures"].append(
        fig(
            "p008-图表 1.1",
            8,
            [202.1, 263.0, 413.0, 413.0],
            "图表 1.1",
            "这是一幅牛的图片",
            "图表 1.1 这是一幅牛的图片",
            [236.9, 422.6, 361.1, 433.9],
            "below",
        )
    )
    book["neutral"] = [n for n in book["neutral"] if not (n["page"] == 8 and n["bbox"][1] < 300)]
    book["not_figures"].append({"page": 1, "bbox": [90.0, 97.0, 245.9, 154.8], "what": "logo"})


def redp5695(book):
    book["pages"] = list(range(2, 40))
    promote(book, 28, "Figure 21")
    for k in ("figures", "not_figures", "neutral"):
        book[k] = [x for x in book[k] if 2 <= x["page"] <= 39]


FIX = {
    "mineru-demo2-stereo.pdf": {"edit": demo2},
    "rapiddoc-thesis-template-zh.pdf": {"edit": thesis},
    "ibm-redp5695-z16.pdf": {"edit": redp5695},
    "luatex-cn-shiji-vertical.pdf": {
        "edit": lambda b: b.update(neutral=[]),
        "add_not": [{"page": 1, "bbox": [49.8, 190.1, 415.4, 559.1], "what": "logo"}],
    },
    "scan-zh-report-page.pdf": {
        "add_figures": [
            fig(
                "p001-f1",
                1,
                [109.0, 75.0, 465.7, 290.7],
                "",
                "近年来公司锂电新能源板块销售情况（吨）",
                "近年来公司锂电新能源板块销售情况（吨）",
                [201.0, 304.0, 362.0, 312.7],
                "below",
            ),
            fig(
                "p001-f2",
                1,
                [130.0, 479.3, 460.3, 681.0],
                "",
                "Kitumba 铜矿山开工典礼",
                "Kitumba 铜矿山开工典礼",
                [248.7, 690.7, 341.7, 698.7],
                "below",
            ),
        ]
    },
    "scan-en-paper-page.pdf": {
        "add_figures": [
            fig(
                "p001-Fig. 3",
                1,
                [307.7, 64.0, 553.7, 306.7],
                "Fig. 3",
                "Marginal probability distribution of the parameters of the best ellipse fitting ring: the E-W and N-S offset the ellipse centre x0 and y0, the semi-major and semi-minor axis a and b, and the position angle PA. The graph in the upper right inset shows the data points used as input for the fit in blue, and the best ellipse in red.",
                "Fig. 3. Marginal probability distribution of the parameters of the best ellipse fitting ring: the E-W and N-S offset the ellipse centre x0 and y0, the semi-major and semi-minor axis a and b, and the position angle PA. The graph in the upper right inset shows the data points used as input for the fit in blue, and the best ellipse in red.",
                [303.3, 319.3, 558.7, 367.7],
                "below",
            )
        ]
    },
    "scan-zh-magazine.pdf": {
        "add_neutral": [
            {
                "page": 1,
                "bbox": [270.0, 360.0, 562.7, 705.0],
                "why": "story illustration without caption",
            },
            {
                "page": 2,
                "bbox": [173.0, 34.0, 305.0, 206.7],
                "why": "article illustration without caption",
            },
            {
                "page": 2,
                "bbox": [317.3, 401.6, 423.3, 480.3],
                "why": "photo in a poem sidebar, no caption",
            },
        ],
        "add_not": [
            {"page": 1, "bbox": [30.0, 28.0, 98.0, 89.7], "what": "icon"},
            {"page": 2, "bbox": [125.3, 582.3, 339.0, 594.0], "what": "watermark"},
        ],
    },
    "pek-fuzzy-scan.pdf": {
        "add_neutral": [
            {
                "page": 1,
                "bbox": [201.0, 319.7, 296.0, 441.7],
                "why": "line drawing in the text, no caption",
            }
        ]
    },
    "docling-scanned-ad.pdf": {
        "add_figures": [
            fig(
                "p001-f1",
                1,
                [708.0, 405.0, 1160.0, 1505.0],
                "",
                "La Salle appears in many of the nation's leading guidebooks.",
                "La Salle appears in many of the nation's leading guidebooks.",
                [684.3, 1555.7, 1127.3, 1573.3],
                "below",
            )
        ]
    },
    "rapiddoc-seal-scan-zh.pdf": {
        "add_not": [
            {"page": 1, "bbox": [95.0, 80.5, 494.5, 123.0], "what": "logo"},
            {"page": 4, "bbox": [318.5, 449.0, 446.5, 576.0], "what": "logo"},
        ]
    },
}

_F4 = (
    "Ablation studies on various datasets in which the number of columns is varied and the aggregator is included or not included. "
    "The results generally support the use of more columns and an aggregator module."
)
FIX["scan-p2t-paper-pages.pdf"] = {
    "add_figures": [
        fig(
            "a",
            1,
            bbox,
            "Figure 4",
            _F4,
            "Figure 4. " + _F4,
            [33.0, 211.7, 584.7, 234.7],
            "below",
            composite="grp:f4",
            subcaption=sub,
            subcaption_bbox=sb,
        )
        for bbox, sub, sb in [
            ([30.7, 14.0, 185.7, 176.0], "(a) WorldExpo", [85.7, 189.7, 140.0, 198.7]),
            ([218.7, 14.0, 373.3, 176.0], "(b) TRANCOS", [272.7, 189.7, 328.0, 198.0]),
            ([409.0, 14.0, 561.3, 176.0], "(c) UCSD original split", [445.7, 189.7, 531.3, 198.7]),
        ]
    ]
    + [
        fig(
            "b",
            2,
            [7.3, 4.3, 279.7, 94.3],
            "Figure 2",
            "UCF sample results. Left: input counting image. Middle: Ground truth density map. Right: AMDCN prediction of density map on test image. The network never saw these images during training. All density maps are one channel only (i.e. grayscale), but are colored here for clarity.",
            "Figure 2. UCF sample results. Left: input counting image. Middle: Ground truth density map. Right: AMDCN prediction of density map on test image. The network never saw these images during training. All density maps are one channel only (i.e. grayscale), but are colored here for clarity.",
            [7.7, 110.3, 280.0, 170.7],
            "below",
        )
    ]
}


PDFS = "/work/real_corpus/pdfs/"  # set by build_truth.py


def promote(book, page, label, title_hint=""):
    """Turn the neutral region nearest above a caption (which it may overlap) into that caption's figure."""
    doc = _pm.open(PDFS + book["file"])
    pg = doc[page - 1]
    for b in pg.get_text("dict")["blocks"]:
        for ln in b.get("lines", []):
            t = "".join(s["text"] for s in ln["spans"]).strip()
            rest = t[len(label) :].strip()
            if (t.startswith(label + " ") or t == label) and not rest[:1].islower():
                cap = _pm.Rect(ln["bbox"])
                cands = [n for n in book["neutral"] if n["page"] == page and n["bbox"][1] < cap.y0]
                n = min(cands, key=lambda n: abs(cap.y0 - n["bbox"][3]))
                book["neutral"].remove(n)
                box = list(n["bbox"])
                box[3] = min(box[3], round(cap.y0 - 1, 1))  # the image runs under its own caption
                import re

                title = re.sub(r"\s+", " ", t[len(label) :]).strip()
                book["figures"].append(
                    fig(
                        "x",
                        page,
                        box,
                        label,
                        title,
                        re.sub(r"\s+", " ", t),
                        [round(v, 1) for v in cap],
                        "below",
                    )
                )
                return
    raise SystemExit(f"caption {label} not found on p{page}")


def redp5110(book):
    promote(book, 44, "Figure 3-11")
    promote(book, 82, "Figure 4-48")
    # tiny images stacked five times over body text on p108/p110: not visible marks, not logos
    book["not_figures"] = [n for n in book["not_figures"] if n["page"] not in (108, 110)]
    book["not_figures"] += [
        {"page": 1, "bbox": [515.0, 27.0, 585.0, 54.0], "what": "logo"},
        {"page": 146, "bbox": [487.0, 27.0, 555.0, 53.0], "what": "logo"},
        {"page": 146, "bbox": [480.0, 81.0, 575.0, 157.0], "what": "logo"},
    ]
    book["neutral"] = [
        n
        for n in book["neutral"]
        if not (n["page"] == 146 and n["bbox"][1] < 160 and n["bbox"][0] > 470)
    ]


FIX["ibm-redp5110-rcac.pdf"] = {"edit": redp5110}


def materials(book):
    for f in book["figures"]:
        for k in ("caption", "title"):
            f[k] = f[k].replace(
                "\x03", "°"
            )  # the degree sign's glyph has no unicode in the text layer


FIX["mineru-materials-article.pdf"] = {"edit": materials}

FIX["scan-zh-textbook-page.pdf"] = {
    "add_neutral": [
        {
            "page": 1,
            "bbox": [95.0, 194.7, 240.0, 279.7],
            "why": "diagram in an exercise, no caption",
        },
        {"page": 1, "bbox": [398.7, 276.3, 492.7, 335.0], "why": "diagram in the text, no caption"},
        {"page": 1, "bbox": [366.0, 608.7, 463.3, 701.7], "why": "picture inside a table"},
        {"page": 1, "bbox": [495.7, 623.0, 563.3, 690.7], "why": "picture inside a table"},
        {"page": 1, "bbox": [370.3, 709.0, 465.7, 801.7], "why": "picture inside a table"},
        {"page": 1, "bbox": [492.7, 713.7, 566.3, 793.0], "why": "picture inside a table"},
    ]
}


def neutral_to_logo(book, page, boxes_x0):
    """Journal masthead items drafted as neutral are publisher / journal logos."""
    keep = []
    for n in book["neutral"]:
        if n["page"] == page and round(n["bbox"][0]) in boxes_x0:
            book["not_figures"].append({"page": page, "bbox": n["bbox"], "what": "logo"})
        else:
            keep.append(n)
    book["neutral"] = keep


FIX["mineru-demo1-hydrology.pdf"] = {"edit": lambda b: neutral_to_logo(b, 1, {42, 186, 418})}
_m = FIX["mineru-materials-article.pdf"]["edit"]
FIX["mineru-materials-article.pdf"] = {"edit": lambda b: (_m(b), neutral_to_logo(b, 1, {33, 496}))}
_t = FIX["rapiddoc-thesis-template-zh.pdf"]["edit"]
FIX["rapiddoc-thesis-template-zh.pdf"] = {
    "edit": lambda b: (_t(b), b.update(neutral=[n for n in b["neutral"] if n["page"] != 1]))
}

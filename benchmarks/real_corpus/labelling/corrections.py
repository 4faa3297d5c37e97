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
        # the draft boxed only the plot frame; like Figure 3, the chart takes in its tick labels
        # and axis names (set as text: the λ left of the axis, "Noise ±" under it)
        if f["page"] == 4 and f["label"] == "Figure 4":
            f["bbox"] = [314.6, 554.8, 538.1, 623.4]
    drop_neutral_inside(book, 4, [330.0, 60.0, 545.2, 300.0])
    whole_caption_blocks(book)
    unhyphenate(book, ("se-quence", "cor-responding"))


def unhyphenate(book, words):
    """Words the typesetter hyphenated at a line end ("naprox-/en"): the caption's text is the
    word, not the line break (checked by eye on the page: each is one word, no compound)."""
    for f in book["figures"]:
        for w in words:
            for k in ("caption", "title"):
                f[k] = f[k].replace(w, w.replace("-", ""))


def pharma(book):
    unhyphenate(book, ("naprox-en", "ob-tained"))


def whole_caption_blocks(book):
    """A caption runs until its text block ends: the drafts stopped at the first line where the next
    line's box touches it (no gap between the lines). Extend each caption over the following lines of
    its block (a line-end hyphen joins without a space, as the drafts do)."""
    import re

    doc = _pm.open(PDFS + book["file"])
    for f in book["figures"]:
        cap = _pm.Rect(f["caption_bbox"])
        prefix = f["caption"][: len(f["caption"]) - len(f["title"])]
        for b in doc[f["caption_page"] - 1].get_text("dict")["blocks"]:
            lines = b.get("lines", [])
            first = [
                i
                for i, ln in enumerate(lines)
                if _pm.Rect(ln["bbox"]).y0 >= cap.y0 - 1 and _pm.Rect(ln["bbox"]).intersects(cap)
            ]
            if not first:
                continue
            text, box = "", _pm.Rect()
            for ln in lines[first[0] :]:
                t = "".join(s["text"] for s in ln["spans"]).strip()
                text += ("" if not text or text.endswith("-") else " ") + t
                box |= _pm.Rect(ln["bbox"])
            text = re.sub(r"\s+", " ", text).strip()
            if text.startswith(f["caption"]) and len(text) > len(f["caption"]):
                f["caption"] = text
                f["title"] = text[len(prefix) :]
                f["caption_bbox"] = [round(v, 1) for v in box]
            break


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
    "mineru-pharma-article.pdf": {"edit": pharma},
    "pek-mobyv2al-paper.pdf": {"edit": lambda b: unhyphenate(b, ("classi-ﬁcation",))},
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


# Dunhuang mural restoration thesis-defence handout (PowerPoint export, two slides per page).
# Captions have no label; most stand to the right of the figure, set vertically (one character a
# line); the paragraph under a figure that says what it shows is its description. Boxes are the
# images' own placements and the text layer's line boxes. The drafts (whole slides merged with
# their frames) are replaced.
_DH_CAP = [
    # page, figure bbox, caption, caption bbox, position, description, description bbox
    (
        9,
        [61.8, 102.6, 375.6, 211.0],
        "整合数据集示例",
        [193.1, 212.1, 241.8, 221.2],
        "below",
        "",
        None,
    ),
    (
        9,
        [61.8, 419.3, 263.2, 610.6],
        "伪病害掩码示例",
        [136.5, 619.1, 185.2, 628.2],
        "below",
        "",
        None,
    ),
    (
        11,
        [139.6, 102.6, 400.4, 256.6],
        "不同模型的病害区域检测效果对比图",
        [412.9, 122.8, 419.9, 234.1],
        "right",
        "",
        None,
    ),
    (
        12,
        [119.9, 108.0, 420.1, 272.5],
        "最终采用参数生成的轮廓图",
        [429.1, 147.9, 436.1, 231.4],
        "right",
        "在多组参数配置的可视化对比实验中，当参数设置为sigma1=1.0、sigma2=1.2、phi=0.1、epslion=0、sharpen=100 时，提取出的轮廓图能在较好保留结构线条的同时，能够有效抑制部分纹理噪声，整体视觉效果较为接近人工绘制的线稿图，如上图所示。",
        [50.5, 286.3, 495.4, 320.8],
    ),
    (
        13,
        [109.2, 101.9, 414.8, 282.2],
        "有无微调ControlNet可视化结果对比",
        [426.1, 137.5, 433.8, 245.4],
        "right",
        "",
        None,
    ),
    (
        13,
        [113.9, 415.7, 426.1, 600.0],
        "（a）扩散完后直接恢复完好区域与（b）在扩散中逐步恢复完好区域的修复对比图",
        [141.2, 605.7, 392.2, 613.4],
        "below",
        "在扩散去噪过程中，本文在每一步引入掩码约束：在病害区域进行生成，完好区域保持原始加噪结果，保证修复范围受控并维持结构与色彩一致性，避免产生明显色差。",
        [117.5, 619.8, 422.0, 642.4],
    ),
    (
        14,
        [117.6, 102.6, 422.4, 282.6],
        "放缩掩码后有无使用高斯膨胀的修复结果对比图",
        [430.7, 118.6, 437.6, 265.5],
        "right",
        "在去噪迭代中，掩码需缩放到潜在变量的分辨率，但细小病害结构在下采样时易丢失，导致部分区域约束不足、修复不完整。为此，本文在掩码压缩后引入高斯膨胀，对放缩后掩码适度扩展，从而增强对病害区域的约束，提升修复的完整性与稳定性。",
        [121.2, 292.5, 433.7, 327.1],
    ),
    (
        14,
        [137.8, 415.7, 402.2, 611.4],
        "掩码与轮廓不同组合方式的消融实验可视化对比图",
        [414.8, 436.1, 421.8, 589.5],
        "right",
        "",
        None,
    ),
    (
        15,
        [30.0, 108.5, 288.8, 338.4],
        "不同修复方法的指标与可视化对比分析",
        [314.8, 266.8, 484.2, 276.8],
        "right",
        "",
        None,
    ),
    (
        15,
        [124.2, 415.7, 415.8, 598.9],
        "本文研究方法在中国山水画数据集的修复效果",
        [429.0, 436.6, 435.9, 576.1],
        "right",
        "在Chinese-Landscape-Painting-Dataset 数据集上，本文方法同样表现良好：随机选取100张图像进行掩码修复实验，结果显示PSNR 达20.9398，MS-SSIM为0.8656，MSE为0.0131。表明该方法不仅适用于敦煌壁画修复，在风格差异较大的中国山水画数据上也具有较好的泛化能力与结构保持能力。",
        [127.8, 603.1, 435.1, 649.7],
    ),
    (
        16,
        [118.7, 112.2, 243.0, 236.4],
        "超分辨率前",
        [163.2, 242.2, 198.1, 249.1],
        "below",
        "",
        None,
    ),
    (
        16,
        [297.0, 112.2, 421.3, 236.4],
        "超分辨率后",
        [341.6, 242.2, 376.4, 249.1],
        "below",
        "",
        None,
    ),
    (16, [81.1, 415.6, 177.0, 511.4], "修复前", [118.4, 515.5, 139.3, 522.5], "below", "", None),
    (16, [222.1, 415.6, 317.9, 511.4], "修复后", [259.4, 515.5, 280.3, 522.5], "below", "", None),
    (16, [363.0, 415.6, 458.9, 511.4], "动态化", [400.4, 515.2, 421.3, 522.2], "below", "", None),
    (
        17,
        [50.4, 487.1, 270.0, 636.5],
        "模型导入模块",
        [123.0, 638.8, 182.8, 648.7],
        "below",
        "",
        None,
    ),
    (
        17,
        [276.7, 499.1, 496.3, 636.5],
        "壁画病害区域检测模块",
        [336.6, 638.9, 436.2, 648.8],
        "below",
        "",
        None,
    ),
    (
        18,
        [282.8, 68.4, 502.4, 190.4],
        "轮廓与病害区域掩码提取及编辑模块",
        [312.6, 190.5, 472.3, 200.5],
        "below",
        "",
        None,
    ),
    (
        18,
        [30.0, 101.2, 219.0, 206.6],
        "壁画修复模块",
        [94.3, 207.8, 154.1, 217.8],
        "below",
        "",
        None,
    ),
    (
        18,
        [30.0, 217.6, 219.0, 322.6],
        "超分辨率模块",
        [94.3, 327.2, 154.1, 337.1],
        "below",
        "",
        None,
    ),
    (
        18,
        [297.4, 203.3, 488.0, 322.6],
        "壁画动态化模块",
        [357.7, 324.0, 427.4, 334.0],
        "below",
        "",
        None,
    ),
]
_TOP, _BOT = [30.0, 68.4, 510.0, 338.4], [30.0, 381.5, 510.0, 651.5]
_CORNER_TOP, _CORNER_BOT = [474.7, 302.4, 510.0, 338.4], [474.7, 615.5, 510.0, 651.5]


def dunhuang_handout(book):
    book["figures"] = [
        fig("x", p, box, "", cap, cap, cb, pos, description=d, description_bbox=db)
        for p, box, cap, cb, pos, d, db in _DH_CAP
    ]
    orn = [
        (1, _TOP),
        (1, _BOT),
        (2, _TOP),
        (4, _TOP),
        (5, _BOT),
        (8, _BOT),
        (10, _TOP),
        (17, _TOP),
        (18, _BOT),
        (19, _BOT),
    ]
    orn += [
        (2, _CORNER_BOT),
        (4, _CORNER_BOT),
        (5, _CORNER_TOP),
        (6, _CORNER_TOP),
        (6, _CORNER_BOT),
    ]
    orn += [
        (7, _CORNER_TOP),
        (7, _CORNER_BOT),
        (8, _CORNER_TOP),
        (17, _CORNER_BOT),
        (18, _CORNER_TOP),
    ]
    orn += [(19, [43.9, 104.2, 400.4, 343.3]), (19, [359.9, 110.3, 510.0, 322.8])]
    book["not_figures"] = [{"page": p, "bbox": b, "what": "ornament"} for p, b in orn]
    book["neutral"] = [
        {"page": p, "bbox": b, "why": w}
        for p, b, w in [
            (2, [61.8, 438.2, 228.8, 605.3], "mural photo on a slide, no caption"),
            (3, [268.6, 381.5, 510.0, 651.5], "flow chart, no caption"),
            (6, [91.9, 102.6, 448.1, 230.5], "model diagram, no caption"),
            (7, [60.7, 101.3, 479.2, 250.2], "model diagram (two images), no caption"),
            (7, [66.4, 414.2, 473.6, 543.6], "model diagram, no caption"),
            (
                8,
                [206.8, 124.2, 468.5, 244.1],
                "pictures inside a table (input frame, output video)",
            ),
            (10, [30.0, 433.8, 300.6, 617.3], "model diagram, no caption"),
            (11, [30.0, 434.9, 327.7, 605.6], "flow chart, no caption"),
            (12, [30.0, 444.2, 294.8, 613.9], "model diagram, no caption"),
        ]
    ]


DH_HANDOUT = "dunhuang-mural-restoration-slides-zh.pdf"
FIX[DH_HANDOUT] = {"edit": dunhuang_handout, "domain": "mural"}


# Huckleberry Finn page scan (800 x 981 px at 150 dpi: 0.48 pt a pixel): boxes measured on the pixels.
FIX["ocrmypdf-huckfinn-illustrated-scan.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [22.1, 52.8, 186.2, 384.5],
            "",
            "THEY TIP-TOED ALONG.",
            "THEY TIP-TOED ALONG.",
            [70.1, 392.2, 141.1, 397.0],
            "below",
        )
    ],
    "add_not": [{"page": 1, "bbox": [128.6, 7.7, 360.0, 57.6], "what": "ornament"}],
}
# Outlined text: the drafts' clusters of glyph outlines are not pictures; the vector art is neutral.
FIX["ocrmypdf-vector-outline-text.pdf"] = {
    "kind": "outline",
    "edit": lambda b: b.update(
        neutral=[
            {
                "page": 1,
                "bbox": [59.0, 141.1, 497.0, 401.0],
                "why": "vector art (a picture and shapes with outlined text), no caption",
            }
        ]
    ),
}


# Newspaper page image (1022 x 1328 px at 120 dpi: 0.6 pt a pixel): boxes measured on the pixels.
# The captions' leading triangle pointer is left out of caption and title; the photo credit is kept
# in the caption, left out of the title.
_BARZEH = "The remains of the Barzeh research centre in northern Damascus after an airstrike on Monday attributed to Israel"
FIX["scan-en-newspaper-page.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [129.6, 432.6, 240.6, 571.2],
            "",
            "Clearing up after an airstrike by Israel in the north-east on Monday",
            "Clearing up after an airstrike by Israel in the north-east on Monday",
            [129.6, 573.6, 233.4, 588.0],
            "below",
        ),
        fig(
            "p001-f2",
            1,
            [9.0, 597.0, 240.6, 751.2],
            "",
            _BARZEH,
            _BARZEH + " PHOTOGRAPH: OMAR HAJ KADOUR/AFP/GETTY",
            [9.0, 753.6, 235.2, 768.0],
            "below",
        ),
    ],
    "add_neutral": [
        {
            "page": 1,
            "bbox": [365.4, 63.6, 613.2, 461.4],
            "why": "photo without a caption beside the text",
        }
    ],
}


# Beijing historic-building digitisation standard: 图1 is a composite over pages 42-43 (four photos
# with sub-captions, one caption under the fourth); 图3's drawing ends page 44 and its caption opens
# page 45 (the draft paired it with 图4's drawing). Everything else is the draft.
_BJ_CAP = [230.0, 539.7, 365.3, 553.4]
_BJ_T1 = "“先整体后局部”图像示例"


def beijing_spec(book):
    book["figures"] = [
        f for f in book["figures"] if not (f["label"] in ("图1", "图3") and f["page"] in (43, 45))
    ]
    book["neutral"] = [
        n
        for n in book["neutral"]
        if n["page"] not in (42, 43) and not (n["page"] == 44 and n["bbox"][1] > 400)
    ]
    book["figures"] += [
        fig(
            "a",
            page,
            bbox,
            "图1",
            _BJ_T1,
            "图1 " + _BJ_T1,
            _BJ_CAP,
            "below",
            cap_page=43,
            composite="grp:bj-f1",
            subcaption=sub,
            subcaption_bbox=sb,
        )
        for page, bbox, sub, sb in [
            (42, [135.1, 294.2, 475.3, 461.6], "（1）屋顶整体图", [258.2, 468.3, 337.0, 482.0]),
            (42, [135.1, 488.8, 475.3, 641.4], "（2）屋顶局部图", [258.2, 647.7, 337.0, 661.4]),
            (43, [135.1, 70.9, 475.3, 283.2], "（3）立面整体图", [258.2, 289.9, 337.0, 303.6]),
            (43, [127.4, 310.3, 467.6, 513.2], "（4）立面局部图", [258.2, 519.3, 337.0, 533.0]),
        ]
    ]
    book["figures"].append(
        fig(
            "b",
            44,
            [98.9, 460.8, 495.7, 777.1],
            "图3",
            "院落平面图",
            "图3 院落平面图",
            [258.0, 70.9, 336.7, 84.6],
            "below",
            cap_page=45,
        )
    )
    book["neutral"] = [n for n in book["neutral"] if n["page"] != 1]
    book["not_figures"].append({"page": 1, "bbox": [412.0, 88.9, 521.2, 144.7], "what": "logo"})


FIX["beijing-historic-building-spec-zh.pdf"] = {"edit": beijing_spec}


# Research report p2: three rows of two charts; the draft merged each row into one box shared by
# both captions. Each chart is its own image placement (page.get_image_info).
_RR_BOXES = {
    "图1": [55.2, 114.8, 287.3, 253.3],
    "图2": [301.6, 111.8, 540.1, 253.1],
    "图3": [55.2, 342.6, 287.5, 475.9],
    "图4": [301.6, 330.6, 540.0, 474.6],
    "图5": [55.2, 556.9, 287.5, 690.2],
    "图6": [301.6, 552.4, 539.9, 689.2],
}


def research_report(book):
    for f in book["figures"]:
        if f["page"] == 2 and f["label"] in _RR_BOXES:
            f["bbox"] = _RR_BOXES[f["label"]]


FIX["rapiddoc-research-report-zh.pdf"] = {"edit": research_report}


# FAA handbook page: the two figures' image tiles touch, so the draft merged them into one box
# shared by both captions. Each figure has its own drawn frame (page.get_drawings, stroked rects).
_FAA_BOXES = {
    "Figure 7-26": [72.0, 531.7, 309.0, 694.0],
    "Figure 7-27": [321.2, 422.5, 558.2, 692.0],
}


def faa(book):
    for f in book["figures"]:
        f["bbox"] = _FAA_BOXES[f["label"]]


FIX["faa-amt-handbook-sample.pdf"] = {"edit": faa}


# Magazine: two photos have a caption without a label under them: p1 (its image placement, the
# frame included; the draft left it neutral) and p2 (a rotated image placement; the draft merged it
# into the page-size background image, neutral).
FIX["mineru-magazine-layout.pdf"] = {
    "edit": lambda b: b.update(neutral=[n for n in b["neutral"] if n["page"] != 1]),
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [282.0, 205.7, 697.0, 507.2],
            "",
            "Crew of the space shuttle Atlantis, November 20, 2007.",
            "Crew of the space shuttle Atlantis, November 20, 2007.",
            [448.1, 510.8, 657.0, 521.4],
            "below",
        ),
        fig(
            "p002-f1",
            2,
            [353.3, 201.3, 501.7, 392.3],
            "",
            "A child receiving a vaccination.",
            "A child receiving a vaccination.",
            [360.6, 392.1, 476.5, 402.1],
            "below",
        ),
    ],
}


# ---- Added: real page images wrapped as scans (boxes measured on the pixels: the tight box of
# non-background pixels inside a rectangle read off a gridded render; captions read on the page,
# checked against RapidOCR's reading of the same lines).

# 中国教育报 front page (2033 x 2920 px at 250 dpi: 0.288 pt a pixel). Two photos: the big one's
# lower right corner lies under the small one. One caption line each; the ▲ / ▶ pointers are left
# out; the credit 新华社发 is its own line under both (left out). The feature's paragraph beside the
# photos says what both show: the description of each.
_EDU_DESC = (
    "2025年9月13日是第26个“世界急救日”，今年的主题为“急救与气候变化”。各地开展应急救护培训"
    "活动，传播救护知识与理念，提升群众自救互救能力。"
)
_EDU_DESC_BOX = [294.0, 514.6, 378.8, 548.1]
_EDU_1 = "9月12日，在江苏省扬州市江都区第二中学，医护人员为学生讲解急救知识（无人机照片）。"
_EDU_2 = "9月12日，山东省青岛市李沧区红十字会讲师在青岛弘德小学通过互动方式为学生传授急救知识。"
FIX["scan-zh-newspaper-education.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [10.1, 434.9, 284.3, 610.6],
            "",
            _EDU_1,
            _EDU_1,
            [25.6, 616.3, 232.9, 623.1],
            "below",
            description=_EDU_DESC,
            description_bbox=_EDU_DESC_BOX,
        ),
        fig(
            "p001-f2",
            1,
            [265.8, 563.0, 377.3, 636.8],
            "",
            _EDU_2,
            _EDU_2,
            [25.6, 623.1, 245.3, 629.9],
            "below",
            description=_EDU_DESC,
            description_bbox=_EDU_DESC_BOX,
        ),
    ],
    "add_not": [
        {"page": 1, "bbox": [182.3, 10.9, 413.0, 92.7], "what": "logo"},
        {"page": 1, "bbox": [16.1, 54.1, 73.4, 79.5], "what": "logo"},
        {"page": 1, "bbox": [501.7, 62.5, 531.1, 91.9], "what": "icon"},
        {"page": 1, "bbox": [537.4, 62.5, 567.9, 92.2], "what": "icon"},
        {"page": 1, "bbox": [411.8, 647.7, 476.9, 665.3], "what": "icon"},
    ],
}

# 农民日报 page (992 x 1419 px at 120 dpi: 0.6 pt a pixel). The photo's caption is framed under it
# and ends with the credit (kept in the caption, left out of the title). The second photo's caption
# is printed inside it in tiny white type, not legible here: neutral.
_FARM = (
    "近年来，云南省罗平县板桥镇加大调整农业产业结构力度，组织农户成立专业合作社，大面积推广种植"
    "黄姜，并建立规范的黄姜专业交易市场，形成姜产品绿色产业链，鲜姜及姜制品远销新疆、内蒙古及日本、"
    "韩国和海湾地区。2010年全县黄姜产业创造产值5.3亿元，种姜农民人均增收500元。图为板桥黄姜开发"
    "协会生产车间的工人在对黄姜进行干燥处理。"
)
FIX["scan-zh-newspaper-farmers.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [135.0, 241.8, 357.0, 364.2],
            "",
            _FARM,
            _FARM + " 新华社记者 陈海宁 摄",
            [139.8, 366.6, 352.2, 402.6],
            "below",
        )
    ],
    "add_not": [{"page": 1, "bbox": [1.8, 16.8, 67.2, 43.2], "what": "logo"}],
    "add_neutral": [
        {
            "page": 1,
            "bbox": [414.0, 678.0, 590.0, 813.0],
            "why": "photo whose tiny caption is printed inside it, not legible at this resolution",
        }
    ],
}

# Research poster (2000 x 1500 px at 200 dpi: 0.36 pt a pixel): five figures, captions below.
_GK = [
    (
        [272.2, 81.0, 355.7, 248.8],
        "Figure 1",
        "Full tree image for a Ginkgo.",
        [272.2, 252.7, 352.8, 275.4],
    ),
    (
        [264.2, 276.1, 359.6, 379.8],
        "Figure 2",
        "Node 1 image for a Ginkgo.",
        [268.2, 382.3, 349.9, 406.1],
    ),
    (
        [259.2, 407.5, 369.0, 477.0],
        "Figure 3",
        "Node image with ImageJ measurements labeled.",
        [263.5, 478.8, 366.8, 514.4],
    ),
    (
        [534.6, 81.4, 709.6, 194.4],
        "Figure 4",
        "ANCOVA for WBE model, the slopes of observed and predicted differed statistically "
        "significantly. Observed Ginkgo differed from models’ predictions most in its optimization "
        "for total mass.",
        [535.3, 196.6, 708.5, 255.6],
    ),
    (
        [528.8, 261.7, 702.7, 375.1],
        "Figure 5",
        "Comparison of how well Sugar Maple, American Beech, and Gingko fit each model. Ginkgo has a "
        "large safety margin to reduce risk of buckling, because of its under optimisation for total "
        "mass.",
        [529.6, 376.2, 712.1, 436.3],
    ),
]
FIX["scan-en-poster-ginkgo.pdf"] = {
    "add_figures": [
        fig("x", 1, box, label, title, f"{label}. {title}", cap, "below")
        for box, label, title, cap in _GK
    ]
}

# X-Ray Spectrometry page scan (1653 x 2334 px at 200 dpi: 0.36 pt a pixel): two charts.
FIX["scan-en-xray-paper-page.pdf"] = {
    "add_figures": [
        fig(
            "x",
            1,
            box,
            label,
            title,
            f"{label}. {title}",
            cap,
            "below",
        )
        for box, label, title, cap in [
            (
                [331.2, 69.8, 527.0, 255.6],
                "Figure 11",
                "MDL as a function of the atomic number Z for different samples.",
                [308.1, 262.4, 549.4, 281.2],
            ),
            (
                [334.1, 295.2, 523.4, 470.2],
                "Figure 12",
                "MDL as a function of the atomic number Z for sample B.",
                [307.4, 477.0, 549.4, 496.4],
            ),
        ]
    ]
}

# Teaching slide (2667 x 1500 px at 200 dpi: 0.36 pt a pixel): three pictures, each with its drop
# shadow (the cartoon's white ground runs to its left edge, read off the render), a caption without
# a label under each.
FIX["scan-en-slide-festivals.pdf"] = {
    "add_figures": [
        fig("x", 1, box, "", cap, cap, cb, "below")
        for box, cap, cb in [
            ([100.1, 167.8, 369.4, 368.6], "Rio Carnival", [154.9, 388.6, 302.0, 417.5]),
            ([395.6, 167.8, 612.0, 368.6], "The Spring Festival", [377.0, 388.6, 608.3, 420.4]),
            ([616.0, 167.8, 884.5, 368.6], "Thanksgiving", [664.4, 387.6, 824.1, 421.9]),
        ]
    ]
}

# ViLT first page image (2176 x 2816 px at 256 dpi: 0.281 pt a pixel): one diagram, caption below.
_VILT = (
    "Visual comparison of conventional VLP architectures and our proposed ViLT. We have entirely "
    "removed convolutional neural networks from the VLP pipeline without hurting performance on "
    "downstream tasks. ViLT is the first VLP model of which the modal-specific components require "
    "less computation than the transformer component for multimodal interactions."
)
FIX["scan-en-vilt-paper-page.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [313.6, 194.3, 534.9, 408.4],
            "Figure 1",
            _VILT,
            "Figure 1. " + _VILT,
            [305.2, 422.7, 543.9, 487.4],
            "below",
        )
    ]
}

# Probability book page scan (1221 x 1851 px at 150 dpi: 0.48 pt a pixel): one diagram.
FIX["scan-en-probability-book-page.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [227.5, 516.5, 358.6, 602.4],
            "Figure 10",
            "The binary symmetric channel.",
            "Figure 10. The binary symmetric channel.",
            [187.2, 614.9, 397.9, 626.4],
            "below",
        )
    ]
}

# Chinese survey paper page (621 x 877 px at 75 dpi: 0.96 pt a pixel): one small diagram with its
# 图1 caption below; the paper's English caption for it sits in the right column, apart (not part
# of this caption).
FIX["scan-zh-survey-paper-page.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [69.1, 704.6, 281.3, 754.6],
            "图1",
            "自底向上的表格结构识别深度学习算法框架",
            "图1 自底向上的表格结构识别深度学习算法框架",
            [74.9, 759.4, 268.8, 772.8],
            "below",
        )
    ]
}

# 'In this issue' page image (800 x 1042 px at 100 dpi: 0.72 pt a pixel). The cover picture sits on
# a tinted panel (its box read off a gridded render: the panel's tint defeats the pixel measure);
# the heading right of it is its caption, the paragraph under the heading says what it shows.
_EJI = (
    "The cover picture shows immunohistology of mouse brain infected with neurotropic Borna "
    "disease virus. Viral antigen (brown staining) was detected with a monoclonal antibody specific "
    "for the viral nucleoprotein in nuclei and processes of neurons. As described by Engelhardt et "
    "al. in their article in the “Immunity to infection” section (pp. 487–497), immunopathogenic "
    "CD8 T cells derived from brains of such mice show altered tetramer binding and functional "
    "avidity."
)
FIX["scan-en-journal-issue-page.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [60.5, 159.1, 195.1, 338.4],
            "",
            "Cover picture",
            "Cover picture",
            [205.2, 154.8, 266.4, 169.2],
            "right",
            description=_EJI,
            description_bbox=[205.2, 178.6, 507.6, 259.9],
        )
    ],
    "add_neutral": [
        {
            "page": 1,
            "bbox": [46.8, 382.3, 180.7, 491.8],
            "why": "protein structure drawing, no caption",
        },
        {"page": 1, "bbox": [369.4, 560.9, 504.0, 689.8], "why": "schematic drawing, no caption"},
    ],
    "add_not": [
        {"page": 1, "bbox": [49.7, 54.7, 161.3, 85.7], "what": "logo"},
        {"page": 1, "bbox": [47.5, 361.4, 56.2, 367.2], "what": "icon"},
        {"page": 1, "bbox": [369.4, 540.7, 378.0, 547.2], "what": "icon"},
        {"page": 1, "bbox": [552.2, 27.4, 563.8, 34.6], "what": "icon"},
    ],
}

# Chinese maths test sheet scan (1492 x 1056 px at 90 dpi: 0.8 pt a pixel). Each graph's caption is
# only a label (第3题图: "figure of question 3"); stored without a label, the caption as its title.
FIX["scan-zh-exam-math-page.pdf"] = {
    "add_figures": [
        fig("x", 1, box, "", cap, cap, cb, "below")
        for box, cap, cb in [
            ([132.8, 505.6, 233.6, 588.0], "第3题图", [159.2, 592.0, 206.4, 608.8]),
            ([270.4, 495.2, 380.0, 586.0], "第8题图", [301.6, 591.2, 348.0, 608.0]),
            ([850.4, 515.2, 969.6, 600.0], "第13题图", [883.2, 602.4, 935.2, 618.4]),
            ([1032.0, 519.2, 1114.4, 595.0], "第15题图", [1040.0, 600.8, 1091.2, 617.6]),
            ([512.0, 721.6, 596.0, 781.6], "第9题图", [530.4, 785.6, 577.6, 802.4]),
            ([645.6, 726.4, 727.2, 781.6], "第10题图", [660.0, 784.8, 712.0, 801.6]),
        ]
    ],
    "add_neutral": [
        {
            "page": 1,
            "bbox": [468.0, 349.6, 772.0, 424.8],
            "why": "four answer-option graphs lettered A-D, no caption",
        }
    ],
}

# Broker report page image (2116 x 2993 px at 250 dpi: 0.288 pt a pixel): the sidebar chart's
# caption is the heading bar above it (white type on dark red).
FIX["scan-zh-broker-report-page.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [23.0, 467.1, 164.7, 572.8],
            "",
            "股价与行业-市场走势对比",
            "股价与行业-市场走势对比",
            [22.1, 440.1, 162.7, 451.8],
            "above",
        )
    ],
    "add_not": [{"page": 1, "bbox": [36.9, 30.8, 156.1, 61.9], "what": "logo"}],
}

# Flemish magazine page scan (2562 x 3588 px at 300 dpi: 0.24 pt a pixel): one halftone photo of a
# tapestry, its caption below (the line-end hyphen of bele-gering joined, as in the drafts).
_TAPESTRY = "Middeleeuws wandtapijt uit de verzameling van de stad Doornik : « De belegering van Jeruzalem »."
FIX["scan-nl-magazine-tapestry.pdf"] = {
    "add_figures": [
        fig(
            "p001-f1",
            1,
            [54.5, 484.3, 291.6, 793.9],
            "",
            _TAPESTRY,
            _TAPESTRY,
            [54.2, 796.8, 298.6, 812.9],
            "below",
        )
    ]
}

"""The corpus files: source, page images for wrapped scans, and what each covers."""

SPEC = [
    dict(
        name="ibm-redp5110-rcac.pdf",
        repo="DS4SD/docling",
        commit="c253dd743a",
        path="test/data/redp5110.pdf",
        covers=[
            "English technical book (IBM Redpaper, 146 pages)",
            "Figure N-N captions below figures",
            "screenshots (raster) and vector-drawn figures",
            "IBM and Redpaper logos on the covers, Redbooks logo in the trademarks page (not_figures)",
            "two figures whose image overlaps its own caption",
        ],
    ),
    dict(
        name="ibm-redp5695-z16.pdf",
        repo="DS4SD/docling",
        commit="c253dd743a",
        path="test/data/redp5695.pdf",
        covers=[
            "English technical brochure (IBM Redbook, 40 pages)",
            "Figure N captions",
            "vector diagrams built from many small images",
            "a Redbooks logo in the text (not_figure)",
            "covers (pages 1 and 40) not labelled",
        ],
    ),
    dict(
        name="faa-amt-handbook-sample.pdf",
        repo="DS4SD/docling",
        commit="f9144f2bb6",
        path="tests/data/amt_handbook_sample.pdf",
        covers=[
            "handbook page",
            "figures assembled from many image tiles",
            "two figures side by side",
            "Figure 7-26 captions below",
        ],
    ),
    dict(
        name="docling-picture-classification.pdf",
        repo="DS4SD/docling",
        commit="16a218d871",
        path="tests/data/picture_classification.pdf",
        covers=["2-page article", "chart and map figures", "Figure N captions"],
    ),
    dict(
        name="mineru-demo1-hydrology.pdf",
        repo="opendatalab/MinerU",
        commit="d91367159f",
        path="demo/batch_data/demo1.pdf",
        covers=[
            "journal article, two columns",
            "Fig. N. captions below",
            "charts and composite figures (a)(b)",
        ],
    ),
    dict(
        name="mineru-demo2-stereo.pdf",
        repo="opendatalab/MinerU",
        commit="8e537ed554f237bd6a5f460221e9243dd30b9dd8",
        path="demo/demo2.pdf",
        covers=[
            "conference paper, two columns",
            "Figure N: captions",
            "photo grids (several images, one caption)",
        ],
    ),
    dict(
        name="mineru-materials-article.pdf",
        repo="opendatalab/MinerU",
        commit="3a0039eb297a0f8f5db66dc16c895788b039f94f",
        path="tests/test_cli/pdf_dev/pdf/academic_literature_0b2c9c91f5232541a7ace8984df306b2.pdf",
        covers=[
            "journal article (Elsevier), two columns",
            "Fig. N. captions",
            "micrograph composites (a)(b)(c)",
            "publisher logo",
        ],
    ),
    dict(
        name="pek-mobyv2al-paper.pdf",
        repo="opendatalab/PDF-Extract-Kit",
        commit="52b1a8e38e",
        path="Failcase/2301.01531/2301.01531.pdf",
        covers=["arXiv paper", "Figure N: captions", "several plots in one figure"],
    ),
    dict(
        name="mineru-pharma-article.pdf",
        repo="opendatalab/MinerU",
        commit="3a0039eb297a0f8f5db66dc16c895788b039f94f",
        path="tests/test_cli/pdf_dev/pdf/academic_literature_f7904bc37cc2e25c1e3e412978854b10.pdf",
        covers=[
            "journal article (Springer), two columns",
            "three vector-drawn charts on one page",
            "Fig. N captions below",
            "publisher logo",
        ],
    ),
    dict(
        name="mineru-unittest-figure.pdf",
        repo="opendatalab/MinerU",
        commit="98a7d66d28",
        path="tests/unittest/pdfs/test.pdf",
        covers=['one page with a figure, a caption "Figure 1 Figure Caption" and a table'],
    ),
    dict(
        name="mineru-magazine-layout.pdf",
        repo="opendatalab/MinerU",
        commit="0e1371e8d0978a57aa7eeb224ea8acadd6b2996e",
        path="example/examples/magazine_complex_layout_images_list.pdf",
        covers=[
            "textbook / magazine layout",
            "photos without labelled captions (neutral)",
            "crop marks",
        ],
    ),
    dict(
        name="rapiddoc-research-report-zh.pdf",
        repo="RapidAI/RapidDoc",
        commit="76cea0dadd",
        path="demo/pdfs/示例7-研究报告.pdf",
        covers=[
            "Chinese broker research report",
            "图N： captions above the figure",
            "two figures side by side",
            "charts",
        ],
    ),
    dict(
        name="rapiddoc-thesis-template-zh.pdf",
        repo="RapidAI/RapidDoc",
        commit="dc89d9e08c",
        path="demo/pdfs/示例1-论文模板.pdf",
        covers=[
            "Chinese thesis template (Word export)",
            "图表 1.1 caption under a framed picture",
            "table inside the text (neutral)",
            "vendor logo on the cover (not_figure)",
        ],
    ),
    dict(
        name="luatex-cn-shiji-vertical.pdf",
        repo="open-guji/luatex-cn",
        commit="1aa5553922",
        path="luatex-cn/example/shiji-wudibenji/shiji.pdf",
        covers=[
            "vertical traditional Chinese text (史記 五帝本紀), typeset like a 四库全书 page",
            "a red seal image (not_figure)",
            "no figures",
        ],
    ),
    dict(
        name="mineru-scanned-zh.pdf",
        repo="opendatalab/MinerU",
        commit="0e1371e8d0978a57aa7eeb224ea8acadd6b2996e",
        path="example/examples/scanned.pdf",
        scanned=True,
        covers=["scanned Chinese book pages (image strips, no text layer)", "no figures"],
    ),
    dict(
        name="rapiddoc-seal-scan-zh.pdf",
        repo="RapidAI/RapidDoc",
        commit="fcb40870b7",
        path="demo/pdfs/含印章.pdf",
        scanned=True,
        covers=[
            "scanned Chinese letter, 4 pages",
            "red letterhead and red seal (not_figures)",
            "no figures",
        ],
    ),
    dict(
        name="scan-zh-report-page.pdf",
        repo="RapidAI/RapidDoc",
        commit="78cc8fba596d07766ccb62cbb7b6e3be31f66002",
        images=["demo/images/img.png"],
        dpi=120,
        scanned=True,
        covers=[
            "page image of a Chinese annual report wrapped as a scan",
            "captions without a label under a chart and under a photo",
        ],
    ),
    dict(
        name="scan-en-paper-page.pdf",
        repo="RapidAI/RapidDoc",
        commit="78cc8fba596d07766ccb62cbb7b6e3be31f66002",
        images=["demo/images/img_7.png"],
        dpi=144,
        scanned=True,
        covers=[
            "page image of an astronomy paper wrapped as a scan",
            "Fig. 3. caption under a corner-plot composite",
            "a table beside the text",
        ],
    ),
    dict(
        name="scan-p2t-paper-pages.pdf",
        repo="breezedeus/Pix2Text",
        commit="5fa1d578b43bafaafa6fff58f0f9895150271b8b",
        images=["docs/examples/page.png", "docs/examples/page2.png"],
        dpi=190,
        scanned=True,
        covers=[
            "two page images of a computer-vision paper wrapped as a scan",
            "composite figure with sub-captions (a)(b)(c) and one caption",
            "photo-strip figure (three images, one caption) in a two-column page",
        ],
    ),
    dict(
        name="scan-zh-textbook-page.pdf",
        repo="RapidAI/RapidDoc",
        commit="78cc8fba596d07766ccb62cbb7b6e3be31f66002",
        images=["demo/images/img_3.png"],
        dpi=120,
        scanned=True,
        covers=[
            "scanned page of a Chinese physics study guide",
            "uncaptioned diagrams in the text and pictures inside a table (neutral)",
            "no captioned figures",
        ],
    ),
    dict(
        name="scan-vertical-trad.pdf",
        repo="RapidAI/RapidDoc",
        commit="78cc8fba596d07766ccb62cbb7b6e3be31f66002",
        images=["demo/images/img_6.png", "demo/images/img_9.png"],
        dpi=120,
        scanned=True,
        covers=[
            "scanned vertical traditional Chinese (newspaper column, calligraphy)",
            "no captioned figures",
        ],
    ),
    dict(
        name="scan-zh-magazine.pdf",
        repo="RapidAI/RapidDoc",
        commit="dc89d9e08ceb8d4f80b57e4618ab4fabb630f323",
        images=[
            "demo/images/reader_order_02.jpg",
            "demo/images/reader_order_03.jpg",
            "demo/images/reader_order_04.jpg",
        ],
        dpi=240,
        scanned=True,
        covers=[
            "scanned Chinese magazine pages with illustrations",
            "vertical traditional text page",
            "uncaptioned pictures (neutral)",
        ],
    ),
    dict(
        name="pek-fuzzy-scan.pdf",
        repo="opendatalab/PDF-Extract-Kit",
        commit="b8abb20f640b8ed1ea44e9176f14aee5f563f957",
        images=["assets/demo/layout_detection/fuzzy_scan.png"],
        dpi=200,
        scanned=True,
        covers=["real book scan with bleed-through", "uncaptioned line drawing (neutral)"],
    ),
    dict(
        name="docling-scanned-ad.pdf",
        repo="DS4SD/docling",
        commit="bfdc4e32cc",
        path="tests/data_scanned/scanned_03.pdf",
        scanned=True,
        covers=[
            "scanned magazine advertisement",
            "picture of book covers with a small caption without label",
        ],
    ),
    dict(
        name="dunhuang-mural-restoration-slides-zh.pdf",
        repo="Mr-Asher-Zheng/Dunhuang_Mural_Restoration",
        commit="5a0414a3e2",
        path="论文及答辩讲义/基于扩散模型的敦煌壁画修复与视觉重建研究_讲义_郑炳旭.pdf",
        covers=[
            "Chinese thesis-defence handout on Dunhuang mural restoration (PowerPoint export, two slides a page)",
            "mural photo grids; captions without a label, seven right of the figure, six of them set vertically",
            "describing paragraphs under four figures (descriptions)",
            "several figures per page with short captions (screenshots, before/after pictures)",
            "slide backgrounds and corner ornaments (not_figures); uncaptioned diagrams (neutral)",
        ],
    ),
    dict(
        name="ocrmypdf-huckfinn-illustrated-scan.pdf",
        repo="ocrmypdf/OCRmyPDF",
        commit="62b42095",
        path="tests/resources/c02-22.pdf",
        scanned=True,
        covers=[
            "scanned page of an illustrated 19th-century book (Adventures of Huckleberry Finn, chapter II)",
            "engraving set beside the text column (text runs around it); small caption without a label below it",
            "hand-lettered chapter heading touching the illustration (not_figure)",
        ],
    ),
    dict(
        name="ocrmypdf-vector-outline-text.pdf",
        repo="ocrmypdf/OCRmyPDF",
        commit="62b42095",
        path="tests/resources/vector.pdf",
        covers=[
            "text drawn as vector outlines (no fonts, no text layer): a title and a paragraph",
            "synthetic test page (not a real document): vector art with outlined text inside it (neutral)",
            "no captioned figures",
        ],
    ),
    dict(
        name="scan-en-newspaper-page.pdf",
        repo="RapidAI/RapidDoc",
        commit="78cc8fba596d07766ccb62cbb7b6e3be31f66002",
        images=["demo/images/img_1.png"],
        dpi=120,
        scanned=True,
        covers=[
            "page image of a newspaper (The Guardian) wrapped as a scan",
            "two photos with captions without a label below them (a \u25b2 pointer, a photo credit)",
            "a large photo without a caption beside the text (neutral)",
        ],
    ),
    dict(
        name="beijing-historic-building-spec-zh.pdf",
        repo="jiajiajiang91-design/gujian-conservation-workbench",
        commit="ea8f8f4e426c6b1dc65caa1840e1012a87b4cfe6",
        path="验证材料/02_PoC工作流验证/素材/北京_历史建筑数字化技术规范_征求意见稿.pdf",
        covers=[
            "Chinese technical standard draft on digitising historic buildings (北京市地方标准, WPS export, 51 pages)",
            "图N captions below photos and measured drawings of historic buildings; up to three figures a page",
            "a composite running over two pages: four sub-figures with sub-captions (1)-(4), one caption on the second page",
            "a figure at the foot of a page whose caption opens the next page",
            "tables drawn with rules (neutral); the DB standard logo on the cover (not_figure)",
        ],
    ),
]

# Rendered scans: NOT real scans. Pages of the two heritage files above rendered grey at 150 dpi,
# blurred slightly (Gaussian, radius 0.7 px) and JPEG-compressed (quality 60), wrapped as image-only
# PDFs with the source pages' sizes; build_truth.py carries the source's labels over (pages
# renumbered 1..n), restore.py renders them from the restored source file.
SPEC += [
    dict(
        name="scan-rendered-dunhuang-mural-slides-zh.pdf",
        rendered_from="dunhuang-mural-restoration-slides-zh.pdf",
        pages=list(range(9, 19)),
        dpi=150,
        blur=0.7,
        jpeg_quality=60,
        covers=[
            "NOT a real scan: pages 9-18 of the Dunhuang handout rendered grey at 150 dpi, slight blur, JPEG quality 60",
            "the handout's labels carried over: mural photo grids, captions without a label, vertical captions right of the figure, descriptions",
            "no text layer: captions must be read by OCR",
        ],
    ),
    dict(
        name="scan-rendered-beijing-historic-building-zh.pdf",
        rendered_from="beijing-historic-building-spec-zh.pdf",
        pages=list(range(42, 51)),
        dpi=150,
        blur=0.7,
        jpeg_quality=60,
        covers=[
            "NOT a real scan: pages 42-50 of the Beijing historic-building standard rendered grey at 150 dpi, slight blur, JPEG quality 60",
            "the standard's labels carried over: 图N captions below photos and measured drawings; a composite over two pages; a caption on the page after its figure",
            "no text layer: captions must be read by OCR",
        ],
    ),
]

# Outlined twins: NOT real files. The same pages of the two heritage files with every glyph redrawn
# as a vector path (restore.outline_text: MuPDF's SVG writer with text as paths, read back as PDF),
# as web and print exports set text: no text layer, pictures and drawings kept, page sizes kept;
# build_truth.py carries the source's labels over (pages renumbered 1..n), kind outline.
SPEC += [
    dict(
        name="outlined-dunhuang-mural-slides-zh.pdf",
        outlined_from="dunhuang-mural-restoration-slides-zh.pdf",
        pages=list(range(9, 19)),
        covers=[
            "NOT a real file: pages 9-18 of the Dunhuang handout with its text redrawn as glyph outlines (no text layer)",
            "the handout's labels carried over: mural photo grids, captions without a label, vertical captions right of the figure, descriptions",
            "captions must be read by OCR around pictures kept as embedded images",
        ],
    ),
    dict(
        name="outlined-beijing-historic-building-zh.pdf",
        outlined_from="beijing-historic-building-spec-zh.pdf",
        pages=list(range(42, 51)),
        covers=[
            "NOT a real file: pages 42-50 of the Beijing historic-building standard with its text redrawn as glyph outlines (no text layer)",
            "the standard's labels carried over: 图N captions below photos and measured drawings; a composite over two pages; a caption on the page after its figure",
            "captions must be read by OCR around pictures kept as embedded images",
        ],
    ),
]

# Real page images with captioned figures, wrapped as scans (added for the scanned side).
SPEC += [
    dict(
        name="scan-zh-newspaper-education.pdf",
        repo="RapidAI/RapidDoc",
        commit="dc89d9e08ceb8d4f80b57e4618ab4fabb630f323",
        images=["demo/images/reader_order_01.png"],
        dpi=250,
        scanned=True,
        covers=[
            "front page of a Chinese newspaper (中国教育报, 2025) wrapped as a scan",
            "two news photos, the small one overlapping the big one's corner; one caption line for each (▲ / ▶ pointers, left out), a photo credit on its own line",
            "a feature headline and a describing paragraph beside the photos (description)",
            "calligraphic masthead, emblems, QR codes and a section badge (not_figures)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-zh-newspaper-farmers.pdf",
        repo="rednote-hilab/dots.ocr",
        commit="0f0e94c10ff595bf55ef36ebb4e4d8c1950e07c5",
        images=["assets/showcase/origin/reading_order.png"],
        dpi=120,
        scanned=True,
        covers=[
            "page of a Chinese newspaper (农民日报, 2010) wrapped as a scan, low resolution",
            "a news photo with a long caption without a label in a frame under it, the photographer's credit at its end",
            "a photo whose tiny caption is printed inside it, not legible (neutral); masthead (not_figure)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-en-poster-ginkgo.pdf",
        repo="opendatalab/DocLayout-YOLO",
        commit="b6d6625d6ec57f2945d311e58fc3a2b5759eade7",
        images=["assets/example/poster.jpg"],
        dpi=200,
        scanned=True,
        covers=[
            "image of a research poster (botany) wrapped as a scan",
            "five captioned figures: three photos stacked in a narrow column, two charts; Figure N. captions below, short and long",
            "captions set as narrow blocks under the photos, wide blocks under the charts",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-en-xray-paper-page.pdf",
        repo="opendatalab/DocLayout-YOLO",
        commit="b6d6625d6ec57f2945d311e58fc3a2b5759eade7",
        images=["assets/example/academic.jpg"],
        dpi=200,
        scanned=True,
        covers=[
            "scanned page of a 1999 journal article (X-Ray Spectrometry), two columns",
            "two line charts stacked in the right column, Figure N. captions below each",
            "two tables with captions above in the left column (not figures)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-en-slide-festivals.pdf",
        repo="opendatalab/DocLayout-YOLO",
        commit="b6d6625d6ec57f2945d311e58fc3a2b5759eade7",
        images=["assets/example/ppt.jpg"],
        dpi=200,
        scanned=True,
        covers=[
            "image of a teaching slide wrapped as a scan (English lesson)",
            "three pictures side by side (photo, cartoon on white, drawing with text inside it), drop shadows",
            "a one- or three-word caption without a label under each, in red",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-en-vilt-paper-page.pdf",
        repo="opendatalab/PDF-Extract-Kit",
        commit="b8abb20f640b8ed1ea44e9176f14aee5f563f957",
        images=["assets/demo/layout_detection/paper.png"],
        dpi=256,
        scanned=True,
        covers=[
            "page image of an arXiv paper's first page (ViLT) wrapped as a scan (a clean render, not a paper scan)",
            "one vector-style diagram in the right column, a long Figure 1. caption below it (italic label)",
            "the arXiv side stamp printed vertically in the margin (text, not labelled)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-en-probability-book-page.pdf",
        repo="opendatalab/DocLayout-YOLO",
        commit="b6d6625d6ec57f2945d311e58fc3a2b5759eade7",
        images=["assets/example/textbook.jpg"],
        dpi=150,
        scanned=True,
        covers=[
            "scanned page of a mathematics book (probability), formulas in the text",
            "a small line diagram in the text with a Figure 10. caption below it",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-zh-survey-paper-page.pdf",
        repo="RapidAI/RapidLayout",
        commit="3f9b92213979488f4debd8a89fac72607b1e126f",
        images=["tests/test_files/layout.jpg"],
        dpi=75,
        scanned=True,
        covers=[
            "low-resolution page image of a Chinese survey paper (table structure recognition), two columns, highlighted lines",
            "a small diagram with a 图1 caption below it; its English caption (Fig.1 ...) was set apart in the other column (not labelled)",
            "two bilingual tables with captions above (not figures)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-en-journal-issue-page.pdf",
        repo="opendatalab/PDF-Extract-Kit",
        commit="d42243053473738b6d8f48bfdc500679e9f7e979",
        images=["convension/detectron2/sample_1042x800.png"],
        dpi=100,
        scanned=True,
        covers=[
            "page image of a journal's 'In this issue' page (European Journal of Immunology, 2005) wrapped as a scan",
            "the issue's cover picture on a tinted panel, a short caption 'Cover picture' beside it (right) and the paragraph that describes it (description)",
            "two uncaptioned illustrations beside articles (neutral); the journal's name mark and small arrow icons (not_figures)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-zh-exam-math-page.pdf",
        repo="RapidAI/RapidDoc",
        commit="78cc8fba596d07766ccb62cbb7b6e3be31f66002",
        images=["demo/images/img_8.png"],
        dpi=90,
        scanned=True,
        covers=[
            "scanned Chinese maths test sheet (A3, three columns), grey paper",
            "six small function graphs, each with a caption that is only a label (第3题图, 第13题图) below it, two side by side in a column",
            "four answer-option graphs lettered A-D, no caption (neutral); a table in the text (not a figure)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-zh-broker-report-page.pdf",
        repo="opendatalab/PDF-Extract-Kit",
        commit="b8abb20f640b8ed1ea44e9176f14aee5f563f957",
        images=["assets/demo/layout_detection/financial_report.png"],
        dpi=250,
        scanned=True,
        covers=[
            "page image of a Chinese broker report (中泰证券) wrapped as a scan, sidebar and main column",
            "a stock chart in the sidebar, its caption without a label above it in a dark heading bar",
            "tables of figures (not figures); the broker's logo (not_figure)",
        ],
    ),
]
SPEC += [
    dict(
        name="scan-nl-magazine-tapestry.pdf",
        repo="rednote-hilab/dots.ocr",
        commit="0f0e94c10ff595bf55ef36ebb4e4d8c1950e07c5",
        images=["assets/showcase/origin/nl.png"],
        dpi=300,
        scanned=True,
        covers=[
            "scanned page of a 1960s Flemish magazine: yellowed paper, show-through from the back",
            "a halftone photo of a medieval tapestry (Tournai, the siege of Jerusalem) with an italic caption without a label below it, hyphenated over two lines",
            "three text columns, a boxed record-review column",
        ],
    ),
]

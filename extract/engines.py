"""OCR and layout engines behind one small interface, loaded once per worker process."""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

BoxPx = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the image given
OcrLine = tuple[str, BoxPx, float]  # text, box, score
LayoutBox = tuple[str, BoxPx, float]  # label (CDLA: figure, figure_caption, text, title...), box, score

_NOISY_LOGGERS = ("RapidOCR", "RapidLayout", "rapid_layout", "rapidocr", "ppocr", "paddle",
                  "paddleocr", "onnxruntime")


class OcrEngine(Protocol):
    def ocr(self, image: np.ndarray) -> list[OcrLine]: ...


class LayoutEngine(Protocol):
    def layout(self, image: np.ndarray) -> list[LayoutBox]: ...


def _mute_future_module_loggers(package: str) -> None:
    """Give each module logger of `package` a NullHandler before it exists: the engines' Logger
    class adds its own INFO console handler only to a logger that has none."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return
    root = Path(next(iter(spec.submodule_search_locations)))
    for file in root.rglob("*.py"):
        parts = file.relative_to(root).with_suffix("").parts
        name = ".".join((package, *parts)).removesuffix(".__init__")
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def quiet_engine_logs() -> None:
    """Raise the engines' loggers to ERROR: they log INFO lines per model load and per call."""
    for package in ("rapid_layout", "rapidocr"):
        _mute_future_module_loggers(package)
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in _NOISY_LOGGERS:
            logging.getLogger(name).setLevel(logging.ERROR)
    for name in _NOISY_LOGGERS:  # "text detection result is empty" is a WARNING per blank crop
        logging.getLogger(name).setLevel(logging.ERROR)


def _quad_to_box(quad: object) -> BoxPx:
    pts = np.asarray(quad, dtype=float).reshape(-1, 2)
    return (float(pts[:, 0].min()), float(pts[:, 1].min()),
            float(pts[:, 0].max()), float(pts[:, 1].max()))


def rapidocr_params(threads: int = 1) -> dict:
    """Return the RapidOCR settings culti reads scans with (rapidocr's defaults otherwise)."""
    ort = "EngineConfig.onnxruntime"
    return {"Global.log_level": "error", "Global.use_cls": False,
            # limit_type "max": the default ("min", 736) blows a thin caption crop up to 736 px
            "Det.limit_type": "max", "Det.limit_side_len": 1280,
            # each line read at its own width: a batch pads every line to its widest one (a
            # third more recognition work on a page, and the padding can change a reading)
            "Rec.rec_batch_num": 1,
            f"{ort}.enable_cpu_mem_arena": False,  # on for recognition only: RapidOcrEngine
            f"{ort}.intra_op_num_threads": threads, f"{ort}.inter_op_num_threads": 1}


class RapidOcrEngine:
    """rapidocr (PP-OCR onnx models shipped in the wheel), quiet, threads capped."""

    def __init__(self, threads: int = 1) -> None:
        from rapidocr import RapidOCR

        quiet_engine_logs()
        self._ocr = RapidOCR(params=rapidocr_params(threads))
        # onnxruntime's memory arena for the recogniser only (one run per line): without it each
        # run maps and zeroes its buffers afresh, about half its CPU time; the arena keeps them
        # (about 150 MB a worker). Detection keeps rapidocr's default (its arena would hold
        # another ~110 MB for a tenth of a page's time). Sessions read the setting when loaded.
        # (rapidocr >= 3.10 loads its sessions lazily through these hooks; without them the
        # recogniser keeps the arena off: the same readings, only slower)
        load_det = getattr(self._ocr, "_load_det_model", None)
        load_rec = getattr(self._ocr, "_load_rec_model", None)
        if load_det is not None and load_rec is not None:
            engine_cfg = self._ocr.cfg.EngineConfig.onnxruntime
            load_det()
            engine_cfg.enable_cpu_mem_arena = True
            load_rec()
            engine_cfg.enable_cpu_mem_arena = False
        quiet_engine_logs()

    def ocr(self, image: np.ndarray) -> list[OcrLine]:
        result = self._ocr(image)
        if result.txts is None or result.boxes is None:
            return []
        return [(str(t), _quad_to_box(b), float(s))
                for t, b, s in zip(result.txts, result.boxes, result.scores, strict=True)]


class PaddleOcrEngine:
    """paddleocr, optional: imported only when config.ocr_engine == "paddleocr"."""

    def __init__(self, threads: int = 1) -> None:
        try:
            from paddleocr import PaddleOCR
        except ImportError as err:
            raise RuntimeError(
                "ocr_engine='paddleocr' but paddleocr is not installed; "
                "pip install paddleocr paddlepaddle, or use --ocr-engine rapidocr"
            ) from err
        quiet_engine_logs()
        self._ocr = PaddleOCR(lang="ch", cpu_threads=threads)
        quiet_engine_logs()

    def ocr(self, image: np.ndarray) -> list[OcrLine]:
        lines: list[OcrLine] = []
        for page in self._ocr.predict(image) or []:
            texts, scores = page.get("rec_texts", []), page.get("rec_scores", [])
            for text, quad, score in zip(texts, page.get("rec_polys", []), scores, strict=False):
                lines.append((str(text), _quad_to_box(quad), float(score)))
        return lines


class RapidLayoutEngine:
    """rapid-layout with the CDLA model shipped in the wheel (figure, figure_caption, text...)."""

    def __init__(self, threads: int = 1, min_score: float = 0.3) -> None:
        from rapid_layout import RapidLayout

        quiet_engine_logs()

        self._layout = RapidLayout(conf_thresh=min_score,
                                   engine_cfg={"intra_op_num_threads": threads,
                                               "inter_op_num_threads": 1})
        quiet_engine_logs()

    def layout(self, image: np.ndarray) -> list[LayoutBox]:
        out = self._layout(image)
        if not out.boxes:
            return []
        return [(str(n), (float(b[0]), float(b[1]), float(b[2]), float(b[3])), float(s))
                for b, n, s in zip(out.boxes, out.class_names, out.scores, strict=True)]


_ENGINES: dict[tuple[str, int], object] = {}


def get_ocr(name: str = "rapidocr", threads: int = 1) -> OcrEngine:
    """Return this process's OCR engine, built on first use (one model load per worker)."""
    key = (name, threads)
    if key not in _ENGINES:
        cls = {"rapidocr": RapidOcrEngine, "paddleocr": PaddleOcrEngine}.get(name)
        if cls is None:
            raise ValueError(f"unknown OCR engine {name!r}; use rapidocr or paddleocr")
        _ENGINES[key] = cls(threads)
    return _ENGINES[key]  # type: ignore[return-value]


def get_layout(name: str = "rapid-layout", threads: int = 1) -> LayoutEngine:
    """Return this process's layout engine, built on first use."""
    key = ("layout:" + name, threads)
    if key not in _ENGINES:
        if name != "rapid-layout":
            raise ValueError(f"unknown layout engine {name!r}; use rapid-layout")
        _ENGINES[key] = RapidLayoutEngine(threads)
    return _ENGINES[key]  # type: ignore[return-value]

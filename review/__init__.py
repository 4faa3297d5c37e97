"""The curator's review: a static HTML report of a dataset folder, and the corrections it exports."""

from review.corrections import (
    RESTORED,
    Action,
    Correction,
    CorrectionError,
    apply_corrections,
    load_corrections,
    parse_corrections,
)
from review.report import write_report
from review.thumbs import ThumbConfig

__all__ = [
    "RESTORED",
    "Action",
    "Correction",
    "CorrectionError",
    "ThumbConfig",
    "apply_corrections",
    "load_corrections",
    "parse_corrections",
    "write_report",
]

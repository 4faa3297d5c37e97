"""The dataset stage: pairs -> deduplicated, grouped, split Parquet files with a card."""

from dataset.build import build_dataset
from dataset.config import SPLITS, BuildConfig, BuildSummary
from dataset.loader import load

__all__ = ["SPLITS", "BuildConfig", "BuildSummary", "CultiImageText", "build_dataset", "load"]


def __getattr__(name: str):
    if name == "CultiImageText":  # torch is imported only when the torch Dataset is asked for
        from dataset.torchdata import CultiImageText

        return CultiImageText
    raise AttributeError(f"module 'dataset' has no attribute {name!r}")

"""manifest.json: what went in (files, hashes, per-page status), with which parameters and versions."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from importlib import metadata

import culti
from culti import pipeline
from culti.contract import FileStatus, InputEntry, PageStatus

# Versions that change what the dataset holds; recorded so a dataset can be reproduced.
_PACKAGES = ("pymupdf", "pdfplumber", "rapidocr", "rapid-layout", "onnxruntime", "opencv-python",
             "numpy", "pillow", "pyarrow", "imagehash", "datasketch", "opencc-python-reimplemented",
             "jieba", "scipy")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "culti": culti.__version__}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def new_manifest(reports: Sequence[InputEntry], parameters: dict) -> dict:
    """Given the run's file reports and parameters, return the manifest the build completes."""
    return {
        "culti_version": culti.__version__,
        "schema_version": culti.SCHEMA_VERSION,
        "parameters": dict(sorted(parameters.items())),
        "versions": package_versions(),
        "inputs": pipeline.manifest_inputs(reports),
        "summary": {
            "files": len(reports),
            "files_failed": sum(1 for r in reports if r.status == FileStatus.FAILED),
            "pages": sum(len(r.pages) for r in reports),
            "pages_failed": sum(1 for r in reports for p in r.pages if p.status == PageStatus.FAILED),
        },
    }

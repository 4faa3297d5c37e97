"""Every mistake a user can make on the command line ends in one line `culti: error: ...` naming
the flag, file or folder, exit status 2, and no traceback; nothing is OCRed (born-digital books)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from culti.sample import BookSpec, generate_samples
from tests.conftest import ROOT, run_culti


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    """A 6-figure born-digital book, its dataset, and broken copies of both."""
    root = tmp_path_factory.mktemp("cli_errors")
    books = root / "books"
    generate_samples(books, specs=(BookSpec("silk", 1, 6, ("digital",)),), progress=False)
    ds = root / "ds"
    run_culti("dataset", str(books), "--out", str(ds), "--no-progress", "--workers", "1")
    corrupt = root / "corrupt"  # a dataset folder whose Parquet files are not Parquet
    corrupt.mkdir()
    shutil.copy(ds / "manifest.json", corrupt / "manifest.json")
    for name in ("train", "validation", "test", "rejects"):
        (corrupt / f"{name}.parquet").write_bytes(b"PAR1 not really parquet" * 10)
    no_align = root / "no_align"  # extract ran, align did not
    shutil.copytree(ds / "work", no_align / "work")
    for pkl in (no_align / "work").rglob("alignment.pkl"):
        pkl.unlink()
    damaged = root / "damaged"  # a work folder with a truncated hand-over file
    shutil.copytree(ds / "work", damaged / "work")
    for pkl in (damaged / "work").rglob("alignment.pkl"):
        pkl.write_bytes(pkl.read_bytes()[:100])
    a_file = root / "a_file.txt"
    a_file.write_text("not a folder\n")
    bad_json = root / "bad.json"
    bad_json.write_text("{not json")
    not_truth = root / "not_truth.json"
    not_truth.write_text(json.dumps({"version": 1}))
    bad_figure = root / "bad_figure.json"
    bad_figure.write_text(json.dumps({"version": 1, "books": [{"file": "a.pdf", "kind": "digital",
                                                                "figures": [{"page": 1}]}]}))
    return {"root": root, "books": books, "ds": ds, "corrupt": corrupt, "no_align": no_align,
            "damaged": damaged, "a_file": a_file, "bad_json": bad_json, "not_truth": not_truth,
            "bad_figure": bad_figure,
            "truth": books / "truth.json", "missing": root / "does-not-exist"}


# (case name, argv with {placeholders}, a word the one line must contain)
CASES = [
    ("no-command", [], "required"),
    ("unknown-command", ["dataset-all"], "invalid choice"),
    ("unknown-flag", ["dataset", "{books}", "--colour", "red"], "--colour"),
    ("ocr-engine", ["dataset", "{books}", "--out", "{root}/o1", "--ocr-engine", "tesseract"], "--ocr-engine"),
    ("workers-zero", ["extract", "{books}", "--out", "{root}/o2", "--workers", "0"], "--workers"),
    ("workers-not-a-number", ["dataset", "{books}", "--out", "{root}/o2", "--workers", "two"], "--workers"),
    ("domain", ["dataset", "{books}", "--out", "{root}/o3", "--domain", "bronze"], "--domain"),
    ("seed-negative", ["build", "--out", "{ds}", "--seed", "-1"], "--seed"),
    ("out-is-a-file", ["dataset", "{books}", "--out", "{a_file}"], "is a file"),
    ("out-under-a-file", ["extract", "{books}", "--out", "{a_file}/out"], "cannot be created"),
    ("align-without-extract", ["align", "--out", "{root}/empty1"], "run.json not found"),
    ("build-without-extract", ["build", "--out", "{root}/empty2"], "run.json not found"),
    ("build-without-align", ["build", "--out", "{no_align}"], "alignment.pkl not found"),
    ("build-damaged-work", ["build", "--out", "{damaged}"], "damaged"),
    ("corrections-missing", ["build", "--out", "{ds}", "--corrections", "{missing}/c.json"], "c.json"),
    ("corrections-not-json", ["build", "--out", "{ds}", "--corrections", "{bad_json}"], "bad.json"),
    ("sample-books-zero", ["sample", "--out", "{root}/s1", "--books", "0"], "--books"),
    ("sample-figures-huge", ["sample", "--out", "{root}/s1", "--figures", "99999"], "--figures"),
    ("sample-out-is-a-file", ["sample", "--out", "{a_file}"], "is a file"),
    ("evaluate-no-dataset", ["evaluate", "{missing}", "--truth", "{truth}"], "not a culti dataset folder"),
    ("evaluate-truth-missing", ["evaluate", "{ds}", "--truth", "{missing}/truth.json"], "truth"),
    ("evaluate-truth-not-json", ["evaluate", "{ds}", "--truth", "{bad_json}"], "--truth"),
    ("evaluate-truth-not-truth", ["evaluate", "{ds}", "--truth", "{not_truth}"], "--truth"),
    ("evaluate-truth-figure-lacks-keys", ["evaluate", "{ds}", "--truth", "{bad_figure}"], "figure #1"),
    ("evaluate-corrupt-parquet", ["evaluate", "{corrupt}", "--truth", "{truth}"], "Parquet"),
    ("evaluate-json-under-a-file", ["evaluate", "{ds}", "--truth", "{truth}", "--json", "{a_file}/s.json"],
     "--json"),
    ("review-no-dataset", ["review", "{missing}"], "not a culti dataset folder"),
    ("review-corrupt-parquet", ["review", "{corrupt}"], "Parquet"),
    ("benchmark-no-dataset", ["benchmark", "--data", "{missing}"], "not a culti dataset folder"),
    ("benchmark-device", ["benchmark", "--data", "{ds}", "--device", "tpu"], "--device"),
    ("benchmark-model", ["benchmark", "--data", "{ds}", "--model", "ViT-Z-99"], "unknown model"),
    ("benchmark-out-is-a-file", ["benchmark", "--data", "{ds}", "--out", "{a_file}"], "is a file"),
    ("benchmark-corrupt-parquet", ["benchmark", "--data", "{corrupt}"], "parquet"),
    ("finetune-checkpoint-missing", ["finetune", "--data", "{ds}", "--model", "RN50", "--checkpoint",
                                     "{missing}/rn50.pt"], "rn50.pt"),
    ("finetune-epochs-negative", ["finetune", "--data", "{ds}", "--epochs", "-3"], "--epochs"),
    ("finetune-save-under-a-file", ["finetune", "--data", "{ds}", "--save", "{a_file}/m.pt"], "--save"),
]
if importlib.util.find_spec("paddleocr") is None:
    CASES.append(("paddleocr-not-installed",
                  ["dataset", "{books}", "--out", "{root}/o4", "--ocr-engine", "paddleocr"], "not installed"))


@pytest.mark.parametrize(("name", "argv", "word"), CASES, ids=[c[0] for c in CASES])
def test_user_error_is_one_line_exit_2(tiny, name, argv, word):
    args = [a.format(**{k: str(v) for k, v in tiny.items()}) for a in argv]
    proc = subprocess.run([sys.executable, "-m", "culti", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("culti: error: "), proc.stderr
    assert word.lower() in lines[0].lower(), lines[0]


def test_a_failed_command_leaves_the_dataset_as_it_was(tiny):
    """The errors above stop before writing: the built dataset still passes its own checks."""
    from dataset import publish

    assert publish.verify(tiny["ds"]) == []


def test_dataset_of_unreadable_inputs_keeps_the_old_dataset(tiny):
    """A mistyped path: one line per input naming it, then one error line; nothing is published."""
    out = shutil.copytree(tiny["ds"], tiny["root"] / "ds_copy", symlinks=True)
    before = (out / "manifest.json").read_bytes()
    proc = run_culti("dataset", str(tiny["missing"] / "book.pdf"), "--out", str(out), "--no-progress",
                     check=False)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 2 and "book.pdf" in lines[0] and lines[1].startswith("culti: error: none of the 1 inputs")
    assert (out / "manifest.json").read_bytes() == before

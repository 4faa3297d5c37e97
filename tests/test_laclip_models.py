"""Model building and checkpoints: cn_clip's own loader gives the same embeddings as ours."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from laclip_eval import EvalConfig, EvalConfigError
from laclip_eval.encode import encode_pils, encode_texts
from laclip_eval.models import build_model, count_parameters, load_model, save_checkpoint, tokenize

ROOT = Path(__file__).resolve().parents[1]


def picture() -> Image.Image:
    image = Image.new("RGB", (300, 180), (235, 220, 180))
    ImageDraw.Draw(image).ellipse((40, 30, 160, 150), fill=(200, 30, 30))
    return image


def test_vit_b_16_checkpoint_loads_identically_in_cn_clip(tmp_path):
    from cn_clip.clip import load_from_name
    from cn_clip.clip.model import convert_weights

    torch.manual_seed(0)
    model = build_model("ViT-B-16")
    convert_weights(model)  # fp16 weights, as cn_clip's released checkpoints
    path = save_checkpoint(model, tmp_path / "vitb16.pt", "ViT-B-16", epoch=1, step=7)
    del model
    payload = torch.load(path, map_location="cpu", weights_only=False)
    assert payload["name"] == "ViT-B-16@RoBERTa-wwm-ext-base-chinese" and payload["step"] == 7
    assert all(k.startswith("module.") for k in payload["state_dict"])
    del payload

    theirs, preprocess = load_from_name(str(path), device="cpu", vision_model_name="ViT-B-16",
                                        text_model_name="RoBERTa-wwm-ext-base-chinese", input_resolution=224)
    theirs.eval()
    text = "米色底子上织有一个红色的圆形纹样。"
    with torch.no_grad():
        their_img = torch.nn.functional.normalize(theirs.encode_image(preprocess(picture())[None]), dim=-1).numpy()
        their_txt = torch.nn.functional.normalize(theirs.encode_text(tokenize([text])), dim=-1).numpy()
    del theirs
    ours = load_model("ViT-B-16", path)
    our_img = encode_pils(ours, [picture()], 224, "cpu", 8, geometry="squash")  # cn_clip's own resize
    our_txt = encode_texts(ours, [text], "cpu", 8)
    np.testing.assert_allclose(our_img, their_img, rtol=0, atol=1e-6)
    np.testing.assert_allclose(our_txt, their_txt, rtol=0, atol=1e-6)
    assert np.abs(our_img).sum() > 0 and our_img.shape == (1, 512)


def test_tiny_is_small_and_round_trips(tmp_path):
    torch.manual_seed(1)
    model = build_model("tiny")
    assert 1e6 < count_parameters(model) < 8e6
    assert model.bert.embeddings.word_embeddings.num_embeddings == 21128  # cn_clip's vocab
    path = save_checkpoint(model, tmp_path / "tiny.pt", "tiny", epoch=0, step=0)
    again = load_model("tiny", path)
    for key, value in model.state_dict().items():
        assert torch.equal(value, again.state_dict()[key]), key


def test_bad_checkpoints_say_what_is_wrong(tmp_path):
    torch.save({"model": {}}, tmp_path / "nostate.pt")
    with pytest.raises(EvalConfigError, match="no 'state_dict'"):
        load_model("tiny", tmp_path / "nostate.pt")
    torch.save({"state_dict": {"module.visual.proj": torch.zeros(3, 3)}}, tmp_path / "other.pt")
    with pytest.raises(EvalConfigError, match="does not fit this model"):
        load_model("tiny", tmp_path / "other.pt")
    (tmp_path / "text.pt").write_text("not a checkpoint")
    with pytest.raises(EvalConfigError, match="not a readable torch checkpoint"):
        load_model("tiny", tmp_path / "text.pt")


@pytest.mark.parametrize("name,file_name", [("ViT-B-16", "clip_cn_vit-b-16.pt"), ("ViT-H-14", "clip_cn_vit-h-14.pt"),
                                            ("RN50", "clip_cn_rn50.pt")])
def test_pretrained_size_without_checkpoint_names_the_file(name, file_name):
    with pytest.raises(EvalConfigError) as err:
        EvalConfig(model=name)
    message = str(err.value)
    assert file_name in message and "--checkpoint" in message and "Chinese-CLIP" in message
    assert "\n" not in message


def test_config_rejects_bad_values(tmp_path):
    with pytest.raises(EvalConfigError, match="unknown model"):
        EvalConfig(model="ViT-X")
    with pytest.raises(EvalConfigError, match="not found"):
        EvalConfig(checkpoint=tmp_path / "missing.pt")
    with pytest.raises(EvalConfigError, match="alpha"):
        EvalConfig(alphas=(1.5,))


def test_cli_prints_one_line_for_missing_weights(tmp_path):
    from laclip_eval.synthetic import write_synthetic_dataset

    data = write_synthetic_dataset(tmp_path / "data", n=20)
    # through main(), as the `culti` script runs it (`python -m culti.cli` makes a second UsageError class)
    main = "import sys; from culti.cli import main; sys.exit(main())"
    proc = subprocess.run([sys.executable, "-c", main, "benchmark", "--data", str(data), "--model", "ViT-L-14"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "clip_cn_vit-l-14.pt" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1

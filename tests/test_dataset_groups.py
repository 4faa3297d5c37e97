"""Groups: an enlarged crop of a motif joins its whole; composites stay together; ids are stable."""

from __future__ import annotations

import numpy as np
from PIL import Image

from dataset.config import BuildConfig
from dataset.groups import UnionFind, assign_groups, crop_edges
from dataset.rows import ingest
from dataset.spool import ImageSpool
from tests.dataset_fixtures.make import distinct_pairs, encode, make_pair, picture


def _ingest(pairs, tmp_path):
    spool = ImageSpool(tmp_path / "spool")
    data = ingest(pairs, spool)
    return data, spool


def _crop(img: Image.Image, box_frac, size=(600, 600)) -> Image.Image:
    w, h = img.size
    x0, y0, x1, y1 = box_frac
    return img.crop((int(x0 * w), int(y0 * h), int(x1 * w), int(y1 * h))).resize(
        size, Image.Resampling.LANCZOS)


def test_enlarged_crop_is_linked_to_its_whole_and_nothing_else(tmp_path):
    whole_img = picture(40, 800, 600)
    whole = make_pair(40, encode(whole_img, quality=90), page=10, index=0)
    crop = make_pair(41, encode(_crop(whole_img, (0.3, 0.2, 0.6, 0.6)), quality=80), page=12, index=0)
    others = distinct_pairs(10, start=300, books=1)  # same book, pages 1..5
    data, spool = _ingest([whole, crop, *others], tmp_path)
    hists = np.stack(data.hists)
    edges = crop_edges(data.rows, hists, data.grays.__getitem__, BuildConfig(crop_color_overlap=0.01, crop_page_window=0))
    assert [(data.rows[a].id, data.rows[b].id) for a, b, _ in edges] == [(crop.id, whole.id)]


def test_crop_outside_the_page_window_is_not_searched(tmp_path):
    whole_img = picture(42, 800, 600)
    whole = make_pair(42, encode(whole_img), page=1)
    crop = make_pair(43, encode(_crop(whole_img, (0.1, 0.1, 0.5, 0.6))), page=20)
    data, spool = _ingest([whole, crop], tmp_path)
    hists = np.stack(data.hists)
    assert crop_edges(data.rows, hists, data.grays.__getitem__, BuildConfig(crop_page_window=4)) == []
    assert len(crop_edges(data.rows, hists, data.grays.__getitem__, BuildConfig(crop_page_window=0))) == 1


def test_group_hint_and_links_share_min_id_group():
    class R:  # the two fields assign_groups reads
        def __init__(self, id, hint=None, book="b"):
            self.id, self.group_hint, self.source_sha256 = id, hint, book

    rows = [R("d"), R("a", "k1"), R("c", "k1"), R("b"), R("e", "k1", book="other"), R("f")]
    gids = assign_groups(rows, [(0, 3)])
    assert gids == ["b", "a", "a", "b", "e", "f"]


def test_union_find_against_naive_components():
    rng = np.random.default_rng(0)
    n = 50
    edges = [tuple(int(v) for v in rng.integers(0, n, 2)) for _ in range(30)]
    uf = UnionFind(n)
    for a, b in edges:
        uf.union(a, b)
    comp = {i: {i} for i in range(n)}  # naive: merge sets until stable
    for a, b in edges * n:
        merged = comp[a] | comp[b]
        for m in merged:
            comp[m] = merged
    assert sorted(tuple(sorted(g)) for g in uf.groups()) == sorted({tuple(sorted(s)) for s in comp.values()})

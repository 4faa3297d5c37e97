"""The build stage's one config and its summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from culti.contract import SPLITS  # noqa: F401 - the contract's, re-exported


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """How rows are deduplicated, grouped, split and written; checked when built."""

    seed: int = 0
    ratios: tuple[float, float, float] = (0.7, 0.1, 0.2)  # train, validation, test
    # near-duplicate images: 16x16 colour thumbnails agree AND both perceptual hashes agree
    thumb_similarity: float = 0.97  # cosine of mean-removed thumbnails
    phash_threshold: int = 24  # max Hamming distance of the 64-bit pHash
    dhash_threshold: int = 22  # max Hamming distance of the 64-bit dHash
    aspect_tolerance: float = 0.12  # relative difference of width/height
    # ... OR both hashes close and the thumbnails loosely alike (heavy scans: tone, blur, moire)
    hash_phash_threshold: int = 12
    hash_dhash_threshold: int = 16
    hash_min_similarity: float = 0.6
    # near-duplicate texts: MinHash on character shingles, LSH
    minhash_threshold: float = 0.85  # estimated Jaccard of shingle sets
    minhash_perm: int = 128
    shingle: int = 3
    # near-alike pictures of one book whose unlabelled captions are less alike than this are
    # different figures (kept, grouped into one split), not copies; 0.9 parts 超分辨率前 / 超分辨率后
    # (0.8) and keeps a long caption read with one OCR slip (>= 0.95) a copy
    distinct_caption_ratio: float = 0.9
    text_drop_similarity: float = 0.90  # thumbnail cosine above which a text twin is dropped, not grouped
    # (a text twin with the same caption is dropped whatever its picture: the scanned twin's figure)
    # crop-of: a figure that is an (enlarged) part of another figure of the same book
    detect_crops: bool = True
    crop_page_window: int = 4  # only pairs at most this many pages apart (0: whole book)
    crop_threshold: float = 0.9  # normalised cross-correlation of the refined template match
    crop_color_overlap: float = 0.4  # intersection of 8x8x8-bin colour histograms a pair needs
    workers: int = 2  # processes that decode images (1: none)
    # Parquet
    row_group_rows: int = 256
    row_group_bytes: int = 96 * 2**20
    zstd_level: int = 3

    def __post_init__(self) -> None:
        if len(self.ratios) != 3 or any(r < 0 for r in self.ratios) or abs(sum(self.ratios) - 1) > 1e-6:
            raise ValueError(f"BuildConfig.ratios={self.ratios}: give three non-negative fractions "
                             "(train, validation, test) that sum to 1, e.g. (0.7, 0.1, 0.2)")
        for name in ("thumb_similarity", "minhash_threshold", "text_drop_similarity", "hash_min_similarity",
                     "crop_threshold", "crop_color_overlap", "distinct_caption_ratio"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"BuildConfig.{name}={value}: must lie in (0, 1]")
        for name, top in (("phash_threshold", 64), ("dhash_threshold", 64),
                          ("hash_phash_threshold", 64), ("hash_dhash_threshold", 64)):
            value = getattr(self, name)
            if not 0 <= value <= top:
                raise ValueError(f"BuildConfig.{name}={value}: must lie in [0, {top}]")
        if self.aspect_tolerance < 0:
            raise ValueError(f"BuildConfig.aspect_tolerance={self.aspect_tolerance}: must be >= 0")
        if self.minhash_perm < 16 or self.shingle < 1:
            raise ValueError("BuildConfig.minhash_perm must be >= 16 and shingle >= 1")
        if self.crop_page_window < 0:
            raise ValueError(f"BuildConfig.crop_page_window={self.crop_page_window}: must be >= 0")
        if self.row_group_rows < 1 or self.row_group_bytes < 2**20:
            raise ValueError("BuildConfig.row_group_rows must be >= 1 and row_group_bytes >= 1 MiB")
        if self.workers < 1:
            raise ValueError(f"BuildConfig.workers={self.workers}: must be >= 1")
        if not 1 <= self.zstd_level <= 22:
            raise ValueError(f"BuildConfig.zstd_level={self.zstd_level}: must lie in [1, 22]")

    def params(self) -> dict:
        """Return the build parameters as plain JSON values (for the manifest and Parquet metadata)."""
        return {name: (list(v) if isinstance(v, tuple) else v)
                for name in self.__slots__ if not name.startswith("_")
                for v in (getattr(self, name),)}


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What a build wrote: rows per split and domain, rejects per reason, groups."""

    out_dir: str
    split_counts: dict[str, int]
    domain_counts: dict[str, dict[str, int]]  # split -> domain -> rows
    reject_counts: dict[str, int]  # reason -> rows in rejects.parquet
    n_rows: int
    n_rejects: int
    n_groups: int
    dedupe_counts: dict[str, int] = field(default_factory=dict)  # reason -> rows dropped by dedupe
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per step (not written)

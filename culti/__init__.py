"""culti: books on Chinese cultural heritage -> image-text retrieval dataset -> LACLIP scores."""

__version__ = "0.1.0"
SCHEMA_VERSION = "2"  # 2: the text_kind column

"""culti: books on Chinese cultural heritage -> image-text retrieval dataset -> LACLIP scores."""

from culti.contract import SCHEMA_VERSION

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "run_pipeline"]


def __getattr__(name: str):
    if name == "run_pipeline":  # the stages are imported only when the pipeline is asked for
        from culti.run import run_pipeline

        return run_pipeline
    raise AttributeError(f"module 'culti' has no attribute {name!r}")

"""Where the pipeline runs: `local` (a process pool on this machine) or `ray` (Ray Data).

The pipeline (culti.run) says what to compute; an executor only maps a picklable function over
work units. Every stage that parallelises (extract's pages, align's books, the build's image
features, the sample generator) goes through LocalExecutor.map; the Ray executor runs the same
functions on Ray Data (culti.executors.ray).
"""

from culti.executors.local import Crashed, LocalExecutor

EXECUTORS = ("local", "ray")

__all__ = ["EXECUTORS", "Crashed", "LocalExecutor"]

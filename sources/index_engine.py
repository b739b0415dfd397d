"""What `manage.py index` asks of the search engine beyond haystack's API, in one place.

The Archive's engine (engine/, declared in engine/extensions.py) can build a whole index
with one process per core and swap it in with one commit, and it can tell whether the index
on disk was made with the schema the code defines (an upgrade that adds a field needs a
build). Another haystack engine lacks both: a build then clears the index and fills it
again through haystack, and its schema is taken to be current.
"""

from haystack import connections

from engine.extensions import ArchiveEngineExtension
from engine.segments import WorkerFailed as BuildFailed  # noqa: F401 - what parallel_build raises

from .indexing import SourceFeed


def _extended(alias):
    backend = connections[alias].get_backend()
    return backend if isinstance(backend, ArchiveEngineExtension) else None


def parallel_build(alias):
    """The engine's parallel build, ``build(alias, index, pks, replace, workers, limitmb,
    progress) -> (written, kept)``, or None where the engine has none (or keeps its
    index in memory: the workers write files)."""
    backend = _extended(alias)
    if backend is None or not getattr(backend, "use_file_storage", False):
        return None
    from engine.segments import index_in_segments

    def build(alias, index, pks, **options):
        return index_in_segments(alias, index, pks, SourceFeed(alias), **options)

    return build


def schema_outdated(alias):
    """True only when the engine's index exists with another schema than the code's."""
    backend = _extended(alias)
    return backend is not None and backend.schema_matches() is False

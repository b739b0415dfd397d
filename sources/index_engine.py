"""What `manage.py index` asks of the search engine beyond haystack's API, in one place.

The Archive's engine (engine/, declared in engine/extensions.py) can build a whole index
with one process per core and swap it in with one commit, and it can tell whether the index
on disk was made with the schema the code defines (an upgrade that adds a field needs a
build). Another haystack engine lacks both: a build then clears the index and fills it
again through haystack, and its schema is taken to be current.
"""

from haystack import connections

from engine.extensions import ArchiveEngineExtension
from engine.extensions import WorkerFailed as BuildFailed  # noqa: F401 - what build_all raises

from .indexing import SourceFeed


def _extended(alias):
    backend = connections[alias].get_backend()
    return backend if isinstance(backend, ArchiveEngineExtension) else None


def build_all(alias, index, pks, workers=None, limitmb=None, progress=None):
    """The engine's own build of the whole index from ``pks`` (worker processes, one
    swap-in commit): (written, kept), or None where the engine has none."""
    backend = _extended(alias)
    if backend is None:
        return None
    done = backend.index_many(index, pks, SourceFeed(alias), progress=progress, replace=True,
                              workers=workers, limitmb=limitmb)
    return done or None


def schema_outdated(alias):
    """True only when the engine's index exists with another schema than the code's."""
    backend = _extended(alias)
    return backend is not None and backend.schema_matches() is False

"""What `manage.py index` asks of the search engine beyond haystack's API, in one place.

The Archive's engine (engine/) can build a whole index with one process per core and swap
it in with one commit, and it can tell whether the index on disk was made with the schema
the code defines (an upgrade that adds a field needs a build). Another haystack engine
lacks both: a build then clears the index and fills it again through haystack, and its
schema is taken to be current.
"""

from haystack import connections

from engine.segments import WorkerFailed as BuildFailed  # noqa: F401 - what parallel_build raises


def parallel_build(alias):
    """The engine's parallel build, ``build(alias, index, pks, replace, workers, limitmb,
    progress) -> (written, kept)``, or None where the engine has none (or keeps its
    index in memory: the workers write files)."""
    backend = connections[alias].get_backend()
    if getattr(backend, "index_many", None) is None or not getattr(backend, "use_file_storage", False):
        return None
    from engine.segments import index_in_segments

    return index_in_segments


def schema_outdated(alias):
    """True only when the engine's index exists with another schema than the code's."""
    backend = connections[alias].get_backend()
    if not hasattr(backend, "use_file_storage"):
        return False
    if not backend.setup_complete:
        backend.setup()
    storage = getattr(backend, "storage", None)
    if storage is None or not hasattr(backend, "schema") or not storage.index_exists():
        return False
    try:
        on_disk = storage.open_index().schema
    except Exception:  # noqa: BLE001 - an unreadable index is rebuilt from scratch
        return True
    return _signature(on_disk) != _signature(backend.schema)


def _signature(schema):
    """What matters of a Whoosh schema, comparable (field objects hold column objects
    without value equality, so ``schema == schema`` is False even for the same code)."""

    def describe(field):
        column = getattr(field, "column_type", None)
        return (
            type(field).__name__,
            bool(field.stored),
            bool(getattr(field, "unique", False)),
            bool(getattr(field, "scorable", False)),
            type(field.format).__name__ if getattr(field, "format", None) else None,
            type(column).__name__ if column else None,
            repr(getattr(field, "numtype", None)),
            getattr(field, "bits", None),
            getattr(field, "signed", None),
        )

    return {name: describe(schema[name]) for name in schema.names()}

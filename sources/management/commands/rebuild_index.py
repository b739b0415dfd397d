"""haystack's rebuild_index, without the empty index in the middle.

haystack's command is clear_index + update_index: between the two, every search in every
gunicorn worker sees an empty archive (0 results, empty facets), then counts that grow
batch by batch. Here, when the index on disk already has the schema the code defines,
the rebuild happens in place: `update_index --remove` rewrites every document (each one
replaced within a single commit, so totals never move) and removes the documents of
deleted or unpublished Sources. Only a changed schema (new or changed fields), or a
backend whose schema cannot be compared, takes haystack's clear-then-update path.
"""

from django.core.management import call_command
from haystack import connections
from haystack.management.commands.rebuild_index import Command as HaystackRebuildIndex

from engine.fields import schema_signature as signature


def schema_unchanged(alias):
    """True when the index of this connection exists with exactly the current schema."""
    backend = connections[alias].get_backend()
    if not hasattr(backend, "use_file_storage"):
        return False  # not Whoosh: cannot tell, rebuild the classic way
    if not backend.setup_complete:
        backend.setup()
    storage = getattr(backend, "storage", None)
    if storage is None or not hasattr(backend, "schema"):
        return False
    try:
        if not storage.index_exists():
            return False
        on_disk = storage.open_index().schema
    except Exception:  # noqa: BLE001 - unreadable index: rebuild from scratch
        return False
    return signature(on_disk) == signature(backend.schema)


def schema_changed(alias):
    """True only when a Whoosh index exists on disk with another schema than the code's
    (an upgrade added or changed a field); False when unknown or absent."""
    backend = connections[alias].get_backend()
    if not hasattr(backend, "use_file_storage"):
        return False
    if not backend.setup_complete:
        backend.setup()
    storage = getattr(backend, "storage", None)
    if storage is None or not storage.index_exists():
        return False
    return not schema_unchanged(alias)


class Command(HaystackRebuildIndex):
    help = (
        "Rebuild the search index from the database. In place (searches keep working with "
        "full counts) when the schema is unchanged, else clear and update."
    )

    def handle(self, **options):
        aliases = options.get("using") or list(connections.connections_info.keys())
        if all(schema_unchanged(alias) for alias in aliases):
            update_options = {k: v for k, v in options.items() if k != "interactive"}
            update_options["remove"] = True
            if options.get("verbosity", 1) >= 1:
                self.stdout.write("Schema unchanged: rebuilding the index in place.")
            call_command("update_index", **update_options)
            return
        super().handle(**options)

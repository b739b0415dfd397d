"""Compare the search index with the database and, with --repair, make them agree.

The database is the source of truth. Three kinds of difference are reported:

  missing  a published Source that has no document in the index
  stale    a document whose stored fields differ from what the Source gives today
           (an edit made while indexing failed, a renamed country or organisation ...)
  extra    a document for a Source that was deleted or unpublished

With --repair, missing and stale documents are (re)indexed in batches and extra documents
are removed, all from this one process (one writer at a time); then the check runs again.
Exit status: 0 when index and database agree (after repair), 1 when differences remain.

Everything goes through haystack's API (SearchQuerySet, backend.update/remove), so the
command works the same on Whoosh and on a search server.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.query import SearchQuerySet

from sources.models import Source

DEFAULT_BATCH = 200
INDEX_PAGE = 1000
SHOW = 20


def _scalar(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise(value):
    """One comparable form for a value as prepared and as read back from any engine.

    Engines give back what they stored in their own way: Whoosh joins multi-valued fields
    with commas and returns dates as midnight datetimes, others drop time zones. Empty
    values (None, "", []) are all the same; lists compare as sorted comma-split parts.
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = sorted(
            part.strip()
            for item in value
            if item is not None
            for part in _scalar(item).split(",")
            if part.strip()
        )
        return parts or None
    text = _scalar(value)
    return text or None


def is_multivalued(field):
    return bool(getattr(field, "is_multivalued", False))


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: published Sources missing from the "
        "index, stale documents, documents of deleted or unpublished Sources. --repair "
        "fixes them. Exit status 0 when consistent, 1 when not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Index missing/stale Sources, remove extras."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH,
            help=f"Sources per index write when repairing (default {DEFAULT_BATCH}).",
        )
        parser.add_argument("--using", default="default", help="haystack connection alias.")

    # --- gathering -------------------------------------------------------------------------

    def setup(self, using):
        self.using = using
        try:
            self.connection = connections[using]
        except Exception as exc:  # haystack raises its own error for an unknown alias
            raise CommandError(f"No haystack connection {using!r}: {exc}")
        self.backend = self.connection.get_backend()
        try:
            self.index = self.connection.get_unified_index().get_index(Source)
        except NotHandled:
            raise CommandError("Source is not registered with haystack (no SearchIndex).")
        # Fields stored in the index are compared: (name in the index, multi-valued?)
        self.compared = sorted(
            {
                (field.index_fieldname, is_multivalued(field))
                for field in self.index.fields.values()
                if getattr(field, "stored", True)
            }
        )

    def expected_queryset(self):
        """What the index should hold: the index's own queryset, published Sources only."""
        queryset = self.index.index_queryset(using=self.using).filter(is_published=True)
        return queryset

    def fingerprint_prepared(self, prepared):
        return tuple(normalise(prepared.get(name)) for name, _ in self.compared)

    def fingerprint_result(self, result):
        return tuple(normalise(getattr(result, name, None)) for name, _ in self.compared)

    def index_documents(self):
        """{pk string: fingerprint} for every Source document in the index."""
        sqs = SearchQuerySet(using=self.using).models(Source).all().order_by("django_id")
        total = sqs.count()
        documents = {}
        start = 0
        while start < total:
            page = list(sqs[start : start + INDEX_PAGE])
            if not page:
                break
            for result in page:
                if result is None:
                    continue
                documents[str(result.pk)] = self.fingerprint_result(result)
            start += INDEX_PAGE
        return documents

    def database_documents(self):
        """{pk string: fingerprint} for every Source that should be in the index."""
        documents = {}
        queryset = self.expected_queryset().order_by("pk")
        for obj in queryset.iterator(chunk_size=500):
            documents[str(obj.pk)] = self.fingerprint_prepared(self.index.full_prepare(obj))
        return documents

    def compare(self):
        in_index = self.index_documents()
        in_db = self.database_documents()
        missing = sorted((pk for pk in in_db if pk not in in_index), key=int)
        extra = sorted((pk for pk in in_index if pk not in in_db), key=_sort_key)
        stale = sorted(
            (pk for pk in in_db if pk in in_index and in_index[pk] != in_db[pk]), key=int
        )
        return {
            "database": len(in_db),
            "index": len(in_index),
            "missing": missing,
            "stale": stale,
            "extra": extra,
        }

    # --- reporting ---------------------------------------------------------------------------

    def report(self, result, title):
        write = self.stdout.write
        write(title)
        write(f"  published Sources in the database: {result['database']}")
        write(f"  Source documents in the index:     {result['index']}")
        write(f"  missing from the index:            {len(result['missing'])}")
        write(f"  stale (differ from the database):  {len(result['stale'])}")
        write(f"  extra (deleted or unpublished):    {len(result['extra'])}")
        if self.verbosity >= 1:
            for kind in ("missing", "stale", "extra"):
                pks = result[kind]
                if not pks:
                    continue
                shown = ", ".join(self.describe(pk) for pk in pks[:SHOW])
                more = f" and {len(pks) - SHOW} more" if len(pks) > SHOW else ""
                write(f"    {kind}: {shown}{more}")

    def describe(self, pk):
        if self.verbosity < 2:
            return f"#{pk}"
        slug = Source.objects.filter(pk=pk).values_list("slug", flat=True).first() if pk.isdigit() else None
        return f"#{pk} ({slug})" if slug else f"#{pk}"

    # --- repairing ---------------------------------------------------------------------------

    def repair(self, result, batch_size):
        to_index = [int(pk) for pk in result["missing"] + result["stale"]]
        indexed = 0
        for start in range(0, len(to_index), batch_size):
            pks = to_index[start : start + batch_size]
            objs = list(self.expected_queryset().filter(pk__in=pks))
            if objs:
                self.backend.update(self.index, objs)
            indexed += len(objs)
        removed = 0
        for pk in result["extra"]:
            # An identifier string: the object may no longer exist in the database.
            self.backend.remove(f"{Source._meta.label_lower}.{pk}")
            removed += 1
        return indexed, removed

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.setup(options["using"])

        started = time.monotonic()
        result = self.compare()
        self.report(result, f"Search index '{self.using}' against the database:")
        problems = len(result["missing"]) + len(result["stale"]) + len(result["extra"])

        if problems and options["repair"]:
            indexed, removed = self.repair(result, batch_size)
            self.stdout.write(f"Repaired: {indexed} indexed, {removed} removed.")
            result = self.compare()
            self.report(result, "After repair:")
            problems = len(result["missing"]) + len(result["stale"]) + len(result["extra"])

        took = time.monotonic() - started
        if problems:
            hint = "" if options["repair"] else " Run with --repair to fix."
            self.stdout.write(
                self.style.ERROR(f"Inconsistent: {problems} difference(s).{hint} ({took:.1f} s)")
            )
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Consistent. ({took:.1f} s)"))


def _sort_key(pk):
    return (0, int(pk), "") if pk.isdigit() else (1, 0, pk)

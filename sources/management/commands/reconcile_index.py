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
import re
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.query import SearchQuerySet

from sources.management.commands.rebuild_index import schema_changed
from sources.models import Source

DEFAULT_BATCH = 200
INDEX_PAGE = 1000
SHOW = 20
MULTI_SPLIT = re.compile("[,\x1f]")


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


def normalise(value, multivalued=False):
    """One comparable form for a value as prepared and as read back from any engine.

    Engines give back what they stored in their own way: a multi-valued field may come
    back as a list or as one joined string (Whoosh: commas, or the Archive backend's
    U+001F), dates as midnight datetimes, times without a zone. Empty values (None, "",
    []) are all the same; multi-valued fields compare as sorted lists of their parts.
    """
    if value is None:
        return None
    if multivalued or isinstance(value, (list, tuple, set, frozenset)):
        items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        parts = sorted(
            part.strip()
            for item in items
            if item is not None
            for part in MULTI_SPLIT.split(_scalar(item))
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
        # Fields the index declares stored: {name in the index: multi-valued?}. Only those
        # the engine actually gives back are compared (an engine may keep the body
        # unstored whatever the field says).
        self.stored = {
            field.index_fieldname: is_multivalued(field)
            for field in self.index.fields.values()
            if getattr(field, "stored", True)
        }
        self.compared = []

    def expected_queryset(self):
        """What the index should hold: the index's own queryset, published Sources only."""
        queryset = self.index.index_queryset(using=self.using).filter(is_published=True)
        return queryset

    def fingerprint(self, values):
        return tuple(normalise(values.get(name), multi) for name, multi in self.compared)

    def index_documents(self):
        """{pk string: stored values} for every Source document in the index."""
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
                fields = result.get_additional_fields()
                documents[str(result.pk)] = {k: v for k, v in fields.items() if k in self.stored}
            start += INDEX_PAGE
        return documents

    def database_pks(self):
        return [str(pk) for pk in self.expected_queryset().order_by("pk").values_list("pk", flat=True)]

    def prepared(self, pks):
        """{pk string: prepared document} for these Sources, read in chunks."""
        queryset = self.expected_queryset()
        for start in range(0, len(pks), 500):
            chunk = [int(pk) for pk in pks[start : start + 500]]
            for obj in queryset.filter(pk__in=chunk):
                yield str(obj.pk), self.index.full_prepare(obj)

    def compare(self):
        in_index = self.index_documents()
        returned = set()
        for values in in_index.values():
            returned.update(values)
        self.compared = sorted((name, self.stored[name]) for name in returned)
        in_db = self.database_pks()
        db_set = set(in_db)
        missing = [pk for pk in in_db if pk not in in_index]
        extra = sorted((pk for pk in in_index if pk not in db_set), key=_sort_key)
        both = [pk for pk in in_db if pk in in_index]
        stale = [
            pk
            for pk, prepared in self.prepared(both)
            if self.fingerprint(prepared) != self.fingerprint(in_index[pk])
        ]
        return {
            "database": len(in_db),
            "index": len(in_index),
            "missing": missing,
            "stale": sorted(stale, key=int),
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
        if options["repair"] and schema_changed(self.using):
            # Documents of the old schema lack fields the code now relies on.
            self.stdout.write("The index was built with an older schema: rebuilding it.")
            call_command("rebuild_index", interactive=False, using=[self.using], verbosity=0)
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

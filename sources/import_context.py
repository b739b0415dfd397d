"""One import run's look-up tables (ImportContext), loaded once and shared by the
importer and the mention rows it writes."""

import contextvars
from collections import OrderedDict
from contextlib import contextmanager

from .models import Country, Organisation, Person, SlugRedirect, Source

class ImportContext:
    """What one import run looks up again and again, loaded once.

    * ids of countries (by code), organisations and people (by name), for the mention rows
      (people the import finds that are new are added as it creates them);
    * the fingerprints and (file, position) pairs already stored: a miss in these sets
      means "no such Source", so a new article costs no look-up query (the (file,
      position) look-up has no index and scanned the whole table per article); a hit
      still loads the Source from the database, exactly as before;
    * the slugs already taken (Sources and redirects);
    * the passage keys found boilerplate, how many keys each Source this import stored
      holds, and the shingles of the last few thousand it stored (sources.versions).

    These are snapshots. A row another process writes meanwhile is caught by the unique
    constraints (fingerprint, slug) or the foreign keys: the article's transaction then
    rolls back and `import_file` stores it again without the context, with the queries.
    """

    def __init__(self):
        self.country_ids = dict(Country.objects.values_list("code", "pk"))
        self.organisation_ids = dict(Organisation.objects.values_list("name", "pk"))
        self.person_ids = dict(Person.objects.values_list("name", "pk"))
        rows = Source.objects.order_by().values_list(
            "fingerprint", "source_file", "position", "source_file_is_base_name"
        )
        self.fingerprints = set()
        self.positions = set()
        self.base_name_positions = set()  # of Sources stored under the file's name only
        for fingerprint, source_file, position, is_base_name in rows.iterator(chunk_size=5000):
            self.fingerprints.add(fingerprint)
            self.positions.add((source_file, position))
            if is_base_name:
                self.base_name_positions.add((source_file, position))
        self.slugs = set(Source.objects.order_by().values_list("slug", flat=True))
        self.slugs.update(SlugRedirect.objects.order_by().values_list("old_slug", flat=True))
        # Passage keys found boilerplate (sources.versions._held): not read again.
        self.boilerplate_keys: set[int] = set()
        # pk -> passage key rows stored by this import (sources.versions._key_counts).
        self.passage_key_counts: dict[int, int] = {}
        # The shingles of the Sources this import detected last (sources.versions).
        self.recent_fingerprints = RecentFingerprints()

    def stored(self, source):
        """Record a committed Source."""
        self.fingerprints.add(source.fingerprint)
        self.positions.add((source.source_file, source.position))
        self.slugs.add(source.slug)


class RecentFingerprints(OrderedDict):
    """pk -> reprints.Fingerprint of the Sources detected last, at most MAX_SOURCES (~11 KB
    each, ~19 KB once a run of it was measured: Fingerprint.positions). Version detection compares each new article with the candidates sharing its
    passages; at 10,000 articles half of those were imported within the last 600, and
    keeping their shingles saves reading and shingling their texts again."""

    MAX_SOURCES = 4000

    def __setitem__(self, pk, fingerprint):
        super().__setitem__(pk, fingerprint)
        self.move_to_end(pk)
        if len(self) > self.MAX_SOURCES:
            self.popitem(last=False)


_context: contextvars.ContextVar[ImportContext | None] = contextvars.ContextVar("import_context", default=None)


@contextmanager
def import_context():
    """Use one ImportContext for the imports inside the block (this thread only)."""
    token = _context.set(ImportContext())
    try:
        yield _context.get()
    finally:
        _context.reset(token)


def current_context() -> ImportContext | None:
    return _context.get()


@contextmanager
def without_context():
    token = _context.set(None)
    try:
        yield
    finally:
        _context.reset(token)

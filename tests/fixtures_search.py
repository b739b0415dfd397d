"""pytest fixtures for a REAL search index over the real test database.

* ``seeded``       list of every published Source (the seeds imported with
                   ``import_sources`` plus hand-made Sources with tricky values), indexed in
                   a fresh Whoosh index made once per session. Use with ``db``/django_db.
* ``seeded_live``  the same, for transactional tests (live server, browser): made inside
                   the test (transactional tests flush the database afterwards).
* ``tricky``       dict name -> Source of the hand-made Sources (``seeded`` is a superset;
                   ``tricky["unpublished"]`` is NOT published and not in ``seeded``).
* ``fresh_index``  an empty index of its own for one test (indexing tests), the previous
                   index restored afterwards.

Everything goes through haystack (connections, backend.clear/update): no fixture assumes
Whoosh beyond pointing the connection's PATH at a temporary folder.
"""

import datetime
import itertools
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.factories import make_source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
UNIQUE_UNPUBLISHED_WORD = "xylophonic"
MARKER = "quokkafixture"  # in every hand-made Source, for exact counts

_index_dirs = itertools.count()


@contextmanager
def index_at(path):
    """Point the default haystack connection at ``path`` (in this thread) for a while."""
    from haystack import connections

    info = connections.connections_info["default"]
    old = info.get("PATH")
    info["PATH"] = str(path)
    connections.reload("default")
    try:
        yield connections["default"].get_backend()
    finally:
        info["PATH"] = old
        connections.reload("default")


def use_index(path):
    from haystack import connections

    info = connections.connections_info["default"]
    if info.get("PATH") == str(path):
        return connections["default"].get_backend()
    info["PATH"] = str(path)
    connections.reload("default")
    return connections["default"].get_backend()


def rebuild_index():
    """Empty the index and index every published Source in one batch."""
    from haystack import connections

    from sources.models import Source

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Source)
    backend.clear()
    backend.update(index, list(index.index_queryset()))


def _long_text():
    filler = (
        "The ministry published a long report about regional security, budgets, "
        "infrastructure and the movement of people across the mountain passes. "
    )
    parts = []
    for i in range(6):
        parts.append(filler * 3)
        parts.append(f"Paragraph {i} recalls the bombing of the station and the bombings that followed.")
    return "\n\n".join(parts)


TRICKY = {
    "damascus": dict(
        title="Bombings shake Damascus as the war on terror widens",
        outlet="Reuters",
        author="Jane Doe",
        published=datetime.date(2017, 3, 2),
        date_precision="day",
        text=(
            "DAMASCUS — Two bombings hit the old city on Thursday. Officials blamed the "
            "Islamic State for the bombing, the latest in what they called the war on "
            "terror. Militants and militias clashed later.\n\nResidents said the attacks "
            "recalled 2015 and 2016."
        ),
        countries=["Syria"],
        organisations=["Islamic State"],
        years=[2015, 2016],
    ),
    "hizb": dict(
        title="Hizb ut-Tahrir members detained in Osh",
        outlet="Eurasianet",
        author="Aida Kasymova",
        published=datetime.date(2016, 5, 1),
        date_precision="day",
        text=(
            "Police in Osh detained members of Hizb ut-Tahrir, a banned movement, after "
            "leaflets were found. Tahrir is Arabic for liberation."
        ),
        countries=["Kyrgyzstan"],
        organisations=["Hizb ut-Tahrir"],
        years=[2015],
    ),
    "iskp": dict(
        title="Islamic State, Khorasan Province claims attack",
        outlet="Khaama Press",
        author="Staff",
        published=datetime.date(2018, 1, 10),
        date_precision="day",
        text="The Khorasan branch of the Islamic State claimed the attack on a school in Kabul.",
        countries=["Afghanistan"],
        organisations=["Islamic State, Khorasan Province", "Islamic State"],
        years=[2017],
    ),
    "jordan_person": dict(
        title="Refugee camps strain Iraqi towns",
        outlet="The Guardian",
        author="Jordan Hayes",
        published=datetime.date(2017, 7, 15),
        date_precision="day",
        text="Aid workers in Mosul describe camps at twice their capacity.",
        countries=["Iraq"],
        organisations=[],
        years=[],
    ),
    "jordan_country": dict(
        title="Amman tightens border controls",
        outlet="Al Jazeera",
        author="Lina Haddad",
        published=datetime.date(2017, 2, 1),
        date_precision="month",
        text="Jordan closed two crossings with Syria, the interior ministry in Amman said.",
        countries=["Jordan", "Syria"],
        organisations=[],
        years=[2016],
    ),
    "undated": dict(
        title="Pamphlet on al-Qaeda recruitment",
        outlet="",
        author="",
        published=None,
        date_precision="unknown",
        text="An undated pamphlet describing al-Qaeda recruitment in Iraq and its bombing campaigns.",
        countries=["Iraq"],
        organisations=["Al-Qaeda"],
        years=[2004],
    ),
    "undated_too": dict(
        title="Leaflet with no date",
        outlet="",
        author="",
        published=datetime.date(2010, 1, 1),
        date_precision="unknown",
        text="A leaflet that gives no date at all, about militias in Syria.",
        countries=["Syria"],
        organisations=[],
        years=[],
    ),
    "script": dict(
        title="Hackers deface <script> site",
        outlet="Wired",
        author="Max Ames",
        published=datetime.date(2016, 9, 9),
        date_precision="day",
        text=(
            "The page showed <script>alert(1)</script> and then zebra <svg/onload=alert(1)> "
            "before AT&T engineers fixed it. Fish & chips <b>bold</b> stayed."
        ),
        countries=[],
        organisations=[],
        years=[],
    ),
    "long": dict(
        title="A long report on regional security",
        outlet="Reuters",
        author="John Long",
        published=datetime.date(2015, 11, 20),
        date_precision="day",
        text=_long_text(),
        countries=["Kyrgyzstan"],
        organisations=[],
        years=[2014],
    ),
    "unpublished": dict(
        title="Draft about xylophonic signals",
        outlet="Reuters",
        author="Jane Doe",
        published=datetime.date(2017, 3, 3),
        date_precision="day",
        text=f"A {UNIQUE_UNPUBLISHED_WORD} draft about Hizb ut-Tahrir in Syria, never published.",
        countries=["Syria", "Narnia"],
        organisations=["Hizb ut-Tahrir", "Unpublished Only Org"],
        years=[1777],
        is_published=False,
    ),
}


def make_tricky(key, spec=None, **overrides):
    """A hand-made Source with MARKER in its text: TRICKY[key], or ``spec`` (the same
    shape) when given; ``overrides`` change its fields."""
    spec = {**(spec or TRICKY[key]), **overrides}
    title, text = spec.pop("title"), spec.pop("text")
    if MARKER not in text:
        text = f"{text}\n\n{MARKER}"
    slug = spec.setdefault("slug", f"tricky-{key}")
    spec.setdefault("source_file", f"tests/{key}.txt")
    spec.setdefault("fingerprint", f"fixture-{slug}")
    return make_source(title, text, mentions=2, **spec)


def _import_seeds():
    """The seeds through the real importer."""
    from django.core.management import call_command

    call_command("import_sources", str(SEEDS), "--no-progress", stdout=_Null(), stderr=_Null())


class _Null:
    def write(self, *_):
        pass

    def flush(self):
        pass


def _create_world():
    """Seeds (through the importer) + hand-made Sources, in the current transaction."""
    from sources.models import Source
    from sources.gazetteer_loader import load_people
    from sources.models import Person
    from sources.outlets import ensure_starter_outlets
    from sources.signals import deferred_indexing

    with deferred_indexing():
        if not Source.objects.exclude(slug__startswith="tricky-").exists():
            ensure_starter_outlets()  # as migrated (a transactional test may have flushed them)
            load_people(Person)  # likewise
            _import_seeds()
        for key in TRICKY:
            if not Source.objects.filter(slug=f"tricky-{key}").exists():
                make_tricky(key)


_WORLD_MODELS = (
    "sources.Country",
    "sources.Organisation",
    "sources.Outlet",
    "sources.Person",
    "sources.Source",
    "sources.CountryMention",
    "sources.OrganisationMention",
    "sources.PersonMention",
    "sources.MentionedYear",
    "sources.SlugRedirect",
)
_world = {"dump": None, "signature": None, "index_state": None}


def _signature():
    from sources.models import Source

    return tuple(Source.objects.published().order_by("pk").values_list("pk", "slug"))


def build_world():
    """The world in the database (rolled back with the test) and in the index.

    The first call imports the seeds and keeps a dump; later calls load the dump (same
    pks, raw saves: no signals), and the index is rebuilt only when the published
    Sources differ from what it holds. Nothing stays in the database between tests, so
    tests that expect an empty database are not disturbed.
    """
    from django.apps import apps
    from django.core import serializers

    if _world["dump"] is None:
        _create_world()
        objects = []
        for label in _WORLD_MODELS:
            objects.extend(apps.get_model(label).objects.order_by("pk"))
        _world["dump"] = serializers.serialize("json", objects)
    else:
        for obj in serializers.deserialize("json", _world["dump"]):
            obj.save()
    signature = _signature()
    if signature != _world["signature"] or _index_state(signature) != _world["index_state"]:
        rebuild_index()
        _world["signature"] = signature
        _world["index_state"] = _index_state(signature)


def _index_state(signature):
    """Another test may have changed the shared index: cleared or restored it (the count
    differs) or changed a document and rolled the database back (a commit to a Whoosh index
    starts a new generation)."""
    from haystack import connections
    from haystack.query import SearchQuerySet

    from sources.models import Source

    backend = connections["default"].get_backend()
    backend.setup()
    count_matches = SearchQuerySet().models(Source).count() == len(signature)
    return (count_matches, backend.path, backend.index.latest_generation())


@pytest.fixture(scope="session")
def search_index_dir():
    root = Path(tempfile.mkdtemp(prefix="archive-index-"))
    use_index(root / "whoosh")
    yield root / "whoosh"
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def seeded(search_index_dir, db):
    """Every published Source (seeds + hand-made), all in the index."""
    from sources.models import Source

    use_index(search_index_dir)
    build_world()
    return list(Source.objects.published().order_by("pk"))


@pytest.fixture
def seeded_live(search_index_dir, transactional_db):
    """``seeded`` for transactional tests (live server): committed, flushed afterwards."""
    from sources.models import Source

    use_index(search_index_dir)
    build_world()
    return list(Source.objects.published().order_by("pk"))


@pytest.fixture
def tricky(seeded):
    from sources.models import Source

    return {key: Source.objects.get(slug=f"tricky-{key}") for key in TRICKY}


@pytest.fixture
def fresh_index(search_index_dir):
    """An empty index for one test; the shared index is back afterwards."""
    root = Path(tempfile.mkdtemp(prefix="archive-index-"))
    backend = use_index(root / "whoosh")
    try:
        yield backend
    finally:
        use_index(search_index_dir)
        shutil.rmtree(root, ignore_errors=True)

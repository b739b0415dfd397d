"""What a server process does before it serves: the searches that load the search
engine's caches (per index segment: every facet's values and documents, the text
field's lengths), so that the first journalist after a (re)start does not wait for them.
At 100,000 articles the first search of a cold process took 9.4 s, the next 0.24 s.
Engine-neutral: it only searches, through the service, and loads the query parser's
dictionary."""

import re
import time

from . import name_variants
from .models import Source
from .search import SearchQuery, search

_WORD = re.compile(r"[^\W\d_]{4,}")


def warm_up(between_steps=lambda: None) -> float:
    """Run the warming searches; returns the seconds taken. `between_steps` is called
    after each (a gunicorn worker tells its master it is alive)."""
    started = time.perf_counter()
    # Loaded at the first word that could be a name (0.5 s): the warming word below may
    # be an organisation's, which never asks.
    name_variants.load_dictionary()
    search(SearchQuery())  # browsing: every facet, counted over every document
    between_steps()
    word = _a_word_of_the_archive()
    if word:
        search(SearchQuery(q=word))  # scoring, snippets
        between_steps()
    return time.perf_counter() - started


def _a_word_of_the_archive() -> str | None:
    """A word of the newest published title: one the index surely holds."""
    title = Source.objects.published().order_by("-pk").values_list("title", flat=True).first()
    found = _WORD.search(title or "")
    return found.group() if found else None

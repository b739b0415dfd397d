"""Marks in the database for the Sources whose index documents may lag behind them.

The index is written after the database transaction commits (sources.signals). A process
killed in between (kill -9 of an import after it stored updates, before its index batch)
left the index stale and nothing remembered it: the next import found those files
unchanged and left them so. Now every change also writes a mark, in the transaction
that makes the change: (Source pk, a token new at each change). Indexing reads the marks
of its pks before it reads the Sources, and deletes exactly those marks (same token) once
the index has committed; a change made meanwhile carries a new token and stays marked.
Every import and `manage.py index catch-up` index the marked Sources again.

Only the database is involved, so this works the same with any haystack engine. A mark
has no foreign key: a deleted Source's mark outlives it, until the index drops it too.
"""

import secrets
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import IndexMark

#: Parameters per statement (well under SQLite's limit).
CHUNK = 500


def mark(pks, using=None):
    """Mark these Sources as changed; call it inside the transaction that changes them."""
    token = secrets.randbits(63)
    marks = [IndexMark(source_id=pk, token=token) for pk in sorted(pks)]  # one lock order
    IndexMark.objects.using(using).bulk_create(
        marks, batch_size=CHUNK, update_conflicts=True,
        unique_fields=["source_id"], update_fields=["token"],
    )


def marked():
    """The pks of every marked Source."""
    return set(IndexMark.objects.values_list("source_id", flat=True))


def read(pks):
    """{pk: token} of the marks these Sources have; read it BEFORE reading the Sources."""
    pks = sorted(pks)
    found = {}
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        found.update(IndexMark.objects.filter(source_id__in=chunk).values_list("source_id", "token"))
    return found


def clear(marks):
    """Delete these marks ({pk: token} from ``read``) once the index holds what was read,
    except those a later change has given a new token."""
    by_token = defaultdict(list)
    for pk, token in marks.items():
        by_token[token].append(pk)
    terms, size = [], 0
    for token, pks in by_token.items():
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            if terms and size + len(chunk) + 1 > CHUNK:
                _delete(terms)
                terms, size = [], 0
            terms.append(Q(token=token, source_id__in=chunk))
            size += len(chunk) + 1
    if terms:
        _delete(terms)


def _delete(terms):
    IndexMark.objects.filter(reduce(or_, terms)).delete()

"""Keeping the search index in step with the database.

haystack's RealtimeSignalProcessor indexes on post_save, before the m2m rows (countries,
organisations, mentioned years) exist, and inside a transaction that may still roll
back. Here every change only records the Source pk; the pks are indexed after the
transaction commits (transaction.on_commit), in one batch (one index writer):

* Source saved -> index it if published, remove it if not (unpublish);
* Source deleted -> remove;
* CountryMention / OrganisationMention / PersonMention / MentionedYear saved or deleted, and
  m2m_changed on the through tables -> reindex that Source;
* Country / Organisation / Outlet / Person saved (rename, alias edit) or deleted -> reindex its Sources.

``deferred_indexing()`` collects the pks of a whole run (an import) and indexes them in
ONE batch on exit. ``reindex_sources(pks)`` indexes given pks now (admin actions, merges).

The indexing itself (any haystack engine, more with the engine's declared extension
interface) is sources/indexing.py.
"""

import logging
import threading
from contextlib import contextmanager

from django.db import models, transaction
from haystack.signals import BaseSignalProcessor

from . import index_marks
from .indexing import index_missing, reindex_sources

log = logging.getLogger(__name__)

_state = threading.local()


def _deferred_stack():
    if not hasattr(_state, "deferred"):
        _state.deferred = []
    return _state.deferred


@contextmanager
def deferred_indexing():
    """While active (in this thread), collect touched Source pks; index them on exit.

    Nested uses collect into the outermost one. On exit the pks are indexed in one
    batch after the current transaction (if any) commits.
    """
    stack = _deferred_stack()
    pks = set()
    stack.append(pks)
    try:
        yield pks
    finally:
        stack.pop()
        if stack:
            stack[-1].update(pks)
        elif pks:
            _schedule(pks)


class _Batch:
    """The pks touched in one transaction, indexed by one on_commit callback."""

    def __init__(self):
        self.pks = set()
        self.done = False
        self.callback = self.flush  # the one object registered with on_commit

    def flush(self):
        self.done = True
        if _state.__dict__.get("batch") is self:
            _state.batch = None
        reindex_sources(self.pks)


def _schedule(pks, using=None):
    """Index these pks once the current transaction commits (now, outside one)."""
    if not pks:
        return
    index_marks.mark(pks, using)  # in the change's transaction: a crash before indexing leaves it
    stack = _deferred_stack()
    if stack:
        stack[-1].update(pks)
        return
    connection = transaction.get_connection(using)
    batch = getattr(_state, "batch", None)
    # The current batch takes more pks only while its on_commit callback is still
    # pending in this transaction (a rollback discards it, and then the batch too).
    alive = (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and any(entry[1] is batch.callback for entry in connection.run_on_commit)
    )
    if alive:
        batch.pks.update(pks)
        return
    batch = _Batch()
    batch.pks.update(pks)
    _state.batch = batch if connection.in_atomic_block else None
    transaction.on_commit(batch.callback, using=using)


def touch(*pks):
    """Record that these Sources changed (public: usable by code that bypasses signals)."""
    _schedule({int(pk) for pk in pks if pk is not None})


class OnCommitSignalProcessor(BaseSignalProcessor):
    def _connections(self):
        """(signal, handler, sender) for everything that changes what the index holds."""
        from .models import (
            Country,
            CountryMention,
            MentionedYear,
            Organisation,
            OrganisationMention,
            Outlet,
            Person,
            PersonMention,
            Source,
        )

        signals = models.signals
        connections = [
            (signals.post_save, self.source_changed, Source),
            (signals.post_delete, self.source_changed, Source),
        ]
        for model in (CountryMention, OrganisationMention, PersonMention, MentionedYear):
            connections += [(signals.post_save, self.mention_changed, model),
                            (signals.post_delete, self.mention_changed, model)]
        for through in (Source.countries.through, Source.organisations.through, Source.people.through):
            connections.append((signals.m2m_changed, self.m2m_changed, through))
        for model in (Country, Organisation, Outlet, Person):
            connections += [(signals.post_save, self.entity_changed, model),
                            (signals.pre_delete, self.entity_changed, model)]
        return connections

    def setup(self):
        for signal, handler, sender in self._connections():
            signal.connect(handler, sender=sender)

    def teardown(self):
        for signal, handler, sender in self._connections():
            signal.disconnect(handler, sender=sender)

    # haystack's API, for code that calls the processor directly.
    def handle_save(self, sender, instance, **kwargs):
        self.source_changed(sender, instance, **kwargs)

    def handle_delete(self, sender, instance, **kwargs):
        self.source_changed(sender, instance, **kwargs)

    def source_changed(self, sender, instance, raw=False, **kwargs):
        if raw:  # loaddata: fixtures are indexed by rebuild_index
            return
        _schedule({instance.pk}, using=kwargs.get("using"))

    def mention_changed(self, sender, instance, raw=False, **kwargs):
        if raw:
            return
        _schedule({instance.source_id}, using=kwargs.get("using"))

    def m2m_changed(self, sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
            return
        if not reverse:
            _schedule({instance.pk}, using=kwargs.get("using"))
        elif action == "pre_clear":
            # country.source_set.clear(): the pks are gone after the clear.
            _schedule(set(instance.source_set.values_list("pk", flat=True)), using=kwargs.get("using"))
        elif pk_set:
            _schedule(set(pk_set), using=kwargs.get("using"))

    def entity_changed(self, sender, instance, raw=False, **kwargs):
        if raw or kwargs.get("created"):
            return
        _schedule(set(instance.source_set.values_list("pk", flat=True)), using=kwargs.get("using"))


__all__ = [
    "OnCommitSignalProcessor",
    "deferred_indexing",
    "reindex_sources",
    "touch",
    "index_missing",
]

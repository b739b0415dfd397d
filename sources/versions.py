"""Versions and shared passages: detection at import, group leaders, curator decisions.

Detection (`detect`) runs once per import batch on the Sources it created or changed:
their sampled shingle keys go into PassageKey; one look-up of those keys gives the
Sources that share text with them (a key found in more than MAX_KEY_POSTINGS Sources is
boilerplate and ignored); each candidate pair is compared exactly
(sources.ingest.reprints.compare) and kept as a TextOverlap when it is a version or a
shared passage. A new version joins the group of the most similar Source it repeats, or
starts one with it; two groups it is a version of become one. At most
reprints.MAX_CANDIDATES Sources are compared per article, so the cost per article does
not grow with the archive, and nothing is rescanned: what detection needs is in the
tables.

Curators' decisions (`split`, `join`) mark the memberships they set as curated; neither
re-import nor re-detection moves a curated Source, though new reprints may still join its
group.

Leaders: a group shows in collapsed search through its leader, the earliest dated
PUBLISHED member (ties: the first imported). `expand_for_indexing` recomputes the leaders
of the groups being indexed and adds their other members, so that unpublishing,
republishing or re-dating one version reindexes the whole group.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import chain

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Q

from .ingest import reprints
from .import_context import current_context
from .models import PassageKey, Source, TextOverlap, VersionGroup, VersionMembership
from .signals import touch

LOOKUP_CHUNK = 2000


# --------------------------------------------------------------------------- detection


def detect(pks, printed=None) -> set[int]:
    """Find versions and shared passages for these Sources (created or changed). Returns
    the pks of the Sources whose group changed. `printed`: {pk: reprints.Fingerprint} of
    some of them, made from their stored texts (the others' texts are read)."""
    pks, printed = set(pks), dict(printed or {})
    for pk, text in Source.objects.filter(pk__in=pks - set(printed)).values_list("pk", "text"):
        printed[pk] = reprints.Fingerprint.of(text)
    printed = {pk: fingerprint for pk, fingerprint in printed.items() if pk in pks}
    sampled = {pk: reprints.keys(fingerprint.distinct) for pk, fingerprint in printed.items()}
    stored = _stored_keys(sampled)
    held, holders = _held({int(k) for keys in sampled.values() for k in keys}, stored)
    changed_keys = {pk: keys for pk, keys in sampled.items() if _changed(keys, stored.get(pk, set()), held)}
    if not changed_keys:
        return set()
    for pk in changed_keys:
        held.subtract(stored.get(pk, ()))  # _forget drops their rows
    with transaction.atomic():
        regrouped = _forget(set(changed_keys))
        _store_keys({pk: [k for k in keys.tolist() if held[k] <= reprints.MAX_KEY_POSTINGS]
                     for pk, keys in changed_keys.items()})
        postings = _rare_postings(changed_keys, holders, held)
        overlaps = _verified_overlaps(changed_keys, printed, postings)
        TextOverlap.objects.bulk_create(overlaps, ignore_conflicts=True)
        regrouped |= _group(sorted(changed_keys), [o for o in overlaps if _is_version(o)])
        expand_for_indexing(regrouped)  # leaders right now, whatever indexes them later
    touch(*regrouped)
    return regrouped


def detect_in_outcomes(outcomes):
    """`detect` for the Sources an import created or updated; returns the outcomes."""
    outcomes = list(outcomes)
    changed = [o for o in outcomes if o.status in ("created", "updated") and o.source_pk]
    detect((o.source_pk for o in changed), {o.source_pk: o.shingles for o in changed if o.shingles is not None})
    return outcomes


def detect_in_stored(stored):
    """`detect_in_outcomes` for what importer.store_group returns: [(path, outcomes)]."""
    detect_in_outcomes(outcome for _path, outcomes in stored for outcome in outcomes)
    return stored


def _store_keys(keys_by_pk):
    """~40 rows per article: one executemany, not a model instance per row (a third of
    detection's cost at import when made through bulk_create)."""
    table, key, source = map(connection.ops.quote_name, (PassageKey._meta.db_table, "key", "source_id"))
    rows = [(key_value, pk) for pk, keys in keys_by_pk.items() for key_value in keys]
    context = current_context()
    if context is not None:
        context.passage_key_counts.update((pk, len(keys)) for pk, keys in keys_by_pk.items())
    with connection.cursor() as cursor:
        # A concurrent detection of the same Source (a re-extraction during an import)
        # stores the same rows: not an error.
        cursor.executemany(f"INSERT INTO {table} ({key}, {source}) VALUES (%s, %s) ON CONFLICT DO NOTHING", rows)


def _stored_keys(pks) -> dict[int, set[int]]:
    stored = defaultdict(set)
    for pk, key in PassageKey.objects.filter(source_id__in=list(pks)).values_list("source_id", "key"):
        stored[pk].add(key)
    return stored


def _held(keys, stored) -> tuple[Counter, dict[int, set[int]]]:
    """(key -> how many Sources hold it, key -> which), for these keys; `stored`: the rows
    of the Sources being detected, which detection may be about to replace.

    Within an import (ImportContext), a key once found boilerplate is not read again: an
    import only adds rows, and a boilerplate key gains none (see detect), so it stays
    boilerplate. A stock phrase is sampled by most articles, and re-reading its ~50 holders
    for each was two fifths of detection's time at 10,000 articles. The exceptions are the
    keys of the Sources being detected (an updated Source's rows are deleted and it may no
    longer hold the key): those are read again. A Source another process deletes during
    the import can leave a key boilerplate here that is no longer: at worst that import
    stores fewer of its rows."""
    context = current_context()
    known = context.boilerplate_keys if context is not None else set()
    changing = {key for keys in stored.values() for key in keys}
    known -= changing
    holders = _holders(keys - known)
    held = Counter({key: len(holding) for key, holding in holders.items()})
    held.update({key: reprints.MAX_KEY_POSTINGS + 1 for key in keys & known})
    known |= {key for key, count in held.items() if count > reprints.MAX_KEY_POSTINGS} - changing
    return held, holders


def _holders(keys) -> dict[int, set[int]]:
    """key -> the Sources whose rows hold it. A boilerplate key stops gaining rows once it
    is held by more than MAX_KEY_POSTINGS (see detect), so reading its holders reads about
    that many index entries, not one per article of the archive: at 100,000 generated
    articles, 5,131 keys held 3 million of the table's 4 million rows, and counting them
    was most of an import's time per article. One read gives both how many hold a key
    (is it boilerplate?) and which (the candidates)."""
    keys = sorted(keys)
    holders = defaultdict(set)
    # A plain cursor, not the ORM: ~100 rows per article, and making each row through
    # a queryset's iterator cost more than the query (two bigint columns, nothing to convert).
    table, key, source = map(connection.ops.quote_name, (PassageKey._meta.db_table, "key", "source_id"))
    with connection.cursor() as cursor:
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {key}, {source} FROM {table} WHERE {key} IN ({placeholders})", chunk)
            for key_value, pk in cursor.fetchall():
                holders[key_value].add(pk)
    return holders


def _changed(keys, stored, held) -> bool:
    """Whether a Source's key sample differs from its stored rows, which leave out the keys
    that were boilerplate when it was stored."""
    if not len(keys):
        return True
    keys = set(keys.tolist())
    return not stored <= keys or any(held[k] <= reprints.MAX_KEY_POSTINGS for k in keys - stored)


def _rare_postings(changed_keys, holders, held) -> dict[int, set[int]]:
    """key -> the Sources holding it, for the keys that give candidates: held, with this
    batch's rows, by no more than MAX_KEY_POSTINGS Sources (a key held by more is
    boilerplate). The holders as they are once the batch's rows replaced its old ones."""
    in_batch = defaultdict(set)
    for pk, keys in changed_keys.items():
        for key in keys.tolist():
            in_batch[key].add(pk)
    batch = set(changed_keys)  # a set: set - dict_keys would build one per key
    return {
        key: (holders.get(key, set()) - batch) | pks
        for key, pks in in_batch.items()
        if held[key] + len(pks) <= reprints.MAX_KEY_POSTINGS
    }


def _forget(pks) -> set[int]:
    """Drop what detection knew of these Sources (their texts changed); they leave their
    groups unless a curator placed them. Returns the pks whose group changed."""
    PassageKey.objects.filter(source_id__in=pks).delete()
    TextOverlap.objects.filter(Q(source_a__in=pks) | Q(source_b__in=pks)).delete()
    leaving = VersionMembership.objects.filter(source_id__in=pks, curated=False)
    groups = set(leaving.values_list("group_id", flat=True))
    if not groups:
        return set()
    touched = set(VersionMembership.objects.filter(group__in=groups).values_list("source_id", flat=True))
    leaving.delete()
    _drop_lone_groups(groups)
    return touched


def _drop_lone_groups(group_ids):
    """A group detection left with one member is no group (a curator's single, split-out
    Source keeps its group: it records the decision)."""
    sizes = Counter(VersionMembership.objects.filter(group__in=group_ids).values_list("group_id", flat=True))
    lone = [g for g in group_ids if sizes[g] < 2]
    VersionGroup.objects.filter(pk__in=lone).exclude(members__curated=True).delete()


def _verified_overlaps(changed_keys, printed, postings) -> list[TextOverlap]:
    pairs = _candidate_pairs(changed_keys, postings)
    others = {pk for pair in pairs for pk in pair} - set(printed)
    context = current_context()
    recent = context.recent_fingerprints if context is not None else {}
    printed.update((pk, recent[pk]) for pk in others & recent.keys())
    for pk, text in Source.objects.filter(pk__in=others - printed.keys()).values_list("pk", "text"):
        printed[pk] = reprints.Fingerprint.of(text)
    recent.update(printed)
    overlaps = []
    for a, b in sorted(pairs):
        if a not in printed or b not in printed:
            continue
        found = reprints.compare_both_ways(printed[a], printed[b])
        if found.is_version or found.is_shared_passage:
            overlaps.append(
                TextOverlap(source_a_id=a, source_b_id=b, share_a=found.share_a,
                            share_b=found.share_b, similarity=found.similarity)
            )
    return overlaps


def _candidate_pairs(changed_keys, postings) -> set[tuple[int, int]]:
    """(lower pk, higher pk) of the Sources worth comparing with a changed Source
    (reprints.candidates); `postings`: the rare keys' holders."""
    common = {}
    for pk, keys in changed_keys.items():
        # One count over all its keys' holders (in C), not one update per key. The Source
        # holds its own keys and is not its own candidate (a Counter's del ignores a
        # missing key).
        common[pk] = Counter(chain.from_iterable(postings.get(key, ()) for key in keys.tolist()))
        del common[pk][pk]
    # One shared key is chance (MIN_COMMON_KEYS): only the others sharing more are counted.
    sharing = {other for counts in common.values() for other, n in counts.items() if n >= reprints.MIN_COMMON_KEYS}
    # The share a possible version must have is of the keys that can be shared at all:
    # the rare ones. Counted with its boilerplate keys, an article made mostly of stock
    # passages never reached it with its few rare keys (at 100,000 articles, 185 of 300
    # sampled missed reprint pairs).
    rare_counts = {pk: sum(key in postings for key in keys.tolist()) for pk, keys in changed_keys.items()}
    key_counts = _key_counts(sharing, rare_counts)
    return {
        (min(pk, other), max(pk, other))
        for pk, counts in common.items()
        for other in reprints.candidates(counts, key_counts, rare_counts[pk])
    }


def _key_counts(pks, rare_counts) -> dict[int, int]:
    """pk -> how many rare keys the Source holds: counted for the changed ones
    (`rare_counts`); for the others their rows, which leave out the keys that were
    boilerplate when they were stored: remembered by this import (counting them again was
    a query per batch), else counted."""
    context = current_context()
    stored_here = context.passage_key_counts if context is not None else {}
    counts = {pk: stored_here[pk] for pk in pks if pk in stored_here}
    counts.update(rare_counts)
    rest = [pk for pk in pks if pk not in counts]
    for start in range(0, len(rest), LOOKUP_CHUNK):
        rows = PassageKey.objects.filter(source_id__in=rest[start : start + LOOKUP_CHUNK])
        counts.update(rows.values("source_id").annotate(n=Count("key")).values_list("source_id", "n"))
    return counts


def _is_version(overlap) -> bool:
    return reprints.Overlap(0, overlap.share_a, overlap.share_b, overlap.similarity).is_version


def _group(new_pks, version_overlaps) -> set[int]:
    """Put each new Source that is no curator's in the group of its most similar version;
    its other versions come along, and groups it bridges become one (unless a curator
    has judged one of them: a curated group keeps its members and takes no others'
    groups, though a new reprint may join it)."""
    neighbours = defaultdict(list)
    for overlap in version_overlaps:
        neighbours[overlap.source_a_id].append((overlap.similarity, overlap.source_b_id))
        neighbours[overlap.source_b_id].append((overlap.similarity, overlap.source_a_id))
    involved = set(neighbours) | {other for pairs in neighbours.values() for _, other in pairs}
    memberships = {m.source_id: m for m in VersionMembership.objects.filter(source_id__in=involved)}
    regrouped = set()
    for pk in new_pks:
        if pk not in neighbours or (pk in memberships and memberships[pk].curated):
            continue
        others = [other for _, other in sorted(neighbours[pk], key=lambda pair: (-pair[0], pair[1]))]
        target = next((memberships[o].group_id for o in [pk, *others] if o in memberships), None)
        if target is None:
            target = VersionGroup.objects.create().pk
        merged = set()
        other_groups = {memberships[o].group_id for o in others if o in memberships} - {target}
        if other_groups and not VersionMembership.objects.filter(group=target, curated=True).exists():
            merged = _merge_into(target, other_groups)
        for membership in memberships.values():
            if membership.group_id in merged:
                membership.group_id = target
                regrouped.add(membership.source_id)
        for source_pk in [pk, *others]:
            if source_pk not in memberships:
                memberships[source_pk] = VersionMembership.objects.create(source_id=source_pk, group_id=target)
                regrouped.add(source_pk)
    return regrouped


def _merge_into(target, group_ids) -> set[int]:
    """Move the members of these groups into `target`, but for groups a curator judged.
    Returns the groups merged (and deleted)."""
    mergeable = set(
        VersionGroup.objects.filter(pk__in=group_ids)
        .exclude(members__curated=True)
        .values_list("pk", flat=True)
    )
    if mergeable:
        VersionMembership.objects.filter(group__in=mergeable).update(group=target)
        VersionGroup.objects.filter(pk__in=mergeable).delete()
    return mergeable


def detect_all(batch=500, progress=None):
    """Re-detection over the whole archive (a backfill, or after the rules changed):
    every Source's keys are rebuilt; curated memberships stay as they are."""
    PassageKey.objects.all().delete()
    TextOverlap.objects.all().delete()
    VersionMembership.objects.filter(curated=False).delete()
    _drop_lone_groups(list(VersionGroup.objects.values_list("pk", flat=True)))
    pks = list(Source.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        detect(pks[start : start + batch])
        if progress:
            progress(min(start + batch, len(pks)), len(pks))
    touch(*pks)


# --------------------------------------------------------------------------- curators


@transaction.atomic
def split(pks) -> None:
    """Take these Sources out of their groups, each to stand alone from now on. The
    members they leave are marked curated too: the curator has judged that group."""
    pks = set(pks)
    old_groups = set(VersionMembership.objects.filter(source_id__in=pks).values_list("group_id", flat=True))
    mates = set(VersionMembership.objects.filter(group__in=old_groups).values_list("source_id", flat=True))
    VersionMembership.objects.filter(group__in=old_groups).update(curated=True)
    for pk in pks:
        group = VersionGroup.objects.create()
        VersionMembership.objects.update_or_create(
            source_id=pk, defaults={"group": group, "curated": True, "leads": False}
        )
    VersionGroup.objects.filter(pk__in=old_groups, members__isnull=True).delete()
    touch(*expand_for_indexing(pks | mates))


@transaction.atomic
def join(pks) -> None:
    """One group of these Sources and every other member of their groups, curated."""
    pks = set(pks)
    groups = set(VersionMembership.objects.filter(source_id__in=pks).values_list("group_id", flat=True))
    members = pks | set(VersionMembership.objects.filter(group__in=groups).values_list("source_id", flat=True))
    group = VersionGroup.objects.filter(pk__in=groups).order_by("pk").first() or VersionGroup.objects.create()
    for pk in members:
        VersionMembership.objects.update_or_create(source_id=pk, defaults={"group": group, "curated": True})
    VersionGroup.objects.filter(pk__in=groups - {group.pk}).delete()
    touch(*expand_for_indexing(members))


# --------------------------------------------------------------------------- leaders


def expand_for_indexing(pks) -> set[int]:
    """These pks and the other members of their groups, with the groups' leaders
    recomputed (called before indexing: a leader depends on publication and dates)."""
    pks = set(pks)
    groups = set()
    for start in range(0, len(pks), LOOKUP_CHUNK * 5):
        chunk = list(pks)[start : start + LOOKUP_CHUNK * 5]
        groups.update(VersionMembership.objects.filter(source_id__in=chunk).values_list("group_id", flat=True))
    if not groups:
        return pks
    return pks | refresh_leaders(groups)


def refresh_leaders(group_ids) -> set[int]:
    """Set `leads` in these groups; returns all their members' pks."""
    rows = VersionMembership.objects.filter(group__in=group_ids).values_list(
        "source_id", "group_id", "leads", "source__is_published", "source__published", "source__date_precision"
    )
    by_group = defaultdict(list)
    for row in rows:
        by_group[row[1]].append(row)
    should_lead, members = set(), set()
    for group_rows in by_group.values():
        members.update(row[0] for row in group_rows)
        published = [row for row in group_rows if row[3]]
        if published:
            should_lead.add(min(published, key=_leader_order)[0])
    leading = {row[0] for group_rows in by_group.values() for row in group_rows if row[2]}
    if leading != should_lead:
        VersionMembership.objects.filter(source_id__in=leading - should_lead).update(leads=False)
        VersionMembership.objects.filter(source_id__in=should_lead - leading).update(leads=True)
    return members


def _leader_order(row):
    pk, _group, _leads, _published, date, precision = row
    if date is None or precision == Source.DatePrecision.UNKNOWN:
        return (1, 0, pk)  # undated: after every dated version
    return (0, date.toordinal(), pk)


def leads(source) -> bool:
    """Whether the Source stands for its group in collapsed search (True outside groups)."""
    try:
        return source.version.leads
    except VersionMembership.DoesNotExist:
        return True


def other_versions_text(source) -> str:
    """On a group's leader, the headlines and paragraphs of its other published versions
    that its own text lacks (compared word for word, so straightened quotes add nothing);
    "" on any other Source."""
    if not leads(source) or not hasattr(source, "version"):
        return ""
    seen = {_plain(part) for part in (source.title, *source.paragraphs)}
    others = (
        Source.objects.filter(version__group=source.version.group_id, is_published=True)
        .exclude(pk=source.pk)
        .order_by("pk")
    )
    extra = []
    for other in others.only("title", "text"):
        for part in (other.title, *other.paragraphs):
            plain = _plain(part)
            if plain and plain not in seen:
                seen.add(plain)
                extra.append(part)
    return "\n\n".join(extra)


def _plain(part) -> str:
    return " ".join(reprints.words(part))

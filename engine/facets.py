"""Facet counts in haystack's structure, from Whoosh's groups or from bitsets."""

import heapq

import numpy as np

from .segment_cache import VALUE_NUMBERS


#: A facet with more values than this in a segment is counted document by document
#: (Leaf.facet_docs): a bitset AND per value cost 80 ms a search for 38,000 people at
#: 100,000 articles. Fewer values (countries, years) are cheaper as bitsets.
MANY_VALUES = 1000


def count_facets(leaves, matches, names, many_values=None):
    """{facet: {value: count}}: popcounts of each segment's matches & value-set, or for a
    facet of many values, its values tallied over the matching documents. A facet asked
    with a limit (``names.limits``) keeps the values that can be among its most counted."""
    many_values = MANY_VALUES if many_values is None else many_values
    limits = getattr(names, "limits", {})
    groups = {}
    for name in names:
        live = [(leaf, bits) for leaf, bits in zip(leaves, matches) if bits]
        if any(len(leaf.facet_sets(name)) > many_values for leaf, _ in live):
            groups[name] = _tallied(name, live, limits.get(name))
            continue
        counts = {}
        for leaf, bits in live:
            for value, value_bits in leaf.facet_sets(name):
                n = (bits & value_bits).bit_count()
                if n:
                    counts[value] = counts.get(value, 0) + n
        groups[name] = counts
    return groups


def _tallied(name, live, limit):
    """A many-valued facet's counts, every segment's tally added as one array: 38,000
    people merged value by value in Python were a third of a search at 100,000."""
    # Every segment's docs first: reading a segment's docs for the first time numbers its
    # new values, and the total must have room for all of them.
    segments = [(leaf.facet_docs(name), leaf, bits) for leaf, bits in live]
    total = np.zeros(len(VALUE_NUMBERS.values), dtype=np.int64)
    for docs, leaf, bits in segments:
        total[docs.numbers] += docs.tally(bits, leaf.entry.size)
    held = np.flatnonzero(total)
    if limit and len(held) > limit:
        # Every value counted at least as often as the limit-th: ties are settled by name later.
        cut = np.partition(total[held], len(held) - limit)[len(held) - limit]
        held = held[total[held] >= cut]
    values = VALUE_NUMBERS.values
    return {values[n]: int(total[n]) for n in held}


def whoosh_facets(raw_page, facet_types):
    """The facets of a Whoosh results page (its groups) in haystack's structure."""
    groups = {name: raw_page.results.groups(name) for name in raw_page.results.facet_names()}
    return format_facets(groups, facet_types)


class FacetFields(dict):
    """The facets a search asks for, {name: "fields"} (the kind haystack's results file
    them under), with each one's `limit` option (``sqs.facet(name, limit=n)``)."""

    def __init__(self, facets):
        super().__init__({name: "fields" for name in facets or ()})
        options = facets if isinstance(facets, dict) else {}
        self.limits = {name: (options.get(name) or {}).get("limit") for name in self}


def format_facets(groups, facet_types):
    """{name: {value: count}} -> haystack's facet structure, no None bucket, most counted
    first; a facet asked with a limit keeps its n most counted values (sorting 35,000
    people to list 100 took longer than counting them)."""
    facets = {"fields": {}, "dates": {}, "queries": {}}
    if not facet_types:
        return {}
    limits = getattr(facet_types, "limits", {})
    for name, group in groups.items():
        items = ((k, v) for k, v in group.items() if k not in (None, "", "None"))
        limit = limits.get(name)
        order = (lambda kv: (-kv[1], kv[0]))
        facets[facet_types[name]][name] = heapq.nsmallest(limit, items, key=order) if limit else sorted(items, key=order)
    return facets

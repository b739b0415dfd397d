"""Facet counts in haystack's structure, from Whoosh's groups or from bitsets."""

import heapq


#: A facet with more values than this in a segment is counted document by document
#: (Leaf.facet_docs): a bitset AND per value cost 80 ms a search for 38,000 people at
#: 100,000 articles. Fewer values (countries, years) are cheaper as bitsets.
MANY_VALUES = 1000


def count_facets(leaves, matches, names, many_values=None):
    """{facet: {value: count}}: popcounts of each segment's matches & value-set, or for a
    facet of many values, its values tallied over the matching documents."""
    many_values = MANY_VALUES if many_values is None else many_values
    groups = {}
    for name in names:
        counts = {}
        for leaf, bits in zip(leaves, matches):
            if not bits:
                continue
            sets = leaf.facet_sets(name)
            if len(sets) > many_values:
                found = leaf.facet_docs(name).counts(bits, leaf.entry.size).items()
            else:
                found = (((value, (bits & value_bits).bit_count()) for value, value_bits in sets))
            for value, n in found:
                if n:
                    counts[value] = counts.get(value, 0) + n
        groups[name] = counts
    return groups


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

"""Query strings into Whoosh queries: haystack's query class with exact facet filters,
and the parse of the Lucene syntax the search service writes."""

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshSearchQuery
from haystack.constants import ID
from whoosh import query as wq

from .fields import encode_exact

#: "Everything": haystack's word for it on Whoosh ("*", matching_all_fragment) and the
#: Lucene one ("*:*"), both meaning every document wherever they stand.
MATCH_ALL = "*:*"
MATCH_ALL_PLACEHOLDER = "archivematchall"


def parse(parser, query_string):
    """``query_string`` parsed by Whoosh's ``parser``; "*" and "*:*" mean every document."""
    query_string = force_str(query_string).strip()
    if query_string in ("", "*", "(*)", MATCH_ALL):
        return wq.Every()
    # Whoosh's parser reads "*:*" inside an expression as Every() and DROPS the rest
    # ("(*:* AND NOT police)" -> everything); parse a placeholder term instead. A bare
    # "*" becomes Every(<default field>), "documents with a body"; haystack means every
    # document, which the bitset path also answers without reading postings.
    placeholder = wq.Term(ID, MATCH_ALL_PLACEHOLDER)
    parsed = parser.parse(query_string.replace(MATCH_ALL, "%s:%s" % (ID, MATCH_ALL_PLACEHOLDER)))
    return parsed.accept(lambda q: wq.Every() if q == placeholder or isinstance(q, wq.Every) else q)


def all_of(queries):
    """The queries AND-ed (a filter), or None when there are none."""
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.And(queries)


class ArchiveWhooshSearchQuery(WhooshSearchQuery):
    """Facet filters become exact Term queries (see fields.EXACT), never parsed words."""

    def build_query_fragment(self, field, filter_type, value):
        from haystack import connections

        if field != "content" and filter_type in ("content", "exact", "in"):
            fieldname = connections[self._using].get_unified_index().get_index_fieldname(field)
            if fieldname in self.backend.exact_fields or (
                not self.backend.setup_complete and self._is_exact(fieldname)
            ):
                return self._exact_fragment(fieldname, value)
        return super().build_query_fragment(field, filter_type, value)

    def run_mlt(self, **kwargs):
        # haystack's own run_mlt drops the slice's bounds, so `sqs.more_like_this(x)[:5]`
        # made the engine load every related document (84,000 at 100,000 articles).
        kwargs.setdefault("start_offset", self.start_offset)
        if self.end_offset is not None:
            kwargs.setdefault("end_offset", self.end_offset)
        super().run_mlt(**kwargs)

    @staticmethod
    def _exact_fragment(fieldname, value):
        raw = getattr(value, "query_string", value)
        if hasattr(raw, "values_list"):
            raw = list(raw)
        values = list(raw) if isinstance(raw, (list, tuple, set, frozenset)) else [raw]
        if not values:
            # An empty IN matches nothing.
            return "%s:(%s)" % (ID, encode_exact("\x00none"))
        terms = " OR ".join(encode_exact(v) for v in values)
        return "%s:(%s)" % (fieldname, terms)

    def _is_exact(self, fieldname):
        self.backend.setup()
        return fieldname in self.backend.exact_fields

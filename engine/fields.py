"""The Archive's Whoosh schema: which Whoosh field each haystack field becomes.

* The body is neither stored, sortable nor given a spelling graph.
* Facet fields are whole-value keyword fields (EXACT) split on a character that cannot
  occur in a name (U+001F), never on commas, never lowercased, tokenised or stemmed.
* Integers are 64-bit sortable columns, one term per value; dates and datetimes are
  sortable columns too (the app sorts by datetime keys).
* The spelling vocabulary is a WORDS field: a document's distinct words, nothing else.
"""

from django.utils.encoding import force_str
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from haystack.fields import FacetField
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StripFilter
from whoosh.fields import DATETIME, ID as WHOOSH_ID, NUMERIC, FieldType, Schema
from whoosh.formats import Existence

from .stemming import stem
from .writing import StemmedText

#: Separates the values of a multi-valued facet field. A control character: names are
#: cleaned of those, so it cannot occur inside a value (a comma can).
VALUE_SEPARATOR = "\x1f"
#: Prefix of a hex-encoded exact value inside a query string.
EXACT_PREFIX = "x"


def encode_exact(value):
    return EXACT_PREFIX + force_str(value).encode("utf-8").hex()


def decode_exact(text):
    if not text.startswith(EXACT_PREFIX):
        raise ValueError("not an encoded exact value")
    return bytes.fromhex(text[len(EXACT_PREFIX):]).decode("utf-8")


class EXACT(FieldType):
    """A whole-value keyword field: each value is one term, as given (case kept).

    Values are separated by VALUE_SEPARATOR. The field parses query text itself: the text
    is a hex-encoded value (see encode_exact) and becomes one Term, so nothing the
    query parser does to words can reach it. No positions: it is for filters and facets.
    """

    def __init__(self, stored=False, field_boost=1.0):
        self.analyzer = RegexTokenizer("[^%s]+" % VALUE_SEPARATOR) | StripFilter()
        self.format = Existence(field_boost=field_boost)
        self.stored = stored
        self.scorable = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def self_parsing(self):
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        try:
            value = decode_exact(qstring)
        except ValueError:
            # Typed by hand (only the backend writes these): take it literally.
            value = qstring
        return wq.Term(fieldname, value, boost=boost)

    def parse_range(self, fieldname, start, end, startexcl, endexcl, boost=1.0):
        return wq.TermRange(
            fieldname,
            decode_exact(start) if start else None,
            decode_exact(end) if end else None,
            startexcl,
            endexcl,
            boost=boost,
        )


def spell_analyzer():
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter()


class WORDS(FieldType):
    """The spelling vocabulary: a document's distinct words, given already split,
    lowercased and space-separated (SourceIndex.prepare_spell), indexed as they are.

    Only which words occur in which documents matters (for doc_frequency and
    terms_within): no analyzer pass, no weights, no field lengths. A TEXT field cost a
    third of all indexing time for the same terms."""

    def __init__(self):
        self.analyzer = spell_analyzer()  # for anything that analyses query text
        self.format = Existence()
        self.stored = False
        self.scorable = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value, **kwargs):
        return [(word.encode("utf-8"), 1, 1.0, b"") for word in force_str(value).split()]


def build_schema(fields, spell_field):
    """(content field name, Whoosh Schema, names of the EXACT fields) for haystack's
    ``fields`` ({name: SearchField}); the field named ``spell_field`` is a WORDS field."""
    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    exact_fields = set()
    for field in fields.values():
        name = field.index_fieldname
        if field.document:
            content_field_name = name
        schema_fields[name] = whoosh_field(field, spell_field)
        if isinstance(schema_fields[name], EXACT):
            exact_fields.add(name)
    if not content_field_name:
        raise SearchBackendError("No document=True field in the search indexes.")
    return content_field_name, Schema(**schema_fields), exact_fields


def whoosh_field(field, spell_field):
    """The Whoosh field for one haystack SearchField."""
    name = field.index_fieldname
    if field.document:
        # The body: stemmed, with positions for phrases; not stored (the text is in
        # the database), not sortable, no spelling graph.
        return StemmedText(stored=False, analyzer=StemmingAnalyzer(stemfn=stem))
    if isinstance(field, FacetField) or (field.is_multivalued and field.indexed):
        return EXACT(stored=field.stored)
    if field.field_type in ("date", "datetime"):
        # A column: datetimes are the sort keys (the type every haystack engine sorts).
        return DATETIME(stored=field.stored, sortable=True)
    if field.field_type == "integer":
        # shift_step=0: one term per value instead of 16 "trie" terms (those only speed
        # up range queries, which nothing runs on sort keys).
        return NUMERIC(numtype=int, bits=64, stored=field.stored, sortable=True, signed=True, shift_step=0)
    if field.field_type == "float":
        # Not a column: Whoosh 2.7.4's float column cannot write a float (struct.error;
        # found by haystack's own round-trip test). Sorting on it still works, from the
        # postings.
        return NUMERIC(numtype=float, stored=field.stored)
    if name == spell_field:
        return WORDS()
    if not field.indexed:
        return WHOOSH_ID(stored=field.stored)
    analyzer = field.analyzer or StemmingAnalyzer(stemfn=stem)
    return StemmedText(stored=field.stored, analyzer=analyzer, field_boost=field.boost)


def from_python(value):
    """A multi-valued field's values joined with VALUE_SEPARATOR; None for other values."""
    if isinstance(value, (list, tuple, set)):
        return VALUE_SEPARATOR.join(force_str(v) for v in value)
    return None


def schema_signature(schema):
    """What matters of a Whoosh schema, comparable (field objects hold column objects
    without value equality, so ``schema == schema`` is False even for the same code)."""

    def describe(field):
        column = getattr(field, "column_type", None)
        return (
            type(field).__name__,
            bool(field.stored),
            bool(getattr(field, "unique", False)),
            bool(getattr(field, "scorable", False)),
            type(field.format).__name__ if getattr(field, "format", None) else None,
            type(column).__name__ if column else None,
            repr(getattr(field, "numtype", None)),
            getattr(field, "bits", None),
            getattr(field, "signed", None),
        )

    return {name: describe(schema[name]) for name in schema.names()}

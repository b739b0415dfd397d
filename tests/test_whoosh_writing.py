"""engine/writing.py writes what Whoosh's own writer writes, faster.

* StemmedText.index gives exactly TEXT.index's (term, frequency, weight, positions)
  tuples, on the seeds and on words that trip analysers (leading stop words, case
  mappings that change length, dotted numbers, underscores);
* ArchiveSegmentWriter's segment files (postings, terms, lengths, stored fields, sort
  columns) are byte for byte those of Whoosh's SegmentWriter for the same documents,
  with terms spanning several posting blocks, and after a merge with deletions.
"""

import random
from pathlib import Path

import pytest
from haystack import connections
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from sources.models import Source
from engine.writing import ArchiveSegmentWriter, StemmedText

pytestmark = pytest.mark.django_db

SEEDS = sorted(Path(__file__).resolve().parent.parent.joinpath("seeds").glob("*.txt"))

TRICKY = [
    "",
    "the of and a",  # nothing but stop words
    "The Islamic State and the Daesh of the desert",  # the first word kept is not the first word
    "İstanbul İzmir KAYSERİ",  # lowercasing makes these longer
    "ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ",  # final sigma
    "Straße STRASSE straße",
    "3.14 U.S. e.g. v1.2.3 a.b",  # dotted tokens
    "snake_case __init__ _ __",
    "x y z ab abc",  # below the minimum size
    "running runs ran runner " * 40,  # stems and repeated words
    "a" * 300 + " word",
]


def whoosh_schema(schema):
    """The same schema with Whoosh's own TEXT where ours has StemmedText."""
    return Schema(**{
        name: TEXT(stored=field.stored, analyzer=field.analyzer, field_boost=field.format.field_boost)
        if isinstance(field, StemmedText) else field
        for name, field in schema.items()
    })


@pytest.mark.parametrize(
    "expression",
    [None, r"\w+", r"(\w)+(-\w+)?"],
    ids=["whoosh-default", "no-groups", "groups"],
)
def test_stemmed_text_indexes_exactly_as_text(expression):
    texts = TRICKY + ["well-known e-mail", "co-operation re-run"] + [p.read_text(encoding="utf-8") for p in SEEDS]
    assert len(texts) > 15
    options = {"expression": expression} if expression else {}
    for boost in (1.0, 2.0):
        fast = StemmedText(analyzer=StemmingAnalyzer(**options), field_boost=boost)
        assert fast._fast_index() is not None
        plain = TEXT(field_boost=boost, analyzer=fast.analyzer)
        for text in texts:
            assert fast.index(text) == list(plain.index(text)), text[:60]


def test_stemmed_text_with_another_analyzer_takes_whoosh_path():
    from whoosh.analysis import StandardAnalyzer

    field = StemmedText(analyzer=StandardAnalyzer())
    assert field._fast_index() is None
    assert list(field.index("Running dogs")) == list(TEXT(analyzer=StandardAnalyzer()).index("Running dogs"))


def test_stemmed_text_pickles_without_its_cached_function():
    import pickle

    field = StemmedText(analyzer=StemmingAnalyzer())
    field.index("warm the cache")
    clone = pickle.loads(pickle.dumps(field))
    assert clone.index("Daesh fighters") == field.index("Daesh fighters")


def documents(count):
    """Whoosh documents: the seeded Sources, then variations of them (shuffled
    sentences, other ids) so that common terms fill several 128-posting blocks."""
    b = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Source)
    seeded = b._prepare_docs(index, index.index_queryset().order_by("pk"))
    assert len(seeded) > 10
    rng = random.Random(7)
    docs = []
    for n in range(count):
        doc = dict(seeded[n % len(seeded)])
        sentences = doc["text"].split(". ")
        rng.shuffle(sentences)
        doc["text"] = ". ".join(sentences[: rng.randint(1, len(sentences))]) + " " + rng.choice(TRICKY)
        doc["id"] = "sources.source.%d" % (100000 + n)
        doc["django_id"] = str(100000 + n)
        docs.append(doc)
    return docs


def segment_files(folder):
    """Each file of the index but its table of contents, named without the segment id."""
    return {
        path.name.split(".", 1)[1]: path.read_bytes()
        for path in Path(folder).iterdir()
        if path.suffix != ".toc" and "." in path.name
    }


def write(folder, schema, writer_class, batches):
    """Index batches of documents, one commit each; the last commit deletes every 7th
    document first and merges everything into one segment."""
    ix = FileStorage(str(folder)).create_index(schema)
    for number, docs in enumerate(batches):
        writer = writer_class(ix, compound=False)
        last = number == len(batches) - 1
        if last:
            for n in range(0, sum(len(b) for b in batches[:-1]), 7):
                writer.delete_document(n)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit(optimize=last)
        ix = ix.refresh()
    return segment_files(folder)


@pytest.mark.parametrize("batches", [(400,), (150, 120, 90)])
def test_segment_files_are_whooshs_byte_for_byte(seeded, tmp_path, batches):
    schema = connections["default"].get_backend().schema
    docs = documents(sum(batches))
    split, start = [], 0
    for size in batches:
        split.append(docs[start : start + size])
        start += size
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "archive").mkdir()
    expected = write(tmp_path / "whoosh", whoosh_schema(schema), SegmentWriter, split)
    written = write(tmp_path / "archive", schema, ArchiveSegmentWriter, split)
    assert {"pst", "trm", "_stored.col", "_text_len.col", "newest.col"} <= set(expected)
    assert written.keys() == expected.keys()
    for name in expected:
        assert written[name] == expected[name], name
    # Several blocks per common term: the test covers block boundaries.
    reader = FileStorage(str(tmp_path / "archive")).open_index().reader()
    assert max(reader.doc_frequency("text", t) for t in ("said", "state", "govern")) > 128

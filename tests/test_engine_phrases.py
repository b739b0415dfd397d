"""engine/phrases.py's decoding of Whoosh's stored positions (its phrase search is checked
against Whoosh's in test_whoosh_backend_perf_paths.py), and engine/phrase_store.py."""

import os
import random
from pathlib import Path

import pytest
from haystack import connections
from whoosh.formats import Positions

from engine import phrase_store, phrases
from engine.bitsets import iter_bits


def test_positions_decode_as_whoosh_decodes_them():
    """Gaps of every size the pickle writes differently (one byte, two, four), a lone
    position, and values stored with and without the pickle's closing stop byte."""
    rng = random.Random(3)
    lists = [[0], [7], [255, 256], [65535, 65536, 2**31 - 1]]
    lists += [sorted(rng.sample(range(200_000), rng.randint(1, 60))) for _ in range(300)]
    whoosh = Positions()
    for positions in lists:
        value = whoosh.encode(positions)
        for stored in (value, value.rstrip(b".")):
            assert list(phrases._decode_positions(stored)) == whoosh.decode_positions(stored) == positions


@pytest.mark.archive_engine
def test_the_archives_text_field_stores_whooshs_positions(fresh_index):
    """So the phrase search reads it with the decoder above, not Whoosh's."""
    schema = connections["default"].get_backend().searcher().schema
    assert type(schema["text"].format) is Positions


def test_a_phrase_reads_only_the_postings_blocks_that_hold_its_candidates(tmp_path, monkeypatch):
    """Two words in every document, the third in a few: the blocks of the common words'
    postings that hold none of those few are passed over unread, and the documents found
    are Whoosh's own."""
    from whoosh import fields, index
    from whoosh import query as wq
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from engine.bitsets import bits_from_ids

    rng = random.Random(8)
    ix = index.create_in(tmp_path, fields.Schema(text=fields.TEXT()))
    rare = set(range(7, 3000, 400))
    with ix.writer() as writer:
        for n in range(3000):
            words = ["red", "sea", "coast"]
            rng.shuffle(words)
            writer.add_document(text="red sea salt coast" if n in rare else " ".join(words))
    reads = []
    read_data = W3LeafMatcher._read_data
    monkeypatch.setattr(W3LeafMatcher, "_read_data", lambda self: reads.append(1) or read_data(self))
    with ix.searcher() as searcher:
        phrase = ["red", "sea", "salt"]
        expected = sorted(wq.Phrase("text", phrase).docs(searcher))
        reads.clear()
        found = phrases.phrase_ids(searcher.reader(), ix.schema["text"], "text", [w.encode() for w in phrase],
                                   bits_from_ids(sorted(rare), 3000))
    assert found == expected == sorted(rare)
    # Read in full, "red" and "sea" are 24 blocks each: here one block per candidate at most.
    assert 0 < len(reads) <= 2 * len(rare) + 1


# --- phrase answers kept with their segment (engine/phrase_store.py) ----------------------

def phrase_docs(query):
    """The documents the fast path finds for a query, over every segment."""
    from engine import fast_path

    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    leaves, found = fast_path.matches(searcher, backend._index_key(), query, None)
    return {leaf.offset + d for leaf, bits in zip(leaves, found) for d in iter_bits(bits)}


def phrase_files(folder):
    return sorted(name for name in os.listdir(folder) if ".phrase_" in name)


@pytest.fixture
def phrase_index(db, fresh_index, monkeypatch):
    """An index of articles where "salt" and "sea" are common and "salt sea" is not."""
    from tests.factories import make_source
    from tests.fixtures_search import rebuild_index

    monkeypatch.setattr(phrase_store, "MIN_CANDIDATES", 5)
    for n in range(30):
        make_source(f"Shore {n}", "The salt sea coast." if n % 10 == 3 else "Sea water and salt, dried on the coast.")
    rebuild_index()
    return fresh_index.path


@pytest.mark.archive_engine
def test_a_phrase_read_once_is_read_from_its_segment_file_by_the_next_process(phrase_index, monkeypatch):
    from whoosh import query as wq

    from engine import segment_cache

    query = wq.Phrase("text", ["salt", "sea"])
    expected = phrase_docs(query)
    assert len(expected) == 3
    assert len(phrase_files(phrase_index)) == 1
    segment_cache.BITSETS.clear()  # what a new process has
    monkeypatch.setattr(segment_cache, "phrase_ids", lambda *args: pytest.fail("positions read again"))
    assert phrase_docs(query) == expected


@pytest.mark.archive_engine
def test_a_phrase_file_of_another_length_is_ignored_and_the_phrase_read_again(phrase_index):
    from whoosh import query as wq

    from engine import segment_cache

    query = wq.Phrase("text", ["salt", "sea"])
    expected = phrase_docs(query)
    [name] = phrase_files(phrase_index)
    Path(phrase_index, name).write_bytes(b"\xff" * 3)  # torn, or written for another segment
    segment_cache.BITSETS.clear()
    assert phrase_docs(query) == expected


@pytest.mark.archive_engine
def test_phrases_with_few_candidates_leave_no_file(phrase_index, monkeypatch):
    from whoosh import query as wq

    monkeypatch.setattr(phrase_store, "MIN_CANDIDATES", 200)
    assert phrase_docs(wq.Phrase("text", ["salt", "sea"]))
    assert phrase_files(phrase_index) == []


@pytest.mark.archive_engine
def test_a_segments_phrase_files_go_when_a_merge_retires_it(phrase_index):
    from whoosh import query as wq

    from engine import segment_cache

    query = wq.Phrase("text", ["salt", "sea"])
    expected = phrase_docs(query)
    [before] = phrase_files(phrase_index)
    backend = connections["default"].get_backend()
    backend.storage.open_index().optimize()  # one new segment, the old ones' files deleted
    segment_cache.BITSETS.clear()
    assert before not in phrase_files(phrase_index)
    assert phrase_docs(query) == expected

"""engine/phrases.py's decoding of Whoosh's stored positions (its phrase search is checked
against Whoosh's in test_whoosh_backend_perf_paths.py)."""

import random

import pytest
from haystack import connections
from whoosh.formats import Positions

from engine import phrases


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

"""The characters the pipeline's lower-case pre-tests must not trust (sources/ingest/casing.py)."""

import re
import sys

from sources.ingest.casing import IGNORECASE_ASCII_LOOKALIKES


def test_the_lookalikes_are_every_non_ascii_character_ignorecase_matches_to_an_ascii_letter():
    non_ascii = "".join(map(chr, range(0x80, sys.maxunicode + 1)))
    matched = set(re.findall("[a-z]", non_ascii, re.IGNORECASE))
    assert matched == set(IGNORECASE_ASCII_LOOKALIKES.findall(non_ascii))
    assert len(matched) == 4

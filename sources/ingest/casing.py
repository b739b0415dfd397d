"""Where re.IGNORECASE and plain lower-casing agree, for the pipeline's cheap pre-tests.

Several rules skip a case-insensitive regular expression when a plain `in` test on the
lower-cased text shows that its ASCII words are absent. That is exact only if no other
character of the text matches an ASCII letter under re.IGNORECASE: the few that do are
below (tests/test_ingest_casing.py asks the re module for them over all of Unicode).
"""

import re

#: Non-ASCII letters that re.IGNORECASE matches to ASCII letters (İ ı ſ K: i, i, s, k).
IGNORECASE_ASCII_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")

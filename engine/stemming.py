"""The stem of a word in English or Russian, for one index that holds both.

A word written in Cyrillic letters is stemmed by Whoosh's Snowball Russian stemmer
("мигрантов" -> "мигрант"), any other word by Whoosh's default Porter stemmer, exactly as
before: an English-only index gets the same terms as with a plain StemmingAnalyzer.
Module-level and importable, so that Whoosh can pickle it into the index's schema.
"""

from whoosh.lang.porter import stem as porter_stem
from whoosh.lang.snowball.russian import RussianStemmer

_russian = RussianStemmer().stem


def stem(word):
    if word and "а" <= word[0] <= "я" or word[:1] == "ё":
        return _russian(word)
    return porter_stem(word)

"""The Archive's query language: tokenizer, parser, alias expansion and renderer.

The user's query becomes a small syntax tree (words, "phrases", AND/OR/NOT, -exclusion,
title:/outlet:/author:, prefix*) written out fully parenthesised in the syntax Whoosh and
Lucene/Elasticsearch share. A malformed query is never an error here: its words are
searched and ``ParsedQuery.message`` says so.

Nesting is bounded (MAX_DEPTH brackets/NOTs inside each other, MAX_OPERATORS in all) so that
no query can exhaust the recursive parser or the engine's own parser. A query past those
bounds is malformed like any other here; ``check_complexity`` lets the search service turn
it into a 400 for machine clients instead of quietly searching something else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import highlight, name_spellings, word_families
from .aliases import AliasTable, load_alias_table, words_of

MAX_Q_CHARS = 1000
MAX_TERMS = 64
#: Brackets and NOT/- nested inside each other.
MAX_DEPTH = 16
#: AND, OR, NOT, - and bracket pairs in one query.
MAX_OPERATORS = 128

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")

MALFORMED_MESSAGE = (
    "Your search could not be read as written (check quotes, brackets and "
    "AND/OR/NOT), so its words were searched instead."
)
TOO_COMPLEX_MESSAGE = (
    f"Your search nests brackets or NOT too deeply (at most {MAX_DEPTH} levels) or uses "
    f"too many operators (at most {MAX_OPERATORS}): please simplify it."
)


def clean_text(value: str) -> str:
    """NFC, with control and invisible formatting characters made spaces."""
    value = unicodedata.normalize("NFC", str(value))
    return _CONTROL.sub(" ", value)


class _Malformed(Exception):
    pass


class QueryTooComplex(_Malformed):
    """The query nests deeper or uses more operators than the bounds allow."""


_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>(?:title|outlet|author):)(?=\S)
  | (?P<minus>-)(?=["\w(])
  | (?P<phrase>"[^"]*")
  | (?P<quote>")
  | (?P<word>[\w][\w'’.\-]*\*?)
  | (?P<other>.)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass
class _Term:
    kind: str  # "word" | "phrase" | "prefix"
    words: tuple[str, ...]
    field: str = ""


@dataclass
class _Node:
    op: str  # "AND" | "OR" | "NOT"
    children: list


@dataclass
class ParsedQuery:
    expression: str  # in the shared Whoosh/Lucene syntax; "" = everything
    words: list[str] = field(default_factory=list)  # plain words, for suggestions
    highlight: highlight.Terms = field(default_factory=highlight.Terms)
    message: str | None = None
    also_searched: list[str] = field(default_factory=list)  # aliases the query was widened to


def _tokens(q):
    out = []
    for m in _TOKEN_RE.finditer(q):
        kind = m.lastgroup
        text = m.group()
        if kind == "ws":
            continue
        if kind == "word" and text in ("AND", "OR", "NOT"):
            out.append(("op", text))
        elif kind == "word" and text in ("&&", "||"):
            out.append(("op", "AND" if text == "&&" else "OR"))
        else:
            out.append((kind, text))
    return out


def _split_words(text):
    return tuple(re.findall(r"\w+", text))


def _make_term(text, fieldname=""):
    if text.startswith('"'):
        words = _split_words(text[1:-1])
        if not words:
            return None
        return _Term("phrase" if len(words) > 1 else "word", words, fieldname)
    prefix = text.endswith("*")
    words = _split_words(text.rstrip("*"))
    if not words:
        return None
    if prefix and len(words) == 1:
        if len(words[0]) < 2:
            raise _Malformed("A * needs at least two letters before it.")
        return _Term("prefix", words, fieldname)
    return _Term("phrase" if len(words) > 1 else "word", words, fieldname)


class _Parser:
    """or := and (OR and)* ; and := unary ((AND)? unary)* ; unary := (NOT|-) unary | primary"""

    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0
        self.count = 0
        self.depth = 0
        self.operators = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self):
        if not self.tokens:
            return None
        node = self.parse_or()
        if self.i < len(self.tokens):
            raise _Malformed("unexpected " + str(self.peek()[1]))
        return node

    def _operator(self):
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise QueryTooComplex("too many operators")

    def _nested(self, parse):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryTooComplex("nested too deeply")
        self._operator()
        node = parse()
        self.depth -= 1
        return node

    def parse_or(self):
        children = [self.parse_and()]
        while self.peek() == ("op", "OR"):
            self.take()
            self._operator()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else _Node("OR", children)

    def parse_and(self):
        children = [self.parse_unary()]
        while True:
            kind, text = self.peek()
            if kind is None or kind == "rparen" or (kind, text) == ("op", "OR"):
                break
            if (kind, text) == ("op", "AND"):
                self.take()
                self._operator()
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else _Node("AND", children)

    def parse_unary(self):
        kind, text = self.peek()
        if kind == "minus" or (kind, text) == ("op", "NOT"):
            self.take()
            child = self._nested(self.parse_unary)
            if isinstance(child, _Node) and child.op == "NOT":
                # Whoosh's parser fails on "NOT NOT a" (IndexError): say "a".
                return child.children[0]
            return _Node("NOT", [child])
        return self.parse_primary()

    def parse_primary(self):
        kind, text = self.take()
        if kind == "lparen":
            node = self._nested(self.parse_or)
            if self.take()[0] != "rparen":
                raise _Malformed("unbalanced brackets")
            return node
        fieldname = ""
        if kind == "field":
            fieldname = text[:-1].lower()
            kind, text = self.take()
            if kind not in ("word", "phrase"):
                raise _Malformed("a field name needs a word after it")
        if kind in ("word", "phrase"):
            term = _make_term(text, fieldname)
            if term is None:
                raise _Malformed("empty phrase")
            self.count += 1
            if self.count > MAX_TERMS:
                raise _Malformed("too many words")
            return term
        raise _Malformed("unexpected " + str(text))


#: The fields a query may name, and the index field each searches (sources/search_indexes.py).
INDEX_FIELDS = {"title": "title", "author": "author", "outlet": "outlet_text"}


def _render_term(term, match_all, also_in=""):
    words = term.words
    if term.kind == "every":  # the anchor of a purely negative query
        return match_all
    if term.kind == "prefix":
        body = words[0].lower() + "*"
    elif term.kind == "phrase":
        body = '"' + " ".join(words) + '"'
    else:
        body = words[0]
    if term.field:
        return INDEX_FIELDS[term.field] + ":" + body
    return f"({body} OR {also_in}:{body})" if also_in else body


def _render(node, match_all, also_in=""):
    if isinstance(node, _Term):
        return _render_term(node, match_all, also_in)
    if node.op == "NOT":
        return "NOT " + _render(node.children[0], match_all, also_in)
    return "(" + (" %s " % node.op).join(_render(c, match_all, also_in) for c in node.children) + ")"


def _collect(node, positive, out):
    """Positive terms (not under NOT), for highlighting and suggestions."""
    if isinstance(node, _Term):
        if positive and node.field in ("", "title"):
            out.append(node)
        return
    for child in node.children:
        _collect(child, positive and node.op != "NOT", out)


def _only_negative(node):
    if isinstance(node, _Term):
        return False
    if node.op == "NOT":
        return True
    if node.op == "AND":
        return all(_only_negative(c) for c in node.children)
    return any(_only_negative(c) for c in node.children)


def _plain_words(q):
    words = [w for w in re.findall(r"\w+", q) if w not in ("AND", "OR", "NOT")]
    return words[:MAX_TERMS]


def _expand_aliases(node, table, expanded, known=None):
    """Each word, phrase or run of plain words naming an organisation or a person also
    matches its other names; a name's word, its other spellings (`known`: which words the
    archive holds, name_spellings.py)."""
    if isinstance(node, _Term):
        others = _other_names(node.words, table, expanded) if _is_plain(node) else []
        if not others and _is_plain(node) and _is_country_compound(node.words):
            forms = table.compound_forms(node.words[0])
            expanded.extend(f"{form}-{node.words[1]}" for form in forms)
            others = [_Term("phrase", (form, node.words[1])) for form in forms]
        if not others and _is_plain(node) and node.kind == "word":
            word = node.words[0]
            related = name_spellings.spellings(word, known) or word_families.family(word, known)
            others = [_Term("word", (other,)) for other in related]
            expanded.extend(related)
        return _Node("OR", _without_subsumed([node, *others])) if others else node
    if node.op == "AND":
        children = _expand_runs(node.children, table, expanded, known)
        return children[0] if len(children) == 1 else _Node("AND", children)
    return _Node(node.op, [_expand_aliases(child, table, expanded, known) for child in node.children])


def _expand_runs(children, table, expanded, known):
    """In an AND, a run of plain words that names an organisation or a person (Hizb
    ut-Tahrir typed without quotes) matches as itself or as any of its other names: the
    longest run from each position wins."""
    out, i = [], 0
    while i < len(children):
        for j in range(len(children), i + 1, -1):
            run = children[i:j]
            others = _other_names([w for c in run for w in c.words], table, expanded) if all(map(_is_plain, run)) else []
            if others:
                out.append(_Node("OR", _without_subsumed([_Node("AND", list(run)), *others])))
                i = j
                break
        else:
            out.append(_expand_aliases(children[i], table, expanded, known))
            i += 1
    return out


#: The second halves of the compounds in which a country's forms are one ("Kyrgyz-born",
#: "Kyrgyzstan-born", "Tajik-based", "US-led"): where a journalist means the country either way.
COMPOUND_ENDS = re.compile(r"born|based|led|backed|funded|trained|owned|made|run", re.I)


def _is_country_compound(words):
    return len(words) == 2 and COMPOUND_ENDS.fullmatch(words[1]) is not None


def _without_subsumed(alternatives):
    """The alternatives of one OR (what was typed first) without the phrases that another
    alternative's words already find: every article such a phrase matches, that alternative
    matches too ("Emomali Rahmon" beside Rahmon; "Islamic State of Iraq and the Levant"
    beside "Islamic State", or beside Islamic State typed without quotes), and phrases are
    the costly part of a widened query. What the OR finds is the same."""
    finders = [_words_found_by(alt) for alt in alternatives]
    typed, *others = alternatives  # what was typed stays, for its snippets' marks
    return [typed] + [
        alt for alt in others
        if not (_is_plain(alt) and alt.kind == "phrase" and any(
            _finds_every_match_of(finder, _lower(alt.words)) for finder in finders
            if finder and finder[1] != _lower(alt.words)))
    ]


def _words_found_by(alternative):
    """("row", words) for a word or phrase, ("all", words) for an AND of plain words, else None."""
    if _is_plain(alternative):
        return ("row", _lower(alternative.words))
    if isinstance(alternative, _Node) and alternative.op == "AND" and all(map(_is_plain, alternative.children)):
        return ("all", _lower(w for child in alternative.children for w in child.words))
    return None


def _finds_every_match_of(finder, phrase):
    how, words = finder
    if how == "all":
        return set(words) <= set(phrase)
    return len(words) < len(phrase) and any(phrase[i : i + len(words)] == words for i in range(len(phrase) - len(words) + 1))


def _lower(words):
    return tuple(w.lower() for w in words)


def _is_plain(node):
    return isinstance(node, _Term) and not node.field and node.kind in ("word", "phrase")


def _other_names(words, table, expanded):
    """Phrase terms for the other names of what `words` name ([] when they name nothing)."""
    others = [name for name in table.names_for(words) if words_of(name) != tuple(words)]
    expanded.extend(others)
    return [_make_term(f'"{name}"') for name in others]


def _tree(q):
    """The query's syntax tree (None for no terms); raises _Malformed."""
    if q.count('"') % 2:
        raise _Malformed("unbalanced quotes")
    tokens = _tokens(q)
    if any(kind == "other" for kind, _ in tokens):
        # Stray punctuation (<, >, *, ...) is not syntax: drop it quietly.
        tokens = [t for t in tokens if t[0] != "other"]
    node = _Parser(tokens).parse()
    if node is not None and _only_negative(node):
        node = _Node("AND", [_Term("every", ()), node])
    return node


def is_too_complex(q: str) -> bool:
    """True when the query passes the nesting or operator bounds."""
    try:
        _tree(clean_text(q or "")[:MAX_Q_CHARS])
    except QueryTooComplex:
        return True
    except _Malformed:
        return False
    return False


def parse_query(q: str, aliases: AliasTable | None = None, match_all: str = "*:*",
                exact: bool = False, also_in: str = "",
                known: name_spellings.KnownWords | None = None) -> ParsedQuery:
    """The user's query as an engine expression; never raises. `aliases` defaults to the
    curated organisations' and people's names; `match_all` is the engine's word for every
    document (haystack's ``matching_all_fragment``), the anchor of a purely negative
    query; `exact`: only the spellings typed, no other names; `also_in`: an index field
    each word and phrase without a field may match instead of the text (collapsed
    versions: the words a group's other versions add); `known`: which of some words the
    archive holds, so that a name's Latin spellings are only those it holds."""
    q = clean_text(q or "")[:MAX_Q_CHARS].strip()
    if not q:
        return ParsedQuery("")
    message = None
    try:
        node = _tree(q)
    except _Malformed as exc:
        words = _plain_words(q)
        node = _Node("AND", [_Term("word", (w,)) for w in words]) if words else None
        if node is not None and len(node.children) == 1:
            node = node.children[0]
        message = TOO_COMPLEX_MESSAGE if isinstance(exc, QueryTooComplex) else MALFORMED_MESSAGE
        if not words:
            message = "Your search had no words to look for, so everything is shown."
    if node is None:
        return ParsedQuery("", message=message)
    typed = []  # the positive terms as typed: what a spelling suggestion corrects
    _collect(node, True, typed)
    also_searched = []
    if not exact:
        node = _expand_aliases(node, aliases if aliases is not None else load_alias_table(), also_searched, known)
    terms = []
    _collect(node, True, terms)
    expression = _render(node, match_all, also_in)
    hl = highlight.Terms.build(
        words=[t.words[0] for t in terms if t.kind == "word"],
        phrases=[" ".join(t.words) for t in terms if t.kind == "phrase"],
        prefixes=[t.words[0] for t in terms if t.kind == "prefix"],
    )
    words = [word for t in typed if t.kind in ("word", "phrase") for word in t.words]
    return ParsedQuery(expression, words=words, highlight=hl, message=message,
                       also_searched=list(dict.fromkeys(also_searched)))

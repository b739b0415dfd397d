"""Line rules: whether one line of a page is noise (spam, navigation, an account prompt,
wiki furniture, a copyright line ...) and, if so, the name of the rule that says so.

Each rule is a pattern or a classifier, never a list of one site's lines. clean.py asks
classify_line about every paragraph and records the rule of each removal.
"""

from __future__ import annotations

import functools
import re

import pycountry

from .casing import IGNORECASE_ASCII_LOOKALIKES

SPAM_WORDS = {
    "casino", "casinos", "bahis", "bet", "bets", "betting", "poker", "slot", "slots",
    "jackpot", "roulette", "rulet", "iddaa", "kumar", "bonus", "bonusu", "freespin",
    "viagra", "cialis", "levitra", "pharmacy", "pills", "porn", "xxx", "escort", "escorts",
    "bozdurma", "paysafe", "astropay", "papara", "payday", "loans", "replica", "cheap",
    "backlinks", "seo", "deneme", "giris", "giriş", "hack", "cheats", "tramadol", "xanax",
    "valium", "phentermine", "kamagra", "oxycodone",
}

NAVIGATION_PHRASES = {
    "home", "homepage", "about", "about us", "contact", "contact us", "advanced search",
    "search", "site search", "menu", "main menu", "navigation", "sitemap", "site map",
    "log in", "login", "log out", "logout", "sign in", "sign out", "sign up", "register",
    "subscribe", "subscribe now", "newsletter", "privacy", "privacy policy",
    "privacy notice", "cookie policy", "cookies", "terms", "terms of use",
    "terms of service", "terms and conditions", "share", "share this",
    "share this article", "share this story", "share this post", "tweet", "email", "print",
    "print this article", "follow us", "skip to content", "skip to main content",
    "back to top", "top", "next", "previous", "next article", "previous article",
    "next post", "previous post", "older posts", "newer posts", "read more",
    "continue reading", "more", "comments", "leave a comment", "leave a reply",
    "post a comment", "no comments", "related", "related articles", "related posts",
    "related stories", "you may also like", "recommended", "most popular", "most read",
    "trending", "tags", "categories", "archives", "advertisement", "advertise",
    "advertise with us", "careers", "faq", "help", "rss", "rss feed", "donate",
    "support us", "facebook", "twitter", "instagram", "linkedin", "youtube", "whatsapp",
    "telegram", "reddit", "pinterest", "click to enlarge", "photo gallery", "watch video",
    "editor's picks", "latest news", "breaking news", "world", "opinion", "multimedia",
    "like this", "loading", "news", "politics", "business", "sport", "sports", "culture",
    "accessibility links", "flag as inappropriate", "report abuse", "report this",
}
NAVIGATION_PATTERNS = [
    re.compile(r"^click here\b", re.I),
    re.compile(r"^skip to\b", re.I),
    re.compile(r"^(follow|like) us (on|at)\b", re.I),
    re.compile(r"^share (this|on|via)\b", re.I),
    re.compile(r"^(sign up|subscribe) (for|to) (our|the)\b", re.I),
    re.compile(r"^(posted|filed) (in|under)\b", re.I),
    re.compile(r"^(tags?|categories|topics)\s*:", re.I),
    re.compile(r"^\d+ comments?$", re.I),
    re.compile(r"^(print|email|e-mail) this (article|story|page)\b", re.I),
    re.compile(r"^follow @?[\w.]+ on (twitter|facebook|instagram|telegram|x)\b", re.I),
    re.compile(r"^click to (share|print|email|enlarge|open)\b", re.I),
    re.compile(r"^print friendly\b", re.I),
    # The header of a site that keeps each version of an article: "Version 1 | Version 2".
    re.compile(r"^(?:version \d+\b[\s|/·•,–-]*){2,}(?:(?:change ?log|compare(?: versions)?|diff)\b.*)?$", re.I),
    re.compile(r"\b(please )?enable javascript\b|\bjavascript (is )?(disabled|required)\b", re.I),
]
MENU_SEPARATORS = re.compile(r"\s*(?:\||•|·|»|›|/)\s*")

ACCOUNT_WORDS = re.compile(
    r"\b(account|log ?in|logged in|sign ?in|sign ?up|register|registration|password|"
    r"subscriber|subscription|members? only)\b",
    re.I,
)
ACCOUNT_PROMPT = re.compile(
    r"\bclick here\b|^(if|already|forgot|create|please|you must|you need|log|sign|register|"
    r"subscribe|not a|become|members)\b",
    re.I,
)

#: The header of a blog's tag, category or author archive page ("Tag Archives: ISIS").
#: Also used by extract.py, which must never take such a line for a headline.
ARCHIVE_HEADER = re.compile(
    r"^(tag archives?|category archives?|author archives?|tagged|archives? for|category|tag)"
    r"\s*:\s*\S.{0,60}$|^posts tagged\s+\S.{0,60}$",
    re.I,
)

LINE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("wiki-notice", re.compile(
        r"\bplease (do not|don'?t|don’t) edit\b|^this (article|page|section) "
        r"(is a stub|needs|has multiple issues|may need|requires)\b", re.I)),
    ("wiki-jump", re.compile(r"^jump to:?\s*(navigation|search|content)\b", re.I)),
    ("wiki-template", re.compile(r"^Template:\S.{0,80}$")),
    ("wiki-main-article", re.compile(
        r"^(main articles?|further information|see also|for more information)\s*:\s*\S.{0,150}$", re.I)),
    ("wiki-attribution", re.compile(
        r"^this (article|page) (contains|uses|incorporates|is based on) (content|material|text) from\b"
        r"|\bGNU (FDL|Free Documentation License)\b|^text is available under the Creative Commons"
        r"|^retrieved from\b|^categor(y|ies) ?:|^this page was last (edited|modified)\b", re.I)),
    ("archive-header", ARCHIVE_HEADER),
    ("related-link", re.compile(
        r"^(read more|read also|also read|related|related story|related article|recommended|"
        r"more on this|more on this (topic|story|subject)|watch|listen|[\w\-]{2,30}-related)"
        r"\s*[:»›|\-–—]\s*\S.{0,200}$", re.I)),
    # "This material was created by a media outlet performing the functions of a foreign
    # agent": a notice a law requires about the outlet, not the article's text.
    ("media-status", re.compile(
        r"^\W*(this|the present|the following) (material|message|article|publication|content|"
        r"report|news item|media outlet|outlet)\b.{0,300}\b(foreign (mass )?media|foreign agents?|"
        r"undesirable organi[sz]ation|recogni[sz]ed as extremist|banned in russia)\b", re.I)),
    ("paywall", re.compile(
        r"^(to (continue|keep) reading|continue reading (with|for)|subscribe (now )?to (continue|read|"
        r"unlock|keep)|this (article|content|story) is (only )?(for|available to|reserved for) "
        r"(subscribers|members|premium)|you('ve| have) (reached|used) (your|all)\b.{0,40}\b(articles|"
        r"stories)|unlock (this|the full|full) (article|story|access)|read the full (article|story) "
        r"(with|by subscribing))\b.{0,200}$", re.I)),
    ("size-picker", re.compile(r"^(text|font) size\b.{0,30}$", re.I)),
    ("cookie", re.compile(
        r"\b(we use cookies|this (web)?site uses cookies|accept (all )?cookies|cookie settings)\b", re.I)),
    ("source-link", re.compile(
        r"^(source link|source|original source|view original|read the original( article)?|"
        r"link to (the )?(source|original)|via)\s*:?$", re.I)),
    ("image-counter", re.compile(r"^(image|photo|picture|slide)?\s*\d{1,3}\s*(/|of)\s*\d{1,3}$", re.I)),
    ("page-number", re.compile(r"^(page\s*)?\d{1,3}$", re.I)),
    ("continuation", re.compile(
        r"^[(\[-]*\s*(to be continued|continued on page \d+|continued|ends?|the end)\s*[)\]-]*\.?$", re.I)),
    ("comment-form", re.compile(
        r"^your email address will not be published|^required fields are marked|^cancel reply$"
        r"|^notify me of (new|follow-up) (comments|posts)|^comments are closed|^post comment$", re.I)),
    ("disclaimer", re.compile(
        r"^the views expressed (in this (article|piece|column)|here(in)?) are\b", re.I)),
    ("bare-url", re.compile(r"^(https?://|www\.)\S+$", re.I)),
    ("notification-prompt", re.compile(
        r"^(get|receive|turn on|enable|allow)\b.{0,40}\b(updates|notifications|alerts|news|stories|headlines)\b"
        r".{0,40}\b(browser|inbox|phone|device|desktop)\b.{0,20}$", re.I)),
]

# Two patterns, not one alternation: one that only has to be tried at the start of the
# line, and one whose every branch starts with a literal character, which re then skips
# to instead of trying the pattern at every position.
WIKI_SIGNALS_AT_START = re.compile(r"jump to:?\s*navigation|Template:\S", re.I)
WIKI_SIGNALS_AT_END = re.compile(r"\[\s*edit\s*\]\s*$|, the free encyclopedia$", re.I)
WIKI_FROM = re.compile(r"^From [A-Z][\w\-]+(?: [A-Z][\w\-]+)?(, the free encyclopedia)?$")


# Necessary conditions for the unanchored LINE_PATTERNS, on the lower-cased line.
LINE_PATTERN_HINTS = {
    # Every "please ... edit" the pattern takes starts "please do" (do not, dont, don't, don’t).
    "wiki-notice": lambda lower: "please do" in lower or lower.startswith("this "),
    "wiki-attribution": lambda lower: (
        "gnu " in lower or lower.startswith(("this ", "text is available", "retrieved from", "categor"))
    ),
    "cookie": lambda lower: "cookie" in lower,
    "media-status": lambda lower: lower.startswith(("this ", "the ")) or not lower[:1].isalpha(),
    "paywall": lambda lower: lower.startswith(("to ", "continue", "subscribe", "this ", "you", "unlock", "read ")),
    "size-picker": lambda lower: "size" in lower,
}


class _AnchoredPatterns:
    """LINE_PATTERNS split for classify_line: those that can only match at the start of a
    line, tried together first, and the others.

    Such a pattern's search() is its match() at position 0, and their union (an
    alternation of them all, tried with match()) matches at position 0 exactly when one of
    them does. So when the union does not match, which is the case for nearly every
    paragraph of prose, none of them can, and all are skipped after that one test. A
    pattern is counted as anchored only when its parse says so; when in doubt it is not,
    which only costs time."""

    def __init__(self, patterns: list[tuple[str, re.Pattern]]):
        anchored = [(rule, pattern) for rule, pattern in patterns if pattern.flags == re.I | re.U and _is_anchored(pattern)]
        self.union = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in anchored), re.I)
        # (rule, pattern, hint or None) in LINE_PATTERNS' order: all of them, and the others.
        self.all = [(rule, pattern, LINE_PATTERN_HINTS.get(rule)) for rule, pattern in patterns]
        self.others = [entry for entry in self.all if entry[:2] not in anchored]


def _is_anchored(pattern: re.Pattern) -> bool:
    """Whether every alternative of the pattern begins with ^ (not a MULTILINE one)."""
    try:
        from re import _constants, _parser  # private, hence the fallback below

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        return not parsed.state.flags & re.M and _starts_with_caret(list(parsed), _constants)
    except Exception:
        return False


def _starts_with_caret(items, sre) -> bool:
    if not items:
        return False
    op, argument = items[0]
    if op == sre.AT:
        return argument == sre.AT_BEGINNING
    if op == sre.BRANCH:  # (None, [alternative, ...])
        return all(_starts_with_caret(list(branch), sre) for branch in argument[1])
    if op == sre.SUBPATTERN:  # a group: (number, added flags, removed flags, body)
        return not argument[1] & re.M and _starts_with_caret(list(argument[3]), sre)
    return False


ANCHORED_PATTERNS = _AnchoredPatterns(LINE_PATTERNS)

LETTER_OR_DIGIT = re.compile(r"[^\W_]")
WORD_OR_NUMBER = re.compile(r"[^\W\d_]+|\d+")
SENTENCE_PUNCTUATION = re.compile(r"[.!?;:,\"“”]")
MENU_TEXT_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
COPYRIGHT_START = re.compile(r"^(©|\(c\)|copyright\b)", re.I)
RIGHTS_RESERVED_AT_END = re.compile(r"\ball rights reserved\.?$", re.I)
#: "Home / Asia and Pacific / The CSTO and its deployment": where the page sits in the site
#: (a menu bar of known items is navigation first).
BREADCRUMB = re.compile(r"^(home|homepage|home page|main page)\s*[/›»>|]\s*\S.{0,200}$", re.I)


def looks_like_wiki(lines: list[str]) -> bool:
    return any(WIKI_SIGNALS_AT_START.match(line) or WIKI_SIGNALS_AT_END.search(line) for line in lines if line)


def classify_line(line: str, *, is_wiki: bool = False, position: int = 0) -> str | None:
    """Name of the rule that makes this whole line noise, or None for a line to keep."""
    if not line:
        return None
    if is_spam(line):
        return "spam"
    if is_wiki and position < 6 and WIKI_FROM.match(line):
        return "wiki-from"
    lower = line.lower()
    return _pattern_rule(line, lower) or _shape_rule(line, lower)


def _pattern_rule(line: str, lower: str) -> str | None:
    """The first of LINE_PATTERNS that matches the line, in their order."""
    # The patterns that scan the whole line are skipped when the line lacks the words
    # they need (a cheap test on the lower-cased line, exact for case-insensitive ASCII
    # words unless one of the few letters re.IGNORECASE equates with an ASCII letter is
    # present: İ and K are also the only non-ASCII letters whose lower() has an ASCII one).
    hintable = line.isascii() or not IGNORECASE_ASCII_LOOKALIKES.search(line)
    # The patterns that can only match at the line's start are tried one by one only when
    # their union matches there (it is None when each of them is: see _AnchoredPatterns).
    if ANCHORED_PATTERNS.union.match(line) is not None:
        patterns = ANCHORED_PATTERNS.all
    else:
        patterns = ANCHORED_PATTERNS.others
    for rule, pattern, hint in patterns:
        if hint is not None and hintable and not hint(lower):
            continue
        if pattern.search(line):
            return rule
    return None


def _shape_rule(line: str, lower: str) -> str | None:
    """The rules after LINE_PATTERNS, in their order. Most of them are for short lines:
    the line's length and (capped) word count, taken once, rule out most of them for a
    paragraph of prose without running them (each is false beyond its bound anyway)."""
    # min(number of words, CAPTION_MAX_WORDS + 1): each bound below is at most CAPTION_MAX_WORDS.
    words = len(line.split(maxsplit=CAPTION_MAX_WORDS))
    # Navigation (80 characters at most), tickers, size pickers and language switches.
    is_short_strip = len(line) <= SHORT_STRIP_CHARS
    if words <= CAPTION_MAX_WORDS and _has_photo_credit(line, lower):
        return "photo-caption"
    if is_short_strip and is_navigation(line):
        return "navigation"
    if BREADCRUMB.match(line):
        return "breadcrumb"
    if words <= ACCOUNT_PROMPT_MAX_WORDS and _has_account_prompt(line):
        return "account"
    if not LETTER_OR_DIGIT.search(line):
        return "symbols"
    if is_short_strip:
        if is_ticker(line):
            return "ticker"
        if is_size_picker(line):
            return "size-picker"
        if is_language_switch(line):
            return "language-switch"
    if words <= COPYRIGHT_MAX_WORDS and _has_copyright(line):
        return "copyright"
    return None


#: Characters a word token may carry at its ends ("(word", "said,"). None of them is a word
#: character (\w: asserted below), so stripping them changes none of the token's words.
TOKEN_EDGES = ".,;:!?\"'()[]{}«»“”„‘’‚‹›—–-‐…/\\*&%$#@+=<>|~`^·•"
assert not re.search(r"\w", TOKEN_EDGES)


@functools.lru_cache(maxsize=2048)
def casefolded_words(line: str) -> tuple[str, ...]:
    r"""The line's words and numbers, casefolded (cached: each paragraph is asked for them
    up to three times, by the spam test, the repetition key and the pull-quote test).

    Exactly WORD_OR_NUMBER.findall(line.casefold()), token by token, because a regex scan
    over the whole text is several times slower than str.split(). This is the same list:
    - a match holds only word characters (\w), and no whitespace character str.split()
      splits at is one (checked over all of Unicode), so no match spans two tokens and the
      matches are those of each token in turn;
    - a token of letters only (str.isalpha: each letter is \w, and neither \d, which is
      str.isdecimal, nor "_") is one match of [^\W\d_]+; a token of decimal digits only
      is one match of \d+;
    - TOKEN_EDGES are not word characters, so stripping them keeps the token's matches.
    Any other token (an apostrophe, a hyphen, letters and digits together) goes to the regex.
    """
    words = []
    for token in line.casefold().split():
        if not (token.isalpha() or token.isdecimal()):
            token = token.strip(TOKEN_EDGES)
            if not (token.isalpha() or token.isdecimal()):
                words += WORD_OR_NUMBER.findall(token)
                continue
        words.append(token)
    return tuple(words)


def is_spam(line: str) -> bool:
    """Keyword stuffing and ad lines: spam vocabulary or heavy word repetition without sentences."""
    words = casefolded_words(line)
    if not words:
        return False
    # No spam word at all (nearly every line): hits is 0 (isdisjoint is one C loop).
    hits = 0 if SPAM_WORDS.isdisjoint(words) else sum(map(SPAM_WORDS.__contains__, words))
    if SENTENCE_PUNCTUATION.search(line):
        # A sentence that is mostly spam vocabulary ("Buy cheap viagra, cialis online!").
        return hits >= 3 and hits >= len(words) / 2
    is_lowercase = not any(ch.isupper() for ch in line)
    if hits >= 2 or (hits == 1 and is_lowercase and len(words) <= 6):
        return True
    repetitive = len(set(words)) / len(words) <= 0.5
    return is_lowercase and len(words) >= 6 and repetitive


def _word_count_at_most(line: str, limit: int) -> bool:
    """len(line.split()) <= limit, without splitting a long paragraph to the end."""
    return len(line.split(maxsplit=limit)) <= limit


def _normalise_menu_text(line: str) -> str:
    line = line.casefold().replace("’", "'")
    return MENU_TEXT_EDGES.sub("", line).strip()


def is_navigation(line: str) -> bool:
    """A short menu-like line: a known menu item, or several of them separated by | • » /."""
    if len(line) > 80 or len(line.split()) > 12:
        return False
    if any(pattern.search(line) for pattern in NAVIGATION_PATTERNS):
        return True
    normalised = _normalise_menu_text(line)
    if normalised in NAVIGATION_PHRASES:
        return True
    # A menu bar: several short items, at least half of them known menu items.
    parts = [_normalise_menu_text(part) for part in MENU_SEPARATORS.split(line)]
    parts = [part for part in parts if part]
    known = sum(1 for part in parts if part in NAVIGATION_PHRASES)
    all_short = all(len(part.split()) <= 3 for part in parts)
    return len(parts) >= 2 and all_short and known * 2 >= len(parts)


#: A picture's credit: "Photo: Reuters", "Photo CC BY 2.0: A. Name / Flickr", "(AFP Photo)",
#: "Image courtesy of ...", "Some rights reserved."
PHOTO_CREDIT = re.compile(
    r"\b(photo|photograph|image|picture|illustration|graphic)s?(\s+credits?)?\s*"
    r"(:|©|\(c\)|by\b|courtesy\b|cc[ -]by\b|cc\s*0\b)"
    r"|\bsome rights reserved\b"
    r"|\b(getty images|shutterstock|afp photo|ap photo|epa photo|reuters photo|photo agency)\b"
    r"|/\s*(flickr|wikimedia commons|getty|afp|ap|reuters|epa|shutterstock|tass|ria novosti)\b",
    re.I,
)
PHOTO_CREDIT_HINTS = ("photo", "image", "picture", "illustration", "graphic", "rights reserved", "getty",
                      "shutterstock", "flickr", "wikimedia", "/")
#: A caption is a sentence or two under a picture; a paragraph longer than this that
#: happens to name a photographer is prose.
CAPTION_MAX_WORDS = 50


def is_photo_caption(line: str) -> bool:
    """A picture's caption with its credit, or the credit alone."""
    return _word_count_at_most(line, CAPTION_MAX_WORDS) and _has_photo_credit(line, line.lower())


def _has_photo_credit(line: str, lower: str) -> bool:
    """is_photo_caption without its word count; lower is line.lower()."""
    return any(hint in lower for hint in PHOTO_CREDIT_HINTS) and bool(PHOTO_CREDIT.search(line))


ACCOUNT_PROMPT_MAX_WORDS = 25


def _has_account_prompt(line: str) -> bool:
    """Log-in / register / subscribe prompts, as opposed to sentences that mention an
    account (classify_line applies ACCOUNT_PROMPT_MAX_WORDS)."""
    return bool(ACCOUNT_WORDS.search(line)) and bool(ACCOUNT_PROMPT.search(line))


COPYRIGHT_MAX_WORDS = 15


def _has_copyright(line: str) -> bool:
    """A copyright line (classify_line applies COPYRIGHT_MAX_WORDS)."""
    return bool(COPYRIGHT_START.match(line) or RIGHTS_RESERVED_AT_END.search(line))


#: Tickers, switches and pickers are short strips; a longer line is never one.
SHORT_STRIP_CHARS = 80
TICKER_ITEM = re.compile(r"([A-Z]{3})\s+[+-]?\d+(?:[.,]\d+)?%?")
CODES = re.compile(r"[A-Z]{2}")


def is_ticker(line: str) -> bool:
    """A rate or price strip: "USD 84.80", "EUR 101.16 RUB 1.14" (ISO currency codes)."""
    if len(line) > SHORT_STRIP_CHARS:
        return False
    items = TICKER_ITEM.findall(line)
    return bool(items) and TICKER_ITEM.sub("", line).strip(" |·•") == "" and all(
        code in _currency_codes() for code in items
    )


def is_language_switch(line: str) -> bool:
    """A site's language or edition switch: "RU UA EN", "EN | RU | KG"."""
    if len(line) > SHORT_STRIP_CHARS or not line[:2].isupper():
        return False
    parts = [part for part in MENU_SEPARATORS.split(line) for part in part.split()]
    return len(set(parts)) == len(parts) >= 2 and all(
        CODES.fullmatch(part) and part in _language_codes() for part in parts
    )


@functools.lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@functools.lru_cache(maxsize=1)
def _language_codes() -> frozenset[str]:
    """Two-letter codes of languages and of countries (editions are named by either)."""
    languages = {language.alpha_2.upper() for language in pycountry.languages if hasattr(language, "alpha_2")}
    return frozenset(languages | {country.alpha_2 for country in pycountry.countries})


SIZES = {"xxs", "xs", "s", "sm", "m", "md", "l", "lg", "xl", "xxl", "xxxl", "a", "a+", "a-", "a++"}


def is_size_picker(line: str) -> bool:
    """A picker of text or image sizes: "XS SM MD LG", "A- A A+", "S | M | L | XL"."""
    if len(line) > SHORT_STRIP_CHARS:
        return False
    parts = [part for part in MENU_SEPARATORS.split(line) for part in part.split()]
    return len(parts) >= 3 and all(part.casefold() in SIZES for part in parts)


#: Below a page's date line: a photo credit, or a line of topic tags (a few words, no
#: sentence: "Photo source: tdh.gov.tm", "central asian countries").
CREDIT = re.compile(r"^(?:photo|image|source|фото|источник)\b", re.I)


def is_credit_or_tags(paragraph: str) -> bool:
    words = paragraph.split()
    if not words or len(words) > 6 or "\n" in paragraph:
        return False
    return bool(CREDIT.match(paragraph)) or (paragraph == paragraph.lower() and not re.search(r"[.!?:;]$", paragraph))

"""Reprints made from the seeds, the way syndication makes them (issue 16): another
headline, an outlet line, a paragraph dropped, quotes straightened, a trailer. Each edit
is a function of a seed file's text; `write_reprints` writes the seed files and their
reprints into a folder for the real importer."""

import shutil
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _lines(text):
    return text.split("\n")


def headline_changed(text, headline="Security chiefs tout a year of foiled plots"):
    lines = _lines(text)
    first = next(i for i, line in enumerate(lines) if line.strip())
    lines[first] = headline
    return "\n".join(lines)


def outlet_line_added(text, line="DUSHANBE, Asia Wire Service —"):
    lines = _lines(text)
    first = next(i for i, line in enumerate(lines) if line.strip())
    return "\n".join([*lines[: first + 1], "", line, *lines[first + 1 :]])


def paragraph_dropped(text):
    """The longest paragraph after the first three goes."""
    paragraphs = text.split("\n\n")
    middle = max(range(3, len(paragraphs) - 1), key=lambda i: len(paragraphs[i]))
    return "\n\n".join(paragraphs[:middle] + paragraphs[middle + 1 :])


def quotes_straightened(text):
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-"}))


TRAILER = ("This story was republished by the Zarafshon Bulletin, a weekly digest of the region's "
           "security news, with the kind permission of its author.")


def trailer_added(text, trailer=TRAILER):
    return text.rstrip("\n") + "\n\n" + trailer + "\n"


def every_edit(text):
    return trailer_added(quotes_straightened(paragraph_dropped(outlet_line_added(headline_changed(text)))))


EDITS = {
    "headline": headline_changed,
    "outlet": outlet_line_added,
    "dropped": paragraph_dropped,
    "quotes": quotes_straightened,
    "trailer": trailer_added,
    "every": every_edit,
}


def write_reprints(folder: Path, of=("004",), edits=tuple(EDITS), seeds=True) -> dict[tuple[str, str], str]:
    """The seeds (when `seeds`) and one reprint per seed in `of` and edit in `edits`, as
    files in `folder`; returns (seed, edit) -> the reprint's file name."""
    folder.mkdir(parents=True, exist_ok=True)
    if seeds:
        for path in SEEDS.glob("*.txt"):
            shutil.copy(path, folder / path.name)
    names = {}
    for prefix in of:
        for edit in edits:
            name = f"reprint_{prefix}_{edit}.txt"
            (folder / name).write_text(EDITS[edit](seed_text(prefix)), encoding="utf-8")
            names[(prefix, edit)] = name
    return names

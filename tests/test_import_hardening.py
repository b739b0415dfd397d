"""import_sources against hostile or broken files: bad bytes, invisible controls
(issue 12 item 8)."""

import pytest

from sources.ingest.read import read_text
from sources.models import Source

from .test_import_command import run_import

pytestmark = pytest.mark.django_db

BODY = (
    "ALMATY (TCA) — A court in Almaty on Tuesday sentenced two leaders of a banned cell "
    "to nine years in prison, prosecutors said.\n\n"
    "The group had distributed leaflets in 2015 and 2016, the café owner said.\n"
)


def test_bad_bytes_in_a_utf8_file_are_replaced_and_recorded_never_mojibake(tmp_path):
    data = ("Kazakh court jails cell leaders\n\n" + BODY).encode("utf-8")
    data = data.replace(b"leaflets", b"leaflets \xff\xfe\xc3\x28 printed")
    (tmp_path / "bad.txt").write_bytes(data)
    out, status = run_import(tmp_path)
    assert status == 0, out
    source = Source.objects.get()
    for mojibake in ("ÿ", "þ", "Ã", "â€"):
        assert mojibake not in source.text
    assert "ALMATY (TCA) — A court" in source.text and "café" in source.text
    assert "leaflets \ufffd\ufffd\ufffd( printed" in source.text
    recorded = [r for r in source.removed_lines if r["rule"] == "undecodable-bytes"]
    assert len(recorded) == 1 and "\ufffd" in recorded[0]["line"]
    assert "1 article(s) had undecodable bytes" in out
    assert "bad.txt: 3 byte(s) replaced" in out


def test_a_legacy_code_page_file_is_still_decoded_as_such():
    text = read_text("Le café très animé, à Genève.\n".encode("cp1252"), max_bytes=10_000)
    assert text == "Le café très animé, à Genève.\n"


BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]


@pytest.mark.parametrize("control", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidi_controls_never_reach_title_outlet_author_or_slug(tmp_path, control):
    title = f"Court jails {control}txt.exe{control} cell leaders"
    page = (
        f"{title}\n\nBy Aida {control}Nurlanova{control}\n\nThe Times {control}of{control} Central Asia\n\n"
        + BODY
    )
    (tmp_path / "bidi.txt").write_text(page, encoding="utf-8")
    out, status = run_import(tmp_path)
    assert status == 0, out
    source = Source.objects.get()
    for value in (source.title, source.outlet, source.author, source.slug, source.dateline, source.text):
        assert control not in value
    assert source.title == "Court jails txt.exe cell leaders"

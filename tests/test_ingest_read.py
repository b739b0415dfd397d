"""read_text / read_file: decoding, refusals with human reasons, HTML to paragraphs."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.ingest.read import ReadError, read_file, read_text

LIMIT = 5 * 1024 * 1024


def test_utf8_is_decoded_and_bom_stripped():
    data = codecs.BOM_UTF8 + "Dushanbe — “quoted” café\n".encode("utf-8")
    assert read_text(data, max_bytes=LIMIT) == "Dushanbe — “quoted” café\n"


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("café", "cp1252"),
        ("café", "latin-1"),
        ("Le café est très bon, déjà vu à Noël.", "latin-1"),
        ("He said “hello” — at the café.", "cp1252"),
        ("Müller sagte: die Straße öffnen.", "latin-1"),
    ],
)
def test_western_legacy_encodings_come_out_right(text, encoding):
    assert read_text(text.encode(encoding), max_bytes=LIMIT) == text


def test_cyrillic_legacy_encoding_is_detected():
    text = "Министерство внутренних дел Таджикистана сообщило о задержании подозреваемых."
    assert read_text(text.encode("cp1251"), max_bytes=LIMIT) == text


def test_utf16_with_bom_is_text_not_binary():
    text = "Tajikistan’s Interior Ministry said on Monday."
    assert read_text(text.encode("utf-16"), max_bytes=LIMIT) == text


def test_newlines_are_normalised():
    assert read_text(b"one\r\ntwo\rthree\n", max_bytes=LIMIT) == "one\ntwo\nthree\n"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_or_blank_files_are_refused(data):
    with pytest.raises(ReadError) as caught:
        read_text(data, max_bytes=LIMIT)
    assert caught.value.reason == "empty file"
    assert str(caught.value) == "empty file"


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive or Office document"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    ],
)
def test_known_binary_formats_are_named(data, kind):
    with pytest.raises(ReadError) as caught:
        read_text(data, max_bytes=LIMIT)
    assert caught.value.reason == f"binary file ({kind})"


def test_nul_bytes_mean_binary():
    with pytest.raises(ReadError) as caught:
        read_text(b"some text\x00\x00\x01 more", max_bytes=LIMIT)
    assert caught.value.reason.startswith("binary file")


def test_oversized_data_is_refused_with_sizes():
    data = b"a" * int(6.2 * 1024 * 1024)
    with pytest.raises(ReadError) as caught:
        read_text(data, max_bytes=LIMIT)
    assert caught.value.reason == "file is 6.2 MB, over the 5.0 MB limit"


def test_read_file_checks_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.truncate(int(6.2 * 1024 * 1024))  # sparse: size without content

    def must_not_open(*args, **kwargs):
        raise AssertionError("file was opened although stat says it is too big")

    monkeypatch.setattr("builtins.open", must_not_open)
    with pytest.raises(ReadError) as caught:
        read_file(path, max_bytes=LIMIT)
    assert caught.value.reason == "file is 6.2 MB, over the 5.0 MB limit"


def test_read_file_reads_text(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes("Caf\xe9 society in Almaty.\r\n".encode("latin-1"))
    assert read_file(path, max_bytes=LIMIT) == "Café society in Almaty.\n"


def test_read_file_refuses_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="empty file"):
        read_file(path, max_bytes=LIMIT)


PAGE = """<!DOCTYPE html>
<html><head><title>Site title</title><style>p {color: red}</style></head>
<body>
<header><a href="/">Home</a> | <a href="/about">About Us</a></header>
<nav><ul><li>World</li><li>Asia</li></ul></nav>
<article>
<h1>Tajikistan &amp; the IRPT</h1>
<p>First paragraph,
wrapped in the source.</p>
<p>Second paragraph with <b>bold</b> text.<br>And a line break.</p>
<script>var tracking = "no";</script>
</article>
<aside>Most read: something else</aside>
<footer>Copyright 2017</footer>
</body></html>"""


def test_html_becomes_paragraphs_without_page_furniture():
    text = read_text(PAGE.encode("utf-8"), max_bytes=LIMIT)
    assert text == (
        "Tajikistan & the IRPT\n\n"
        "First paragraph, wrapped in the source.\n\n"
        "Second paragraph with bold text.\n\nAnd a line break."
    )


def test_html_is_recognised_by_file_name(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text("<p>One</p><p>Two</p>", encoding="utf-8")
    assert read_file(path, max_bytes=LIMIT) == "One\n\nTwo"


def test_html_with_only_furniture_is_empty():
    with pytest.raises(ReadError, match="no article text"):
        read_text(b"<html><nav>Home</nav><script>x()</script></html>", max_bytes=LIMIT)


def test_html_with_unclosed_paragraphs_is_read():
    assert read_text(b"<p>One<p>Two", max_bytes=LIMIT, filename="page.html") == "One\n\nTwo"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_give_text_or_a_read_error(data):
    try:
        text = read_text(data, max_bytes=LIMIT)
    except ReadError as exc:
        assert exc.reason
    else:
        assert isinstance(text, str) and text.strip()
        assert "\r" not in text


def test_strip_bidi_controls_removes_each_control_and_leaves_other_text_as_it_is():
    from sources.ingest.read import BIDI_CONTROL_CHARS, strip_bidi_controls

    assert len(BIDI_CONTROL_CHARS) == 12
    for control in BIDI_CONTROL_CHARS:
        assert strip_bidi_controls(f"txt{control}.exe “Dushanbe’s” Москва") == "txt.exe “Dushanbe’s” Москва"
    assert strip_bidi_controls("no control here: “quoted” — Москва\u200d") == "no control here: “quoted” — Москва\u200d"

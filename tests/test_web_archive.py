"""Web archives (WARC, WARC.gz, WACZ) through the real import command, and the original
address of an article on every surface: article page, citation, API, export, admin."""

import datetime
import gzip
import json
import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sources.models import Source
from tests.test_import_command import run_import
from tests.test_ingest_html import PARAGRAPHS, page

pytestmark = pytest.mark.django_db
LIMIT = 5 * 1024 * 1024

CAPTURED = "2024-06-01T12:30:00Z"
FIRST = "https://news.example.com/2024/05/14/border-reopens"
SECOND = "https://news.example.com/markets-calm"
SECOND_PARAGRAPHS = [
    "Markets in Almaty were calm on Wednesday as traders waited for the central bank's decision "
    "on interest rates, which analysts expect to stay unchanged for another quarter.",
    "The tenge held steady against the dollar, and shares of the largest banks rose slightly "
    "in thin trading ahead of the announcement due on Friday afternoon.",
    "Economists said inflation had slowed for a third month in a row, giving the bank room to "
    "wait, although food prices were still rising faster than its target.",
]


def article_html(title, paragraphs):
    return page(f"<article><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>")


def response(writer, url, body, *, status="200 OK", content_type="text/html; charset=utf-8", extra=(), date=CAPTURED):
    headers = StatusAndHeaders(status, [("Content-Type", content_type), *extra], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}
    )
    writer.write_record(record)


def warc_bytes(*, gzipped):
    """warcinfo, page, redirect, image, corrupt record, second page, the first page again."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    response(writer, FIRST, article_html("Border reopens", PARAGRAPHS).encode())
    response(writer, "https://news.example.com/old", b"", status="301 Moved Permanently", extra=[("Location", FIRST)])
    response(writer, "https://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png")
    garbage = b"NOT A WARC RECORD\r\nsome bytes a broken crawler wrote\r\n\r\n"
    out.write(gzip.compress(garbage) if gzipped else garbage)
    response(writer, SECOND, article_html("Markets calm", SECOND_PARAGRAPHS).encode())
    response(writer, FIRST, article_html("Border reopens", PARAGRAPHS).encode(), date="2024-06-02T08:00:00Z")
    return out.getvalue()


@pytest.mark.parametrize("name, gzipped", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_pages_become_articles_and_the_rest_is_counted(tmp_path, name, gzipped):
    (tmp_path / name).write_bytes(warc_bytes(gzipped=gzipped))
    out, status = run_import(tmp_path)
    assert status == 1, out  # the corrupt record failed; everything else went on
    assert "2 created" in out and "1 failed" in out and "3 skipped" in out, out
    assert "redirect 301" in out and "not HTML (image/png)" in out and "captured again" in out
    assert "unreadable" in out and "at offset " in out

    first = Source.objects.get(original_url=FIRST)
    assert first.text.split("\n\n") == PARAGRAPHS
    assert first.captured_at == datetime.datetime(2024, 6, 1, 12, 30, tzinfo=datetime.timezone.utc)
    # The capture date is not the publication date; the address's date is.
    assert (first.published, first.date_precision) == (datetime.date(2024, 5, 14), "day")
    second = Source.objects.get(original_url=SECOND)
    assert second.published is None and second.captured_at is not None
    assert second.raw_text.startswith("<!DOCTYPE html>")
    assert (first.source_file, first.position) == (name, 1)
    assert second.position == 5


def test_wacz_holding_the_warc_is_imported(tmp_path):
    package = tmp_path / "capture.wacz"
    with zipfile.ZipFile(package, "w") as wacz:
        wacz.writestr("datapackage.json", json.dumps({"profile": "data-package"}))
        wacz.writestr("archive/data.warc.gz", warc_bytes(gzipped=True), compress_type=zipfile.ZIP_STORED)
    out, status = run_import(package)
    assert status == 1 and "2 created" in out and "3 skipped" in out
    assert "archive/data.warc.gz record at offset" in out
    assert set(Source.objects.values_list("original_url", flat=True)) == {FIRST, SECOND}


def test_capture_time_is_in_the_search_api(client, tmp_path):
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes(gzipped=True))
    run_import(tmp_path)
    hits = client.get("/api/search", {"q": "border reopens"}).json()["hits"]
    assert [(hit["original_url"], hit["captured_at"]) for hit in hits] == [(FIRST, "2024-06-01T12:30:00+00:00")]


def test_reimporting_the_archive_changes_nothing(tmp_path):
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes(gzipped=True))
    run_import(tmp_path)
    out, _ = run_import(tmp_path)
    assert "0 created" in out and "2 unchanged" in out and Source.objects.count() == 2


def test_file_that_is_no_web_archive_fails_with_a_reason(tmp_path):
    (tmp_path / "broken.warc").write_bytes(b"this is not a web archive at all\n")
    out, status = run_import(tmp_path)
    assert status == 1 and "unreadable" in out and Source.objects.count() == 0


@pytest.fixture
def saved_page(tmp_path):
    head = '<link rel="canonical" href="https://news.example.com/2024/05/14/border-reopens">'
    (tmp_path / "saved.html").write_text(page(
        "<article><h1>Border reopens</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>", head=head
    ))
    out, status = run_import(tmp_path)
    assert status == 0, out
    return Source.objects.get()


def test_original_url_on_article_page_citation_api_and_export(client, saved_page):
    assert saved_page.original_url == FIRST
    html = client.get(saved_page.get_absolute_url()).content.decode()
    assert f'<a href="{FIRST}" rel="nofollow noopener noreferrer">{FIRST}</a>' in html
    citation = html.split('id="citation-text">')[1].split("</p>")[0]
    assert f"Originally at {FIRST}" in citation
    hits = client.get("/api/search", {"q": "border"}).json()["hits"]
    assert [hit["original_url"] for hit in hits] == [FIRST]
    out = StringIO()
    call_command("export_sources", stdout=out)
    assert json.loads(out.getvalue().splitlines()[0])["original_url"] == FIRST


def test_curator_edits_original_url_in_admin_and_reimport_keeps_it(admin_client, saved_page, tmp_path):
    url = reverse("admin:sources_source_change", args=[saved_page.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"original_url": "https://archive.example.org/border", "published": "", "date_precision": "unknown"})
    data.update({f"{prefix}-{key}": 0 for prefix in ("countrymention_set", "organisationmention_set", "personmention_set")
                 for key in ("TOTAL_FORMS", "INITIAL_FORMS")})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved_page.refresh_from_db()
    assert saved_page.original_url == "https://archive.example.org/border"
    assert "original_url" in saved_page.curated_fields
    run_import(tmp_path)
    saved_page.refresh_from_db()
    assert saved_page.original_url == "https://archive.example.org/border"


def test_javascript_address_is_refused_in_admin(admin_client, saved_page):
    url = reverse("admin:sources_source_change", args=[saved_page.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "original_url" in form.fields
    form_class = type(form)
    bound = form_class(data={**form.initial, "original_url": "javascript:alert(1)"}, instance=saved_page)
    assert not bound.is_valid() and "original_url" in bound.errors


def test_reextracting_an_archived_page_reads_the_page_again_and_keeps_its_address(tmp_path):
    from sources import importer

    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes(gzipped=True))
    run_import(tmp_path)
    source = Source.objects.get(original_url=SECOND)
    Source.objects.filter(pk=source.pk).update(text="stale", original_url=SECOND)
    source.refresh_from_db()
    assert importer.reextract(source, importer.gazetteer_from_db())
    source.refresh_from_db()
    assert source.text.split("\n\n") == SECOND_PARAGRAPHS
    assert source.original_url == SECOND and source.captured_at is not None


def test_reextracting_a_saved_page_reads_the_page_not_its_markup(saved_page):
    from sources import importer

    Source.objects.filter(pk=saved_page.pk).update(text="stale")
    saved_page.refresh_from_db()
    assert importer.reextract(saved_page, importer.gazetteer_from_db())
    saved_page.refresh_from_db()
    assert saved_page.text.split("\n\n") == PARAGRAPHS and saved_page.original_url == FIRST


def test_broken_compression_and_truncated_archive_fail_only_their_record(tmp_path):
    from sources.ingest.web_archive import ArchivedPage, RecordNote, read_web_archive

    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    starts = []
    for number, url in enumerate(("https://a.example/1", "https://a.example/2", "https://a.example/3")):
        starts.append(out.tell())
        response(writer, url, article_html(f"Page {number}", PARAGRAPHS).encode())
    data = bytearray(out.getvalue())
    for index in range(starts[1] + 40, starts[1] + 80):
        data[index] ^= 0x55  # the second record's deflate stream is broken
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(bytes(data))
    items = list(read_web_archive(broken, max_bytes=LIMIT))
    assert [type(item) for item in items] == [ArchivedPage, RecordNote, ArchivedPage]
    assert items[1].status == "failed" and f"offset {starts[1]}" in items[1].reason
    assert items[1].reason.isprintable() and items[2].url == "https://a.example/3"

    truncated = tmp_path / "truncated.warc.gz"
    truncated.write_bytes(out.getvalue()[: starts[2] - 100])
    items = list(read_web_archive(truncated, max_bytes=LIMIT))
    assert [type(item) for item in items] == [ArchivedPage, RecordNote]
    assert items[1].reason == "https://a.example/2: record truncated"


def test_page_listing_dozens_of_authors_is_stored_within_the_author_column(tmp_path):
    names = ", ".join(f'{{"@type": "Person", "name": "Reporter Number{i} Longsurname"}}' for i in range(30))
    head = f'<script type="application/ld+json">{{"@type": "NewsArticle", "author": [{names}]}}</script>'
    (tmp_path / "many.html").write_text(page(
        "<article><h1>Border reopens</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>", head=head
    ))
    out, status = run_import(tmp_path)
    assert status == 0, out
    author = Source.objects.get().author
    assert author.startswith("Reporter Number0 Longsurname, Reporter Number1") and author.endswith("…")
    assert len(author) <= Source._meta.get_field("author").max_length


def test_archive_parsed_in_a_worker_process_reports_the_same(tmp_path):
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes(gzipped=True))
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_sources", str(tmp_path), "--no-progress", "--jobs", "2", stdout=out, stderr=StringIO())
    assert failed.value.returncode == 1
    assert "2 created" in out.getvalue() and "3 skipped" in out.getvalue() and "1 failed" in out.getvalue()
    assert set(Source.objects.values_list("original_url", flat=True)) == {FIRST, SECOND}


@pytest.mark.parametrize("jobs", ["0", "2"])
def test_large_archive_is_parsed_in_batches_with_duplicates_found_across_them(tmp_path, jobs):
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    for number in range(20):
        body = [f"Report number {number} on the border talks. {paragraph}" for paragraph in PARAGRAPHS]
        response(writer, f"https://news.example.com/report-{number}", article_html(f"Report {number}", body).encode())
    response(writer, "https://news.example.com/report-3", article_html("Report 3", PARAGRAPHS).encode())
    (tmp_path / "big.warc.gz").write_bytes(out.getvalue())
    summary = StringIO()
    call_command("import_sources", str(tmp_path), "--no-progress", "--jobs", jobs, stdout=summary, stderr=StringIO())
    assert "20 created" in summary.getvalue() and "1 skipped" in summary.getvalue(), summary.getvalue()
    assert "big.warc.gz#20: https://news.example.com/report-3: captured again" in summary.getvalue()
    positions = sorted(Source.objects.values_list("position", flat=True))
    assert positions == list(range(20))

"""A curator imports a zip from the admin in headless Debian Chromium and watches the job
to its summary (screenshot: test-artifacts/admin-upload-summary.png)."""

import io
import re
import zipfile

import pytest

from tests.serving import child_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLES = {
    "week/tajik-reporter.txt": "Tajik reporter detained\n\nDUSHANBE — Police in Dushanbe detained a reporter "
    "of an independent weekly on Monday, his editor said.\n",
    "week/kyrgyz-law.txt": "Kyrgyz parliament passes media law\n\nBISHKEK — The parliament of Kyrgyzstan "
    "passed a law on foreign-funded media on Friday.\n",
    "week/photo.txt": "\x89PNG\r\n\x1a\n not an article",
}


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in ARTICLES.items():
            archive.writestr(name, content.encode("latin-1") if "PNG" in content else content)
    return buffer.getvalue()


@pytest.fixture
def jobs_on_test_database(seeded_live, fresh_index, monkeypatch):
    """The job sees the test database; it indexes into an index of this test's own, after
    the seeds went into the shared one (which must not keep what the job adds)."""
    for key, value in child_env().items():
        monkeypatch.setenv(key, value)


def test_curator_uploads_a_zip_and_sees_the_summary(browser_page, live_server, admin_user,
                                                    jobs_on_test_database, artifacts):
    page = browser_page
    page.goto(live_server.url + "/admin/sources/source/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Import files").click()
    assert "Limits:" in page.locator("#import-limits").inner_text()
    page.screenshot(path=str(artifacts / "admin-upload-form.png"))

    page.set_input_files("#id_files", files=[
        {"name": "week.zip", "mimeType": "application/zip", "buffer": zip_bytes()},
    ])
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url(re.compile(r"/admin/sources/source/import/\d+/$"))
    # The page refreshes itself while the job runs; the summary replaces the progress.
    page.locator("#import-summary").wait_for(timeout=120_000)

    summary = page.locator("#import-summary").inner_text()
    assert re.search(r"Created\s+2", summary) and re.search(r"Failed\s+1", summary)
    problems = page.locator("#import-problems").inner_text()
    assert "week/photo.txt" in problems and "PNG" in problems
    page.screenshot(path=str(artifacts / "admin-upload-summary.png"), full_page=True)

    page.get_by_role("link", name="See the Sources").click()
    page.get_by_role("link", name="Tajik reporter detained").wait_for()  # listed, as a link
    page.screenshot(path=str(artifacts / "admin-sources-list.png"), full_page=True)
    assert page.console.csp_violations == [] and page.console.page_errors == []

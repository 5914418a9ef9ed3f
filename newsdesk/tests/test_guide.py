"""The editor's guide: one page per job, illustrated by `make screenshots`, linked from the admin."""

import re

import pytest
from django.urls import reverse

from newsdesk.guide import DOCS, PAGES

pytestmark = pytest.mark.django_db
GUIDE_FILES = [DOCS / "editors.md", *sorted((DOCS / "editors").glob("*.md"))]
JOBS = ["write-and-submit", "content-checks", "references-and-pages", "review-and-sign-off", "clear-a-case", "schedule-and-publish",
        "retract-or-correct", "import", "privacy-findings"]  # fmt: skip


def test_there_is_one_page_per_job():
    assert set(JOBS) <= set(PAGES)
    assert {p.stem for p in GUIDE_FILES} == {"editors", *JOBS}


def test_every_picture_the_guide_shows_is_taken_by_make_screenshots():
    shown = {name for f in GUIDE_FILES for name in re.findall(r"img/([a-z0-9-]+)\.png", f.read_text())}
    taken = set(re.findall(r'desk\.shot\(\w+, "([a-z0-9-]+)"', (DOCS / "screenshots.py").read_text()))
    assert shown and shown <= taken, shown - taken
    for name in shown:
        assert (DOCS / "editors" / "img" / f"{name}.png").stat().st_size > 5_000, name


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_reads_inside_the_admin_with_its_pictures_and_links(client, users, page):
    client.force_login(users["writer"])
    html = client.get(reverse("guide", args=[page])).content.decode()
    for src in re.findall(r'<img src="([^"]+)"', html):
        response = client.get(src)
        assert response.status_code == 200 and response["Content-Type"] == "image/png", src
    for href in re.findall(r'href="(/admin/guide/[^"#]+)', html):
        assert client.get(href).status_code == 200, href
    assert ".md" not in " ".join(re.findall(r'href="([^"]+)"', html))


def test_the_guide_is_for_staff_only(client):
    assert client.get(reverse("guide", args=["index"])).status_code == 302
    assert client.get(reverse("guide_image", args=["admin-home.png"])).status_code == 302


def test_unknown_pages_and_files_are_not_found(client, users):
    client.force_login(users["writer"])
    assert client.get("/admin/guide/settings/").status_code == 404
    assert client.get("/admin/guide/img/..%2F..%2Fsettings.py").status_code == 404


def test_the_screens_link_to_their_page_of_the_guide(client, users, make_article, make_case):
    article = make_article(author=users["writer"])
    story = make_case(articles=[article])
    client.force_login(users["writer"])
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert reverse("guide", args=["write-and-submit"]) in page
    client.force_login(users["privacy_officer"])
    page = client.get(reverse("admin:cases_case_change", args=[story.pk])).content.decode()
    assert (
        reverse("guide", args=["clear-a-case"]) in page
        and reverse("guide", args=["privacy-findings"]) in page
    )
    client.force_login(users["editor"])
    page = client.get(reverse("admin:import_documents")).content.decode()
    assert reverse("guide", args=["import"]) in page

"""The editor's guide (docs/editors.md and docs/editors/*.md), readable inside the admin.

The same Markdown files are the repository's documentation and the desk's help pages, so there is one
text to keep up to date; `make screenshots` refreshes their pictures from the real admin.
"""

import functools
import re

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

DOCS = settings.BASE_DIR / "docs"

PAGES = {
    "index": "The editor's guide",
    "write-and-submit": "Write and submit an article",
    "content-checks": "Content checks",
    "references-and-pages": "References and the newsroom's pages",
    "review-and-sign-off": "Review and sign off",
    "clear-a-case": "Clear a patient story and record consent",
    "schedule-and-publish": "Schedule and publish",
    "retract-or-correct": "Retract or correct",
    "import": "Import documents and spreadsheets",
    "privacy-findings": "Understand the privacy findings",
}


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt  # noqa: PLC0415 - only the desk's guide needs it

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _source(page: str):
    return DOCS / "editors.md" if page == "index" else DOCS / "editors" / f"{page}.md"


def render_page(page: str) -> str:
    """The page as HTML, with its links and pictures pointing into the admin's copy of the guide."""
    html = _markdown().render(_source(page).read_text(encoding="utf-8"))
    html = re.sub(
        r'src="(?:editors/)?img/([a-z0-9-]+\.png)"',
        lambda m: f'src="{reverse("guide_image", args=[m.group(1)])}"',
        html,
    )
    return re.sub(
        r'href="(?:editors/)?([a-z-]+)\.md(#[a-z0-9-]*)?"',
        lambda m: (
            f'href="{reverse("guide", args=[m.group(1)]) if m.group(1) in PAGES else "#"}{m.group(2) or ""}"'
        ),
        html,
    )


@staff_member_required
def guide(request, page="index"):
    if page not in PAGES:
        raise Http404
    return render(
        request,
        "admin/guide/page.html",
        {"title": PAGES[page], "content": mark_safe(render_page(page)), "pages": PAGES, "page": page},  # noqa: S308 - Markdown without raw HTML
    )


@staff_member_required
def guide_image(request, name):
    if not re.fullmatch(r"[a-z0-9-]+\.png", name) or not (DOCS / "editors" / "img" / name).is_file():
        raise Http404
    return FileResponse((DOCS / "editors" / "img" / name).open("rb"), content_type="image/png")

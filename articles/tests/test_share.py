"""Share links (#26, item 2): plain links to the services readers use, and nothing of theirs loads."""

import pytest

from articles.models import Status

pytestmark = pytest.mark.django_db


def test_an_article_offers_share_links_that_load_nothing_from_elsewhere(client, make_article):
    """#26, item 2: share links are plain links; the page loads no script from another site."""
    import re

    article = make_article(title="Cell therapy for lupus", status=Status.PUBLISHED)
    page = client.get(article.get_absolute_url()).content.decode()
    share = re.search(r'<nav class="share".*?</nav>', page, re.S).group()
    assert "mailto:?subject=Cell%20therapy%20for%20lupus" in share and "facebook.com/sharer" in share
    assert all(src.startswith("/") for src in re.findall(r'<script[^>]+src="([^"]+)"', page))
    assert not re.search(r'<(?:iframe|img)[^>]+src="https?://', page)

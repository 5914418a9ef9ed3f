"""Every public text goes through the privacy gate (#26, item 7): an article's references are scanned with
its text. A reference names who wrote and published a work; those names are not a patient's."""

import pytest

from articles.tests.test_references import reference_of
from cases.privacy import refresh_scan


@pytest.mark.django_db
class TestThePrivacyGate:
    def test_a_reference_s_title_is_scanned_but_its_authors_names_are_not_findings(self, make_article):
        article = make_article(body="<p>Plain text.</p>")
        reference_of(article, title="Remission in Margarethe Oyelaran-Kimura after CAR-T, seen 14 March 2023")
        article.refresh_from_db()
        findings = refresh_scan(article)
        fields = {field for f in findings for field in f["fields"]}
        assert "reference-1-title" in fields
        assert not any(field.endswith("-authors") or field.endswith("-venue") for field in fields)
        assert any(f["kind"] == "date" and "reference-1-title" in f["fields"] for f in findings)

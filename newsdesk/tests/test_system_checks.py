"""The project's system checks: a setting that would quietly weaken the desk stops the server starting."""

from django.test import override_settings

from articles import standards
from newsdesk.checks import content_checks_are_known


def test_the_shipped_content_checks_name_known_checks_and_levels():
    assert content_checks_are_known(None) == []
    assert set(standards.CHECKS) == {
        "plain_summary",
        "alt_text",
        "evidence",
        "hype",
        "reading_grade",
        "length",
    }


@override_settings(NEWSDESK_CONTENT_CHECKS={"hype": "blocks", "spelling": "warn"})
def test_a_misspelt_level_or_an_unknown_check_stops_the_server_starting():
    """A misspelt "block" would otherwise turn a blocking check into a warning."""
    errors = content_checks_are_known(None)
    assert len(errors) == 2 and {e.id for e in errors} == {"newsdesk.E003"}
    assert "'blocks'" in errors[0].msg and "block, warn, off" in errors[0].hint


def test_the_reference_style_must_be_a_csl_style():
    from newsdesk.checks import reference_style_exists

    assert reference_style_exists(None) == []
    with override_settings(NEWSDESK_REFERENCE_STYLE="american-medical-associaton"):
        (error,) = reference_style_exists(None)
    assert error.id == "newsdesk.E004" and "american-medical-associaton" in error.msg

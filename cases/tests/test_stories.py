"""Story detection (cases.stories) on our own documents, the client's and short texts written for it."""

import pytest

from articles.intake.documents import parse_document
from articles.tests.test_documents import DOCUMENTS, EXPECTED, SEED_EXPECTED, needs_seeds, seed
from cases.stories import patient_story


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_our_documents_give_their_patients_facts(name):
    doc = parse_document((DOCUMENTS / name).read_bytes(), name)
    facts, expected = patient_story(doc.plain_text()), EXPECTED[name]["patient"]
    if expected is None:
        assert facts is None
        return
    assert (facts.age, facts.age_band, facts.sex, facts.treatment_year) == (
        expected["age"], expected["age_band"], expected["sex"], expected["treatment_year"]
    )  # fmt: skip
    assert expected["outcome"] in facts.outcome


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_the_client_documents_that_follow_one_patient_are_stories(name):
    expected, doc = SEED_EXPECTED[name], seed(name)
    facts = patient_story(doc.plain_text())
    assert (facts is not None) == expected["has_patient_story"]
    if facts:
        patient = expected["patient"]
        assert (facts.age, facts.age_band, facts.sex) == (patient["age"], patient["age_band"], patient["sex"])
        assert facts.outcome


class TestPatientStories:
    def test_one_patient_gives_their_facts(self):
        text = (
            "Mr. Lark, a 72-year-old retired engineer, was diagnosed in 2015. In 2022 he received CAR-T "
            "cells at the hospital. Eighteen months later he remains in remission, and his family is delighted."
        )
        facts = patient_story(text)
        assert (facts.age, facts.age_band, facts.sex, facts.treatment_year) == (72, "70-79", "male", 2022)
        assert "remission" in facts.outcome

    def test_an_exact_age_over_89_becomes_the_top_band_and_is_not_kept(self):
        facts = patient_story(
            "Grandma Fen, a 93-year-old woman, was diagnosed with lymphoma and had CAR-T in 2020. "
            "She is in remission and she walks daily with her dog."
        )
        assert (facts.age_band, facts.age, facts.sex) == ("90+", None, "female")

    def test_the_boy_with_labelled_fields(self):
        facts = patient_story(
            "Name: Little Tao\nGender: Male\nAge: 6\nThe boy was diagnosed with leukaemia in 2021. "
            "He received a transplant in 2022 and has been back at school since."
        )
        assert (facts.age, facts.age_band, facts.sex, facts.treatment_year) == (6, "0-9", "male", 2022)

    def test_a_cohort_is_not_a_story(self):
        text = (
            "Five patients aged between 18 and 24 received CAR-T. All five are in remission, the team said."
        )
        assert patient_story(text) is None

    def test_a_researcher_introduced_with_an_age_is_not_a_patient(self):
        text = "Dr. Moss, 52, leads the unit. He said his team will test the drug. He hopes it helps many."
        assert patient_story(text) is None

    def test_an_explainer_is_not_a_story(self):
        assert patient_story("CAR-T therapy engineers T cells. It is given as one infusion.") is None

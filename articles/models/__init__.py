from articles.models.article import (
    Article,
    ArticleDisease,
    ArticleImage,
    ArticleQuerySet,
    ArticleTherapy,
    Embargo,
    Language,
    Status,
    StudyPhase,
    StudyType,
    unique_slug,
)
from articles.models.desk import Comment, FormDraft, Presence, ReviewReminder
from articles.models.history import (
    REVIEW_ANSWERS,
    REVIEW_QUESTIONS,
    ArticleEvent,
    ArticleRevision,
    Correction,
    PreviewLink,
    SourceDocument,
)
from articles.models.jobs import ImportJob
from articles.models.pages import Page
from articles.models.people import StaffProfile
from articles.models.redirects import Redirect
from articles.models.references import Reference, ReferenceKind
from articles.models.vocabulary import DiseaseTag, TherapyTag, VocabularyTerm

__all__ = [
    "REVIEW_ANSWERS",
    "REVIEW_QUESTIONS",
    "Article",
    "ArticleDisease",
    "ArticleEvent",
    "ArticleImage",
    "ArticleQuerySet",
    "ArticleRevision",
    "ArticleTherapy",
    "Comment",
    "Correction",
    "DiseaseTag",
    "Embargo",
    "FormDraft",
    "ImportJob",
    "Language",
    "Page",
    "Presence",
    "PreviewLink",
    "Redirect",
    "Reference",
    "ReferenceKind",
    "ReviewReminder",
    "SourceDocument",
    "StaffProfile",
    "Status",
    "StudyPhase",
    "StudyType",
    "TherapyTag",
    "VocabularyTerm",
    "unique_slug",
]

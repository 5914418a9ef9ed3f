"""The privacy officer's pages: each article's or story's findings with the decisions on them, the
take-down of a live story, consents expiring soon, and what the article form shows writers and editors.

Every page here reads the findings stored at save (`cases.privacy.stored_findings`); none scans.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import access
from articles.models import Article, Status
from articles.roles import holds
from cases import consents, services
from cases.access import CASE
from cases.models import Case, FindingDecision, PrivacyScan, PrivacyStatus
from cases.privacy import (
    REASON_KINDS,
    decisions_in_force,
    field_label,
    highlight,
    identifiable_consent,
    kind_label,
    never_waived,
    public_texts,
    stored_findings,
)

DECIDE_PERMISSION = "cases.clear_case"
Choice = FindingDecision.Choice


def finding_key(finding: dict) -> str:
    """A short stable key for a finding in forms and anchors, so that the identifier is not in a URL."""
    return hashlib.sha256(f"{finding['kind']}\x1f{finding['text']}".encode()).hexdigest()[:16]


class DecisionForm(forms.Form):
    finding = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(label=_("Decision"), choices=Choice.choices, widget=forms.RadioSelect)
    replacement = forms.CharField(label=_("Replace with"), max_length=300, required=False)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—")] + FindingDecision.Reason.choices, required=False
    )
    note = forms.CharField(label=_("Why it stays, in a sentence"), max_length=500, required=False)


def _rows(subject, user) -> list[dict]:
    """One row per distinct finding: where it occurs, how often, the decision in force, and a form."""
    decided = decisions_in_force(subject)
    may_decide = holds(user, DECIDE_PERMISSION)
    consented_possible = identifiable_consent(subject) is not None
    rows = []
    for finding in stored_findings(subject):
        key = finding_key(finding)
        kind = finding["kind"]
        reasons = [(r.value, r.label) for r in FindingDecision.Reason if kind in REASON_KINDS[r]]
        rows.append(
            {
                **finding,
                "key": key,
                "kind_label": kind_label(kind),
                "where": [field_label(subject, field) for field in finding["fields"]],
                "decision": decided.get((kind, finding["text"])),
                "may_waive": not never_waived(kind, finding["text"]) and bool(reasons),
                "reasons": reasons,
                "default_replacement": services.default_replacement(kind, finding["text"]),
                "consented_possible": consented_possible,
                "may_decide": may_decide,
            }
        )
    return rows


def _highlighted(subject, rows, *, flagged_only=False) -> list[tuple[str, str]]:
    """(field label, HTML) for each public text, its stored findings marked in place."""
    out = []
    for field, text in public_texts(subject):
        here = [f for f in rows if field in f["fields"]]
        if here or not flagged_only:
            out.append((field_label(subject, field), highlight(text, here)))
    return out


def _subject(kind: str, pk: int):
    return get_object_or_404(Article if kind == "article" else Case, pk=pk)


def _view_refusal(user, subject) -> str | None:
    content = access.ARTICLE if isinstance(subject, Article) else CASE
    return (
        None if access.may(user, "view", content, subject) else access.refusal(user, "view", content, subject)
    )


def _change_url(subject) -> str:
    name = "admin:articles_article_change" if isinstance(subject, Article) else "admin:cases_case_change"
    return reverse(name, args=[subject.pk])


def review_url(subject) -> str:
    kind = "article" if isinstance(subject, Article) else "case"
    return reverse("admin:cases_privacy_review", args=[kind, subject.pk])


def privacy_review_view(request, kind, pk):
    """Every distinct finding in the public text, with its count, where it occurs and its decision.

    Writers and editors read it; the privacy officer decides on each finding here.
    """
    if kind not in ("article", "case"):
        raise PermissionDenied
    subject = _subject(kind, pk)
    if refusal := _view_refusal(request.user, subject):
        raise PermissionDenied(refusal)
    rows = _rows(subject, request.user)
    posted = None
    if request.method == "POST":
        if not holds(request.user, DECIDE_PERMISSION):
            raise PermissionDenied(_("Only the privacy officer decides on findings."))
        posted = DecisionForm(request.POST)
        row = next((r for r in rows if r["key"] == request.POST.get("finding")), None)
        if row is None:
            messages.error(request, _("That finding is no longer in the text. Here is the current list."))
            return HttpResponseRedirect(request.path)
        if posted.is_valid():
            data = posted.cleaned_data
            try:
                services.decide_finding(
                    subject, kind=row["kind"], text=row["text"], choice=data["choice"], by=request.user,
                    reason=data["reason"], note=data["note"], replacement=data["replacement"],
                )  # fmt: skip
            except ValidationError as problems:
                errors = (
                    problems.message_dict if hasattr(problems, "error_dict") else {None: problems.messages}
                )
                for field, messages_ in errors.items():
                    for error in messages_:
                        posted.add_error(field if field in posted.fields else None, error)
            else:
                done = (
                    _("Replaced everywhere in the text; a new revision was saved.")
                    if data["choice"] == Choice.REPLACED
                    else _("Decision recorded for this text.")
                )
                messages.success(request, done)
                return HttpResponseRedirect(request.path)
        for r in rows:
            if r["key"] == row["key"]:
                r["form"] = posted
    highlighted = _highlighted(subject, rows)
    context = {
        **admin.site.each_context(request),
        "title": _("Privacy review: %(name)s") % {"name": subject},
        "subject": subject,
        "subject_kind": kind,
        "change_url": _change_url(subject),
        "rows": rows,
        "undecided": sum(r["decision"] is None for r in rows),
        "highlighted": highlighted,
        "opts": subject._meta,
        "may_decide": holds(request.user, DECIDE_PERMISSION),
        "is_live": subject.is_locked if isinstance(subject, Article) else None,
        "choices": Choice,
    }
    return TemplateResponse(request, "admin/cases/privacy_review.html", context)


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label=_("Privacy reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history. Name the field and kind, not the detail itself."),
    )


def take_down_case_view(request, pk):
    """Take a live story down at once, with every article that tells it."""
    case = get_object_or_404(Case, pk=pk)
    if not holds(request.user, DECIDE_PERMISSION):
        raise PermissionDenied(_("Only the privacy officer takes stories down."))
    form = TakeDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            taken = services.take_down_case(case, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as problems:
            for error in problems.messages:
                form.add_error("reason", error)
        else:
            messages.warning(
                request,
                _("%(ref)s is off the public site, with %(n)d article(s). Fix it, then clear it again.")
                % {"ref": case.reference, "n": len(taken)},
            )
            return HttpResponseRedirect(reverse("admin:cases_privacy_review", args=["case", case.pk]))
    context = {
        **admin.site.each_context(request),
        "title": _("Take down %(ref)s") % {"ref": case.reference},
        "case": case,
        "form": form,
        "opts": Case._meta,
        "live_articles": case.articles.filter(status=Status.PUBLISHED),
    }
    return TemplateResponse(request, "admin/cases/case/take_down.html", context)


def expiring_consents_view(request):
    """Consents that end within 90 days, soonest first: renew them or let the stories go."""
    if not holds(request.user, DECIDE_PERMISSION):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": _("Consents expiring in the next %(n)d days") % {"n": consents.QUEUE_DAYS},
        "consents": consents.expiring(),
        "opts": Case._meta,
    }
    return TemplateResponse(request, "admin/cases/consents_expiring.html", context)


def consents_running_out(user) -> dict | None:
    """For the desk's home: the live articles that leave the site when a story's consent ends within the
    notice period, unless it is renewed (the privacy officer's home has her renewal queue)."""
    if not access.may(user, "view", access.ARTICLE):
        return None
    today = timezone.localdate()
    ending = consents.expiring(today, days=settings.NEWSDESK_REVIEW_NOTICE_DAYS)
    ends_on = {}
    for consent in ending:
        ends_on.setdefault(consent.case_id, consent.expires_on)
    if not ends_on:
        return None
    offline = {}  # each live article telling such a story: the first day it would go
    for pk, title, case in Article.objects.filter(status=Status.PUBLISHED, cases__in=ends_on).values_list(
        "pk", "title", "cases"
    ):
        day = min(ends_on[case], offline.get(pk, (None, ends_on[case]))[1])
        offline[pk] = (title, day)
    items = [
        {
            "url": reverse("admin:articles_article_change", args=[pk]),
            "text": _("“%(title)s” leaves the site on %(day)s unless the consent is renewed")
            % {"title": title, "day": date_format(day)},
        }
        for pk, (title, day) in sorted(offline.items(), key=lambda item: item[1][1])[:8]
    ]
    if not items:
        return None
    return {
        "heading": ngettext(
            "%(n)d story's consent ends within %(days)d days",
            "%(n)d stories' consents end within %(days)d days",
            len(ends_on),
        )
        % {"n": len(ends_on), "days": settings.NEWSDESK_REVIEW_NOTICE_DAYS},
        "items": items,
    }


def articles_waiting_for(user) -> Q:
    """The articles in the privacy officer's queue: in review or live with findings nobody has decided."""
    if not holds(user, DECIDE_PERMISSION):
        return Q(pk__in=[])
    return Q(privacy_scan__undecided__gt=0, status__in=[Status.IN_REVIEW, Status.PUBLISHED])


def privacy_queue(user) -> dict:
    """The privacy officer's home: every story and article waiting for her, with counts."""
    if not holds(user, DECIDE_PERMISSION):
        return {}
    stories = Case.objects.filter(privacy_status=PrivacyStatus.PENDING).order_by("-updated_at")
    articles = (
        Article.objects.filter(articles_waiting_for(user))
        .select_related("privacy_scan")
        .order_by("-updated_at")
    )
    expiring = consents.expiring()
    return {
        "stories": stories[:8],
        "story_count": stories.count(),
        "articles": articles[:8],
        "article_count": articles.count(),
        "drafts_with_findings": PrivacyScan.objects.filter(
            undecided__gt=0, article__status=Status.DRAFT
        ).count(),
        "expiring": expiring[:5],
        "expiring_count": expiring.count(),
    }


def article_privacy_panel(article, user) -> str:
    """The article form's privacy panel: the findings highlighted in place and their decisions, for the
    writer and the editor before they submit, and a link to the privacy review."""
    rows = _rows(article, user)
    highlighted = _highlighted(article, rows, flagged_only=True)
    return render_to_string(
        "admin/cases/article_privacy_panel.html",
        {
            "rows": rows,
            "undecided": sum(r["decision"] is None for r in rows),
            "highlighted": highlighted,
            "review_url": review_url(article),
            "may_decide": holds(user, DECIDE_PERMISSION),
        },
    )

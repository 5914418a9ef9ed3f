from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.static import serve

from articles.addresses import with_public_addresses
from articles.cache import public_page
from articles.desk import autosave, my_page, presence
from articles.public.sitemaps import ArticleSitemap, NewsroomPageSitemap, PageSitemap, TagSitemap
from cases.sitemaps import CaseSitemap
from newsdesk import accounts, guide, second_factor
from newsdesk.views import healthz

admin.site.site_header = "Newsdesk"
admin.site.site_title = "Newsdesk"
admin.site.index_title = "News desk"

SITEMAPS = {
    "pages": PageSitemap(also=["cases:list"]),
    "articles": ArticleSitemap,
    "topics": TagSitemap,
    "stories": CaseSitemap,
    "about": NewsroomPageSitemap,
}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/guide/", guide.guide, name="guide_index"),
    path("admin/guide/img/<str:name>", guide.guide_image, name="guide_image"),
    path("admin/guide/<slug:page>/", guide.guide, name="guide"),
    # Password reset for the desk: Django's admin shows the "Forgotten your password?" link once a URL is
    # named admin_password_reset.
    path("admin/password_reset/", accounts.PasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="admin_password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url="/admin/reset/done/"),
        name="password_reset_confirm",
    ),
    path("admin/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/keep-alive/", accounts.keep_alive, name="admin_keep_alive"),
    path("admin/form-draft/", admin.site.admin_view(autosave.form_draft), name="admin_form_draft"),
    path("admin/presence/", admin.site.admin_view(presence.presence), name="admin_presence"),
    path("admin/my-page/", admin.site.admin_view(my_page.my_page), name="admin_my_page"),
    path("admin/second-factor/", second_factor.verify, name="second_factor"),
    path("admin/second-factor/set-up/", second_factor.set_up, name="second_factor_set_up"),
    path(
        "admin/second-factor/recovery-codes/",
        second_factor.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        public_page(with_public_addresses(sitemaps.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(with_public_addresses(sitemaps.sitemap)),
        {"sitemaps": SITEMAPS, "template_name": "sitemap_section.xml"},
        name="sitemap-section",
    ),
    path("stories/", include("cases.urls")),
    path("", include("articles.urls")),
]

if settings.NEWSDESK_BENCH:  # make bench only: the bounds the public pages are measured against
    from django.http import HttpResponse
    from django.shortcuts import get_object_or_404
    from django.template import engines

    from articles.models import Article

    def floor(request, size):
        """A trivial page through the same middleware."""
        return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")

    BARE_ARTICLE = engines["jinja2"].from_string(
        '{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}{% block content %}'
        "<article><h1>{{ article.title }}</h1><p>{{ article.standfirst }}</p>"
        '<p class="meta">By {{ article.byline }}, {{ article.published_at|date }}</p>'
        "<div>{{ article.body|safe }}</div></article>{% endblock %}"
    )

    def bare_article(request, slug):
        """The bare Django detail page: the article by one query, its headline and body in the site's
        base template, and nothing else the article page shows (tags, review, related news, stories)."""
        article = get_object_or_404(Article.objects.public(), slug=slug)
        return HttpResponse(BARE_ARTICLE.render({"article": article}, request))

    urlpatterns[:0] = [
        path("__bench/floor/<int:size>/", floor),
        path("__bench/bare/<slug:slug>/", bare_article),
    ]

if settings.DEBUG:
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )

"""The URLs of `wagtail start`'s template (less its search view): admin, documents, then Wagtail's pages."""

from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Anything else is a page in Wagtail's tree: /news/ and /news/<slug>/.
    path("", include(wagtail_urls)),
]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

admin.site.site_header = "Newsdesk"
admin.site.site_title = "Newsdesk"
admin.site.index_title = "News desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("stories/", include("cases.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )

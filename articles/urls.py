from django.urls import path

from articles import views
from articles.models import DiseaseTag, TherapyTag

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("news/preview/<int:pk>/", views.staff_preview, name="preview"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("diseases/<slug:slug>/", views.TagArticleListView.as_view(vocabulary=DiseaseTag), name="disease"),
    path("therapies/<slug:slug>/", views.TagArticleListView.as_view(vocabulary=TherapyTag), name="therapy"),
]

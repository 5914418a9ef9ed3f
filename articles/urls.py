from django.urls import path

from articles.cache import public_page
from articles.models import DiseaseTag, TherapyTag
from articles.public import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArticleListView.as_view(), name="list"),
    path("news/preview/<int:pk>/", views.staff_preview, name="preview"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("diseases/", views.VocabularyIndexView.as_view(vocabulary=DiseaseTag), name="diseases"),
    path("diseases/<slug:slug>/", views.TagArticleListView.as_view(vocabulary=DiseaseTag), name="disease"),
    path("diseases/<slug:slug>/rss/", public_page(feeds.DiseaseFeed()), name="disease_rss"),
    path("diseases/<slug:slug>/atom/", public_page(feeds.DiseaseAtomFeed()), name="disease_atom"),
    path("therapies/", views.VocabularyIndexView.as_view(vocabulary=TherapyTag), name="therapies"),
    path("therapies/<slug:slug>/", views.TagArticleListView.as_view(vocabulary=TherapyTag), name="therapy"),
    path("therapies/<slug:slug>/rss/", public_page(feeds.TherapyFeed()), name="therapy_rss"),
    path("therapies/<slug:slug>/atom/", public_page(feeds.TherapyAtomFeed()), name="therapy_atom"),
    path("feeds/rss/", public_page(feeds.LatestArticlesFeed()), name="rss"),
    path("feeds/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="atom"),
    path("feeds/<str:language>/rss/", public_page(feeds.LanguageFeed()), name="language_rss"),
    path("feeds/<str:language>/atom/", public_page(feeds.LanguageAtomFeed()), name="language_atom"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("<slug:slug>/", views.PageView.as_view(), name="page"),  # last: the newsroom's own pages
]

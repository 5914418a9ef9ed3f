from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles import access, signals  # noqa: F401  (access registers the object permissions)

        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(using="default", **_ignored):
    from articles.public.search import ensure_sqlite_index

    ensure_sqlite_index(using)

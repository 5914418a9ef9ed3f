"""A GIN index for full-text search on PostgreSQL. Other databases search without it (see articles.public.search)."""

from django.db import migrations

INDEX_NAME = "article_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from articles.public.search import search_vector

    schema_editor.add_index(apps.get_model("articles", "Article"), GinIndex(search_vector(), name=INDEX_NAME))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_hero_image_checks")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

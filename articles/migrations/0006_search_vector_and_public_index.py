"""Search and visibility that stay fast as the desk grows.

- `article_public` covers every column `Article.objects.public()` reads (status, publication and expiry
  times), so deciding what readers may see reads the index alone, never the long rows; `article_expiry`
  finds the next expiry for the page cache.
- On PostgreSQL, `search_vector` stores each article's weighted full-text document. A trigger fills it on
  every INSERT and UPDATE, whatever wrote the row (the admin, imports, bulk_create, queryset.update), and
  the GIN index moves from the expression (re-parsed for every ranked row) to the stored column.
  Other databases keep the column empty and search without it (see articles.public.search).
"""

import django.contrib.postgres.search
from django.db import migrations, models

OLD_INDEX = "article_search"
INDEX = "article_search_vector"

# The same document as articles.public.search.search_vector(): headline A, standfirst B, body C, English stems.
DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, coalesce({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}standfirst, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}body, '')), 'C')
"""

FORWARD = f"""
DROP INDEX IF EXISTS {OLD_INDEX};
CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := {DOCUMENT.format(row="NEW.")};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, standfirst, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();
UPDATE articles_article SET search_vector = {DOCUMENT.format(row="")};
CREATE INDEX {INDEX} ON articles_article USING gin (search_vector);
"""  # noqa: S608 - built from the constants above, no input

BACKWARD = f"""
DROP INDEX IF EXISTS {INDEX};
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BACKWARD)
    from django.contrib.postgres.indexes import GinIndex

    from articles.public.search import search_vector

    schema_editor.add_index(apps.get_model("articles", "Article"), GinIndex(search_vector(), name=OLD_INDEX))


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_newsroom")]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_visibility"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "published_at", "expires_at"], name="article_public"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "expires_at"], name="article_expiry"),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]

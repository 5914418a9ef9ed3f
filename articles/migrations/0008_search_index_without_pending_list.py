"""Keep the full-text index whole: no GIN pending list.

With `fastupdate` on (PostgreSQL's default), new rows wait in an unsorted pending list until a vacuum
merges them. Every search must scan that list, and the planner, counting its pages, stops choosing the
index at all once it grows: after a large import it read the whole table instead. A news desk writes a
few rows an hour and searches all day, so each write pays to update the index in place.
"""

from django.db import migrations

INDEX = "article_search_vector"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_vocabulary_code_systems")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

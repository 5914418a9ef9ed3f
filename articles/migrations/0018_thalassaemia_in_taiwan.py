"""Thalassaemia as Taiwan writes it, 地中海型貧血 (read as simplified before matching)."""

from django.db import migrations

from articles.migrations._synonyms import synonym_operations

SYNONYMS = {"diseases": {"Thalassemia": ["地中海型贫血"]}}


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_vasculitis_and_gene_editing_names")]
    operations = [migrations.RunPython(*synonym_operations(SYNONYMS))]

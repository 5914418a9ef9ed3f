"""Supportive care (transfusions, antibiotics, growth factors beside a cancer's treatment) is not palliative
care: an explainer listing a blood cancer's supportive care was tagged as one about end-of-life care."""

from django.db import migrations

from articles.migrations._synonyms import synonym_operations

SYNONYMS = {"therapies": {"Palliative care": ["supportive care"]}}
add, remove = synonym_operations(SYNONYMS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_thalassaemia_in_taiwan")]
    operations = [migrations.RunPython(remove, add)]

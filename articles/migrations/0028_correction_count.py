from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_corrections(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Correction = apps.get_model("articles", "Correction")
    counted = (
        Correction.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
    )
    Article.objects.filter(corrections__isnull=False).update(
        correction_count=Coalesce(Subquery(counted.values("n")), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0027_published_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="correction_count",
            field=models.PositiveIntegerField(
                db_default=models.Value(0),
                null=True,
                editable=False,
                help_text="How many corrections and updates readers see: counted as each is added, so that a page without any asks for none.",
                verbose_name="public notes",
            ),
        ),
        migrations.RunPython(count_corrections, migrations.RunPython.noop),
    ]

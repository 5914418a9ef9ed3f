"""Names found on the twelfth fresh batch after it was scored: hydroxychloroquine and myelodysplastic
syndromes as Taiwan writes them (羥氯奎寧, 骨髓化生不良症候群; read as simplified before matching), and
the CD38 and SLAMF7 antibodies a myeloma story names."""

from django.db import migrations

from articles.migrations._synonyms import synonym_operations

SYNONYMS = {
    "diseases": {"Myelodysplastic syndromes": ["骨髓化生不良症候群"]},
    "therapies": {
        "Hydroxychloroquine": ["羟氯奎宁"],
        "Monoclonal antibody therapy": ["daratumumab", "isatuximab", "elotuzumab"],
    },
}


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_scheduled_articles_wait_for_their_go_live")]
    operations = [migrations.RunPython(*synonym_operations(SYNONYMS))]

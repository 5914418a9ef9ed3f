"""The names writers give vasculitis by its kind (granulomatosis with polyangiitis, ANCA vasculitis) and gene
therapy by its technique in English (gene editing), as the Chinese already had (基因编辑)."""

from django.db import migrations

from articles.migrations._synonyms import synonym_operations

SYNONYMS = {
    "diseases": {
        "Vasculitis": [
            "granulomatosis with polyangiitis",
            "microscopic polyangiitis",
            "ANCA vasculitis",
            "ANCA-associated vasculitis",
            "肉芽肿性多血管炎",
            "显微镜下多血管炎",
            "ANCA相关性血管炎",
        ],
    },
    "therapies": {
        "Gene therapy": ["gene editing", "gene-editing", "gene-edited", "base editing"],
    },
}


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_more_drug_and_regional_names")]
    operations = [migrations.RunPython(*synonym_operations(SYNONYMS))]

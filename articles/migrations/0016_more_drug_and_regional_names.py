"""More of the names writers give the desk's terms: Taiwan's 硬皮症 and 标靶 (traditional text is folded to
simplified before matching), the drugs a lupus or transplant story names (mycophenolate and ciclosporin in
Chinese, ATG), and "blood and marrow transplant", as British trusts call their units."""

from django.db import migrations

from articles.migrations._synonyms import synonym_operations

SYNONYMS = {
    "diseases": {
        "Systemic sclerosis": ["硬皮症", "全身性硬化症"],
    },
    "therapies": {
        "Targeted therapy": ["标靶治疗", "标靶药物", "标靶药"],
        "Immunosuppressive therapy": [
            "ciclosporin",
            "cyclosporine",
            "antithymocyte globulin",
            "吗替麦考酚酯",
            "霉酚酸酯",
            "霉酚酸",
            "他克莫司",
            "环孢素",
            "硫唑嘌呤",
            "抗胸腺细胞球蛋白",
        ],
        "Monoclonal antibody therapy": ["贝利尤单抗"],
        "Hematopoietic stem cell transplantation": [
            "blood and marrow transplant",
            "blood and marrow transplantation",
            "marrow transplant",
        ],
    },
}


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_taiwan_hong_kong_synonyms")]
    operations = [migrations.RunPython(*synonym_operations(SYNONYMS))]

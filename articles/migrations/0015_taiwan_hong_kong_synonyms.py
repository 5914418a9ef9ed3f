"""The names Taiwan and Hong Kong give the commonest blood cancers and treatments, in simplified characters
(traditional text is folded before matching): 急性淋巴性白血病 where the mainland writes 急性淋巴细胞白血病; and
therapies by the drug or technique writers name (泼尼松, 碱基编辑, 利妥昔单抗, ibrutinib, PD-1抑制剂)."""

from django.db import migrations

from articles.migrations._synonyms import synonym_operations

SYNONYMS = {
    "diseases": {
        "Acute lymphoblastic leukemia": ["急性淋巴性白血病", "急性淋巴母细胞白血病"],
        "B-cell acute lymphoblastic leukemia": ["B细胞急性淋巴性白血病", "B型急性淋巴性白血病"],
        "Acute myeloid leukemia": ["急性骨髓性白血病"],
        "Chronic myeloid leukemia": ["慢性骨髓性白血病"],
        "Chronic lymphocytic leukemia": ["慢性淋巴性白血病"],
        "Hodgkin lymphoma": ["何杰金氏淋巴瘤", "霍奇金氏淋巴瘤"],
        "Non-Hodgkin lymphoma": ["非何杰金氏淋巴瘤", "非霍奇金氏淋巴瘤"],
        "Systemic lupus erythematosus": ["全身性红斑狼疮", "全身性红斑性狼疮"],
        "Thalassemia": ["海洋性贫血"],
    },
    "therapies": {
        "Hematopoietic stem cell transplantation": ["造血干细胞移殖", "骨髓移殖"],
        "Monoclonal antibody therapy": ["单株抗体", "利妥昔单抗", "达雷妥尤单抗"],
        # and what mainland writers call them by the drug or the technique
        "Glucocorticoid therapy": ["泼尼松", "强的松", "甲泼尼龙", "地塞米松", "大剂量激素", "激素冲击", "类固醇"],
        "Gene therapy": ["基因编辑", "碱基编辑"],
        "Targeted therapy": ["ibrutinib", "ruxolitinib", "imatinib", "伊布替尼", "芦可替尼", "伊马替尼"],
        "Immune checkpoint inhibitors": ["PD-1抑制剂", "PD-1单抗", "免疫检查点抑制剂"],
    },
}


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_source_document")]
    operations = [migrations.RunPython(*synonym_operations(SYNONYMS))]

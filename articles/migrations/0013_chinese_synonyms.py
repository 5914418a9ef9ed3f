"""Every disease and therapy gains its standard Simplified Chinese names and common synonyms, so Chinese
documents are tagged (traditional text is folded to simplified before matching)."""

from django.db import migrations

CHINESE_SYNONYMS = {
    "diseases": {
        "Leukemia": ["白血病", "血癌"],
        "Lymphoma": ["淋巴瘤"],
        "Multiple myeloma": ["多发性骨髓瘤", "骨髓瘤"],
        "Myelodysplastic syndromes": ["骨髓增生异常综合征", "骨髓增生异常综合症"],
        "Myelofibrosis": ["骨髓纤维化"],
        "Aplastic anemia": ["再生障碍性贫血", "重型再障", "再障"],
        "Sickle cell disease": ["镰状细胞病", "镰刀型细胞贫血", "镰状细胞贫血"],
        "Thalassemia": ["地中海贫血", "地贫"],
        "Hemophilia": ["血友病"],
        "Immune thrombocytopenia": ["免疫性血小板减少症", "特发性血小板减少性紫癜"],
        "Breast cancer": ["乳腺癌"],
        "Lung cancer": ["肺癌"],
        "Colorectal cancer": ["结直肠癌", "结肠癌", "直肠癌"],
        "Prostate cancer": ["前列腺癌"],
        "Melanoma": ["黑色素瘤"],
        "Glioblastoma": ["胶质母细胞瘤"],
        "Neuroblastoma": ["神经母细胞瘤"],
        "Systemic lupus erythematosus": ["系统性红斑狼疮", "红斑狼疮", "红斑性狼疮", "狼疮"],
        "Rheumatoid arthritis": ["类风湿关节炎", "类风湿性关节炎"],
        "Systemic sclerosis": ["系统性硬化症", "系统性硬化", "硬皮病"],
        "Myositis": ["肌炎", "皮肌炎", "多发性肌炎"],
        "Sjögren's disease": ["干燥综合征"],
        "Vasculitis": ["血管炎"],
        "Ankylosing spondylitis": ["强直性脊柱炎"],
        "Psoriatic arthritis": ["银屑病关节炎"],
        "Gout": ["痛风"],
        "Multiple sclerosis": ["多发性硬化"],
        "Myasthenia gravis": ["重症肌无力"],
        "Pulmonary fibrosis": ["肺纤维化"],
        "Pulmonary hypertension": ["肺动脉高压"],
        "Hepatitis B": ["乙型肝炎", "乙肝"],
        "Measles": ["麻疹"],
        "Mumps": ["流行性腮腺炎", "腮腺炎"],
        "Rubella": ["风疹"],
        "Diphtheria": ["白喉"],
        "Tetanus": ["破伤风"],
        "Acute lymphoblastic leukemia": ["急性淋巴细胞白血病", "急性淋巴细胞性白血病", "急淋"],
        "B-cell acute lymphoblastic leukemia": ["B细胞急性淋巴细胞白血病", "急性B淋巴细胞白血病"],
        "Acute myeloid leukemia": [
            "急性髓系白血病",
            "急性髓细胞白血病",
            "急性髓性白血病",
            "急性髓细胞性白血病",
            "急髓",
        ],
        "Chronic lymphocytic leukemia": ["慢性淋巴细胞白血病"],
        "Chronic myeloid leukemia": ["慢性髓系白血病", "慢性粒细胞白血病", "慢性髓细胞白血病", "慢粒"],
        "Hodgkin lymphoma": ["霍奇金淋巴瘤"],
        "Non-Hodgkin lymphoma": ["非霍奇金淋巴瘤"],
        "Diffuse large B-cell lymphoma": ["弥漫大B细胞淋巴瘤", "弥漫性大B细胞淋巴瘤"],
        "Follicular lymphoma": ["滤泡性淋巴瘤"],
        "Mantle cell lymphoma": ["套细胞淋巴瘤"],
        "Lupus nephritis": ["狼疮性肾炎", "狼疮肾炎"],
    },
    "therapies": {
        "Immunotherapy": ["免疫治疗", "免疫疗法"],
        "Chemotherapy": ["化疗", "化学治疗"],
        "Radiation therapy": ["放疗", "放射治疗"],
        "Hematopoietic stem cell transplantation": ["造血干细胞移植", "骨髓移植", "干细胞移植", "半相合移植"],
        "Targeted therapy": ["靶向治疗", "靶向药"],
        "Gene therapy": ["基因治疗", "基因疗法"],
        "Glucocorticoid therapy": ["糖皮质激素", "激素治疗"],
        "Immunosuppressive therapy": ["免疫抑制治疗", "免疫抑制剂"],
        "Hydroxychloroquine": ["羟氯喹"],
        "Disease-modifying antirheumatic drugs": ["改善病情抗风湿药"],
        "Biologic therapy": ["生物制剂"],
        "Plasma exchange": ["血浆置换"],
        "Blood transfusion": ["输血"],
        "Cancer surgery": ["肿瘤切除术"],
        "Hormone therapy": ["内分泌治疗"],
        "Vaccination": ["疫苗接种", "接种疫苗"],
        "Dialysis": ["血液透析", "透析"],
        "Antiviral therapy": ["抗病毒治疗"],
        "Palliative care": ["安宁疗护", "姑息治疗", "临终关怀"],
        "CAR-T cell therapy": [
            "CAR-T细胞疗法",
            "CAR-T细胞治疗",
            "CAR-T治疗",
            "CAR-T疗法",
            "嵌合抗原受体T细胞",
        ],
        "Monoclonal antibody therapy": ["单克隆抗体"],
        "Bispecific antibody therapy": ["双特异性抗体", "双抗"],
        "Immune checkpoint inhibitors": ["免疫检查点抑制剂"],
        "Tyrosine kinase inhibitors": ["酪氨酸激酶抑制剂"],
    },
}

MODELS = {"diseases": "DiseaseTag", "therapies": "TherapyTag"}


def add(apps, schema_editor):
    for kind, names in CHINESE_SYNONYMS.items():
        model = apps.get_model("articles", MODELS[kind])
        for term in model.objects.filter(name__in=names):
            term.synonyms = [*term.synonyms, *(s for s in names[term.name] if s not in term.synonyms)]
            term.save(update_fields=["synonyms"])


def remove(apps, schema_editor):
    for kind, names in CHINESE_SYNONYMS.items():
        model = apps.get_model("articles", MODELS[kind])
        for term in model.objects.filter(name__in=names):
            term.synonyms = [s for s in term.synonyms if s not in names[term.name]]
            term.save(update_fields=["synonyms"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_import_jobs")]
    operations = [migrations.RunPython(add, remove)]

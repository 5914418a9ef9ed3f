"""What the synonym migrations share: add a term's synonyms, or take them away again. The migration loader
skips modules whose name starts with an underscore, so this is no migration itself."""

MODELS = {"diseases": "DiseaseTag", "therapies": "TherapyTag"}


def synonym_operations(synonyms: dict[str, dict[str, list[str]]]):
    """(add, remove) for RunPython: `synonyms` by kind, then by the term's name."""

    def add(apps, schema_editor):
        for kind, names in synonyms.items():
            for term in apps.get_model("articles", MODELS[kind]).objects.filter(name__in=names):
                term.synonyms = [*term.synonyms, *(s for s in names[term.name] if s not in term.synonyms)]
                term.save(update_fields=["synonyms"])

    def remove(apps, schema_editor):
        for kind, names in synonyms.items():
            for term in apps.get_model("articles", MODELS[kind]).objects.filter(name__in=names):
                term.synonyms = [s for s in term.synonyms if s not in names[term.name]]
                term.save(update_fields=["synonyms"])

    return add, remove

"""The parts of make bench measured inside Django: the admin, the imports and search at scale.

Each measurement runs in its own process against its own database, and prints JSON; bench/run.py
collects them. Figures are ratios between runs made side by side, never bare times.
"""

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    django.setup()


def spawn(task, database, *extra):
    env = dict(os.environ, DATABASE_URL=database, CACHE_URL="dummycache://")
    out = subprocess.run(
        [sys.executable, __file__, task, *extra], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"{task} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh(articles=0, cases=0):
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("setup_roles", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("loaddata", "vocabulary", verbosity=0)
    if articles:
        call_command("seed_bench", articles=articles, cases=cases, stdout=open(os.devnull, "w"))  # noqa: SIM115


def timed(fn, repeat):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# Searches tried for the filtered changelist: the admin's search box needs every word to match.
MORE_WORDS = ["lasting", "trial", "immune", "careful", "modern", "weeks"]
SEARCHES = [
    "remission",
    *(f"remission {a}" for a in MORE_WORDS),
    *(f"remission {a} {b}" for i, a in enumerate(MORE_WORDS) for b in MORE_WORDS[i + 1 :]),
]


def filtered_changelist(target_rows=None):
    """The changelist with a status filter, a disease filter and a search.

    On the small desk: "remission" and the disease with the most published matches. On the large desk:
    the search (from SEARCHES) and disease whose result is closest to `target_rows`, so that both
    sizes show as many rows and the comparison measures how filtering and searching grow with the
    table, not how many rows are drawn.
    """
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count
    from django.test import RequestFactory

    from articles.models import Article, ArticleDisease

    article_admin = admin.site.get_model_admin(Article)
    request = RequestFactory().get("/admin/articles/article/")
    request.user = AnonymousUser()
    found = []  # (rows, words, disease pk, search)
    for search in SEARCHES if target_rows is not None else SEARCHES[:1]:
        # The changelist's own matching rule for its search box, counted per disease in one query.
        matching, _ = article_admin.get_search_results(
            request, Article.objects.filter(status="published"), search
        )
        counts = (
            ArticleDisease.objects.filter(content_object__in=matching.values("pk"))
            .values_list("tag")
            .annotate(n=Count("content_object", distinct=True))
        )
        found += [(n, len(search.split()), pk, search) for pk, n in counts]
    if target_rows is None:
        _, _, pk, search = max(found, key=lambda row: (row[0], -row[2]))
    else:
        _, _, pk, search = min(found, key=lambda row: (abs(row[0] - target_rows), row[1], row[2]))
    query = urlencode({"status__exact": "published", "q": search, "diseases__id__exact": pk})
    return f"/admin/articles/article/?{query}"


def task_admin(articles, target_rows="", seeded=""):
    """Time the changelist and change form on a desk of `articles`, seeding it first unless `seeded`."""
    setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    if seeded:
        admin = get_user_model().objects.get(username="bench-admin")
    else:
        fresh(int(articles), int(articles) // 5)
        admin = get_user_model().objects.create_superuser("bench-admin", "a@bench.test", "x")
    client = Client()
    client.force_login(admin)
    changelist = filtered_changelist(int(target_rows) if target_rows else None)
    same_filter = "/admin/articles/article/?status__exact=published&q=remission&diseases__id__exact=1"
    full_page = "/admin/articles/article/"  # a full page of rows at both sizes: like for like
    change = f"/admin/articles/article/{Article.objects.order_by('pk').first().pk}/change/"
    rows = {}
    for url in (changelist, same_filter, full_page, change):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        rows[url] = response.content.count(b'name="_selected_action"')  # one checkbox per row shown

    def queries(url):
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            client.get(url)
        return count[0]

    return {
        "changelist_p50": timed(lambda: client.get(changelist), 15),
        "changelist_rows": rows[changelist],
        "same_filter_p50": timed(lambda: client.get(same_filter), 15),
        "same_filter_rows": rows[same_filter],
        "full_page_p50": timed(lambda: client.get(full_page), 9),
        "full_page_rows": rows[full_page],
        "change_form_p50": timed(lambda: client.get(change), 15),
        "changelist_queries": queries(changelist),
        "change_form_queries": queries(change),
    }


def generated_documents(folder: Path, count: int):
    from cases.management.commands.seed_bench import body, sentence

    rng = random.Random(3)
    diseases = ["multiple myeloma", "lupus", "rheumatoid arthritis", "acute myeloid leukemia", "lymphoma"]
    therapies = ["CAR-T cell therapy", "stem cell transplant", "chemotherapy", "biologic therapy"]
    for n in range(count):
        paragraphs = [sentence(rng) for _ in range(3)]
        if n % 3 == 0:
            paragraphs.insert(0, f"A {rng.randint(20, 95)}-year-old woman with {rng.choice(diseases)} received "
                                 f"{rng.choice(therapies)} in 2021. She is in remission, and she walks daily.")  # fmt: skip
        text = (
            f"Share on Facebook\nNews about {rng.choice(diseases)} and {rng.choice(therapies)} number {n}\n\n"
            + "\n\n".join(paragraphs)
            + "\n\n"
            + body(rng, 500)
            .replace("<p>", "")
            .replace("</p>", "\n\n")
            .replace("<h2>", "")
            .replace("</h2>", "\n")
            + "\nAdvertisement\nRelated articles\nAnother headline\n"
        )
        if n % 3 == 2:  # a third in Chinese, as the desk receives them: GB18030 text and UTF-8 pages
            text = chinese_document(rng, n)
            if n % 2:
                (folder / f"doc-{n:05d}.txt").write_bytes(text.encode("gb18030"))
            else:
                page = "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
                (folder / f"doc-{n:05d}.html").write_text(
                    f"<html><body>{page}</body></html>", encoding="utf-8"
                )
            continue
        (folder / f"doc-{n:05d}.txt").write_text(text, encoding="utf-8")


ZH_DISEASES = ["多发性骨髓瘤", "系统性红斑狼疮", "类风湿关节炎", "急性髓系白血病", "弥漫大B细胞淋巴瘤"]
ZH_THERAPIES = ["CAR-T细胞治疗", "造血干细胞移植", "化疗", "生物制剂"]
ZH_SENTENCES = [
    "研究团队对入组患者进行了为期两年的随访，评估疗效和安全性。",
    "专家提醒，治疗方案需要由专业团队全面评估后制定。",
    "医院近年来不断完善多学科协作机制，为患者提供规范化诊疗。",
    "治疗期间，护理团队密切监测患者的体温、血压和各项指标。",
    "该疗法目前仍在临床研究阶段，并非所有患者都适合。",
]


def chinese_document(rng, n: int) -> str:
    disease, therapy = rng.choice(ZH_DISEASES), rng.choice(ZH_THERAPIES)
    lines = ["分享到：微信 微博", f"我院{therapy}治疗{disease}取得新进展（第{n}期）", "记者 周晓 通讯员 陈立"]
    if n % 4 == 0:
        lines.append(
            f"今年{rng.randint(20, 80)}岁的刘女士确诊{disease}后接受了{therapy}，目前她病情缓解，已经出院。"
        )
    lines += ["".join(rng.choice(ZH_SENTENCES) for _ in range(4)) for _ in range(6)]
    return "\n".join([*lines, "相关新闻", "冬季如何预防感染？", "版权声明：未经授权不得转载。"])


def task_documents(count):
    setup()
    from django.core.management import call_command

    from articles.intake.documents import parse_document

    fresh()
    count = int(count)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generated_documents(folder, count)
        started = time.perf_counter()
        for path in sorted(folder.iterdir()):
            parse_document(path.read_bytes(), path.name)
        parse_only = time.perf_counter() - started
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("import_documents", str(folder), stdout=quiet, stderr=quiet)
        elapsed = time.perf_counter() - started
    return {
        "count": count,
        "chinese": sum(1 for n in range(count) if n % 3 == 2),
        "per_second": round(count / elapsed, 1),
        "parse_per_second": round(count / parse_only, 1),
        "vs_parse_only": round(elapsed / parse_only, 1),
    }


def task_spreadsheet(rows):
    setup()
    import tablib
    from django.db import transaction

    from articles.intake.resources import ArticleResource
    from articles.models import Article, ArticleDisease, ArticleTherapy, DiseaseTag, TherapyTag
    from articles.richtext import sanitize_html
    from cases.management.commands.seed_bench import body, sentence

    fresh()
    rows = int(rows)
    rng = random.Random(5)
    diseases = list(DiseaseTag.objects.values_list("name", flat=True))
    therapies = list(TherapyTag.objects.values_list("name", flat=True))
    data = [
        (f"bench-row-{n}", f"Row {n}: {sentence(rng)[:120]}", sentence(rng), body(rng, 300),
         "; ".join(rng.sample(diseases, 2)), "; ".join(rng.sample(therapies, 2)))
        for n in range(rows)
    ]  # fmt: skip
    dataset = tablib.Dataset(*data, headers=["slug", "title", "standfirst", "body", "diseases", "therapies"])
    started = time.perf_counter()
    result = ArticleResource().import_data(dataset)
    imported = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    links = ArticleDisease.objects.count() + ArticleTherapy.objects.count()
    assert links == rows * 4, links  # not one tag link lost
    Article.objects.all().delete()
    d_ids = dict(DiseaseTag.objects.values_list("name", "pk"))
    t_ids = dict(TherapyTag.objects.values_list("name", "pk"))
    started = time.perf_counter()
    with transaction.atomic():
        made = Article.objects.bulk_create(
            [Article(slug=s, title=t, standfirst=f, body=sanitize_html(b)) for s, t, f, b, _, _ in data],
            batch_size=1000,
        )
        ArticleDisease.objects.bulk_create(
            [ArticleDisease(content_object=a, tag_id=d_ids[n]) for a, row in zip(made, data, strict=True)
             for n in row[4].split("; ")], batch_size=5000,
        )  # fmt: skip
        ArticleTherapy.objects.bulk_create(
            [ArticleTherapy(content_object=a, tag_id=t_ids[n]) for a, row in zip(made, data, strict=True)
             for n in row[5].split("; ")], batch_size=5000,
        )  # fmt: skip
    bound = time.perf_counter() - started
    return {
        "rows": rows,
        "import_to_bulk_create": round(imported / bound, 2),
        "rows_per_second": round(rows / imported),
    }


def task_search(articles):
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    have = Article.objects.count() if _migrated() else 0
    if not have:
        fresh()
    started = time.perf_counter()
    if have < int(articles):
        call_command("seed_bench", articles=int(articles) - have, cases=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seeded = time.perf_counter() - started
    client = Client()
    plan = rare_plan = ""
    if connection.vendor == "postgresql":
        from django.test.utils import CaptureQueriesContext

        from articles.public.search import search

        with CaptureQueriesContext(connection) as rare:
            list(search("treatment 91234").articles)  # a word in one article: the GIN index answers
        with CaptureQueriesContext(connection) as captured:
            list(search("remission lasting").articles)  # words in every synthetic article
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
            for sql in [q["sql"] for q in captured.captured_queries if '"articles_article"' in q["sql"]]:
                cursor.execute("EXPLAIN " + sql)
                found = "\n".join(row[0] for row in cursor.fetchall())
                plan += re.sub(r"\{([0-9,]{40})[0-9,]*\}", r"{\1...}", found) + "\n\n"  # 1,000 ids, shortened
            cursor.execute("EXPLAIN " + next(q["sql"] for q in rare.captured_queries if "@@" in q["sql"]))
            rare_plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "p50": timed(lambda: client.get("/search/?q=remission+lasting"), 15),
        "articles": Article.objects.count(),
        "seed_seconds": round(seeded, 1),
        "plan": plan,
        "rare_plan": rare_plan,
    }


def _migrated():
    from django.db import connection

    return "articles_article" in connection.introspection.table_names()


def main():
    if len(sys.argv) > 1 and sys.argv[1] in TASKS:
        print(json.dumps(TASKS[sys.argv[1]](*sys.argv[2:])))
        return
    smoke = "--smoke" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        small_desk, large_desk = (
            f"sqlite:///{tmp}/admin-small.sqlite3",
            f"sqlite:///{tmp}/admin-large.sqlite3",
        )
        small = [spawn("admin", small_desk, "100")]
        target = str(small[0]["changelist_rows"])
        large = [spawn("admin", large_desk, "300" if smoke else "10000", target)]
        for _ in range(0 if smoke else 2):  # two more rounds on the same desks, interleaved like the pages
            small.append(spawn("admin", small_desk, "100", "", "seeded"))
            large.append(spawn("admin", large_desk, "10000", target, "seeded"))
        documents = spawn("documents", f"sqlite:///{tmp}/documents.sqlite3", "50" if smoke else "1000")
        spreadsheet = spawn("spreadsheet", f"sqlite:///{tmp}/sheet.sqlite3", "500" if smoke else "10000")

    def ratio(key):  # the median over rounds of (10,000-article desk / 100-article desk), both timed in turn
        return round(
            statistics.median(big[key] / little[key] for little, big in zip(small, large, strict=True)), 2
        )

    first_small, first_large = small[0], large[0]
    results = {
        "admin": {
            "rounds": len(small),
            "changelist_p50_ratio_10k_to_100": ratio("changelist_p50"),
            "changelist_rows": [first_small["changelist_rows"], first_large["changelist_rows"]],
            "same_filter_p50_ratio_10k_to_100": ratio("same_filter_p50"),
            "same_filter_rows": [first_small["same_filter_rows"], first_large["same_filter_rows"]],
            "full_page_p50_ratio_10k_to_100": ratio("full_page_p50"),
            "full_page_rows": [first_small["full_page_rows"], first_large["full_page_rows"]],
            "change_form_p50_ratio_10k_to_100": ratio("change_form_p50"),
            "changelist_queries": [first_small["changelist_queries"], first_large["changelist_queries"]],
            "change_form_queries": [first_small["change_form_queries"], first_large["change_form_queries"]],
        },
        "documents": documents,
        "spreadsheet": spreadsheet,
    }
    if "--scale" in sys.argv:
        database = os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/newsdesk_bench_search"
        )
        name = database.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name], check=False)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        at_10k = spawn("search", database, "10000")
        at_100k = spawn("search", database, "100000")  # adds 90,000 to the same database
        results["search_scale"] = {
            "p50_ratio_100k_to_10k": round(at_100k["p50"] / at_10k["p50"], 2),
            "seed_seconds": [at_10k["seed_seconds"], at_100k["seed_seconds"]],
            "plan_at_100k": at_100k["plan"],
            "seq_scan_at_100k": "Seq Scan on articles_article" in at_100k["plan"],
            "gin_index_at_100k": "article_search_vector" in at_100k["plan"],
            "plan_rare_word_at_100k": at_100k["rare_plan"],
        }
    print(json.dumps(results))


TASKS = {
    "admin": task_admin,
    "documents": task_documents,
    "spreadsheet": task_spreadsheet,
    "search": task_search,
}

if __name__ == "__main__":
    main()

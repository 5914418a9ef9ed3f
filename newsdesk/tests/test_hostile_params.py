"""Hostile URL parameters, Host headers and `next` addresses: never a server error, never an open redirect.

Ordering and filtering come only from allow-lists: public pages ignore parameters they do not know, the
admin refuses lookups outside its list_filter (400) and resets bad orderings. A bad page number is a 404.
"""

import itertools
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from articles.models import DiseaseTag, Status, TherapyTag

KEYS = [
    "page", "p", "o", "order", "sort", "q", "year", "disease", "therapy", "status", "e", "all",
    "author__password__startswith", "diseases__id__exact", "_to_field", "title__regex",
]  # fmt: skip
VALUES = [
    "", "-", "abc", "-1", "0", "1.5", "1e309", "99999999999999999999", "9" * 5000, "last",
    "../../etc/passwd", "' OR 1=1--", "\x00", "a\x00b", "<script>alert(1)</script>", "-pk", "password",
    "title__regex", "(a+)+$", "x" * 10_000, "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]  # fmt: skip


@pytest.fixture
def site(make_article, make_case, vocabulary):
    lupus = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    car_t = TherapyTag.objects.get(slug="car-t-cell-therapy")
    articles = [make_article(status=Status.PUBLISHED, diseases=[lupus], therapies=[car_t]) for _ in range(15)]
    case = make_case(articles=[articles[0]])
    public = [
        "/", "/news/", "/stories/", "/search/", "/diseases/", lupus.get_absolute_url(), "/therapies/",
        car_t.get_absolute_url(), case.get_absolute_url(), "/feeds/rss/", "/feeds/atom/",
        f"/diseases/{lupus.slug}/rss/", "/sitemap.xml", "/sitemap-articles.xml", articles[0].get_absolute_url(),
    ]  # fmt: skip
    admin = [
        "/admin/articles/article/", "/admin/cases/case/", "/admin/articles/diseasetag/",
        "/admin/articles/therapytag/", "/admin/auth/user/",
    ]  # fmt: skip
    return {"public": public, "admin": admin}


def requests_for(site, one_key_at_a_time, values):
    """(client kind, path, query) triples: every value under every key at once, or each key alone (one
    parameter's 404 can hide another's error, so the full run sends them apart)."""
    for kind in ("public", "admin"):
        for path, value in itertools.product(site[kind], values):
            if one_key_at_a_time:
                for key in KEYS:
                    yield kind, path, urlencode({key: value})
            else:
                yield kind, path, urlencode(dict.fromkeys(KEYS, value))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "one_key_at_a_time, values",
    [
        pytest.param(False, VALUES[::2], id="all-keys-every-other-value"),
        pytest.param(False, VALUES, id="all-keys", marks=pytest.mark.slow),
        pytest.param(True, VALUES, id="each-key", marks=pytest.mark.slow),
    ],
)
def test_no_parameter_value_causes_a_server_error(client, admin_client, site, one_key_at_a_time, values):
    clients = {"public": client, "admin": admin_client}
    seen, server_errors, statuses = 0, [], set()
    for kind, path, query in requests_for(site, one_key_at_a_time, values):
        response = clients[kind].get(f"{path}?{query}")
        seen += 1
        statuses.add(response.status_code)
        if response.status_code >= 500:
            server_errors.append((path, query[:80]))
    assert server_errors == []
    assert statuses <= {200, 301, 302, 400, 404}, statuses
    assert seen >= (len(site["public"]) + len(site["admin"])) * len(values)


@pytest.mark.django_db
class TestAllowLists:
    def test_public_lists_ignore_ordering_parameters(self, client, site):
        plain = client.get("/news/").content
        for key in ("order", "sort", "o"):
            assert client.get(f"/news/?{key}=-title").content == plain

    @pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "9" * 5000, "1e309"])
    def test_a_page_that_does_not_exist_is_a_404(self, client, site, page):
        assert client.get("/news/", {"page": page}).status_code == 404

    def test_the_last_page_is_reachable_by_name(self, client, site):
        assert client.get("/news/?page=last").status_code == 200

    def test_the_admin_refuses_a_lookup_outside_its_filters(self, admin_client, site):
        response = admin_client.get("/admin/articles/article/?author__password__startswith=a")
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert response["Location"].endswith("?e=1")

    def test_the_admin_resets_an_ordering_it_does_not_offer(self, admin_client, site):
        response = admin_client.get("/admin/articles/article/?o=99")
        assert response.status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/search/?q=a%00b", "/stories/%00/", "/news/?page=%00", "/admin/?q=%00"])
def test_a_nul_character_in_the_address_is_a_bad_request(client, address):
    """PostgreSQL refuses NUL in text; the request stops at 400 before any query is made."""
    assert client.get(address).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost:80@evil.example",
        "a b",
        "[::1",
        "",
        "-",
        "x" * 300,
    ],
)
def test_a_host_outside_allowed_hosts_gets_400(host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 400


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "http:/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://127.0.0.1@evil.example/",
]


def stays_on_site(location: str) -> bool:
    parts = urlsplit(location.strip().replace("\\", "/"))
    return not parts.scheme and not parts.netloc and not location.strip().startswith(("//", "/\\", "\\"))


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_in_never_sends_the_user_off_site(client, admin_user, target):
    admin_user.set_password("pw-for-tests")
    admin_user.save()
    response = client.post(
        f"/admin/login/?{urlencode({'next': target})}",
        {"username": admin_user.username, "password": "pw-for-tests", "next": target},
    )
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_out_never_sends_the_user_off_site(admin_client, target):
    response = admin_client.post(f"/admin/logout/?{urlencode({'next': target})}", {"next": target})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(  # `make test` tries the two usual names; `make test-full` every name we know
    "keys",
    [("next", "url"), pytest.param(("next", "to", "url", "redirect", "return"), marks=pytest.mark.slow)],
)
def test_no_public_page_redirects_off_site_whatever_it_is_given(client, make_article, vocabulary, keys):
    article = make_article(status=Status.PUBLISHED)
    paths = ["/", article.get_absolute_url(), "/diseases/lupus/", "/search/", "/news/"]
    for target, path in itertools.product(OFF_SITE, paths):
        for key in keys:
            response = client.get(path, {key: target})
            if response.status_code in (301, 302, 303, 307, 308):
                assert stays_on_site(response["Location"]), (path, key, response["Location"])

"""The operator's guide stays true: every environment variable settings.py reads is documented, and the
deployment files it describes exist and agree with each other."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (ROOT / "newsdesk" / "settings.py").read_text()
GUIDE = (ROOT / "docs" / "operations.md").read_text()
READ_BY_SETTINGS = sorted(set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS)))


def test_settings_reads_the_variables_we_think_it_does():
    assert {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "LOG_FORMAT", "MEDIA_BUCKET"} <= set(READ_BY_SETTINGS)


def test_every_environment_variable_has_a_row_with_its_default_in_the_guide():
    rows = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", GUIDE, flags=re.MULTILINE))
    assert [name for name in READ_BY_SETTINGS if name not in rows] == []


def test_the_example_environment_mentions_every_variable_but_the_benchmark_switch():
    example = (ROOT / "deploy" / "env.example").read_text()
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert [name for name in READ_BY_SETTINGS if name not in named and name != "NEWSDESK_BENCH"] == []


def test_the_units_nginx_varnish_and_check_agree_on_the_socket_the_port_and_the_folders():
    web = (ROOT / "deploy" / "systemd" / "newsdesk-web.service").read_text()
    nginx = (ROOT / "deploy" / "nginx" / "newsdesk.conf").read_text()
    example = (ROOT / "deploy" / "env.example").read_text()
    vcl = (ROOT / "deploy" / "varnish" / "newsdesk.vcl").read_text()
    varnish = (ROOT / "deploy" / "systemd" / "newsdesk-varnish.service").read_text()
    assert "unix:/run/newsdesk/gunicorn.sock" in web and '.path = "/run/newsdesk/gunicorn.sock"' in vcl
    assert "server 127.0.0.1:6081 " in nginx and "-a 127.0.0.1:6081" in varnish
    assert "NEWSDESK_PURGE_URLS=http://127.0.0.1:6081/" in example and "import xkey;" in vcl
    assert "ExecReload=/bin/kill -s HUP $MAINPID" in web
    assert "alias /srv/newsdesk/staticfiles/;" in nginx and "STATIC_ROOT=/srv/newsdesk/staticfiles" in example
    assert "alias /srv/newsdesk/media/;" in nginx and "MEDIA_ROOT=/srv/newsdesk/media" in example
    assert "/srv/newsdesk/private" not in nginx  # consent forms are never served
    worker = (ROOT / "deploy" / "systemd" / "newsdesk-worker.service").read_text()
    assert "manage.py db_worker" in worker and "newsdesk-worker" in GUIDE
    assert "manage.py start_clock" in worker  # the clock is queued before the worker starts
    for path in ["deploy/check", "docs/scaling.md"]:
        assert (ROOT / path).exists() and path.split("/")[-1] in GUIDE

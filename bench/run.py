"""make bench: the public pages, the admin, search and the imports, measured side by side.

Every timing is reported as a ratio to a bound measured in the same run, never as a bare time:
pages against the "floor" (a trivial view returning as many bytes through the same middleware) and
the "static bound" (the same HTML as a static file from WhiteNoise, or nginx where installed).
Rounds are interleaved so that a noisy moment hurts every target alike; medians are reported.

    python bench/run.py            # the full run: 10,000 articles, 3 rounds of 5 s per URL
    python bench/run.py --smoke    # one round of 3 s per URL on a small desk (part of make test)
    python bench/run.py --scale    # also search at 10,000 and 100,000 articles on PostgreSQL

The peers (bench/peers: Wagtail 8 and a plain Django site) are set up in their own virtualenvs under
bench/data/peers and measured in the same rounds; `--no-peers` leaves them out.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PY = sys.executable
PAGES = ["home", "article", "story", "disease", "search", "rss", "sitemap"]


def bench_env(database: str, cache: str = "locmemcache://bench") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW_ASYNC", "DEBUG"))}
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database,
        CACHE_URL=cache,
        STATIC_ROOT=str(DATA / "static"),
        MEDIA_ROOT=str(DATA / "media"),
        PRIVATE_MEDIA_ROOT=str(DATA / "private"),
        NEWSDESK_BENCH="true",
        SECOND_FACTOR="false",  # the admin is timed signed in, past the sign-in and its code
        NEWSDESK_PAGE_CACHE_SECONDS="3600",
        DJANGO_SETTINGS_MODULE="newsdesk.settings",
    )
    return env


def manage(env, *args, capture=False):
    run = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
    return run.stdout


# Servers listen on loopback ports from this range (BENCH_PORTS=first-last), skipping ports in use.
FIRST_PORT, LAST_PORT = (int(p) for p in os.environ.get("BENCH_PORTS", "8320-8339").split("-"))
_taken: set[int] = set()


def free_port() -> int:
    for port in range(FIRST_PORT, LAST_PORT + 1):
        if port in _taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise SystemExit(f"No free port in {FIRST_PORT}-{LAST_PORT}; set BENCH_PORTS=first-last.")


BIN = Path(PY).parent
# The app servers compared side by side: gunicorn's sync workers (the deployment default) and granian's
# Rust HTTP front end running the same WSGI application, where installed.
SERVERS = {
    "gunicorn": lambda port, workers: [
        str(BIN / "gunicorn"), "newsdesk.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--timeout", "120", "--log-level", "warning", "--no-control-socket"],
    "granian": lambda port, workers: [
        str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--no-log", "newsdesk.wsgi:application"],
}  # fmt: skip


# --- The peers: what a hospital would pick instead, each in its own virtualenv under bench/data/peers ---

PEERS_DIR = ROOT / "bench" / "peers"
PEERS = ("wagtail", "django")  # Wagtail 8's page detail and index; the plainest Django news site
# Our page types and the peer page each is compared with.
PEER_PAGES = {"article": "detail", "story": "detail", "home": "index", "disease": "topic"}


def peer_server(name, articles, workers) -> tuple["Server", dict]:
    """Set the peer up (bench/peers/NAME/setup.sh: venv, migrate, seed as many articles as ours) and serve it
    with the same gunicorn settings as ours. Returns the server and the paths to measure."""
    here, venv = PEERS_DIR / name, DATA / "peers" / f"{name}-venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DEBUG", "DATABASE"))}
    env["PEER_PYTHON"] = str(Path(sys.base_prefix) / "bin" / "python3")
    subprocess.run([str(here / "setup.sh"), str(articles)], env=env, check=True, capture_output=True)
    paths = json.loads(
        subprocess.run([str(venv / "bin" / "python"), "manage.py", "peer_paths"], cwd=here, env=env,
                       check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    )  # fmt: skip

    def command(port, workers):
        return [str(venv / "bin" / "gunicorn"), "peer.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                str(workers), "--worker-class", "sync", "--timeout", "120", "--log-level", "warning",
                "--no-control-socket"]  # fmt: skip

    return Server(env, workers, command=command, cwd=here, probe=paths["index"]), paths


def have_server(kind) -> bool:
    return Path(SERVERS[kind](0, 1)[0]).exists()


def end(process, sig) -> None:
    """Stop a server the way it stops cleanly (`sig`), and kill its group if it has not in 10 s."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Server:
    """An app server (gunicorn sync workers by default), one worker per core, on loopback."""

    def __init__(self, env, workers, kind="gunicorn", command=None, cwd=ROOT, probe="/robots.txt"):
        self.port, self.kind = free_port(), kind
        # Its log goes to a file: a pipe nobody reads fills at 64 KB and then stalls the server mid-run.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - open for the server's lifetime
        self.process = subprocess.Popen(
            (command or SERVERS[kind])(self.port, workers), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
            stderr=self.log, start_new_session=True,
        )  # fmt: skip
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url(probe), timeout=1).read()  # noqa: S310 - loopback
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.log.seek(0)
        said = self.log.read().decode(errors="replace")[-2000:]  # before stop(), which closes the log
        self.stop()
        raise SystemExit(f"{kind} did not start: {said}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self):
        end(self.process, signal.SIGTERM)
        self.log.close()
        _taken.discard(self.port)


NGINX_CONF = """
worker_processes {workers};
pid {data}/nginx.pid;
error_log {data}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    proxy_cache_path {data}/nginx-cache keys_zone=pages:10m max_size=100m inactive=10m;
    server {{
        listen 127.0.0.1:{static_port};
        location /static/ {{ alias {static}/; }}
    }}
    server {{
        listen 127.0.0.1:{proxy_port};
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_http_version 1.1;
            proxy_set_header Host 127.0.0.1;
            proxy_set_header Connection "";
            proxy_cache pages;
            proxy_cache_lock on;
            proxy_cache_use_stale updating;
            add_header X-Cache $upstream_cache_status;
        }}
    }}
}}
"""


class NginxUnavailable(RuntimeError):
    """nginx is optional: without it the bench reports its other figures."""


class Nginx:
    """nginx from Debian, as the deployment would put it in front: the static bound (the page's HTML as
    a file) and a reverse-proxy cache honouring the app's Cache-Control (s-maxage 60 for anonymous pages)."""

    def __init__(self, app: Server, workers):
        self.data = DATA / f"nginx-{os.getpid()}"  # its own folder: a smoke run may be going on beside
        shutil.rmtree(self.data, ignore_errors=True)
        (self.data / "nginx-cache").mkdir(parents=True)
        self.static_port, self.proxy_port = free_port(), free_port()
        conf = self.data / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            workers=workers, data=self.data, static=DATA / "static", static_port=self.static_port,
            proxy_port=self.proxy_port, app_port=app.port))  # fmt: skip
        self.process = subprocess.Popen(
            [shutil.which("nginx"), "-c", str(conf), "-p", str(self.data), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.proxy_port}/robots.txt", timeout=1).read()  # noqa: S310
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        log = (
            (self.data / "nginx-error.log").read_text()[-2000:]
            if (self.data / "nginx-error.log").exists()
            else ""
        )
        raise NginxUnavailable(f"{self.process.stderr.read().decode()[-2000:]}{log}")

    def url(self, path, cached=True):
        return f"http://127.0.0.1:{self.proxy_port if cached else self.static_port}{path}"

    def stop(self):
        end(self.process, signal.SIGQUIT)
        shutil.rmtree(self.data, ignore_errors=True)
        _taken.discard(self.static_port)
        _taken.discard(self.proxy_port)


class Varnish:
    """Varnish with the deployment's own VCL (deploy/varnish/newsdesk.vcl), its backend pointed at `app`."""

    def __init__(self, app: Server):
        # Its own folder under /tmp, open to Varnish's unprivileged child (a checkout may sit in a folder
        # only its owner can enter, as `mktemp -d` makes them).
        self.data = Path(tempfile.mkdtemp(prefix="newsdesk-bench-varnish-"))
        self.data.chmod(0o755)
        vcl = (ROOT / "deploy" / "varnish" / "newsdesk.vcl").read_text()
        vcl = vcl.replace(
            '.path = "/run/newsdesk/gunicorn.sock";', f'.host = "127.0.0.1"; .port = "{app.port}";'
        )
        (self.data / "newsdesk.vcl").write_text(vcl.replace("news.hospital.example", "127.0.0.1"))
        self.port = free_port()
        self.process = subprocess.Popen(
            [shutil.which("varnishd"), "-F", "-n", str(self.data / "n"), "-a", f"127.0.0.1:{self.port}",
             "-f", str(self.data / "newsdesk.vcl"), "-s", "malloc,256m"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url("/"), timeout=2).read()  # noqa: S310 - loopback
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise NginxUnavailable("varnishd did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        end(self.process, signal.SIGTERM)
        shutil.rmtree(self.data, ignore_errors=True)
        _taken.discard(self.port)


class Via:
    """A target served through a proxy: load goes to the proxy, settling watches the app server behind."""

    def __init__(self, proxy, app, cached=True):
        self.proxy, self.app, self.cached = proxy, app, cached

    def url(self, path):
        return self.proxy.url(path, self.cached) if isinstance(self.proxy, Nginx) else self.proxy.url(path)

    def worker_pids(self):
        return self.app.worker_pids()


def cpu_ticks(pids) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def settle(server, timeout=15.0):
    """Wait until the server's workers stop using CPU (a slow page leaves a backlog behind the load)."""
    deadline = time.monotonic() + timeout
    last = cpu_ticks(server.worker_pids())
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_ticks(server.worker_pids())
        if now == last:
            return
        last = now


def rss_mb(pid) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load(url, seconds, connections=8) -> dict:
    """requests/s and p50/p99 latency (ms) from wrk, or from a Python load loop where wrk is missing."""
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

        def latency(pct):
            m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
            value, unit = float(m.group(1)), m.group(2)
            return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return {
            "rps": rps,
            "p50": latency(50),
            "p99": latency(99),
            "errors": int(errors.group(1)) if errors else 0,
        }
    return python_load(url, seconds, connections)


def python_load(url, seconds, connections) -> dict:
    latencies, errors, stop = [], [0], time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 - loopback
            except OSError:
                errors[0] += 1
            latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": latencies[len(latencies) // 2] if latencies else 0,
        "p99": latencies[int(len(latencies) * 0.99)] if latencies else 0,
        "errors": errors[0],
    }


PAGE_PATHS = """
from articles.models import Article, DiseaseTag
from cases.models import Case
import json
article = Article.objects.public().exclude(published_review=None).order_by("-published_at").first()  # as published
story = Case.objects.public().order_by("reference").first()
tag = DiseaseTag.objects.filter(article_links__isnull=False).order_by("slug").first()
print(json.dumps({"home": "/", "article": article.get_absolute_url(), "story": story.get_absolute_url(),
    "disease": tag.get_absolute_url(), "search": "/search/?q=remission", "rss": "/feeds/rss/",
    "sitemap": "/sitemap.xml"}))
"""


def prepare(database, articles, cases, env_cache="locmemcache://bench"):
    DATA.mkdir(parents=True, exist_ok=True)
    env = bench_env(database, env_cache)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "setup_roles", "-v0")
    manage(env, "loaddata", "vocabulary", "-v0")
    # loaddata writes the terms' rows whole, their counts of public articles included: count as the clock does
    manage(env, "shell", "-c", "from articles.services import count_every_term; count_every_term()")
    count = manage(env, "shell", "-c", "from articles.models import Article; print(Article.objects.count())")
    if int(count.strip().splitlines()[-1]) < articles:
        manage(env, "seed_bench", "--articles", str(articles), "--cases", str(cases))
    return env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument(
        "--scale", action="store_true", help="search at 10,000 and 100,000 articles on PostgreSQL"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rss-seconds", type=int, default=300)
    parser.add_argument("--out", default=str(ROOT / "bench"))
    parser.add_argument("--no-peers", action="store_true", help="skip the Wagtail and plain Django peers")
    parser.add_argument("--pages-only", action="store_true", help="the public pages only, for a quick look")
    args = parser.parse_args()
    if args.smoke:  # part of make test-full: no peers, whose setup installs Wagtail from the registry
        args.rounds, args.seconds, args.rss_seconds, args.no_peers = 1, 3, 3, True
    articles, cases = (300, 60) if args.smoke else (10_000, 2_000)
    DATA.mkdir(parents=True, exist_ok=True)
    database = f"sqlite:///{DATA / ('smoke.sqlite3' if args.smoke else 'bench.sqlite3')}"
    started = time.time()
    env = prepare(database, articles, cases)
    paths = json.loads(manage(env, "shell", "-c", PAGE_PATHS).strip().splitlines()[-1])
    workers = os.cpu_count() or 2

    # The static bound: the article page's own HTML served as a static file.
    manage(env, "collectstatic", "--noinput", "-v0")
    # "Cold": every request renders, as behind Varnish with the embedded page cache off (it keeps nothing,
    # NEWSDESK_PAGE_CACHE_SECONDS=0); the cache still holds what is not a page (the next go-live).
    cached, cold = (
        Server(env, workers),
        Server(dict(bench_env(database), NEWSDESK_PAGE_CACHE_SECONDS="0"), workers),
    )
    article_html = urllib.request.urlopen(cold.url(paths["article"])).read()  # noqa: S310 - loopback
    sizes = {name: len(urllib.request.urlopen(cold.url(p)).read()) for name, p in paths.items()}  # noqa: S310
    cached.stop()
    static_dir = DATA / "static" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "article.html").write_bytes(article_html)
    cached = Server(env, workers)  # restarted so that WhiteNoise sees the file
    floor_path = f"/__bench/floor/{sizes['article']}/"
    extra = []  # servers started for the optional targets, stopped at the end
    targets = [
        ("floor", cold, floor_path),  # the article's size; every other page has a floor of its own size
        *((f"floor {name}", cold, f"/__bench/floor/{sizes[name]}/") for name in PAGES if name != "article"),
        ("static whitenoise", cached, "/static/bench/article.html"),  # the server started after the file
    ]
    for name in PAGES:
        targets += [(f"{name} cold", cold, paths[name]), (f"{name} cached", cached, paths[name])]
    # A third bound for the uncached article: what Django itself costs for a page of one query and the
    # site's base template, so the gap between it and the article page is what the article page adds.
    article_slug = paths["article"].rstrip("/").rsplit("/", 1)[-1]
    targets.append(("bare article", cold, f"/__bench/bare/{article_slug}/"))
    # The peers, served beside ours with the same settings and measured in the same interleaved rounds.
    peer_paths, peer_servers = {}, {}
    if not args.no_peers:
        for peer in PEERS:
            peer_servers[peer], peer_paths[peer] = server, _ = peer_server(peer, articles, workers)
            extra.append(server)
            targets += [(f"{peer} {kind}", server, path) for kind, path in peer_paths[peer].items()]
    # Raising the floor: the same application under granian, side by side with gunicorn (optional).
    if have_server("granian") and not args.smoke:
        extra.append(Server(env, workers, kind="granian"))
        targets += [
            ("floor granian", extra[-1], floor_path),
            ("article cached granian", extra[-1], paths["article"]),
        ]
    # The deployment's front: nginx serving the file (the static bound) and caching pages (optional).
    if shutil.which("nginx"):
        try:
            extra.append(Nginx(cached, workers))
        except NginxUnavailable as problem:
            print(f"nginx did not start, its steps are skipped: {problem}", file=sys.stderr)
        else:
            targets += [("static nginx", Via(extra[-1], cached, cached=False), "/static/bench/article.html"),
                        ("article nginx cache", Via(extra[-1], cached), paths["article"])]  # fmt: skip
    # The deployment's page cache: Varnish with the production VCL in front of the same app server.
    varnish = None
    if shutil.which("varnishd"):
        try:
            varnish = Varnish(cached)
        except NginxUnavailable as problem:
            print(f"Varnish did not start, its steps are skipped: {problem}", file=sys.stderr)
        else:
            extra.append(varnish)
            targets.append(("article varnish", Via(varnish, cached), paths["article"]))
    samples: dict[str, list[dict]] = {name: [] for name, _, _ in targets}
    try:
        for _ in range(args.rounds):
            for name, server, path in targets:
                try:
                    urllib.request.urlopen(server.url(path)).read()  # noqa: S310 - warm the cache
                except Exception as error:  # noqa: BLE001 - report which page broke, whatever broke it
                    raise SystemExit(f"{name}: {server.url(path)} answered {error!r}") from None
                samples[name].append(load(server.url(path), args.seconds))
                settle(server)  # let queued slow requests finish before the next target shares the cores
        after_publish = hits_after_one_publish(env, varnish) if varnish and not args.smoke else None
        rss = rss_run(cold, paths["article"], args.rss_seconds)
        peer_rss = {
            peer: rss_run(server, peer_paths[peer]["detail"], args.rss_seconds)
            for peer, server in peer_servers.items()
        }
    finally:
        for server in [*extra, cached, cold]:
            server.stop()

    median = {
        name: {key: statistics.median(s[key] for s in runs) for key in ("rps", "p50", "p99", "errors")}
        for name, runs in samples.items()
    }
    # The static bound is nginx serving the file where nginx is installed, WhiteNoise otherwise.
    static_bound = "nginx" if "static nginx" in median else "whitenoise"
    median["static"] = median[f"static {static_bound}"]
    two_servers = shared_invalidation(args) if not (args.smoke or args.pages_only) else None
    inprocess = {} if args.pages_only else json.loads(
        subprocess.run([PY, str(ROOT / "bench" / "inprocess.py"), "--smoke" if args.smoke else "--full"]
                       + (["--scale"] if args.scale else []),
                       cwd=ROOT, env=bench_env(database), capture_output=True, text=True, check=True).stdout
    )  # fmt: skip
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime(started)),
        "smoke": args.smoke,
        "rounds": args.rounds,
        "seconds_per_url": args.seconds,
        "workers": workers,
        "load_generator": "wrk" if shutil.which("wrk") else "python",
        "articles": articles,
        "page_bytes": sizes,
        "static_bound": static_bound,
        "pages": median,
        "rss": rss,
        "peer_rss": peer_rss,
        **({"after_publish": after_publish} if after_publish else {}),
        **({"two_servers": two_servers} if two_servers else {}),
        **inprocess,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = "smoke" if args.smoke else "results"
    earlier = out / f"{name}.json"
    if "search_scale" not in results and earlier.exists():
        # The 100,000-article search takes longer than the rest together: a run without --scale keeps the
        # last one, dated, rather than dropping its row.
        last = json.loads(earlier.read_text())
        if "search_scale" in last:
            results["search_scale"] = {"measured": last["search_scale"].get("measured", last["when"]),
                                       **last["search_scale"]}  # fmt: skip
    results["budgets"] = budgets(results)
    (out / f"{name}.json").write_text(json.dumps(results, indent=2))
    # bench/publishing_load.py (make bench-publishing) adds its own section to results.md: keep the last one.
    previous = (out / f"{name}.md").read_text() if (out / f"{name}.md").exists() else ""
    kept = (
        previous[previous.rfind("\n## Load while publishing") :]
        if "## Load while publishing" in previous
        else ""
    )
    (out / f"{name}.md").write_text(markdown(results) + kept)
    print(markdown(results))


TWO_SERVERS_DB = os.environ.get(
    "BENCH_TWO_SERVERS_DB", "postgres://postgres@127.0.0.1:5432/newsdesk_bench_two"
)
TWO_SERVERS_CACHE = os.environ.get("BENCH_TWO_SERVERS_CACHE", "redis://127.0.0.1:6379/12")
EDIT = """
from articles.models import Article
article = Article.objects.get(slug={slug!r})
article.title = {title!r}
article.save()  # what every edit, publish and unpublish does: the post_save signal retires its keys
"""


ARTICLE_PATHS = """
from articles.models import Article
import json
print(json.dumps([a.get_absolute_url() for a in Article.objects.public().order_by("-published_at")[:{n}]]))
"""
PUBLISH_ONE = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Status
model = Article.objects.public().order_by("-published_at").first()
new = Article.objects.create(title="Bench: one more article", slug="bench-one-more-" + str(timezone.now().timestamp()).replace(".", ""),
    body="<p>Published by the bench.</p>", status=Status.PUBLISHED, published_at=timezone.now() - timedelta(seconds=1))
new.diseases.set(model.diseases.all()); new.therapies.set(model.therapies.all())
"""


def hits_after_one_publish(env, varnish, pages=500) -> dict:
    """Warm `pages` article pages in Varnish, publish one new article with the tags of the newest (so it
    joins their lists and related news), and count how many of the pages are still answered from Varnish."""
    paths = json.loads(manage(env, "shell", "-c", ARTICLE_PATHS.format(n=pages)).strip().splitlines()[-1])

    def hits() -> int:
        found = 0
        for path in paths:
            with urllib.request.urlopen(varnish.url(path)) as response:  # noqa: S310 - loopback
                found += response.headers.get("X-Cache") == "hit"
        return found

    hits()
    warm = hits()
    manage(env | {"NEWSDESK_PURGE_URLS": varnish.url("/")}, "shell", "-c", PUBLISH_ONE)
    still = hits()
    return {"pages": len(paths), "warm_hits": warm, "hits_after": still, "share": still / max(warm, 1)}


def shared_invalidation(args) -> dict:
    """Two app servers on two ports sharing PostgreSQL and Redis: an edit saved against the shared
    database (by a third process) must reach readers of the *other* server within 5 s, although both
    hold the page in the shared cache."""
    name = TWO_SERVERS_DB.rsplit("/", 1)[1]
    try:
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name], check=True,
                       capture_output=True)  # fmt: skip
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True, capture_output=True
        )
        env = prepare(TWO_SERVERS_DB, 300, 60, env_cache=TWO_SERVERS_CACHE)
    except (OSError, subprocess.CalledProcessError, SystemExit) as error:
        return {"seconds": None, "summary": f"Not measured: PostgreSQL or Redis is not available ({error})."}
    paths = json.loads(manage(env, "shell", "-c", PAGE_PATHS).strip().splitlines()[-1])
    slug = paths["article"].rstrip("/").rsplit("/", 1)[1]
    first, second = Server(env, 1), Server(env, 1)
    try:
        before = [urllib.request.urlopen(s.url(paths["article"])).read() for s in (first, second)]  # noqa: S310
        again = urllib.request.urlopen(second.url(paths["article"])).read()  # noqa: S310 - now from the cache
        title = f"Shared invalidation check {time.time_ns()}"
        manage(env, "shell", "-c", EDIT.format(slug=slug, title=title))
        saved = time.monotonic()
        seconds = None
        while time.monotonic() - saved < 10:
            if title.encode() in urllib.request.urlopen(second.url(paths["article"])).read():  # noqa: S310
                seconds = round(time.monotonic() - saved, 2)
                break
            time.sleep(0.05)
        on_first = title.encode() in urllib.request.urlopen(first.url(paths["article"])).read()  # noqa: S310
    finally:
        first.stop()
        second.stop()
    cached_before = before[1] == again
    summary = (
        f"Two gunicorn servers (ports {first.port} and {second.port}) sharing PostgreSQL and Redis, the article "
        f"page cached on both. An edit saved by a third process was served by the second server "
        + (f"{seconds} s after the save" if seconds is not None else "**not within 10 s**")
        + f" and by the first one {'as well' if on_first else '**not**'}."
        + ("" if cached_before else " (The page was not served from the cache before the edit.)")
    )
    return {"seconds": seconds, "first_server_too": on_first, "summary": summary}


def rss_run(server, path, seconds):
    pids = server.worker_pids()
    before = max(rss_mb(pid) for pid in pids)
    load(server.url(path), seconds)
    after = max(rss_mb(pid) for pid in pids if Path(f"/proc/{pid}").exists())
    return {"seconds": seconds, "start_mb": round(before, 1), "end_mb": round(after, 1),
            "growth": round((after - before) / before, 3) if before else 0}  # fmt: skip


def ratio(a, b):
    return round(a / b, 3) if b else None


def floor_of(r, page):
    """The floor a page is compared with: the trivial view returning as many bytes as that page."""
    return r["pages"].get(f"floor {page}", r["pages"]["floor"])


def budgets(r):
    static = r["pages"]["static"]["rps"]
    cached = min(ratio(r["pages"][f"{p} cached"]["rps"], floor_of(r, p)["rps"]) for p in PAGES)
    out = {
        "cached pages >= 80% of floor (slowest page)": (cached, cached >= 0.8),
        "cached article vs static bound (aim 25%)": (
            ratio(r["pages"]["article cached"]["rps"], static),
            ratio(r["pages"]["article cached"]["rps"], static) >= 0.25,
        ),
        "worker RSS growth < 10%": (r["rss"]["growth"], r["rss"]["growth"] < 0.10),
    }
    if "wagtail detail" in r["pages"]:
        for page, peer_page in PEER_PAGES.items():
            figure = ratio(r["pages"][f"{page} cold"]["rps"], r["pages"][f"wagtail {peer_page}"]["rps"])
            need = 2 if page == "article" else 1
            out[f"uncached {page} >= {need}x Wagtail's {peer_page}"] = (figure, figure >= need)
        if r.get("peer_rss", {}).get("wagtail"):
            wagtail_rss = r["peer_rss"]["wagtail"]["end_mb"]
            out["worker RSS <= Wagtail's"] = (
                ratio(r["rss"]["end_mb"], wagtail_rss),
                r["rss"]["end_mb"] <= wagtail_rss,
            )
    if "article nginx cache" in r["pages"]:
        proxied = r["pages"]["article nginx cache"]["rps"]
        out["cached page behind nginx's cache vs static bound (aim 25%)"] = (
            ratio(proxied, static), ratio(proxied, static) >= 0.25)  # fmt: skip
    if "article varnish" in r["pages"] and "static nginx" in r["pages"]:
        through = ratio(r["pages"]["article varnish"]["rps"], r["pages"]["static nginx"]["rps"])
        out["cached article through Varnish >= 50% of static nginx"] = (through, through >= 0.5)
    if "after_publish" in r:
        share = r["after_publish"]["share"]
        out["after one publish, >= 99% of cached article pages still hit"] = (share, share >= 0.99)
    if "two_servers" in r and r["two_servers"].get("seconds") is not None:
        seconds = r["two_servers"]["seconds"]
        out["second app server serves a change within 5 s"] = (seconds, seconds <= 5)
    if "admin" in r:
        changelist = r["admin"]["changelist_p50_ratio_10k_to_100"]
        out["admin changelist p50 at 10k <= 1.5x at 100"] = (changelist, changelist <= 1.5)
    if "spreadsheet" in r:
        spreadsheet = r["spreadsheet"]["import_to_bulk_create"]
        out["spreadsheet import <= 3x bulk_create"] = (spreadsheet, spreadsheet <= 3)
    if "search_scale" in r:
        scale = r["search_scale"]["p50_ratio_100k_to_10k"]
        out["search p50 at 100k <= 2x at 10k (PostgreSQL)"] = (scale, scale <= 2)
    return {k: {"figure": v[0], "met": bool(v[1])} for k, v in out.items()}


def markdown(r) -> str:
    floor, static = r["pages"]["floor"], r["pages"]["static"]
    lines = [
        f"# Newsdesk bench ({'smoke run' if r['smoke'] else 'full run'}, {r['when']} UTC)",
        "",
        f"{r['articles']} articles, gunicorn with {r['workers']} sync workers, {r['rounds']} interleaved rounds of "
        f"{r['seconds_per_url']} s per URL, load from {r['load_generator']}. Medians. Throughput is shown as a share "
        "of the floor (a trivial view returning as many bytes as that page, through the same middleware) and of the "
        f"static bound (the article's HTML as a static file from {r.get('static_bound', 'whitenoise')}). Latencies "
        "as multiples of the floor's.",
        "",
        f"Floor to static bound: {ratio(floor['rps'], static['rps']):.0%}.",
        "",
        "| page | cold: share of floor | cold: p50 / floor p50 | cold: p99 / floor p99 | cached: share of floor "
        "| cached: share of static | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for page in PAGES:
        c, h, floor = r["pages"][f"{page} cold"], r["pages"][f"{page} cached"], floor_of(r, page)
        lines.append(
            f"| {page} | {ratio(c['rps'], floor['rps']):.0%} | {ratio(c['p50'], floor['p50']):.1f}x "
            f"| {ratio(c['p99'], floor['p99']):.1f}x | {ratio(h['rps'], floor['rps']):.0%} "
            f"| {ratio(h['rps'], static['rps']):.0%} | {int(c['errors'] + h['errors'])} |"
        )
    floor = r["pages"]["floor"]
    if "bare article" in r["pages"]:
        bare, article = r["pages"]["bare article"], r["pages"]["article cold"]
        lines += [
            "",
            "## The uncached article against a bare Django page",
            "",
            "The bare page is the same article fetched by one query and shown in the site's base template, "
            "headline and body only: no tags, medical review, corrections, related news or patient stories.",
            "",
            f"- bare page: {ratio(bare['rps'], floor['rps']):.0%} of the floor's throughput, "
            f"p50 {ratio(bare['p50'], floor['p50']):.1f}x the floor's",
            f"- article page: {ratio(article['rps'], bare['rps']):.0%} of the bare page's throughput, "
            f"p50 {ratio(article['p50'], bare['p50']):.1f}x the bare page's",
        ]
    if "wagtail detail" in r["pages"]:
        lines += ["", "## Against the peers", "",
                  "Wagtail 8 (a page model with title, standfirst, body and tags; the detail shows those) "
                  "and the plainest Django news site (one model, two views, startproject's middleware), each in "
                  "its own virtualenv and seeded with as many articles, served by the same gunicorn settings in "
                  "the same interleaved rounds. Uncached requests/s as a multiple of the peer's.", "",
                  "| our page | peer page | requests/s | x Wagtail | x plain Django | p50 / Wagtail p50 |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for page, peer_page in PEER_PAGES.items():
            ours, wagtail = r["pages"][f"{page} cold"], r["pages"][f"wagtail {peer_page}"]
            plain = r["pages"][f"django {peer_page}"]
            lines.append(f"| {page} | {peer_page} | {ours['rps']:.0f} (Wagtail {wagtail['rps']:.0f}, Django "
                         f"{plain['rps']:.0f}) | {ratio(ours['rps'], wagtail['rps']):.2f}x "
                         f"| {ratio(ours['rps'], plain['rps']):.2f}x | {ratio(ours['p50'], wagtail['p50']):.2f}x |")  # fmt: skip
        if r.get("peer_rss"):
            lines += ["", "Peak worker RSS after the same load: ours " + f"{r['rss']['end_mb']} MB, "
                      + ", ".join(f"{peer} {v['end_mb']} MB" for peer, v in r["peer_rss"].items()) + "."]  # fmt: skip
    lines += ["", "## Raising the floor", "", "Same run, same pages; throughput as a share of the static bound.", "",
              "| target | requests/s as share of static bound | p50 / floor p50 |", "|---|---|---|"]  # fmt: skip
    for name in ("floor", "floor granian", "static whitenoise", "article cached", "article cached granian",
                 "article nginx cache", "article varnish"):  # fmt: skip
        if name in r["pages"]:
            t = r["pages"][name]
            lines.append(
                f"| {name} | {ratio(t['rps'], static['rps']):.0%} | {ratio(t['p50'], floor['p50']):.2f}x |"
            )
    if "after_publish" in r:
        t = r["after_publish"]
        lines += ["", "## One publish, and what stays cached", "",
                  f"{t['pages']} article pages loaded through Varnish ({t['warm_hits']} hits on the second "
                  f"pass); one new article published with the tags of the newest; then {t['hits_after']} of "
                  f"them still hits: **{t['share']:.1%}**."]  # fmt: skip
    if "two_servers" in r:
        t = r["two_servers"]
        lines += ["", "## Two app servers", "", t["summary"]]
    lines += ["", "## Budgets", "", "| budget | figure | met |", "|---|---|---|"]
    lines += [f"| {k} | {v['figure']} | {'yes' if v['met'] else '**no**'} |" for k, v in r["budgets"].items()]
    lines += ["", "## Worker memory", "",
              f"Peak RSS of a worker: {r['rss']['end_mb']} MB after {r['rss']['seconds']} s of load "
              f"(growth {r['rss']['growth']:.1%})."]  # fmt: skip
    if "admin" in r:
        a = r["admin"]
        lines += ["", "## Admin (in-process, p50 at 10,000 articles as a multiple of p50 at 100)", "",
                  f"Both desks timed in turn, {a.get('rounds', 1)} rounds; the median of the rounds' ratios.", "",
                  f"- changelist with a status filter, a disease filter and a search, the disease and search "
                  f"picked so both sizes show as many rows: {a['changelist_p50_ratio_10k_to_100']}x "
                  f"(rows shown: {a['changelist_rows'][0]} at 100, {a['changelist_rows'][1]} at 10,000)",
                  f"- the same filters and search for the same disease at both sizes: "
                  f"{a['same_filter_p50_ratio_10k_to_100']}x "
                  f"(rows shown: {a['same_filter_rows'][0]} at 100, {a['same_filter_rows'][1]} at 10,000)",
                  f"- changelist, a full page at both sizes: {a['full_page_p50_ratio_10k_to_100']}x "
                  f"(rows shown: {a['full_page_rows'][0]} and {a['full_page_rows'][1]})",
                  f"- change form: {a['change_form_p50_ratio_10k_to_100']}x",
                  f"- queries: changelist {a['changelist_queries']}, change form {a['change_form_queries']} "
                  "(the same at both sizes)"]  # fmt: skip
    if "documents" in r:
        d = r["documents"]
        lines += ["", "## Imports", "",
                  f"- import_documents: {d['per_second']} documents/s over {d['count']} generated documents, "
                  f"{d.get('chinese', 0)} of them Chinese (GB18030 text and UTF-8 pages): {d['vs_parse_only']}x "
                  f"the time of parsing alone ({d.get('parse_per_second', '?')} documents/s)",
                  f"- spreadsheet import of {r['spreadsheet']['rows']} rows with tags: "
                  f"{r['spreadsheet']['import_to_bulk_create']}x the time of a plain bulk_create of the same rows "
                  f"and links ({r['spreadsheet']['rows_per_second']} rows/s)"]  # fmt: skip
    if "search_scale" in r:
        s = r["search_scale"]
        lines += ["", "## Search on PostgreSQL" + (f" (measured {s['measured']})" if "measured" in s else ""), "",
                  f"p50 at 100,000 articles is {s['p50_ratio_100k_to_10k']}x its p50 at 10,000 (the query "
                  "'remission lasting', whose words are in every synthetic article). Seeding took "
                  f"{s['seed_seconds'][0]} s for 10,000 and {s['seed_seconds'][1]} s for 90,000 more.",
                  "", f"Plans at 100,000: {'**a sequential scan**' if s['seq_scan_at_100k'] else 'no sequential scan'}"
                  ". A word found everywhere walks the publication-date index until it has the 1,000 newest "
                  "matches, then ranks those by key; a rare word goes through the GIN index:", "", "```",
                  s["plan_at_100k"].strip(), "", s.get("plan_rare_word_at_100k", "").strip(), "```"]  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

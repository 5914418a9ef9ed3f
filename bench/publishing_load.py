"""make bench-publishing: the public site under load while an editor publishes and unpublishes every 5 s.

gunicorn (sync workers, DEBUG off) serves a copy of the bench desk on loopback, behind Varnish with the
deployment's VCL where varnishd is installed (each move purges it by key, as in production). wrk loads an
article, a tag page, search, the RSS feed and the sitemap through it: flat out, for the front's capacity;
then at half that rate, idle and again while a second process, an editor, publishes and unpublishes a
probe article through `articles.workflow.transition` against the same database and cache; then flat out
while the editor goes on. Checked, and written to bench/publishing.json and bench/results.md:

* 0 errors: no response outside 2xx/3xx and no socket errors, in any pass;
* the probe appears on its page, its tag page, search, the feed and the sitemap within 5 s of going
  live, and is gone from all of them within 5 s of being unpublished;
* at the steady rate, p99 latency while publishing is within 1.2x of p99 idle, on the same URLs. The
  flat-out ratio is reported beside it.

    python bench/publishing_load.py                 # four passes of 60 s
    python bench/publishing_load.py --smoke         # 300 articles, 5 s each, into a folder of its own
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

os.environ.setdefault("BENCH_PORTS", "8340-8359")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402 - the shared bench helpers (servers, environment, wrk)

ROOT, DATA = bench.ROOT, bench.DATA
DATABASE = DATA / "publishing.sqlite3"
CACHE = os.environ.get("PUBLISHING_CACHE_URL", "redis://127.0.0.1:6379/14")
PROBE_WORD = "quokkaprobe"  # in the probe's headline only, so search finds exactly it
WITHIN = 5.0  # seconds allowed for a change to reach every surface
SURFACES = ["article", "tag", "search", "rss", "sitemap"]
# Latency is compared at a steady load the machine has headroom for, as a site is run: half of what the
# front serves flat out. Flat out on two cores, any work at all (the editor's) queues behind the load
# generator, and the ratio measures the scheduler (docs/scaling.md, "Load while publishing").
PACE = 0.5


# --- The editor: a separate process that moves the probe through the workflow -----------------------


def editor(period: float, until: float) -> None:
    """Publish and unpublish the probe every `period` seconds until `until`, printing each move."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Article, DiseaseTag, Status
    from articles.roles import EDITOR, MEDICAL_REVIEWER, WRITER
    from articles.workflow import sign_off, transition

    people = {}
    for name, role in (
        ("bench-writer", WRITER),
        ("bench-reviewer", MEDICAL_REVIEWER),
        ("bench-editor", EDITOR),
    ):
        user, _ = get_user_model().objects.get_or_create(
            username=name, defaults={"is_staff": True, "email": f"{name}@bench.test"}
        )
        user.groups.add(Group.objects.get(name=role))
        people[name] = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    writer, reviewer, chief = people["bench-writer"], people["bench-reviewer"], people["bench-editor"]
    probe = Article.objects.filter(slug="publishing-load-probe").first()
    if probe is None:
        probe = Article.objects.create(
            title=f"Publishing load probe {PROBE_WORD}",
            slug="publishing-load-probe",
            standfirst="An article the publishing bench moves in and out of view.",
            body="<p>It carries no news.</p>",
            plain_summary="A test article that carries no news.",
            author=writer,
        )
        probe.diseases.add(DiseaseTag.objects.filter(articles__isnull=False).order_by("slug").first())
    # Start hidden, whatever move an earlier run was stopped in.
    if probe.status == Status.PUBLISHED:
        transition(probe, to=Status.DRAFT, by=chief, comment="Publishing bench: start hidden")
    elif probe.status == Status.IN_REVIEW:
        transition(probe, to=Status.DRAFT, by=reviewer, comment="Publishing bench: start over")
    tag = probe.diseases.first()
    print(json.dumps({"ready": True, "slug": probe.slug, "tag": tag.get_absolute_url()}), flush=True)
    go = sys.stdin.readline().split()  # "go [purge URL]", once the idle measurement is done
    if len(go) > 1:
        from django.conf import settings

        settings.NEWSDESK_PURGE_URLS = [go[1]]  # the Varnish in front, started after this process

    while time.time() < until:
        started = time.time()
        probe.refresh_from_db()
        if probe.status == Status.PUBLISHED:
            transition(probe, to=Status.DRAFT, by=chief, comment="Publishing bench: unpublish")
            action = "unpublished"
        else:
            transition(probe, to=Status.IN_REVIEW, by=writer)
            sign_off(probe, by=reviewer)
            transition(probe, to=Status.PUBLISHED, by=chief)
            action = "published"
        print(json.dumps({"action": action, "at": time.time(), "took": time.time() - started}), flush=True)
        time.sleep(max(0.0, period - (time.time() - started)))


# --- The orchestrator ------------------------------------------------------------------------------


def prepare(smoke=False) -> dict:
    """A copy of the bench desk (or a new one of 10,000 articles), migrated, with static files collected.
    A smoke run has a small desk of its own."""
    DATA.mkdir(parents=True, exist_ok=True)
    database = DATA / "publishing-smoke.sqlite3" if smoke else DATABASE
    source = DATA / "bench.sqlite3"
    if source.exists() and not database.exists() and not smoke:
        with sqlite3.connect(source) as src, sqlite3.connect(database) as dst:
            src.backup(dst)  # consistent even while another bench writes the source
    articles, cases = (300, 60) if smoke else (10_000, 2_000)
    env = bench.prepare(f"sqlite:///{database}", articles, cases, env_cache=CACHE)
    env.update(STATIC_ROOT=str(DATA / "publishing-static"), EMAIL_URL="memorymail://")
    bench.manage(env, "collectstatic", "--noinput", "-v0")
    return env


def fetch(url) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:  # reset or refused: counted as not seen, and tried again
        return 0, ""


def visible(server, slug, tag) -> dict[str, bool]:
    """Where the probe can be seen right now, surface by surface."""
    out = {}
    status, _ = fetch(server.url(f"/news/{slug}/"))
    out["article"] = status == 200
    for surface, path in (
        ("tag", tag),
        ("search", f"/search/?q={PROBE_WORD}"),
        ("rss", "/feeds/rss/"),
        ("sitemap", "/sitemap-articles.xml"),
    ):
        out[surface] = f"/news/{slug}/" in fetch(server.url(path))[1]
    return out


def watch(server, slug, tag, moves, delays):
    """For each move the editor reports, time how long until every surface shows it (up to 15 s)."""
    for line in moves:
        event = json.loads(line)
        if "action" not in event:
            continue
        wanted = event["action"] == "published"
        pending, seen = set(SURFACES), {}
        while pending and time.time() - event["at"] < 15:
            now = visible(server, slug, tag)
            for surface in list(pending):
                if now[surface] == wanted:
                    seen[surface] = round(time.time() - event["at"], 3)
                    pending.discard(surface)
            time.sleep(0.1)
        delays.append({"action": event["action"], "seen_after": seen, "never": sorted(pending)})


def wrk_mixed(server, paths, seconds, connections=8, rate=None) -> dict:
    """wrk over several URLs at once (a Lua script cycles through them): rps, p50, p99, errors.
    With `rate`, each connection waits between requests so that together they ask about `rate` per second."""
    listed = ", ".join(json.dumps(p) for p in paths)
    script = (
        f"paths = {{{listed}}}\ni = 0\n"
        'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    if rate:  # wrk waits whole milliseconds: wait one more now and then, to average the fraction
        wait = connections * 1000 / rate
        script += (
            f"delay = function()\n  return {int(wait)} + (math.random() < {wait % 1:.3f} and 1 or 0)\nend\n"
        )
    if not shutil.which("wrk"):
        results = [bench.python_load(server.url(p), seconds / len(paths), connections) for p in paths]
        return {
            "rps": sum(r["rps"] for r in results) / len(results),
            "p50": max(r["p50"] for r in results),
            "p99": max(r["p99"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "socket_errors": 0,
            "generator": "python",
        }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name, server.url("/")],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(lua.name)

    def latency(pct):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "generator": "wrk",
    }


class ServedTimes:
    """Varnish's own account of each request (varnishncsa's %D: from the request read to the response
    sent), for the server-side p99 beside wrk's. Counted only behind Varnish."""

    def __init__(self, front):
        self.front, self.times = front, None

    def __enter__(self):
        if self.front is None or not shutil.which("varnishncsa"):
            return self
        self.file = tempfile.NamedTemporaryFile("w+", suffix=".log")
        self.process = subprocess.Popen(
            ["varnishncsa", "-n", str(self.front.data / "n"), "-F", "%D"], stdout=self.file
        )
        time.sleep(0.5)  # attached before the load starts
        return self

    def __exit__(self, *exc):
        if self.front is None or not hasattr(self, "process"):
            return
        time.sleep(0.5)
        self.process.terminate()
        self.process.wait(timeout=10)
        self.file.seek(0)
        self.times = sorted(int(line) for line in self.file if line.strip().isdigit())
        self.file.close()

    def p99(self):
        return round(self.times[int(len(self.times) * 0.99)] / 1000, 3) if self.times else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="load time, idle and again while publishing")
    parser.add_argument("--period", type=float, default=5.0, help="seconds between the editor's moves")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--smoke", action="store_true", help="a small desk and 5 s each: only that it works")
    parser.add_argument(
        "--out", default=str(ROOT / "bench"), help="folder for publishing.json and results.md"
    )
    parser.add_argument("--editor", type=float, help=argparse.SUPPRESS)  # run as the editor until this time
    args = parser.parse_args()
    if args.editor:
        return editor(args.period, args.editor)
    if args.smoke:
        args.seconds, args.period = 5, 1.0

    env = prepare(smoke=args.smoke)
    until = time.time() + 3600
    editor_process = subprocess.Popen(
        [sys.executable, __file__, "--editor", str(until), "--period", str(args.period)],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    server = front = None
    try:
        ready = json.loads(editor_process.stdout.readline() or "{}")
        if not ready.get("ready"):
            raise SystemExit("The editor process did not start; see its output above.")
        server = bench.Server(env, args.workers)
        # The 5 s smoke (in make test-full) loads gunicorn directly: behind Varnish one move in five smoke
        # runs went unseen for 15 s on a small desk (see docs/scaling.md, "The proxy tier").
        if shutil.which("varnishd") and not args.smoke:
            try:
                front = bench.Varnish(server)
            except bench.NginxUnavailable as problem:
                print(f"Varnish did not start; loading gunicorn directly: {problem}", file=sys.stderr)
        paths = [
            bench_article_path(server),
            ready["tag"],
            "/search/?q=remission",
            "/feeds/rss/",
            "/sitemap-articles.xml",
        ]
        reader = front or server  # readers ask the proxy, as in production
        for path in paths:  # warm every worker's first render
            fetch(server.url(path))
            fetch(reader.url(path))
        capacity = wrk_mixed(reader, paths, args.seconds)  # flat out: what the front can serve
        bench.settle(server)
        rate = capacity["rps"] * PACE
        with ServedTimes(front) as served_idle:
            idle = wrk_mixed(reader, paths, args.seconds, rate=rate)
        bench.settle(server)
        delays = []
        watcher = threading.Thread(
            target=watch,
            args=(reader, ready["slug"], ready["tag"], editor_process.stdout, delays),
            daemon=True,
        )
        watcher.start()
        editor_process.stdin.write(f"go {front.url('/')}\n" if front else "go\n")
        editor_process.stdin.flush()
        with ServedTimes(front) as served_busy:
            busy = wrk_mixed(reader, paths, args.seconds, rate=rate)
        flat_out = wrk_mixed(reader, paths, args.seconds)
        editor_process.terminate()  # no more moves; the watcher finishes timing the ones made, then ends
        editor_process.wait(timeout=10)
        watcher.join(timeout=3 * WITHIN)
    finally:
        editor_process.terminate()
        editor_process.wait(timeout=10)
        for running in (front, server):
            if running is not None:
                running.stop()

    worst = {s: max((d["seen_after"].get(s, 99) for d in delays), default=None) for s in SURFACES}
    late = [d for d in delays if d["never"] or any(v > WITHIN for v in d["seen_after"].values())]
    result = {
        "seconds": args.seconds,
        "workers": args.workers,
        "urls": paths,
        "capacity": capacity,
        "rate": round(rate),
        "idle": idle,
        "publishing": busy,
        "publishing_flat_out": flat_out,
        "served_p99_ms": {"idle": served_idle.p99(), "publishing": served_busy.p99()},
        "p99_ratio_flat_out": round(flat_out["p99"] / capacity["p99"], 2) if capacity["p99"] else None,
        "moves": len(delays),
        "published": sum(d["action"] == "published" for d in delays),
        "unpublished": sum(d["action"] == "unpublished" for d in delays),
        "worst_seconds_to_every_surface": worst,
        "late_or_missed_moves": late,
        "p99_ratio": round(busy["p99"] / idle["p99"], 2) if idle["p99"] else None,
        "front": "varnish" if front else "none",
    }
    result["checks"] = {
        "no_errors": not sum(r["errors"] + r["socket_errors"] for r in (capacity, idle, busy, flat_out)),
        "changes_visible_within_5s": bool(delays) and not late,
        "p99_within_1.2x_idle": result["p99_ratio"] is not None and result["p99_ratio"] <= 1.2,
    }
    served = result["served_p99_ms"]
    if served["idle"] and served["publishing"]:  # behind Varnish only
        result["checks"]["p99_inside_varnish_within_1.2x_idle"] = served["publishing"] <= 1.2 * served["idle"]
    (Path(args.out) / "publishing.json").write_text(json.dumps(result, indent=2) + "\n")
    if args.seconds >= 60:  # a full run is a result; a short one is only a smoke check
        add_to_results_md(Path(args.out), result)
    print(markdown(result))
    return 0 if all(result["checks"].values()) else 1


def add_to_results_md(folder: Path, result) -> None:
    """Put this run's section at the end of results.md in `folder` (beside publishing.json, so a run with
    --out elsewhere leaves the project's results alone), in place of the last run's."""
    results_md = folder / "results.md"
    earlier = results_md.read_text() if results_md.exists() else ""
    if "\n## Load while publishing" in earlier:
        earlier = earlier[: earlier.index("\n## Load while publishing")]
    results_md.write_text(earlier + markdown(result))


def bench_article_path(server) -> str:
    """A long-published article from the bench desk (not the probe), read off the feed."""
    body = fetch(server.url("/feeds/rss/"))[1]
    links = [p for p in re.findall(r"<link>https?://[^/]+(/news/[^<]+)</link>", body) if "probe" not in p]
    return links[-1] if links else "/news/"


def markdown(r) -> str:
    ok = "yes" if all(r["checks"].values()) else "NO"
    worst = ", ".join(f"{s} {v} s" for s, v in r["worst_seconds_to_every_surface"].items())
    served = r["served_p99_ms"]
    inside = (
        f" Inside Varnish (varnishncsa, request read to response sent), p99 at the steady rate was "
        f"{served['idle']} ms idle and {served['publishing']} ms publishing."
        if served["idle"]
        else ""
    )
    return (
        f"\n## Load while publishing\n\n"
        f"gunicorn with {r['workers']} sync workers{' behind Varnish' if r.get('front') == 'varnish' else ''}, "
        f"{r['idle']['generator']} with 8 connections over "
        f"{len(r['urls'])} URLs (article, tag, search, feed, sitemap), {r['seconds']} s a pass; in the last two "
        f"an editor published or unpublished a probe every 5 s ({r['published']} publishes, "
        f"{r['unpublished']} unpublishes). The steady rate is half of the idle flat-out rate.\n\n"
        f"| pass | requests/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n"
        + "".join(
            f"| {label} | {p['rps']:.0f} | {p['p50']:.1f} | {p['p99']:.1f} | {p['errors'] + p['socket_errors']} |\n"
            for label, p in (
                ("idle, flat out", r["capacity"]),
                (f"idle, at {r['rate']} requests/s", r["idle"]),
                (f"publishing, at {r['rate']} requests/s", r["publishing"]),
                ("publishing, flat out", r["publishing_flat_out"]),
            )
        )
        + "\n"
        f"p99 while publishing / idle at the steady rate: {r['p99_ratio']} (limit 1.2); flat out: "
        f"{r['p99_ratio_flat_out']}.{inside} Slowest time for a change to reach "
        f"each surface: {worst} (limit {WITHIN:.0f} s). All checks hold: {ok}.\n"
    )


if __name__ == "__main__":
    sys.exit(main())

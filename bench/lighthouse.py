"""Issue 13's Lighthouse bench: the demo patient's /trends/ and /report/ on a phone.

Run with `make lighthouse`, which installs Lighthouse (npm, pinned in
bench/lighthouse/package-lock.json) the first time and then runs this script; after
that `python3 -m uv run python bench/lighthouse.py [--runs 3]` runs it alone. It needs
Node and Debian's Chromium (`make chromium`).

Ripple runs as deployed (README): a fresh SQLite database in a temporary folder
(migrate, load_content, seed_demo), collectstatic with its hashed names and gzip and
brotli copies, and gunicorn with config/gunicorn.py, DEBUG off, whitenoise serving the
static files. Only the HTTPS redirect is switched off (SECURE_SSL_REDIRECT=0, the
documented switch), as there is no TLS on 127.0.0.1; the secure cookies stay secure,
and Lighthouse sends the session as a header (--extra-headers), which Chromium sends
over plain HTTP too. The demo patient logs in through the login form (a real POST with
its CSRF token).

Lighthouse runs with its defaults for a phone: mobile emulation, simulated throttling
(slow 4G, CPU slowed 4×), and a cleared cache and storage before each run, so each
run is a first visit. Two gatherers that come after the measurement are left out to
spare the shared CPU: the full-page screenshot and the back/forward-cache test (an
audit of weight 0 that navigates away and back, which would also mix its requests into
the access log). Runs alternate between the pages; the table gives each run and the
median of each figure. Reports (JSON and HTML) and gunicorn's access log (which
encoding each response was sent in) go to artifacts/lighthouse/.

Lighthouse records the page's requests only, not its service worker's: what the
worker fetches when it installs (templates/sw.js: workbox and the offline page) is
read from gunicorn's access log, request by request, and added to the first visit.

Budgets (issue 13): performance ≥ 90, TBT ≤ 200 ms, LCP ≤ 2.5 s, and a first visit
to /trends/ ≤ 360 KB. A missed budget is reported, not an error: the exit status is
non-zero only when the tool itself fails.
"""

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import brotli

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "bench" / "lighthouse"
CLI = TOOL / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
ATTEMPTS = 4  # runs of one page before a failed trace counts as the tool failing
# Without the background-networking flags Chromium's own calls home are refused by
# the closed network here, and the run fails.
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES = ["/trends/", "/report/"]
OUT = ROOT / "artifacts" / "lighthouse"
BUDGET = {"score": 90, "tbt": 200, "lcp": 2500, "first_visit": 360 * 1024}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Each response: path, status, body bytes (gunicorn's own count is 0 for whitenoise's
# files), what the browser accepted and what it was sent in.
ACCESS_FORMAT = (
    "ACCESS %(U)s %(s)s %({content-length}o)s ae=[%({accept-encoding}i)s] "
    "ce=[%({content-encoding}o)s]"
)
ACCESS = re.compile(r"ACCESS (\S+) (\d+) (\S+) ae=\[([^\]]*)\] ce=\[([^\]]*)\]")


class ToolFailure(Exception):
    """The bench could not measure: exit non-zero (a missed budget is not one)."""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each page (default 3)")
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        help="Lighthouse's CPU multiplier instead of its default 4 (to calibrate for this "
        "machine: the table prints the multiplier its benchmark index suggests)",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    check_tools()
    # A `kill` ends the runs as Ctrl+C does: gunicorn and the temporary folder go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="ripple-lighthouse-") as work:
            run_bench(Path(work), args)
    except ToolFailure as failure:
        sys.exit(f"lighthouse bench failed: {failure}")


def check_tools():
    if shutil.which("node") is None:
        sys.exit("Node is missing: Lighthouse 12 runs on Node 18.16 or newer.")
    if not CLI.exists():
        sys.exit("Lighthouse is not installed in bench/lighthouse: run `make lighthouse`.")
    if not Path(CHROMIUM).exists():
        sys.exit(f"No Chromium at {CHROMIUM}: run `make chromium`.")


def run_bench(work: Path, args):
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k != "RIPPLE_NEW_DATABASE"}
    base |= {"DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}", "LOG_LEVEL": "WARNING"}
    # seed_demo runs only with DEBUG on (its logins have public passwords).
    build = base | {"DEBUG": "1", "RIPPLE_NEW_DATABASE": "1"}
    production = base | {
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "RIPPLE_STATIC_ROOT": str(work / "static"),
        "RIPPLE_COMPRESS_STATIC": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "1",
    }
    # Reports of runs with another CPU multiplier are kept beside the default ones.
    suffix = f"-cpu{args.cpu_slowdown:g}" if args.cpu_slowdown else ""
    start = time.perf_counter()
    manage(build, "migrate", "--noinput")
    manage(build, "load_content")
    manage(build, "seed_demo")
    manage(production, "collectstatic", "--noinput")
    print(f"Database and static files ready in {time.perf_counter() - start:.0f} s ({work})")

    log_path = work / "gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(  # noqa: S603 - our app, as the README deploys it
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
             "--access-logformat", ACCESS_FORMAT, "config.wsgi"],
            cwd=ROOT, env=production, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(server, port, log_path)
            cookies = log_in(port)
            pages = warm_up(port, cookies)
            headers = work / "headers.json"
            headers.write_text(json.dumps({"Cookie": cookie_header(cookies)}))
            results = {page: [] for page in PAGES}
            for run in range(1, args.runs + 1):
                for page in PAGES:
                    name = f"{page.strip('/')}-{run}{suffix}"
                    for attempt in range(1, ATTEMPTS + 1):
                        logged = log_path.stat().st_size
                        try:
                            lhr = lighthouse(port, page, name, headers, work, args)
                            break
                        except ToolFailure as failure:
                            # Lighthouse's own advice for a failed trace (NO_NAVSTART,
                            # seen here on busy and quiet machines alike): run it again.
                            if attempt == ATTEMPTS:
                                raise
                            print(f"  {name}: {failure}\n  {name}: once more", flush=True)
                    lhr["served"] = served(log_path, logged)  # the requests of this run
                    results[page].append(lhr)
                    print(f"  {name}: {figures(lhr)['score']:.0f}", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    shutil.copy(log_path, OUT / f"gunicorn-access{suffix}.log")
    report(results, pages)


def manage(env, *command):
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *command, "--verbosity", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise ToolFailure(f"manage.py {' '.join(command)}:\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(server, port, log_path):
    for _ in range(300):
        if server.poll() is not None:
            raise ToolFailure(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise ToolFailure("gunicorn did not start in 30 s")


def cookie_header(cookies) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def request(port, method, path, cookies, body=None):
    """One request (gunicorn's sync workers close each connection); cookies kept."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie_header(cookies)}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read().decode()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
    connection.close()
    return response, content


def log_in(port) -> dict:
    """The demo patient's cookies after the login form."""
    cookies = {}
    _, page = request(port, "GET", "/accounts/login/", cookies)
    token = CSRF.search(page)
    if token is None:
        raise ToolFailure("the login page has no CSRF token")
    form = {"csrfmiddlewaretoken": token.group(1), "username": "demo", "password": "ripple-demo"}
    response, _ = request(port, "POST", "/accounts/login/", cookies, urlencode(form))
    if response.status != 302 or "sessionid" not in cookies:
        raise ToolFailure(f"logging in as demo answered {response.status}, with no session")
    return cookies


def warm_up(port, cookies) -> dict:
    """Each page, several times at once so that every gunicorn worker serves it: a
    worker's first page imports and compiles what later ones reuse (/trends/ took 5 s
    in a fresh worker here), which Lighthouse would take for the server's speed. For
    each page, its charts and its HTML (uncompressed: this client asks for no gzip)."""

    def fetch(page):
        response, content = request(port, "GET", page, dict(cookies))
        if response.status != 200:
            raise ToolFailure(f"{page} answered {response.status} to the demo patient")
        return page, (content.count("data-figure="), content.encode())

    with ThreadPoolExecutor(max_workers=6) as pool:
        return dict(pool.map(fetch, PAGES * 6))


def lighthouse(port, page, name, headers, work, args) -> dict:
    url = f"http://127.0.0.1:{port}{page}"
    command = [
        "node", str(CLI), url,
        f"--chrome-path={CHROMIUM}", f"--chrome-flags={CHROME_FLAGS}",
        f"--extra-headers={headers}", "--only-categories=performance",
        "--skip-audits=bf-cache", "--disable-full-page-screenshot",
        "--output=json", "--output=html", f"--output-path={OUT / name}", "--quiet",
    ]  # fmt: skip
    if args.cpu_slowdown:
        command.append(f"--throttling.cpuSlowdownMultiplier={args.cpu_slowdown}")
    # Chromium's profile goes to the temporary folder, and with it when the bench ends.
    env = os.environ | {"CHROME_PATH": CHROMIUM, "TMPDIR": str(work)}
    process = subprocess.Popen(command, cwd=TOOL, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        _, errors = process.communicate(timeout=300)
    except BaseException as stop:
        # Interrupted (or stuck): SIGINT lets Lighthouse close the Chromium it started.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        if isinstance(stop, subprocess.TimeoutExpired):
            raise ToolFailure(f"Lighthouse on {url} took more than 5 minutes") from None
        raise
    if process.returncode:
        raise ToolFailure(f"Lighthouse on {url} exited {process.returncode}:\n{errors[-3000:]}")
    lhr = json.loads((OUT / f"{name}.report.json").read_text())
    if lhr.get("runtimeError"):
        raise ToolFailure(f"Lighthouse on {url}: {lhr['runtimeError']['message']}")
    if urlsplit(lhr["finalDisplayedUrl"]).path != page:  # sent to log in, say
        raise ToolFailure(f"Lighthouse on {url} ended at {lhr['finalDisplayedUrl']}")
    return lhr


def served(log_path, offset) -> list:
    """What gunicorn answered since `offset` in its log: (path, status, body bytes,
    Accept-Encoding asked, Content-Encoding sent)."""
    with open(log_path, "rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    answers = []
    for line in lines:
        match = ACCESS.search(line)
        if match:
            path, status, size, accepted, encoding = match.groups()
            size = int(size) if size.isdigit() else 0
            answers.append((path, int(status), size, accepted, encoding.strip("-") or "none"))
    return answers


def figures(lhr) -> dict:
    audits = lhr["audits"]
    return {
        "score": lhr["categories"]["performance"]["score"] * 100,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        # Observed without throttling: the page's own wait, and the server latency the
        # simulation adds to every request (a busy machine shows here first).
        "ttfb": audits["server-response-time"]["numericValue"],
        "latency": max(
            (row["serverResponseTime"] for row in items(lhr, "network-server-latency")),
            default=0,
        ),
        "benchmark": lhr["environment"]["benchmarkIndex"],
    }


def items(lhr, audit) -> list:
    return (lhr["audits"].get(audit, {}).get("details") or {}).get("items", [])


def path_of(url: str) -> str:
    return urlsplit(url).path if url.startswith("http") else url[:40] + "…"


def suggested_multiplier(benchmark: float) -> float:
    """The CPU multiplier Lighthouse's throttling docs suggest for a machine's benchmark
    index, to stand for a mid-range phone (their calculator: 150 is 1×, 800 2×, 1300
    3×, 1533 4×)."""
    if benchmark >= 1300:
        return 3 + (benchmark - 1300) / 233
    if benchmark >= 800:
        return 2 + (benchmark - 800) / 500
    return 1 + max(benchmark - 150, 0) / 650


def median_run(runs):
    """The run whose score is the median (ties: the higher TBT), for the details."""
    ranked = sorted(runs, key=lambda lhr: (figures(lhr)["score"], -figures(lhr)["tbt"]))
    return ranked[len(ranked) // 2]


def unseen(lhr) -> list:
    """What gunicorn served during the run that Lighthouse did not record: the
    service worker's requests as it installs (its script, workbox, the files it keeps
    that the page had not loaded). Each once: seconds after the measured load, /sw.js
    and the manifest are fetched again, which a first visit pays for once."""
    seen = {path_of(item["url"]) for item in items(lhr, "network-requests")}
    extra = {}
    for answer in lhr["served"]:
        if answer[0] not in seen:
            extra.setdefault(answer[0], answer)
    return list(extra.values())


def report(results, pages):
    first = results[PAGES[0]][0]
    settings = first["configSettings"]
    throttling = settings["throttling"]
    browser = re.search(r"HeadlessChrome/[\d.]+", first["environment"]["hostUserAgent"])
    print(
        f"\nLighthouse {first['lighthouseVersion']}, {browser and browser.group(0)}: "
        f"{settings['formFactor']}, {settings['throttlingMethod']} throttling (RTT "
        f"{throttling['rttMs']:.0f} ms, {throttling['throughputKbps'] / 1024:.1f} Mbit/s, "
        f"CPU {throttling['cpuSlowdownMultiplier']:g}× slower); cache and storage cleared "
        f"before each run: {'no' if settings['disableStorageReset'] else 'yes'}"
    )
    print("Charts drawn: " + ", ".join(f"{page} {n}" for page, (n, _) in pages.items()))
    # What brotli would save on the pages, which GZipMiddleware sends as gzip (level 6).
    for page, (_, html) in pages.items():
        print(
            f"{page} HTML: {len(html):,} bytes, gzip {len(gzip.compress(html, 6)):,}, "
            f"brotli quality 5 {len(brotli.compress(html, quality=5)):,}, "
            f"quality 11 {len(brotli.compress(html)):,}"
        )
    print(
        f"\n{'page':10} {'run':>6} {'score':>6} {'TBT ms':>7} {'LCP s':>6} {'FCP s':>6} "
        f"{'bytes':>9} {'TTFB ms':>8} {'server ms':>9} {'bench':>6}"
    )
    for page, runs in results.items():
        rows = [figures(lhr) for lhr in runs]
        for n, row in enumerate(rows, 1):
            print(line(page, str(n), row))
        median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        print(line(page, "median", median))
        missed = [
            name
            for name, met in [
                ("score", median["score"] >= BUDGET["score"]),
                ("TBT", median["tbt"] <= BUDGET["tbt"]),
                ("LCP", median["lcp"] <= BUDGET["lcp"]),
            ]
            if not met
        ]
        print(f"{'':10} budgets: {'met' if not missed else 'missed ' + ', '.join(missed)}")
    index = statistics.median(figures(lhr)["benchmark"] for rs in results.values() for lhr in rs)
    print(
        "(TTFB: the page's own, observed; server: the latency the simulation adds to each "
        "request; bench: Lighthouse's benchmark index of this machine)\n"
        f"Benchmark index {index:.0f}: Lighthouse's 4× is meant for a desktop of about "
        f"1,500; for this machine its calculator suggests {suggested_multiplier(index):.1f}× "
        "(--cpu-slowdown)."
    )
    first_visit(median_run(results[PAGES[0]]))
    for page, runs in results.items():
        details(page, median_run(runs))


def line(page, run, row) -> str:
    return (
        f"{page:10} {run:>6} {row['score']:6.0f} {row['tbt']:7.0f} {row['lcp'] / 1000:6.2f} "
        f"{row['fcp'] / 1000:6.2f} {row['bytes']:9,.0f} {row['ttfb']:8.0f} "
        f"{row['latency']:9.0f} {row['benchmark']:6.0f}"
    )


def first_visit(lhr):
    counted = lhr["audits"]["total-byte-weight"]["numericValue"]
    extra = unseen(lhr)
    added = sum(size for _, _, size, _, _ in extra)
    total = counted + added
    print(
        f"\nFirst visit to {PAGES[0]} (the median run, cache emptied by Lighthouse): "
        f"{counted:,.0f} bytes counted by Lighthouse (total-byte-weight, headers included)"
        f"\n  + {added:,} bytes of response bodies in {len(extra)} requests it does not see, "
        f"made by the service worker as it installs: "
        + ", ".join(f"{path} ({size:,} {encoding})" for path, _, size, _, encoding in extra)
        + f"\n  = {total:,.0f} bytes: {'within' if total <= BUDGET['first_visit'] else 'over'} "
        f"the budget of 360 KB ({BUDGET['first_visit']:,} bytes)"
    )


def details(page, lhr):
    audits = lhr["audits"]
    encodings = {path: encoding for path, _, _, _, encoding in lhr["served"]}
    accepted = {answer[3] for answer in lhr["served"]}
    print(f"\n== {page}, the median run: where the bytes and the main thread go ==")
    print(f"Chromium asked for: {' | '.join(sorted(accepted))}")
    requests = sorted(items(lhr, "network-requests"), key=lambda r: -r.get("transferSize", 0))
    print(f"{'transfer':>10} {'resource':>10}  {'sent as':8} request")
    for item in requests[:8]:
        path = path_of(item["url"])
        print(
            f"{item.get('transferSize', 0):10,} {item.get('resourceSize', 0):10,}  "
            f"{encodings.get(path, '-'):8} {path}"
        )
    print("By script (bootup-time, ms, CPU slowdown applied):")
    for item in items(lhr, "bootup-time")[:4]:
        print(
            f"  {item['total']:6.0f} total, {item['scripting']:6.0f} running, "
            f"{item['scriptParseCompile']:5.0f} parse and compile: {path_of(item['url'])}"
        )
    groups = items(lhr, "mainthread-work-breakdown")
    print("By kind (ms): " + ", ".join(f"{g['groupLabel']} {g['duration']:.0f}" for g in groups))
    tasks = items(lhr, "long-tasks")
    print(
        f"Long tasks: {len(tasks)}, the longest "
        + ", ".join(f"{t['duration']:.0f} ms ({path_of(t['url'])})" for t in tasks[:3])
    )
    for block in items(lhr, "forced-reflow-insight")[:1]:
        for row in block.get("items", [])[:2]:
            print(
                f"Forced reflows: {row['reflowTime']:.0f} ms, from {path_of(row.get('source', {}).get('url', '?'))}"
            )
    blocking = items(lhr, "render-blocking-resources")
    print(
        "Render-blocking: "
        + (
            ", ".join(f"{path_of(r['url'])} ({r.get('wastedMs', 0):.0f} ms)" for r in blocking)
            or "none"
        )
    )
    for item in items(lhr, "unused-javascript")[:3]:
        print(
            f"Unused JS: {item['wastedBytes']:,} of {item['totalBytes']:,} bytes sent of "
            f"{path_of(item['url'])}"
        )
    for block in items(lhr, "largest-contentful-paint-element")[:1]:
        for row in block.get("items", [])[:1]:
            node = row["node"]
            print(f'LCP element: {node.get("selector")} "{node.get("nodeLabel", "")[:60]}"')
    print(f"DOM: {audits['dom-size']['displayValue']}")


if __name__ == "__main__":
    main()

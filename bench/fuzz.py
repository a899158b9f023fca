"""Fuzz every URL of Ripple as every role, with hostile input, and count server errors.

Every named URL pattern (the admin's included), for each of 8 roles (anonymous, two
patients, a clinician, an editor, a reviewer, staff and a superuser), is sent GET,
HEAD, OPTIONS, PUT and POST (plain and htmx) with values that broke things before:
huge and negative integers, right-to-left marks, 100 KB strings, dates out of range,
form-set counts of a million, control characters, lists where one value is expected.

Run with `python3 -m uv run python bench/fuzz.py [requests]` from the project root
(31,000 by default, as the security review sent). Prints the count of each status
and every 5xx with its URL, role and method; exits 1 if there was any.
"""

import collections
import random
import sys
import time

from common import made_up_diary, prepare
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

HOSTILE = [
    "99999999999999999999999", "-9223372036854775809", "-1", "0", "1e309", "NaN",
    "\u202eAlice", "\u2066x\u2069", "x" * 100_000, "", " ", "\x00", "\x1b[31m",
    "9999-99-99", "0001-01-01", "2026-02-30", "<script>alert(1)</script>", "' OR 1=1 --",
    "../../etc/passwd", "ABCD-EFGH-JKMN-PQRS", "on", "yes", "true", "[]", "{}", "😀" * 50,
]  # fmt: skip
FIELDS = [
    "username", "password", "password1", "password2", "email", "code", "first_name",
    "display_name", "time_zone", "tracked_symptoms", "weekly_symptoms", "weekly_on",
    "prior_tamoxifen", "start", "end", "sections", "label", "days_valid", "note",
    "day-dose", "day-missed_reason", "day-note", "day-considering_stopping",
    "joint-pain-severity", "joint-pain-frequency", "joint-pain-sites", "fatigue-severity",
    "hot-flashes-episodes_mild", "visit_notes", "action", "month", "range", "value",
    "flag", "back", "agree", "at", "by_email", "quiet_days", "kind", "title", "starts_on",
    "drug", "started_on", "q", "topic", "depth", "body", "form-TOTAL_FORMS",
    "references-TOTAL_FORMS", "references-INITIAL_FORMS", "_selected_action", "index",
    "otp_token", "token", "paper", "fmt",
]  # fmt: skip
HEADERS = [{}, {"HTTP_HX_REQUEST": "true"}, {"HTTP_X_SENT_AT": "1", "HTTP_X_ANSWERED_AT": "9" * 30}]
ARGS = {"date": ["2026-01-01", "1999-12-31", "2999-01-01"], "slug": ["joint-pain", "nope"],
        "pk": ["1", "2", "999999999"], "fmt": ["pdf", "csv", "fhir", "xml"],
        "token": ["x" * 43, "a"], "path": ["x"], "object_id": ["1", "999999999"]}  # fmt: skip


def patterns(resolver=None, prefix=""):
    """Every route, with <arg> placeholders."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.lstrip("^").rstrip("$").replace("\\Z", "")


def concrete(route: str, rng: random.Random) -> str:
    import re

    def fill(match):
        name = match.group(1).split(":")[-1]
        return rng.choice(ARGS.get(name, ["1"]))

    url = re.sub(r"<([^>]+)>", fill, route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: rng.choice(ARGS.get(m.group(1), ["1"])), url)
    return "/" + re.sub(r"[\^$?*+()\\]", "", url)


def roles_clients():
    from django.contrib.auth.models import Group

    from tests.factories import make_patient, make_user
    from tracker import roles
    from tracker.models import CareAccess

    alice = make_patient("alice")
    made_up_diary(alice, days=120, seed=1)
    charlie = make_patient("charlie")
    doctor = make_user("drlee", role=roles.CLINICIAN, email="lee@clinic.example")
    _, code = CareAccess.invite(patient=alice)
    CareAccess.accept(code=code, clinician=doctor)
    editor = make_user("ed", role=roles.CONTENT_EDITOR, is_staff=True)
    reviewer = make_user("rev", role=roles.CLINICAL_REVIEWER, is_staff=True)
    staff = make_user("staff", role=roles.PATIENT, is_staff=True)
    staff.groups.clear()
    staff.groups.add(*Group.objects.all())
    root = make_user("root", is_staff=True, is_superuser=True)
    clients = {"anonymous": Client()}
    users = {}
    for name, user in [("alice", alice.user), ("charlie", charlie.user), ("clinician", doctor),
                       ("editor", editor), ("reviewer", reviewer), ("staff", staff), ("superuser", root)]:  # fmt: skip
        client = Client()
        verified_login(client, user)
        clients[name] = client
        users[name] = user
    return clients, users


def verified_login(client, user):
    """Logged in as far as every page goes: with a second factor where one is asked."""
    try:
        from tests.factories import login_verified
    except ImportError:
        client.force_login(user)
    else:
        login_verified(client, user)


def main(total: int):
    import logging

    prepare()
    logging.disable(logging.CRITICAL)  # 4xx are logged with tracebacks; 5xx are counted here
    rng = random.Random(31)
    routes = sorted(set(patterns()))
    clients, users = roles_clients()
    statuses = collections.Counter()
    relogins = collections.Counter()
    errors = []
    started = time.perf_counter()
    for n in range(total):
        route = rng.choice(routes)
        url = concrete(route, rng)
        role = rng.choice(list(clients))
        client = clients[role]
        method = rng.choice(["get", "get", "post", "post", "post", "head", "options", "put"])
        data = {
            rng.choice(FIELDS): rng.choice(HOSTILE) if rng.random() < 0.8 else [rng.choice(HOSTILE)] * 3
            for _ in range(rng.randint(0, 6))
        }  # fmt: skip
        headers = rng.choice(HEADERS)
        try:
            if method == "get":
                response = client.get(
                    url,
                    {k: v for k, v in data.items() if not isinstance(v, str) or len(v) < 2000},
                    **headers,
                )
            elif method in ("post",):
                response = client.post(url, data, **headers)
            else:
                response = getattr(client, method)(url, **headers)
            status = response.status_code
        except Exception as error:  # the test client re-raises what the server raised
            status = 500
            errors.append((url, role, method, type(error).__name__))
        statuses[status] += 1
        if status >= 500 and status != 503:
            errors.append((url, role, method, status))
        # A fuzzed logout, idle timeout or deleted session would leave the role anonymous
        # for the rest of the run: log it in again, so every role is fuzzed throughout.
        if role in users and "_auth_user_id" not in client.session:
            if not type(users[role]).objects.filter(pk=users[role].pk).exists():
                users[role].save()  # deleted by a fuzzed "delete my account": back again
            verified_login(client, users[role])
            relogins[role] += 1
        if (n + 1) % 5000 == 0:
            print(f"{n + 1} requests, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"{total} requests to {len(routes)} URL patterns as {len(clients)} roles "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    print("statuses:", dict(sorted(statuses.items())))
    print("logged in again after a fuzzed logout:", dict(relogins))
    for error in errors[:50]:
        print("5xx:", *error)
    print(f"{len(errors)} server errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 31_000))

"""Every page a patient, a clinician, an editor, a reviewer and an admin can reach,
audited by axe (its default rules) at a phone's width and a desktop's.

One browser and one page for the whole sweep: each person's session is made on the
server and handed to the browser as its cookie, so nobody logs in page by page. The
sweep is cut into parts, by who visits, so that a parallel run (pytest-xdist) shares
them out. Each part leaves its table of pages, widths and violations in
artifacts/axe/ (bench/axe.py prints them)."""

import datetime as dt
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_FILE_PATH as AXE_SCRIPT
from django.conf import settings
from django.contrib.admin import site
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from education.models import ContextRule, Depth, Topic
from tests.factories import (
    PASSWORD,
    an_object_of,
    give_access,
    log,
    login_verified,
    make_app_device,
    make_patient,
    make_user,
)
from tracker import demo, roles
from tracker.accounts import two_factor
from tracker.models import CareAccess, ReportSection, ShareLink
from tracker.reminders.sending import stop_token
from tracker.sharing import join_confirmation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [390, 1280]
HEIGHT = 900

# Where a rule is wrong for one element, and why; nothing else is waived.
WAIVED = {
    # Django's admin search box is labelled "Search" by the magnifier icon in its
    # <label> (the icon's alt text) and, where the list has search help, described
    # by that help under it. This best-practice rule counts only a label's visible
    # text, so any field labelled by an icon and described by help fails it; the
    # box's name and description are both there for a screen reader.
    ("label-title-only", "#searchbar"),
}


PARTS = ["anyone", "patients", "clinicians", "content team", "admin"]


@pytest.mark.parametrize("part", PARTS)
def test_every_page_passes_an_accessibility_audit(part, browser, live_server, artifacts):
    found = sweep(browser, live_server.url, pages_of(make_people())[part])
    (artifacts / "axe").mkdir(exist_ok=True)
    (artifacts / "axe" / f"{part}.txt").write_text(table(found))
    failures = [
        f"{page} at {width} px: {rule} on {target}"
        for page, width, _, targets in found
        for rule, target in targets
        if (rule, target) not in WAIVED
    ]
    assert not failures, "\n".join(failures)


# --- Who visits, and what they have -------------------------------------------------


def make_people():
    """A patient with six months of diary, her clinician, the content team, an admin,
    and people half-way through a step (a login owing its code, a new account)."""
    sam = make_patient("sam", first_name="Sam", last_name="Rivers")
    today = sam.today()
    demo.build(sam, today=today)
    log(sam, today, "vaginal-dryness", severity=2)  # an explanation beside today's card
    _, share_token = ShareLink.make(
        patient=sam,
        sections=list(ReportSection.values),
        starts_on=today - dt.timedelta(days=89),
        ends_on=today,
        label="For the oncology clinic",
    )
    clinician = make_user("drlee", role=roles.CLINICIAN, first_name="Grace", last_name="Lee")
    give_access(sam, clinician)
    make_app_device(clinician)

    editor = make_staff("editor", roles.CONTENT_EDITOR)
    reviewer = make_staff("reviewer", roles.CLINICAL_REVIEWER)
    admin = make_staff("admin", roles.ADMIN, is_superuser=True)
    # A draft that differs from what patients read, and a version waiting for review.
    joint_pain = Topic.objects.get(slug="joint-pain").published_version
    draft = joint_pain.copy_as_draft(by=editor)
    draft.fundamentals = draft.fundamentals.replace(".", ", as the trials found.", 1)
    draft.render()
    draft.save()
    waiting = Topic.objects.get(slug="hot-flashes").published_version.copy_as_draft(by=editor)
    waiting.submit()

    # A clinician invited by email, whose account waits for the link sent to it.
    pending = make_user("drnew", role=roles.CLINICIAN, email="drnew@example.org", is_active=False)
    _, code = CareAccess.invite(patient=sam, email="drnew@example.org")
    join_token = signing.dumps(
        {"u": pending.pk, "c": code}, salt=join_confirmation.SALT, compress=True
    )
    return {
        "sam": sam,
        "today": today,
        "share_token": share_token,
        "clinician": clinician,
        "editor": editor,
        "reviewer": reviewer,
        "admin": admin,
        "draft": draft,
        "waiting": waiting,
        "published": joint_pain,
        "join_token": join_token,
        "new_patient": make_patient("newbie", onboarded=False),
        "new_clinician": make_user("drfirst", role=roles.CLINICIAN),
    }


def make_staff(username, role, **flags):
    user = make_user(username, role=role, is_staff=True, **flags)
    make_app_device(user)
    return user


def session(user, *, verified=True, **values):
    """A signed-in session for the browser, made on the server: as after a login
    (and its second step, unless verified=False), with `values` added to it."""
    client = Client()
    if verified:
        login_verified(client, user)
    else:
        client.force_login(user)
    stored = client.session
    stored.update(values)
    stored.save()
    return stored.session_key


# --- What each of them can reach ----------------------------------------------------


def pages_of(people):
    """{part: [(session maker or None, [(page, path or step)])]}: the pages, person by
    person, in PARTS.
    A step is a function given the browser page and the site's address; it leaves
    the page to audit on screen (the list after an action, say)."""
    sam, today = people["sam"], people["today"]
    draft, waiting, published = people["draft"], people["waiting"], people["published"]
    event = sam.timeline_events.first()
    therapy = sam.therapies.first()
    link = sam.share_links.first()
    uid = urlsafe_base64_encode(force_bytes(sam.user.pk))
    reset_token = default_token_generator.make_token(sam.user)
    anyone = [
        ("landing", "/"),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
        ("password reset", "/accounts/password_reset/"),
        ("password reset sent", "/accounts/password_reset/done/"),
        ("password reset link", f"/accounts/reset/{uid}/{reset_token}/"),
        ("password reset link, used", f"/accounts/reset/{uid}/not-a-token/"),
        ("password reset done", "/accounts/reset/done/"),
        ("clinician join", "/clinician/join/"),
        ("clinician join confirm", f"/clinician/join/confirm/{people['join_token']}/"),
        ("clinician join confirm, unknown", "/clinician/join/confirm/nope/"),
        ("privacy notice", "/privacy/"),
        ("account deleted", "/goodbye/"),
        ("offline", "/offline/"),
        ("library", "/learn/"),
        ("library search", "/learn/?q=bone"),
        *[(f"topic, {depth}", f"/learn/joint-pain/?depth={depth}") for depth in Depth.values],
        ("shared report", f"/r/{people['share_token']}/"),
        ("shared report pdf", f"/r/{people['share_token']}/pdf/"),
        ("shared link, unknown", "/r/not-a-token/"),
        ("reminders stop", f"/reminders/stop/{stop_token(sam)}/"),
        ("reminders stop, unknown", "/reminders/stop/nope/"),
        ("404", "/no-such-page/"),
        ("admin login", "/admin/login/"),
        ("403 csrf", stale_form),
        ("locked out", locked_out),
    ]
    patient = [
        ("check-in today", "/today/"),
        ("check-in a past day", f"/day/{today - dt.timedelta(days=3)}/"),
        ("history", "/history/"),
        ("trends", "/trends/"),
        *[(f"trends {r}", f"/trends/?range={r}") for r in ["30", "90", "365", "all"]],
        (
            "trends custom",
            f"/trends/?range=custom&start={today - dt.timedelta(days=50)}&end={today}",
        ),
        ("timeline", "/timeline/"),
        ("timeline add", "/timeline/new/"),
        ("timeline edit", f"/timeline/{event.pk}/"),
        ("report", "/report/"),
        ("report pdf", "/report/pdf/"),
        ("settings", "/settings/"),
        ("reminders", "/settings/reminders/"),
        ("medicine add", "/settings/medicine/new/"),
        ("medicine edit", f"/settings/medicine/{therapy.pk}/"),
        ("delete account", "/settings/delete-account/"),
        ("download my data", "/settings/data/"),
        ("privacy agree", "/privacy/agree/"),
        ("sharing", "/sharing/"),
        ("sharing new", "/sharing/new/"),
        ("sharing detail", f"/sharing/{link.pk}/"),
        ("care team", "/care-team/"),
        ("library, signed in", "/learn/"),
        ("topic, signed in", "/learn/hot-flashes/?depth=academic"),
        ("password change", "/accounts/password_change/"),
        ("password change done", "/accounts/password_change/done/"),
        ("two-factor setup, patient", "/accounts/two-factor/setup/"),
        ("404 signed in", "/clinician/"),
    ]
    clinician_pages = [
        ("clinician panel", "/clinician/"),
        ("clinician patient", f"/clinician/patients/{sam.pk}/"),
        ("clinician patient 365", f"/clinician/patients/{sam.pk}/?range=365"),
        ("clinician report", f"/clinician/patients/{sam.pk}/report/"),
        ("clinician report pdf", f"/clinician/patients/{sam.pk}/report/pdf/"),
        ("clinician accept", "/clinician/accept/"),
    ]
    version = "/admin/education/topicversion"
    topic = f"/admin/education/topic/{draft.topic_id}"
    editor_pages = [
        ("admin index, editor", "/admin/"),
        ("education app", "/admin/education/"),
        ("topics", "/admin/education/topic/"),
        ("topics due", "/admin/education/topic/?review=due"),
        ("topic", f"{topic}/change/"),
        ("topic add", "/admin/education/topic/add/"),
        ("versions", f"{version}/"),
        ("versions, drafts", f"{version}/?status=draft"),
        ("version search", f"{version}/?q=joint"),
        ("version draft", f"{version}/{draft.pk}/change/"),
        ("version published", f"{version}/{published.pk}/change/"),
        ("version add", f"{version}/add/?topic={draft.topic_id}"),
        ("version compare", f"{version}/{draft.pk}/compare/"),
        ("version compare with", f"{version}/{published.pk}/compare/?with={draft.pk}"),
        ("preview", f"{version}/{draft.pk}/preview/?depth=academic"),
        ("version history", f"{version}/{draft.pk}/history/"),
        ("version delete", f"{version}/{draft.pk}/delete/"),
        ("rules", "/admin/education/contextrule/"),
        ("admin password change", "/admin/password_change/"),
        ("403", "/admin/tracker/user/"),
        ("submit for review", action(version, draft, "submit_for_review")),
    ]
    reviewer_pages = [
        ("admin index, reviewer", "/admin/"),
        ("topics, reviewer", "/admin/education/topic/"),
        ("topic, reviewer", f"{topic}/change/"),
        ("version in review", f"{version}/{waiting.pk}/change/"),
        ("rule", f"/admin/education/contextrule/{ContextRule.objects.first().pk}/change/"),
        ("rule add", "/admin/education/contextrule/add/"),
        ("publish refused", action(version, published, "publish")),
        ("send back to draft", action(version, waiting, "return_to_draft")),
    ]
    admin_pages = [
        *admin_model_pages(people["admin"]),
        ("user password", f"/admin/tracker/user/{people['editor'].pk}/password/"),
        ("user delete", f"/admin/tracker/user/{sam.user.pk}/delete/"),
    ]
    halfway = [("two-factor verify", "/accounts/two-factor/")]
    return {
        "anyone": [(None, anyone)],
        "patients": [
            (lambda: session(sam.user, verified=False), patient),
            (
                lambda: session(people["new_patient"].user, verified=False),
                [("onboarding", "/welcome/")],
            ),
        ],
        "clinicians": [
            (lambda: session(people["clinician"]), clinician_pages),
            (lambda: session(people["clinician"], verified=False), halfway),
            (
                lambda: session(people["new_clinician"], verified=False),
                [("two-factor setup", "/accounts/two-factor/setup/")],
            ),
            (
                lambda: session(
                    people["clinician"],
                    **{two_factor.NEW_CODES_KEY: [f"code{n:04d}" for n in range(10)]},
                ),
                [("two-factor codes", "/accounts/two-factor/codes/")],
            ),
        ],
        "content team": [
            (lambda: session(people["editor"]), editor_pages),
            (lambda: session(people["reviewer"]), reviewer_pages),
        ],
        "admin": [(lambda: session(people["admin"]), admin_pages)],
    }


def admin_model_pages(admin):
    """The admin's index, each app's page, and each model's list, add form (where
    anything can be added) and an object's page, as an admin sees them."""
    request = RequestFactory().get("/admin/")
    request.user = admin
    found = [("admin index", "/admin/")]
    for app in sorted({model._meta.app_label for model in site._registry}):
        found.append((f"admin {app}", reverse("admin:app_list", args=[app])))
    for model, model_admin in site._registry.items():
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        label = f"admin {model._meta.label_lower}"
        found.append((f"{label} list", reverse(f"admin:{name}_changelist")))
        if model_admin.has_add_permission(request):
            found.append((f"{label} add", reverse(f"admin:{name}_add")))
        obj = an_object_of(model)
        found.append((f"{label} change", reverse(f"admin:{name}_change", args=[obj.pk])))
    return found


# --- Steps: pages reached by doing something ----------------------------------------


def action(changelist, version, name):
    """The list after a review action on one version (its message on top)."""

    def step(page, url):
        page.goto(f"{url}{changelist}/?q={version.title.split()[0]}")
        page.check(f"input[name=_selected_action][value='{version.pk}']")
        page.select_option("select[name=action]", name)
        with page.expect_navigation():
            page.click("button[name=index]")
        assert page.locator(".messagelist li").count() == 1

    return step


def stale_form(page, url):
    """A form sent after its session cookie went: the CSRF failure page."""
    page.goto(f"{url}/accounts/login/")
    page.context.clear_cookies()
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.inner_text("h1") == "This page had expired"


def locked_out(page, url):
    """Five wrong passwords for one name: the lockout page."""
    page.goto(f"{url}/accounts/login/")
    for _ in range(6):
        page.fill("#id_username", "nobody")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        if page.locator("#id_username").count() == 0:
            break
    assert page.inner_text("h1") == "Too many tries"


# --- The sweep ----------------------------------------------------------------------


# Beside axe's rules, one of ours: a page wider than the window makes a phone scroll
# sideways to read each line (WCAG 1.4.10, Reflow), which no axe rule looks for.
OVERFLOW = """() => {
    const width = document.documentElement.scrollWidth;
    return width > document.documentElement.clientWidth ? width : 0;
}"""


LOGIN = ("/accounts/login/", "/accounts/two-factor/", "/admin/login/")


def sweep(browser, url, pages):
    """[(page, width, seconds, [(rule, target)])]: what axe found on each page at each
    width, and how long reaching and auditing it took.

    Each page is reached once at the first width, audited, and audited again at each
    other width with the window resized; a page with charts is loaded again instead,
    as they are drawn for the width they load at."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT})
    # In every page as it loads, rather than sent over for each audit.
    context.add_init_script(path=AXE_SCRIPT)
    page = context.new_page()
    found = []
    for make_session, visits in pages:
        context.clear_cookies()
        if make_session is not None:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": make_session(), "url": url}]
            )
        for label, visit in visits:
            start = time.perf_counter()
            page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
            if callable(visit):
                visit(page, url)
            else:
                response = page.goto(f"{url}{visit}")
                # An error page, or a session that didn't take, would pass unseen.
                assert response.status < 500, (label, response.status)
                landed = urlsplit(page.url).path
                assert visit.startswith(landed) or not landed.startswith(LOGIN), (label, landed)
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    if page.locator("[data-figure]").count():
                        page.reload()
                results = page.evaluate("axe.run({resultTypes: ['violations']})")
                targets = [
                    (rule["id"], " ".join(node["target"]))
                    for rule in results["violations"]
                    for node in rule["nodes"]
                ]
                if overflow := page.evaluate(OVERFLOW):
                    targets.append(("reflow", f"html ({overflow} px wide)"))
                found.append((label, width, time.perf_counter() - start, targets))
                start = time.perf_counter()
    context.close()
    return found


def table(found):
    """Pages down, widths across: the elements failing a rule, and the time taken."""
    counts = {(page, width): len(targets) for page, width, _, targets in found}
    seconds = Counter()
    for page, _, took, _ in found:
        seconds[page] += took
    pages = list(dict.fromkeys(page for page, *_ in found))
    head = f"{'page':48}" + "".join(f"{width:>7}" for width in WIDTHS) + f"{'s':>7}"
    lines = [head]
    for page in pages:
        row = "".join(f"{counts[page, width]:7d}" for width in WIDTHS)
        lines.append(f"{page:48}{row}{seconds[page]:7.2f}")
    total = "".join(
        f"{sum(n for (_, w), n in counts.items() if w == width):7d}" for width in WIDTHS
    )
    lines.append(f"{'total':48}{total}{sum(seconds.values()):7.2f}")
    rules = Counter(rule for *_, targets in found for rule, _ in targets)
    lines += ["", "By rule:", *(f"  {rule:40} {n}" for rule, n in rules.most_common())]
    lines += ["", "Each violation:"]
    lines += [
        f"  {page} at {width}: {rule} on {target}"
        + (" (waived: see WAIVED)" if (rule, target) in WAIVED else "")
        for page, width, _, targets in found
        for rule, target in targets
    ]
    return "\n".join(lines) + "\n"

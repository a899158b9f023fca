{% load static i18n %}// Ripple's service worker, served from /sw.js so that it covers every page.
//
// Offline: the check-in pages a patient opened while online open again without a
// connection, and answers given there are kept on the device (IndexedDB) and sent in
// the order given once the connection returns. Each carries when it was given, and
// the server keeps the later of two answers to one question (tracker/stamps.py), so
// nothing sent late overwrites an answer given since on another device.
//
// Workbox, from the Chrome team, does the routing, the network-first page cache and
// the queue of kept requests; its files are vendored in static/, never fetched from
// elsewhere. Reminders: the push and notificationclick handlers at the end.
"use strict";

importScripts(
  "{% static 'vendor/workbox-7.4.1/workbox-core.prod.js' %}",
  "{% static 'vendor/workbox-7.4.1/workbox-routing.prod.js' %}",
  "{% static 'vendor/workbox-7.4.1/workbox-strategies.prod.js' %}",
  "{% static 'vendor/workbox-7.4.1/workbox-background-sync.prod.js' %}"
);

const SHELL = "ripple-shell-{{ version }}"; // the files every page needs, as of this version
const PAGES = "ripple-pages"; // check-in pages seen online: emptied when a page is seen logged out
const OFFLINE_PAGE = "{% url 'tracker:offline' %}";
const SHELL_FILES = [
  OFFLINE_PAGE,
  "{% static 'ripple/ripple.css' %}",
  "{% static 'ripple/ripple.js' %}",
  "{% static 'ripple/offline.js' %}",
  "{% static 'ripple/favicon.svg' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'django_htmx/django-htmx.js' %}",
];
const CHECKIN = /^\/(today|day\/\d{4}-\d{2}-\d{2})\/$/;
// A symptom's answers or the day's own: /day/2026-12-02/symptom/joint-pain/ or …/day/.
const SAVE = /^\/day\/\d{4}-\d{2}-\d{2}\/(symptom\/[a-z0-9-]+|day)\/$/;
// What people see here comes in the language this worker was served in.
{% translate "Kept on this device. It will be sent when you are back online." as kept %}
const KEPT = '<span class="kept">{{ kept|escapejs }}</span>';

const { registerRoute, setCatchHandler } = workbox.routing;
const { NetworkFirst, NetworkOnly, StaleWhileRevalidate } = workbox.strategies;

// The shell is cached at install, and again at each page's visit while any of it is
// missing: a request that failed at install (a flaky connection) must not leave the
// device without the worker, nor without the offline page.
async function keepShell() {
  const cache = await caches.open(SHELL);
  const missing = [];
  for (const file of SHELL_FILES) if (!(await cache.match(file))) missing.push(file);
  if (missing.length) await cache.addAll(missing);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    keepShell()
      .catch(() => {})
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  const old = (name) => name.startsWith("ripple-shell-") && name !== SHELL;
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter(old).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

// --- Pages ------------------------------------------------------------------------

// Only a whole page is kept: not a redirect (to log in, or /today/ to its date). And
// only the last pages seen: a cache keeps its entries in the order they were stored.
const KEEP_PAGES = 14;
const keptPages = {
  cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null),
  cacheDidUpdate: async () => {
    const pages = await caches.open(PAGES);
    const kept = await pages.keys();
    for (const old of kept.slice(0, Math.max(0, kept.length - KEEP_PAGES))) await pages.delete(old);
  },
};
registerRoute(
  ({ request, url }) => request.mode === "navigate" && CHECKIN.test(url.pathname),
  new NetworkFirst({ cacheName: PAGES, networkTimeoutSeconds: 6, plugins: [keptPages] })
);
registerRoute(({ request }) => request.mode === "navigate", new NetworkOnly());
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: SHELL })
);

function localDate() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Offline, a page not kept: for /today/, today's check-in or else the latest kept;
// otherwise the offline page, which says what still works.
setCatchHandler(async ({ request, url }) => {
  if (request.mode !== "navigate") return Response.error();
  const pages = await caches.open(PAGES);
  if (url.pathname === "/today/") {
    const today = await pages.match(`/day/${localDate()}/`);
    if (today) return today;
    const days = (await pages.keys()).map((kept) => kept.url).sort();
    if (days.length) return pages.match(days[days.length - 1]);
  }
  return (await caches.match(OFFLINE_PAGE)) || Response.error();
});

// A page opened before this worker took charge: keep it too, if not kept yet.
async function keepPage(address) {
  const url = new URL(address, self.location.origin);
  if (url.origin !== self.location.origin || !CHECKIN.test(url.pathname)) return;
  const pages = await caches.open(PAGES);
  if (await pages.match(url.pathname)) return;
  const response = await fetch(url.pathname, { credentials: "same-origin", redirect: "manual" });
  if (response.status === 200) await pages.put(url.pathname, response);
}

// --- Answers ----------------------------------------------------------------------

// Each kept answer carries whose it is (an opaque tag of the page's user): on a
// shared device it is sent, shown and counted only for that user.
const answers = new workbox.backgroundSync.Queue("ripple-answers", {
  maxRetentionTime: 60 * 24 * 365 * 10, // minutes: a kept answer is never thrown away
  onSync: () => sendKept(),
});

const owner = (entry) => (entry.metadata && entry.metadata.user) || "";

registerRoute(
  ({ request, url }) => request.headers.get("HX-Request") === "true" && SAVE.test(url.pathname),
  async ({ request }) => {
    const kept = request.clone();
    try {
      return await fetch(request);
    } catch (error) {
      const user = kept.headers.get("X-Ripple-User") || "";
      await answers.pushRequest({ request: kept, metadata: { user } });
      tell({ type: "kept", user, waiting: await waitingFor(user) });
      return new Response(KEPT, { status: 202, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
  },
  "POST"
);

async function waitingFor(user) {
  return (await answers.getAll()).filter((entry) => owner(entry) === user).length;
}

// One sending at a time, each after the one before, so that answers go in the order
// given. `page` is a page of the signed-in user ({user, csrf}): its token replaces
// the one each answer was kept with, which a new login since has changed; another
// user's answers stay, in order. Without a page (the browser's sync event) each
// answer goes with its own token, which a login since has made stale: those wait.
let sending = Promise.resolve();
function sendKept(page) {
  const run = sending.then(() => send(page));
  sending = run.catch(() => {});
  return run;
}

async function send(page) {
  const sent = {}; // by user
  let stopped = "";
  let entry;
  const others = [];
  while ((entry = await answers.shiftRequest())) {
    if (page && owner(entry) !== page.user) {
      others.push(entry);
      continue;
    }
    const headers = new Headers(entry.request.headers);
    if (page) headers.set("X-CSRFToken", page.csrf);
    headers.set("X-Sent-At", String(Date.now()));
    let response;
    try {
      response = await fetch(new Request(entry.request.clone(), { headers }));
    } catch (error) {
      response = null;
    }
    // Offline again, a fault, or logged out (401, 403, or sent to the login page): kept.
    const loggedOut = response && ([401, 403].includes(response.status) || response.redirected);
    if (!response || loggedOut || response.status >= 500) {
      await answers.unshiftRequest(entry);
      stopped = !response ? "offline" : loggedOut ? "logged-out" : "fault";
      break;
    }
    sent[owner(entry)] = (sent[owner(entry)] || 0) + 1; // saved, or refused for good
  }
  for (const other of others.reverse()) await answers.unshiftRequest(other);
  const told = page ? [page.user] : Object.keys(sent);
  for (const user of told) {
    const waiting = await waitingFor(user);
    if (sent[user] || (stopped && waiting)) {
      tell({ type: "sent", user, sent: sent[user] || 0, waiting, stopped });
    }
  }
  if (!page && (await answers.size())) throw new Error("Answers are still waiting"); // retried later
}

// What a user's kept answers say, for a page drawn before they were given to show them.
async function keptAnswers(user) {
  const entries = (await answers.getAll()).filter((entry) => owner(entry) === user);
  return Promise.all(
    entries.map(async (entry) => ({
      path: new URL(entry.request.url).pathname,
      body: await entry.request.clone().text(),
    }))
  );
}

async function tell(message) {
  const windows = await self.clients.matchAll({ type: "window" });
  windows.forEach((client) => client.postMessage(message));
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "send-kept") {
    event.waitUntil(sendKept(message).catch(() => {}));
  } else if (message.type === "keep-page") {
    event.waitUntil(keepPage(message.url).catch(() => {}));
  } else if (message.type === "count") {
    const user = message.user || "";
    event.waitUntil(
      Promise.all([
        keptAnswers(user).then((saves) => tell({ type: "kept", user, waiting: saves.length, saves })),
        keepShell().catch(() => {}),
      ])
    );
  } else if (message.type === "forget") {
    event.waitUntil(caches.delete(PAGES)); // logged out: no diary pages stay on the device
  }
});

// --- Reminders ----------------------------------------------------------------------

self.addEventListener("push", (event) => {
  {% blocktranslate trimmed asvar reminder %}Today's check-in is ready when you are.{% endblocktranslate %}
  let message = { title: "Ripple", body: "{{ reminder|escapejs }}", url: "/today/" };
  try {
    message = Object.assign(message, event.data ? event.data.json() : {});
  } catch (error) {
    // A payload that is not JSON still earns the plain reminder.
  }
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      icon: "/favicon.ico",
      tag: "ripple-reminder", // a second reminder replaces the first, never piles up
      data: { url: message.url },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url || "/today/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url);
      return open ? open.focus() : self.clients.openWindow(url);
    })
  );
});

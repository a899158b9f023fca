// Ripple offline: registers the service worker (/sw.js), says when this device is
// offline and what it keeps, and asks the worker to send kept answers when a page
// of the signed-in user is open with a connection. Each save is stamped with the
// moment it is made, which the server compares when two answers meet.
"use strict";

(function () {
  if (!("serviceWorker" in navigator)) return;
  const body = document.body;
  const user = body.dataset.user || "";
  const notice = document.getElementById("connection");

  navigator.serviceWorker.register("/sw.js").catch(function () {
    // Without the worker Ripple works as before, online only.
  });

  function post(message) {
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  if (!user) {
    post({ type: "forget" }); // logged out: the diary pages kept on this device go
    return;
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function sendKept() {
    if (navigator.onLine) post({ type: "send-kept", user: user, csrf: csrfToken() });
  }

  // Words people see, in the page's language: a page that has them gives them as
  // data-say-* on <body> (templates/tracker/checkin/checkin.html); English otherwise.
  function words(name, english) {
    return body.dataset[name] || english;
  }

  // A sentence about a number of answers: its form for 1 or for more (data-say-NAME-one,
  // data-say-NAME-other), with the number put in for {number}.
  function counted(name, count, one, other) {
    const text = count === 1 ? words(name + "One", one) : words(name + "Other", other);
    return text.split("{number}").join(String(count));
  }

  function say(text, reload) {
    if (!notice) return;
    notice.textContent = text;
    if (reload) {
      const link = document.createElement("a");
      link.href = window.location.href;
      link.textContent = words("sayShowLatest", "Show the latest");
      notice.append(" ", link);
    }
    notice.hidden = !text;
  }

  function showOffline() {
    if (!navigator.onLine) {
      say(
        words(
          "sayOffline",
          "You're offline. Answers you give are kept on this device and sent when you're back online."
        )
      );
    }
  }

  // A page drawn before answers were kept (offline, reloaded) shows them as chosen.
  function showKept(saves) {
    saves.forEach(function (save) {
      if (save.path.indexOf(window.location.pathname) !== 0) return; // another day's
      const slug = save.path.split("/").filter(Boolean).pop(); // a symptom's, or "day"
      const status = document.getElementById("status-" + slug);
      if (status) {
        const kept = document.createElement("span");
        kept.className = "kept";
        kept.textContent = words("sayKept", "Kept on this device. It will be sent when you are back online.");
        status.replaceChildren(kept);
      }
      const fields = new URLSearchParams(save.body);
      const names = new Set(fields.keys());
      names.forEach(function (name) {
        const values = fields.getAll(name);
        document.querySelectorAll('form.checkin [name="' + CSS.escape(name) + '"]').forEach(function (input) {
          if (input.type === "radio" || input.type === "checkbox") input.checked = values.indexOf(input.value) !== -1;
          else if (input.type !== "hidden") input.value = values[0];
        });
      });
    });
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    const message = event.data || {};
    if (message.user !== user) return; // another user's answers, on a shared device
    if (message.saves) showKept(message.saves);
    if (message.type === "kept" && message.waiting) {
      say(
        counted(
          "sayWaiting",
          message.waiting,
          "1 answer kept on this device, to send when you're back online.",
          "{number} answers kept on this device, to send when you're back online."
        )
      );
    } else if (message.type === "sent") {
      if (message.stopped === "logged-out") {
        say(
          counted(
            "sayUnsent",
            message.waiting,
            "1 answer kept on this device could not be sent: log in again to send it.",
            "{number} answers kept on this device could not be sent: log in again to send them."
          )
        );
      } else if (message.waiting) {
        say(
          counted(
            "sayHeld",
            message.waiting,
            "1 answer kept on this device, to send when the connection is back.",
            "{number} answers kept on this device, to send when the connection is back."
          )
        );
      } else if (message.sent) {
        say(
          counted(
            "saySent",
            message.sent,
            "Sent 1 answer kept on this device while offline.",
            "Sent {number} answers kept on this device while offline."
          ),
          true
        );
        document.querySelectorAll(".status .kept").forEach(function (kept) {
          kept.textContent = words("saySentAndSaved", "Sent and saved.");
        });
        const keptMark = words("sayKeptMark", "✓ Kept");
        document.querySelectorAll(".saved-here").forEach(function (mark) {
          if (mark.textContent === keptMark) mark.textContent = words("saySaved", "✓ Saved");
        });
      }
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "post") return;
    // A save sent again by ripple.js keeps the time its answer was given.
    if (!event.detail.headers["X-Answered-At"]) event.detail.headers["X-Answered-At"] = String(Date.now());
    event.detail.headers["X-Ripple-User"] = user;
  });

  // The quick answers and "Save this day" are whole-page posts, which need the
  // server; offline, say so on the page rather than let the browser show its error.
  document.addEventListener("submit", function (event) {
    if (navigator.onLine || !event.target.matches("form.quick-answers, form.checkin")) return;
    event.preventDefault();
    say(
      words(
        "sayNeedsConnection",
        "You're offline, and this button needs a connection. Tap your answers one by one instead: each is kept on this device and sent when you're back online."
      )
    );
    notice.scrollIntoView({ block: "nearest" });
  });

  if (body.hasAttribute("data-keep-offline") && navigator.onLine) {
    post({ type: "keep-page", url: window.location.pathname });
  }
  window.addEventListener("online", function () {
    say("");
    sendKept();
  });
  window.addEventListener("offline", showOffline);
  showOffline();
  post({ type: "count", user: user });
  sendKept();
})();

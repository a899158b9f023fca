// Ripple's only script. Every page works without it; it adds a few kindnesses.
(function () {
  "use strict";

  // Words people see, in the page's language: a page that has them gives them as
  // data-say-* on <body> (templates/tracker/checkin/checkin.html); English otherwise.
  // Placeholders such as {label} are filled in here.
  function say(name, english, values) {
    var text = (document.body && document.body.dataset[name]) || english;
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  // Guess a newcomer's time zone from the browser (onboarding only).
  function guessTimeZone() {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    document.querySelectorAll("select[data-guess-time-zone]").forEach(function (select) {
      if (select.value === "UTC" && select.querySelector('option[value="' + zone + '"]')) {
        select.value = zone;
      }
    });
  }

  // Branching. Each question that a 0 answer skips is named in the page
  // (data-zero-skips, rendered from tracker/branching.py): a 0 sets those to 0, as
  // the server stores them; moving off 0 clears them, to be asked again.
  function setSkipped(question, zero) {
    var symptom = question.closest(".symptom");
    question.dataset.zeroSkips.split(" ").forEach(function (name) {
      var later = symptom.querySelector('.question[data-attribute="' + name + '"]');
      if (!later) return;
      later.querySelectorAll("input").forEach(function (field) {
        if (field.type === "radio") field.checked = zero && field.value === "0";
        else if (field.type === "checkbox") field.checked = false;
        else if (field.type === "number") field.value = zero ? "0" : "";
      });
      later.dataset.chosen = zero ? "0" : "";
    });
  }

  function rememberChoices() {
    document.querySelectorAll(".question").forEach(function (question) {
      var checked = question.querySelector("input[type=radio]:checked");
      question.dataset.chosen = checked ? checked.value : "";
    });
  }

  function branch(event) {
    var input = event.target;
    var question = input.closest(".question[data-zero-skips]");
    if (input.type !== "radio" || !question || !input.closest(".symptom")) return;
    var before = question.dataset.chosen;
    question.dataset.chosen = input.value;
    if (input.value === "0") setSkipped(question, true);
    else if (before === "0") setSkipped(question, false);
  }

  // Large − and + buttons beside number boxes, so a count takes taps, not typing.
  function addSteppers() {
    document.querySelectorAll(".question-number input[type=number]").forEach(function (input) {
      var label =
        input.labels && input.labels[0] ? input.labels[0].textContent.trim() : say("sayCount", "count");
      var wrap = document.createElement("div");
      wrap.className = "stepper";
      input.parentNode.insertBefore(wrap, input);
      var fewer = say("sayOneFewer", "One fewer: {label}", { label: label });
      var more = say("sayOneMore", "One more: {label}", { label: label });
      [["−", -1, fewer], [null, 0, null], ["+", 1, more]].forEach(function (spec) {
        if (spec[0] === null) {
          wrap.appendChild(input);
          return;
        }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "step";
        button.textContent = spec[0];
        button.setAttribute("aria-label", spec[2]);
        button.addEventListener("click", function () {
          var max = Number(input.max || 9999);
          var next = Math.min(max, Math.max(0, (Number(input.value) || 0) + spec[1]));
          input.value = String(next);
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
        wrap.appendChild(button);
      });
    });
  }

  // Buttons for the usual values of a count (data-presets), so a common answer such
  // as "30 minutes" is one tap; the box still takes any number. Each button's text and
  // name come with them (data-preset-texts, data-preset-names: JSON lists, in the
  // page's language; see tracker/checkin/forms.py).
  function presetWords(input, name) {
    try {
      return JSON.parse(input.dataset[name] || "[]");
    } catch (error) {
      return [];
    }
  }
  function addPresets() {
    document.querySelectorAll("input[data-presets]").forEach(function (input) {
      var row = document.createElement("div");
      row.className = "presets";
      var texts = presetWords(input, "presetTexts");
      var names = presetWords(input, "presetNames");
      input.dataset.presets.split(" ").forEach(function (value, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "preset";
        button.textContent = texts[index] || (value === "0" ? "None" : value);
        button.setAttribute(
          "aria-label",
          names[index] ||
            (value === "0" ? "None" : value + " minutes") + ": " + (input.labels[0] ? input.labels[0].textContent.trim() : "")
        );
        button.addEventListener("click", function () {
          input.value = value;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
        row.appendChild(button);
      });
      var after = input.closest(".stepper") || input;
      after.parentNode.insertBefore(row, after.nextSibling);
    });
  }

  // When a save fails, say why beside the answer. The answer stays on screen.
  function reason(status) {
    if (status === 401) {
      return say(
        "sayLoggedOut",
        "Not saved: you have been logged out. Log in again in another tab, then choose this answer once more."
      );
    }
    if (status === 403) {
      return say("sayExpired", "Not saved: this page has expired. Reload it, then choose this answer once more.");
    }
    if (status === 404) {
      return say("sayGone", "Not saved: this day or question is no longer available. Please reload the page.");
    }
    return "";
  }
  // Ripple or its database out for a moment (503, a proxy's 502/504, no answer at
  // all without the service worker): the save is sent again by itself, after 2, 4, 8…
  // up to 30 s, with whatever the question holds by then, until it is stored.
  var OUTAGE = [0, 502, 503, 504];
  var retries = new WeakMap(); // question -> {attempt, timer}
  function retryLater(question, answeredAt) {
    var retry = retries.get(question) || { attempt: 0, answeredAt: answeredAt };
    retry.attempt += 1;
    var seconds = Math.min(30, Math.pow(2, retry.attempt));
    retry.timer = setTimeout(function () {
      if (!document.contains(question)) return;
      retry.firing = true;
      htmx.trigger(question, "change");
    }, seconds * 1000);
    retries.set(question, retry);
    return seconds;
  }
  // A save sent again carries when the answer was given, as one sent late by the
  // service worker does: a later answer from another device is not overwritten.
  document.addEventListener("htmx:configRequest", function (event) {
    var retry = retries.get(event.detail.elt);
    if (!retry || !retry.firing || !retry.answeredAt) return;
    retry.firing = false;
    event.detail.headers["X-Answered-At"] = retry.answeredAt;
    event.detail.headers["X-Sent-At"] = String(Date.now());
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var retry = retries.get(event.detail.elt);
    if (retry) clearTimeout(retry.timer);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) retries.delete(event.detail.elt);
  });

  function reportFailedSave(event) {
    var target = event.detail.target;
    if (!target || !target.classList.contains("status")) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var question = event.detail.elt;
    var text = reason(status);
    if (!text && OUTAGE.indexOf(status) >= 0 && question && question.classList.contains("question")) {
      var seconds = retryLater(
        question,
        event.detail.requestConfig && event.detail.requestConfig.headers["X-Answered-At"]
      );
      text = say(
        "sayRetrying",
        "Not saved yet: Ripple can't be reached just now. Your answer stays here, and it will be sent again in {seconds} seconds.",
        { seconds: seconds }
      );
    }
    text =
      text ||
      (status
        ? say("sayFault", "Not saved: something went wrong on our side. Please try again, or press “Save this day”.")
        : say(
            "sayUnreachable",
            "Not saved yet: we couldn't reach Ripple. Check your connection, then try again or press “Save this day”."
          ));
    target.textContent = "";
    var warning = document.createElement("span");
    warning.className = "not-saved";
    warning.textContent = text;
    target.appendChild(warning);
  }

  // "Saved" beside the answer just chosen, inside the screen, not only at the foot of
  // the card. (Answered cards fold when the page is next drawn, not under a finger.)
  function confirmBeside(event) {
    var question = event.detail.elt;
    if (!question || !question.classList || !question.classList.contains("question")) return;
    // The visible question: a scale's legend, or a count's label (its legend is hidden).
    var legend =
      question.querySelector("legend:not(.visually-hidden)") || question.querySelector("label");
    var mark = question.querySelector(".saved-here");
    if (!event.detail.successful) {
      if (mark) mark.remove();
      return;
    }
    if (!mark && legend) {
      mark = document.createElement("span");
      mark.className = "saved-here";
      mark.setAttribute("aria-hidden", "true"); // the card's status is announced instead
      legend.appendChild(mark);
    }
    // 202: the service worker kept it on this device while offline (sw.js).
    if (mark) {
      mark.textContent = event.detail.xhr.status === 202 ? say("sayKeptMark", "✓ Kept") : say("saySaved", "✓ Saved");
    }
  }

  // Print buttons only work with a script (the CSP allows no onclick), so they
  // stay hidden until this runs.
  function showPrintButtons() {
    document.querySelectorAll("[data-print][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-print]")) return;
    // Charts are drawn as they come into view (charts.js): all of them first.
    var charts = window.rippleCharts ? window.rippleCharts.drawAll() : Promise.resolve();
    charts.then(
      function () {
        window.print();
      },
      function () {
        window.print(); // plotly.js didn't load: the charts' tables print instead
      }
    );
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });
  document.addEventListener("htmx:afterSettle", showPrintButtons);

  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    guessTimeZone();
    rememberChoices();
    addSteppers();
    addPresets();
    showPrintButtons();
  });
  document.addEventListener("change", branch);
  document.addEventListener("htmx:sendError", reportFailedSave);
  document.addEventListener("htmx:responseError", reportFailedSave);
  document.addEventListener("htmx:afterRequest", confirmBeside);
})();

// Ripple's only script. Pages work without it; it adds three small kindnesses.
(function () {
  "use strict";

  // 1. Guess the time zone from the browser on forms that ask for it, unless
  //    the person has already chosen one.
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

  // 2. Branching: answering 0 to a question makes the later ones count as 0.
  //    The server stores those zeroes; this shows them, so what is on screen
  //    matches what is saved.
  function zeroLaterQuestions(event) {
    var input = event.target;
    if (input.type !== "radio" || input.value !== "0") return;
    var question = input.closest(".question");
    var symptom = input.closest(".symptom");
    if (!question || !symptom) return;
    symptom.querySelectorAll(".after-" + question.dataset.attribute).forEach(function (later) {
      later.querySelectorAll("input").forEach(function (field) {
        if (field.type === "radio") field.checked = field.value === "0";
        else if (field.type === "checkbox") field.checked = false;
        else if (field.type === "number") field.value = "0";
      });
    });
  }

  // 3. When a save fails (no connection, server trouble), say so beside the
  //    answer. The answer stays on screen; choosing it again or pressing
  //    "Save this day" sends it.
  function reportFailedSave(event) {
    var target = event.detail.target;
    if (target && target.classList.contains("status")) {
      target.innerHTML = "";
      var warning = document.createElement("span");
      warning.className = "not-saved";
      warning.textContent =
        "Not saved yet: we couldn't reach Ripple. Check your connection, then try again or press “Save this day”.";
      target.appendChild(warning);
    }
  }

  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", guessTimeZone);
  document.addEventListener("change", zeroLaterQuestions);
  document.addEventListener("htmx:sendError", reportFailedSave);
  document.addEventListener("htmx:responseError", reportFailedSave);
})();

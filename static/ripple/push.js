// Reminders on this device: asks the browser for permission, subscribes it to push
// with Ripple's public key, and tells the server where to send. Without JavaScript
// or push support the section says so and email reminders still work. Its words come
// translated from the page (the form's data-msg-* attributes), English otherwise.
"use strict";

(function () {
  const form = document.getElementById("push-form");
  if (!form) return;
  const status = document.getElementById("push-status");
  const say = (name, english) => form.dataset[name] || english;
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported || !form.dataset.key) {
    status.textContent = form.dataset.key
      ? say("msgUnsupported", "This browser can't show Ripple's notifications. Email reminders work everywhere.")
      : say("msgUnconfigured", "Notifications are not set up on this Ripple. Email reminders work everywhere.");
    return;
  }
  form.hidden = false;
  status.textContent = "";

  function keyBytes(base64url) {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  async function send(url, body) {
    const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, { method: "POST", headers: { "X-CSRFToken": token }, body: new URLSearchParams(body) });
    if (!response.ok) throw new Error(String(response.status));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const stop = event.submitter && event.submitter.value === "stop";
    status.textContent = say("msgWait", "One moment…");
    try {
      const registration = await navigator.serviceWorker.register("/sw.js");
      await navigator.serviceWorker.ready;
      let subscription = await registration.pushManager.getSubscription();
      if (stop) {
        if (subscription) {
          await send(form.dataset.unsubscribe, { endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        status.textContent = say("msgOff", "Notifications on this device are off.");
        return;
      }
      if ((await Notification.requestPermission()) !== "granted") {
        status.textContent = say(
          "msgBlocked",
          "Notifications are blocked for Ripple in this browser's settings, so none can come. Email reminders still can.",
        );
        return;
      }
      subscription = subscription || (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(form.dataset.key) }));
      const keys = subscription.toJSON().keys;
      await send(form.dataset.subscribe, { endpoint: subscription.endpoint, p256dh: keys.p256dh, auth: keys.auth });
      status.textContent = say("msgDone", "Done: reminders will also come to this device at the time above.");
    } catch (error) {
      status.textContent = say("msgFailed", "That didn't work, and nothing changed. Please try again; email reminders work either way.");
    }
  });
})();

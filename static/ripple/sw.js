// Ripple's service worker: shows the daily reminder a push service brings, and opens
// today's check-in when it is tapped. Served from /sw.js so that it covers every page.
"use strict";

self.addEventListener("push", (event) => {
  let message = { title: "Ripple", body: "Today's check-in is ready when you are.", url: "/today/" };
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

// Agent pages: listen on /ws/agent/ for "ticket changed" notices.
// The queue refreshes its results; a ticket page offers to show the changes
// (never replaces the workspace by itself: the agent may be typing).
(function () {
  "use strict";

  var queue = document.querySelector("[data-live-queue]");
  var workspace = document.querySelector("[data-live-ticket]");
  if (!(queue || workspace) || !("WebSocket" in window)) return;

  var ownChangeUntil = 0; // notices caused by this page's own request are not news
  document.addEventListener("htmx:beforeRequest", function () {
    ownChangeUntil = Date.now() + 3000;
  });

  var refreshTimer = null;
  function refreshQueue() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      if (window.htmx) {
        window.htmx.ajax("GET", window.location.href, { target: "#queue-results", swap: "innerHTML" });
      }
    }, 1000);
  }

  function onNotice(data) {
    if (data.type !== "ticket.changed") return;
    if (queue) {
      refreshQueue();
    } else if (String(data.ticket_id) === workspace.dataset.liveTicket && Date.now() > ownChangeUntil) {
      var notice = document.getElementById("stale-notice");
      if (notice) notice.hidden = false;
    }
  }

  var attempts = 0;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/agent/");
    socket.addEventListener("open", function () { attempts = 0; });
    socket.addEventListener("message", function (event) {
      try { onNotice(JSON.parse(event.data)); } catch (error) { /* not a notice */ }
    });
    socket.addEventListener("close", function () {
      // Back off; give up after a few tries (the page still works without it).
      attempts += 1;
      if (attempts <= 6) setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempts)));
    });
  }
  connect();
})();

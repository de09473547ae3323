// Agent pages: listen on /ws/agent/ for "ticket changed" notices.
// The queue refreshes its results. A ticket page subscribes to its ticket:
// new messages appear in the conversation in place; other changes offer to
// show them (the workspace is never replaced by itself: the agent may be
// typing). The ticket page also shows which colleagues are viewing it or
// typing a reply, and tells them the same about this agent.
(function () {
  "use strict";

  var queue = document.querySelector("[data-live-queue]");
  var workspace = document.querySelector("[data-live-ticket]");
  if (!(queue || workspace) || !("WebSocket" in window)) return;
  var ticketId = workspace ? Number(workspace.dataset.liveTicket) : null;

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

  var timelineTimer = null;
  function refreshTimeline() {
    // Only the conversation is swapped: the reply being typed stays as it is.
    clearTimeout(timelineTimer);
    timelineTimer = setTimeout(function () {
      if (window.htmx && workspace.querySelector(".timeline")) {
        window.htmx.ajax("GET", window.location.pathname, {
          target: "#workspace .timeline", select: ".timeline", swap: "outerHTML",
        });
      }
    }, 300);
  }

  // --- presence --------------------------------------------------------------
  var socket = null;
  var others = [];

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function renderPresence() {
    var line = document.getElementById("presence");
    if (!line) return;
    line.textContent = others.map(function (agent) {
      var template = agent.typing ? line.dataset.typing : line.dataset.viewing;
      return template.replace("%(name)s", agent.name);
    }).join(" · ");
    line.hidden = others.length === 0;
  }
  // htmx swaps the workspace after a reply or an update: put the line back.
  document.addEventListener("htmx:afterSettle", renderPresence);

  var typingSentAt = 0;
  var typingStopTimer = null;
  function onTyping(event) {
    var form = event.target.closest && event.target.closest(".reply-form");
    if (!form || !workspace || !workspace.contains(form)) return;
    var now = Date.now();
    if (now - typingSentAt > 3000) {
      typingSentAt = now;
      send({ type: "typing", ticket_id: ticketId, active: true });
    }
    clearTimeout(typingStopTimer);
    typingStopTimer = setTimeout(stopTyping, 5000);
  }
  function stopTyping() {
    clearTimeout(typingStopTimer);
    if (typingSentAt) {
      typingSentAt = 0;
      send({ type: "typing", ticket_id: ticketId, active: false });
    }
  }
  if (workspace) {
    document.addEventListener("input", onTyping);
    document.addEventListener("submit", function (event) {
      if (event.target.closest && event.target.closest(".reply-form")) stopTyping();
    }, true);
    setInterval(function () { send({ type: "heartbeat" }); }, 20000);
  }

  // --- notices ---------------------------------------------------------------
  function panelFor(eventName) {
    var panels = document.querySelectorAll("[data-panel-url][data-refresh-on]");
    for (var i = 0; i < panels.length; i++) {
      if (eventName && eventName.indexOf(panels[i].dataset.refreshOn) === 0) return panels[i];
    }
    return null;
  }

  function onNotice(data) {
    if (data.type === "presence" && data.ticket_id === ticketId) {
      others = data.agents || [];
      renderPresence();
      return;
    }
    if (data.type !== "ticket.changed") return;
    if (queue) {
      refreshQueue();
    } else if (data.ticket_id === ticketId && Date.now() > ownChangeUntil) {
      var panel = panelFor(data.event);
      if (data.event === "ticket.message_added") {
        refreshTimeline();
      } else if (panel && window.htmx) {
        // A panel another app owns (recovery) refreshes itself in place.
        window.htmx.ajax("GET", panel.dataset.panelUrl, { target: "#" + panel.id, swap: "outerHTML" });
      } else {
        var notice = document.getElementById("stale-notice");
        if (notice) notice.hidden = false;
      }
    }
  }

  var attempts = 0;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/agent/");
    socket.addEventListener("open", function () {
      attempts = 0;
      if (ticketId) send({ type: "subscribe", ticket_id: ticketId });
    });
    socket.addEventListener("message", function (event) {
      try { onNotice(JSON.parse(event.data)); } catch (error) { /* not a notice */ }
    });
    socket.addEventListener("close", function () {
      others = [];
      renderPresence();
      // Back off; give up after a few tries (the page still works without it).
      attempts += 1;
      if (attempts <= 6) setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempts)));
    });
  }
  connect();
})();

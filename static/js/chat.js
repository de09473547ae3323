// Live chat over /ws/chat/, for the customer's chat page and the agent's chat page.
// Without a websocket the form posts as usual (the page works without this script).
(function () {
  "use strict";

  var root = document.querySelector("[data-chat]");
  if (!root || !("WebSocket" in window)) return;

  var role = root.dataset.chatRole; // "customer" or "agent"
  var ticketId = root.dataset.chatTicket ? Number(root.dataset.chatTicket) : null;
  var transcript = root.querySelector("[data-chat-transcript]");
  var form = root.querySelector("[data-chat-form]");
  var input = form ? form.querySelector("textarea") : null;
  var statusLine = root.querySelector("[data-chat-status]");
  var socket = null;
  var open = false;
  var attempts = 0;

  function say(text) {
    if (statusLine) statusLine.textContent = text || "";
  }

  function scrollToEnd() {
    var last = transcript.lastElementChild;
    if (last && last.scrollIntoView) last.scrollIntoView({ block: "nearest" });
  }

  function appendLine(message) {
    if (document.getElementById("message-" + message.id)) return; // shown already
    var intro = root.querySelector("[data-chat-intro]");
    if (intro) intro.remove();
    var item = document.createElement("li");
    item.className = "entry " + (message.from_customer ? "entry-customer" : "entry-reply");
    item.id = "message-" + message.id;
    item.dataset.messageId = message.id;

    var head = document.createElement("div");
    head.className = "entry-head";
    var author = document.createElement("span");
    author.className = "entry-author";
    author.textContent = message.author;
    head.appendChild(author);
    if (!message.from_customer) {
      var badge = document.createElement("span");
      badge.className = "badge badge-staff";
      badge.textContent = root.dataset.textStaff;
      head.appendChild(document.createTextNode(" "));
      head.appendChild(badge);
    }
    var time = document.createElement("time");
    time.className = "entry-time";
    time.dateTime = message.created_at;
    time.textContent = new Date(message.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    head.appendChild(document.createTextNode(" "));
    head.appendChild(time);

    var body = document.createElement("div");
    body.className = "entry-body";
    message.body.split("\n").forEach(function (line, index) {
      if (index) body.appendChild(document.createElement("br"));
      body.appendChild(document.createTextNode(line));
    });

    item.appendChild(head);
    item.appendChild(body);
    transcript.appendChild(item);
    scrollToEnd();
  }

  function appendNotice(code, text) {
    if (!text || transcript.querySelector('[data-chat-notice="' + code + '"]')) return;
    var item = document.createElement("li");
    item.className = "entry entry-event";
    item.dataset.chatNotice = code;
    var p = document.createElement("p");
    p.textContent = text;
    item.appendChild(p);
    transcript.appendChild(item);
    scrollToEnd();
  }

  function onData(data) {
    if (data.type === "chat.joined") {
      // A customer's socket joins their active chats oldest first, then any chat
      // their line starts: the last one joined is the conversation on screen.
      if (role === "customer") ticketId = data.ticket_id;
    } else if (data.type === "chat.message") {
      if (data.ticket_id !== ticketId) return;
      appendLine(data.message);
      if (role === "customer" && data.message.from_customer && transcript.children.length === 1) {
        say(root.dataset.textStarted);
      }
    } else if (data.type === "chat.notice") {
      if (data.ticket_id === ticketId) appendNotice(data.code, data.text);
    } else if (data.type === "chat.error") {
      say(data.detail);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/");
    socket.addEventListener("open", function () {
      open = true;
      attempts = 0;
      root.dataset.chatConnected = "true";
      say(root.dataset.textConnected);
      if (role === "agent") socket.send(JSON.stringify({ type: "chat.join", ticket_id: ticketId }));
    });
    socket.addEventListener("message", function (event) {
      try { onData(JSON.parse(event.data)); } catch (error) { /* not for us */ }
    });
    socket.addEventListener("close", function () {
      open = false;
      delete root.dataset.chatConnected;
      attempts += 1;
      if (attempts <= 8) {
        say(root.dataset.textReconnecting);
        setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempts)));
      } else {
        say(root.dataset.textOffline);
      }
    });
  }

  if (form && input) {
    form.addEventListener("submit", function (event) {
      if (!open) return; // no live connection: the form posts as usual
      event.preventDefault();
      var body = input.value.trim();
      if (!body) return;
      var line = { type: "chat.message", body: body };
      if (ticketId !== null) line.ticket_id = ticketId;
      socket.send(JSON.stringify(line));
      input.value = "";
      input.focus();
    });
    input.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter starts a new line.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  scrollToEnd();
  connect();
})();

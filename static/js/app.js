// Site-wide: tell the person when an htmx request fails, in the page's live region.
(function () {
  "use strict";

  function say(key) {
    var region = document.getElementById("messages");
    if (!region) return;
    var p = document.createElement("p");
    p.className = "message message-error";
    p.textContent = region.dataset[key];
    region.replaceChildren(p);
  }

  document.addEventListener("htmx:responseError", function () { say("requestFailed"); });
  document.addEventListener("htmx:sendError", function () { say("offline"); });
})();

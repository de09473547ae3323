// Knowledge base: deflection beacons and "copy link" buttons. Loaded with defer.
(function () {
  "use strict";

  // A suggested article tells the server when the customer leaves it, so a
  // ticket not filed afterwards counts as deflected. sendBeacon survives the
  // page going away; the CSRF token travels as form data.
  var marker = document.querySelector("[data-deflection-left]");
  if (marker && navigator.sendBeacon && !marker.dataset.bound) {
    marker.dataset.bound = "1";
    var sent = false;
    window.addEventListener("pagehide", function () {
      if (sent) return;
      sent = true;
      var data = new FormData();
      data.append("csrfmiddlewaretoken", marker.dataset.csrf);
      navigator.sendBeacon(marker.dataset.deflectionLeft, data);
    });
  }

  // Agents copy an article's public link into a reply. One listener for the
  // whole page, however often htmx swaps the panel in.
  if (window.kbCopyBound) return;
  window.kbCopyBound = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-copy]");
    if (!button || !navigator.clipboard) return;
    navigator.clipboard.writeText(button.dataset.kbCopy).then(function () {
      var region = document.getElementById("messages");
      if (!region) return;
      var p = document.createElement("p");
      p.className = "message message-success";
      p.textContent = button.dataset.kbCopied;
      region.replaceChildren(p);
    });
  });
})();

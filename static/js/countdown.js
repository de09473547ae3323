// Live "time left" for <time data-countdown datetime="..."> elements (SLA due times).
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var format = typeof Intl !== "undefined" && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" })
    : null;

  function describe(ms) {
    var minutes = Math.round(ms / 60000);
    if (!format) { return minutes + " min"; }
    if (Math.abs(minutes) < 90) { return format.format(minutes, "minute"); }
    var hours = Math.round(minutes / 60);
    if (Math.abs(hours) < 48) { return format.format(hours, "hour"); }
    return format.format(Math.round(hours / 24), "day");
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("datetime"));
      if (isNaN(due)) { return; }
      el.textContent = describe(due - now);
      el.classList.toggle("overdue", due < now);
    });
  }

  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 30000);
})();

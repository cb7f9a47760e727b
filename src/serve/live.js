// gazette serve: reloads this page when the site has been rebuilt (server-sent events).
// Served by `gazette serve` only; never part of a built site. External, so the pages' CSP
// (default-src 'self') allows it.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me ? new URL(me.src).searchParams.get("v") || "" : "";
  if (typeof EventSource === "undefined") return;
  var events = new EventSource("/__gazette/events?v=" + encodeURIComponent(version));
  events.addEventListener("reload", function () {
    events.close();
    location.reload();
  });
})();

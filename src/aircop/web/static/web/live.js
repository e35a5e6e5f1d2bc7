// AIRCOP live updates: one WebSocket to /ws/events; when an event arrives, the page's live
// regions (elements with data-live and an id) are refreshed from the server, so what is
// shown is always what the server renders for this user. Falls back to long-polling
// /api/v1/events when WebSockets are blocked. No data is kept in the browser.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  var cursor = null;
  var failures = 0;
  var pending = null;
  var polling = false;
  var hitsState = null; // the long poll's view of the user's hit queues ("OPEN-LATEST")
  // Background requests do not count as activity: the session still expires when idle.
  var BACKGROUND = { "X-AIRCOP-Background": "1" };

  function setState(state) { if (status) { status.setAttribute("data-state", state); } }

  function refresh() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      fetch(window.location.href, { credentials: "same-origin", headers: BACKGROUND })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          document.querySelectorAll("[data-live][id]").forEach(function (el) {
            var fresh = doc.getElementById(el.id);
            if (fresh) { el.replaceWith(document.importNode(fresh, true)); }
          });
          var unread = document.getElementById("nav-unread");
          if (unread) {
            var n = parseInt(unread.textContent, 10) || 0;
            document.title = document.title.replace(/^\(\d+\) /, "");
            if (n > 0) { document.title = "(" + n + ") " + document.title; }
          }
        })
        .catch(function () { /* the next event or reconnect refreshes again */ });
    }, 250);
  }

  function onEvent(message) {
    if (message.cursor !== undefined) { cursor = message.cursor; }
    if (message.type === "event") {
      document.dispatchEvent(new CustomEvent("aircop:event", { detail: message.event }));
      refresh();
    } else if (message.type === "hits") {
      // New hits in a queue of the user's unit: counts and severity only, the page reloads
      // its live parts (the review queue, the badge) from the server.
      document.dispatchEvent(new CustomEvent("aircop:hits", { detail: message }));
      refresh();
    }
  }

  function longPoll() {
    if (!polling) {
      polling = true;
      // Try the WebSocket again now and then: the network may allow it later.
      setInterval(function () { if (polling) { probe(); } }, 60000);
    }
    setState("polling");
    var url = "/api/v1/events?wait=25" + (cursor !== null ? "&after=" + cursor : "") +
      "&hits=" + (hitsState || "");
    fetch(url, { credentials: "same-origin", headers: BACKGROUND })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (!polling) { return; }
        var had = cursor !== null;
        cursor = data.cursor;
        if (had) { data.events.forEach(function (e) { onEvent({ type: "event", event: e }); }); }
        if (data.hits) {
          // The long poll's counterpart of the WebSocket's hits push: counts only.
          if (hitsState !== null && data.hits.state !== hitsState) {
            onEvent({ type: "hits", open: data.hits.open, latest: data.hits.latest });
          }
          hitsState = data.hits.state;
        }
        setTimeout(longPoll, 100);
      })
      .catch(function () { setState("offline"); setTimeout(longPoll, 5000); });
  }

  function probe() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var test = new WebSocket(scheme + window.location.host + "/ws/events");
    test.onopen = function () { test.close(); polling = false; failures = 0; window.location.reload(); };
    test.onerror = function () { test.close(); };
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + "/ws/events" + (cursor !== null ? "?after=" + cursor : "");
    var ws;
    try { ws = new WebSocket(url); } catch (e) { failures += 1; return retry(); }
    ws.onopen = function () { failures = 0; setState("live"); };
    ws.onmessage = function (m) {
      var message = JSON.parse(m.data);
      if (message.type === "hello" && cursor !== null && message.cursor > cursor) { refresh(); }
      onEvent(message);
    };
    ws.onclose = function () { setState("offline"); failures += 1; retry(); };
  }

  function retry() {
    if (failures >= 3) { return longPoll(); }
    setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, failures)));
  }

  // Show only the fields of the chosen kind in the composer.
  var kindSelect = document.querySelector("[data-kind-select]");
  if (kindSelect) {
    var show = function () {
      document.querySelectorAll(".kind-fields").forEach(function (fs) {
        fs.hidden = fs.getAttribute("data-kind") !== kindSelect.value;
      });
    };
    kindSelect.addEventListener("change", show);
    show();
  }

  connect();
})();

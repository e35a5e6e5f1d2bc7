// Progress of a background task (an import, an upload): polls the task's status once a second, reloads when it is done.
(function () {
  "use strict";
  var box = document.getElementById("task-box");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("task-progress");
  var label = document.getElementById("task-percent");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "X-AIRCOP-Background": "1" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { setTimeout(poll, 3000); return; }
        if (bar) { bar.value = s.percent; }
        if (label) { label.textContent = s.percent + " %"; }
        if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();

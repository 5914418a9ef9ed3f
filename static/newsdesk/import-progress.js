// The import page while the task worker reads: asks how far it got every two seconds, says so in the
// live region, and reloads the page for the report once the job has finished.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var said = box.querySelector("[data-progress-text]");
  var url = box.getAttribute("data-status-url");
  var template = box.getAttribute("data-template");
  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (job) {
        if (!job) return;
        if (job.finished) { window.location.reload(); return; }
        bar.max = Math.max(job.total, 1);
        bar.value = job.read;
        said.textContent = template.replace("%(read)s", job.read).replace("%(total)s", job.total);
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1000);
})();

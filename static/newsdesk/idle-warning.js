// Staff sessions end after a spell without a request. Typing in a form keeps the session (a ping at
// most every few minutes), and before the end a notice offers to stay signed in, so no work is lost.
(function () {
  "use strict";
  const tag = document.currentScript;
  const idle = Number(tag.dataset.idleSeconds) * 1000;
  const warnBefore = Number(tag.dataset.warnSeconds) * 1000;
  const keepAliveUrl = tag.dataset.keepAlive;
  let lastPing = Date.now();
  let timer = null;
  let notice = null;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(warn, Math.max(0, idle - warnBefore - (Date.now() - lastPing)));
  }

  function ping() {
    lastPing = Date.now();
    return fetch(keepAliveUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (notice && response.status === 204) {
        notice.remove();
        notice = null;
      }
      schedule();
    });
  }

  function warn() {
    if (notice || !document.querySelector("form[method=post]:not(#logout-form)")) {
      return;
    }
    notice = document.createElement("div");
    notice.className = "idle-warning";
    notice.setAttribute("role", "alertdialog");
    notice.setAttribute("aria-labelledby", "idle-warning-text");
    const text = document.createElement("p");
    text.id = "idle-warning-text";
    text.textContent = tag.dataset.message;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button default";
    button.textContent = tag.dataset.stay;
    button.addEventListener("click", ping);
    notice.append(text, button);
    document.body.append(notice);
    button.focus();
  }

  document.addEventListener("input", function () {
    if (Date.now() - lastPing > Math.min(5 * 60 * 1000, idle / 3)) {
      ping();
    }
  });
  schedule();
})();

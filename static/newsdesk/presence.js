// Who else has this item open: each tab says so every 15 s while its page is open, and shows who else,
// and since when. The same person in a second tab is told it is their other tab.
(function () {
  "use strict";
  const tag = document.currentScript;
  const form = document.querySelector("#content-main form[method=post][id$='_form']");
  if (!form || !/\/change\/$/.test(location.pathname)) {
    return;
  }
  const tab = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
  const endpoint = tag.dataset.url + "?address=" + encodeURIComponent(location.pathname) + "&tab=" + tab;
  const token = (form.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
  const box = document.createElement("div");
  box.className = "presence";
  box.setAttribute("role", "status");
  box.hidden = true;
  form.before(box);

  function show(others) {
    box.replaceChildren();
    for (const other of others) {
      const line = document.createElement("p");
      line.textContent = (other.yours ? tag.dataset.yours : tag.dataset.other)
        .replace("%(name)s", other.name).replace("%(since)s", other.since);
      box.append(line);
    }
    box.hidden = others.length === 0;
  }

  let retry = null;
  let beaten = false; // nothing to take back from a page left before its first beat
  function beat() {
    clearTimeout(retry);
    beaten = true;
    fetch(endpoint, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then((answer) => show(answer.others))
      .catch(function () {
        retry = setTimeout(beat, 2000); // a busy moment: ask again soon rather than at the next beat
      });
  }

  // The first beat waits a moment: someone flicking through pages is not at work on them.
  const first = setTimeout(beat, 2000);
  const timer = setInterval(beat, 15000);
  window.addEventListener("pagehide", function () {
    clearTimeout(first);
    clearInterval(timer);
    if (!beaten) {
      return;
    }
    fetch(endpoint, { method: "DELETE", credentials: "same-origin", keepalive: true, headers: { "X-CSRFToken": token } });
  });
})();

// The article form's content checks, again as the writer types: the text on the page is sent, once
// typing pauses, to the desk's checks (articles.standards), and their panel is replaced by the answer.
(function () {
  "use strict";
  const tag = document.currentScript;
  const form = document.getElementById("article_form");
  const results = document.querySelector("#content-checks .content-checks-results");
  if (!form || !results) {
    return;
  }
  const QUIET_MS = 1200;
  let timer = null;
  let asked = 0;

  function check() {
    const data = new FormData(form);
    for (const [name, value] of Array.from(data.entries())) {
      if (value instanceof File) {
        data.delete(name); // the checks read text only; never send an upload twice
      }
    }
    const number = ++asked;
    fetch(tag.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" },
      body: data,
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && number === asked) { // an older answer never replaces a newer one
        results.innerHTML = html;
      }
    }).catch(function () {});
  }

  function changed(event) {
    if (event.target && event.target.type === "file") {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(check, QUIET_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
})();

// What the desk's forms add to the stock admin: the length of a headline or standfirst as it is typed,
// and names for the widgets that come without one (the body editor, the term pickers' help icons, the
// history table that scrolls sideways on a phone).
(function () {
  "use strict";
  const tag = document.currentScript;
  for (const field of document.querySelectorAll("#article_form #id_title, #article_form #id_standfirst")) {
    const most = Number(field.getAttribute("maxlength")) || 0;
    const note = document.createElement("p");
    note.className = "field-length";
    note.id = field.id + "-length";
    note.setAttribute("aria-live", "polite");
    field.after(note);
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + note.id).trim());
    const show = function () {
      const n = field.value.length;
      note.textContent = (most ? tag.dataset.of.replace("%(most)s", most) : tag.dataset.count).replace("%(n)s", n);
      note.classList.toggle("over", most > 0 && n > most);
    };
    field.addEventListener("input", show);
    show();
  }

  // The rich-text editors appear after this script runs: name each after its field's label.
  function nameEditors() {
    for (const editor of document.querySelectorAll(".prose-editor")) {
      const area = editor.querySelector("textarea");
      const surface = editor.querySelector("[contenteditable=true]");
      const label = area && document.querySelector("label[for='" + area.id + "']");
      if (surface && label && !surface.hasAttribute("aria-label")) {
        surface.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    }
  }
  function nameTheRest() {
    nameEditors();
    for (const icon of document.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img"); // an aria-label needs a role to be allowed on a <span>
    }
    for (const box of document.querySelectorAll(".inline-group .tabular .wrapper")) {
      if (box.scrollWidth > box.clientWidth) { // it scrolls sideways (on a phone): reachable by keyboard
        const heading = box.closest(".inline-group").querySelector("h2");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading ? heading.textContent.trim() : "");
      }
    }
  }
  // A long filter in the list's sidebar (47 diseases) starts folded unless one of its choices is in use,
  // and has a box to find a choice by typing.
  function foldLongFilters() {
    for (const filter of document.querySelectorAll("#changelist-filter details")) {
      const choices = Array.from(filter.querySelectorAll("li"));
      if (choices.length <= 10) {
        continue;
      }
      const inUse = choices.slice(1).some((li) => li.classList.contains("selected"));
      if (!inUse) {
        filter.open = false;
      }
      const title = filter.querySelector("summary").textContent.trim();
      const find = document.createElement("input");
      find.type = "search";
      find.className = "filter-search";
      find.setAttribute("aria-label", tag.dataset.find.replace("%(filter)s", title));
      find.placeholder = tag.dataset.findShort;
      find.addEventListener("input", function () {
        const wanted = find.value.trim().toLowerCase();
        for (const li of choices) {
          li.hidden = wanted !== "" && !li.textContent.toLowerCase().includes(wanted);
        }
      });
      filter.querySelector("summary").after(find);
    }
  }

  window.addEventListener("load", nameTheRest);
  foldLongFilters();
  const watcher = new MutationObserver(function () {
    nameEditors();
    const named = Array.from(document.querySelectorAll(".prose-editor [contenteditable=true]"));
    if (named.length && named.every((e) => e.hasAttribute("aria-label"))) {
      watcher.disconnect();
    }
  });
  watcher.observe(document.body, { childList: true, subtree: true });
})();

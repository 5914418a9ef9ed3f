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
  // The list's filters are a row of menus above it (admin-desk.css): each starts folded, its summary
  // naming the choice in use; one opens at a time, and Escape or a click elsewhere folds it. A long one
  // (47 diseases) has a box to find a choice by typing.
  function foldFilters() {
    const filters = Array.from(document.querySelectorAll("#changelist-filter details"));
    for (const filter of filters) {
      const summary = filter.querySelector("summary");
      const menu = document.createElement("div");
      menu.className = "filter-menu";
      menu.append(...Array.from(filter.children).filter((child) => child !== summary));
      filter.append(menu);
      filter.open = false;
      const chosen = filter.querySelector("li.selected");
      const choices = Array.from(filter.querySelectorAll("li"));
      if (chosen && chosen !== choices[0]) {
        const shown = document.createElement("span");
        shown.className = "filter-in-use";
        shown.textContent = ": " + chosen.textContent.trim();
        summary.append(shown);
      }
      filter.addEventListener("toggle", function () {
        if (filter.open) {
          filters.filter((other) => other !== filter).forEach((other) => { other.open = false; });
        }
      });
      filter.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && filter.open) {
          filter.open = false;
          summary.focus();
        }
      });
      if (choices.length <= 10) {
        continue;
      }
      const title = summary.textContent.trim();
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
      menu.prepend(find);
    }
    document.addEventListener("click", function (event) {
      filters.filter((f) => f.open && !f.contains(event.target)).forEach((f) => { f.open = false; });
    });
  }

  // "Place in the text" beside a saved picture puts its code, "[image N]", on a line of its own where the
  // cursor is in the body (at the end if the body was never clicked).
  let body = null;
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") {
      body = event.detail.editor;
    }
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.place-image");
    if (!button || !body) {
      return;
    }
    body.chain().focus().insertContent({ type: "paragraph", content: [{ type: "text", text: button.dataset.code }] }).run();
    button.closest("form").dispatchEvent(new Event("input", { bubbles: true }));
  });

  window.addEventListener("load", nameTheRest);
  foldFilters();
  const watcher = new MutationObserver(function () {
    nameEditors();
    const named = Array.from(document.querySelectorAll(".prose-editor [contenteditable=true]"));
    if (named.length && named.every((e) => e.hasAttribute("aria-label"))) {
      watcher.disconnect();
    }
  });
  watcher.observe(document.body, { childList: true, subtree: true });
})();

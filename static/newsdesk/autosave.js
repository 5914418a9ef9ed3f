// Nothing typed on the desk is lost. An admin change form warns before the page is left with changes
// not saved. The article and story forms also keep what is typed on the server every few seconds (a
// draft of the form, the writer's alone, not a revision), and on reopening offer to bring it back.
(function () {
  "use strict";
  const tag = document.currentScript;
  const form = document.querySelector("#content-main form[method=post][id$='_form']");
  if (!form) {
    return;
  }
  const autosaved = tag.dataset.forms.split(" ").includes(form.id);
  const endpoint = tag.dataset.url + "?address=" + encodeURIComponent(location.pathname);
  const SKIPPED = new Set(["csrfmiddlewaretoken", "base_version"]);
  const QUIET_MS = 2000; // kept once typing pauses this long,
  const AT_MOST_MS = 10000; // and at least this often while it goes on
  let dirty = false;
  let submitting = false;
  let timer = null;
  let lastKept = 0;

  function csrfToken() {
    const field = form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // A FilteredSelectMultiple keeps its choices in a second box, "<id>_to".
  function chosenBox(select) {
    return document.getElementById(select.id.replace(/_from$/, "") + "_to");
  }

  function fields() {
    const found = {};
    for (const element of form.elements) {
      const name = element.name;
      if (!name || SKIPPED.has(name) || name.endsWith("_old") || element.type === "file" || element.type === "submit") {
        continue;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.type === "radio" && !element.checked) {
          continue;
        }
        found[name] = element.type === "checkbox" ? (element.checked ? "on" : "") : element.value;
      } else if (element.multiple) {
        const box = element.id.endsWith("_to") ? element : chosenBox(element) || element;
        const values = box === element && !element.id.endsWith("_to")
          ? Array.from(element.selectedOptions, (o) => o.value)
          : Array.from(box.options, (o) => o.value);
        found[name] = values;
      } else {
        found[name] = element.value;
      }
    }
    return found;
  }

  function fill(kept) {
    for (const [name, value] of Object.entries(kept)) {
      const elements = form.querySelectorAll("[name='" + CSS.escape(name) + "']");
      for (const element of elements) {
        if (element.type === "checkbox") {
          element.checked = value === "on";
        } else if (element.type === "radio") {
          element.checked = element.value === value;
        } else if (element.multiple && Array.isArray(value)) {
          const wanted = new Set(value);
          const base = element.id.replace(/_(from|to)$/, "");
          const from = document.getElementById(base + "_from");
          const to = document.getElementById(base + "_to");
          if (from && to && window.SelectBox) {
            for (const o of to.options) { o.selected = !wanted.has(o.value); }
            window.SelectBox.move(to.id, from.id);
            for (const o of from.options) { o.selected = wanted.has(o.value); }
            window.SelectBox.move(from.id, to.id);
          } else {
            for (const o of element.options) { o.selected = wanted.has(o.value); }
          }
          break;
        } else {
          element.value = value;
        }
        element.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
  }

  function keep() {
    clearTimeout(timer);
    timer = null;
    if (!dirty || submitting) {
      return Promise.resolve();
    }
    lastKept = Date.now();
    return fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ fields: fields() }),
    }).then(function (response) {
      if (response.status === 400) { // refused (too large): say why, and do not ask again
        return response.json().then((refusal) => status(refusal.error));
      }
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      status(tag.dataset.kept + " " + new Date().toLocaleTimeString());
    }).catch(function () {
      status(tag.dataset.notKept);
      timer = timer || setTimeout(keep, 3000); // try again soon; a save of the form keeps everything anyway
    });
  }

  let note = null;
  function status(text) {
    if (!note) {
      note = document.createElement("p");
      note.className = "autosave-status";
      note.setAttribute("role", "status");
      form.prepend(note);
    }
    note.textContent = text;
  }

  function changed() {
    dirty = true;
    if (!autosaved) {
      return;
    }
    clearTimeout(timer);
    const wait = Date.now() - lastKept > AT_MOST_MS ? 0 : QUIET_MS;
    timer = setTimeout(keep, wait);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && autosaved) {
      keep();
    }
  });

  function offer(draft) {
    const now = fields();
    const differs = Object.entries(draft.fields).some(function ([name, value]) {
      return JSON.stringify(now[name] === undefined ? value : now[name]) !== JSON.stringify(value);
    });
    if (!differs) {
      return;
    }
    const box = document.createElement("div");
    box.className = "autosave-offer";
    box.setAttribute("role", "region");
    box.setAttribute("aria-labelledby", "autosave-offer-text");
    const text = document.createElement("p");
    text.id = "autosave-offer-text";
    text.textContent = tag.dataset.offer.replace("%(when)s", draft.saved_at_display);
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button default";
    restore.textContent = tag.dataset.restore;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = tag.dataset.discard;
    restore.addEventListener("click", function () {
      fill(draft.fields);
      dirty = true;
      box.remove();
      status(tag.dataset.restored);
      form.querySelector("input:not([type=hidden]), textarea").focus();
    });
    discard.addEventListener("click", function () {
      fetch(endpoint, { method: "DELETE", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } });
      box.remove();
    });
    box.append(text, restore, discard);
    form.before(box);
    restore.focus();
  }

  if (autosaved) { // asked once the page has settled, not by every page flicked past
    setTimeout(function () {
      fetch(endpoint, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        return response.status === 200 ? response.json() : null;
      }).then(function (draft) {
        if (draft) {
          offer(draft);
        }
      });
    }, 800);
  }
})();

// The length of a headline or standfirst as it is typed, against the most the field takes.
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
})();

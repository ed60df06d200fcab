// Gives each Draftail rich-text editor in the page editor an accessible name (WCAG 4.1.2).
// Wagtail 8 renders Draft.js's editable area (role="textbox") without one: the field's visible
// label is not tied to it. We point aria-labelledby at that label, or, inside a StreamField block,
// name it after the block's heading. Loaded by kpu_pages.wagtail_hooks (insert_editor_js).
(() => {
  "use strict";
  const SELECTOR = '.public-DraftEditor-content[role="textbox"]';
  let counter = 0;

  function nameEditor(editor) {
    if (editor.hasAttribute("aria-label") || editor.hasAttribute("aria-labelledby")) return;
    const field = editor.closest("[data-field]") || editor.closest(".w-field");
    const label = field && field.querySelector("label, .w-field__label");
    if (label && label.textContent.trim()) {
      if (!label.id) label.id = `kpu-draftail-label-${++counter}`;
      editor.setAttribute("aria-labelledby", label.id);
      return;
    }
    const block = editor.closest("[data-streamfield-child], [data-panel]");
    const heading = block && block.querySelector("[data-panel-heading-text], .w-panel__heading");
    const text = heading && heading.textContent.trim();
    editor.setAttribute("aria-label", text || "Isi teks");
  }

  function nameAll(root) {
    root.querySelectorAll(SELECTOR).forEach(nameEditor);
  }

  document.addEventListener("DOMContentLoaded", () => {
    nameAll(document);
    // Blocks added or re-rendered later (StreamField "add", Draft.js re-mounts) get named too.
    new MutationObserver(() => nameAll(document)).observe(document.body, { childList: true, subtree: true });
  });
})();

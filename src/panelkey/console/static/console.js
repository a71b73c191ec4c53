// The console's behaviour, small and without inline script (the CSP allows none):
// times in the browser's own zone, copy buttons, and a question before a delete.
"use strict";

// A stored UTC time (`<time datetime="...Z">`) in the reader's zone, the UTC kept as title.
const localTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "short", day: "numeric",
  hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
});
window.panelkeyTime = function (node) {
  const at = new Date(node.getAttribute("datetime"));
  if (isNaN(at.getTime())) return;
  node.textContent = localTime.format(at);
  node.title = node.getAttribute("datetime") + " (UTC)";
};

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("time[datetime]").forEach(window.panelkeyTime);

  // `<button data-copy="id">` copies the text of the element with that id.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const label = button.textContent;
    button.addEventListener("click", async function () {
      const source = document.getElementById(button.dataset.copy);
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = "Copied";
      } catch (e) {
        // No clipboard (plain HTTP, a denied permission): select it for Ctrl+C instead.
        window.getSelection().selectAllChildren(source);
        button.textContent = "Press Ctrl+C";
      }
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });

  // `<form data-confirm="question">` asks before it is sent.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

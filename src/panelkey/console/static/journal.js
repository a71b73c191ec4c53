// Live journal: polls for entries newer than the newest shown and adds them on top.
// Rows are built with textContent only, so nothing from a request becomes markup.
"use strict";
(function () {
  const table = document.getElementById("journal");
  const live = document.getElementById("live");
  if (!table || !live) return;
  const base = table.dataset.base;
  const query = table.dataset.query;
  const body = table.tBodies[0];
  const fields = ["face", "source", "credential", "operation", "status", "errcode", "reason", "duration_ms"];
  function newest() {
    const first = body.querySelector("tr[data-id]");
    return first ? Number(first.dataset.id) : 0;
  }
  function add(entry) {
    const empty = body.querySelector("tr.empty");
    if (empty) empty.remove();
    const row = body.insertRow(0);
    row.className = entry.outcome;
    row.dataset.id = entry.id;
    const link = document.createElement("a");
    link.href = base + "/journal/" + entry.id;
    link.textContent = entry.id;
    row.insertCell().appendChild(link);
    const time = document.createElement("time");
    time.setAttribute("datetime", entry.at);
    time.textContent = entry.at;
    if (window.panelkeyTime) window.panelkeyTime(time);
    row.insertCell().appendChild(time);
    for (const name of fields) {
      const cell = row.insertCell();
      cell.textContent = String(entry[name] ?? "");
      if (name === "operation" || name === "reason") cell.className = "wrap";
    }
  }
  async function poll() {
    if (live.checked) {
      try {
        const url = base + "/journal.json?after=" + newest() + (query ? "&" + query : "");
        const answer = await fetch(url, { credentials: "same-origin" });
        if (answer.ok) for (const entry of await answer.json()) add(entry);
      } catch (e) { /* the next poll tries again */ }
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();

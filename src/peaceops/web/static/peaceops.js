// peaceops explorer: the page behaviour, served by the app itself. Pages work without it.
"use strict";

// Resolution page: select a code to see its words; select words to see their codes.
function setupEvidence() {
  const list = document.getElementById("evidence");
  if (!list) return;
  const marks = Array.from(document.querySelectorAll("mark[data-keys]"));
  const panel = document.getElementById("selection");
  const keysOf = (mark) => mark.dataset.keys.split(" ");
  function clear() {
    marks.forEach((m) => m.classList.remove("selected"));
    list.querySelectorAll("li.selected").forEach((li) => li.classList.remove("selected"));
    list.querySelectorAll("button.ev").forEach((b) => b.setAttribute("aria-pressed", "false"));
  }
  function selectKey(key, button) {
    const on = button.getAttribute("aria-pressed") !== "true";
    clear();
    if (!on) { panel.hidden = true; return; }
    button.setAttribute("aria-pressed", "true");
    button.closest("li").classList.add("selected");
    const hits = marks.filter((m) => keysOf(m).includes(key));
    hits.forEach((m) => m.classList.add("selected"));
    panel.hidden = false;
    panel.textContent = `[${key}] ${button.textContent}: ${hits.length} highlighted piece(s) of text.`;
    if (hits.length) hits[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }
  function selectWords(mark) {
    clear();
    mark.classList.add("selected");
    const keys = keysOf(mark);
    panel.hidden = false;
    panel.replaceChildren();
    const head = document.createElement("strong");
    head.textContent = `“${mark.textContent}” supports ${keys.length} item(s):`;
    const items = document.createElement("ul");
    items.className = "selected-codes";
    keys.forEach((key) => {
      const entry = document.getElementById(`ev-${key}`);
      if (!entry) return;
      entry.classList.add("selected");
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#ev-${key}`;
      link.textContent = `[${key}] ${entry.querySelector("button.ev").textContent}`;
      li.append(link);
      items.append(li);
    });
    panel.append(head, items);
  }
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button.ev");
    if (button) selectKey(button.dataset.key, button);
  });
  marks.forEach((mark) => {
    mark.tabIndex = 0;
    mark.setAttribute("role", "button");
    mark.addEventListener("click", () => selectWords(mark));
    mark.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); selectWords(mark); }
    });
  });
}

// Simulation page: poll the job until it ends, then reload to show the fan chart.
function setupJob() {
  const box = document.getElementById("job");
  if (!box || !["queued", "running"].includes(box.dataset.state)) return;
  const id = box.dataset.job;
  async function poll() {
    try {
      const answer = await fetch(`/api/simulations/${encodeURIComponent(id)}`);
      const job = await answer.json();
      document.getElementById("job-state").textContent = job.state;
      document.getElementById("job-done").textContent = job.done;
      document.getElementById("job-progress").value = job.done;
      if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
    } catch (error) { /* the server may be busy: try again */ }
    window.setTimeout(poll, 600);
  }
  window.setTimeout(poll, 300);
}

document.addEventListener("DOMContentLoaded", () => { setupEvidence(); setupJob(); });

// Figures: each point of a chart gets its numbers (a tooltip, a label for screen readers) and
// can be selected by click or keyboard, which opens the numbers table and marks its row.
// The figure says which rows belong to which marks: data-marks='[{"gid": ..., "where":
// {column: value}, "label": [columns]}]'; marks and rows are matched in order, rows without
// a value (no index) have no mark.
function setupMarks() {
  document.querySelectorAll("figure[data-marks]").forEach((figure) => {
    const details = figure.nextElementSibling;
    const table = details && details.querySelector("table");
    if (!table) return;
    const head = Array.from(table.tHead.rows[0].cells).map((c) => c.textContent);
    const rows = Array.from(table.tBodies[0].rows);
    JSON.parse(figure.dataset.marks).forEach((spec) => {
      const group = figure.querySelector(`svg [id="${spec.gid}"]`);
      if (!group) return;
      const matching = rows.filter((row) =>
        Object.entries(spec.where).every(([col, value]) => row.cells[col].textContent === value)
        && row.cells[spec.value].textContent !== "");
      Array.from(group.querySelectorAll("use")).forEach((mark, k) => {
        const row = matching[k];
        if (!row) return;
        const text = spec.label.map((col) => `${head[col]} ${row.cells[col].textContent}`).join(", ");
        const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
        title.textContent = text;
        mark.append(title);
        mark.setAttribute("tabindex", "0");
        mark.setAttribute("role", "button");
        mark.setAttribute("aria-label", text);
        mark.classList.add("mark");
        const select = () => {
          rows.forEach((r) => r.classList.remove("selected"));
          figure.querySelectorAll("use.mark.selected").forEach((m) => m.classList.remove("selected"));
          details.open = true;
          row.classList.add("selected");
          mark.classList.add("selected");
          row.scrollIntoView({ block: "nearest" });
          const status = figure.querySelector(".mark-status") || document.createElement("p");
          status.className = "mark-status";
          status.setAttribute("aria-live", "polite");
          status.textContent = `Selected: ${text}`;
          figure.append(status);
        };
        mark.addEventListener("click", select);
        mark.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(); }
        });
      });
    });
  });
}

document.addEventListener("DOMContentLoaded", setupMarks);

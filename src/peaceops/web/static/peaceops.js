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

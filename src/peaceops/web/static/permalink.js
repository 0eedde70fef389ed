// peaceops explorer, resolution page: permalinks to paragraphs, sub-paragraphs and codes (#30).
// Selecting a paragraph's number, words outside a highlight, a code or its "#" puts the
// element's anchor in the address (history.replaceState), so the address can be shared; an
// address with such an anchor, opened anew, scrolls to the element and highlights it. The
// page works without this script (the anchors are plain links).
"use strict";

(function setupPermalinks() {
  const rows = document.getElementById("evidence");
  if (!rows) return;

  // The text a sub-paragraph anchor (an empty <span class="sub">) stands for: from it to the
  // next sub-paragraph anchor of its paragraph, or the paragraph's end.
  function subRange(anchor) {
    const range = document.createRange();
    range.setStartAfter(anchor);
    const para = anchor.closest("p.para");
    const next = Array.from(para.querySelectorAll("span.sub[id]")).find(
      (s) => anchor.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (next) range.setEndBefore(next); else range.setEnd(para, para.childNodes.length);
    return range;
  }

  function clearMarks() {
    document.querySelectorAll(".permalinked").forEach(
      (e) => e.classList.remove("permalinked", "has-sub-target"));
    if (window.CSS && CSS.highlights) CSS.highlights.delete("permalink");
  }

  // Highlight the element an anchor names; returns the element (or null).
  function show(id, { scroll }) {
    const element = id && document.getElementById(id);
    if (!element || !rows.contains(element)) return null;
    clearMarks();
    if (element.matches("span.sub")) {
      element.closest("p.para").classList.add("permalinked", "has-sub-target");
      if (window.CSS && CSS.highlights && window.Highlight) {
        CSS.highlights.set("permalink", new Highlight(subRange(element)));
      }
    } else {
      element.classList.add("permalinked");
    }
    if (scroll) {
      const target = element.matches("span.sub") ? subRange(element) : element;
      const box = target.getBoundingClientRect();
      window.scrollTo({ top: window.scrollY + box.top - window.innerHeight / 4, behavior: "auto" });
    }
    return element;
  }

  function remember(id) {
    history.replaceState(null, "", `${location.pathname}${location.search}#${id}`);
  }

  // The (sub-)paragraph holding a clicked point: the last sub-paragraph anchor before it.
  function anchorAt(para, event) {
    const caret = document.caretRangeFromPoint
      ? document.caretRangeFromPoint(event.clientX, event.clientY) : null;
    const node = caret ? caret.startContainer : event.target;
    const before = Array.from(para.querySelectorAll("span.sub[id]")).filter(
      (s) => s.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING);
    return before.length ? before[before.length - 1].id : para.id;
  }

  rows.addEventListener("click", (event) => {
    const link = event.target.closest("a.label, a.permalink");
    if (link) {
      event.preventDefault();
      const id = link.getAttribute("href").slice(1);
      remember(id);
      show(id, { scroll: false });
      return;
    }
    const code = event.target.closest("button.ev");
    if (code) { // peaceops.js (de)selects it, after this handler: then the address names it
      const id = code.closest("li").id;
      setTimeout(() => {
        if (code.getAttribute("aria-pressed") === "true") remember(id);
        else if (location.hash === `#${id}`) remember("evidence");
      }, 0);
      return;
    }
    const para = event.target.closest("p.para");
    if (!para || event.target.closest("mark, a, sup")) return;
    if (!window.getSelection().isCollapsed) return; // the reader is selecting text to copy
    const id = anchorAt(para, event);
    remember(id);
    show(id, { scroll: false });
  });

  function fromAddress() {
    const id = decodeURIComponent(location.hash.slice(1));
    const element = show(id, { scroll: true });
    if (element && element.matches("li[id^='ev-']")) {
      const button = element.querySelector("button.ev");
      if (button && button.getAttribute("aria-pressed") !== "true") button.click();
      element.scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("hashchange", fromAddress);
  if (location.hash) {
    // after peaceops.js has set the page up (both run at DOMContentLoaded)
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => setTimeout(fromAddress, 0));
    } else {
      setTimeout(fromAddress, 0);
    }
  }
})();

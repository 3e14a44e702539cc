// Two helps for readers, in the page's language (overrides/main.html writes the words as JSON).
// 1. A table wider than the screen says so: a hint above it, and its scroll box (Material and
//    Zensical wrap every table in .md-typeset__scrollwrap) takes keyboard focus, so the arrow keys
//    scroll it. The shadows at its edges are CSS (handbook.css).
// 2. A copy opened from disk (file://) cannot reach a tracker linked by a root-relative address
//    (built with --tracker-url /tracker): such a link would open file:///tracker/... and fail, so it
//    is replaced by a sentence saying where the tracker is. An absolute tracker address is left alone.
(function () {
  "use strict";

  function pageWords() {
    var data = document.getElementById("handbook-words");
    try { return data ? JSON.parse(data.textContent) : {}; } catch (error) { return {}; }
  }

  // The heading the table is under: each scrolling table's region is named after it, then the hint.
  function headingBefore(element) {
    var found = null;
    document.querySelectorAll("article h1[id], article h2[id], article h3[id], article h4[id]").forEach(function (h) {
      if (h.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) found = h;
    });
    return found;
  }

  function markWideTable(wrap, words) {
    if (wrap.hasAttribute("data-handbook-table")) return;
    wrap.setAttribute("data-handbook-table", "");
    var hint = document.createElement("p");
    hint.className = "handbook-table-hint";
    hint.textContent = words.table_hint || "";
    wrap.parentNode.insertBefore(hint, wrap);
    var heading = headingBefore(wrap), title = "";
    if (heading) {
      var copy = heading.cloneNode(true);
      copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });  // the ¶ permalink
      title = copy.textContent.trim();
    }
    var name = (title ? title + ": " : "") + hint.textContent;
    function update() {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      hint.hidden = !scrolls;
      if (scrolls) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name);
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (attribute) { wrap.removeAttribute(attribute); });
      }
    }
    update();
    if (window.ResizeObserver) {  // a turned phone, a zoomed page: the table may start or stop fitting
      var watch = new ResizeObserver(update);
      watch.observe(wrap);
      if (wrap.firstElementChild) watch.observe(wrap.firstElementChild);
    }
  }

  function explainTrackerLinks(words) {
    if (location.protocol !== "file:" || !words.tracker_offline) return;
    document.querySelectorAll("article a[href^='/']:not([href^='//'])").forEach(function (link) {
      var label = document.createElement("strong");  // what the button would do, no longer a link
      label.textContent = link.textContent;
      var note = document.createElement("span");
      note.className = "handbook-tracker-offline";
      var address = document.createElement("code");
      address.textContent = link.getAttribute("href");
      var parts = words.tracker_offline.split("%s");
      note.append(parts[0], address, parts.slice(1).join(""));
      link.replaceWith(label);
      (label.closest("p") || label).after(note);
    });
  }

  function start() {
    var words = pageWords();
    document.querySelectorAll("article .md-typeset__scrollwrap").forEach(function (wrap) {
      markWideTable(wrap, words);
    });
    explainTrackerLinks(words);
  }

  if (typeof document$ !== "undefined") { document$.subscribe(start); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();

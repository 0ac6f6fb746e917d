// Enhances the annotated article. Without this script every marker is a link to its
// claim page. With it, a marker (click, tap, Enter or Space) or a highlighted passage
// opens the check's note in place: under the paragraph on narrow screens, in the margin
// beside it on wide ones. Notes come from notes.json, fetched once when the page is idle,
// and are built as DOM nodes from text (never as HTML). Keys n/p move between passages,
// Escape closes a note, and "Show only problems" leaves only the passages below the top of the scale.
// When `serve` swaps the page's <main> in place after a save (site-builder:replaced), it all starts
// again on the new content, and the notes that were open in the old one open again.
(function start(previous) {
  "use strict";
  var done = new AbortController();  // this start's listeners outside <main>, dropped when it starts again
  document.addEventListener("site-builder:replaced", function (event) {
    done.abort();
    start(event.detail.previous);
  }, { signal: done.signal });
  var article = document.querySelector(".annotated");
  if (!article) return;
  var text = article.querySelector(".article-text");
  var markers = Array.prototype.slice.call(article.querySelectorAll(".marker"));
  var margin = window.matchMedia("(min-width: 70rem)");
  var byClaim = {};
  var notes = null;
  var loading = null;

  markers.forEach(function (marker) {
    var id = marker.getAttribute("data-claim");
    (byClaim[id] = byClaim[id] || []).push(marker);
    marker.setAttribute("role", "button");
    marker.setAttribute("aria-expanded", "false");
  });

  function load() {
    if (!loading) {
      var url = new URL(article.getAttribute("data-notes"), location.href);
      loading = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("notes: HTTP " + response.status);
        return response.json();
      }).then(function (data) { notes = data; return data; });
    }
    return loading;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function build(id) {
    var data = notes[id];
    var note = element("aside", "note r-" + (data.rating || "none"));
    note.id = "note-" + id;
    note.tabIndex = -1;
    note.setAttribute("aria-labelledby", "note-" + id + "-title");
    var head = element("p", "note-head");
    head.id = "note-" + id + "-title";
    if (data.draft) { head.appendChild(element("span", "badge-draft", "Draft")); head.appendChild(document.createTextNode(" ")); }
    head.appendChild(element("span", "badge r-" + (data.rating || "none"), data.label));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("span", "note-claim", data.claim));
    note.appendChild(head);
    note.appendChild(element("p", "", data.summary));
    if (data.changed) {
      var changed = element("p", "note-changed", "The article was edited after this check (made on " +
        data.changed.version + "). It read: “" + data.changed.before + "”. It now reads: “" + data.changed.after + "”.");
      note.appendChild(changed);
    }
    if (data.sources.length) {
      var sources = element("p", "note-sources", "Sources: ");
      data.sources.forEach(function (source, index) {
        var link = element("a", "", source.publisher);
        link.href = source.url;
        sources.appendChild(link);
        if (index < data.sources.length - 1) sources.appendChild(document.createTextNode(", "));
      });
      note.appendChild(sources);
    }
    var links = element("p", "note-links");
    var full = element("a", "", "Read the full check");
    full.href = data.url;
    var close = element("button", "note-close", "Close");
    close.type = "button";
    links.appendChild(full);
    links.appendChild(close);
    note.appendChild(links);
    return note;
  }

  function openNotes() {
    return Array.prototype.slice.call(text.querySelectorAll(".note"));
  }

  // In the margin, each note sits beside its paragraph, pushed down past the one above it.
  function layout() {
    var wide = margin.matches;
    var bottom = 0;
    openNotes().sort(function (a, b) { return a.anchor.offsetTop - b.anchor.offsetTop; }).forEach(function (note) {
      note.classList.toggle("in-margin", wide);
      if (!wide) { note.style.top = ""; return; }
      var top = Math.max(note.anchor.offsetTop, bottom);
      note.style.top = top + "px";
      bottom = top + note.offsetHeight + 12;
    });
  }

  function setExpanded(id, open) {
    (byClaim[id] || []).forEach(function (marker) {
      marker.setAttribute("aria-expanded", open ? "true" : "false");
      marker.classList.toggle("active", open);
    });
  }

  function close(note, refocus) {
    var id = note.id.slice("note-".length);
    note.remove();
    setExpanded(id, false);
    layout();
    if (refocus && note.from) note.from.focus();
  }

  function open(id, from, kept) {
    var existing = document.getElementById("note-" + id);
    if (existing) { close(existing, true); return; }
    load().then(function () {
      if (!notes[id]) return;
      var note = build(id);
      var block = from.closest(".block");
      note.anchor = block;
      note.from = from;
      // Right after its marker in the DOM (after the heading, for a marker in one, so the heading's name stays
      // its own): Tab from the note goes on in reading order and Shift+Tab back to its passage's marker.
      var heading = from.closest("h1, h2, h3, h4, h5, h6");
      if (heading) heading.after(note); else from.after(note);
      from.setAttribute("aria-controls", note.id);
      setExpanded(id, true);
      layout();
      if (kept) return;  // reopened after the preview's swap: the reader's place and focus stay
      note.focus({ preventScroll: true });
      note.scrollIntoView({ block: "nearest" });
    }, function () {
      location.href = from.href;  // no notes: the claim page has everything
    });
  }

  article.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var marker = target.closest(".marker");
    var mark = target.closest("mark[data-claims]");
    var closer = target.closest(".note-close");
    if (marker) {
      event.preventDefault();
      open(marker.getAttribute("data-claim"), marker);
    } else if (mark && (mark.classList.contains("problem") || !article.classList.contains("only-problems"))) {
      var ids = mark.getAttribute("data-claims").split(" ");
      var id = ids.filter(function (claim) { return (byClaim[claim] || []).some(shown); })[0] || ids[0];
      var next = (byClaim[id] || []).filter(function (m) {
        return mark.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING;
      })[0] || byClaim[id][0];
      open(id, next);
    } else if (closer) {
      close(closer.closest(".note"), true);
    }
  });

  function shown(marker) {
    return marker.getClientRects().length > 0;
  }

  function visibleMarkers() {
    return markers.filter(shown);
  }

  function move(step) {
    var list = visibleMarkers();
    if (!list.length) return;
    var current = document.activeElement;
    if (current && current.classList.contains("note")) current = current.from;
    var index = list.indexOf(current);
    if (index === -1) {
      index = step > 0 ? -1 : list.length;
      for (var i = 0; i < list.length; i++) {
        if (list[i].getBoundingClientRect().top > 0) { index = step > 0 ? i - 1 : i; break; }
      }
    }
    var next = list[Math.min(list.length - 1, Math.max(0, index + step))];
    next.focus();
    next.scrollIntoView({ block: "center" });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target.closest && target.closest("input, textarea, select, button, [contenteditable]")) return;
    if (event.key === " " && target.classList && target.classList.contains("marker")) {
      event.preventDefault();
      open(target.getAttribute("data-claim"), target);
    } else if (letters() && (event.key === "n" || event.key === "j")) {
      event.preventDefault();
      move(1);
    } else if (letters() && (event.key === "p" || event.key === "k")) {
      event.preventDefault();
      move(-1);
    } else if (event.key === "Escape") {
      var note = target.closest && target.closest(".note");
      if (note) close(note, true);
    }
  }, { signal: done.signal });
  article.addEventListener("keydown", function (event) {
    var note = event.target.closest && event.target.closest(".note");
    if (event.key === "Escape" && note) close(note, true);
  });

  // "Show only problems": one toggle, kept in the address (#only-problems) so a link opens the article that
  // way; without the script the same address works through CSS :target.
  var control = article.querySelector(".problems-control");
  var toggle = control && control.querySelector(".problems-toggle");
  function onlyProblems(on, remember) {
    article.classList.toggle("only-problems", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    if (remember) history.replaceState(null, "", on ? "#only-problems" : location.pathname + location.search);
    if (on) openNotes().forEach(function (note) { if (!shown(note.from)) close(note, false); });
  }
  if (toggle) {
    article.classList.add("scripted");
    Array.prototype.forEach.call(control.querySelectorAll("a"), function (link) { link.hidden = true; });
    toggle.hidden = false;
    toggle.addEventListener("click", function () { onlyProblems(!article.classList.contains("only-problems"), true); });
    window.addEventListener("hashchange", function () {
      if (location.hash === "#only-problems") onlyProblems(true, false);
    }, { signal: done.signal });
    onlyProblems(location.hash === "#only-problems", false);
  }
  // The letter keys can be turned off (WCAG 2.1.4), remembered in localStorage; while on, they are
  // announced on every marker (aria-keyshortcuts) and shown in the hint.
  var keys = article.querySelector(".keys");
  var keySwitch = article.querySelector(".keys-switch input");
  var storedKeys = "site-builder:letter-keys";
  function stored() {
    try { return localStorage.getItem(storedKeys) !== "off"; } catch (error) { return true; }
  }
  function letters() {
    return keySwitch ? keySwitch.checked : true;
  }
  function announceKeys() {
    markers.forEach(function (marker) {
      if (letters()) marker.setAttribute("aria-keyshortcuts", "n p j k"); else marker.removeAttribute("aria-keyshortcuts");
    });
    if (keys) keys.classList.toggle("keys-off", !letters());
  }
  if (keys) keys.hidden = false;
  if (keySwitch) {
    keySwitch.checked = stored();
    keySwitch.addEventListener("change", function () {
      try { localStorage.setItem(storedKeys, keySwitch.checked ? "on" : "off"); } catch (error) { /* not kept */ }
      announceKeys();
    });
  }
  announceKeys();

  margin.addEventListener("change", layout, { signal: done.signal });
  window.addEventListener("resize", layout, { signal: done.signal });

  // A link to a passage (#q-id, from a claim page) opens its note.
  var target = !previous && location.hash.indexOf("#q-") === 0 && document.getElementById(location.hash.slice(1));
  if (target && target.classList.contains("marker")) open(target.getAttribute("data-claim"), target);
  else (window.requestIdleCallback || setTimeout)(load);

  // The notes open before the preview's swap, each under the same marker (by its id) as before.
  if (previous) Array.prototype.forEach.call(previous.querySelectorAll(".note"), function (note) {
    var from = note.from && document.getElementById(note.from.id);
    if (from) open(from.getAttribute("data-claim"), from, true);
  });
})(null);

// Enhances the annotated article: notes open in place (click, tap, Enter or Space),
// keys move between passages, and the verdict filter hides passages. Without this
// script every marker is still a link to its note (shown by CSS :target).
(function () {
  "use strict";
  var article = document.querySelector(".annotated");
  if (!article) return;
  var markers = Array.prototype.slice.call(article.querySelectorAll(".marker"));
  var byClaim = {};
  markers.forEach(function (marker) {
    var id = marker.getAttribute("data-claim");
    (byClaim[id] = byClaim[id] || []).push(marker);
    marker.setAttribute("role", "button");
    marker.setAttribute("aria-expanded", "false");
    marker.setAttribute("aria-controls", "note-" + id);
  });

  var margin = window.matchMedia("(min-width: 70rem)");

  function note(id) { return document.getElementById("note-" + id); }

  function setOpen(id, open) {
    var element = note(id);
    if (!element) return;
    element.classList.toggle("open", open);
    (byClaim[id] || []).forEach(function (marker) {
      marker.setAttribute("aria-expanded", open ? "true" : "false");
      marker.classList.toggle("active", open);
    });
  }

  function toggle(id, from) {
    var element = note(id);
    if (!element) return;
    var open = !element.classList.contains("open");
    if (open && margin.matches) {
      // In the margin, notes of other paragraphs would overlap: keep only this paragraph's open.
      var block = element.closest(".block");
      Array.prototype.forEach.call(article.querySelectorAll(".note.open"), function (other) {
        if (other.closest(".block") !== block) setOpen(other.id.slice("note-".length), false);
      });
    }
    setOpen(id, open);
    if (open) {
      element.setAttribute("data-from", from && from.id ? from.id : "q-" + id);
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: "nearest" });
    }
  }

  article.addEventListener("click", function (event) {
    var target = event.target;
    var marker = target.closest && target.closest(".marker");
    if (marker) {
      event.preventDefault();
      toggle(marker.getAttribute("data-claim"), marker);
      return;
    }
    var mark = target.closest && target.closest("mark.hl");
    if (mark) {
      var claims = mark.getAttribute("data-claims").split(" ");
      toggle(claims[0], (byClaim[claims[0]] || [])[0]);
      return;
    }
    var back = target.closest && target.closest(".note .back");
    if (back) {
      event.preventDefault();
      closeNote(back.closest(".note"));
    }
  });

  function closeNote(element) {
    var id = element.id.slice("note-".length);
    setOpen(id, false);
    var from = document.getElementById(element.getAttribute("data-from") || "q-" + id);
    if (from) from.focus();
  }

  function visibleMarkers() {
    return markers.filter(function (marker) { return marker.offsetParent !== null; });
  }

  function move(step) {
    var list = visibleMarkers();
    if (!list.length) return;
    var current = document.activeElement;
    var index = list.indexOf(current);
    if (index === -1 && current && current.classList.contains("note")) {
      index = list.indexOf(document.getElementById(current.getAttribute("data-from")));
    }
    if (index === -1) {
      // start from the first passage below (or above) the top of the screen
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
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === " " && target.classList && target.classList.contains("marker")) {
      event.preventDefault();
      toggle(target.getAttribute("data-claim"), target);
    } else if (event.key === "n" || event.key === "j") {
      event.preventDefault();
      move(1);
    } else if (event.key === "p" || event.key === "k") {
      event.preventDefault();
      move(-1);
    } else if (event.key === "Escape") {
      var open = target.closest && target.closest(".note.open");
      if (open) closeNote(open);
    }
  });

  var form = article.querySelector(".filter");
  if (form) {
    form.hidden = false;
    form.addEventListener("change", function () {
      var shown = {};
      Array.prototype.forEach.call(form.querySelectorAll("input[name=verdict]"), function (box) {
        shown[box.value] = box.checked;
      });
      var visible = {};
      markers.forEach(function (marker) {
        var on = shown[marker.getAttribute("data-verdict")] !== false;
        marker.hidden = !on;
        visible[marker.getAttribute("data-claim")] = on;
        if (!on) setOpen(marker.getAttribute("data-claim"), false);
      });
      Array.prototype.forEach.call(article.querySelectorAll("mark.hl"), function (mark) {
        var claims = mark.getAttribute("data-claims").split(" ");
        mark.classList.toggle("hl-off", !claims.some(function (id) { return visible[id]; }));
      });
    });
  }
  var keys = article.querySelector(".keys");
  if (keys) keys.hidden = false;

  if (location.hash.indexOf("#note-") === 0) setOpen(location.hash.slice(6), true);
})();

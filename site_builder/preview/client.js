// The preview client, served only by `site-builder serve` (never published), under the site's
// strict CSP. It tells the server which page it shows; the server sends that page as soon as a
// save changed it (before the rest of the rebuild), then says which files changed. A changed
// stylesheet is swapped in place. When the rest are pages and data, the new page's <main> and
// title replace this one's (the page the server sent, or else fetched): the scroll position
// stays, and the page's scripts start again on the new content (the site-builder:replaced event,
// whose `detail.previous` is the old <main>, so article.js reopens the notes that were open).
// A script or another file changed, a page whose frame (header, footer, stylesheets, scripts)
// differs, an error page, or a failed fetch: the page is loaded again.
(function () {
  "use strict";
  var PAGE_OR_DATA = /\.(html|json|jsonld|xml|txt|csv)$/;
  var here = decodeURIComponent(location.pathname).replace(/^\//, "");
  if (here === "" || here.slice(-1) === "/") here += "index.html";
  var latest = 0;
  var sent = false;  // the server sent this page during the rebuild it is now telling of

  function reload() { location.reload(); }

  function swapStyles() {
    Array.prototype.forEach.call(document.querySelectorAll('link[rel="stylesheet"]'), function (link) {
      var url = new URL(link.href);
      url.searchParams.set("preview", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });  // no flash of an unstyled page
      link.after(fresh);
    });
  }

  // What stays when <main> is swapped: it must be the same in the new page, or the page is loaded again.
  function frame(doc) {
    var parts = [doc.body.className];
    Array.prototype.forEach.call(doc.body.children, function (child) {
      if (child.tagName !== "MAIN" && child.tagName !== "SCRIPT") parts.push(child.outerHTML);
    });
    Array.prototype.forEach.call(doc.head.querySelectorAll("script[src], link[rel=stylesheet]"), function (el) {
      var url = new URL(el.getAttribute("src") || el.getAttribute("href"), location.href);
      url.searchParams.delete("preview");
      parts.push(el.tagName + " " + url.href);
    });
    return parts.join("\n");
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var old = document.querySelector("main");
    var main = doc.querySelector("main");
    if (!old || !main || frame(doc) !== frame(document)) return reload();
    var x = window.scrollX, y = window.scrollY;
    old.replaceWith(document.adoptNode(main));
    document.title = doc.title;
    window.scrollTo(x, y);
    document.dispatchEvent(new CustomEvent("site-builder:replaced", { detail: { previous: old } }));
  }

  function replace() {
    var asked = ++latest;
    fetch(location.href, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      if (asked === latest) swap(html);  // else a later save is on its way
    }).catch(reload);
  }

  function changed(message) {
    var error = document.body.classList.contains("build-error");
    if (message.page !== undefined) {  // this page, sent as soon as it was made
      if (message.page === here && !error) { latest++; sent = true; swap(message.html); }
      return;
    }
    var shown = sent;
    sent = false;
    if (message.reload || error) return reload();
    var written = message.written || [];
    var styles = written.filter(function (path) { return /\.css$/.test(path); });
    var rest = written.filter(function (path) { return !/\.css$/.test(path); });
    if (rest.some(function (path) { return !PAGE_OR_DATA.test(path); })) return reload();
    if (styles.length) swapStyles();
    if (rest.indexOf(here) !== -1 && !shown) replace();
  }

  function listen(again) {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host +
                               "/.site-builder/socket");
    socket.addEventListener("open", function () {
      if (again) return reload();  // the server was restarted
      socket.send(JSON.stringify({ here: here }));
    });
    socket.addEventListener("message", function (event) { changed(JSON.parse(event.data)); });
    socket.addEventListener("close", function () { setTimeout(function () { listen(true); }, 1000); });
  }
  listen(false);
})();

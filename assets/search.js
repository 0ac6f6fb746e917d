// Search with the Pagefind index that `site-builder build` writes next to the pages.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var moreButton = more.querySelector("button");
  var PAGE = 20;
  // Letters Pagefind does not fold (ı, ł, ø...): typed either way, a query finds both spellings, since
  // every page carries the ASCII spelling of such words (site_builder/spellings.py).
  var folding = JSON.parse(form.getAttribute("data-fold") || "{}");
  var pagefind = null;
  var shown = { results: [], next: 0, query: "" };

  function fold(text) {
    return Array.prototype.map.call(text, function (letter) { return folding[letter] || letter; }).join("");
  }

  function load() {
    if (!pagefind) {
      var index = new URL(form.getAttribute("data-index"), location.href);
      var siteRoot = new URL("..", index).pathname;  // the index lives in ROOT/pagefind/
      pagefind = import(index.href).then(function (module) {
        return Promise.resolve(module.options({ baseUrl: siteRoot })).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    var excerpt = document.createElement("p");
    // Pagefind's excerpt marks matches with <mark>; build it as text nodes, never as HTML.
    data.excerpt.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var node = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
      if (inMark) { var mark = document.createElement("mark"); mark.appendChild(node); excerpt.appendChild(mark); }
      else excerpt.appendChild(node);
      return inMark;
    }, false);
    li.appendChild(link);
    li.appendChild(excerpt);
    return li;
  }

  function describe() {
    var total = shown.results.length, query = "“" + shown.query + "”";
    if (!total) return "Nothing found for " + query + ".";
    var counted = total + " result" + (total === 1 ? "" : "s") + " for " + query;
    return shown.next >= total ? counted + "." : counted + ": showing 1–" + shown.next + ".";
  }

  function showMore() {
    var batch = shown.results.slice(shown.next, shown.next + PAGE);
    var firstNew = shown.next;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      pages.forEach(function (data) { list.appendChild(item(data)); });
      shown.next += pages.length;
      more.hidden = shown.next >= shown.results.length;
      status.textContent = describe();
      return firstNew;
    });
  }

  function run(query) {
    if (!query) return;
    status.textContent = "Searching…";
    load().then(function (module) { return module.search(fold(query)); }).then(function (search) {
      shown = { results: search.results, next: 0, query: query };
      list.replaceChildren();
      return showMore();
    }).catch(function () {
      more.hidden = true;
      status.textContent = "Search is not available here: the index is missing.";
    });
  }

  moreButton.addEventListener("click", function () {
    showMore().then(function (firstNew) {
      var link = list.children[firstNew] && list.children[firstNew].querySelector("a");
      if (link) link.focus();  // on to the first new result, as a reader would read on
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();

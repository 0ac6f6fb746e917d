// Search with the Pagefind index that `site-builder build` writes next to the pages.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var pagefind = null;

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

  function run(query) {
    if (!query) return;
    status.textContent = "Searching…";
    load().then(function (module) { return module.search(query); }).then(function (search) {
      return Promise.all(search.results.slice(0, 20).map(function (result) { return result.data(); }));
    }).then(function (results) {
      list.replaceChildren.apply(list, results.map(item));
      status.textContent = results.length ? results.length + " result" + (results.length === 1 ? "" : "s") + " for “" + query + "”." : "Nothing found for “" + query + "”.";
    }).catch(function () {
      status.textContent = "Search is not available here: the index is missing.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();

// Search with the Pagefind index that `site-builder build` writes next to the pages. Each indexed page
// says what it is (meta `type`: claim, source, article, page) and a claim its verdict (meta `verdict`,
// the label; filter `verdict`, the id), so results are typed and can be narrowed by type and verdict.
// The query and the filters live in the address (?q=&type=&verdict=), so a reload or a shared link
// shows the same results.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var type = form.querySelector("select[name=type]");
  var verdict = form.querySelector("select[name=verdict]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var moreButton = more.querySelector("button");
  var PAGE = 20;
  var KINDS = { claim: "Claim", source: "Source", article: "Article", page: "Page" };
  // Letters Pagefind does not fold (ı, ł, ø...): typed either way, a query finds both spellings, since
  // every page carries the ASCII spelling of such words (site_builder/spellings.py).
  var folding = JSON.parse(form.getAttribute("data-fold") || "{}");
  var pagefind = null;
  var shown = { results: [], next: 0, query: "" };
  var latest = 0;  // the newest search asked for: an older one finishing late is dropped

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

  function span(className, text) {
    var node = document.createElement("span");
    node.className = className;
    node.textContent = text;
    return node;
  }

  function excerptOf(html) {
    // Pagefind's excerpt marks matches with <mark>; build it as text nodes, never as HTML.
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    html.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var node = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
      if (inMark) { var mark = document.createElement("mark"); mark.appendChild(node); excerpt.appendChild(mark); }
      else excerpt.appendChild(node);
      return inMark;
    }, false);
    return excerpt;
  }

  function item(data) {
    var meta = data.meta || {};
    var li = document.createElement("li");
    li.className = "search-result";
    li.setAttribute("data-type", meta.type || "page");
    var kind = document.createElement("p");
    kind.className = "search-kind";
    kind.appendChild(span("kind", KINDS[meta.type] || "Page"));
    li.appendChild(kind);
    var link = document.createElement("a");
    link.href = data.url;
    if (meta.verdict) {  // a claim: its verdict first, in the link's name too ("Inaccurate: ...")
      link.appendChild(span("badge r-" + (meta.rating || "none"), meta.verdict));
      link.appendChild(span("sr-only", ":"));
      link.appendChild(document.createTextNode(" "));
    }
    link.appendChild(document.createTextNode(meta.title || data.url));
    li.appendChild(link);
    li.appendChild(excerptOf(data.excerpt));
    return li;
  }

  function narrowed() {
    var words = [];
    if (type.value) words.push(type.options[type.selectedIndex].text);
    if (verdict.value) words.push("rated " + verdict.options[verdict.selectedIndex].text);
    return words.length ? " among " + words.join(" ") : "";
  }

  function describe() {
    var total = shown.results.length;
    var query = (shown.query ? " for “" + shown.query + "”" : "") + narrowed();
    if (!total) return "Nothing found" + query + ".";
    var counted = total + " result" + (total === 1 ? "" : "s") + query;
    return shown.next >= total ? counted + "." : counted + ": showing 1–" + shown.next + ".";
  }

  function showMore(asked) {
    var batch = shown.results.slice(shown.next, shown.next + PAGE);
    var firstNew = shown.next;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      if (asked !== latest) return firstNew;
      pages.forEach(function (data) { list.appendChild(item(data)); });
      shown.next += pages.length;
      more.hidden = shown.next >= shown.results.length;
      status.textContent = describe();
      return firstNew;
    });
  }

  function filters() {
    var chosen = {};
    if (type.value) chosen.type = type.value;
    if (verdict.value) chosen.verdict = verdict.value;
    return chosen;
  }

  function run() {
    var query = input.value.trim();
    var chosen = filters();
    var asked = ++latest;
    if (!query && !Object.keys(chosen).length) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    load().then(function (module) {
      return module.search(query ? fold(query) : null, { filters: chosen });
    }).then(function (search) {
      if (asked !== latest) return;
      shown = { results: search.results, next: 0, query: query };
      list.replaceChildren();
      return showMore(asked);
    }).catch(function () {
      more.hidden = true;
      status.textContent = "Search is not available here: the index is missing.";
    });
  }

  function remember() {
    var params = new URLSearchParams();
    params.set("q", input.value.trim());
    if (type.value) params.set("type", type.value);
    if (verdict.value) params.set("verdict", verdict.value);
    history.replaceState(null, "", "?" + params.toString());
  }

  function choose(select, value) {
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === value; });
    select.value = known ? value : "";
  }

  moreButton.addEventListener("click", function () {
    showMore(latest).then(function (firstNew) {
      var link = list.children[firstNew] && list.children[firstNew].querySelector("a");
      if (link) link.focus();  // on to the first new result, as a reader would read on
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember();
    run();
  });
  [type, verdict].forEach(function (select) {
    select.addEventListener("change", function () { remember(); run(); });
  });
  var initial = new URLSearchParams(location.search);
  input.value = initial.get("q") || "";
  choose(type, initial.get("type") || "");
  choose(verdict, initial.get("verdict") || "");
  run();
})();

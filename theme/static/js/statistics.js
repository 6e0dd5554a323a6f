/* Incident list: filter, sort and page through every public incident without a server. The page
   carries the newest rows; this script loads the compact index (statistics-data.js) and writes the
   rows of the page asked for, fetching only their narratives. Filters, sort and page are kept in
   the URL, so back and forward and a shared link show the same view. */
(function () {
  "use strict";
  var S = window.CSOAStats;
  var root = document.getElementById("incident-list");
  var form = document.getElementById("incident-filters");
  if (!root || !form || !S || !window.fetch || !window.URLSearchParams) { return; }
  var table = document.getElementById("incident-table");
  var pager = document.getElementById("incident-pager");
  var counter = document.getElementById("incident-filters-count");
  var mapLink = document.getElementById("incident-map-link");
  var site = root.dataset.siteUrl, pageSize = Number(root.dataset.pageSize) || 25;
  var SORTS = {"": "newest first", "date-asc": "oldest first", country: "by country", region: "by region",
               type: "by attack type", vessel: "by vessel type", source: "by source"};
  var index, narratives, state = {}, shown = [], shownKey = null;

  /* rank[code] orders a coded column by its words; the index's order (newest first) breaks ties */
  function ranks(labels) {
    var order = labels.map(function (label, code) { return code; });
    order.sort(function (a, b) { return labels[a].localeCompare(labels[b], "en"); });
    var rank = [];
    order.forEach(function (code, position) { rank[code] = position; });
    return rank;
  }

  function sortKeys() {
    var c = index.columns, l = index.labels;
    var keyed = {country: [c.country, ranks(l.country.map(function (n) { return n || "\uffff"; }))],
                 region: [c.region, ranks(l.region)], type: [c.attack_type, null],  // severity order
                 vessel: [c.vessel_type, ranks(l.vessel_type)], source: [c.source, ranks(l.source)]};
    return function (sort) {
      var k = keyed[sort];
      if (!k) { return null; }
      return function (i) { return k[1] ? k[1][k[0][i]] : k[0][i]; };
    };
  }
  var keyOf;

  function select() {
    var key = JSON.stringify([state.from, state.to, state.region, state.type, state.scope, state.sort]);
    if (key === shownKey) { return; }
    shown = S.matching(index, state);  // ascending positions: newest first
    if (state.sort === "date-asc") { shown.reverse(); }
    var key_ = keyOf(state.sort);
    if (key_) { shown.sort(function (a, b) { return (key_(a) - key_(b)) || (a - b); }); }
    shownKey = key;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }  // third-party text goes in as text, never as HTML
    return node;
  }

  function link(className, href, text) {
    var a = el("a", className, text);
    a.href = href;
    return a;
  }

  function cell(className, children) {
    var td = el("td", className);
    children.forEach(function (child, i) {
      if (!child) { return; }
      if (i && td.childNodes.length) { td.appendChild(document.createTextNode(" ")); }
      td.appendChild(child);
    });
    return td;
  }

  function row(i) {
    var c = index.columns, l = index.labels, iso = c.date[i];
    var time = el("time", "", S.humanDate(iso));
    time.dateTime = iso;
    var country = l.country[c.country[i]];
    var text = el("span", "narrative-text", "Loading the summary\u2026");
    narratives.get(i).then(function (value) { text.textContent = value; },
                           function () { text.textContent = "The summary could not be loaded."; });
    var tr = el("tr");
    tr.appendChild(cell("when", [time]));
    tr.appendChild(cell("where", [
      c.location[i] ? el("span", "location", c.location[i]) : null,
      country ? link("country", site + "/statistics/countries/" + index.codes.country[c.country[i]].toLowerCase() + "/", country) : null,
      link("region", site + "/statistics/regions/" + index.region_slugs[c.region[i]] + "/", l.region[c.region[i]])]));
    tr.appendChild(cell("what", [document.createTextNode(l.attack_type[c.attack_type[i]]),
                                 c.in_scope[i] ? null : link("scope-flag", "#out-of-scope", "out of scope")]));
    var vessel = l.vessel_type[c.vessel_type[i]] + ", " + l.vessel_status[c.vessel_status[i]];
    tr.appendChild(cell("vessel", [document.createTextNode(vessel)]));
    tr.appendChild(cell("narrative", [text, el("span", "source", "Source: " + l.source[c.source[i]])]));
    return tr;
  }

  function pageCount() { return Math.max(1, Math.ceil(shown.length / pageSize)); }

  function pageHref(page) {
    return S.query(Object.assign({}, state, {page: page > 1 ? String(page) : ""}), S.FILTERS.concat(["sort", "page"]));
  }

  function renderPager(page, pages) {
    pager.textContent = "";
    [["First", 1], ["Previous", page - 1], null, ["Next", page + 1], ["Last", pages]].forEach(function (item) {
      if (!item) {
        pager.appendChild(el("span", "pager-status", "Page " + S.count(page) + " of " + S.count(pages)));
        return;
      }
      if (item[1] < 1 || item[1] > pages || item[1] === page) {
        pager.appendChild(el("span", "pager-off", item[0]));  // not a link: nowhere to go
        return;
      }
      var a = link("", pageHref(item[1]) || location.pathname, item[0]);
      a.dataset.page = String(item[1]);
      pager.appendChild(a);
    });
    pager.hidden = pages < 2;
  }

  function render() {
    select();
    var pages = pageCount(), page = Math.min(Math.max(Number(state.page) || 1, 1), pages);
    var first = (page - 1) * pageSize, rows = shown.slice(first, first + pageSize);
    var body = document.createElement("tbody");
    rows.forEach(function (i) { body.appendChild(row(i)); });
    if (!rows.length) {
      var none = el("td", "none", "No incidents match these filters.");
      none.colSpan = 5;
      body.appendChild(el("tr")).appendChild(none);
    }
    table.replaceChild(body, table.tBodies[0]);
    table.caption.textContent = "Public incidents, " + SORTS[state.sort || ""] + (rows.length ?
      ": " + S.count(first + 1) + "\u2013" + S.count(first + rows.length) + " of " + S.count(shown.length) : "");
    counter.textContent = S.count(shown.length) + " of " + S.count(index.count) + " incidents match";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var sort = th.dataset.sort, active = sort && (state.sort || "date").indexOf(sort) === 0;
      if (active) { th.setAttribute("aria-sort", state.sort === "date-asc" || (sort !== "date") ? "ascending" : "descending"); }
      else { th.removeAttribute("aria-sort"); }
    });
    renderPager(page, pages);
    if (mapLink) { mapLink.href = mapLink.href.split("?")[0] + S.query(state, S.FILTERS); }
    root.dataset.shown = String(shown.length);
    root.dataset.page = String(page);
  }

  function go(next, push) {
    state = next;
    S.showInForm(form, state);
    render();
    if (push) { history.pushState(null, "", pageHref(Number(state.page) || 1) || location.pathname); }
  }

  function fromUrl() {
    var next = S.readFilters(location.search, form, ["sort"]);
    var page = new URLSearchParams(location.search).get("page");
    if (/^[0-9]+$/.test(page || "")) { next.page = page; }  // past the last page shows the last
    return next;
  }

  form.addEventListener("change", function () { go(S.readForm(form), true); });  // a new filter starts at page 1
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  pager.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-page]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    e.preventDefault();
    go(Object.assign({}, state, {page: a.dataset.page}), true);
    table.caption.tabIndex = -1;
    table.caption.focus();  // a screen reader hears where the new page starts; the view moves to it
  });
  window.addEventListener("popstate", function () { go(fromUrl(), false); });

  S.getJSON(root.dataset.index).then(function (data) {
    index = data;
    narratives = new S.Narratives(root.dataset.narratives, index.block);
    keyOf = sortKeys();
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (!th.dataset.sort) { return; }
      var button = el("button", "", th.textContent);
      button.type = "button";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var sort = th.dataset.sort === "date" ? (state.sort ? "" : "date-asc") : th.dataset.sort;
        go(Object.assign({}, state, {sort: sort, page: ""}), true);
      });
    });
    form.hidden = false;
    go(fromUrl(), false);
    root.dataset.ready = "true";
    if (window.performance && performance.mark) { performance.mark("csoa-ready"); }  // bench_stats_browser.py reads it
  });
})();

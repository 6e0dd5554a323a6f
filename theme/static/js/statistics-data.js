/* Shared by the incident list and the interactive map: the compact incident index written by
   crime_stats/client_data.py, its narratives in blocks, and the filters, which live in the URL's
   query (the same names on both pages) so that a view can be shared. No dependencies. */
(function () {
  "use strict";
  var FILTERS = ["from", "to", "region", "type", "scope"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];

  function humanDate(iso) {  // "2019-07-08" -> "8 July 2019", the site's one human date format
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : iso;
  }

  function getJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.json();
    });
  }

  /* The narratives of index positions, fetched a block at a time and kept. */
  function Narratives(base, blockSize) {
    var blocks = {};
    this.get = function (position) {
      var number = Math.floor(position / blockSize);
      if (!blocks[number]) {
        var name = ("00" + number).slice(-Math.max(3, String(number).length)) + ".json";
        blocks[number] = getJSON(base + name).catch(function (error) { delete blocks[number]; throw error; });
      }
      return blocks[number].then(function (block) { return block[position - number * blockSize]; });
    };
  }

  /* The filters in a URL query, only known names with values the page offers (a hand-edited or
     stale link falls back to "all" for that filter instead of matching nothing). */
  function readFilters(search, form, extra) {
    var params = new URLSearchParams(search), state = {};
    FILTERS.concat(extra || []).forEach(function (name) {
      var value = params.get(name), field = form.elements[name];
      if (!value || !field) { return; }
      if (Array.prototype.some.call(field.options, function (o) { return o.value === value; })) { state[name] = value; }
    });
    return state;
  }

  function query(state, names) {
    var params = new URLSearchParams();
    names.forEach(function (name) { if (state[name]) { params.set(name, state[name]); } });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function showInForm(form, state) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name) { field.value = state[field.name] || ""; }
    });
  }

  function readForm(form) {
    var state = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value) { state[field.name] = field.value; }
    });
    return state;
  }

  /* A test of an index position against the filters (years inclusive; "from" after "to" is read
     the other way round rather than matching nothing). */
  function matcher(index, state) {
    var c = index.columns, codes = index.codes;
    var from = state.from || "0000", to = state.to || "9999";
    if (from > to) { var swap = from; from = to; to = swap; }
    var region = state.region ? codes.region.indexOf(state.region) : -1;
    var type = state.type ? codes.attack_type.indexOf(state.type) : -1;
    var scope = state.scope === "in" ? 1 : state.scope === "out" ? 0 : -1;
    return function (i) {
      var year = c.date[i].slice(0, 4);
      return year >= from && year <= to && (region < 0 || c.region[i] === region) &&
        (type < 0 || c.attack_type[i] === type) && (scope < 0 || c.in_scope[i] === scope);
    };
  }

  function matching(index, state) {
    var test = matcher(index, state), out = [];
    for (var i = 0; i < index.count; i += 1) { if (test(i)) { out.push(i); } }
    return out;
  }

  function count(n) { return n.toLocaleString("en-GB"); }

  window.CSOAStats = {
    FILTERS: FILTERS, humanDate: humanDate, getJSON: getJSON, Narratives: Narratives, readFilters: readFilters,
    query: query, showInForm: showInForm, readForm: readForm, matching: matching, count: count
  };
})();

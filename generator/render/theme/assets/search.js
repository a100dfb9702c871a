/* Site search with Pagefind: the header box (top results as you type) and the full page at /search/.
   Loads nothing until the visitor searches; every file comes from this site (/pagefind/). */
(function () {
  "use strict";
  var script = document.querySelector('script[src$="assets/search.js"]');
  if (!script) return;
  var root = new URL("../", script.src);            // the site root, wherever the site is deployed
  var bundle = new URL("pagefind/", root).href;
  var LABELS = { unit: "单位", column: "栏目", year: "年度", disclosure: "五公开", status: "有效性" };
  var PAGE_SIZE = 10;
  var pagefind = null;
  var manifest = null;
  var vocabCache = {};

  /* Pagefind with shard 0 (the newest items and the reference pages); other shards are merged on demand,
     each tagged with a synthetic `shard` filter. */
  var merged = {};
  function load() {
    if (!pagefind) {
      pagefind = fetch(bundle + "shards.json").then(function (r) { return r.json(); }).then(function (m) {
        manifest = m;
        return import(bundle + "pagefind.js");
      }).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, highlightParam: "highlight", excerptLength: 36,
                            mergeFilter: { shard: "0" }, noWorker: true })
          .then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function ensureShards(pf, indexes) {
    return Promise.all(indexes.map(function (i) {
      if (i === 0) return null;
      if (!merged[i]) {
        merged[i] = pf.mergeIndex(new URL(manifest.shards[i].path, root).pathname,
                                  { mergeFilter: { shard: String(i) } });
      }
      return merged[i];
    }));
  }

  /* The query terms exactly as Pagefind forms them (Intl.Segmenter words, punctuation dropped, lower case). */
  var PUNCT = /^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u;
  function terms(q) {
    var out = [];
    var lang = document.documentElement.lang || "zh-CN";
    var words = typeof Intl.Segmenter === "function"
      ? Array.from(new Intl.Segmenter(lang, { granularity: "word" }).segment(q), function (s) { return s.segment; })
      : q.split(/\s+/);
    var graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(lang, { granularity: "grapheme" }) : null;
    words.forEach(function (w) {
      var chars = graphemes ? Array.from(graphemes.segment(w), function (g) { return g.segment; }) : Array.from(w);
      var kept = chars.filter(function (g) { return !PUNCT.test(g); }).map(function (g) { return g.toLocaleLowerCase(); });
      out.push(kept.join(""));
    });
    return out.join(" ").normalize("NFD").replace(/\p{M}/gu, "").split(/\s+/).filter(Boolean);
  }

  function bucketOf(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h % manifest.buckets;
  }

  function vocab(key) {
    var b = bucketOf(key.charAt(0) === "=" && key.length > 1 ? key.slice(1) : key);
    if (!vocabCache[b]) {
      vocabCache[b] = fetch(new URL(manifest.vocab + b + ".json", root).href)
        .then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
    }
    return vocabCache[b].then(function (table) { return table[key]; });
  }

  /* The shards that match a term as one index would: those holding words the term is a prefix of; if no
     shard has any, those holding the longest word that is a prefix of the term (Pagefind's fallback). */
  function shardsFor(term) {
    var chars = Array.from(term);
    if (chars.length === 1) {
      return vocab(term).then(function (mask) { return mask || 0; });
    }
    var key = chars[0] + chars[1];
    return vocab(key).then(function (words) {
      words = words || {};
      var mask = 0;
      Object.keys(words).forEach(function (w) { if (w.indexOf(term) === 0) mask |= words[w]; });
      if (mask) return mask;
      for (var n = chars.length - 1; n >= 2; n--) {
        var prefix = chars.slice(0, n).join("");
        if (words[prefix]) return words[prefix];
      }
      return vocab("=" + chars[0]).then(function (m) { return m || 0; });
    });
  }

  /* Search the shards that match every term the way one index would. With `quick: n`, search them newest
     first and stop once n results are found (the header box); otherwise search them all (the full page). */
  function search(q, options) {
    options = options || {};
    return load().then(function (pf) {
      var ts = terms(q);
      if (!ts.length) return { results: [], filters: {}, complete: true };
      return Promise.all(ts.map(shardsFor)).then(function (masks) {
        var mask = masks.reduce(function (a, b) { return a & b; }, -1);
        var allowed = manifest.shards.map(function (_, i) { return i; })
          .filter(function (i) { return mask & (1 << i); });
        if (!allowed.length) return { results: [], filters: {}, complete: true };
        var run = function (upto) {
          var batch = allowed.slice(0, upto);
          return ensureShards(pf, batch).then(function () {
            var filters = Object.assign({}, options.filters || {}, { shard: { any: batch.map(String) } });
            return pf.search(q, { filters: filters, sort: options.sort || {} });
          }).then(function (res) {
            res.complete = upto >= allowed.length;
            if (options.quick && res.results.length < options.quick && !res.complete) return run(upto + 1);
            return res;
          });
        };
        return run(options.quick ? 1 : allowed.length);
      });
    });
  }
  window.portalSearch = { search: search, terms: terms };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function excerpt(html) {
    // Pagefind escapes the page text; only its <mark> tags are markup. Drop anything else defensively.
    var span = el("span", "portal-result__excerpt");
    span.innerHTML = String(html || "").replace(/<(?!\/?mark>)[^>]*>/g, "");
    return span;
  }

  function resultItem(data, itemClass) {
    var li = el("li", itemClass);
    var a = el("a", "portal-result__link");
    a.href = data.url;
    a.appendChild(el("span", "portal-result__title", (data.meta && data.meta.title) || data.url));
    var meta = [data.meta && data.meta.unit, data.meta && data.meta.date].filter(Boolean).join(" · ");
    if (meta) a.appendChild(el("span", "portal-result__meta", meta));
    a.appendChild(excerpt(data.excerpt));
    li.appendChild(a);
    return li;
  }

  /* ------------------------------------------------------------- header box */
  var input = document.getElementById("portal-search-input");
  var toggle = document.getElementById("__search");
  var list = document.getElementById("portal-search-list");
  var meta = document.getElementById("portal-search-meta");
  var all = document.getElementById("portal-search-all");
  var timer = null;
  var latest = 0;

  function open() { if (toggle) toggle.checked = true; }

  function runHeader() {
    var q = input.value.trim();
    var id = ++latest;
    all.href = new URL("search/?q=" + encodeURIComponent(q), root).href;
    all.parentNode.hidden = !q;
    if (!q) { list.textContent = ""; meta.textContent = "输入关键词搜索"; return; }
    meta.textContent = "正在搜索…";
    search(q, { quick: 8 }).then(function (res) {
      if (id !== latest) return null;
      return Promise.all(res.results.slice(0, 8).map(function (r) { return r.data(); })).then(function (rows) {
        if (id !== latest) return;
        list.textContent = "";
        rows.forEach(function (d) { list.appendChild(resultItem(d, "md-search-result__item portal-result")); });
        meta.textContent = !res.results.length ? "没有找到“" + q + "”的相关结果"
          : res.complete ? "找到 " + res.results.length + " 条结果" : "最新的相关结果（查看全部可搜索更早的信息）";
      });
    }).catch(function () { meta.textContent = "搜索暂时不可用"; });
  }

  if (input && list) {
    input.addEventListener("focus", function () { open(); load(); });
    input.addEventListener("input", function () { open(); clearTimeout(timer); timer = setTimeout(runHeader, 150); });
    input.form.addEventListener("reset", function () { setTimeout(runHeader, 0); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle) { toggle.checked = false; input.blur(); }
    });
  }

  /* ------------------------------------------------------------- /search/ page */
  var page = document.getElementById("portal-search-page");
  if (page) {
    var form = page.querySelector("form");
    var pageInput = form.elements.q;
    var filtersBox = document.getElementById("portal-search-filters");
    var out = document.getElementById("portal-search-results");
    var summary = document.getElementById("portal-search-summary");
    var more = document.getElementById("portal-search-more");
    var params = new URLSearchParams(location.search);
    var state = { results: [], shown: 0, id: 0 };
    pageInput.value = params.get("q") || "";
    form.elements.sort.value = params.get("sort") === "date" ? "date" : "";

    var chosen = function () {
      var f = {};
      filtersBox.querySelectorAll("select").forEach(function (s) { if (s.value) f[s.name] = [s.value]; });
      return f;
    };

    var buildFilters = function (pf) {
      return pf.filters().then(function (filters) {
        filtersBox.textContent = "";
        Object.keys(LABELS).forEach(function (key) {  // the synthetic `shard` filter is not shown
          var values = filters[key];
          if (!values || !Object.keys(values).length) return;
          var label = el("label", null, LABELS[key] + " ");
          var select = el("select");
          select.name = key;
          select.appendChild(new Option("全部", ""));
          Object.keys(values).sort(function (a, b) { return key === "year" ? b.localeCompare(a) : 0; })
            .forEach(function (v) { select.appendChild(new Option(v + "（" + values[v] + "）", v)); });
          select.value = params.get(key) || "";
          label.appendChild(select);
          filtersBox.appendChild(label);
        });
      });
    };

    var showMore = function (id) {  // id: the run these rows belong to; a newer run drops them
      var next = state.results.slice(state.shown, state.shown + PAGE_SIZE);
      state.shown += next.length;
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (rows) {
        if (id !== state.id) return false;
        rows.forEach(function (d) { out.appendChild(resultItem(d, "portal-result")); });
        more.hidden = state.shown >= state.results.length;
        return true;
      });
    };

    var run = function (push) {
      var q = pageInput.value.trim();
      var id = ++state.id;
      var query = new URLSearchParams();
      if (q) query.set("q", q);
      var f = chosen();
      Object.keys(f).forEach(function (k) { query.set(k, f[k][0]); });
      if (form.elements.sort.value) query.set("sort", "date");
      if (push) history.replaceState(null, "", location.pathname + (query.toString() ? "?" + query : ""));
      out.textContent = "";
      more.hidden = true;
      if (!q) { summary.textContent = "请输入关键词。"; return Promise.resolve(); }
      summary.textContent = "正在搜索…";
      var opts = { filters: f };
      if (form.elements.sort.value) opts.sort = { date: "desc" };
      return search(q, opts).then(function (res) {
        if (id !== state.id) return;
        state.results = res.results;
        state.shown = 0;
        summary.textContent = res.results.length ? "找到 " + res.results.length + " 条与“" + q + "”相关的结果"
          : "没有找到与“" + q + "”相关的结果。可以换用更短的关键词，或在信息公开目录中浏览。";
        return showMore(id).then(function (current) {
          if (current) page.setAttribute("data-query", query.toString());
        });
      }).catch(function () { summary.textContent = "搜索暂时不可用"; });
    };

    form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
    form.addEventListener("change", function () { run(true); });
    more.addEventListener("click", function () { showMore(state.id); });
    load().then(function (pf) {  // the full page searches every shard, so its filters count them all
      return ensureShards(pf, manifest.shards.map(function (_, i) { return i; })).then(function () {
        return buildFilters(pf);
      });
    }).then(function () { return run(false); });
  }

  /* ------------------------------------------------------------- highlight on the page a result led to */
  if (/[?&]highlight=/.test(location.search)) {
    import(bundle + "pagefind-highlight.js").then(function (m) {
      new m.default({ highlightParam: "highlight", markContext: "#portal-main" });
    }).catch(function () {});
  }
})();

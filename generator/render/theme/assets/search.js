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
  var manifestLoad = null;
  function loadManifest() {
    if (!manifestLoad) {
      manifestLoad = fetch(bundle + "shards.json").then(function (r) { return r.json(); })
        .then(function (m) { manifest = m; return m; });
    }
    return manifestLoad;
  }
  function load() {
    if (!pagefind) {
      pagefind = loadManifest().then(function () {
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

  /* ---------------------------------------------------------------- search tokens (generator/util/searchtext.py)
     The index holds, besides the page text, our own tokens: every run of letters/digits as overlapping
     character bigrams plus an end marker, each character as a prefix-free ASCII code, one token per position.
     A query becomes the same tokens; a page matches a whitespace-separated part when a covering subset of
     the part's tokens (every other one, and the last) sits at the same relative positions (see `cover`). */
  var BODY = "qj", HEAD_END = "qo", END = "zzzzz", SENTINEL = "qzz";
  var RUN = /[\p{L}\p{N}]+/gu;
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  function b36(n, width) {
    var out = "";
    for (var i = 0; i < width; i++) { out = DIGITS.charAt(n % 36) + out; n = Math.floor(n / 36); }
    return out;
  }
  function code(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0x3400 && cp < 0x3400 + 34 * 1296) return b36(cp - 0x3400, 3);
    if (DIGITS.indexOf(ch) >= 0 && ch.length === 1) return "y" + ch;
    return "z" + b36(cp, 4);
  }
  function normalize(text) { return String(text).normalize("NFKC").toLowerCase(); }
  function runs(text) { return normalize(text).match(RUN) || []; }
  /* One token list per whitespace-separated part (searchtext.query_tokens). */
  function tokens(q) {
    var ns = BODY;
    var parts = [];
    normalize(q).split(/\s+/).forEach(function (part) {
      var toks = [], m;
      RUN.lastIndex = 0;
      while ((m = RUN.exec(part)) !== null) {
        var codes = Array.from(m[0], code);
        for (var i = 0; i + 1 < codes.length; i++) toks.push(ns + codes[i] + codes[i + 1]);
        if (m.index + m[0].length < part.length) toks.push(ns + codes[codes.length - 1] + END);
        else if (codes.length === 1) toks.push(ns + codes[0]);
      }
      if (toks.length) parts.push(toks);
    });
    return parts;
  }
  /* The offsets of a part's tokens that are searched: every other token and the last. Token i is the pair of
     characters i and i+1, so these pairs cover every character of the part; found at the same relative
     positions in a page, they spell the part there (searchtext.cover is the Python twin). */
  function cover(n) {
    var out = [];
    for (var i = 0; i < n; i += 2) out.push(i);
    if (out[out.length - 1] !== n - 1) out.push(n - 1);
    return out;
  }

  /* Pages holding one part verbatim: [{r: result, pos: first position of the part, at: [test(p): does the
     part start at position p]}], in the order of the first token's results (newest first). One Pagefind
     search per distinct covering token, each returning every location of that token per page; the positions
     are checked here. */
  function searchPart(pf, toks, f) {  // pf: Pagefind or `postings`
    var idx = cover(toks.length);
    var uniq = Array.from(new Set(idx.map(function (i) { return toks[i]; })));
    return Promise.all(uniq.map(function (t) {
      return pf.search(t, t === toks[0] ? { filters: f, sort: { date: "desc" } } : { filters: f });
    })).then(function (all) {
      var where = {};
      uniq.forEach(function (t, k) {
        var m = new Map();
        all[k].results.forEach(function (r) { m.set(r.id, r.words); });
        where[t] = m;
      });
      var out = [];
      all[uniq.indexOf(toks[0])].results.forEach(function (r) {
        var lists = idx.map(function (i) { return where[toks[i]].get(r.id); });
        if (lists.some(function (l) { return !l; })) return;
        var sets = lists.map(function (l, j) { return j ? new Set(l) : null; });
        var starts = function (p) { return idx.every(function (i, j) { return j === 0 || sets[j].has(p + i); }); };
        var first = lists[0];
        for (var a = 0; a < first.length; a++) {
          if (starts(first[a])) {
            var at = function (p) { return (sets[0] || (sets[0] = new Set(first))).has(p) && starts(p); };
            out.push({ r: r, pos: first[a], first: first[a], at: [at] });
            return;
          }
        }
      });
      return out;
    });
  }

  function bucketOf(key, count) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h % (count || manifest.buckets);
  }
  /* ---------------------------------------------------------------- the header box's own postings
     (generator/render/postings.py): per shard, post/<h>.json holds Pagefind's own lists of the tokens hashed
     to h ([[page delta, [weight marker, position deltas…], []], …]), post/order.json the pages newest first,
     post/pages/<k>.json the rows of 256 pages: [Pagefind fragment, title tokens, 文号 tokens]. An engine with
     Pagefind's `search(word, {filters: {shard}})` shape, so searchPart serves both: a token costs one small
     file per shard instead of a 20,000-location chunk, and no WebAssembly loads. */
  var files = {};
  function json(url) {
    if (!files[url]) {
      files[url] = fetch(url).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
    return files[url];
  }
  var postings = {
    lists: {},
    file: function (i, name) { return json(new URL(manifest.shards[i].path + "post/" + name + ".json", root).href); },
    rows: function (i, page) {  // the page row of Pagefind page `page` of shard i
      var k = Math.floor(page / manifest.page_rows);
      return this.file(i, "pages/" + k).then(function (rows) { return rows && rows[page - k * manifest.page_rows]; });
    },
    list: function (i, token) {  // [[page, positions]] of a token in shard i, newest first
      var key = i + " " + token;
      if (!this.lists[key]) {
        this.lists[key] = Promise.all([this.file(i, bucketOf(token, manifest.shards[i].post)), this.file(i, "order")])
          .then(function (both) {
            var entries = (both[0] && both[0][token]) || [], out = [];
            var rank = postings.ranks(i, both[1] || []);
            for (var k = 0, page = 0; k < entries.length; k++) {
              page += entries[k][0];
              var ps = [], p = 0, locs = entries[k][1];
              for (var j = 0; j < locs.length; j++) if (locs[j] >= 0) { p += locs[j]; ps.push(p); }
              out.push([page, ps]);
            }
            return out.sort(function (a, b) { return rank[a[0]] - rank[b[0]]; });
          });
      }
      return this.lists[key];
    },
    rank: {},
    ranks: function (i, order) {  // page → its place newest first
      if (!this.rank[i]) {
        var r = new Int32Array(order.length);
        order.forEach(function (page, k) { r[page] = k; });
        this.rank[i] = r;
      }
      return this.rank[i];
    },
    results: {},
    result: function (i, id) {  // one result object per page, as Pagefind's: {id, words, data()}
      var key = i + ":" + id, self = this;
      if (!this.results[key]) {
        var data = null;
        this.results[key] = { id: key, shard: i, page: id, data: function () {
          if (!data) {
            data = self.rows(i, id).then(function (row) {
              return fetch(new URL(manifest.shards[i].path + "fragment/" + row[0] + ".pf_fragment", root).href);
            }).then(function (r) { return r.arrayBuffer(); }).then(function (buf) {
              var head = new Uint8Array(buf, 0, 2);  // gzip as Pagefind writes it, unless a server unpacked it
              if (head[0] !== 0x1f || head[1] !== 0x8b) return buf;
              return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
            }).then(function (buf) {
              var d = JSON.parse(new TextDecoder().decode(new Uint8Array(buf).subarray(12)));  // "pagefind_dcd"
              d.raw_url = d.url;
              d.url = root.pathname + d.url.replace(/^\//, "");
              return d;
            });
          }
          return data;
        } };
      }
      return this.results[key];
    },
    search: function (token, opts) {
      var self = this, batch = opts.filters.shard.any.map(Number);
      return Promise.all(batch.map(function (i) { return self.list(i, token); })).then(function (lists) {
        var results = [];
        lists.forEach(function (l, k) {
          l.forEach(function (e) {
            var r = Object.create(self.result(batch[k], e[0]));
            r.words = e[1];
            results.push(r);
          });
        });
        return { results: results };
      });
    },
    /* Where each titled match's heads end in the title slot, from the page rows. */
    headEnds: function (matches, slot) {
      var self = this;
      var titled = matches.filter(function (x) { return x.pos < slot; });
      return Promise.all(titled.map(function (x) { return self.rows(x.r.shard, x.r.page); })).then(function (rows) {
        var m = new Map();
        titled.forEach(function (x, k) {
          var row = rows[k];
          if (row) m.set(x.r.id, new Set(row[2] ? [row[1], row[1] + 1 + row[2]] : [row[1]]));
        });
        return m;
      });
    }
  };
  /* The postings serve the header box's exact search (not the relaxed one, not a one-character prefix). */
  function prefixQuery(q) {
    return normalize(q).split(/\s+/).some(function (part) {
      var rs = part.match(RUN);
      if (!rs) return false;
      var last = rs[rs.length - 1];
      return Array.from(last).length === 1 && part.slice(part.length - last.length) === last;
    });
  }

  function vocab(key) {
    var b = bucketOf(key);
    if (!vocabCache[b]) {
      vocabCache[b] = fetch(new URL(manifest.vocab + b + ".json", root).href)
        .then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
    }
    return vocabCache[b].then(function (table) { return table[key] || 0; });
  }

  /* Synonyms and short names (content/synonyms.yml, unit.yml short names): a query that is one of a group's
     forms also finds the pages of the other forms. One bucket (/pagefind/synonyms/<n>.json) is fetched per query. */
  var synonymCache = {};
  function alternatives(q) {
    var key = runs(q).join("|");
    if (!manifest.synonyms || !key) return Promise.resolve([q]);
    var b = bucketOf(key, manifest.synonym_buckets);
    if (!synonymCache[b]) {
      synonymCache[b] = fetch(new URL(manifest.synonyms + b + ".json", root).href)
        .then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
    }
    return synonymCache[b].then(function (table) {
      var forms = table[key] || [];
      return [q].concat(forms.filter(function (f) { return runs(f).join("|") !== key; }));
    });
  }

  /* Matches of the parts ([{r, pos}] each): pages in every list, in the first list's order; a page's position
     is the largest of its parts' (it is in the title only when every part is). */
  function intersect(lists) {
    if (lists.length === 1) return lists[0];
    var rest = lists.slice(1).map(function (l) {  // page id → that part's match
      var m = new Map();
      l.forEach(function (x) { m.set(x.r.id, x); });
      return m;
    });
    return lists[0].filter(function (x) { return rest.every(function (m) { return m.has(x.r.id); }); })
      .map(function (x) {
        var others = rest.map(function (m) { return m.get(x.r.id); });
        return { r: x.r, first: x.pos,
                 pos: others.reduce(function (p, y) { return Math.max(p, y.pos); }, x.pos),
                 at: x.at.concat(others.map(function (y) { return y.at[0]; })) };
      });
  }

  /* Pages matching every part of one form of the query, newest first, in the given shards: [{r, pos}]. */
  function searchForm(pf, q, batch, filters, relaxed, keep) {
    var parts = tokens(q);
    var f = Object.assign({}, filters || {}, { shard: { any: batch.map(String) } });
    if (relaxed) {  // the tokens that exist anywhere in the page, not in order
      var toks = [].concat.apply([], parts).filter(function (t) { return keep.has(t); });
      return pf.search(toks.join(" "), { filters: f, sort: { date: "desc" } }).then(function (res) {
        return res.results.map(function (r) { return { r: r, pos: Math.min.apply(null, r.words) }; });
      });
    }
    return Promise.all(parts.map(function (p) { return searchPart(pf, p, f); })).then(intersect);
  }

  /* Where each page's heads (title, 文号) end in the title slot: page id → Set of HEAD_END positions. */
  function headEnds(pf, batch) {
    return pf.search(HEAD_END, { filters: { shard: { any: batch.map(String) } } }).then(function (res) {
      var m = new Map();
      res.results.forEach(function (r) { m.set(r.id, new Set(r.words)); });
      return m;
    });
  }

  /* Is the match the whole title (or 文号)? Its parts follow each other from a head's start (position 0, or
     just after a HEAD_END) and the last one ends at a HEAD_END. `sizes`: characters of each part's runs. */
  function wholeHead(x, sizes, ends) {
    if (!ends || !sizes) return false;
    var s = x.first;
    if (s !== 0 && !ends.has(s - 1)) return false;
    for (var i = 0; i < sizes.length; i++) {
      if (!x.at[i](s)) return false;
      s += sizes[i];
    }
    return ends.has(s);
  }
  /* Characters of each part's runs (null if a part's tokens do not stand for its characters one by one). */
  function partSizes(q) {
    var sizes = [];
    var parts = normalize(q).split(/\s+/).filter(function (p) { return (p.match(RUN) || []).length; });
    var toks = tokens(q);
    for (var i = 0; i < parts.length; i++) {
      var n = Array.from((parts[i].match(RUN) || []).join("")).length;
      // n - 1 tokens (the last run open), or n (closed by punctuation: its end marker is in the tokens)
      if (toks[i].length !== n - 1 && toks[i].length !== n) return null;
      sizes.push(n);
    }
    return sizes;
  }

  /* The shards that may hold every token of a form (the vocabulary's masks); 0 when a token is nowhere. */
  function formMask(q, relaxed) {
    var toks = [].concat.apply([], tokens(q));
    if (!toks.length) return Promise.resolve({ mask: 0, keep: new Set() });
    return Promise.all(toks.map(vocab)).then(function (ms) {
      var keep = new Set(toks.filter(function (t, i) { return ms[i]; }));
      if (relaxed) ms = ms.filter(Boolean);  // relaxed: tokens found nowhere are left out
      return { mask: ms.length ? ms.reduce(function (a, b) { return a & b; }, -1) : 0, keep: keep };
    });
  }

  /* Search every form of the query in the shards that may hold it. Relevance order (default): exact title,
     then title contains, then body only, newest first in each tier; options.sort: newest first overall.
     With `quick: n`, shards are searched newest first until n results are found (the header box). */
  function search(q, options) {
    options = options || {};
    return strict(q, options).then(function (res) {
      if (res.results.length || options.relaxed === false || !tokens(q).length) return res;
      // Nothing contains the query verbatim: offer the pages that contain all its character pairs.
      return strict(q, Object.assign({}, options, { relaxed: true })).then(function (r) { r.relaxed = true; return r; });
    });
  }

  /* The header box's first round reads the covering tokens' posting files of the first shard(s): start
     loading them while the vocabulary is looked up (the files are cached, the walk then finds them). */
  function prefetch(forms) {
    var first = Math.min(firstRound(), manifest.shards.length);
    forms.forEach(function (f) {
      tokens(f).forEach(function (toks) {
        cover(toks.length).forEach(function (i) {
          for (var s = 0; s < first; s++) postings.list(s, toks[i]);
        });
      });
    });
  }
  /* Shards the header box's first round searches: the newest (with the reference pages), or the two newest
     when shard 0 holds only reference pages. */
  function firstRound() { return manifest.shards[0].newest ? 1 : 2; }

  function strict(q, options) {
    return loadManifest().then(function () {
      if (!tokens(q).length) return { results: [], filters: {}, complete: true };
      var quick = options.quick && !options.relaxed && options.engine !== "pagefind" && manifest.page_rows &&
        window.DecompressionStream;
      if (quick && !prefixQuery(q)) prefetch([q]);  // while the synonyms and the vocabulary are looked up
      return alternatives(q).then(function (forms) {
        // The header box's exact search reads the postings; everything else (the full page with its
        // filters and counts, the relaxed search, a one-character prefix) Pagefind.
        var own = quick && forms.every(function (f) { return !prefixQuery(f); });
        return Promise.all([own ? postings : load(), Promise.all(forms.map(function (f) {
          return formMask(f, options.relaxed);
        }))]).then(function (both) {
          var pf = both[0], fm = both[1];
          var masks = fm.map(function (m) { return m.mask; });
          var mask = masks.reduce(function (a, b) { return a | b; }, 0);
          var allowed = manifest.shards.map(function (_, i) { return i; })
            .filter(function (i) { return mask & (1 << i); });
          if (!allowed.length) return { results: [], filters: {}, complete: true };
          var run = function (upto) {
            var batch = allowed.slice(0, upto);
            var slot = manifest.title_slot || 0;
            var complete = upto >= allowed.length;
            return (pf === postings ? Promise.resolve() : ensureShards(pf, batch)).then(function () {
              return Promise.all(forms.map(function (form, i) {
                return masks[i] ? searchForm(pf, form, batch, options.filters, options.relaxed, fm[i].keep) : [];
              }));
            }).then(function (lists) {
              var seen = new Set(), matches = [];
              lists.forEach(function (l, i) {
                var sizes = partSizes(forms[i]);
                l.forEach(function (x) {
                  if (!seen.has(x.r.id)) { seen.add(x.r.id); x.sizes = sizes; matches.push(x); }
                });
              });
              // Several forms (synonyms): the typed form's pages first, then the others', each newest first —
              // a merge by date would need every result's fragment.
              // Not enough yet: twice as many shards (each round searches all of them again, so doubling keeps
              // the rounds and the repeated work few on a query that walks every shard).
              if (options.quick && matches.length < options.quick && !complete) return run(upto * 2);
              var results = matches.map(function (x) { return x.r; });
              var titled = matches.some(function (x) { return x.pos < slot; });
              // ranking needs the heads' ends only when some match is in a title slot
              var ranking = options.sort && options.sort.date || !titled ? Promise.resolve(null)
                : pf === postings ? postings.headEnds(matches, slot) : headEnds(pf, batch);
              return ranking.then(function (t) {
                if (t) {
                  // 0 the title (or 文号) is the query, 1 the title contains it (a match in the title slot),
                  // 2 only the body does; newest first inside each tier
                  var rank = function (x) {
                    return x.pos >= slot ? 2 : x.at && wholeHead(x, x.sizes, t.get(x.r.id)) ? 0 : 1;
                  };
                  results = matches.map(function (x, i) { return [rank(x), i, x.r]; })
                    .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).map(function (x) { return x[2]; });
                }
                return { results: results, complete: complete, forms: forms, searched: true,
                         engine: pf === postings ? "postings" : "pagefind" };
              });
            });
          };
          // Quick (the header box): the newest shard first (with the reference pages; the two newest when
          // shard 0 holds only reference pages), then twice as many until enough results.
          return run(options.quick ? Math.min(firstRound(), allowed.length) : allowed.length);
        });
      });
    });
  }
  window.portalSearch = { search: search, tokens: tokens, cover: cover, visible: visible };

  /* The page's own text from a Pagefind fragment: the token block (up to the sentinel) removed, and the
     zero-width spaces Pagefind puts between Chinese words. */
  function visible(content) {
    content = String(content || "");
    // The sentinel as a whole word: a token's base-36 code may contain the same letters.
    var m = new RegExp("(^|\\s)" + SENTINEL + "(?=[\\s.]|$)").exec(content);
    if (m) content = content.slice(m.index + m[0].length);
    return content.replace(/\u200b/g, "").replace(/^[\s.]+/, "");
  }

  /* Where the query's parts occur in a text: [start, end) ranges, case-insensitively, punctuation between
     the runs of a part matched loosely (as the index does). */
  function matches(text, forms) {
    var out = [];
    forms.forEach(function (q) {
      normalize(q).split(/\s+/).forEach(function (part) {
        var rs = part.match(RUN);
        if (!rs) return;
        var src = rs.map(function (r) { return r.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("[^\\p{L}\\p{N}]*");
        var re = new RegExp(src, "giu"), m;
        while ((m = re.exec(text)) !== null && out.length < 50) {
          if (!m[0]) { re.lastIndex++; continue; }
          out.push([m.index, m.index + m[0].length]);
        }
      });
    });
    return out.sort(function (a, b) { return a[0] - b[0]; });
  }

  function marked(cls, text, ranges) {  // text with <mark> around the ranges, built as DOM nodes
    var span = el("span", cls), at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      span.appendChild(document.createTextNode(text.slice(at, r[0])));
      span.appendChild(el("mark", null, text.slice(r[0], r[1])));
      at = r[1];
    });
    span.appendChild(document.createTextNode(text.slice(at)));
    return span;
  }

  /* A snippet of the visible text around the first match. */
  function snippet(text, forms) {
    var all = matches(text, forms);
    var start = all.length ? Math.max(0, all[0][0] - 30) : 0;
    var end = Math.min(text.length, start + 110);
    var ranges = all.filter(function (r) { return r[0] >= start && r[1] <= end; })
      .map(function (r) { return [r[0] - start, r[1] - start]; });
    var piece = text.slice(start, end);
    var span = marked("portal-result__excerpt", piece, ranges);
    if (start > 0) span.insertBefore(document.createTextNode("…"), span.firstChild);
    if (end < text.length) span.appendChild(document.createTextNode("…"));
    return span;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function resultItem(data, itemClass, forms) {
    var li = el("li", itemClass);
    var a = el("a", "portal-result__link");
    var q = (forms && forms[0]) || "";
    a.href = (data.raw_url || data.url) + (q ? "?highlight=" + encodeURIComponent(q) : "");
    var title = (data.meta && data.meta.title) || data.url;
    a.appendChild(marked("portal-result__title", title, matches(title, forms || [])));
    var column = data.filters && data.filters.column && data.filters.column[0];
    var meta = [data.meta && data.meta.unit, column, data.meta && data.meta.date].filter(Boolean).join(" · ");
    if (meta) a.appendChild(el("span", "portal-result__meta", meta));
    a.appendChild(snippet(visible(data.content), forms || []));
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
        rows.forEach(function (d) { list.appendChild(resultItem(d, "md-search-result__item portal-result", res.forms)); });
        meta.textContent = !res.results.length ? "没有找到“" + q + "”的相关结果"
          : res.relaxed ? "没有完全包含“" + q + "”的页面，以下结果包含其中的全部字词"
          : res.complete ? "找到 " + res.results.length + " 条结果" : "最新的相关结果（查看全部可搜索更早的信息）";
      });
    }).catch(function () { meta.textContent = "搜索暂时不可用"; });
  }

  if (input && list) {
    input.addEventListener("focus", function () { open(); loadManifest(); });
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
        rows.forEach(function (d) { out.appendChild(resultItem(d, "portal-result", state.forms)); });
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
      var url = location.pathname + (query.toString() ? "?" + query : "");
      // A new query or filter is a new history entry (shareable, the back button returns to the previous one).
      if (push && url !== location.pathname + location.search) history.pushState(null, "", url);
      out.textContent = "";
      more.hidden = true;
      if (!q) { summary.textContent = "请输入关键词。"; return Promise.resolve(); }
      summary.textContent = "正在搜索…";
      var opts = { filters: f };
      if (form.elements.sort.value) opts.sort = { date: "desc" };
      return search(q, opts).then(function (res) {
        if (id !== state.id) return;
        state.results = res.results;
        state.forms = res.forms;
        state.shown = 0;
        summary.textContent = !res.results.length
          ? "没有找到与“" + q + "”相关的结果。可以换用更短的关键词，或在信息公开目录中浏览。"
          : res.relaxed ? "没有完全包含“" + q + "”的页面；以下 " + res.results.length + " 条结果包含其中的全部字词"
          : "找到 " + res.results.length + " 条与“" + q + "”相关的结果";
        return showMore(id).then(function (current) {
          if (current) page.setAttribute("data-query", query.toString());
        });
      }).catch(function () { summary.textContent = "搜索暂时不可用"; });
    };

    form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
    window.addEventListener("popstate", function () {  // back/forward: restore the query and filters of the URL
      params = new URLSearchParams(location.search);
      pageInput.value = params.get("q") || "";
      form.elements.sort.value = params.get("sort") === "date" ? "date" : "";
      filtersBox.querySelectorAll("select").forEach(function (s) { s.value = params.get(s.name) || ""; });
      run(false);
    });
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

/* culti review page: cards, filters, counts and the curator's corrections. No framework, no network. */
(function () {
  "use strict";
  var D = window.CULTI_DATA;
  var CHUNK = 120; // cards per chunk: the first screenful comes at once, even for 5,000 cards
  var STORE = "culti-review:" + D.storage_key;
  var FIELDS = ["caption", "title", "label", "text"];
  var $ = function (id) { return document.getElementById(id); };

  var items = D.pairs.concat(D.rejects);
  var byKey = {};
  items.forEach(function (it) { byKey[keyOf(it)] = it; });
  var pageThumb = {};
  D.books.forEach(function (b) { b.pages.forEach(function (p) { pageThumb[b.key + "/" + p.page] = p; }); });
  var bookName = {};
  D.books.forEach(function (b) { bookName[b.key] = b.source; });
  var corrections = loadCorrections();
  var filtered = [];

  function keyOf(it) { return it.kind === "pair" ? it.id : it.key; }

  function loadCorrections() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}") || {}; } catch (e) { return {}; }
  }
  function saveCorrections() {
    try { localStorage.setItem(STORE, JSON.stringify(corrections)); } catch (e) { /* private mode: kept in memory */ }
    $("n-corrections").textContent = Object.keys(corrections).length + " corrections";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function option(select, value, label) {
    var o = el("option", null, label); o.value = value; select.appendChild(o);
  }
  function band(conf) { return conf >= D.bands.high ? "high" : conf >= D.bands.medium ? "medium" : "low"; }
  function pageAnchor(book, page) { return "page-" + book.replace(/[^A-Za-z0-9_-]/g, "_") + "-" + page; }

  /* ---------- filters and counts ---------- */
  function filters() {
    return { book: $("f-book").value, kind: $("f-kind").value, split: $("f-split").value,
             reason: $("f-reason").value, conf: parseFloat($("f-conf").value) };
  }
  function matches(it, f) {
    if (f.book && it.book !== f.book) return false;
    if (f.kind === "corrected" && !corrections[keyOf(it)]) return false;
    if ((f.kind === "pair" || f.kind === "reject") && it.kind !== f.kind) return false;
    if (it.kind === "pair") {
      if (f.reason) return false; // a reason filter asks for rejects
      if (f.split && it.split !== f.split) return false;
      if (!isNaN(f.conf) && it.conf > f.conf) return false;
      return true;
    }
    if (f.split) return false; // a split filter asks for pairs
    return !f.reason || it.reason === f.reason;
  }
  function showCounts() {
    var splits = {}, reasons = {}, books = {};
    filtered.forEach(function (it) {
      books[it.book] = 1;
      if (it.kind === "pair") splits[it.split] = (splits[it.split] || 0) + 1;
      else reasons[it.reason] = (reasons[it.reason] || 0) + 1;
    });
    $("n-shown").textContent = filtered.length;
    $("n-total").textContent = items.length;
    $("n-books").textContent = Object.keys(books).length;
    var sc = $("split-counts"); sc.textContent = "";
    D.splits.forEach(function (s) {
      var c = el("span", "count split-" + s); c.dataset.count = "split:" + s;
      c.appendChild(el("span", null, s + " ")); c.appendChild(el("b", null, splits[s] || 0)); sc.appendChild(c);
    });
    var rc = $("reason-counts"); rc.textContent = "";
    var total = 0;
    D.reasons.forEach(function (r) { total += reasons[r] || 0; });
    var all = el("span", "count rejects"); all.dataset.count = "rejects";
    all.appendChild(el("span", null, "rejects ")); all.appendChild(el("b", null, total)); rc.appendChild(all);
    D.reasons.forEach(function (r) {
      if (!reasons[r]) return;
      var c = el("span", "count reason"); c.dataset.count = "reason:" + r;
      c.appendChild(el("span", null, r + " ")); c.appendChild(el("b", null, reasons[r])); rc.appendChild(c);
    });
  }
  // Cards go in by chunks: the first at once, the next when the curator scrolls near the end.
  var more = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) pump();
  }, { rootMargin: "1500px 0px" });
  var done = 0;
  function pump() {
    var box = $("cards");
    var frag = document.createDocumentFragment();
    var end = Math.min(done + CHUNK, filtered.length);
    for (; done < end; done++) frag.appendChild(card(filtered[done]));
    box.appendChild(frag);
    $("more").hidden = done >= filtered.length;
    $("more").textContent = (filtered.length - done) + " more cards: scroll to load";
    document.body.dataset.cards = String(done);
    // still on screen after this chunk (a tall window): the observer will not fire again by itself
    if (done < filtered.length) requestAnimationFrame(function () {
      var r = $("more").getBoundingClientRect();
      if (r.top < window.innerHeight + 1500) pump();
    });
  }
  function render() {
    var f = filters();
    filtered = items.filter(function (it) { return matches(it, f); });
    showCounts();
    $("cards").textContent = "";
    done = 0;
    pump();
    document.body.dataset.rendered = "done";
  }

  /* ---------- cards ---------- */
  function card(it) {
    var k = keyOf(it), c = corrections[k];
    var art = el("article", "card " + it.kind);
    art.dataset.id = k; art.dataset.testid = "card";
    var fig = el("div", "crop");
    if (it.thumb) {
      var img = el("img"); img.loading = "lazy"; img.decoding = "async"; img.alt = it.caption || k; img.src = it.thumb;
      fig.appendChild(img);
    } else fig.appendChild(el("span", "noimg", "no image"));
    art.appendChild(fig);
    var body = el("div", "body");
    var meta = el("div", "meta");
    if (it.kind === "pair") {
      meta.appendChild(el("span", "badge split-" + it.split, it.split));
      meta.appendChild(el("span", "badge conf " + band(it.conf), "conf " + it.conf.toFixed(2)));
      if (it.text_kind === "caption") meta.appendChild(el("span", "badge textkind", "caption only"));
    } else {
      meta.appendChild(el("span", "badge reason", it.reason));
      meta.appendChild(el("span", "badge stage", it.stage));
    }
    meta.appendChild(el("span", "book", bookName[it.book] || it.source));
    if (it.page) {
      var thumb = pageThumb[it.book + "/" + it.page];
      var a = el(thumb ? "a" : "span", "pagelink", "p. " + it.page);
      if (thumb) { a.href = "#" + pageAnchor(it.book, it.page); a.addEventListener("click", openPage); }
      else a.title = "no page thumbnail (see Books)";
      meta.appendChild(a);
    }
    body.appendChild(meta);
    body.appendChild(el("div", "itemid", k));
    if (it.kind === "pair") pairBody(it, c, body); else rejectBody(it, c, body);
    art.appendChild(body);
    paintState(art, c);
    return art;
  }

  function fieldRow(body, name, value, editable) {
    var row = el("div", "field f-" + name);
    row.appendChild(el("span", "fname", name === "text" ? "description" : name));
    var v = el("div", "fval", value);
    v.dataset.field = name;
    if (editable) {
      try { v.contentEditable = "plaintext-only"; } catch (e) { v.contentEditable = "true"; } // older Firefox
      v.spellcheck = false;
    }
    row.appendChild(v); body.appendChild(row);
    return v;
  }

  function pairBody(it, c, body) {
    var values = {};
    FIELDS.forEach(function (f) { values[f] = c && c[f] !== undefined ? c[f] : it[f]; });
    var edits = ["label", "title", "caption", "text"].map(function (f) { return fieldRow(body, f, values[f], true); });
    var actions = el("div", "actions");
    var drop = el("button", "drop", c && c.action === "drop" ? "Undo drop" : "Drop");
    drop.type = "button";
    var rep = el("label", "repair"); var box = el("input"); box.type = "checkbox";
    box.checked = !!(c && c.action === "repair");
    rep.appendChild(box); rep.appendChild(document.createTextNode(" wrong caption (re-pair)"));
    var note = el("input", "note"); note.placeholder = "note (why)"; note.value = c && c.note ? c.note : "";
    var reset = el("button", "reset", "Reset"); reset.type = "button";
    [drop, rep, note, reset].forEach(function (x) { actions.appendChild(x); });
    body.appendChild(actions);
    var art = function () { return body.parentNode; };
    function update(dropNow) {
      var k = it.id, entry = { id: k };
      var changed = {};
      edits.forEach(function (v) {
        var f = v.dataset.field, now = v.textContent;
        if (now !== it[f]) changed[f] = now;
      });
      if (dropNow) entry.action = "drop";
      else if (box.checked) { entry.action = "repair"; changed.caption = edits[2].textContent; }
      else if (Object.keys(changed).length) entry.action = "edit";
      if (!entry.action) { delete corrections[k]; saveCorrections(); paintState(art(), null); return; }
      if (entry.action !== "drop") FIELDS.forEach(function (f) { if (f in changed) entry[f] = changed[f]; });
      if (note.value) entry.note = note.value;
      corrections[k] = entry; saveCorrections(); paintState(art(), entry);
    }
    edits.forEach(function (v) { v.addEventListener("input", function () { update(false); }); });
    box.addEventListener("change", function () { update(false); });
    note.addEventListener("input", function () { var c2 = corrections[it.id]; update(c2 && c2.action === "drop"); });
    drop.addEventListener("click", function () {
      var dropping = !(corrections[it.id] && corrections[it.id].action === "drop");
      drop.textContent = dropping ? "Undo drop" : "Drop";
      update(dropping);
    });
    reset.addEventListener("click", function () {
      delete corrections[it.id]; saveCorrections();
      body.parentNode.replaceWith(card(it));
    });
  }

  function rejectBody(it, c, body) {
    if (it.detail) body.appendChild(el("div", "detail", it.detail));
    if (it.duplicate_of) body.appendChild(el("div", "detail", "duplicate of " + it.duplicate_of));
    var restoring = !!(c && c.action === "restore");
    var vals = { caption: it.caption, text: it.text, title: "", label: "" };
    if (c) FIELDS.forEach(function (f) { if (c[f] !== undefined) vals[f] = c[f]; });
    var edits = ["label", "title", "caption", "text"].filter(function (f) { return restoring || vals[f]; })
      .map(function (f) { return fieldRow(body, f, vals[f], restoring); });
    if (!it.restorable) { body.appendChild(el("div", "detail muted", "cannot be restored (no figure image)")); return; }
    var actions = el("div", "actions");
    var btn = el("button", "restore", restoring ? "Undo restore" : "Restore as pair"); btn.type = "button";
    var note = el("input", "note"); note.placeholder = "note (why)"; note.value = c && c.note ? c.note : "";
    actions.appendChild(btn); actions.appendChild(note); body.appendChild(actions);
    function update() {
      var on = corrections[it.key] && corrections[it.key].action === "restore";
      if (!on) return;
      var entry = { id: it.id, action: "restore" };
      edits.forEach(function (v) { if (v.textContent) entry[v.dataset.field] = v.textContent; });
      if (note.value) entry.note = note.value;
      corrections[it.key] = entry; saveCorrections();
    }
    btn.addEventListener("click", function () {
      if (corrections[it.key]) delete corrections[it.key];
      else corrections[it.key] = { id: it.id, action: "restore" };
      saveCorrections(); update();
      body.parentNode.replaceWith(card(it));
    });
    edits.forEach(function (v) { v.addEventListener("input", update); });
    note.addEventListener("input", update);
  }

  function paintState(art, c) {
    if (!art) return;
    art.classList.remove("edit", "drop", "restore", "repair", "corrected");
    if (c) { art.classList.add("corrected", c.action); art.dataset.action = c.action; }
    else delete art.dataset.action;
  }

  /* ---------- books and page thumbnails ---------- */
  function bookTable() {
    var tb = $("books").tBodies[0];
    D.books.forEach(function (b) {
      var tr = el("tr");
      var status = b.status + (b.reason ? " (" + b.reason + ")" : "");
      if (b.failed_pages.length) status += "; failed pages " + b.failed_pages.map(function (p) { return p.page; }).join(", ");
      [b.source, status, b.page_count, b.pairs, b.rejects, b.thumbs || b.pages.length + " pages"].forEach(function (v) {
        tr.appendChild(el("td", null, v));
      });
      if (b.thumbs) tr.className = "warn";
      tb.appendChild(tr);
    });
  }
  function pagesSection() {
    var root = $("pages");
    D.books.forEach(function (b) {
      if (!b.pages.length) return;
      var det = el("details", "book-pages"); det.id = "book-" + b.key.replace(/[^A-Za-z0-9_-]/g, "_");
      det.appendChild(el("summary", null, b.source + " (" + b.pages.length + " pages with boxes)"));
      det.addEventListener("toggle", function () { if (det.open) fillPages(det, b); });
      root.appendChild(det);
    });
  }
  function fillPages(det, b) {
    if (det.dataset.filled) return;
    det.dataset.filled = "1";
    var grid = el("div", "page-grid");
    b.pages.forEach(function (p) {
      var f = el("figure", "page"); f.id = pageAnchor(b.key, p.page);
      var img = el("img"); img.loading = "lazy"; img.src = p.thumb; img.width = p.w; img.height = p.h;
      img.alt = b.source + " p. " + p.page;
      f.appendChild(img); f.appendChild(el("figcaption", null, "p. " + p.page));
      grid.appendChild(f);
    });
    det.appendChild(grid);
  }
  function openPage(ev) {
    var id = (ev && ev.currentTarget ? ev.currentTarget.getAttribute("href") : location.hash).slice(1);
    var m = /^page-(.+)-(\d+)$/.exec(id);
    if (!m) return;
    var det = $("book-" + m[1]);
    if (!det) return;
    det.open = true; fillPages(det, D.books.filter(function (b) { return b.key.replace(/[^A-Za-z0-9_-]/g, "_") === m[1]; })[0]);
    var target = $(id);
    if (target) {
      if (ev && ev.preventDefault) ev.preventDefault();
      history.replaceState(null, "", "#" + id);
      target.scrollIntoView({ block: "center" }); target.classList.add("flash");
      setTimeout(function () { target.classList.remove("flash"); }, 1200);
    }
  }

  /* ---------- export / import ---------- */
  function exportCorrections() {
    var list = Object.keys(corrections).sort().map(function (k) { return corrections[k]; });
    var blob = new Blob([JSON.stringify({ version: 1, corrections: list }, null, 1) + "\n"],
                        { type: "application/json" });
    var a = el("a"); a.href = URL.createObjectURL(blob); a.download = "corrections.json";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 5000);
  }
  function importCorrections(file) {
    var reader = new FileReader();
    reader.onload = function () {
      try {
        var data = JSON.parse(reader.result);
        (data.corrections || []).forEach(function (c) {
          var it = byKey[c.id];
          if (it) corrections[keyOf(it)] = c;
        });
        saveCorrections(); render();
      } catch (e) { alert("Not a corrections.json: " + e.message); }
    };
    reader.readAsText(file);
  }

  /* ---------- wiring ---------- */
  function init() {
    D.books.forEach(function (b) { option($("f-book"), b.key, b.source); });
    D.splits.forEach(function (s) { option($("f-split"), s, s); });
    D.reasons.forEach(function (r) { option($("f-reason"), r, r); });
    ["f-book", "f-kind", "f-split", "f-reason"].forEach(function (id) { $(id).addEventListener("change", render); });
    $("f-conf-range").addEventListener("input", function () { $("f-conf").value = this.value; render(); });
    $("f-conf").addEventListener("input", function () { $("f-conf-range").value = this.value; render(); });
    $("export").addEventListener("click", exportCorrections);
    $("import").addEventListener("change", function () { if (this.files[0]) importCorrections(this.files[0]); });
    $("clear").addEventListener("click", function () {
      if (confirm("Forget all corrections kept in this browser for this dataset?")) {
        corrections = {}; saveCorrections(); render();
      }
    });
    if (D.missing_files.length) {
      var warn = el("p", "warn", "Missing from the dataset folder: " + D.missing_files.join(", "));
      $("books-section").insertBefore(warn, $("books"));
    }
    bookTable(); pagesSection(); saveCorrections(); render();
    more.observe($("more"));
    window.addEventListener("hashchange", function () { openPage(null); });
    if (location.hash) openPage(null);
  }
  init();
})();

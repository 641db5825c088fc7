/* sprogtro review app. Plain JavaScript, no libraries, no network beyond this server.
 * Every text from the server is put on the page with textContent, never as HTML. */
"use strict";

(function () {
  const state = {
    csrf: "",
    codebook: null,
    labels: {},        // "dim.code" -> Danish label
    items: [],         // the queue (summaries)
    pos: 0,
    current: null,     // the item shown (details)
    reviewer: "",
    filters: {},
    busy: false,
    mode: null,        // null | "choose" | "comment"
  };

  const $ = (id) => document.getElementById(id);
  const FILTERS = ["set", "code", "municipality", "doc_type", "role", "confidence", "status", "order"];
  const VERDICT_TEXT = { agree: "Enig", disagree: "Uenig", skip: "Sprunget over", comment: "Kommentar" };
  const ROLE_TEXT = { caseworker: "Sagsbehandler", citizen: "Borger", employer: "Arbejdsgiver", other: "Anden" };
  const UNKNOWN = "(ukendt)";

  function el(tag, opts, children) {
    const node = document.createElement(tag);
    if (opts) {
      if (opts.cls) node.className = opts.cls;
      if (opts.text !== undefined && opts.text !== null) node.textContent = String(opts.text);
      if (opts.title) node.title = opts.title;
      if (opts.attrs) for (const [k, v] of Object.entries(opts.attrs)) node.setAttribute(k, v);
    }
    (children || []).forEach((c) => c && node.appendChild(c));
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function status(message, kind) {
    const s = $("status");
    s.textContent = message || "";
    s.className = "status" + (kind ? " " + kind : "");
  }

  function pct(p) { return p === null || p === undefined ? null : Math.round(p * 100) + " %"; }

  // ------------------------------------------------------------------ server

  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    opts.headers = Object.assign({ Accept: "application/json" }, opts.headers);
    opts.credentials = "same-origin";
    if (opts.body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.headers["X-CSRF-Token"] = state.csrf;
      opts.body = JSON.stringify(opts.body);
    }
    let res = await fetch(path, opts);
    if (res.status === 403 && opts.method === "POST") {
      // The server may have restarted (new session secret): fetch a fresh token and try once more.
      const data = await res.clone().json().catch(() => ({}));
      if (data.error === "csrf") {
        await refreshToken();
        opts.headers["X-CSRF-Token"] = state.csrf;
        res = await fetch(path, opts);
      }
    }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = new Error(data.message || "Serveren svarede med fejl " + res.status + ".");
      err.status = res.status;
      err.data = data;
      throw err;
    }
    return data;
  }

  async function refreshToken() {
    const data = await api("/api/session");
    state.csrf = data.csrf_token;
  }

  function query(extra, forAddressBar) {
    const params = new URLSearchParams();
    for (const k of FILTERS) {
      if (k === "set") params.set("set", state.filters.set || "");
      else if (state.filters[k]) params.set(k, state.filters[k]);
    }
    if (state.reviewer && !forAddressBar) params.set("reviewer", state.reviewer);
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params.toString();
  }

  // ------------------------------------------------------------------ setup

  function label(dim, code) { return state.labels[dim + "." + code] || code; }

  function fillSelect(select, values, textOf) {
    const keep = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const v of values) {
      const opt = document.createElement("option");
      opt.value = v;
      opt.textContent = textOf ? textOf(v) : v;
      select.appendChild(opt);
    }
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  }

  async function init() {
    state.csrf = document.querySelector('meta[name="csrf-token"]').content;
    const params = new URLSearchParams(location.search);
    const defaultSet = document.querySelector('meta[name="review-set"]').content;
    state.filters.set = params.has("set") ? params.get("set") : defaultSet;
    for (const k of FILTERS) if (k !== "set" && params.get(k)) state.filters[k] = params.get(k);
    state.reviewer = localStorage.getItem("sprogtro.reviewer") || "";
    $("reviewer").value = state.reviewer;
    if (localStorage.getItem("sprogtro.projector") === "1") document.documentElement.classList.add("projector");

    state.codebook = await api("/api/codebook");
    for (const dim of state.codebook.dimensions) {
      for (const c of dim.codes) state.labels[dim.name + "." + c.value] = c.label;
      state.labels[dim.name] = dim.label;
    }
    const facets = await api("/api/facets");
    fillSelect($("f-code"), facets.code, (v) => {
      const [d, c] = v.split(".");
      return (state.labels[d] || d) + ": " + label(d, c);
    });
    fillSelect($("f-municipality"), facets.municipality);
    fillSelect($("f-doc_type"), facets.doc_type);
    fillSelect($("f-role"), facets.role, (v) => ROLE_TEXT[v] || v);
    for (const k of FILTERS) {
      const sel = document.querySelector('[data-filter="' + k + '"]');
      if (sel && state.filters[k] !== undefined) sel.value = state.filters[k];
      if (sel) sel.addEventListener("change", () => { state.filters[k] = sel.value; loadQueue(null); });
    }
    if (window.matchMedia("(max-width: 900px)").matches) $("filters-details").open = false;

    $("reviewer-form").addEventListener("submit", (e) => { e.preventDefault(); saveReviewer(); });
    $("reviewer").addEventListener("change", saveReviewer);
    document.querySelectorAll("[data-action]").forEach((b) =>
      b.addEventListener("click", () => act(b.dataset.action)));
    $("prev").addEventListener("click", () => move(-1));
    $("next").addEventListener("click", () => move(1));
    $("comment-box").addEventListener("submit", (e) => { e.preventDefault(); sendComment(); });
    $("comment-cancel").addEventListener("click", () => setMode(null));
    document.addEventListener("keydown", onKey);

    await loadQueue(params.get("item"));
    if (!state.reviewer) {
      status("Skriv dit navn øverst, før du vurderer.", "warn");
      $("reviewer").focus();
    }
  }

  function saveReviewer() {
    const value = $("reviewer").value.replace(/\s+/g, " ").trim();
    if (value === state.reviewer) return;
    state.reviewer = value;
    localStorage.setItem("sprogtro.reviewer", value);
    if (value) status("Hej " + value + ". Du kan nu vurdere med tastaturet.", "ok");
    loadQueue(state.current ? state.current.item_id : null);
    $("reviewer").blur();
  }

  // ------------------------------------------------------------------ queue and items

  async function loadQueue(keepId) {
    try {
      const data = await api("/api/items?" + query());
      state.items = data.items;
      let pos = keepId ? state.items.findIndex((i) => i.item_id === keepId) : -1;
      if (pos < 0) pos = state.items.findIndex((i) => !i.status);
      state.pos = Math.max(0, pos);
      showProgress(data.progress);
      if (data.missing) status(data.missing + " sætning(er) i sættet findes ikke længere i projektet.", "warn");
      await showCurrent();
    } catch (err) {
      status(err.message, "error");
    }
  }

  function showProgress(p) {
    if (!p) return;
    const done = state.reviewer ? p.done : p.reviewed_by_anyone;
    const share = p.total ? Math.round((100 * done) / p.total) : 0;
    $("progress-fill").style.width = share + "%";
    $("progress-bar").setAttribute("aria-valuenow", String(share));
    $("progress-text").textContent = state.reviewer
      ? done + " af " + p.total + " vurderet af dig"
      : p.reviewed_by_anyone + " af " + p.total + " vurderet";
  }

  async function refreshProgress() {
    try { showProgress(await api("/api/progress?" + query())); } catch (err) { /* shown on next load */ }
  }

  async function showCurrent() {
    setMode(null);
    const empty = $("empty");
    if (!state.items.length) {
      state.current = null;
      $("item").hidden = true;
      empty.hidden = false;
      empty.textContent = "Ingen markerede sætninger passer til filtrene.";
      return;
    }
    empty.hidden = true;
    const summary = state.items[state.pos];
    const data = await api("/api/item?" + new URLSearchParams(
      Object.assign({ id: summary.item_id }, state.reviewer ? { reviewer: state.reviewer } : {})).toString());
    state.current = data;
    render(data);
    const url = new URL(location.href);
    url.search = query({ item: data.item_id }, true);
    history.replaceState(null, "", url);
  }

  function contextNode(sentences) {
    const frag = document.createDocumentFragment();
    for (const s of sentences) {
      const p = el("p", { cls: "ctx" });
      if (s.speaker || s.role) p.appendChild(el("span", { cls: "speaker", text: (s.speaker || ROLE_TEXT[s.role] || s.role) + ": " }));
      p.appendChild(document.createTextNode(s.text));
      frag.appendChild(p);
    }
    return frag;
  }

  function cueClass(cue) {
    const code = (cue.effective || cue.code || "").split(".").pop();
    let cls = "cue cue-" + code.replace(/[^a-z_]/g, "");
    if (!cue.relevant) cls += " cue-other";
    if (cue.negated) cls += " cue-negated";
    if (cue.hedged) cls += " cue-hedged";
    return cls;
  }

  function cueTitle(cue) {
    const parts = [cue.code];
    if (cue.effective && cue.effective !== cue.code) parts.push("→ " + cue.effective);
    if (cue.negated) parts.push("negeret");
    if (cue.hedged) parts.push("forbehold");
    return parts.join(", ");
  }

  function render(d) {
    $("item").hidden = false;
    $("position").textContent = "Sætning " + (state.pos + 1) + " af " + state.items.length;
    const meta = [d.municipality || UNKNOWN, d.doc_type || UNKNOWN];
    const role = d.role ? ROLE_TEXT[d.role] || d.role : "";
    if (d.speaker && role && d.speaker !== role) meta.push(d.speaker + " (" + role + ")");
    else if (d.speaker || role) meta.push(d.speaker || role);
    $("meta").textContent = " · " + meta.join(" · ");
    const badge = $("code-badge");
    badge.textContent = d.dimension_label + ": " + d.code_label;
    badge.className = "code-badge badge-" + d.code.replace(/[^a-z_]/g, "");
    const r = d.reviews;
    $("reviews-count").textContent = r.agree + r.disagree + r.skip
      ? "Gruppen: " + r.agree + " enig, " + r.disagree + " uenig" + (r.comments ? ", " + r.comments + " kommentar(er)" : "")
      : "";

    const before = $("context-before"), after = $("context-after"), sentence = $("sentence");
    clear(before); clear(after); clear(sentence);
    before.appendChild(contextNode(d.context_before));
    after.appendChild(contextNode(d.context_after));
    if (d.speaker || d.role) sentence.appendChild(el("span", { cls: "speaker", text: (d.speaker || ROLE_TEXT[d.role] || d.role) + ": " }));
    for (const seg of d.segments) {
      if (seg.cue) sentence.appendChild(el("mark", { cls: cueClass(seg.cue), text: seg.text, title: cueTitle(seg.cue) }));
      else sentence.appendChild(document.createTextNode(seg.text));
    }

    $("definition").textContent = d.definition || "";
    const why = $("why");
    clear(why);
    const w = d.why;
    if (w.cues.length) {
      const li = el("li", { text: "Ord og vendinger: " });
      w.cues.forEach((c, i) => {
        if (i) li.appendChild(document.createTextNode(", "));
        li.appendChild(el("mark", { cls: cueClass(c), text: c.cue, title: cueTitle(c) }));
        const flags = [];
        if (c.negated) flags.push("negeret");
        if (c.hedged) flags.push("med forbehold");
        if (c.effective && c.effective !== c.code) flags.push("tæller som " + label(d.dimension, c.effective));
        if (flags.length) li.appendChild(el("span", { cls: "flag", text: " (" + flags.join(", ") + ")" }));
      });
      why.appendChild(li);
    } else {
      why.appendChild(el("li", { text: "Ingen ord fra ordlisten: koden kommer fra modellens helhedsvurdering." }));
    }
    if (w.negated) why.appendChild(el("li", { text: "Der er en nægtelse (fx »ikke«, »ingen«), som vender betydningen." }));
    if (w.hedged) why.appendChild(el("li", { text: "Udsagnet har forbehold (fx »måske«, »formentlig«)." }));
    if (w.probability !== null && w.probability !== undefined) {
      why.appendChild(el("li", { text: "Modellen er " + pct(w.probability) + " sikker på koden." }));
    }
    if (w.rule_label && w.rule_label !== d.code) {
      why.appendChild(el("li", { text: "Reglerne alene ville give: " + label(d.dimension, w.rule_label) + "." }));
    }

    const qs = $("questions");
    clear(qs);
    for (const q of d.questions) qs.appendChild(el("li", { text: q }));
    if (state.filters.set) $("questions-box").open = true;

    const choices = $("choice-buttons");
    clear(choices);
    for (const c of d.choices) {
      const b = el("button", { cls: "btn choice" + (c.value === d.code ? " given" : ""), attrs: { type: "button" } },
        [el("kbd", { text: String(c.key) }), document.createTextNode(" " + c.label)]);
      b.addEventListener("click", () => pick(c.key));
      choices.appendChild(b);
    }

    const mine = $("mine");
    clear(mine);
    if (d.mine) {
      let text = "Din vurdering: " + VERDICT_TEXT[d.mine.verdict];
      if (d.mine.verdict === "disagree" && d.mine.code) text += " → " + label(d.dimension, d.mine.code);
      mine.appendChild(el("p", { cls: "mine-verdict verdict-" + d.mine.verdict, text: text }));
    }
    for (const c of d.my_comments || []) mine.appendChild(el("p", { cls: "mine-comment", text: "Din kommentar: " + c.comment }));
    $("prev").disabled = state.pos === 0;
    $("next").disabled = state.pos >= state.items.length - 1;
  }

  async function move(step) {
    const pos = state.pos + step;
    if (pos < 0 || pos >= state.items.length) return;
    state.pos = pos;
    status("");
    try { await showCurrent(); } catch (err) { status(err.message, "error"); }
  }

  // ------------------------------------------------------------------ reviewing

  function needReviewer() {
    if (state.reviewer) return false;
    status("Skriv dit navn øverst, før du vurderer.", "warn");
    $("reviewer").focus();
    return true;
  }

  function setMode(mode) {
    state.mode = mode;
    $("choices").hidden = mode !== "choose";
    $("comment-box").hidden = mode !== "comment";
    if (mode === "comment") { $("comment").value = ""; $("comment").focus(); }
  }

  function act(action) {
    if (!state.current || needReviewer()) return;
    if (action === "disagree") { setMode(state.mode === "choose" ? null : "choose"); return; }
    if (action === "comment") { setMode("comment"); return; }
    send({ verdict: action });
  }

  function pick(key) {
    if (!state.current || needReviewer()) return;
    const choice = state.current.choices.find((c) => c.key === key);
    if (!choice) return;
    if (choice.value === state.current.code) send({ verdict: "agree" });
    else send({ verdict: "disagree", code: choice.value });
  }

  async function sendComment() {
    const text = $("comment").value.trim();
    if (!text) { status("Skriv en kommentar først.", "warn"); return; }
    await send({ verdict: "comment", comment: text });
  }

  async function send(review) {
    if (state.busy || !state.current) return;
    state.busy = true;
    const item = state.current;
    try {
      await api("/api/reviews", {
        method: "POST",
        body: Object.assign({ item_id: item.item_id, reviewer: state.reviewer }, review),
      });
      const summary = state.items[state.pos];
      let msg = "Gemt: " + VERDICT_TEXT[review.verdict];
      if (review.verdict === "disagree") msg += " → " + label(item.dimension, review.code);
      status(msg + ".", "ok");
      setMode(null);
      if (review.verdict === "comment") {
        await showCurrent();
      } else {
        summary.status = review.verdict;
        await refreshProgress();
        if (state.pos < state.items.length - 1) { state.pos += 1; await showCurrent(); }
        else { await showCurrent(); status(msg + ". Det var den sidste sætning.", "ok"); }
      }
    } catch (err) {
      status(err.message, "error");
      if (err.data && err.data.field === "reviewer") $("reviewer").focus();
    } finally {
      state.busy = false;
    }
  }

  // ------------------------------------------------------------------ keyboard

  function onKey(e) {
    const t = e.target;
    const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
    if (e.key === "Escape") {
      if (state.mode) { setMode(null); e.preventDefault(); }
      if (typing) t.blur();
      return;
    }
    if (t && t.id === "comment" && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault(); sendComment(); return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.toLowerCase();
    const handled = {
      a: () => act("agree"),
      d: () => act("disagree"),
      s: () => act("skip"),
      c: () => act("comment"),
      j: () => move(1),
      arrowright: () => move(1),
      k: () => move(-1),
      arrowleft: () => move(-1),
      q: () => { $("questions-box").open = !$("questions-box").open; },
      p: () => {
        const on = document.documentElement.classList.toggle("projector");
        localStorage.setItem("sprogtro.projector", on ? "1" : "0");
      },
      "?": () => { const h = $("help"); if (h.open) h.close(); else h.showModal(); },
    }[key];
    if (handled) { e.preventDefault(); handled(); return; }
    if (/^[1-9]$/.test(key)) { e.preventDefault(); pick(Number(key)); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    init().catch((err) => status(err.message, "error"));
  });
})();

// The query page: plain DOM, no library, no network beyond this server.
// Every value from a result or a query file is inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const TABLE_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const CUT = 160;  // characters of a cell shown before "…"; a click on the cell shows the rest
let current = null;  // the named query shown in the panel, or null
let shownText = null;  // the query text the results below were made by, or null
let runs = 0;  // so that only the answer to the latest run is shown

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function clearOutput() {
  $("results").replaceChildren();
  $("error").hidden = true;
  $("download").hidden = true;
  shownText = null;
  markStale();
}

// Results below an editor that holds another query are marked as such.
function markStale() {
  const stale = shownText !== null && $("query").value !== shownText;
  $("stale").hidden = !stale;
  $("results").classList.toggle("stale", stale);
}

// What a cell shows: an IRI by its label (else prefix:name), as `kg query` shows it.
function termText(term, names) {
  if (term.type === "uri") return names[term.value] || term.value;
  if (term.type === "bnode") return "_:" + term.value;
  if (term["xml:lang"]) return term.value + " @" + term["xml:lang"];
  return term.value;
}

function cell(variable, term, names) {
  const td = el("td");
  td.dataset.var = variable;  // the column's name, shown beside the value in the narrow layout
  if (!term) return td;
  const full = termText(term, names);
  const cut = full.length > CUT ? full.slice(0, CUT - 1) + "…" : full;
  const value = el("span", cut, "value");
  td.appendChild(value);
  let iri = null;
  if (term.type === "uri") {
    td.title = term.value;
    if (full !== term.value) iri = el("span", term.value, "iri");
  } else if (term.datatype) {
    td.title = term.datatype;
  }
  if (cut === full && !iri) return td;
  // A cut value, or a label hiding its IRI: a click (or Enter) shows the whole, for touch screens too.
  td.classList.add("more");
  if (cut !== full) td.classList.add("cut");
  td.tabIndex = 0;
  td.setAttribute("aria-expanded", "false");
  const toggle = () => {
    const open = td.getAttribute("aria-expanded") !== "true";
    td.setAttribute("aria-expanded", String(open));
    value.textContent = open ? full : cut;
    if (iri && open) td.appendChild(iri);
    else if (iri) iri.remove();
  };
  td.addEventListener("click", toggle);
  td.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
  });
  return td;
}

function showTable(data, names) {
  const results = $("results");
  if (typeof data.boolean === "boolean") {
    results.replaceChildren(el("p", "ASK: " + data.boolean));
    return 1;
  }
  const vars = data.head.vars || [];
  const table = el("table");
  const head = el("tr");
  vars.forEach((v) => head.appendChild(el("th", v)));
  table.appendChild(el("thead")).appendChild(head);
  const body = el("tbody");
  for (const row of data.results.bindings) {
    const tr = el("tr");
    vars.forEach((v) => tr.appendChild(cell(v, row[v], names)));
    body.appendChild(tr);
  }
  table.appendChild(body);
  results.replaceChildren(table);
  return data.results.bindings.length;
}

// The server's names for the IRIs of a result (it reads the labels as `kg query` does).
async function namesFor(data) {
  const iris = new Set();
  for (const row of (data.results || {}).bindings || []) {
    for (const term of Object.values(row)) if (term.type === "uri") iris.add(term.value);
  }
  if (!iris.size) return {};
  const response = await fetch("/labels", {method: "POST", body: JSON.stringify([...iris]),
                                           headers: {"Content-Type": "application/json"}});
  if (!response.ok) throw new Error(response.status + " " + (await response.text()));
  return response.json();
}

function showText(text) {
  $("results").replaceChildren(el("pre", text));
}

function offerDownload(blob, type) {
  const link = $("download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(blob);
  const option = [...$("format").options].find((o) => o.value === type);
  link.download = "result." + (option ? option.dataset.ext : "txt");
  link.hidden = false;
}

// An error message: its first line wraps; the lines under it (a query line and its caret) keep their columns.
function showError(message) {
  const lines = message.replace(/\n$/, "").split("\n");
  const parts = [el("p", lines[0])];
  if (lines.length > 1) parts.push(el("pre", lines.slice(1).join("\n")));
  $("error").replaceChildren(...parts);
  $("error").hidden = false;
}

// Put the editor's cursor where a syntax error is ("… at line L, column C: …", the server's message).
function placeCursor(message) {
  const found = /at line (\d+), column (\d+)/.exec(message.split("\n")[0]);
  if (!found) return;
  const lines = $("query").value.split("\n");
  const line = Math.min(Number(found[1]), lines.length);
  let offset = Number(found[2]) - 1;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  $("query").setSelectionRange(offset, offset);
}

// Run a request and show its answer as the results of `text` (the query now in the editor).
async function fetchAndShow(url, options, text) {
  const ticket = ++runs;
  const format = $("format").value;
  const accept = format === "table" ? TABLE_ACCEPT : format;
  options.headers = Object.assign({"Accept": accept}, options.headers || {});
  setStatus("Running…");
  const started = performance.now();
  let response, blob, names = {}, data = null, note = "";
  try {
    response = await fetch(url, options);
    blob = await response.blob();
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    if (response.ok && type === "application/sparql-results+json" && format === "table") {
      data = JSON.parse(await blob.text());
      try {
        names = await namesFor(data);
      } catch (err) {
        note = "; no labels (" + err.message + "), IRIs shown";
      }
    }
  } catch (err) {
    if (ticket === runs) { clearOutput(); setStatus("The server did not answer: " + err, true); }
    return;
  }
  if (ticket !== runs) return;
  clearOutput();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
  const body = await blob.text();
  if (!response.ok) {
    setStatus(response.status + " " + response.statusText, true);
    showError(body);
    if (url === "/sparql") placeCursor(body);
    return;
  }
  shownText = text;
  if (data !== null) {
    const rows = showTable(data, names);
    setStatus(rows + " result(s) in " + seconds + " s" + note, note !== "");
  } else {
    showText(body);
    setStatus(type + ", " + blob.size + " bytes in " + seconds + " s");
  }
  offerDownload(blob, type);
}

function runEditor() {
  const text = $("query").value;
  fetchAndShow("/sparql", {method: "POST", body: new URLSearchParams({query: text})}, text);
}

function parameters() {
  const params = new URLSearchParams();
  for (const input of $("named-form").querySelectorAll("input")) {
    if (input.value !== "") params.append(input.name, input.value);
  }
  const qs = params.toString();
  return qs ? "?" + qs : "";
}

// The named query's text with the parameters of the form bound in a VALUES block, by the
// server, as it binds them to run the query: the same text gives the same rows.
async function boundText(query, qs) {
  const response = await fetch("/queries/" + encodeURIComponent(query.name) + ".rq" + qs);
  const body = await response.text();
  if (response.ok) return body;
  clearOutput();
  setStatus(response.status + " " + response.statusText, true);
  showError(body);
  return null;
}

async function runNamed(event) {
  event.preventDefault();
  const query = current, qs = parameters();
  const text = await boundText(query, qs);
  if (text === null) return;
  $("query").value = text;  // the results below are this text's
  fetchAndShow("/queries/" + encodeURIComponent(query.name) + qs, {method: "GET"}, text);
}

async function copyToEditor() {
  const text = await boundText(current, parameters());
  if (text === null) return;
  $("query").value = text;
  $("query").focus();
  markStale();
}

function showNamed(query) {
  current = query;
  $("named-panel").hidden = false;
  $("named-title").textContent = query.name + ": " + query.summary;
  $("named-description").textContent = query.description || "";
  const form = $("named-form");
  form.replaceChildren();
  for (const param of query.params) {
    const label = el("label", param.name + " (" + param.type + ") ");
    const input = el("input");
    input.name = param.name;
    input.value = param.default === null ? "" : param.default;
    input.placeholder = param.description || "";
    label.appendChild(input);
    form.appendChild(label);
  }
  const buttons = el("div", null, "buttons");
  const run = el("button", "Run " + query.name);
  run.type = "submit";
  buttons.appendChild(run);
  const edit = el("button", "Copy to the editor, parameters bound");
  edit.type = "button";
  edit.addEventListener("click", copyToEditor);
  buttons.appendChild(edit);
  form.appendChild(buttons);
}

async function loadNamed() {
  const list = $("query-list");
  try {
    const response = await fetch("/queries", {headers: {"Accept": "application/json"}});
    const queries = await response.json();
    for (const query of queries) {
      const button = el("button");
      button.type = "button";
      button.title = query.summary;
      button.appendChild(el("span", query.name, "name"));
      button.appendChild(el("span", query.summary, "summary"));
      button.addEventListener("click", () => showNamed(query));
      const item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    }
    if (!queries.length) list.appendChild(el("li", "No named queries."));
  } catch (err) {
    list.appendChild(el("li", "Could not load the named queries: " + err, "error"));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("run").addEventListener("click", runEditor);
  $("named-form").addEventListener("submit", runNamed);
  $("query").addEventListener("input", markStale);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); runEditor(); }
  });
  loadNamed();
});

// The query page: plain DOM, no library, no network beyond this server.
// Every value from a result or a query file is inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const TABLE_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
let current = null;  // the named query shown in the panel, or null

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

function termText(term) {
  if (!term) return "";
  if (term.type === "uri") return term.value;
  if (term.type === "bnode") return "_:" + term.value;
  if (term["xml:lang"]) return term.value + " @" + term["xml:lang"];
  return term.value;
}

function showTable(data) {
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
    vars.forEach((v) => {
      const td = el("td", termText(row[v]));
      if (row[v] && row[v].datatype) td.title = row[v].datatype;
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  table.appendChild(body);
  results.replaceChildren(table);
  return data.results.bindings.length;
}

function showText(text) {
  $("results").replaceChildren(el("pre", text));
}

function offerDownload(blob, type) {
  const link = $("download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(blob);
  const ext = {"text/csv": "csv", "text/tab-separated-values": "tsv", "text/turtle": "ttl",
               "application/n-triples": "nt", "application/ld+json": "jsonld", "application/rdf+xml": "rdf",
               "application/sparql-results+xml": "srx", "application/sparql-results+json": "srj"}[type] || "txt";
  link.download = "result." + ext;
  link.hidden = false;
}

async function fetchAndShow(url, options) {
  const format = $("format").value;
  const accept = format === "table" ? TABLE_ACCEPT : format;
  options.headers = Object.assign({"Accept": accept}, options.headers || {});
  setStatus("Running…");
  $("download").hidden = true;
  const started = performance.now();
  let response;
  try {
    response = await fetch(url, options);
  } catch (err) {
    setStatus("The server did not answer: " + err, true);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
  const blob = await response.blob();
  const text = await blob.text();
  if (!response.ok) {
    $("results").replaceChildren();
    setStatus(response.status + " " + response.statusText + ": " + text, true);
    return;
  }
  if (type === "application/sparql-results+json" && format === "table") {
    const rows = showTable(JSON.parse(text));
    setStatus(rows + " result(s) in " + seconds + " s");
  } else {
    showText(text);
    setStatus(type + ", " + blob.size + " bytes in " + seconds + " s");
  }
  offerDownload(blob, type);
}

function runEditor() {
  const body = new URLSearchParams({query: $("query").value});
  fetchAndShow("/sparql", {method: "POST", body: body});
}

function runNamed(event) {
  if (event) event.preventDefault();
  if (!current) return;
  const params = new URLSearchParams();
  for (const input of $("named-form").querySelectorAll("input")) {
    if (input.value !== "") params.append(input.name, input.value);
  }
  const qs = params.toString();
  fetchAndShow("/queries/" + encodeURIComponent(current.name) + (qs ? "?" + qs : ""), {method: "GET"});
}

function showNamed(query) {
  current = query;
  $("named-panel").hidden = false;
  $("named-title").textContent = query.name + ": " + query.summary;
  $("named-description").textContent = query.description || "";
  $("named-text").textContent = query.text;
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
  const run = el("button", "Run " + query.name);
  run.type = "submit";
  form.appendChild(run);
  const edit = el("button", "Copy the text to the editor");
  edit.type = "button";
  edit.addEventListener("click", () => { $("query").value = query.text; });
  form.appendChild(edit);
}

async function loadNamed() {
  const list = $("query-list");
  try {
    const response = await fetch("/queries", {headers: {"Accept": "application/json"}});
    const queries = await response.json();
    for (const query of queries) {
      const button = el("button");
      button.type = "button";
      button.appendChild(el("span", query.name, "name"));
      button.appendChild(el("span", query.summary));
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
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); runEditor(); }
  });
  loadNamed();
});

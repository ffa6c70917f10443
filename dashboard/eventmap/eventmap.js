// The events map as a Streamlit component (protocol v1, no build step). Arguments: see
// dashboard/mapview.py event_map(); the layer's columns: mapview.layer(). Markers, tooltips and feed
// lines are built here from those columns. Every string from the data is set with textContent.
"use strict";

const send = (type, data) => window.parent.postMessage(Object.assign({isStreamlitMessage: true, type}, data), "*");
const COLOUR = /^#[0-9a-fA-F]{3,8}$/;
const LABEL_LIMIT = 160;
const FEED_SHOWN = 100;

const state = {map: null, args: {}, layer: null, cluster: null, markers: new Map(), ring: null,
               basemap: null, labels: null, areas: null, mode: "points", view: {open: null, n: null},
               sites: Promise.resolve([]), sitesUrl: null};
window.eventMap = state;  // for the browser tests and the console

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function colour(c) { return COLOUR.test(c || "") ? c : "#444444"; }

// As mapview.radius and mapview.marker_class.
function radius(count) { return count === null ? 5 : Math.round(Math.min(5 + 1.3 * Math.log2(1 + count), 18) * 10) / 10; }
function markerClass(id) { return "ev-" + id.replace(/[^A-Za-z0-9_-]/g, "_"); }
function day(d) { return d === null || d === undefined ? "" : new Date(d * 864e5).toISOString().slice(0, 10); }

function expand(layer, sites) {
  // The layer's columns (mapview.layer) as the objects markers, tooltips and the feed are drawn from.
  const site = i => sites[i] || [0, 0, "", ""];
  const type = i => layer.types[i] || ["Other", "#444444"];
  const phrase = (c, k) => c === null ? "" : (c.toLocaleString("en-US") + " " + (k >= 0 ? layer.counts[k] : "")).trim();
  const events = (cols, i) => {
    const [lat, lon, en, ar] = site(cols.site[i]), [label, c] = type(cols.t[i]), status = layer.statuses[cols.s[i]];
    return {id: cols.id[i], lat, lon, c, t: label, d: day(cols.d[i]), p: en, a: ar, n: phrase(cols.c[i], cols.k[i]),
            r: radius(cols.c[i]), cls: markerClass(cols.id[i]) + " rv-" + status, s: status === "unreviewed" ? "" : status};
  };
  const P = layer.points, points = [];
  for (let i = 0; i < P.id.length; i++) {
    if (layer.mode === "events") { points.push(events(P, i)); continue; }
    const [lat, lon, en, ar] = site(P.site[i]), n = P.n[i], d0 = day(P.d0[i]), d1 = day(P.d1[i]);
    points.push({id: P.id[i], lat, lon, c: type(P.t[i])[1], r: Math.round(Math.min(6 + 3 * Math.log2(n), 26) * 10) / 10,
                 t: n.toLocaleString("en-US") + " events", d: d0 ? d0 + " – " + d1 : "undated", p: en, a: ar, n: "",
                 cls: "place-marker"});
  }
  const feed = layer.feed.id.map((_, i) => {
    const e = events(layer.feed, i);
    return Object.assign(e, {d: e.d || "undated", p: e.p || e.a, line: layer.feed.line[i]});
  });
  return {mode: layer.mode, located: layer.located, points, feed, areas: layer.areas};
}

function frameHeight() {
  let h = 640;
  try { h = window.parent.innerHeight - 70; } catch (e) { /* not same-origin: keep the default */ }
  send("streamlit:setFrameHeight", {height: Math.max(460, h)});
}

function report(extra) {
  const c = state.map.getCenter();
  Object.assign(state.view, extra || {}, {centre: [c.lat, c.lng], zoom: state.map.getZoom()});
  send("streamlit:setComponentValue", {value: state.view, dataType: "json"});
}

function openEvent(id) {
  // a fresh n on every click: the page tells a new click from the last one, even on the same marker
  report({open: id, pick: null, n: Date.now() + Math.random()});
}

function tip(p) {
  const box = el("div", "tip");
  box.append(el("b", null, p.t), document.createTextNode(" · " + (p.d || "undated") + (p.n ? " · " + p.n : "")));
  if (p.s) box.append(document.createTextNode(" · "), el("span", "status", p.s));
  box.append(el("br"), el("span", "ar", p.a), document.createTextNode(p.a && p.p ? " " : ""), el("span", null, p.p));
  return box;
}

function createMap(args) {
  const map = L.map("map", {keyboard: false, zoomControl: true, minZoom: 5, maxZoom: 16, preferCanvas: false})
    .setView(args.centre, args.zoom);
  L.control.scale().addTo(map);
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  if (args.tiles) L.tileLayer(args.tiles.url, {attribution: args.tiles.attribution, maxZoom: 18}).addTo(map);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Borders, places: OCHA, OpenSyria, GeoNames (see NOTICE)");
  let timer = null;
  map.on("moveend", () => {
    drawLabels();
    drawFeed();
    clearTimeout(timer);
    timer = setTimeout(() => report(), 250);
  });
  map.on("click", e => {
    // pick mode (a reviewer placing an event by hand): a click on the map drops a point
    if (state.args.pick) report({pick: [e.latlng.lat, e.latlng.lng], open: null, n: Date.now() + Math.random()});
  });
  state.map = map;
  areaControl().addTo(map);
  if (args.basemap_url) fetch(args.basemap_url).then(r => r.json()).then(drawBasemap);
}

function drawBasemap(base) {
  const tiles = !!state.args.tiles;
  state.basemap = base;
  L.geoJSON(base.admin1, {interactive: false, style: {color: "#6b6b6b", weight: 1.6,
    fillColor: "#f5f1e6", fillOpacity: tiles ? 0.1 : 1}}).addTo(state.map).bringToBack();
  L.geoJSON(base.admin2, {interactive: false, style: {color: "#9a9a9a", weight: 0.6, dashArray: "3 3",
    fill: false}}).addTo(state.map);
  state.labels = L.layerGroup().addTo(state.map);
  drawLabels();
  if (state.mode !== "points") drawAreas();
}

function drawLabels() {
  if (!state.labels) return;
  state.labels.clearLayers();
  const z = state.map.getZoom(), bounds = state.map.getBounds().pad(0.1), taken = new Set();
  let shown = 0;
  for (const [en, ar, lat, lon, minZoom] of state.basemap.labels) {
    if (minZoom > z || shown >= LABEL_LIMIT || !bounds.contains([lat, lon])) continue;
    const pt = state.map.latLngToContainerPoint([lat, lon]);
    const cell = Math.round(pt.x / 110) + ":" + Math.round(pt.y / 22);  // one label per cell: no pile-ups
    if (taken.has(cell)) continue;
    taken.add(cell);
    const label = el("span", null, en);
    if (ar) label.append(document.createTextNode(" "), el("span", "ar", ar));
    L.marker([lat, lon], {pane: "labels", interactive: false, keyboard: false,
      icon: L.divIcon({className: "place-label z" + minZoom, html: label, iconSize: null, iconAnchor: [-4, 8]})})
      .addTo(state.labels);
    shown++;
  }
}

function areaControl() {
  const control = L.control({position: "topright"});
  control.onAdd = () => {
    const box = el("div", "area-control leaflet-bar");
    for (const [mode, text] of [["points", "Events"], ["admin1", "Governorates"], ["admin2", "Districts"]]) {
      const label = el("label"), input = el("input");
      input.type = "radio"; input.name = "area"; input.value = mode; input.checked = mode === state.mode;
      input.addEventListener("change", () => { state.mode = mode; drawAreas(); });
      label.append(input, document.createTextNode(" " + text));
      box.append(label);
    }
    box.append(el("div", "note", "Areas: events per area, darker is more"));
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  return control;
}

function drawAreas() {
  if (state.areas) { state.map.removeLayer(state.areas); state.areas = null; }
  const points = state.mode === "points";
  if (state.cluster) (points ? state.cluster.addTo(state.map) : state.map.removeLayer(state.cluster));
  if (points || !state.basemap || !state.layer) return;
  const counts = state.layer.areas[state.mode] || {};
  const max = Math.max(1, ...Object.values(counts));
  const ramp = ["#fff5eb", "#fdd0a2", "#fdae6b", "#f16913", "#d94801", "#8c2d04"];
  state.areas = L.geoJSON(state.basemap[state.mode], {
    style: f => {
      const n = counts[f.properties.name] || 0;
      const step = n ? 1 + Math.min(4, Math.floor(Math.sqrt(n / max) * 5)) : 0;
      return {color: "#555", weight: 1, fillColor: ramp[step], fillOpacity: 0.8, className: "area"};
    },
    onEachFeature: (f, layer) => {
      const box = el("div", "tip");
      box.append(el("b", null, f.properties.name), document.createTextNode(" "), el("span", "ar", f.properties.ar),
                 el("br"), document.createTextNode((counts[f.properties.name] || 0) + " events"));
      layer.bindTooltip(box, {sticky: true});
    },
  }).addTo(state.map);
}

function drawLayer(layer) {
  state.layer = layer;
  if (state.cluster) state.map.removeLayer(state.cluster);
  state.markers = new Map();
  const cluster = L.markerClusterGroup({maxClusterRadius: 30, spiderfyOnMaxZoom: true, showCoverageOnHover: false,
                                        chunkedLoading: true, spiderfyDistanceMultiplier: 1.6});
  const markers = layer.points.map(p => {
    const size = Math.round(2 * p.r);
    const dot = el("i");
    dot.style.background = colour(p.c);
    const m = L.marker([p.lat, p.lon], {keyboard: false, riseOnHover: true,
      icon: L.divIcon({className: "pt " + (layer.mode === "events" ? "ev-marker " : "") + p.cls, html: dot,
                       iconSize: [size, size]})});
    m.bindTooltip(() => tip(p), {direction: "top"});
    m.on("click", () => openEvent(p.id));
    if (!state.markers.has(p.id)) state.markers.set(p.id, m);
    return m;
  });
  cluster.addLayers(markers);
  state.cluster = cluster;
  drawAreas();
  drawSelection();
  drawFeed();
  state.ready = state.layerUrl;
}

function drawSelection() {
  const sel = state.args.selected;
  if (state.ring) { state.map.removeLayer(state.ring); state.ring = null; }
  document.querySelectorAll(".pt.selected").forEach(e => e.classList.remove("selected"));
  document.querySelectorAll("#feed li.open").forEach(e => e.classList.remove("open"));
  if (!sel) return;
  state.ring = L.circleMarker([sel.lat, sel.lon], {radius: sel.r + 5, color: "#111", weight: 3, opacity: 0.9,
    fill: false, interactive: false, className: "selected-marker"}).addTo(state.map);
  const m = state.markers.get(sel.id);
  if (m && m.getElement()) m.getElement().classList.add("selected");
  const item = document.querySelector(`#feed li[data-id="${CSS.escape(sel.id)}"]`);
  if (item) item.classList.add("open");
}

function drawFeed() {
  if (!state.layer || !state.map) return;
  const bounds = state.map.getBounds(), list = document.getElementById("feed-list");
  const inView = state.layer.feed.filter(e => bounds.contains([e.lat, e.lon]));
  list.replaceChildren(...inView.slice(0, FEED_SHOWN).map(e => {
    const li = el("li");
    li.dataset.id = e.id;
    const dot = el("span", "dot");
    dot.style.background = colour(e.c);
    const meta = el("div", "meta");
    meta.append(dot, el("b", null, e.t), document.createTextNode(" · " + e.d + (e.n ? " · " + e.n : "")));
    if (e.s) meta.append(document.createTextNode(" · "), el("span", "status", e.s));
    li.append(meta, el("div", "place", e.p), el("div", "line", e.line));
    li.addEventListener("click", () => { show(e.id); openEvent(e.id); });
    return li;
  }));
  const more = state.layer.feed.length < state.layer.located ? " (newest " + state.layer.feed.length + " in filters)" : "";
  document.getElementById("feed-count").textContent = "· " + inView.length + more;
  if (state.args.selected) drawSelection();
}

function show(id) {
  // centre on the event's place (zooming in to a town's scale) and spread its cluster apart, if any
  const m = state.markers.get(id);
  if (!m || !state.cluster) return;
  const spread = () => {
    const parent = state.cluster.getVisibleParent(m);
    if (parent && parent !== m) parent.spiderfy();
    drawSelection();
  };
  if (state.cluster.getVisibleParent(m) === m && state.map.getBounds().contains(m.getLatLng())) return spread();
  state.map.setView(m.getLatLng(), Math.max(state.map.getZoom(), 10), {animate: false});
  setTimeout(spread, 400);  // after the cluster layer has regrouped for the new zoom
}
state.show = show;

function drawPicked() {
  const args = state.args;
  document.getElementById("map").classList.toggle("picking", !!args.pick);
  if (state.pin) { state.map.removeLayer(state.pin); state.pin = null; }
  if (args.pick && args.picked) {
    state.pin = L.circleMarker(args.picked, {radius: 9, color: "#b91c1c", weight: 3, fillColor: "#fecaca",
      fillOpacity: 0.9, interactive: false, className: "picked-point"}).addTo(state.map);
  }
}

function render(args) {
  const first = !state.map;
  state.args = args;
  if (first) createMap(args);
  drawPicked();
  const json = url => fetch(url).then(r => r.json());
  if (args.sites_url && args.sites_url !== state.sitesUrl) {
    // the sites change only with the store: fetched once (beside the first layer), not per filter setting
    state.sitesUrl = args.sites_url;
    state.sites = json(args.sites_url).then(s => s.sites);
  }
  if (args.layer_url !== state.layerUrl) {
    state.layerUrl = args.layer_url;
    json(args.layer_url).then(layer => {
      const sites = layer.sites === state.sitesUrl ? state.sites : json(layer.sites).then(s => s.sites);
      return sites.then(s => { if (state.layerUrl === args.layer_url) drawLayer(expand(layer, s)); });
    });
  } else if (state.layer) {
    drawSelection();
  }
  if (first) frameHeight();
}

window.addEventListener("message", ev => {
  if (ev.data && ev.data.type === "streamlit:render") render(ev.data.args);
});
try { window.parent.addEventListener("resize", frameHeight); } catch (e) { /* keep the first height */ }
window.addEventListener("resize", () => state.map && state.map.invalidateSize());
send("streamlit:componentReady", {apiVersion: 1});

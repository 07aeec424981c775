/*
 * The crew page: signs in (a crew link's token from the address, or an operator key), shows the
 * day's lists from /api/v1/worklists/* with a map, and acts on alerts through /api/v1/alerts/*.
 * The credential lives in sessionStorage only (gone when the tab closes). Everything shown is put
 * in the page as text, never as HTML.
 */
(function () {
  "use strict";

  var STORE = "kerbside.crew.credential";
  var RULES = {
    "lamp-failure": "Lamp out",
    "lamp-cycling": "Lamp cycling on and off",
    "day-burner": "Lamp burning by day",
    "lamp-power-band": "Lamp power out of band",
    "ice-risk": "Ice risk",
    "trip-hazard": "Trip hazard",
    "pavement-roughness": "Rough footway"
  };
  var $ = function (id) { return document.getElementById(id); };
  var map = null;
  var markers = null;
  var settings = { tile_url: "", tile_attribution: "" };
  var pending = null;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; }
      else if (k === "className") { e.className = attrs[k]; }
      else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  // --- credentials ---------------------------------------------------------------------------

  function credential() {
    try { return JSON.parse(sessionStorage.getItem(STORE)); } catch (e) { return null; }
  }

  function save(scheme, token) {
    sessionStorage.setItem(STORE, JSON.stringify({ scheme: scheme, token: token }));
  }

  /** A crew link's token, from #t=..., moved to sessionStorage and out of the address bar. */
  function takeLinkToken() {
    var m = /(?:^#|&)t=([A-Za-z0-9_\-.]+)/.exec(location.hash);
    if (m) {
      save("Crew", m[1]);
      history.replaceState(null, "", location.pathname + location.search);
    }
  }

  /** The crew and expiry a link carries, for display only: the server checks the signature. */
  function linkPayload(token) {
    try {
      var p = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
      var bytes = Uint8Array.from(atob(p), function (c) { return c.charCodeAt(0); });
      var parts = new TextDecoder().decode(bytes).split("|");
      return { council: parts[2], expires: new Date(Number(parts[3]) * 1000), crew: parts.slice(4).join("|") };
    } catch (e) { return null; }
  }

  function signOut(message) {
    sessionStorage.removeItem(STORE);
    showSignIn(message || "");
  }

  // --- requests ------------------------------------------------------------------------------

  function api(method, path, body) {
    var c = credential();
    var init = { method: method, headers: { "Authorization": c.scheme + " " + c.token } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      if (r.status === 401) {
        signOut(c.scheme === "Crew"
          ? "Your link has expired or is not valid. Ask for a new one."
          : "That key was not accepted.");
        throw new Error("signed out");
      }
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { throw new Error(j.error || ("the server answered " + r.status)); }
        return j;
      });
    });
  }

  // --- views ---------------------------------------------------------------------------------

  function showSignIn(message) {
    $("day").hidden = true;
    $("signout").hidden = true;
    $("who").textContent = "";
    $("signin").hidden = false;
    $("signin-error").textContent = message;
    $("key").value = "";
    $("key").focus();
  }

  function showDay() {
    var c = credential();
    $("signin").hidden = true;
    $("day").hidden = false;
    $("signout").hidden = false;
    if (c.scheme === "Crew") {
      var p = linkPayload(c.token);
      $("who").textContent = p
        ? "Crew " + p.crew + " (" + p.council + "), link valid until " + p.expires.toLocaleString()
        : "Signed in with a crew link";
    } else {
      $("who").textContent = "Signed in with an operator key";
    }
    ensureMap();
    load();
  }

  function ensureMap() {
    if (map || typeof L === "undefined") { return; }
    map = L.map("map", { zoomControl: true, attributionControl: !!settings.tile_url });
    if (settings.tile_url) {
      L.tileLayer(settings.tile_url, { maxZoom: 19, attribution: settings.tile_attribution }).addTo(map);
    }
    map.setView([54.0, -2.0], 6);
    markers = L.layerGroup().addTo(map);
  }

  function since(iso) {
    var t = new Date(iso);
    var hours = Math.max(0, (Date.now() - t.getTime()) / 3600000);
    var ago = hours < 1 ? Math.round(hours * 60) + " min ago"
      : hours < 48 ? Math.round(hours) + " h ago" : Math.round(hours / 24) + " days ago";
    var time = el("time", { datetime: iso, text: t.toLocaleString() });
    var p = el("p", { className: "meta" });
    p.appendChild(document.createTextNode("Since "));
    p.appendChild(time);
    p.appendChild(document.createTextNode(" (" + ago + ")"));
    return p;
  }

  function where(place) {
    var label = [place.street || "no street", place.ward || "no ward"].join(", ");
    var p = el("p", {}, [document.createTextNode(label + " \u00b7 ")]);
    p.appendChild(el("a", { href: place.geo_uri, text: "Open in maps" }));
    p.appendChild(document.createTextNode(" \u00b7 "));
    p.appendChild(el("a", { href: place.map_url, target: "_blank", rel: "noopener noreferrer", text: "web map" }));
    return p;
  }

  function what(alert) {
    return (RULES[alert.rule] || alert.rule) + ": " + (alert.place.name || alert.place.asset_ref);
  }

  function actions(alert) {
    var name = what(alert) + ", " + (alert.place.street || alert.place.asset_ref);
    var box = el("div", { className: "actions" });
    if (alert.status === "open") {
      var ack = el("button", { type: "button", className: "act-ack", "aria-label": "Acknowledge " + name, text: "Acknowledge" });
      ack.addEventListener("click", function () { act(alert, "acknowledge", null, ack); });
      box.appendChild(ack);
    }
    var done = el("button", { type: "button", className: "act-done", "aria-label": "Done: " + name, text: "Done" });
    done.addEventListener("click", function () {
      askNote(alert, "Done", "What was done (optional)", false, function (note) { return act(alert, "resolve", note, done); });
    });
    var cannot = el("button", { type: "button", className: "act-cannot secondary", "aria-label": "Cannot fix: " + name, text: "Cannot fix" });
    cannot.addEventListener("click", function () {
      askNote(alert, "Cannot fix", "Why it cannot be fixed", true, function (note) { return act(alert, "notes", "Cannot fix: " + note, cannot); });
    });
    box.appendChild(done);
    box.appendChild(cannot);
    return box;
  }

  function alertItem(alert, kind, extra) {
    var li = el("li", { className: "item " + kind, id: "alert-" + alert.alert_id, "data-alert-id": String(alert.alert_id) });
    li.appendChild(el("h3", { text: what(alert) }));
    var tags = el("p");
    tags.appendChild(el("span", { className: "tag", text: alert.severity }));
    tags.appendChild(el("span", { className: "tag", text: alert.status }));
    (extra || []).forEach(function (t) { tags.appendChild(t); });
    li.appendChild(tags);
    li.appendChild(el("p", { text: alert.summary }));
    li.appendChild(where(alert.place));
    li.appendChild(since(alert.since));
    li.appendChild(actions(alert));
    return li;
  }

  function gritItem(g) {
    if (g.alert) {
      var extra = [el("span", { className: "tag", text: "freezing " + (g.hours_to_freezing === 0 ? "now" : "in " + g.hours_to_freezing + " h") }),
                   el("span", { className: "tag", text: "footfall " + g.footfall })];
      return alertItem(g.alert, "grit", extra);
    }
    var li = el("li", { className: "item grit", id: "section-" + g.place.asset_id });
    li.appendChild(el("h3", { text: "Grit: " + (g.place.name || g.place.asset_ref) }));
    li.appendChild(el("p", {}, [el("span", { className: "tag", text: "freezing in " + g.hours_to_freezing + " h" }),
                                 el("span", { className: "tag", text: "footfall " + g.footfall })]));
    li.appendChild(el("p", { text: "Surface " + g.surface_temp_c + " \u00b0C, falling " + Math.abs(g.trend_c_per_h) + " \u00b0C an hour (no alert yet)" }));
    li.appendChild(where(g.place));
    return li;
  }

  function empty(list, text) {
    list.appendChild(el("li", { className: "empty", text: text }));
  }

  function render(lamps, gritting, footways) {
    var points = [];
    var lampList = $("lamps");
    lampList.textContent = "";
    lamps.streets.forEach(function (s) {
      lampList.appendChild(el("li", { className: "street", text: (s.street || "No street") + (s.ward ? " (" + s.ward + ")" : "") }));
      s.items.forEach(function (a) { lampList.appendChild(alertItem(a, "lamp")); points.push([a.place, "Lamp", what(a), "#8a5a00", "alert-" + a.alert_id]); });
    });
    if (lamps.total === 0) { empty(lampList, "No lamps to visit."); }
    $("lamps-count").textContent = "(" + lamps.total + ")";

    var gritList = $("gritting");
    gritList.textContent = "";
    gritting.items.forEach(function (g) {
      var li = gritItem(g);
      gritList.appendChild(li);
      points.push([g.place, "Gritting", li.querySelector("h3").textContent, "#0b4f8a", li.id]);
    });
    if (gritting.total === 0) { empty(gritList, "No sections to grit tonight."); }
    $("gritting-count").textContent = "(" + gritting.total + ")";

    var footList = $("footways");
    footList.textContent = "";
    footways.categories.forEach(function (c) {
      if (c.items.length === 0) { return; }
      footList.appendChild(el("li", { className: "street", text: c.label + " - within " + hoursText(c.response_hours) }));
      c.items.forEach(function (a) {
        var tags = [el("span", { className: "tag" + (a.overdue ? " overdue" : ""), text: (a.overdue ? "overdue since " : "due ") + new Date(a.respond_by).toLocaleDateString() })];
        if (a.crack_mm !== null && a.crack_mm !== undefined) { tags.push(el("span", { className: "tag", text: Math.round(a.crack_mm) + " mm" })); }
        footList.appendChild(alertItem(a, "footway", tags));
        points.push([a.place, "Footway", what(a), "#a4161a", "alert-" + a.alert_id]);
      });
    });
    if (footways.total === 0) { empty(footList, "No footway defects."); }
    $("footways-count").textContent = "(" + footways.total + ")";
    draw(points);
  }

  function hoursText(h) {
    return h % 24 === 0 ? (h / 24) + (h === 24 ? " day" : " days") : h + " hours";
  }

  function draw(points) {
    if (!map) { return; }
    markers.clearLayers();
    var bounds = [];
    points.forEach(function (p) {
      var ll = [p[0].latitude, p[0].longitude];
      bounds.push(ll);
      var popup = el("div", {}, [el("strong", { text: p[1] + ": " }), document.createTextNode(p[2])]);
      var m = L.circleMarker(ll, { radius: 9, color: "#1b1b1b", weight: 2, fillColor: p[3], fillOpacity: 0.9 });
      m.bindPopup(popup);
      m.on("click", function () {
        var item = document.getElementById(p[4]);
        if (item) { item.scrollIntoView({ block: "nearest" }); }
      });
      markers.addLayer(m);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 }); }
  }

  function load() {
    var ward = $("ward").value.trim();
    var q = ward ? "?ward=" + encodeURIComponent(ward) : "";
    $("status").textContent = "Loading the day's list\u2026";
    return Promise.all([
      api("GET", "/api/v1/worklists/lamps" + q),
      api("GET", "/api/v1/worklists/gritting" + q),
      api("GET", "/api/v1/worklists/footways" + q)
    ]).then(function (r) {
      render(r[0], r[1], r[2]);
      var n = r[0].total + r[1].total + r[2].total;
      $("status").textContent = n + (n === 1 ? " item" : " items") + " for " + r[0].date + (ward ? " in " + ward : "") + ".";
    }).catch(function (e) {
      if (e.message !== "signed out") { $("status").textContent = "Could not load the list: " + e.message; }
    });
  }

  function act(alert, step, note, button) {
    button.disabled = true;
    var body = note ? { note: note } : {};
    return api("POST", "/api/v1/alerts/" + alert.alert_id + "/" + step, body).then(function () {
      var said = step === "acknowledge" ? "Acknowledged" : step === "resolve" ? "Marked done" : "Noted: cannot fix";
      return load().then(function () { $("status").textContent = said + ": " + what(alert) + ". " + $("status").textContent; });
    }).catch(function (e) {
      button.disabled = false;
      if (e.message !== "signed out") { $("status").textContent = "Could not save: " + e.message; }
    });
  }

  // --- the note dialog -----------------------------------------------------------------------

  function askNote(alert, title, label, required, then) {
    pending = { then: then, required: required, opener: document.activeElement };
    $("note-title").textContent = title;
    $("note-about").textContent = what(alert) + ", " + (alert.place.street || alert.place.asset_ref);
    $("note-label").textContent = label;
    $("note").value = "";
    $("note").required = required;
    $("note-error").textContent = "";
    $("note-dialog").showModal();
    $("note").focus();
  }

  function closeNote() {
    var opener = pending && pending.opener;
    pending = null;
    $("note-dialog").close();
    if (opener && document.body.contains(opener)) { opener.focus(); } else { $("list").focus(); }
  }

  // --- start ---------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    $("signin-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var key = $("key").value.trim();
      if (!key) { $("signin-error").textContent = "Paste an operator key."; return; }
      save("Bearer", key);
      showDay();
    });
    $("signout").addEventListener("click", function () { signOut("Signed out."); });
    $("filter").addEventListener("submit", function (e) { e.preventDefault(); load(); });
    $("note-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var note = $("note").value.trim();
      if (pending.required && !note) { $("note-error").textContent = "Please say why."; $("note").focus(); return; }
      var then = pending.then;
      closeNote();
      then(note || null);
    });
    $("note-cancel").addEventListener("click", closeNote);
    $("note-dialog").addEventListener("cancel", function (e) { e.preventDefault(); closeNote(); });

    takeLinkToken();
    fetch("config.json").then(function (r) { return r.json(); }).catch(function () { return {}; })
      .then(function (s) {
        settings = Object.assign(settings, s || {});
        if (credential()) { showDay(); } else { showSignIn(""); }
      });
  });
})();

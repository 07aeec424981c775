/*
 * The crew page: signs in (a crew link's token from the address, or an operator key), shows the
 * day's lists from /api/v1/worklists/* and the day's bin rounds from /api/v1/plans/collections with
 * a map, acts on alerts through /api/v1/alerts/* and marks bins emptied through the plans' stops.
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
  var REASONS = {
    "predicted-fill": "predicted full by the end of the round",
    "overflow-before-next-round": "would overflow before its next round",
    "alert": "reported full or not collected",
    "schedule": "sensor silent, so on its fixed schedule"
  };
  var $ = function (id) { return document.getElementById(id); };
  var map = null;
  var markers = null;
  var roundLayer = null;
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
    markers = L.featureGroup().addTo(map);
    roundLayer = L.featureGroup().addTo(map);
  }

  /** Fits the map to everything on it: the lists' markers and the rounds. */
  function fit() {
    if (!map) { return; }
    var b = L.latLngBounds([]);
    b.extend(markers.getBounds());
    b.extend(roundLayer.getBounds());
    if (b.isValid()) { map.fitBounds(b, { padding: [24, 24], maxZoom: 17 }); }
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

  function where(place, prefix) {
    var label = [place.street || "no street", place.ward || "no ward"].join(", ");
    var p = el("p", {}, [document.createTextNode((prefix || "") + label + " \u00b7 ")]);
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
    points.forEach(function (p) {
      var ll = [p[0].latitude, p[0].longitude];
      var popup = el("div", {}, [el("strong", { text: p[1] + ": " }), document.createTextNode(p[2])]);
      var m = L.circleMarker(ll, { radius: 9, color: "#1b1b1b", weight: 2, fillColor: p[3], fillOpacity: 0.9 });
      m.bindPopup(popup);
      m.on("click", function () {
        var item = document.getElementById(p[4]);
        if (item) { item.scrollIntoView({ block: "nearest" }); }
      });
      markers.addLayer(m);
    });
    fit();
  }

  function load() {
    var ward = $("ward").value.trim();
    var q = ward ? "?ward=" + encodeURIComponent(ward) : "";
    $("status").textContent = "Loading the day's list\u2026";
    var lists = Promise.all([
      api("GET", "/api/v1/worklists/lamps" + q),
      api("GET", "/api/v1/worklists/gritting" + q),
      api("GET", "/api/v1/worklists/footways" + q)
    ]).then(function (r) {
      render(r[0], r[1], r[2]);
      return r;
    });
    return Promise.all([lists, loadRounds(true)]).then(function (both) {
      var r = both[0];
      var n = r[0].total + r[1].total + r[2].total;
      $("status").textContent = n + (n === 1 ? " item" : " items") + " for " + r[0].date + (ward ? " in " + ward : "") + "." + roundsSaid(both[1]);
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

  // --- bin rounds ----------------------------------------------------------------------------

  function clock(iso) {
    return el("time", { datetime: iso, text: new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) });
  }

  function stopName(s) { return s.name || s.asset.ref; }

  /** How a stop is named to a screen reader and in messages: round, order, bin and street. */
  function stopLabel(plan, s) {
    return (s.order ? "stop " + s.order : "unassigned stop") + " of round " + plan.round + ", " +
      stopName(s) + ", " + (s.street || s.asset.ref);
  }

  /** A plan's stops by vehicle, in the plan's order (vehicles' routes, then the unassigned). */
  function byVehicle(plan) {
    var out = [];
    var seen = Object.create(null);
    plan.stops.forEach(function (s) {
      var key = s.vehicle || "";
      if (!seen[key]) {
        seen[key] = { vehicle: s.vehicle, stops: [] };
        out.push(seen[key]);
      }
      seen[key].stops.push(s);
    });
    return out;
  }

  function stopItem(plan, s) {
    var emptied = s.status === "emptied";
    var li = el("li", { className: "item bin" + (emptied ? " done" : ""), id: "stop-" + plan.id + "-" + s.stop,
                        tabindex: "-1", "data-status": s.status });
    li.appendChild(el("h4", { text: (s.order ? s.order + ". " : "") + stopName(s) }));
    var tags = el("p");
    if (s.eta) { tags.appendChild(el("span", { className: "tag" }, [document.createTextNode("ETA "), clock(s.eta)])); }
    var fill = s.predicted_fill_pct;
    tags.appendChild(el("span", { className: "tag", text: fill === null || fill === undefined ? "fill unknown" : "fill " + Math.round(fill) + " %" }));
    tags.appendChild(el("span", { className: "tag status", text: emptied ? "\u2713 emptied" : s.status }));
    li.appendChild(tags);
    li.appendChild(el("p", { text: "Why: " + s.reasons.map(function (r) { return REASONS[r] || r; }).join("; ") + "." }));
    li.appendChild(where({
      street: s.street,
      ward: s.ward,
      geo_uri: "geo:" + s.lat.toFixed(6) + "," + s.lon.toFixed(6),
      map_url: "https://www.openstreetmap.org/?mlat=" + s.lat.toFixed(6) + "&mlon=" + s.lon.toFixed(6) +
        "#map=19/" + s.lat.toFixed(6) + "/" + s.lon.toFixed(6)
    }, s.asset.ref + " \u00b7 "));
    if (emptied) {
      li.appendChild(el("p", { className: "meta" }, [document.createTextNode("Emptied at "), clock(s.emptied_at),
                                                      document.createTextNode(" by " + s.emptied_by)]));
    } else {
      var box = el("div", { className: "actions" });
      var button = el("button", { type: "button", className: "act-emptied", "aria-label": "Emptied: " + stopLabel(plan, s), text: "Emptied" });
      button.addEventListener("click", function () { markEmptied(plan, s, button); });
      box.appendChild(button);
      li.appendChild(box);
    }
    return li;
  }

  /**
   * Shows the day's plans (the reply of GET /api/v1/plans/collections, or {error}) and draws them;
   * answers what was shown, or null when the rounds could not be loaded.
   */
  function renderRounds(r, refit) {
    var box = $("rounds");
    box.textContent = "";
    var drawn = [];
    if (r.error) {
      box.appendChild(el("p", { className: "error", text: "Could not load the bin rounds: " + r.error }));
      $("rounds-count").textContent = "";
      drawRounds(drawn, refit);
      return null;
    }
    var said = { date: r.date, rounds: r.plans.length, stops: 0, left: 0 };
    r.plans.forEach(function (plan) {
      byVehicle(plan).forEach(function (g, i) {
        var id = "round-" + plan.id + "-" + i;
        var section = el("section", { className: "round", id: id, "aria-labelledby": id + "-title" });
        section.appendChild(el("h3", { id: id + "-title",
          text: "Round " + plan.round + " \u00b7 " + (g.vehicle ? g.vehicle : "not on a vehicle") }));
        var emptied = g.stops.filter(function (s) { return s.status === "emptied"; }).length;
        var route = plan.routes.filter(function (x) { return g.vehicle && x.vehicle === g.vehicle; })[0];
        var meta = el("p", { className: "meta" });
        if (route) {
          meta.appendChild(document.createTextNode("Leaves the depot "));
          meta.appendChild(clock(route.start));
          meta.appendChild(document.createTextNode(", back by "));
          meta.appendChild(clock(route.end));
          meta.appendChild(document.createTextNode(", " + route.km.toFixed(1) + " km. "));
        } else if (!g.vehicle) {
          meta.appendChild(document.createTextNode("No vehicle could take these bins (capacity or shift). "));
        }
        meta.appendChild(document.createTextNode(g.stops.length + (g.stops.length === 1 ? " stop, " : " stops, ") + emptied + " emptied."));
        section.appendChild(meta);
        var list = el("ol", { className: "items stops" });
        g.stops.forEach(function (s) { list.appendChild(stopItem(plan, s)); });
        section.appendChild(list);
        box.appendChild(section);
        said.stops += g.stops.length;
        said.left += g.stops.length - emptied;
        drawn.push({ plan: plan, vehicle: g.vehicle, stops: g.stops });
      });
    });
    if (r.plans.length === 0) {
      box.appendChild(el("p", { className: "empty", text: "No bin rounds planned for " + r.date + "." }));
    }
    $("rounds-count").textContent = "(" + said.stops + ")";
    drawRounds(drawn, refit);
    return said;
  }

  /** Each vehicle's route as a line through its stops in order, and a numbered pin per stop. */
  function drawRounds(groups, refit) {
    if (!map) { return; }
    roundLayer.clearLayers();
    groups.forEach(function (g) {
      if (g.vehicle && g.stops.length > 1) {
        L.polyline(g.stops.map(function (s) { return [s.lat, s.lon]; }),
          { className: "round-line", color: "#1d6b3a", weight: 5, opacity: 0.85, interactive: false }).addTo(roundLayer);
      }
      g.stops.forEach(function (s) {
        var done = s.status === "emptied";
        var label = stopLabel(g.plan, s) + (done ? " (emptied)" : "");
        var icon = L.divIcon({ className: "stop-pin" + (done ? " done" : ""), iconSize: [30, 30],
                               html: el("span", { text: done ? "\u2713" : String(s.order || "?") }) });
        var m = L.marker([s.lat, s.lon], { icon: icon, keyboard: false, title: label });
        m.bindPopup(el("div", {}, [el("strong", { text: "Bin round: " }), document.createTextNode(label)]));
        m.on("click", function () {
          var item = document.getElementById("stop-" + g.plan.id + "-" + s.stop);
          if (item) { item.scrollIntoView({ block: "nearest" }); }
        });
        roundLayer.addLayer(m);
      });
    });
    if (refit) { fit(); }
  }

  /** Loads and shows the day's rounds; a failure is shown in their section, not thrown. */
  function loadRounds(refit) {
    return api("GET", "/api/v1/plans/collections").then(function (r) {
      return renderRounds(r, refit);
    }, function (e) {
      if (e.message === "signed out") { throw e; }
      return renderRounds({ error: e.message }, refit);
    });
  }

  function roundsSaid(r) {
    if (!r) { return " The bin rounds could not be loaded."; }
    if (r.rounds === 0) { return " No bin rounds."; }
    return " " + r.rounds + (r.rounds === 1 ? " bin round, " : " bin rounds, ") + r.left + " of " + r.stops + " stops to empty.";
  }

  function markEmptied(plan, s, button) {
    button.disabled = true;
    var label = stopLabel(plan, s);
    var path = "/api/v1/plans/collections/" + plan.id + "/stops/" + s.stop + "/emptied";
    return api("POST", path, {}).then(function (r) {
      var n = (r.resolved_alerts || []).length;
      return loadRounds(false).then(function () {
        $("status").textContent = "Emptied: " + label +
          (n ? "; " + n + (n === 1 ? " alert" : " alerts") + " on the bin resolved." : ".");
        var item = $("stop-" + plan.id + "-" + s.stop);
        if (item) { item.focus(); }
      });
    }).catch(function (e) {
      button.disabled = false;
      if (e.message === "signed out") { return; }
      // another crew may have emptied it meanwhile: show the stops as they now are
      return loadRounds(false).then(function () {
        $("status").textContent = "Could not mark " + label + " emptied: " + e.message;
      }, function () { /* signed out meanwhile: the sign-in form says so */ });
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

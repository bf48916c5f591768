/* The public chat page: quick exit, the chat over Rasa's socket.io channel, safe rendering.
 *
 * Rules kept here: no innerHTML of anything a person or the bot wrote (text nodes only); links
 * only for the catalogue's numbers and e-mail addresses (from /catalogue.json) and https
 * addresses; nothing stored but a random session id in sessionStorage; no request to any
 * origin but this page's and the Rasa server's.
 */
(function () {
  "use strict";

  var body = document.body;
  var EXIT_URL = body.getAttribute("data-exit-url") || "about:blank";
  var RASA_URL = body.getAttribute("data-rasa-url");
  var SESSION_KEY = "chat-session";
  var SHIFT_WINDOW_MS = 5000;
  var MAX_MESSAGE = 1000;

  var socket = null;
  var exiting = false;

  /* ---------- quick exit: set up first, so it works even if the rest fails ---------- */

  function quickExit(event) {
    if (event && event.preventDefault) { event.preventDefault(); }
    if (exiting) { return; }
    exiting = true;
    // Clear the screen at once, before anything that might be slow.
    try { body.replaceChildren(); document.title = "Weather"; } catch (e) { /* keep going */ }
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { if (socket) { socket.disconnect(); } } catch (e) { /* keep going */ }
    window.location.replace(EXIT_URL);
  }

  var exitLink = document.getElementById("quick-exit");
  if (exitLink) { exitLink.addEventListener("click", quickExit); }

  // Shift pressed three times on its own (not as part of typing a capital) within five seconds.
  var shiftTaps = [];
  var shiftAlone = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.isComposing) { quickExit(event); return; }
    shiftAlone = event.key === "Shift" && !event.repeat;
  }, true);
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) { return; }
    shiftAlone = false;
    var now = Date.now();
    shiftTaps = shiftTaps.filter(function (t) { return now - t < SHIFT_WINDOW_MS; });
    shiftTaps.push(now);
    if (shiftTaps.length >= 3) { quickExit(event); }
  }, true);

  /* ---------- elements ---------- */

  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var connection = document.getElementById("connection");
  var banner = document.getElementById("handoff-banner");
  var handoffStatus = null;

  /* ---------- session id: random, in sessionStorage only (gone when the tab closes) ---------- */

  function sessionId() {
    var id = null;
    try { id = window.sessionStorage.getItem(SESSION_KEY); } catch (e) { /* disabled */ }
    if (!id || !/^[0-9a-f]{32}$/.test(id)) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try { window.sessionStorage.setItem(SESSION_KEY, id); } catch (e) { /* works for this page only */ }
    }
    return id;
  }

  /* ---------- turning bot text into text nodes and safe links ---------- */

  var linkPattern = null;
  var linkTargets = {};

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function setCatalogue(catalogue) {
    var alternatives = ["https://[^\\s<>\"'()\\[\\]]+"];
    (catalogue.emails || []).forEach(function (email) {
      linkTargets[email.toLowerCase()] = "mailto:" + email;
      alternatives.push(escapeRegExp(email));
    });
    var numbers = (catalogue.numbers || []).slice().sort(function (a, b) { return b.text.length - a.text.length; });
    numbers.forEach(function (number) {
      if (!/^(tel|sms):\d+$/.test(number.href)) { return; }
      linkTargets[number.text] = number.href;
      // A number only counts on its own, not inside a longer run of digits or a word.
      alternatives.push("(?<![\\w-])" + escapeRegExp(number.text) + "(?![\\w-])");
    });
    linkPattern = new RegExp(alternatives.join("|"), "gi");
  }
  setCatalogue({});

  function linkFor(match) {
    if (/^https:\/\//i.test(match)) {
      var url = match.replace(/[.,;:!?]+$/, "");
      return { text: url, href: url, external: true };
    }
    var href = linkTargets[match] || linkTargets[match.toLowerCase()];
    return href ? { text: match, href: href, external: false } : null;
  }

  function appendRich(parent, text) {
    linkPattern.lastIndex = 0;
    var last = 0;
    var match;
    while ((match = linkPattern.exec(text)) !== null) {
      var link = linkFor(match[0]);
      if (!link) { continue; }
      if (match.index > last) { parent.appendChild(document.createTextNode(text.slice(last, match.index))); }
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      if (link.external) {
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      } else {
        a.className = link.href.split(":")[0];
      }
      parent.appendChild(a);
      last = match.index + link.text.length;
      linkPattern.lastIndex = last;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  /* ---------- the conversation on screen ---------- */

  function addMessage(who, text, options) {
    var item = document.createElement("div");
    item.className = "msg " + who;
    var label = document.createElement("span");
    label.className = "who";
    label.textContent = who === "user" ? "You" : who === "person" ? "Support worker" : "Assistant";
    item.appendChild(label);
    var paragraph = document.createElement("p");
    if (options && options.rich) { appendRich(paragraph, text); } else { paragraph.textContent = text; }
    item.appendChild(paragraph);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function addQuickReplies(item, replies) {
    var group = document.createElement("div");
    group.className = "quick-replies";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Suggested replies");
    replies.forEach(function (reply) {
      if (!reply || typeof reply.title !== "string" || typeof reply.payload !== "string") { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = reply.title;
      button.addEventListener("click", function () {
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
        send(reply.payload, reply.title);
      });
      group.appendChild(button);
    });
    if (group.childNodes.length) { item.appendChild(group); }
  }

  var HANDOFF = {
    queued: function (h) {
      var words = "Waiting for a person to join the chat.";
      if (Number.isInteger(h.position) && h.position > 0) { words += " You are number " + h.position + " in the queue."; }
      if (typeof h.wait_minutes === "number" && h.wait_minutes >= 0) {
        var minutes = Math.round(h.wait_minutes);
        words += minutes < 1 ? " It should not be long." : " The wait is about " + minutes + (minutes === 1 ? " minute." : " minutes.");
      }
      return words;
    },
    connected: function () { return "You are talking to a person now."; },
    ended: function () { return "The person has left the chat. You are back with the assistant."; },
    unavailable: function (h) {
      var reasons = { out_of_hours: " It is outside our opening hours.", no_staff: " Everyone is busy." };
      return "Nobody is available to chat right now." + (reasons[h.reason] || "");
    }
  };

  function showHandoff(handoff) {
    if (!handoff || typeof handoff !== "object" || !HANDOFF.hasOwnProperty(handoff.status)) { return; }
    handoffStatus = handoff.status;
    var words = HANDOFF[handoff.status](handoff);
    body.setAttribute("data-handoff", handoff.status);
    banner.className = "handoff-banner " + handoff.status;
    banner.textContent = words;  // role="status": read out; the bot's own message says it in the log
    banner.hidden = false;
  }

  function onBotMessage(data) {
    if (exiting || !data || typeof data !== "object") { return; }
    if (typeof data.text === "string" && data.text.trim()) {
      var who = handoffStatus === "connected" ? "person" : "bot";
      var item = addMessage(who, data.text, { rich: true });
      var replies = Array.isArray(data.quick_replies) ? data.quick_replies : Array.isArray(data.buttons) ? data.buttons : [];
      addQuickReplies(item, replies);
    }
    if (data.handoff) { showHandoff(data.handoff); }
  }

  /* ---------- the socket ---------- */

  var confirmed = false;
  var pending = [];

  function setConnection(text, state) {
    connection.textContent = text;
    connection.setAttribute("data-state", state);
  }

  function send(message, shown) {
    message = String(message || "").trim().slice(0, MAX_MESSAGE);
    if (!message || exiting) { return; }
    addMessage("user", shown || message);
    if (socket && confirmed) {
      socket.emit("user_uttered", { message: message, session_id: sessionId() });
    } else {
      pending.push(message);
    }
  }

  function connect() {
    if (typeof window.io !== "function" || !RASA_URL) {
      setConnection("The chat can't start in this browser. The phone numbers above still work.", "failed");
      return;
    }
    socket = window.io(RASA_URL, { path: "/socket.io", transports: ["websocket", "polling"], withCredentials: false });
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: sessionId() });
    });
    socket.on("session_confirm", function () {
      confirmed = true;
      setConnection("Connected.", "connected");
      var queued = pending;
      pending = [];
      queued.forEach(function (message) {
        socket.emit("user_uttered", { message: message, session_id: sessionId() });
      });
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      confirmed = false;
      if (!exiting) { setConnection("Connection lost. Trying again...", "reconnecting"); }
    });
    socket.on("connect_error", function () {
      setConnection("Can't reach the chat right now. Trying again... The phone numbers above still work.", "failed");
    });
  }

  /* ---------- start ---------- */

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
    input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  form.hidden = false;
  setConnection("Connecting...", "connecting");

  fetch("/catalogue.json", { credentials: "omit", cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .catch(function () { return {}; })
    .then(function (catalogue) { setCatalogue(catalogue || {}); connect(); });
}());

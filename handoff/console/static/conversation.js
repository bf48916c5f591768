"use strict";
(function () {
  const C = window.Console;
  const root = document.getElementById("conversation");
  const id = root.dataset.id;
  const base = "/api/conversations/" + encodeURIComponent(id);
  const list = document.getElementById("transcript");
  const notice = document.getElementById("notice");
  const claimButton = document.getElementById("claim");
  const endButton = document.getElementById("end");
  const form = document.getElementById("reply");
  const text = document.getElementById("text");
  const statusText = document.getElementById("status");
  const seen = new Set();
  const who = {user: "User", bot: "Assistant", staff: "Staff"};

  function say(message) { notice.textContent = message; notice.hidden = !message; }

  function setStatus(status) {
    statusText.textContent = status;
    claimButton.hidden = status !== "waiting";
    endButton.hidden = status !== "claimed";
    form.hidden = status !== "claimed";
    if (status === "taken") say("Another member of staff is with this person now.");
    if (status === "ended") { say("This handoff has ended. The assistant is answering again."); }
  }

  function add(message) {
    if (seen.has(message.index)) return;
    seen.add(message.index);
    const item = C.el("li", null, "msg from-" + message.from);
    item.appendChild(C.el("span", who[message.from] || message.from, "who"));
    item.appendChild(C.el("span", message.text || ("[" + (message.handoff || "payload") + "]"), "text"));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  let source = null;
  function listen() {
    if (source) source.close();
    source = new EventSource(base + "/stream");
    source.addEventListener("message", function (event) { add(JSON.parse(event.data)); });
    source.addEventListener("status", function (event) {
      const status = JSON.parse(event.data).status;
      setStatus(status);
      if (status === "ended" || status === "taken") source.close();
    });
    source.addEventListener("problem", function () { say("The assistant cannot be reached just now. Retrying…"); });
  }

  claimButton.addEventListener("click", async function () {
    const result = await C.post(base + "/claim");
    if (result.ok) { say(""); setStatus("claimed"); text.focus(); }
    else { say(result.data.error || "Could not claim."); }
  });

  endButton.addEventListener("click", async function () {
    const result = await C.post(base + "/end");
    if (result.ok) { if (source) source.close(); setStatus("ended"); } else { say(result.data.error || "Could not end."); }
  });

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    const result = await C.post(base + "/messages", {text: value});
    if (result.ok) { text.value = ""; say(""); } else { say(result.data.error || "Not sent."); }
  });

  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  setStatus(root.dataset.status);
  listen();
})();

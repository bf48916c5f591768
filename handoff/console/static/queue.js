"use strict";
(function () {
  const C = window.Console;
  const live = document.getElementById("live");
  const available = document.getElementById("available");

  function row(cells, link, label) {
    const tr = document.createElement("tr");
    cells.forEach(function (cell) { tr.appendChild(C.el("td", cell)); });
    const td = document.createElement("td");
    const a = C.el("a", label);
    a.href = "/conversations/" + encodeURIComponent(link);
    td.appendChild(a);
    tr.appendChild(td);
    return tr;
  }

  function render(snapshot) {
    const waiting = document.querySelector("#waiting tbody");
    const mine = document.querySelector("#mine tbody");
    waiting.replaceChildren();
    mine.replaceChildren();
    snapshot.waiting.forEach(function (e) {
      const tr = row([e.position, e.risk, C.minutes(e.waiting_seconds), e.audience || "?", e.topic || "?", e.channel],
                     e.conversation_id, "Open");
      tr.className = "risk-" + e.risk;
      tr.dataset.conversation = e.conversation_id;
      waiting.appendChild(tr);
    });
    snapshot.mine.forEach(function (e) {
      const tr = row([e.conversation_id, e.risk, e.audience || "?", e.topic || "?"], e.conversation_id, "Continue");
      tr.dataset.conversation = e.conversation_id;
      mine.appendChild(tr);
    });
    document.getElementById("waiting-empty").hidden = snapshot.waiting.length > 0;
    document.getElementById("mine-empty").hidden = snapshot.mine.length > 0;
    available.checked = !!snapshot.available;
  }

  const source = new EventSource("/api/queue/stream");
  source.addEventListener("queue", function (event) {
    live.textContent = "live";
    render(JSON.parse(event.data));
  });
  source.onerror = function () { live.textContent = "reconnecting…"; };

  available.addEventListener("change", async function () {
    const result = await C.post("/api/availability", {available: available.checked});
    if (!result.ok) { available.checked = !available.checked; }
  });
})();

"use strict";
// Shared helpers for the console pages. Text is always set with textContent (never innerHTML).
window.Console = (function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json"},
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (response.status === 401) { window.location.assign("/login"); }
    return {ok: response.ok, status: response.status, data: data};
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function minutes(seconds) {
    const m = Math.floor(seconds / 60);
    return m < 1 ? "under a minute" : (m === 1 ? "1 minute" : m + " minutes");
  }

  return {post: post, el: el, minutes: minutes};
})();

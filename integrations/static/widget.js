// Web chat widget: talks to the hub's REST channel. Text is always inserted as text,
// never as HTML, so nothing a customer or the bot writes can run in the page.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("input");
  const send = document.getElementById("send");
  const key = "powerdesk-sender";
  let sender = localStorage.getItem(key);
  if (!sender) {
    sender = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
    localStorage.setItem(key, sender);
  }

  function add(author, text, buttons) {
    const item = document.createElement("li");
    item.className = "msg msg--" + author;
    item.textContent = text;
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      buttons.forEach(function (b) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = b.title;
        btn.addEventListener("click", function () { say(b.payload, b.title); });
        row.appendChild(btn);
      });
      item.appendChild(row);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  async function say(message, shown) {
    add("customer", shown || message);
    send.disabled = true;
    try {
      const res = await fetch("/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message, metadata: { channel: "web" } }),
      });
      const replies = res.ok ? await res.json() : [];
      if (!res.ok) add("system", "消息发送失败，请稍后再试。");
      replies.forEach(function (r) {
        if (r.text || (r.buttons && r.buttons.length)) add("bot", r.text || "", r.buttons);
      });
    } catch (e) {
      add("system", "网络异常，请检查网络后重试。");
    } finally {
      send.disabled = false;
      input.focus();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text);
  });
  add("bot", "您好，我是示例省电力公司智能客服，可以帮您查电费、查余额、报停电、办业务。请问有什么可以帮您？");
})();

/*
 * 示例省电力公司 在线客服 — embeddable web chat widget (plain JS, no build step).
 *
 *   <script src="/static/widget.js" data-hub="" data-open="true" defer></script>
 *
 * data-hub  the conversation hub's base URL ("" = the page's own origin)
 * data-open "true": the chat panel is open from the start
 *
 * Contract: docs/hub_api.md. Everything a customer, the bot or an agent wrote is inserted
 * with textContent, never as HTML. The conversation is rendered from the hub's message
 * stream (WS /ws/chat, or GET /api/chat/messages when the socket is down), deduplicated
 * by message id, so a reload restores it.
 */
(function () {
  "use strict";

  if (window.__powerdeskWidget) return;
  window.__powerdeskWidget = true;

  // ---------------------------------------------------------------- configuration
  var script = document.currentScript || (function () {
    var all = document.querySelectorAll('script[src*="widget.js"]');
    return all[all.length - 1] || null;
  })();
  var scriptSrc = (script && script.src) || location.href;
  var hubAttr = ((script && script.getAttribute("data-hub")) || "").trim();
  var openAttr = ((script && script.getAttribute("data-open")) || "").trim().toLowerCase();

  var HUB = hubAttr ? new URL(hubAttr, location.href).href.replace(/\/+$/, "") : "";
  var WS_URL = (function () {
    var u = new URL((HUB || location.origin) + "/ws/chat");
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    return u.href;
  })();
  var CSS_URL = new URL("widget.css", scriptSrc).href;
  var CHART_URL = new URL("vendor/chart.umd.min.js", scriptSrc).href;
  var STORE_KEY = "powerdesk-chat" + (HUB ? ":" + HUB : "");
  var RATED_KEY = STORE_KEY + ":rated";
  var POLL_MS = 3000;
  var TEAL = "#00706b";

  var T = {
    company: "示例省电力公司",
    title: "在线客服",
    subtitle: "查电费 · 停电报修 · 业务办理 · 7×24小时",
    greeting: "您好，我是示例省电力公司智能客服，可以帮您查电费、查余额、报停电、办业务。请问有什么可以帮您？",
    placeholder: "请输入您的问题，例如：上个月电费多少",
    inputLabel: "输入消息",
    send: "发送",
    sendLabel: "发送消息",
    open: "打开在线客服",
    close: "收起在线客服",
    logLabel: "对话记录",
    footer: "紧急情况请拨打 95598",
    typing: "客服正在输入",
    network: "网络异常，请检查网络后重试。",
    failed: "消息发送失败，请稍后再试。",
    rateLimited: "您发送得太快了，请稍等几秒再发。",
    renewed: "会话已过期，已为您开始新的会话。",
    queuedAhead: function (n) { return "排队中：您前面还有" + n + "位"; },
    queuedEta: function (m) { return "，预计等待约" + m + "分钟"; },
    queuedNext: "马上为您接入人工客服",
    queuedUnknown: "排队中，请稍候",
    agentServing: function (name) { return name ? "人工客服 " + name + " 正在为您服务" : "人工客服正在为您服务"; },
    agentDefault: "人工客服",
    period: "账期",
    kwh: "用电量",
    amount: "电费",
    due: "缴费截止",
    account: "户号",
    paid: "已缴清",
    unpaid: "未缴",
    kwhUnit: "度",
    chartDataset: "用电量",
    chartFallback: "图表加载失败。",
    stars: "服务评分",
    star: function (n) { return n + "星"; },
    starNames: ["非常不满意", "不满意", "一般", "满意", "非常满意"],
    comment: "还有什么想对我们说的？（选填）",
    commentLabel: "评价内容（选填）",
    submitRating: "提交评价",
    thanks: "感谢您的评价！",
    ratingClosed: "本次评价已结束。",
    ratingFailed: "评价提交失败，请稍后再试。",
    unread: function (n) { return "有" + n + "条新消息"; }
  };

  // ---------------------------------------------------------------- small helpers
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(paths, size) {
    var ns = "http://www.w3.org/2000/svg";
    var s = document.createElementNS(ns, "svg");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("width", size || 26);
    s.setAttribute("height", size || 26);
    s.setAttribute("aria-hidden", "true");
    s.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var p = document.createElementNS(ns, "path");
      p.setAttribute("d", d);
      p.setAttribute("fill", "currentColor");
      s.appendChild(p);
    });
    return s;
  }
  var ICON_CHAT = ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"];
  var ICON_CLOSE = ["M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z"];

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* private mode: the conversation just does not survive a reload */ }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d.getTime())) return "";
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // ---------------------------------------------------------------- DOM
  function injectStylesheet() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].href === CSS_URL) return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = CSS_URL;
    document.head.appendChild(link);
  }

  var root, launcher, launcherBadge, panel, statusBar, statusText, log, form, input, sendButton;

  function buildDom() {
    root = el("div", "pd-widget");
    root.setAttribute("data-state", "loading");

    panel = el("section", "pd-panel chat");
    panel.id = "pd-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", T.company + " " + T.title);

    var header = el("header", "chat__header");
    var heading = el("div", "chat__heading");
    heading.appendChild(el("strong", "chat__title", T.company + " " + T.title));
    heading.appendChild(el("span", "chat__subtitle", T.subtitle));
    header.appendChild(heading);
    var closeButton = el("button", "chat__close");
    closeButton.type = "button";
    closeButton.setAttribute("aria-label", T.close);
    closeButton.title = T.close;
    closeButton.appendChild(svg(ICON_CLOSE, 20));
    closeButton.addEventListener("click", function () { setOpen(false, true); });
    header.appendChild(closeButton);
    panel.appendChild(header);

    statusBar = el("div", "chat__status");
    statusBar.id = "pd-status";
    statusBar.setAttribute("role", "status");
    statusBar.hidden = true;
    statusText = el("span", "chat__status-text");
    statusBar.appendChild(statusText);
    panel.appendChild(statusBar);

    log = el("ol", "chat__log");
    log.id = "pd-log";
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    log.setAttribute("aria-label", T.logLabel);
    log.tabIndex = 0;
    panel.appendChild(log);

    form = el("form", "chat__form");
    form.id = "pd-form";
    form.setAttribute("autocomplete", "off");
    input = el("input", "chat__input");
    input.id = "input";
    input.name = "message";
    input.type = "text";
    input.maxLength = 2000;
    input.placeholder = T.placeholder;
    input.setAttribute("aria-label", T.inputLabel);
    input.setAttribute("enterkeyhint", "send");
    sendButton = el("button", "chat__send", T.send);
    sendButton.id = "send";
    sendButton.type = "submit";
    sendButton.setAttribute("aria-label", T.sendLabel);
    form.appendChild(input);
    form.appendChild(sendButton);
    panel.appendChild(form);
    panel.appendChild(el("footer", "chat__footer", T.footer));

    launcher = el("button", "pd-launcher");
    launcher.id = "pd-launcher";
    launcher.type = "button";
    launcher.setAttribute("aria-controls", "pd-panel");
    var iconOpen = el("span", "pd-launcher__icon pd-launcher__icon--chat");
    iconOpen.appendChild(svg(ICON_CHAT, 28));
    var iconClose = el("span", "pd-launcher__icon pd-launcher__icon--close");
    iconClose.appendChild(svg(ICON_CLOSE, 24));
    launcherBadge = el("span", "pd-launcher__badge");
    launcherBadge.hidden = true;
    launcher.appendChild(iconOpen);
    launcher.appendChild(iconClose);
    launcher.appendChild(launcherBadge);
    launcher.addEventListener("click", function () { setOpen(!isOpen, true); });

    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || busy) return;
      input.value = "";
      send(text, text, true);
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { setOpen(false, true); launcher.focus(); }
    });
  }

  // ---------------------------------------------------------------- open / close, mobile layout
  var isOpen = false;
  var unread = 0;
  var mobileQuery = window.matchMedia ? window.matchMedia("(max-width: 599.98px)") : null;

  function setOpen(open, byUser) {
    isOpen = !!open;
    root.classList.toggle("pd-widget--open", isOpen);
    launcher.setAttribute("aria-expanded", isOpen ? "true" : "false");
    launcher.setAttribute("aria-label", isOpen ? T.close : T.open);
    launcher.title = isOpen ? T.close : T.open;
    try { window.sessionStorage.setItem(STORE_KEY + ":open", isOpen ? "1" : "0"); } catch (e) { /* ignore */ }
    if (isOpen) {
      unread = 0;
      updateBadge();
      ensureStarted();
      scrollToEnd(true);
      if (byUser) setTimeout(function () { input.focus(); }, 0);
    }
    fitViewport();
  }

  function updateBadge() {
    launcherBadge.hidden = unread === 0;
    launcherBadge.textContent = unread > 9 ? "9+" : String(unread);
    launcher.setAttribute("aria-label", isOpen ? T.close : (unread ? T.open + "（" + T.unread(unread) + "）" : T.open));
  }

  // Full-screen on phones: follow the visual viewport so the keyboard never hides the input.
  function fitViewport() {
    var mobile = mobileQuery ? mobileQuery.matches : window.innerWidth < 600;
    var vv = window.visualViewport;
    var lock = isOpen && mobile;
    document.documentElement.classList.toggle("pd-widget-lock", lock);
    if (lock && vv) {
      panel.style.height = vv.height + "px";
      panel.style.top = vv.offsetTop + "px";
      launcher.style.top = (vv.offsetTop + 10) + "px";
    } else {
      panel.style.height = "";
      panel.style.top = "";
      launcher.style.top = "";
    }
  }

  // ---------------------------------------------------------------- rows in the log
  // Every row has a numeric sort key: the greeting -1, a hub message its id, a local notice
  // the last id seen + 0.5. Pending echoes of the customer's text and the typing indicator
  // are "tail" rows that always stay at the bottom.
  function insertRow(row, key) {
    row.setAttribute("data-key", String(key));
    var before = null;
    var rows = log.children;
    for (var i = rows.length - 1; i >= 0; i--) {
      var r = rows[i];
      if (r.classList.contains("is-tail") || parseFloat(r.getAttribute("data-key")) > key) before = r;
      else break;
    }
    var nearEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    log.insertBefore(row, before);
    scrollToEnd(nearEnd);
  }

  function appendTail(row) {
    row.classList.add("is-tail");
    log.appendChild(row);
    scrollToEnd(true);
  }

  function scrollToEnd(force) {
    if (force) log.scrollTop = log.scrollHeight;
  }

  function notice(text) {
    var row = el("li", "chat__row chat__row--system chat__row--local");
    row.appendChild(el("div", "msg msg--system msg--local", text));
    insertRow(row, lastId + 0.5);
    return row;
  }

  function greet() {
    var row = el("li", "chat__row chat__row--bot chat__row--greeting");
    var bubble = el("div", "msg msg--bot");
    bubble.appendChild(el("div", "msg__text", T.greeting));
    row.appendChild(bubble);
    row.appendChild(el("time", "msg__time", hhmm()));
    insertRow(row, -1);
  }

  // ---------------------------------------------------------------- state
  var session = null;           // {sender, token}
  var sessionPromise = null;
  var lastId = 0;
  var seen = Object.create(null);
  var payloadTitles = Object.create(null);  // quick-reply payload -> title shown for it
  var csatForms = [];           // {id, row, done}
  var rated = loadRated();
  var busy = false;
  var historyLoaded = false;
  var received = 0;            // hub messages taken in so far   // messages fetched after the first load count as new (unread badge)

  function loadSession() {
    try {
      var s = JSON.parse(storageGet(STORE_KEY) || "null");
      if (s && typeof s.sender === "string" && typeof s.token === "string") return s;
    } catch (e) { /* ignore */ }
    return null;
  }
  function saveSession(s) {
    session = s;
    storageSet(STORE_KEY, s ? JSON.stringify({ sender: s.sender, token: s.token }) : null);
  }
  function loadRated() {
    try { return JSON.parse(storageGet(RATED_KEY) || "[]") || []; } catch (e) { return []; }
  }
  function rememberRated(id) {
    if (rated.indexOf(id) < 0) rated.push(id);
    storageSet(RATED_KEY, JSON.stringify(rated.slice(-20)));
  }

  // ---------------------------------------------------------------- HTTP
  function api(path, options) {
    options = options || {};
    var headers = { "Accept": "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    var token = options.token !== undefined ? options.token : (session && session.token);
    if (token) headers["Authorization"] = "Bearer " + token;
    return fetch(HUB + path, {
      method: options.method || "GET",
      headers: headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      credentials: HUB ? "omit" : "same-origin",
      cache: "no-store"
    });
  }

  function readJson(res) {
    return res.json().catch(function () { return null; });
  }

  function HttpError(status, body) {
    this.status = status;
    this.body = body;
    this.message = (body && body.message) || ("HTTP " + status);
  }

  // ---------------------------------------------------------------- session
  function createSession() {
    return api("/api/chat/sessions", { method: "POST", body: {}, token: null }).then(function (res) {
      return readJson(res).then(function (body) {
        if (!res.ok || !body || !body.token) throw new HttpError(res.status, body);
        saveSession({ sender: body.sender, token: body.token });
        return session;
      });
    });
  }

  function resumeOrCreate() {
    var stored = session || loadSession();
    if (!stored) return createSession();
    return api("/api/chat/sessions", { method: "POST", body: { sender: stored.sender }, token: stored.token })
      .then(function (res) {
        return readJson(res).then(function (body) {
          if (res.ok && body && body.token) {
            saveSession({ sender: body.sender || stored.sender, token: body.token });
            return session;
          }
          if (res.status === 401 || res.status === 403 || res.status === 404) {
            saveSession(null);
            return createSession();
          }
          throw new HttpError(res.status, body);
        });
      });
  }

  function ensureSession() {
    if (!sessionPromise) {
      sessionPromise = resumeOrCreate().catch(function (err) {
        sessionPromise = null;
        throw err;
      });
    }
    return sessionPromise;
  }

  // The hub refused our token: start a new conversation (the old one cannot be read any more).
  var renewing = null;
  function renewSession() {
    if (renewing) return renewing;
    var hadConversation = lastId > 0;
    saveSession(null);
    resetConversation();
    closeSocket();
    sessionPromise = renewing = createSession().then(function (s) {
      if (hadConversation) notice(T.renewed);
      connectSocket();
      return s;
    }).finally(function () { renewing = null; });
    sessionPromise.catch(function () { sessionPromise = null; });
    return renewing;
  }

  function resetConversation() {
    var rows = Array.prototype.slice.call(log.children);
    rows.forEach(function (r) {
      if (!r.classList.contains("is-tail") && !r.classList.contains("chat__row--greeting")) r.remove();
    });
    lastId = 0;
    historyLoaded = false;
    seen = Object.create(null);
    csatForms = [];
    setStatus({ state: "bot" });
  }

  // ---------------------------------------------------------------- fetching messages
  var fetching = null;
  var fetchAgain = false;

  function fetchNew() {
    if (fetching) { fetchAgain = true; return fetching; }
    fetching = (function loop() {
      fetchAgain = false;
      return fetchOnce().then(function () { if (fetchAgain) return loop(); });
    })().finally(function () { fetching = null; });
    return fetching;
  }

  function fetchOnce(retried) {
    return ensureSession().then(function () {
      var after = lastId;
      return api("/api/chat/messages?after=" + after).then(function (res) {
        if (res.status === 401 && !retried) {
          return renewSession().then(function () { return fetchOnce(true); });
        }
        return readJson(res).then(function (body) {
          if (!res.ok || !body) throw new HttpError(res.status, body);
          var known = after;
          (body.messages || []).forEach(function (m) {
            if (m && typeof m.id === "number" && m.id > known) known = m.id;
            addMessage(m, historyLoaded);
          });
          historyLoaded = true;
          if (body.state) {
            setStatus({ state: body.state, position: body.queue_position, eta_s: body.eta_s, agent_name: body.agent_name });
          }
          if (typeof body.csat_pending === "boolean") applyCsatPending(body.csat_pending, known);
        });
      });
    });
  }

  // ---------------------------------------------------------------- websocket + polling fallback
  var ws = null;
  var wsOpen = false;
  var wsFailures = 0;
  var wsTimer = null;
  var pollTimer = null;
  var hasWebSocket = typeof window.WebSocket === "function";

  function connectSocket() {
    clearTimeout(wsTimer);
    wsTimer = null;
    if (!session) return;
    if (!hasWebSocket) { startPolling(); return; }
    if (ws) return;
    var sock;
    try {
      sock = new WebSocket(WS_URL + "?token=" + encodeURIComponent(session.token));
    } catch (e) {
      socketDown(0);
      return;
    }
    ws = sock;
    sock.onopen = function () {
      if (ws !== sock) return;
      wsOpen = true;
      wsFailures = 0;
      stopPolling();
      fetchNew().catch(function () { /* the next push or poll fills the gap */ });
    };
    sock.onmessage = function (event) {
      if (ws !== sock) return;
      var m;
      try { m = JSON.parse(event.data); } catch (e) { return; }
      if (m && typeof m.id === "number") addMessage(m, true);
    };
    sock.onclose = function (event) {
      if (ws !== sock) return;
      ws = null;
      wsOpen = false;
      socketDown(event.code);
    };
  }

  function socketDown(code) {
    wsFailures += 1;
    startPolling();
    if (code === 4401) {
      // Bad token: a fresh session, unless that keeps happening.
      if (wsFailures <= 2) { renewSession().catch(function () { scheduleReconnect(); }); return; }
    }
    scheduleReconnect();
  }

  function scheduleReconnect() {
    clearTimeout(wsTimer);
    var delay = Math.min(30000, 1000 * Math.pow(2, Math.max(0, wsFailures - 1)));
    delay += Math.floor(Math.random() * 500);
    wsTimer = setTimeout(connectSocket, delay);
  }

  function closeSocket() {
    var sock = ws;
    ws = null;
    wsOpen = false;
    if (sock) { try { sock.close(1000); } catch (e) { /* ignore */ } }
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(function () {
      if (wsOpen) { stopPolling(); return; }
      fetchNew().catch(function () { /* try again next tick */ });
    }, POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  // ---------------------------------------------------------------- start-up
  var started = false;
  var startPromise = null;

  function ensureStarted() {
    if (started) return;
    started = true;
    boot(true);
  }

  function boot(first) {
    startPromise = ensureSession()
      .then(function () { return fetchNew(); })
      .then(function () { root.setAttribute("data-state", "ready"); connectSocket(); })
      .catch(function () {
        if (first) notice(T.network);
        root.setAttribute("data-state", "offline");
        setTimeout(function () { boot(false); }, 5000);
      });
    return startPromise;
  }

  // ---------------------------------------------------------------- rendering messages
  var AUTHORS = { customer: 1, bot: 1, agent: 1, system: 1 };
  var CUSTOM_TYPES = { bill_card: 1, usage_chart: 1, status: 1, csat: 1 };

  function addMessage(m, live) {
    if (!m || typeof m.id !== "number" || seen[m.id]) return;
    seen[m.id] = true;
    received += 1;
    if (m.id > lastId) lastId = m.id;

    var author = AUTHORS[m.author] ? m.author : "system";
    var text = typeof m.text === "string" ? m.text : "";
    var buttons = Array.isArray(m.buttons) ? m.buttons.filter(function (b) { return b && (b.title || b.payload); }) : [];
    var custom = m.custom && typeof m.custom === "object" ? m.custom : null;
    var type = custom ? custom.type : null;

    buttons.forEach(function (b) { if (b.payload && b.title) payloadTitles[b.payload] = b.title; });
    if (author === "customer") settlePending(text);
    if (type === "status") setStatus(custom);

    var known = type && CUSTOM_TYPES[type];
    if (!known && !text.trim() && !buttons.length) return;  // unknown custom and nothing to say

    var row = el("li", "chat__row chat__row--" + author);
    row.setAttribute("data-id", String(m.id));
    if (author === "agent") row.appendChild(el("div", "msg__name", m.agent_name || T.agentDefault));

    var bubble = el("div", "msg msg--" + author);
    if (type === "bill_card" && author !== "customer") {
      bubble.classList.add("msg--card");
      bubble.appendChild(billCard(custom));
    } else if (type === "usage_chart" && author !== "customer") {
      bubble.classList.add("msg--chart");
      bubble.appendChild(usageChart(custom, text));
    } else {
      var shown = author === "customer" && payloadTitles[text] ? payloadTitles[text] : text;
      if (shown) bubble.appendChild(el("div", "msg__text", shown));
    }
    if (buttons.length) bubble.appendChild(chips(buttons));
    if (bubble.childNodes.length) row.appendChild(bubble);

    if (type === "csat") row.appendChild(csatForm(m.id));
    if (author !== "system") {
      var time = el("time", "msg__time", hhmm(m.created_at));
      if (m.created_at) time.setAttribute("datetime", m.created_at);
      row.appendChild(time);
    }
    insertRow(row, m.id);

    if (type === "usage_chart") drawChart(row);
    if (type === "csat") registerCsat(m.id, row);
    if (live && !isOpen && author !== "customer") { unread += 1; updateBadge(); }
  }

  function chips(buttons) {
    var box = el("div", "chips");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "快捷回复");
    buttons.forEach(function (b) {
      var title = b.title || b.payload;
      var chip = el("button", "chip", title);
      chip.type = "button";
      chip.addEventListener("click", function () {
        if (b.payload) payloadTitles[b.payload] = title;
        send(b.payload || title, title, false);
      });
      box.appendChild(chip);
    });
    return box;
  }

  // ---- bill card
  function billCard(c) {
    var card = el("div", "bill-card");
    var head = el("div", "bill-card__head");
    head.appendChild(el("span", "bill-card__label", T.period));
    head.appendChild(el("span", "bill-card__period", c.period_label || c.period || "—"));
    var badge = el("span", "bill-card__badge " + (c.paid ? "bill-card__badge--paid" : "bill-card__badge--unpaid"),
      c.paid ? T.paid : T.unpaid);
    head.appendChild(badge);
    card.appendChild(head);

    var list = el("dl", "bill-card__rows");
    function row(label, value, cls) {
      var line = el("div", "bill-card__row " + cls);
      line.appendChild(el("dt", null, label));
      line.appendChild(el("dd", null, value));
      list.appendChild(line);
    }
    var has = function (v) { return v !== undefined && v !== null && v !== ""; };
    row(T.kwh, has(c.kwh) ? c.kwh + " " + T.kwhUnit : "—", "bill-card__kwh");
    row(T.amount, has(c.amount) ? "¥" + c.amount : "—", "bill-card__amount");
    row(T.due, has(c.due_date) ? c.due_date : "—", "bill-card__due");
    if (has(c.account)) row(T.account, c.account, "bill-card__account");
    card.appendChild(list);
    return card;
  }

  // ---- usage chart (Chart.js, loaded the first time a chart arrives)
  var chartLoader = null;
  function loadChartJs() {
    if (window.Chart) return Promise.resolve(window.Chart);
    if (!chartLoader) {
      chartLoader = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = CHART_URL;
        tag.async = true;
        tag.onload = function () { window.Chart ? resolve(window.Chart) : reject(new Error("no Chart")); };
        tag.onerror = function () { chartLoader = null; reject(new Error("Chart.js did not load")); };
        document.head.appendChild(tag);
      });
    }
    return chartLoader;
  }

  function monthLabels(points) {
    var years = {};
    points.forEach(function (p) { years[String(p.label).slice(0, 4)] = 1; });
    var oneYear = Object.keys(years).length <= 1;
    return points.map(function (p) {
      var m = /^(\d{4})-(\d{1,2})$/.exec(String(p.label));
      if (!m) return String(p.label);
      return oneYear ? parseInt(m[2], 10) + "月" : m[1] + "年" + parseInt(m[2], 10) + "月";
    });
  }

  function usageChart(c, text) {
    var fig = el("figure", "usage-chart");
    fig.appendChild(el("figcaption", "usage-chart__title", c.title || T.chartDataset));
    var box = el("div", "usage-chart__canvas");
    var canvas = el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", text || c.title || T.chartDataset);
    box.appendChild(canvas);
    fig.appendChild(box);
    fig._chartData = c;
    fig._chartText = text;
    return fig;
  }

  function drawChart(row) {
    var fig = row.querySelector(".usage-chart");
    if (!fig) return;
    var c = fig._chartData || {};
    var points = Array.isArray(c.points) ? c.points : [];
    var unit = c.unit || T.kwhUnit;
    loadChartJs().then(function (Chart) {
      Chart.defaults.font.family = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
      var canvas = fig.querySelector("canvas");
      var chart = new Chart(canvas, {
        type: "bar",
        data: {
          labels: monthLabels(points),
          datasets: [{
            label: T.chartDataset + "（" + unit + "）",
            data: points.map(function (p) { return Number(p.kwh) || 0; }),
            backgroundColor: TEAL,
            hoverBackgroundColor: "#00524e",
            borderRadius: 3,
            maxBarThickness: 28
          }]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: function (items) {
                  var p = points[items[0].dataIndex];
                  var m = p && /^(\d{4})-(\d{1,2})$/.exec(String(p.label));
                  return m ? m[1] + "年" + parseInt(m[2], 10) + "月" : items[0].label;
                },
                label: function (item) { return T.chartDataset + "：" + item.parsed.y + " " + unit; }
              }
            }
          },
          scales: {
            x: { grid: { display: false }, ticks: { font: { size: 11 } } },
            y: { beginAtZero: true, ticks: { font: { size: 11 } }, title: { display: true, text: unit, font: { size: 11 } } }
          }
        }
      });
      fig.classList.add("usage-chart--ready");
      canvas._chart = chart;
    }).catch(function () {
      fig.classList.add("usage-chart--failed");
      fig.appendChild(el("p", "usage-chart__fallback", fig._chartText || T.chartFallback));
    });
  }

  // ---- status bar
  function setStatus(s) {
    var state = s && s.state;
    var text = "";
    if (state === "queued") {
      var pos = typeof s.position === "number" ? s.position : null;
      if (pos !== null && pos <= 1) {
        text = T.queuedNext;
      } else {
        text = pos !== null ? T.queuedAhead(pos - 1) : T.queuedUnknown;
        if (typeof s.eta_s === "number" && s.eta_s > 0) text += T.queuedEta(Math.max(1, Math.ceil(s.eta_s / 60)));
      }
    } else if (state === "agent") {
      text = T.agentServing(s.agent_name);
    } else if (state !== "bot" && state !== "closed") {
      return;  // an unknown state changes nothing
    }
    statusBar.className = "chat__status" + (text ? " chat__status--" + state : "");
    statusText.textContent = text;
    statusBar.hidden = !text;
    root.setAttribute("data-conversation", state);
  }

  // ---- CSAT
  function csatForm(id) {
    var box = el("div", "csat");
    box.setAttribute("data-csat-id", String(id));
    var stars = el("div", "csat__stars");
    stars.setAttribute("role", "radiogroup");
    stars.setAttribute("aria-label", T.stars);
    var score = 0;
    var starButtons = [];
    function paint(upTo, cls) {
      starButtons.forEach(function (b, i) { b.classList.toggle(cls, i < upTo); });
    }
    for (var n = 1; n <= 5; n++) {
      (function (value) {
        var star = el("button", "csat__star", "★");
        star.type = "button";
        star.setAttribute("role", "radio");
        star.setAttribute("aria-checked", "false");
        star.setAttribute("aria-label", T.star(value) + "，" + T.starNames[value - 1]);
        star.title = T.starNames[value - 1];
        star.setAttribute("data-score", String(value));
        star.addEventListener("click", function () {
          score = value;
          paint(score, "is-on");
          starButtons.forEach(function (b, i) { b.setAttribute("aria-checked", i + 1 === score ? "true" : "false"); });
          submit.disabled = false;
          hint.textContent = T.starNames[value - 1];
        });
        star.addEventListener("mouseenter", function () { paint(value, "is-hover"); });
        star.addEventListener("mouseleave", function () { paint(0, "is-hover"); });
        starButtons.push(star);
        stars.appendChild(star);
      })(n);
    }
    box.appendChild(stars);
    var hint = el("div", "csat__hint");
    box.appendChild(hint);
    var comment = el("textarea", "csat__comment");
    comment.rows = 2;
    comment.maxLength = 500;
    comment.placeholder = T.comment;
    comment.setAttribute("aria-label", T.commentLabel);
    box.appendChild(comment);
    var submit = el("button", "csat__submit", T.submitRating);
    submit.type = "button";
    submit.disabled = true;
    box.appendChild(submit);
    var error = el("div", "csat__error");
    error.setAttribute("role", "alert");
    box.appendChild(error);

    submit.addEventListener("click", function () {
      if (!score) return;
      submit.disabled = true;
      error.textContent = "";
      var body = { score: score };
      var note = comment.value.trim();
      if (note) body.comment = note;
      ensureSession().then(function () {
        return api("/api/chat/rating", { method: "POST", body: body });
      }).then(function (res) {
        return readJson(res).then(function (data) {
          if (res.ok) {
            rememberRated(id);
            finishCsat(id, T.thanks);
          } else if (res.status === 409) {
            finishCsat(id, (data && data.message) || T.ratingClosed);
          } else {
            error.textContent = (data && data.message) || T.ratingFailed;
            submit.disabled = false;
          }
        });
      }).catch(function () {
        error.textContent = T.network;
        submit.disabled = false;
      });
    });
    return box;
  }

  function registerCsat(id, row) {
    csatForms.push({ id: id, row: row, done: false });
    csatForms.sort(function (a, b) { return a.id - b.id; });
    if (rated.indexOf(id) >= 0) { finishCsat(id, T.thanks); return; }
    // Only the newest request for a rating can still be answered.
    csatForms.forEach(function (f) { if (f.id < id && !f.done) finishCsat(f.id, null); });
  }

  function finishCsat(id, text) {
    csatForms.forEach(function (f) {
      if (f.id !== id || f.done) return;
      f.done = true;
      var box = f.row.querySelector(".csat");
      if (!box) return;
      var done = el("p", "csat__done", text || (rated.indexOf(id) >= 0 ? T.thanks : T.ratingClosed));
      box.replaceChildren(done);
      box.classList.add("csat--done");
    });
  }

  // csat_pending false: every rating form the server knew of when it answered is over.
  function applyCsatPending(pending, knownUpTo) {
    var newest = csatForms.length ? csatForms[csatForms.length - 1] : null;
    csatForms.forEach(function (f) {
      if (f.done) return;
      if (!pending && f.id <= knownUpTo) finishCsat(f.id, null);
      else if (pending && newest && f.id < newest.id) finishCsat(f.id, null);
    });
  }

  // ---------------------------------------------------------------- sending
  var pendings = [];  // {row, sent, posted}

  function addPending(display, sent) {
    var row = el("li", "chat__row chat__row--customer chat__row--pending");
    var bubble = el("div", "msg msg--customer msg--pending");
    bubble.appendChild(el("div", "msg__text", display));
    row.appendChild(bubble);
    row.appendChild(el("time", "msg__time", hhmm()));
    appendTail(row);
    var p = { row: row, sent: sent, posted: false };
    pendings.push(p);
    keepTypingLast();
    return p;
  }

  function dropPending(p) {
    var i = pendings.indexOf(p);
    if (i >= 0) pendings.splice(i, 1);
    p.row.remove();
  }

  // The hub stored a customer message: the echo of that text (or the oldest one the hub has
  // already acknowledged) gives way to it.
  function settlePending(text) {
    var match = null;
    for (var i = 0; i < pendings.length; i++) {
      if (pendings[i].sent === text || pendings[i].sent.trim() === text.trim()) { match = pendings[i]; break; }
    }
    if (!match) {
      for (var j = 0; j < pendings.length; j++) if (pendings[j].posted) { match = pendings[j]; break; }
    }
    if (match) dropPending(match);
  }

  var typingRow = null;
  function showTyping(on) {
    if (on && !typingRow) {
      typingRow = el("li", "chat__row chat__row--typing");
      var dots = el("div", "typing");
      dots.setAttribute("role", "status");
      dots.setAttribute("aria-label", T.typing);
      for (var i = 0; i < 3; i++) dots.appendChild(el("span", "typing__dot"));
      typingRow.appendChild(dots);
      appendTail(typingRow);
    } else if (!on && typingRow) {
      typingRow.remove();
      typingRow = null;
    }
  }
  function keepTypingLast() {
    if (typingRow) log.appendChild(typingRow);
  }

  function setBusy(on) {
    busy = on;
    sendButton.disabled = on;
    root.classList.toggle("pd-widget--busy", on);
  }

  function postMessage(message) {
    return api("/webhooks/rest/webhook", {
      method: "POST",
      body: { sender: session.sender, message: message, metadata: { channel: "web" } }
    });
  }

  function send(message, display, fromInput) {
    if (busy || !message) return Promise.resolve(false);
    ensureStarted();
    setBusy(true);
    var receivedBefore = received;
    var pending = addPending(display || message, message);
    showTyping(true);
    function restore() {
      if (fromInput && !input.value) input.value = message;
    }
    var retried = false;
    function attempt() {
      return ensureSession().then(function () { return postMessage(message); }).then(function (res) {
        if (res.status === 401 && !retried) {
          retried = true;
          return renewSession().then(attempt);
        }
        return res;
      });
    }
    return attempt().then(function (res) {
      if (res.ok) {
        pending.posted = true;
        var hadCsat = csatForms.some(function (f) { return !f.done; });
        return readJson(res).then(function (replies) {
          if (!wsOpen || hadCsat) return fetchNew().catch(function () { /* the poll retries */ });
          // The message and its replies come over the socket too; if some are still
          // missing 1.5 s later, fetch.
          var expected = 1 + (Array.isArray(replies) ? replies.length : 0);
          setTimeout(function () {
            if (received - receivedBefore < expected || pendings.indexOf(pending) >= 0) {
              fetchNew().catch(function () { /* the poll retries */ });
            }
          }, 1500);
        }).then(function () { return true; });
      }
      dropPending(pending);
      return readJson(res).then(function (body) {
        if (res.status === 429) notice((body && body.message) || T.rateLimited);
        else notice((body && body.message) || T.failed);
        restore();
        return false;
      });
    }).catch(function () {
      dropPending(pending);
      notice(T.network);
      restore();
      return false;
    }).finally(function () {
      showTyping(false);
      setBusy(false);
      if (fromInput) input.focus();
    });
  }

  // ---------------------------------------------------------------- go
  function init() {
    injectStylesheet();
    buildDom();
    greet();
    var wasOpen = false;
    try { wasOpen = window.sessionStorage.getItem(STORE_KEY + ":open") === "1"; } catch (e) { /* ignore */ }
    setOpen(openAttr === "true" || wasOpen, false);
    // A returning customer gets the conversation (and unread replies) at once; a new
    // visitor's session is created when the panel is first opened.
    if (loadSession()) ensureStarted();

    if (mobileQuery && mobileQuery.addEventListener) mobileQuery.addEventListener("change", fitViewport);
    window.addEventListener("resize", fitViewport);
    if (window.visualViewport) {
      window.visualViewport.addEventListener("resize", fitViewport);
      window.visualViewport.addEventListener("scroll", fitViewport);
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && started && session) {
        fetchNew().catch(function () { /* ignore */ });
        if (!ws && hasWebSocket) connectSocket();
      }
    });
    window.addEventListener("online", function () {
      if (started && session) { fetchNew().catch(function () { /* ignore */ }); if (!ws) connectSocket(); }
    });

    window.PowerdeskWidget = {
      open: function () { setOpen(true, true); },
      close: function () { setOpen(false, true); },
      send: function (text) { return send(String(text), String(text), false); }
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

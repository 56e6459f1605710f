// Agent console (坐席工作台): queue, conversation, customer 360, suggestions.
// Plain JS, no build step. Everything that comes from the server or from people is
// inserted with textContent (via el()), never as HTML.
(function () {
  "use strict";

  // ---------------------------------------------------------------- helpers
  const $ = function (id) { return document.getElementById(id); };

  /** Create an element; string/number children become text nodes. */
  function el(tag, props) {
    const node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        const value = props[key];
        if (value === undefined || value === null || value === false) return;
        if (key === "className") node.className = value;
        else if (key === "text") node.textContent = String(value);
        else if (key === "dataset") Object.assign(node.dataset, value);
        else if (key === "title") node.title = String(value);
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else if (key in node && key !== "role") node[key] = value;
        else node.setAttribute(key, String(value));
      });
    }
    for (let i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function mmss(seconds) {
    const s = Math.max(0, Math.floor(Number(seconds) || 0));
    return pad(Math.floor(s / 60)) + ":" + pad(s % 60);
  }
  function durationText(seconds) {
    if (seconds === null || seconds === undefined || isNaN(Number(seconds))) return "—";
    const s = Math.max(0, Math.round(Number(seconds)));
    if (s < 60) return s + " 秒";
    const m = Math.floor(s / 60);
    if (m < 60) return m + " 分 " + (s % 60) + " 秒";
    return Math.floor(m / 60) + " 小时 " + (m % 60) + " 分";
  }
  function parseDate(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return isNaN(d.getTime()) ? null : d;
  }
  function fmtTime(iso) {
    const d = parseDate(iso);
    if (!d) return "";
    const now = new Date();
    const hm = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    if (d.toDateString() === now.toDateString()) return hm;
    return pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + hm;
  }
  function fmtDateTime(iso) {
    if (!iso) return "—";
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
    const d = parseDate(iso);
    if (!d) return String(iso);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function yuan(amount) {
    if (amount === null || amount === undefined || amount === "") return "—";
    return "¥" + amount;
  }
  function label(map, key) {
    if (key === null || key === undefined || key === "") return "—";
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : String(key);
  }
  function sameId(a, b) { return a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b); }

  const CHANNELS = { web: "网页", wechat: "微信", weixin: "微信", voice: "电话", phone: "电话", ivr: "电话" };
  const STATES = { bot: "机器人服务中", queued: "排队中", agent: "人工服务中", closed: "已结束" };
  const AUTHORS = { customer: "客户", bot: "机器人", agent: "客服", system: "系统" };
  const BILLING = { postpaid: "后付费", prepaid: "预付费（费控）" };
  const CATEGORIES = { residential: "居民生活用电", commercial: "一般工商业用电", large_industrial: "大工业用电" };
  const WO_TYPES = {
    apply_new_connection: "新装", apply_capacity_change: "增减容", apply_transfer: "过户",
    apply_meter_check: "电能表校验", apply_tou: "峰谷电价申请", apply_close_account: "销户",
    apply_ev_charger: "充电桩报装", report_outage: "故障报修", report_hazard: "安全隐患",
    complain: "投诉", request_invoice: "发票申请", update_contact: "联系方式变更", callback: "回电预约",
  };
  const WO_STATES = {
    submitted: "已提交", accepted: "已受理", dispatched: "已派单", in_progress: "处理中",
    completed: "已完成", closed: "已关闭", cancelled: "已取消",
  };
  const SLOT_LABELS = {
    account_no: "户号", verified_account: "已验证户号", period: "账期", shown_period: "展示账期",
    handoff_reason: "转人工原因", complaint_detail: "投诉内容", callback_phone: "回电号码",
    service_task: "办理业务", contact_phone: "联系电话", service_address: "地址", ticket_no: "工单号",
    applicant_name: "申请人", capacity_kw: "容量(kW)", change_reason: "变更原因", preferred_date: "预约日期",
    invoice_period: "发票账期", new_phone: "新号码", request_confirmed: "已确认",
  };

  // ---------------------------------------------------------------- state
  const state = {
    csrf: null,
    agent: null,
    rows: [],
    rowsAt: 0,
    agentsOnline: 0,
    openId: null,
    detail: null,
    seen: new Set(),
    unread: new Set(),
    drafts: new Map(),
    canned: [],
    ws: null,
    wsBackoff: 1000,
    wsTimer: null,
    pollTimer: null,
    tickTimer: null,
    csatTimer: null,
    csatPolls: 0,
    suggestTimer: null,
    suggestSeq: 0,
    refreshTimer: null,
    usageChart: null,
    customerKey: null,
    view: "desk",
    sending: false,
  };

  // ---------------------------------------------------------------- toast
  function toast(message, kind) {
    const item = el("div", { className: "toast__item" + (kind ? " toast__item--" + kind : ""), text: message });
    $("toast").appendChild(item);
    setTimeout(function () { item.remove(); }, kind === "error" ? 6000 : 3500);
  }

  // ---------------------------------------------------------------- API
  function ApiError(status, body, fallback) {
    this.status = status;
    this.body = body || {};
    this.message = (body && typeof body.message === "string" && body.message) || fallback || defaultMessage(status);
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.name = "ApiError";

  function defaultMessage(status) {
    if (status === 0) return "网络异常，请检查网络后重试。";
    if (status === 401) return "登录已失效，请重新登录。";
    if (status === 403) return "没有权限执行此操作，请刷新页面后重试。";
    if (status === 404) return "会话不存在或已被删除。";
    if (status === 409) return "操作冲突，会话状态已变化。";
    if (status === 429) return "操作太频繁，请稍后再试。";
    if (status >= 500) return "服务暂时不可用，请稍后再试。";
    return "请求失败（" + status + "）。";
  }

  async function api(method, path, body, opts) {
    opts = opts || {};
    const headers = { Accept: "application/json" };
    const unsafe = method !== "GET" && method !== "HEAD";
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (unsafe && state.csrf) headers["X-CSRF-Token"] = state.csrf;
    let res;
    try {
      res = await fetch(path, {
        method: method,
        headers: headers,
        credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, null);
    }
    let data = null;
    try {
      const text = await res.text();
      if (text) data = JSON.parse(text);
    } catch (e) { data = null; }
    if (res.status === 401 && !opts.noRedirect) {
      sessionExpired();
      throw new ApiError(401, data);
    }
    if (res.status === 403 && unsafe && !opts.retried && state.csrf) {
      // The CSRF token may have been rotated (another tab logged in again): reload it once.
      const before = state.csrf;
      try {
        const me = await api("GET", "/api/console/me");
        if (me && me.csrf_token && me.csrf_token !== before) {
          state.csrf = me.csrf_token;
          return api(method, path, body, Object.assign({}, opts, { retried: true }));
        }
      } catch (e) { /* fall through to the original error */ }
    }
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  function report(err) {
    if (!err) return;
    if (err.status === 401) return; // already back on the login screen
    toast(err.message || String(err), "error");
    if (window.console && !(err instanceof ApiError)) window.console.error(err);
  }

  function convPath(id, tail) {
    return "/api/console/conversations/" + encodeURIComponent(id) + (tail ? "/" + tail : "");
  }

  // ---------------------------------------------------------------- confirm dialog
  function confirmDialog(message, okText) {
    const dialog = $("confirm-dialog");
    $("confirm-message").textContent = message;
    $("confirm-ok").textContent = okText || "确定";
    return new Promise(function (resolve) {
      function done(value) {
        $("confirm-ok").removeEventListener("click", ok);
        $("confirm-cancel").removeEventListener("click", cancel);
        dialog.removeEventListener("cancel", cancel);
        if (dialog.open) dialog.close();
        resolve(value);
      }
      function ok() { done(true); }
      function cancel(event) { if (event) event.preventDefault(); done(false); }
      $("confirm-ok").addEventListener("click", ok);
      $("confirm-cancel").addEventListener("click", cancel);
      dialog.addEventListener("cancel", cancel);
      dialog.showModal();
      $("confirm-ok").focus();
    });
  }

  // ---------------------------------------------------------------- login / session
  function showLogin(message) {
    teardown();
    $("app").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("login-password").value = "";
    $("login-submit").disabled = false;
    document.title = "坐席工作台 · 示例省电力公司";
    ($("login-username").value ? $("login-password") : $("login-username")).focus();
  }

  function sessionExpired() {
    if (!$("app").hidden || state.agent) showLogin("登录已失效，请重新登录。");
    else if ($("login").hidden) showLogin("");
  }

  function teardown() {
    const ws = state.ws;
    state.ws = null;
    if (ws) { try { ws.close(1000); } catch (e) { /* ignore */ } }
    clearTimeout(state.wsTimer);
    clearInterval(state.pollTimer);
    clearInterval(state.tickTimer);
    clearInterval(state.csatTimer);
    clearTimeout(state.suggestTimer);
    clearTimeout(state.refreshTimer);
    state.pollTimer = state.tickTimer = state.csatTimer = state.wsTimer = null;
    state.csrf = null;
    state.agent = null;
    state.rows = [];
    closeConversation();
    state.unread.clear();
    state.drafts.clear();
    document.querySelectorAll("dialog[open]").forEach(function (d) { d.close(); });
    if (window.PowerDeskMetrics) window.PowerDeskMetrics.reset();
  }

  function enter(me) {
    state.csrf = me.csrf_token;
    state.agent = me.agent || {};
    $("agent-name").textContent = state.agent.display_name || state.agent.username || "";
    $("agent-name").title = state.agent.username || "";
    $("login").hidden = true;
    $("app").hidden = false;
    state.wsBackoff = 1000;
    setConn("connecting");
    applyView();
    loadQueue();
    loadCanned();
    connectWs();
    state.tickTimer = setInterval(tick, 1000);
  }

  async function onLogin(event) {
    event.preventDefault();
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    if (!username || !password) { $("login-error").textContent = "请输入用户名和密码。"; return; }
    $("login-submit").disabled = true;
    $("login-error").textContent = "";
    try {
      const me = await api("POST", "/api/console/login", { username: username, password: password }, { noRedirect: true });
      enter(me);
    } catch (e) {
      $("login-error").textContent = e.status === 401 ? ((e.body && e.body.message) || "用户名或密码错误。") : e.message;
      $("login-password").select();
    } finally {
      $("login-submit").disabled = false;
    }
  }

  async function onLogout() {
    $("logout").disabled = true;
    try { await api("POST", "/api/console/logout", undefined, { noRedirect: true }); } catch (e) { /* leave anyway */ }
    $("logout").disabled = false;
    showLogin("已退出登录。");
  }

  async function boot() {
    try {
      const me = await api("GET", "/api/console/me", undefined, { noRedirect: true });
      enter(me);
    } catch (e) {
      showLogin(e.status === 401 ? "" : e.message);
    }
  }

  // ---------------------------------------------------------------- views
  function applyView() {
    const view = location.hash === "#metrics" ? "metrics" : "desk";
    state.view = view;
    $("desk").hidden = view !== "desk";
    $("metrics").hidden = view !== "metrics";
    $("nav-desk").classList.toggle("is-active", view === "desk");
    $("nav-metrics").classList.toggle("is-active", view === "metrics");
    if (view === "metrics" && state.agent && window.PowerDeskMetrics) window.PowerDeskMetrics.show();
  }

  // ---------------------------------------------------------------- live connection
  function setConn(mode) {
    const node = $("conn-status");
    node.className = "conn" + (mode === "live" ? " conn--live" : mode === "poll" ? " conn--poll" : "");
    node.textContent = mode === "live" ? "实时" : mode === "poll" ? "轮询中" : "连接中…";
    node.title = mode === "live" ? "实时连接正常" : mode === "poll" ? "实时连接中断，每 5 秒刷新一次，正在重连" : "正在建立实时连接";
  }

  function connectWs() {
    if (!state.agent) return;
    clearTimeout(state.wsTimer);
    let ws;
    try {
      ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/console");
    } catch (e) {
      onSocketDown(null);
      return;
    }
    state.ws = ws;
    ws.onopen = function () {
      if (state.ws !== ws) return;
      state.wsBackoff = 1000;
      stopPolling();
      setConn("live");
      loadQueue();
      if (state.openId) refreshOpen();
    };
    ws.onmessage = function (event) {
      if (state.ws !== ws) return;
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame === "object") handleFrame(frame);
    };
    ws.onclose = function (event) {
      if (state.ws !== ws) return;
      state.ws = null;
      onSocketDown(event);
    };
  }

  function onSocketDown(event) {
    if (!state.agent) return;
    startPolling();
    if (event && event.code === 4401) {
      // Maybe the session is gone: /me answers 401 → login screen (api() does it).
      api("GET", "/api/console/me").then(function (me) {
        if (me && me.csrf_token) state.csrf = me.csrf_token;
      }).catch(function () { /* handled by api() */ });
    }
    const delay = state.wsBackoff + Math.floor(Math.random() * 500);
    state.wsBackoff = Math.min(state.wsBackoff * 2, 30000);
    clearTimeout(state.wsTimer);
    state.wsTimer = setTimeout(connectWs, delay);
  }

  function startPolling() {
    setConn("poll");
    if (state.pollTimer) return;
    state.pollTimer = setInterval(function () {
      if (!state.agent) return;
      loadQueue();
      if (state.openId) refreshOpen();
    }, 5000);
  }
  function stopPolling() {
    clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  function handleFrame(frame) {
    if (frame.type === "queue") {
      applyQueue(frame.conversations, frame.agents_online);
    } else if (frame.type === "message") {
      const message = frame.message;
      if (!message) return;
      if (sameId(frame.conversation_id, state.openId)) {
        const added = addMessage(message);
        if (added && message.author === "customer") {
          scheduleSuggestions();
          scheduleRefresh(); // identity may just have been proved: the 360 panel may change
        } else if (added && state.detail && state.detail.state === "closed") {
          scheduleRefresh();
        }
      } else if (message.author === "customer") {
        const row = findRow(frame.conversation_id);
        if (isMine(row)) { state.unread.add(String(frame.conversation_id)); renderQueue(); }
      }
    } else if (frame.type === "conversation") {
      if (sameId(frame.conversation_id, state.openId) && state.detail) {
        state.detail.state = frame.state;
        delete state.detail.mine; // stale now; the refresh below brings the server's view
        if (frame.agent_name) state.detail.agent_name = frame.agent_name;
        else if (frame.state !== "agent") delete state.detail.agent_name;
        renderHeader();
        scheduleRefresh();
      }
    }
  }

  // ---------------------------------------------------------------- queue
  async function loadQueue() {
    try {
      const data = await api("GET", "/api/console/queue");
      if (data) applyQueue(data.conversations, data.agents_online);
    } catch (e) {
      if (e.status !== 401 && e.status !== 0) report(e);
    }
  }

  function applyQueue(rows, online) {
    state.rows = Array.isArray(rows) ? rows : [];
    state.rowsAt = Date.now();
    if (typeof online === "number") state.agentsOnline = online;
    renderQueue();
    // Keep the open conversation's "mine" in step (the detail has no such field).
    if (state.detail) renderActions();
  }

  /** Held by me. The broadcast queue frames may carry mine=false for everyone, so the
   *  agent's display name decides too. */
  function isMine(row) {
    if (!row) return false;
    if (row.mine) return true;
    return !!row.agent_name && !!state.agent && row.agent_name === state.agent.display_name;
  }

  function findRow(id) {
    for (let i = 0; i < state.rows.length; i++) if (sameId(state.rows[i].id, id)) return state.rows[i];
    return null;
  }

  function renderQueue() {
    $("agents-online").textContent = String(state.agentsOnline);
    const queued = state.rows.filter(function (r) { return r.state === "queued"; });
    const held = state.rows.filter(function (r) { return r.state !== "queued"; });
    held.sort(function (a, b) { return (isMine(b) ? 1 : 0) - (isMine(a) ? 1 : 0); }); // stable: mine first
    const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest("#queue .queue__item") : null;
    const focusedId = focused ? focused.dataset.id : null;
    $("queue-queued").replaceChildren.apply($("queue-queued"), queued.map(queueRow));
    $("queue-held").replaceChildren.apply($("queue-held"), held.map(queueRow));
    if (focusedId) {
      const again = $("queue").querySelector('.queue__item[data-id="' + CSS.escape(focusedId) + '"]');
      if (again) again.focus({ preventScroll: true });
    }
    $("queued-count").textContent = String(queued.length);
    $("held-count").textContent = String(held.length);
    $("queue-queued-empty").hidden = queued.length > 0;
    $("queue-held-empty").hidden = held.length > 0;
    document.title = (queued.length ? "(" + queued.length + ") " : "") + "坐席工作台 · 示例省电力公司";
  }

  function queueRow(row) {
    const id = String(row.id);
    const mine = isMine(row);
    const classes = ["queue__item"];
    if (mine) classes.push("queue__item--mine");
    if (row.sla_breached) classes.push("sla-breached");
    if (sameId(id, state.openId)) classes.push("is-open");
    const waiting = el("span", { className: "queue__wait", title: row.state === "queued" ? "已等待" : "时长", dataset: { base: String(Number(row.waiting_s) || 0) } },
      mmss(Number(row.waiting_s) || 0));
    const li = el("li", { className: classes.join(" "), tabIndex: 0, role: "button", dataset: { id: id } },
      el("div", { className: "queue__line" },
        row.position !== null && row.position !== undefined ? el("span", { className: "queue__pos", title: "排队位置", text: "#" + row.position }) : null,
        el("span", { className: "chip queue__channel", text: label(CHANNELS, row.channel) }),
        el("span", { className: "queue__reason", text: row.reason_label || row.reason || "人工服务" }),
        row.priority === 0 ? el("span", { className: "badge badge--urgent queue__priority", text: "紧急" }) : null,
        state.unread.has(id) ? el("span", { className: "queue__unread", title: "有新消息" }) : null,
        waiting),
      el("div", { className: "queue__summary", title: row.summary || "", text: row.summary || "（无摘要）" }),
      row.agent_name ? el("div", { className: "queue__agent", text: row.agent_name + (mine ? "（我）" : "") }) : null);
    li.setAttribute("aria-label", (row.reason_label || row.reason || "会话") + " " + label(CHANNELS, row.channel));
    return li;
  }

  function tick() {
    const elapsed = (Date.now() - state.rowsAt) / 1000;
    document.querySelectorAll("#queue .queue__wait").forEach(function (node) {
      node.textContent = mmss(Number(node.dataset.base) + elapsed);
    });
  }

  function onQueueActivate(event) {
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    const item = event.target.closest(".queue__item");
    if (!item) return;
    if (event.type === "keydown") event.preventDefault();
    openConversation(item.dataset.id);
  }

  // ---------------------------------------------------------------- conversation
  function closeConversation() {
    if (state.openId) saveDraft();
    state.openId = null;
    state.detail = null;
    state.seen = new Set();
    state.customerKey = null;
    state.suggestSeq++;
    clearInterval(state.csatTimer);
    state.csatTimer = null;
    destroyUsageChart();
    $("conv-body").hidden = true;
    $("conv-empty").hidden = false;
    $("transcript").replaceChildren();
    $("notes-list").replaceChildren();
    $("reply-text").value = "";
    $("conv-alert").hidden = true;
    $("c360-body").replaceChildren(el("p", { className: "muted", text: "未选择会话" }));
    $("suggestions-list").replaceChildren(el("p", { className: "muted", text: "未选择会话" }));
    $("suggestions-for").textContent = "";
    $("candidate-status").textContent = "";
    $("save-candidate").disabled = true;
  }

  function saveDraft() {
    const text = $("reply-text").value;
    if (text) state.drafts.set(state.openId, text); else state.drafts.delete(state.openId);
  }

  async function openConversation(id) {
    id = String(id);
    if (id !== state.openId) {
      closeConversation();
      state.openId = id;
      state.unread.delete(id);
      $("conv-empty").hidden = true;
      $("conv-body").hidden = false;
      showTab("transcript");
      $("conv-reason").textContent = "加载中…";
      $("conv-state").textContent = "";
      $("conv-summary").textContent = "";
      $("reply-text").value = state.drafts.get(id) || "";
      $("c360-body").replaceChildren(el("p", { className: "muted", text: "加载中…" }));
      $("suggestions-list").replaceChildren(el("p", { className: "muted", text: "加载中…" }));
      renderActions();
    }
    document.querySelectorAll("#queue .queue__item").forEach(function (node) {
      node.classList.toggle("is-open", node.dataset.id === id);
      if (node.dataset.id === id) { const dot = node.querySelector(".queue__unread"); if (dot) dot.remove(); }
    });
    const ok = await refreshOpen();
    if (ok && sameId(id, state.openId)) scheduleSuggestions(0);
  }

  /** Fetch the open conversation and merge it into the view. Returns true on success. */
  async function refreshOpen() {
    const id = state.openId;
    if (!id) return false;
    try {
      const detail = await api("GET", convPath(id));
      if (!sameId(id, state.openId) || !detail) return false;
      renderDetail(detail);
      return true;
    } catch (e) {
      if (!sameId(id, state.openId)) return false;
      if (e.status === 404) {
        toast("会话不存在或已被删除。", "error");
        closeConversation();
        return false;
      }
      if (e.status !== 0 && e.status !== 401) report(e);
      return false;
    }
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refreshOpen, 600);
  }

  function renderDetail(detail) {
    state.detail = detail;
    renderHeader();
    let newCustomer = false;
    (detail.transcript || []).forEach(function (m) {
      if (addMessage(m) && m.author === "customer") newCustomer = true;
    });
    renderNotes(detail.notes || []);
    const key = JSON.stringify([detail.customer || null, detail.intent_label || detail.intent || null, detail.slots || null, detail.account || null]);
    if (key !== state.customerKey) {
      state.customerKey = key;
      renderCustomer(detail);
    }
    $("save-candidate").disabled = false;
    if (newCustomer) scheduleSuggestions();
  }

  function holds() {
    const d = state.detail;
    if (!d || d.state !== "agent" || !state.agent) return false;
    if (d.agent_name) return d.agent_name === state.agent.display_name;
    if (typeof d.mine === "boolean") return d.mine;
    return isMine(findRow(d.id));
  }

  function renderHeader() {
    const d = state.detail;
    if (!d) return;
    $("conv-reason").textContent = d.reason_label || d.reason || "会话 " + d.id;
    const badge = $("conv-state");
    badge.className = "badge badge--" + (d.state || "");
    badge.textContent = label(STATES, d.state);
    $("conv-channel").textContent = label(CHANNELS, d.channel);
    $("conv-account").textContent = d.account ? "户号 " + d.account : "";
    $("conv-agent").textContent = d.agent_name ? "接待：" + d.agent_name : "";
    $("conv-summary").textContent = d.summary || "";
    renderActions();
    renderCsat();
  }

  function renderActions() {
    const d = state.detail;
    const mine = holds();
    $("claim").hidden = !d || d.state !== "queued";
    $("claim").disabled = false;
    $("handback").disabled = !mine;
    $("resolve").disabled = !mine;
    $("reply-text").disabled = !mine;
    $("reply-send").disabled = !mine || state.sending;
    let hint = "Enter 发送，Shift+Enter 换行";
    let placeholder = "输入回复，Enter 发送，Shift+Enter 换行";
    if (!d) { hint = ""; placeholder = ""; }
    else if (d.state === "queued") { hint = "点击「接入」后可回复客户"; placeholder = "接入会话后可回复客户"; }
    else if (d.state === "closed") { hint = "会话已结束"; placeholder = "会话已结束"; }
    else if (d.state === "bot") { hint = "机器人服务中，客户转人工后可接入"; placeholder = "机器人服务中"; }
    else if (!mine) { hint = "该会话由" + (d.agent_name || "其他客服") + "接待"; placeholder = hint; }
    $("reply-hint").textContent = hint;
    $("reply-text").placeholder = placeholder;
  }

  function renderCsat() {
    const d = state.detail;
    const box = $("csat");
    if (d && d.csat && d.csat.score !== undefined && d.csat.score !== null) {
      const score = Math.max(0, Math.min(5, Math.round(Number(d.csat.score)) || 0));
      box.replaceChildren();
      append(box, [
        el("span", { text: "客户评价" }),
        el("span", { className: "csat__stars", title: score + " 分", text: "★★★★★".slice(0, score) + "☆☆☆☆☆".slice(0, 5 - score) }),
        el("b", { className: "csat__score", text: score + " 分" }),
        d.csat.comment ? el("span", { className: "csat__comment", text: "　“" + d.csat.comment + "”" }) : null]);
      box.hidden = false;
      stopCsatPoll();
    } else if (d && d.state === "closed") {
      box.replaceChildren(el("span", { className: "muted", text: "会话已结束，已邀请客户评价，等待评分…" }));
      box.hidden = false;
      startCsatPoll();
    } else {
      box.hidden = true;
      stopCsatPoll();
    }
  }

  function startCsatPoll() {
    if (state.csatTimer) return;
    state.csatPolls = 0;
    state.csatTimer = setInterval(function () {
      state.csatPolls++;
      if (!state.openId || state.csatPolls > 120) { stopCsatPoll(); return; }
      if (!state.pollTimer) refreshOpen(); // when polling, refreshOpen already runs every 5 s
    }, 5000);
  }
  function stopCsatPoll() {
    clearInterval(state.csatTimer);
    state.csatTimer = null;
  }

  // ---- transcript
  function customLine(custom) {
    if (!custom || typeof custom !== "object") return null;
    if (custom.type === "bill_card") {
      const parts = ["账单 " + (custom.period_label || custom.period || "")];
      if (custom.kwh !== undefined) parts.push(custom.kwh + " 度");
      if (custom.amount !== undefined) parts.push(yuan(custom.amount));
      if (custom.due_date) parts.push("缴费截止 " + custom.due_date);
      parts.push(custom.paid ? "已缴清" : "未缴");
      if (custom.account) parts.push("户号 " + custom.account);
      return "📄 " + parts.join(" · ");
    }
    if (custom.type === "status") {
      const parts = ["状态：" + label(STATES, custom.state)];
      if (custom.position !== undefined && custom.position !== null) parts.push("排第 " + custom.position + " 位");
      if (custom.eta_s !== undefined && custom.eta_s !== null) parts.push("预计等待 " + durationText(custom.eta_s));
      if (custom.agent_name) parts.push(custom.agent_name);
      return parts.join(" · ");
    }
    return null;
  }

  /** A picture the customer sent (shown, opens full size) or a place (its name and coordinates). */
  function attachmentNode(a) {
    if (!a || typeof a !== "object") return null;
    if (a.type === "image" && typeof a.url === "string" && /^https?:\/\//.test(a.url)) {
      return el("a", { className: "t-msg__image", href: a.url, target: "_blank", rel: "noopener noreferrer" },
        // over https: the hub's CSP allows pictures from https: only (WeChat's PicUrl is often http://)
        el("img", { src: a.url.replace(/^http:/, "https:"), alt: "客户发送的图片", loading: "lazy" }));
    }
    if (a.type === "location") {
      return el("div", { className: "t-msg__custom", text: "📍 " + (a.label || "") + " (" + a.lat + ", " + a.lng + ")" });
    }
    return null;
  }

  function messageNode(m) {
    const author = AUTHORS[m.author] ? m.author : "system";
    const who = author === "agent" ? (m.agent_name || "客服") : AUTHORS[author];
    const line = customLine(m.custom);
    const bubble = el("div", { className: "t-msg__bubble" });
    const attachment = attachmentNode(m.attachment); // shown instead of its stand-in text ("[图片]", the place)
    if (m.text && !attachment) bubble.appendChild(el("div", { className: "t-msg__text", text: m.text }));
    if (line) bubble.appendChild(el("div", { className: "t-msg__custom", text: line }));
    if (attachment) bubble.appendChild(attachment);
    if (Array.isArray(m.buttons) && m.buttons.length) {
      bubble.appendChild(el("div", { className: "t-msg__buttons", title: "客户可点选的按钮" },
        m.buttons.map(function (b) { return el("span", { className: "t-msg__button", text: b.title || b.payload || "" }); })));
    }
    if (!bubble.childNodes.length) return null; // e.g. a custom payload the console does not show
    const time = fmtTime(m.created_at);
    return el("li", { className: "t-msg t-msg--" + author, dataset: { id: m.id !== undefined && m.id !== null ? String(m.id) : "" } },
      author === "system" ? null : el("div", { className: "t-msg__meta", text: who + (time ? " · " + time : "") }),
      bubble,
      author === "system" && time ? el("div", { className: "t-msg__meta", text: time }) : null);
  }

  /** Add one message in id order; false when it was already shown. */
  function addMessage(m) {
    if (!m || typeof m !== "object") return false;
    const hasId = m.id !== undefined && m.id !== null;
    if (hasId) {
      if (state.seen.has(String(m.id))) return false;
      state.seen.add(String(m.id));
    }
    const node = messageNode(m);
    if (!node) return true;
    const list = $("transcript");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    let before = null;
    if (hasId && !isNaN(Number(m.id))) {
      const n = Number(m.id);
      for (let child = list.lastElementChild; child; child = child.previousElementSibling) {
        const cid = child.dataset.id;
        if (cid !== "" && !isNaN(Number(cid)) && Number(cid) > n) before = child; else break;
      }
    }
    list.insertBefore(node, before);
    if (atBottom || !before) list.scrollTop = list.scrollHeight;
    return true;
  }

  function lastText(author) {
    const d = state.detail;
    const nodes = $("transcript").querySelectorAll(".t-msg--" + author + " .t-msg__text");
    if (nodes.length) return nodes[nodes.length - 1].textContent;
    if (d && d.transcript) {
      for (let i = d.transcript.length - 1; i >= 0; i--) if (d.transcript[i].author === author && d.transcript[i].text) return d.transcript[i].text;
    }
    return "";
  }

  // ---- reply
  function insertIntoReply(text) {
    const box = $("reply-text");
    if (!state.openId) { toast("请先选择一个会话。"); return; }
    const start = box.selectionStart !== undefined && document.activeElement === box ? box.selectionStart : box.value.length;
    const end = box.selectionEnd !== undefined && document.activeElement === box ? box.selectionEnd : box.value.length;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    const caret = start + text.length;
    if (!box.disabled) {
      box.focus();
      box.setSelectionRange(caret, caret);
    } else {
      toast("已放入回复框，接入会话后即可发送。");
    }
  }

  async function sendReply() {
    const box = $("reply-text");
    const text = box.value.trim();
    const id = state.openId;
    if (!text || !id || state.sending) return;
    if (!holds()) { toast("接入会话后才能回复客户。", "error"); return; }
    state.sending = true;
    $("reply-send").disabled = true;
    try {
      const message = await api("POST", convPath(id, "messages"), { text: text });
      if (sameId(id, state.openId)) {
        if (box.value.trim() === text) box.value = "";
        state.drafts.delete(id);
        if (message && typeof message === "object") addMessage(message);
      }
    } catch (e) {
      if (e.status === 409) { showAlert(e.message); refreshOpen(); loadQueue(); }
      else report(e);
    } finally {
      state.sending = false;
      renderActions();
      if (!box.disabled) box.focus();
    }
  }

  function onReplyKey(event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    sendReply();
  }

  function showAlert(message) {
    const box = $("conv-alert");
    box.textContent = message;
    box.hidden = false;
  }

  // ---- claim / handback / resolve
  async function claim() {
    const id = state.openId;
    if (!id) return;
    $("claim").disabled = true;
    $("conv-alert").hidden = true;
    try {
      await api("POST", convPath(id, "claim"));
      toast("已接入会话", "ok");
    } catch (e) {
      if (e.status === 409) showAlert(e.message || "该会话已被其他客服接入");
      else report(e);
    }
    await Promise.all([refreshOpen(), loadQueue()]);
    $("claim").disabled = false;
    if (holds()) $("reply-text").focus();
  }

  async function transition(kind) {
    const id = state.openId;
    if (!id || !holds()) return;
    const resolve = kind === "resolve";
    const ok = await confirmDialog(
      resolve ? "确定结束该会话吗？结束后将邀请客户评价本次服务。" : "确定将该会话交还机器人吗？机器人会继续为客户服务。",
      resolve ? "结束会话" : "交还机器人");
    if (!ok || !sameId(id, state.openId)) return;
    $(kind).disabled = true;
    try {
      await api("POST", convPath(id, kind));
      toast(resolve ? "会话已结束，已邀请客户评价" : "已交还机器人", "ok");
    } catch (e) {
      if (e.status === 409) showAlert(e.message); else report(e);
    }
    await Promise.all([refreshOpen(), loadQueue()]);
  }

  // ---- notes
  function showTab(name) {
    const notes = name === "notes";
    $("pane-transcript").hidden = notes;
    $("pane-notes").hidden = !notes;
    $("tab-transcript").classList.toggle("is-active", !notes);
    $("tab-notes").classList.toggle("is-active", notes);
    $("tab-transcript").setAttribute("aria-selected", String(!notes));
    $("tab-notes").setAttribute("aria-selected", String(notes));
    if (notes) $("note-text").focus();
  }

  function renderNotes(notes) {
    $("notes-count").textContent = String(notes.length);
    const list = $("notes-list");
    if (!notes.length) {
      list.replaceChildren(el("li", { className: "muted", text: "暂无内部备注" }));
      return;
    }
    list.replaceChildren.apply(list, notes.map(function (n) {
      return el("li", { className: "note", dataset: { id: String(n.id) } },
        el("div", { className: "note__meta", text: (n.agent_name || "客服") + " · " + fmtTime(n.created_at) }),
        el("div", { className: "note__text", text: n.text || "" }));
    }));
    list.scrollTop = list.scrollHeight;
  }

  async function sendNote() {
    const id = state.openId;
    const box = $("note-text");
    const text = box.value.trim();
    if (!id || !text) return;
    $("note-send").disabled = true;
    try {
      const note = await api("POST", convPath(id, "notes"), { text: text });
      if (sameId(id, state.openId) && state.detail) {
        box.value = "";
        const notes = (state.detail.notes || []).slice();
        if (note && typeof note === "object" && !notes.some(function (n) { return sameId(n.id, note.id); })) notes.push(note);
        state.detail.notes = notes;
        renderNotes(notes);
      }
    } catch (e) {
      report(e);
    } finally {
      $("note-send").disabled = false;
    }
  }

  // ---------------------------------------------------------------- canned responses
  async function loadCanned() {
    try {
      const data = await api("GET", "/api/console/canned");
      state.canned = (data && Array.isArray(data.responses)) ? data.responses : [];
    } catch (e) {
      if (e.status !== 401) report(e);
      state.canned = [];
    }
    renderCanned();
  }

  function renderCanned() {
    const list = $("canned-list");
    if (!state.canned.length) {
      list.replaceChildren(el("li", { className: "canned__empty", text: "暂无，点击「管理」添加" }));
    } else {
      list.replaceChildren.apply(list, state.canned.map(function (c) {
        return el("li", {},
          el("button", { type: "button", className: "canned__item", title: c.text || "", dataset: { id: String(c.id) }, text: c.title || (c.text || "").slice(0, 12) }));
      }));
    }
    const editor = $("canned-editor-list");
    editor.replaceChildren.apply(editor, state.canned.map(function (c) {
      return el("li", { className: "canned-editor__item", dataset: { id: String(c.id) } },
        el("div", { className: "canned-editor__text" }, el("b", { text: c.title || "" }), el("span", { text: c.text || "", title: c.text || "" })),
        el("button", { type: "button", className: "btn btn--small canned-editor__edit", text: "编辑", onclick: function () { editCanned(c); } }),
        el("button", { type: "button", className: "btn btn--small btn--danger canned-editor__delete", text: "删除", onclick: function () { deleteCanned(c); } }));
    }));
  }

  function editCanned(c) {
    const form = $("canned-form");
    form.dataset.editing = c ? String(c.id) : "";
    $("canned-form-title").textContent = c ? "编辑快捷回复" : "新增快捷回复";
    $("canned-title").value = c ? (c.title || "") : "";
    $("canned-text").value = c ? (c.text || "") : "";
    $("canned-error").textContent = "";
    $("canned-title").focus();
  }

  async function saveCanned(event) {
    event.preventDefault();
    const title = $("canned-title").value.trim();
    const text = $("canned-text").value.trim();
    if (!title || !text) { $("canned-error").textContent = "请填写标题和内容。"; return; }
    const editing = $("canned-form").dataset.editing;
    $("canned-save").disabled = true;
    try {
      if (editing) await api("PUT", "/api/console/canned/" + encodeURIComponent(editing), { title: title, text: text });
      else await api("POST", "/api/console/canned", { title: title, text: text });
      toast(editing ? "快捷回复已更新" : "快捷回复已添加", "ok");
      editCanned(null);
      await loadCanned();
    } catch (e) {
      if (e.status !== 401) $("canned-error").textContent = e.message;
    } finally {
      $("canned-save").disabled = false;
    }
  }

  async function deleteCanned(c) {
    const ok = await confirmDialog("确定删除快捷回复「" + (c.title || "") + "」吗？", "删除");
    if (!ok) return;
    try {
      await api("DELETE", "/api/console/canned/" + encodeURIComponent(c.id));
      if ($("canned-form").dataset.editing === String(c.id)) editCanned(null);
      toast("快捷回复已删除", "ok");
      await loadCanned();
    } catch (e) {
      report(e);
    }
  }

  function openCannedDialog() {
    editCanned(null);
    renderCanned();
    $("canned-dialog").showModal();
    $("canned-title").focus();
  }

  // ---------------------------------------------------------------- suggestions & KB
  function scheduleSuggestions(delay) {
    clearTimeout(state.suggestTimer);
    state.suggestTimer = setTimeout(loadSuggestions, delay === undefined ? 300 : delay);
  }

  async function loadSuggestions() {
    const id = state.openId;
    if (!id) return;
    const seq = ++state.suggestSeq;
    try {
      const data = await api("GET", convPath(id, "suggestions"));
      if (seq !== state.suggestSeq || !sameId(id, state.openId)) return;
      renderSuggestions(data || {});
    } catch (e) {
      if (seq !== state.suggestSeq || !sameId(id, state.openId)) return;
      $("suggestions-list").replaceChildren(el("p", { className: "muted", text: e.status === 401 ? "" : "建议暂不可用：" + e.message }));
    }
  }

  function insertButton(text) {
    return el("button", { type: "button", className: "btn btn--small suggestion__insert", text: "插入", title: "插入到回复框",
      onclick: function () { insertIntoReply(text); } });
  }

  function passageNode(p, extraClass) {
    const head = [p.title, p.section].filter(Boolean).join(" · ") || p.doc_id || "知识库";
    const textNode = el("div", { className: "suggestion__text", text: p.text || "" });
    const more = (p.text || "").length > 120 ? el("button", { type: "button", className: "btn btn--small btn--link", text: "展开",
      onclick: function () { const open = textNode.classList.toggle("is-expanded"); this.textContent = open ? "收起" : "展开"; } }) : null;
    const score = typeof p.score === "number" ? p.score.toFixed(2) : (p.score !== undefined && p.score !== null ? String(p.score) : "");
    return el("div", { className: "suggestion suggestion--passage" + (extraClass ? " " + extraClass : ""), dataset: { docId: p.doc_id || "" } },
      el("div", { className: "suggestion__head" },
        el("span", { className: "suggestion__title", title: head, text: head }),
        score ? el("span", { className: "suggestion__score", title: "相关度", text: "相关度 " + score }) : null),
      textNode,
      el("div", { className: "suggestion__foot" }, more, insertButton(p.text || "")));
  }

  function renderSuggestions(data) {
    const list = $("suggestions-list");
    const nodes = [];
    $("suggestions-for").textContent = data.for_message && data.for_message.text ? "针对：「" + data.for_message.text + "」" : "";
    $("suggestions-for").title = data.for_message && data.for_message.text ? data.for_message.text : "";
    if (data.bot_reply && data.bot_reply.text) {
      const sources = Array.isArray(data.bot_reply.sources) ? data.bot_reply.sources : [];
      nodes.push(el("div", { className: "suggestion suggestion--bot" },
        el("div", { className: "suggestion__head" }, el("span", { className: "suggestion__title", text: "机器人建议回复" })),
        el("div", { className: "suggestion__text is-expanded", text: data.bot_reply.text }),
        el("div", { className: "suggestion__foot" },
          sources.length && !sources.every(function (t) { return data.bot_reply.text.indexOf(t) >= 0; })
            ? el("span", { className: "suggestion__sources", text: "来源：" + sources.join("、") }) : null,
          insertButton(data.bot_reply.text))));
    }
    (Array.isArray(data.passages) ? data.passages : []).forEach(function (p) { nodes.push(passageNode(p)); });
    if (!nodes.length) nodes.push(el("p", { className: "muted", text: "暂无建议，可在下方搜索知识库" }));
    list.replaceChildren.apply(list, nodes);
  }

  async function searchKb(event) {
    event.preventDefault();
    const q = $("kb-query").value.trim();
    const box = $("kb-results");
    if (!q) { box.replaceChildren(); return; }
    box.replaceChildren(el("p", { className: "muted", text: "搜索中…" }));
    try {
      const data = await api("GET", "/api/kb/search?q=" + encodeURIComponent(q) + "&k=5");
      if ($("kb-query").value.trim() !== q) return;
      const results = (data && Array.isArray(data.results)) ? data.results : [];
      const nodes = [];
      if (!results.length) nodes.push(el("p", { className: "muted", text: "没有找到相关内容" }));
      else if (data.answerable === false) nodes.push(el("p", { className: "muted", text: "知识库中没有可靠答案，以下结果仅供参考" }));
      results.forEach(function (r) { nodes.push(passageNode(r, "kb-result")); });
      box.replaceChildren.apply(box, nodes);
    } catch (e) {
      box.replaceChildren(el("p", { className: "muted", text: e.status === 401 ? "" : "搜索失败：" + e.message }));
    }
  }

  function openCandidateDialog() {
    if (!state.openId) return;
    $("candidate-question").value = lastText("customer");
    $("candidate-answer").value = lastText("agent") || $("reply-text").value.trim();
    $("candidate-error").textContent = "";
    $("candidate-dialog").showModal();
    $("candidate-question").focus();
  }

  async function submitCandidate(event) {
    event.preventDefault();
    const id = state.openId;
    const question = $("candidate-question").value.trim();
    const answer = $("candidate-answer").value.trim();
    if (!question || !answer) { $("candidate-error").textContent = "请填写客户问题和参考答案。"; return; }
    $("candidate-submit").disabled = true;
    try {
      await api("POST", convPath(id, "kb-candidates"), { question: question, answer: answer });
      $("candidate-dialog").close();
      if (sameId(id, state.openId)) $("candidate-status").textContent = "已提交审核";
      else toast("知识库候选已提交，等待审核", "ok");
    } catch (e) {
      if (e.status !== 401) $("candidate-error").textContent = e.message;
    } finally {
      $("candidate-submit").disabled = false;
    }
  }

  // ---------------------------------------------------------------- customer 360
  function destroyUsageChart() {
    if (state.usageChart) { state.usageChart.destroy(); state.usageChart = null; }
  }

  function section(title, content, extraClass) {
    return el("section", { className: "c360__section" + (extraClass ? " " + extraClass : "") }, el("h3", { text: title }), content);
  }

  function kv(pairs) {
    const dl = el("dl", { className: "kv" });
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === "") return;
      dl.appendChild(el("dt", { text: p[0] }));
      dl.appendChild(el("dd", { text: p[1] }));
    });
    return dl;
  }

  function slotsNode(slots) {
    const keys = slots && typeof slots === "object" ? Object.keys(slots).filter(function (k) {
      const v = slots[k];
      return v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length);
    }) : [];
    if (!keys.length) return el("span", { className: "muted", text: "—" });
    return el("div", { className: "slots" }, keys.map(function (k) {
      const v = slots[k];
      const text = typeof v === "object" ? JSON.stringify(v) : String(v);
      return el("span", { className: "slot", title: k }, el("b", { text: label(SLOT_LABELS, k) }), text);
    }));
  }

  function renderCustomer(d) {
    destroyUsageChart();
    const body = $("c360-body");
    const parts = [];
    const c = d.customer;
    if (!c) {
      parts.push(el("p", { className: "c360__notice", text: "客户尚未验证身份，暂无账户信息" }));
      if (d.account) parts.push(kv([["户号", d.account]]));
    } else {
      parts.push(kv([
        ["户号", c.account || d.account],
        ["户名", c.name],
        ["地址", c.address],
        ["用电类别", c.category ? label(CATEGORIES, c.category) : null],
        ["计费方式", c.billing_mode ? label(BILLING, c.billing_mode) : null],
      ]));
      if (c.arrears && Number(c.arrears.total) > 0) {
        parts.push(el("div", { className: "arrears" },
          "欠费 ", el("b", { text: yuan(c.arrears.total) }),
          "（本金 " + yuan(c.arrears.principal) + " · 违约金 " + yuan(c.arrears.late_fee) + "）"));
      }
      if (c.prepaid) {
        const low = Number(c.prepaid.balance) <= 0;
        parts.push(el("div", { className: "balance" + (low ? " balance--low" : "") },
          "预付费余额 ", el("b", { text: yuan(c.prepaid.balance) }),
          c.prepaid.updated_at ? "（更新于 " + fmtDateTime(c.prepaid.updated_at) + "）" : ""));
      }
      const bills = Array.isArray(c.bills) ? c.bills.slice(-12) : [];
      if (bills.length) {
        const canvas = el("canvas", { id: "usage-chart", "aria-label": "近12期用电量" });
        parts.push(section("近 " + bills.length + " 期用电量（度）", el("div", { className: "usage-box" }, canvas)));
        const recent = bills.slice(-6).reverse();
        parts.push(section("近期账单", el("table", { className: "bills" },
          el("thead", {}, el("tr", {}, el("th", { text: "账期" }), el("th", { text: "电量(度)" }), el("th", { text: "金额(元)" }), el("th", { text: "截止" }), el("th", { text: "状态" }))),
          el("tbody", {}, recent.map(function (b) {
            return el("tr", { className: b.paid ? "bill--paid" : "bill--unpaid" },
              el("td", { text: b.period || "" }), el("td", { text: b.kwh !== undefined ? String(b.kwh) : "" }),
              el("td", { text: b.amount !== undefined ? String(b.amount) : "" }), el("td", { text: b.due_date ? String(b.due_date).slice(5) : "" }),
              el("td", {}, el("span", { className: "badge " + (b.paid ? "badge--paid" : "badge--unpaid"), text: b.paid ? "已缴" : "未缴" })));
          })))));
      } else {
        parts.push(section("账单", el("p", { className: "muted", text: "暂无账单" })));
      }
      const orders = Array.isArray(c.work_orders) ? c.work_orders : [];
      parts.push(section("在途工单" + (orders.length ? "（" + orders.length + "）" : ""), orders.length ? el("ul", { className: "items items--orders" }, orders.map(function (w) {
        return el("li", {},
          el("div", {}, el("b", { text: label(WO_TYPES, w.type) }), " · " + label(WO_STATES, w.state)),
          el("div", { className: "sub", text: (w.ticket_no || "") + " · 创建 " + fmtDateTime(w.created_at) + (w.deadline ? " · 时限 " + fmtDateTime(w.deadline) : "") }));
      })) : el("p", { className: "muted", text: "无" })));
      const outages = Array.isArray(c.outages) ? c.outages : [];
      parts.push(section("停电信息", outages.length ? el("ul", { className: "items items--outage" }, outages.map(function (o) {
        return el("li", {},
          el("div", {}, el("b", { text: o.area || "" })),
          el("div", { className: "sub", text: fmtDateTime(o.start) + " 至 " + fmtDateTime(o.end) + (o.reason ? " · " + o.reason : "") }));
      })) : el("p", { className: "muted", text: "当前无影响该客户的停电" })));
    }
    const history = Array.isArray(d.history) ? d.history : [];
    if (c) {
      parts.push(section("历史会话" + (history.length ? "（" + history.length + "）" : ""), history.length ? el("ul", { className: "items items--history" }, history.map(function (h) {
        return el("li", {},
          el("div", {}, el("b", { text: label(CHANNELS, h.channel) }), " · " + fmtDateTime(h.created_at) + " · " + label(STATES, h.state)),
          h.summary ? el("div", { className: "sub", text: h.summary }) : null);
      })) : el("p", { className: "muted", text: "没有其他渠道的会话" })));
    }
    parts.push(section("识别意图", el("div", {}, el("span", { className: "intent", text: d.intent_label || d.intent || "—" }))));
    parts.push(section("已收集信息", slotsNode(d.slots)));
    body.replaceChildren.apply(body, parts);
    if (c && Array.isArray(c.bills) && c.bills.length) drawUsage(c.bills.slice(-12));
  }

  function drawUsage(bills) {
    const canvas = $("usage-chart");
    if (!canvas || typeof window.Chart !== "function") return;
    state.usageChart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: bills.map(function (b) { return b.period || ""; }),
        datasets: [{
          label: "用电量（度）",
          data: bills.map(function (b) { return Number(b.kwh) || 0; }),
          backgroundColor: bills.map(function (b) { return b.paid ? "rgba(0,112,107,.75)" : "rgba(217,115,13,.8)"; }),
          borderRadius: 2,
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? "账期 " + items[0].label : ""; },
              label: function (ctx) { return "用电量 " + bills[ctx.dataIndex].kwh + " 度"; },
              afterLabel: function (ctx) {
                const b = bills[ctx.dataIndex];
                return "电费 " + yuan(b.amount) + (b.paid ? "（已缴）" : "（未缴）");
              },
            },
          },
        },
        scales: {
          x: { ticks: { font: { size: 10 }, maxRotation: 0, autoSkip: true, callback: function (v) { const l = this.getLabelForValue(v); return String(l).slice(2); } }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { font: { size: 10 } } },
        },
      },
    });
  }

  // ---------------------------------------------------------------- wiring
  function wire() {
    if (window.Chart) {
      window.Chart.defaults.font.family = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
      window.Chart.defaults.color = "#4b5563";
    }
    $("login-form").addEventListener("submit", onLogin);
    $("logout").addEventListener("click", onLogout);
    window.addEventListener("hashchange", applyView);
    $("queue").addEventListener("click", onQueueActivate);
    $("queue").addEventListener("keydown", onQueueActivate);
    $("claim").addEventListener("click", claim);
    $("handback").addEventListener("click", function () { transition("handback"); });
    $("resolve").addEventListener("click", function () { transition("resolve"); });
    $("reply-send").addEventListener("click", sendReply);
    $("reply-text").addEventListener("keydown", onReplyKey);
    $("tab-transcript").addEventListener("click", function () { showTab("transcript"); });
    $("tab-notes").addEventListener("click", function () { showTab("notes"); });
    $("note-send").addEventListener("click", sendNote);
    $("note-text").addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      sendNote();
    });
    $("canned-list").addEventListener("click", function (event) {
      const item = event.target.closest(".canned__item");
      if (!item) return;
      const c = state.canned.find(function (x) { return String(x.id) === item.dataset.id; });
      if (c) insertIntoReply(c.text || "");
    });
    $("canned-manage").addEventListener("click", openCannedDialog);
    $("canned-form").addEventListener("submit", saveCanned);
    $("canned-new").addEventListener("click", function () { editCanned(null); });
    $("canned-close").addEventListener("click", function () { $("canned-dialog").close(); });
    $("kb-form").addEventListener("submit", searchKb);
    $("save-candidate").addEventListener("click", openCandidateDialog);
    $("candidate-form").addEventListener("submit", submitCandidate);
    $("candidate-cancel").addEventListener("click", function () { $("candidate-dialog").close(); });
  }

  // Shared with metrics.js.
  window.PowerDesk = { api: api, el: el, report: report, durationText: durationText, isLoggedIn: function () { return !!state.agent; } };

  wire();
  boot();
})();

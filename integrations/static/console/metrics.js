// 数据看板: GET /api/console/metrics?days=7|30, drawn with Chart.js. Empty data renders
// empty charts with a 暂无数据 overlay rather than failing.
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  const charts = {};
  let seq = 0;
  const TEAL = "#00706b";
  const ORANGE = "#d9730d";
  const PALETTE = ["#00706b", "#26a69a", "#d9730d", "#5c6bc0", "#c62828", "#8d6e63", "#7cb342", "#f9a825", "#546e7a", "#ab47bc"];

  function num(v) { const n = Number(v); return isFinite(n) ? n : 0; }
  function has(v) { return v !== null && v !== undefined && v !== "" && isFinite(Number(v)); }

  function setTile(id, value, sub) {
    $(id).textContent = value;
    $(id + "-sub").textContent = sub || "";
  }

  function draw(id, config, empty) {
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    const canvas = $(id);
    const overlay = canvas.parentNode.querySelector(".chart-empty");
    if (overlay) overlay.hidden = !empty;
    if (typeof window.Chart !== "function") return;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new window.Chart(canvas, config);
  }

  function render(m) {
    m = m || {};
    const perDay = Array.isArray(m.per_day) ? m.per_day : [];
    const byReason = m.handoffs_by_reason && typeof m.handoffs_by_reason === "object" ? m.handoffs_by_reason : {};
    const reasonLabels = m.reason_labels && typeof m.reason_labels === "object" ? m.reason_labels : {};
    const dist = m.csat_distribution && typeof m.csat_distribution === "object" ? m.csat_distribution : {};
    const intents = Array.isArray(m.top_intents) ? m.top_intents : [];

    // Tiles
    const conversations = num(m.conversations);
    setTile("m-conversations", String(conversations), "近 " + (m.days || $("metrics-days").value) + " 天");
    if (has(m.containment_rate)) {
      let rate = Number(m.containment_rate);
      if (rate <= 1) rate *= 100; // a fraction (0.62) is the contract; tolerate a percentage
      setTile("m-containment", rate.toFixed(1) + "%", has(m.contained) ? "机器人独立解决 " + num(m.contained) + " 个" : "");
    } else {
      setTile("m-containment", "—", conversations ? "" : "暂无数据");
    }
    const reasonTotal = Object.keys(byReason).reduce(function (sum, k) { return sum + num(byReason[k]); }, 0);
    const handoffs = has(m.handoffs) ? num(m.handoffs) : reasonTotal;
    setTile("m-handoffs", String(handoffs), conversations ? "占会话 " + (handoffs / conversations * 100).toFixed(1) + "%" : "");
    if (has(m.csat_avg) && num(m.csat_count) !== 0) {
      setTile("m-csat", Number(m.csat_avg).toFixed(2), "满分 5 分 · 共 " + num(m.csat_count) + " 条评价");
    } else if (has(m.csat_avg)) {
      setTile("m-csat", Number(m.csat_avg).toFixed(2), "满分 5 分");
    } else {
      setTile("m-csat", "—", "暂无评价");
    }
    setTile("m-median-wait", has(m.median_wait_s) ? window.PowerDesk.durationText(m.median_wait_s) : "—", has(m.median_wait_s) ? "转人工后等待接入" : "暂无数据");

    // Conversations per day
    draw("chart-per-day", {
      type: "bar",
      data: {
        labels: perDay.map(function (d) { return String(d.date || "").slice(5); }),
        datasets: [
          { label: "会话数", data: perDay.map(function (d) { return num(d.conversations); }), backgroundColor: TEAL, borderRadius: 2, maxBarThickness: 36 },
          { label: "转人工", data: perDay.map(function (d) { return num(d.handoffs); }), backgroundColor: ORANGE, borderRadius: 2, maxBarThickness: 36 },
        ],
      },
      options: {
        plugins: { legend: { position: "top", align: "end", labels: { boxWidth: 12 } } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { grid: { display: false } } },
      },
    }, !perDay.some(function (d) { return num(d.conversations) || num(d.handoffs); }));

    // Hand-overs by reason
    const reasons = Object.keys(byReason).filter(function (k) { return num(byReason[k]) > 0; })
      .sort(function (a, b) { return num(byReason[b]) - num(byReason[a]); });
    draw("chart-reasons", {
      type: "doughnut",
      data: {
        labels: reasons.map(function (k) { return reasonLabels[k] || k; }),
        datasets: [{ data: reasons.map(function (k) { return num(byReason[k]); }), backgroundColor: reasons.map(function (_, i) { return PALETTE[i % PALETTE.length]; }), borderWidth: 1 }],
      },
      options: { cutout: "58%", plugins: { legend: { position: "right", labels: { boxWidth: 12 } } } },
    }, reasons.length === 0);

    // CSAT distribution
    const stars = ["1", "2", "3", "4", "5"];
    const counts = stars.map(function (s) { return num(dist[s]); });
    draw("chart-csat", {
      type: "bar",
      data: {
        labels: stars.map(function (s) { return s + "星"; }),
        datasets: [{ label: "评价数", data: counts, backgroundColor: ["#c62828", "#ef6c00", "#f9a825", "#26a69a", "#00706b"], borderRadius: 2, maxBarThickness: 48 }],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { grid: { display: false } } },
      },
    }, counts.every(function (c) { return c === 0; }));

    // Busiest intents
    const top = intents.slice(0, 10);
    draw("chart-intents", {
      type: "bar",
      data: {
        labels: top.map(function (t) { return t.label || t.intent || ""; }),
        datasets: [{ label: "次数", data: top.map(function (t) { return num(t.count); }), backgroundColor: "rgba(0,112,107,.8)", borderRadius: 2, maxBarThickness: 26 }],
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } },
      },
    }, top.length === 0);
  }

  async function load() {
    const days = $("metrics-days").value;
    const mine = ++seq;
    $("metrics-status").textContent = "加载中…";
    try {
      const data = await window.PowerDesk.api("GET", "/api/console/metrics?days=" + encodeURIComponent(days));
      if (mine !== seq) return;
      render(data);
      const now = new Date();
      $("metrics-status").textContent = "更新于 " + String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0") + ":" + String(now.getSeconds()).padStart(2, "0");
    } catch (e) {
      if (mine !== seq) return;
      $("metrics-status").textContent = e.status === 401 ? "" : "加载失败：" + e.message;
      if (e.status !== 401) render({});
    }
  }

  function reset() {
    seq++;
    Object.keys(charts).forEach(function (id) { charts[id].destroy(); delete charts[id]; });
    $("metrics-status").textContent = "";
  }

  $("metrics-days").addEventListener("change", load);
  $("metrics-refresh").addEventListener("click", load);

  window.PowerDeskMetrics = { show: load, reset: reset, charts: charts };
})();

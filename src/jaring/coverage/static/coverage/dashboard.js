// Draws the dashboard's charts from the same dict the API serves (json_script "dashboard-data").
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const pdfUrl = JSON.parse(document.getElementById("chart-pdf-url").textContent);
  const lang = document.documentElement.lang || "id";
  const en = lang.startsWith("en");
  const t = (id, english) => (en ? english : id);
  const brand = "#0f5e63", accent = "#e0a526", soft = "#9cc9cb", muted = "#5d6b72";
  const num = (v) => (v === null || v === undefined ? null : Number(v));
  const fmt = new Intl.NumberFormat(en ? "en-GB" : "id-ID");
  // Percentages as the page writes them: 27,00 % in Indonesian, 27.00 % in English.
  const pctFmt = new Intl.NumberFormat(en ? "en-GB" : "id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pctText = (v) => pctFmt.format(Number(v)) + " %";
  const pctTick = (v) => fmt.format(v) + " %";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = muted;
  Chart.defaults.animation = false;  // screenshots and exports show the final frame at once

  const white = {  // PNG exports get a white background instead of a transparent one
    id: "white",
    beforeDraw(chart) {
      const c = chart.ctx;
      c.save(); c.globalCompositeOperation = "destination-over";
      c.fillStyle = "#fff"; c.fillRect(0, 0, chart.width, chart.height); c.restore();
    },
  };

  const builders = {
    trend() {
      const h = data.history;
      return {
        type: "line",
        data: {
          labels: h.map((p) => p.month),
          datasets: [
            { label: t("Cakupan (%)", "Coverage (%)"), data: h.map((p) => num(p.coverage_pct)),
              borderColor: brand, backgroundColor: "rgba(15,94,99,0.12)", fill: true, tension: 0.25,
              pointRadius: 0, borderWidth: 2.5 },
            { label: t("Target (%)", "Target (%)"), data: h.map((p) => num(p.target_pct)),
              borderColor: accent, borderDash: [6, 4], pointRadius: 0, borderWidth: 2, stepped: true },
          ],
        },
        options: { maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
          plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + (c.raw === null ? "–" : pctText(c.raw)) } } },
          scales: { y: { beginAtZero: false, ticks: { callback: pctTick } },
                    x: { ticks: { maxTicksLimit: 12 } } } },
      };
    },
    segments() {
      const s = data.segments;
      return {
        type: "bar",
        data: { labels: s.map((x) => x.name),
          datasets: [{ label: t("Peserta", "Participants"), data: s.map((x) => x.participants),
            backgroundColor: [brand, soft, "#c9d3d7", accent] }] },
        options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false },
          tooltip: { callbacks: { label: (c) => fmt.format(c.raw) + (s[c.dataIndex].coverage_pct ? " · " + pctText(s[c.dataIndex].coverage_pct) : "") } } } },
      };
    },
    districts() {
      // Without district denominators, rank by Jaring members instead of coverage.
      const pct = data.districts.some((x) => x.coverage_pct !== null);
      const d = pct ? data.districts : [...data.districts].sort((a, b) => a.jaring_members - b.jaring_members);
      const target = num(data.coverage.target_pct);
      return {
        type: "bar",
        data: { labels: d.map((x) => x.name),
          datasets: [{ label: pct ? t("Cakupan (%)", "Coverage (%)") : t("Peserta Jaring", "Jaring members"),
            data: d.map((x) => (pct ? num(x.coverage_pct) : x.jaring_members)),
            backgroundColor: d.map((x) => (pct && target !== null && num(x.coverage_pct) >= target ? brand : accent)) }] },
        options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: !pct } },
          scales: { x: { beginAtZero: true, ticks: { callback: (v) => (pct ? pctTick(v) : fmt.format(v)) } } } },
      };
    },
    categories() {
      const k = data.categories.slice(0, 10);
      return {
        type: "bar",
        data: { labels: k.map((x) => x.name),
          datasets: [{ label: t("Peserta Jaring", "Jaring members"), data: k.map((x) => x.members), backgroundColor: brand }] },
        options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } } },
      };
    },
    money() {
      const m = data.money;
      if (!m) return null;
      return {
        type: "bar",
        data: { labels: [t("Iuran dibayar", "Contributions paid"), t("Manfaat dibayar", "Benefits paid")],
          datasets: [{ data: [m.contributions_paid, m.benefits_paid], backgroundColor: [brand, accent] }] },
        options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false },
          tooltip: { callbacks: { label: (c) => "Rp" + fmt.format(c.raw) } } },
          scales: { x: { ticks: { callback: (v) => "Rp" + fmt.format(v / 1e6) + (en ? "m" : " jt") } } } },
      };
    },
  };

  function exportChart(figure, chart, kind) {
    const title = figure.querySelector("h2").textContent.trim();
    const png = chart.toBase64Image("image/png", 1);
    const name = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    if (kind === "png") {
      const a = document.createElement("a");
      a.href = png; a.download = name + ".png"; a.click();
      return;
    }
    const form = document.createElement("form");
    form.method = "post"; form.action = pdfUrl; form.style.display = "none";
    const token = document.querySelector("[name=csrfmiddlewaretoken]") ||
      { value: JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"] };
    for (const [k, v] of [["png", png], ["title", title], ["csrfmiddlewaretoken", token.value]]) {
      const input = document.createElement("input");
      input.name = k; input.value = v; form.appendChild(input);
    }
    document.body.appendChild(form); form.submit(); form.remove();
  }

  document.querySelectorAll("figure[data-chart]").forEach((figure) => {
    const config = builders[figure.dataset.chart]();
    const canvas = figure.querySelector("canvas");
    if (!config || !canvas) return;
    config.plugins = [white];
    const chart = new Chart(canvas, config);
    figure.querySelectorAll("[data-export]").forEach((button) =>
      button.addEventListener("click", () => exportChart(figure, chart, button.dataset.export)));
  });
  document.body.dataset.chartsReady = "1";
})();

// Moved out of projects/figures.html so the Content-Security-Policy needs no inline scripts.
(function () {
  const data = JSON.parse(document.getElementById("figures-data").textContent);
  if (!data.units.length) { window.chartReady = true; return; }
  const chart = echarts.init(document.getElementById("figures-chart"));
  const bar = (name, key) => ({name, type: "bar", data: data[key]});
  chart.setOption({
    animation: false,
    tooltip: {trigger: "axis", valueFormatter: (v) => v == null ? "—" : v + "%"},
    legend: {top: 0},
    grid: {left: 50, right: 20, top: 36, bottom: 60},
    xAxis: {type: "category", data: data.units, axisLabel: {interval: 0, rotate: data.units.length > 8 ? 30 : 0}},
    yAxis: {type: "value", name: "%", max: (v) => Math.max(100, Math.ceil(v.max / 10) * 10)},
    series: [bar("开工率", "start_rate"), bar("履约率", "fulfilment_rate"), bar("资金到位率", "funding_rate")],
  });
  window.addEventListener("resize", () => chart.resize());
  window.chartReady = true;
})();

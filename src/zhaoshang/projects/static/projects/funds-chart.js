// Moved out of projects/detail.html so the Content-Security-Policy needs no inline scripts.
(function () {
  const data = JSON.parse(document.getElementById("funds-data").textContent);
  const box = document.getElementById("funds-chart");
  if (!box || !data.points.length) { window.chartReady = true; return; }
  const chart = echarts.init(box);
  const series = [{name: "累计到位资金", type: "line", step: "end", data: data.points, symbolSize: 6, areaStyle: {opacity: 0.15}}];
  if (data.contract) { series.push({name: "合同金额", type: "line", data: [[data.points[0][0], data.contract], [data.points[data.points.length - 1][0], data.contract]], lineStyle: {type: "dashed"}, symbol: "none"}); }
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {top: 0},
    grid: {left: 60, right: 20, top: 36, bottom: 30},
    xAxis: {type: "time", minInterval: 86400000, axisLabel: {formatter: "{yyyy}-{MM}-{dd}"}}, yAxis: {type: "value", name: "万元"}, series,
  });
  window.addEventListener("resize", () => chart.resize());
  window.chartReady = true;
})();

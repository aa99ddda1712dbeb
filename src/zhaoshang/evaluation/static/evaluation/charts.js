// Charts of the evaluation pages; each draws only when its element and data are on the page.
(function () {
  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function draw(id, option) {
    const node = document.getElementById(id);
    if (!node || !window.echarts) return;
    const chart = echarts.init(node);
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
  }
  const grades = data("grade-data");
  if (grades) {
    const series = [{name: grades.this_label, type: "bar", data: grades.this, label: {show: true, position: "top", formatter: "{c}%"}}];
    if (grades.last_label) series.unshift({name: grades.last_label, type: "bar", data: grades.last, itemStyle: {color: "#adb5bd"}});
    draw("grade-chart", {
      tooltip: {trigger: "axis"}, legend: {top: 0, right: 0},
      grid: {left: 40, right: 10, top: 44, bottom: 24},
      xAxis: {type: "category", data: grades.grades}, yAxis: {type: "value", name: "%"},
      series: series,
    });
  }
  const parks = data("park-data");
  if (parks) {
    draw("park-chart", {
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 50, right: 50, top: 30, bottom: 60},
      xAxis: {type: "category", data: parks.labels, axisLabel: {rotate: 20}},
      yAxis: [{type: "value", name: "亩均税收"}, {type: "value", name: "亩均增加值"}],
      series: [
        {name: "亩均税收（万元/亩）", type: "bar", data: parks.tax_per_mu},
        {name: "亩均增加值（万元/亩）", type: "line", yAxisIndex: 1, data: parks.value_added_per_mu},
      ],
    });
  }
  const history = data("history-data");
  if (history && history.years.length) {
    draw("history-chart", {
      tooltip: {trigger: "axis"},
      grid: {left: 40, right: 10, top: 20, bottom: 24},
      xAxis: {type: "category", data: history.years}, yAxis: {type: "value", name: "总分"},
      series: [{type: "line", data: history.scores, label: {show: true, formatter: (p) => history.grades[p.dataIndex]}}],
    });
  }
  window.chartReady = true;
})();

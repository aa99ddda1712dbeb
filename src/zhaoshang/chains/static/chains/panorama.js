// The chain's panorama: an ECharts tree from the json_script block; clicking a node opens its page.
(function () {
  const box = document.getElementById("panorama");
  const block = document.getElementById("panorama-data");
  if (!box || !block) { window.chartReady = true; return; }
  const data = JSON.parse(block.textContent);
  const chart = echarts.init(box);
  chart.setOption({
    tooltip: {
      trigger: "item",
      formatter: function (p) {
        const d = p.data;
        if (!d.link) return d.name;
        return d.name + "（" + d.status + "）<br>企业 " + d.enterprises + " 家，项目 " + d.projects + " 个，目标企业 " + d.targets + " 家";
      },
    },
    series: [{
      type: "tree", data: [data], top: 20, left: 110, bottom: 20, right: 220,
      symbol: "circle", symbolSize: 12, initialTreeDepth: -1, expandAndCollapse: false, animation: false,
      label: {position: "left", verticalAlign: "middle", align: "right", fontSize: 13},
      leaves: {label: {position: "right", verticalAlign: "middle", align: "left"}},
    }],
  });
  chart.on("click", function (p) { if (p.data && p.data.link) window.location.href = p.data.link; });
  window.addEventListener("resize", function () { chart.resize(); });
  window.panorama = chart;
  window.chartReady = true;
})();

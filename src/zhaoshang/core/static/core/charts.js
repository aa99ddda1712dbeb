// Every chart of the site, drawn from data attributes: no inline scripts in the templates.
//
//   {{ figures|json_script:"year-data" }}
//   A tree (data-chart="tree"): the data is the root {name, children: [...]}; an item's "tip" (already
//   escaped HTML) is its tooltip. In any chart, clicking an item whose data has "link" opens it.
//
//   <div class="zs-chart" id="year-chart" style="height: 260px"
//        data-chart="line"                  default series type (line, bar, …)
//        data-source="year-data"            id of the json_script block holding the data
//        data-x="years"                     key of the categories in the data
//        data-series='[{"key": "tax", "name": "实缴税金"}]'
//        data-y="万元"                      y-axis name, or a JSON list of names for several axes
//        data-options='{"grid": {"left": 60}}'></div>   merged last into the ECharts option
//
// A series names its data by "key", its legend by "name" or "name_key" (a key of the data); "axis"
// picks the y axis, "label" is a label formatter ("{c}%"), "label_key" labels each point with
// data[label_key][i]; other keys (type, symbolSize, itemStyle, …) go to ECharts as they are.
// A series whose data or name is missing is left out; a chart without categories is not drawn.
//
// Loaded once by base.html; ECharts itself is fetched from data-echarts only when a page has a
// chart. Charts are drawn on load and in content htmx swaps in; `window.chartReady` turns true
// once the charts of the page are drawn (browser tests wait for it).
(function () {
  "use strict";
  const script = document.currentScript;
  const drawn = new Set();
  let loading = null;

  function json(text, fallback) {
    if (text === undefined || text === null || text === "") return fallback;
    try {
      return JSON.parse(text);
    } catch (error) {
      console.error("zs-chart: not JSON", text, error);
      return fallback;
    }
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function merge(target, source) {
    if (Array.isArray(target) && Array.isArray(source)) {
      return source.map((item, i) => (i < target.length ? merge(target[i], item) : item));
    }
    if (isObject(target) && isObject(source)) {
      const out = Object.assign({}, target);
      for (const key of Object.keys(source)) out[key] = key in target ? merge(target[key], source[key]) : source[key];
      return out;
    }
    return source;
  }

  function dataOf(node) {
    const block = document.getElementById(node.dataset.source || "");
    let data = block ? json(block.textContent, null) : null;
    if (typeof data === "string") data = json(data, null); // a view that passed a JSON string
    return data;
  }

  const OWN_KEYS = new Set(["key", "name", "name_key", "axis", "label", "label_key"]);

  function seriesOf(node, data) {
    const kind = node.dataset.chart || "line";
    const out = [];
    for (const spec of json(node.dataset.series, [])) {
      const values = data[spec.key];
      const name = spec.name_key ? data[spec.name_key] : spec.name;
      if (!Array.isArray(values) || (spec.name_key && !name)) continue;
      const series = {type: kind, data: values};
      if (kind === "line") series.connectNulls = false;
      if (name) series.name = name;
      if (spec.axis) series.yAxisIndex = spec.axis;
      if (spec.label) series.label = {show: true, position: "top", formatter: spec.label};
      if (spec.label_key) {
        const labels = data[spec.label_key] || [];
        series.label = {show: true, formatter: (p) => (labels[p.dataIndex] === undefined ? "" : labels[p.dataIndex])};
      }
      for (const key of Object.keys(spec)) if (!OWN_KEYS.has(key)) series[key] = spec[key];
      out.push(series);
    }
    return out;
  }

  function treeOption(node, data) {
    return merge({
      tooltip: {trigger: "item", formatter: (p) => (p.data && p.data.tip) || p.name},
      series: [{
        type: "tree", data: [data], top: 20, left: 110, bottom: 20, right: 220,
        symbol: "circle", symbolSize: 12, initialTreeDepth: -1, expandAndCollapse: false, animation: false,
        label: {position: "left", verticalAlign: "middle", align: "right", fontSize: 13},
        leaves: {label: {position: "right", verticalAlign: "middle", align: "left"}},
      }],
    }, json(node.dataset.options, {}));
  }

  function optionOf(node, data) {
    if (node.dataset.chart === "tree") return treeOption(node, data);
    const categories = data[node.dataset.x || "x"] || [];
    if (!categories.length) return null;
    const series = seriesOf(node, data);
    let names = json(node.dataset.y, null);
    if (names === null) names = node.dataset.y || "";
    const yAxis = (Array.isArray(names) ? names : [names]).map((name) => ({type: "value", name: name}));
    const option = {
      tooltip: {trigger: "axis"},
      grid: {left: 50, right: 20, top: 36, bottom: 30},
      xAxis: {type: "category", data: categories},
      yAxis: yAxis.length === 1 ? yAxis[0] : yAxis,
      series: series,
    };
    if (series.some((s) => s.name)) option.legend = {top: 0};
    return merge(option, json(node.dataset.options, {}));
  }

  function draw(node) {
    if (node.dataset.drawn || !node.isConnected) return;
    node.dataset.drawn = "1";
    const data = dataOf(node);
    const option = data && optionOf(node, data);
    if (!option) return;
    const chart = window.echarts.init(node);
    chart.setOption(option);
    chart.on("click", (p) => {
      if (p.data && p.data.link) window.location.href = p.data.link;
    });
    drawn.add(chart);
  }

  function withECharts(then) {
    if (window.echarts) return then();
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const tag = document.createElement("script");
        tag.src = script.dataset.echarts;
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    loading.then(then, (error) => console.error("zs-chart: ECharts did not load", error));
  }

  function drawWithin(root) {
    if (!root || !root.querySelectorAll) return;
    const nodes = Array.from(root.querySelectorAll(".zs-chart:not([data-drawn])"));
    if (root.matches && root.matches(".zs-chart:not([data-drawn])")) nodes.unshift(root);
    if (!nodes.length) return;
    window.chartReady = false;
    withECharts(() => {
      nodes.forEach(draw);
      window.chartReady = true;
    });
  }

  window.addEventListener("resize", () => {
    for (const chart of drawn) {
      if (chart.isDisposed() || !chart.getDom().isConnected) drawn.delete(chart);
      else chart.resize();
    }
  });
  document.addEventListener("htmx:beforeCleanupElement", (event) => {
    const node = event.detail && event.detail.elt;
    const chart = node && window.echarts && window.echarts.getInstanceByDom(node);
    if (chart) {
      drawn.delete(chart);
      chart.dispose();
    }
  });
  // htmx:load fires for the page and for every piece of content htmx swaps in.
  document.addEventListener("htmx:load", (event) => drawWithin(event.detail && event.detail.elt));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => drawWithin(document));
  } else {
    drawWithin(document);
  }
  window.zsCharts = {draw: drawWithin};
})();

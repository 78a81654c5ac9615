// Draws the dashboard's charts with ECharts from the JSON the page carries; clicking a bar, a
// slice or a point opens the records behind it. Without script the tables under the charts
// carry the same numbers and links.
(function () {
  "use strict";
  var data = document.getElementById("chart-data");
  if (!data || !window.echarts) return;
  var charts = JSON.parse(data.textContent).charts;
  var drawn = [];
  charts.forEach(function (chart) {
    var el = document.getElementById("chart-" + chart.key);
    if (!el) return;
    var instance = window.echarts.init(el, null, { renderer: "svg" });
    var option;
    if (chart.kind === "pie") {
      // On a phone the slice labels do not fit beside the ring: the legend names the slices
      // instead, wrapping onto lines rather than scrolling.
      var narrow = el.clientWidth < 480;
      option = {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: narrow ? "plain" : "scroll" },
        series: [{
          type: "pie", radius: narrow ? ["30%", "55%"] : ["35%", "65%"], name: chart.series[0].name,
          center: ["50%", narrow ? "40%" : "50%"], label: { show: !narrow },
          data: chart.labels.map(function (label, i) { return { name: label, value: chart.series[0].data[i] }; })
        }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 12, top: 32, bottom: 56 },
        xAxis: { type: "category", data: chart.labels, axisLabel: { rotate: chart.labels.length > 4 ? 40 : 0, interval: 0 } },
        yAxis: { type: "value" },
        series: chart.series.map(function (s) {
          return { type: chart.kind, name: s.name, data: s.data, smooth: false };
        })
      };
    }
    instance.setOption(option);
    if (chart.urls && chart.urls.length) {
      instance.on("click", function (params) {
        var url = chart.urls[params.dataIndex];
        if (url) window.location.href = url;
      });
      el.style.cursor = "pointer";
    }
    drawn.push(instance);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();

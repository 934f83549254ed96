// The report's constant style sheet and script (report_page.h).
#include <string>

#include "pipeline/chart.h"
#include "pipeline/report_page.h"

namespace stancetrack {
namespace {

// System fonts only (no web fonts: the page loads nothing), readable line lengths, zebra
// tables, and a print layout without the interactive panel.
constexpr char kCss[] = R"css(
:root{--ink:#1d2330;--muted:#5b6475;--line:#dde1e7;--zebra:#f5f7f9;--head:#eaeef3;--accent:#0b5cad}
*{box-sizing:border-box}
body{
  margin:0;
  font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
    sans-serif;
  color:var(--ink);background:#fff}
header{padding:1.2rem 1.5rem .8rem;border-bottom:1px solid var(--line);background:#fafbfc}
header,main{max-width:1480px;margin:0 auto}
h1{margin:0 0 .7rem;font-size:1.6rem;font-weight:650}
h2{margin:2rem 0 .2rem;font-size:1.2rem;font-weight:650}
.stats{display:flex;flex-wrap:wrap;gap:.5rem 2rem}
.stats div{display:flex;flex-direction:column}
.stats b{font-size:1.2rem;font-variant-numeric:tabular-nums}
.stats span{font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.filters{
  margin:.6rem 0 0;padding:.3rem .6rem;background:#fff4d6;border-radius:4px;display:inline-block}
nav{margin-top:.8rem;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:.9rem}
a{color:var(--accent)}
main{padding:0 1.5rem 3rem}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 23rem;gap:2rem;align-items:start}
.policy h2{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1.1rem}
.meta,.note{margin:.2rem 0 .7rem;color:var(--muted);max-width:75ch}
.timeline-chart{display:block;width:100%;height:auto}
.point{cursor:pointer}
.point:hover,.point:focus{stroke:#111;stroke-width:2;outline:none}
.point.selected{stroke:#111;stroke-width:3}
aside{position:sticky;top:1rem;margin-top:2rem}
#evidence{
  border:1px solid var(--line);border-radius:8px;padding:1rem 1.1rem;background:#fafbfc;
  max-height:calc(100vh - 2rem);overflow:auto}
#evidence .hint{margin:0;color:var(--muted)}
#evidence .actor{margin:0 0 .3rem;font-size:1.15rem}
#evidence .meta span{margin-right:.8rem}
#evidence .field{margin:.3rem 0}
#evidence .label{display:inline-block;min-width:4.5rem;color:var(--muted);font-size:.85rem}
#evidence .sentence{
  margin:.7rem 0;padding:.6rem .8rem;border-left:4px solid var(--accent);background:#fff;
  font-size:1.02rem}
#evidence .speaker:empty::after,#evidence .title:empty::after,#evidence .source:empty::after{
  content:"not given";color:var(--muted);font-style:italic}
#evidence .article{display:inline-block;margin-top:.5rem;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid var(--line)}
thead th{background:var(--head);font-weight:600;white-space:nowrap}
tbody tr:nth-child(even){background:var(--zebra)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.date{white-space:nowrap;font-variant-numeric:tabular-nums}
td.evidence{min-width:24rem;max-width:60ch}
td.none{color:var(--muted);font-style:italic}
.doc{overflow-wrap:anywhere}
.first{color:var(--muted)}
.badge{white-space:nowrap}
.badge::before{margin-right:.3em}
@media (max-width:1100px){
.layout{grid-template-columns:minmax(0,1fr)}
aside{top:auto;bottom:0;margin:0}
#evidence{max-height:45vh;box-shadow:0 -2px 8px rgba(0,0,0,.08)}
}
@media print{
body{font-size:10pt}
aside,nav{display:none}
.layout{display:block}
header,main{max-width:none;padding:0}
.policy,tr{break-inside:avoid}
h2{break-after:avoid}
a{color:inherit;text-decoration:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)css";

}  // namespace

std::string ReportCss() {
  std::string css = kCss;
  for (std::string_view polarity : {"support", "oppose", "mixed"}) {
    css += ".badge." + std::string(polarity) + "::before{content:\"" +
           std::string(PolarityGlyph(polarity)) +
           "\";color:" + std::string(PolarityColor(polarity)) + "}\n";
  }
  return css;
}

// Vanilla, no dependencies. Data goes into the page with textContent and createElement only,
// never innerHTML, and a url becomes a link only if it is http(s).
const char kReportScript[] = R"js(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('stance-data').textContent);
  var panel = document.getElementById('evidence');
  var selected = null;

  function add(parent, tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function field(label, cls, text) {
    var p = add(panel, 'p', 'field');
    add(p, 'span', 'label', label);
    add(p, 'span', cls, text);
  }

  function show(point) {
    var d = data[point.getAttribute('data-stance')];
    if (!d) return;
    if (selected) selected.classList.remove('selected');
    selected = point;
    point.classList.add('selected');
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    add(panel, 'h3', 'actor', d.actor);
    var meta = add(panel, 'p', 'meta');
    add(meta, 'span', 'polarity badge ' + d.polarity, d.polarity);
    add(meta, 'span', 'date', d.date);
    add(meta, 'span', 'policy', d.policy);
    field('Speaker', 'speaker', d.speaker);
    add(panel, 'blockquote', 'sentence', d.sentence);
    field('Article', 'title', d.title);
    field('Source', 'source', d.source);
    field('File', 'document', d.document);
    if (/^https?:\/\//i.test(d.url)) {
      var a = add(panel, 'a', 'article', 'Open the article');
      a.href = d.url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
    }
  }

  function pointOf(target) {
    return target && target.closest ? target.closest('.point') : null;
  }

  document.addEventListener('click', function (e) {
    var point = pointOf(e.target);
    if (point) show(point);
  });
  document.addEventListener('keydown', function (e) {
    var point = pointOf(e.target);
    if (point && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      show(point);
    }
  });
})();
)js";

}  // namespace stancetrack

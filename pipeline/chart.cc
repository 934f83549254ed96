#include "pipeline/chart.h"

#include <algorithm>
#include <array>
#include <vector>

#include "pipeline/chart_layout.h"
#include "pipeline/output.h"

namespace stancetrack {
namespace {

using chart::kLaneStep;
using chart::kMarker;
using chart::kRightMargin;
using chart::kRowHeight;
using chart::kWidth;
using chart::Layout;
using chart::Mark;
using chart::Num;
using chart::Row;
using chart::Tick;

// Geometry, in SVG user units (pixels at 100%); the rows' is in chart_layout.h.
constexpr int kTitleHeight = 30;   // standalone only: the policy's name
constexpr int kLegendHeight = 28;  // the legend, above the rows
constexpr int kAxisHeight = 30;    // tick marks and their labels
constexpr int kNoteHeight = 22;    // standalone only: the undated note
constexpr int kChartGap = 24;      // standalone only: between stacked charts
constexpr int kMargin = 16;        // standalone only: around the charts
constexpr char kFont[] =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";

enum class Shape { kUp, kDown, kDiamond };

struct Style {
  std::string_view polarity;
  std::string_view color;
  Shape shape;
  std::string_view glyph;  // the shape as text
};
constexpr std::array<Style, 3> kStyles = {{{"support", "#0072b2", Shape::kUp, "▲"},
                                           {"oppose", "#d55e00", Shape::kDown, "▼"},
                                           {"mixed", "#6b6b6b", Shape::kDiamond, "◆"}}};
constexpr Style kOtherStyle = {"", "#a0a0a0", Shape::kDiamond, "◆"};

const Style& StyleOf(std::string_view polarity) {
  for (const Style& s : kStyles) {
    if (s.polarity == polarity) return s;
  }
  return kOtherStyle;
}

// The path of a marker centred on (x, y).
std::string MarkerPath(Shape shape, double x, double y) {
  const double s = kMarker, h = kMarker * 0.85;
  auto p = [](double a, double b) { return Num(a) + " " + Num(b); };
  switch (shape) {
    case Shape::kUp:
      return "M" + p(x, y - s) + "L" + p(x + s, y + h) + "L" + p(x - s, y + h) + "Z";
    case Shape::kDown:
      return "M" + p(x, y + s) + "L" + p(x + s, y - h) + "L" + p(x - s, y - h) + "Z";
    case Shape::kDiamond:
      break;
  }
  return "M" + p(x, y - s) + "L" + p(x + s, y) + "L" + p(x, y + s) + "L" + p(x - s, y) + "Z";
}

std::string Tooltip(const StancePoint& p) {
  std::string t = p.actor + " — " + p.polarity + ", " + p.date;
  if (!p.speaker.empty()) t += "\nSpeaker: " + p.speaker;
  t += "\n“" + CutToWidth(p.evidence, kMaxTooltipColumns) + "”";
  if (!p.title.empty()) t += "\n" + p.title;
  if (!p.source.empty()) t += " (" + p.source + ")";
  return t;
}

void AppendPoint(const Mark& m, int row_top, std::string* svg) {
  const StancePoint& p = *m.point;
  const Style& style = StyleOf(p.polarity);
  const double y = row_top + kRowHeight / 2.0 + m.lane * kLaneStep;
  std::string label = p.actor + ", " + p.polarity + ", " + p.date;
  if (!p.speaker.empty()) label += ", " + p.speaker;
  *svg += "<path class=\"point\" d=\"" + MarkerPath(style.shape, m.x, y) + "\" fill=\"" +
          std::string(style.color) + "\" stroke=\"#fff\" data-stance=\"" +
          std::to_string(p.stance_id) + "\" data-polarity=\"" + EscapeHtml(p.polarity) +
          "\" data-actor=\"" + EscapeHtml(p.actor) + "\" data-date=\"" + EscapeHtml(p.date) +
          "\" tabindex=\"0\" role=\"button\" aria-label=\"" + EscapeHtml(label) + "\"><title>" +
          EscapeHtml(Tooltip(p)) + "</title></path>\n";
}

void AppendRows(const Layout& layout, std::string* svg) {
  for (size_t i = 0; i < layout.rows.size(); ++i) {
    const Row& row = layout.rows[i];
    if (i % 2 == 0) {
      *svg += "<rect x=\"0\" y=\"" + Num(row.top) + "\" width=\"" + Num(kWidth) + "\" height=\"" +
              Num(row.height()) + "\" fill=\"#f4f6f8\"/>\n";
    }
    const std::string label = CutToWidth(row.actor, kMaxActorLabelColumns);
    *svg += "<text class=\"actor\" x=\"" + Num(layout.label_width - 8) + "\" y=\"" +
            Num(row.top + kRowHeight / 2.0) + "\" dy=\"0.35em\" text-anchor=\"end\">" +
            EscapeHtml(label);
    if (label != row.actor) *svg += "<title>" + EscapeHtml(row.actor) + "</title>";
    *svg += "</text>\n";
  }
}

void AppendAxis(const Layout& layout, int rows_top, int axis_y, std::string* svg) {
  for (const Tick& t : layout.ticks) {
    *svg += "<line x1=\"" + Num(t.x) + "\" y1=\"" + Num(rows_top) + "\" x2=\"" + Num(t.x) +
            "\" y2=\"" + Num(axis_y + 5) + "\" stroke=\"#d0d4d9\"/>\n<text x=\"" + Num(t.x) +
            "\" y=\"" + Num(axis_y + 18) + "\" text-anchor=\"middle\" fill=\"#444\">" +
            EscapeHtml(t.label) + "</text>\n";
  }
  *svg += "<line x1=\"" + Num(layout.label_width) + "\" y1=\"" + Num(axis_y) + "\" x2=\"" +
          Num(kWidth - kRightMargin) + "\" y2=\"" + Num(axis_y) + "\" stroke=\"#888\"/>\n";
}

void AppendLegend(int x, int y, std::string* svg) {
  for (const Style& s : kStyles) {
    *svg += "<path d=\"" + MarkerPath(s.shape, x + kMarker, y) + "\" fill=\"" +
            std::string(s.color) + "\"/><text x=\"" + Num(x + 2 * kMarker + 5) + "\" y=\"" +
            Num(y) + "\" dy=\"0.35em\">" + std::string(s.polarity) + "</text>\n";
    x += 84;
  }
}

int CountUndated(const Timeline& timeline, std::string_view policy) {
  return static_cast<int>(std::count_if(timeline.undated.begin(), timeline.undated.end(),
                                        [&](const StancePoint& p) { return p.policy == policy; }));
}

// The chart of `policy`; *height receives its height. Standalone charts carry the policy's
// name above and the undated note below.
std::string RenderChart(const Timeline& timeline, std::string_view policy, bool standalone,
                        int* height) {
  const int legend_top = standalone ? kTitleHeight : 0;
  const Layout layout = chart::LayOut(timeline, policy, legend_top + kLegendHeight);
  const int rows_top = legend_top + kLegendHeight;
  int axis_y = rows_top;
  for (const Row& row : layout.rows) axis_y += row.height();
  *height =
      (layout.rows.empty() ? rows_top : axis_y + kAxisHeight) + (standalone ? kNoteHeight : 0);
  std::string svg = "<svg class=\"timeline-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    Num(kWidth) + "\" height=\"" + Num(*height) + "\" viewBox=\"0 0 " +
                    Num(kWidth) + " " + Num(*height) + "\" font-family=\"" + kFont +
                    "\" font-size=\"12\" role=\"group\" aria-label=\"Stances toward " +
                    EscapeHtml(policy) + ", by actor over time\">\n";
  if (standalone) {
    svg += "<text x=\"0\" y=\"20\" font-size=\"16\" font-weight=\"600\">" + EscapeHtml(policy) +
           "</text>\n";
  }
  if (layout.rows.empty()) {
    svg +=
        "<text x=\"0\" y=\"" + Num(rows_top - 10) + "\" fill=\"#444\">No dated stances.</text>\n";
  } else {
    AppendLegend(layout.label_width, legend_top + kLegendHeight / 2, &svg);
    AppendRows(layout, &svg);
    AppendAxis(layout, rows_top, axis_y, &svg);
  }
  for (const Row& row : layout.rows) {
    for (const Mark& m : row.marks) AppendPoint(m, row.top, &svg);
  }
  if (standalone) {
    const int undated = CountUndated(timeline, policy) + layout.unplaced;
    svg += "<text x=\"0\" y=\"" + Num(*height - 6) + "\" fill=\"#444\">Undated stances (not " +
           "shown): " + std::to_string(undated) + "</text>\n";
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
    } else if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view PolarityColor(std::string_view polarity) { return StyleOf(polarity).color; }

std::string_view PolarityGlyph(std::string_view polarity) { return StyleOf(polarity).glyph; }

std::string PolicyChartSvg(const Timeline& timeline, std::string_view policy) {
  const bool any = std::any_of(timeline.points.begin(), timeline.points.end(),
                               [&](const StancePoint& p) { return p.policy == policy; });
  int height = 0;
  return any ? RenderChart(timeline, policy, false, &height) : std::string();
}

void WriteTimelineSvg(const Timeline& timeline, std::ostream* out) {
  std::vector<std::string> policies;
  for (const auto* list : {&timeline.points, &timeline.undated}) {
    for (const StancePoint& p : *list) policies.push_back(p.policy);
  }
  std::sort(policies.begin(), policies.end());
  policies.erase(std::unique(policies.begin(), policies.end()), policies.end());
  std::string body;
  int y = kMargin;
  for (const std::string& policy : policies) {
    int height = 0;
    std::string chart = RenderChart(timeline, policy, true, &height);
    body += "<g transform=\"translate(" + Num(kMargin) + "," + Num(y) + ")\">\n" + chart + "</g>\n";
    y += height + kChartGap;
  }
  if (policies.empty()) {
    body = "<text x=\"" + Num(kMargin) + "\" y=\"" + Num(kMargin + 16) +
           "\">No stances recorded.</text>\n";
    y += kTitleHeight + kChartGap;
  }
  const std::string width = Num(kWidth + 2 * kMargin), height = Num(y - kChartGap + kMargin);
  *out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
       << "\" viewBox=\"0 0 " << width << " " << height << "\" font-family=\"" << kFont
       << "\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
       << body << "</svg>\n";
}

}  // namespace stancetrack

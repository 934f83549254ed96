// PrintTimeline (views.h): the Timeline of pipeline/timeline.h as a table, CSV, JSON or SVG.
#include <nlohmann/json.hpp>

#include "pipeline/chart.h"
#include "pipeline/views.h"

namespace stancetrack {
namespace {

std::string ChangeText(const ChangePoint& c) {
  return c.from.empty() ? "first" : c.from + "->" + c.to;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

nlohmann::json PointJson(const StancePoint& p) {
  return {{"stance_id", p.stance_id}, {"policy", p.policy},     {"actor", p.actor},
          {"speaker", p.speaker},     {"polarity", p.polarity}, {"confidence", p.confidence},
          {"date", p.date},           {"evidence", p.evidence}, {"document", p.document},
          {"title", p.title},         {"source", p.source},     {"url", p.url}};
}

// points: those p.strongest indexes.
nlohmann::json PeriodJson(const std::vector<StancePoint>& points, const TimelinePeriod& p) {
  return {{"policy", p.policy},
          {"actor", p.actor},
          {"period", p.period},
          {"polarity", p.polarity},
          {"stories", p.stories},
          {"stances", p.stances},
          {"evidence", p.strongest ? PointJson(points[*p.strongest]) : nullptr}};
}

nlohmann::json ChangeJson(const ChangePoint& c) {
  return {{"policy", c.policy}, {"actor", c.actor},
          {"period", c.period}, {"from", c.from.empty() ? nullptr : nlohmann::json(c.from)},
          {"to", c.to},         {"documents", c.documents}};
}

// Writes `items` as the array `key` of the top-level object, laid out as a dump of the whole
// object with an indent of 2 would lay them out, one item at a time: a tree of a large
// timeline's every item took a third of its time to build and free.
template <typename Item, typename ToJson>
void PrintJsonArray(std::string_view key, const std::vector<Item>& items, ToJson to_json,
                    std::ostream* out) {
  *out << "  \"" << key << "\": ";
  if (items.empty()) {
    *out << "[]";
    return;
  }
  *out << "[\n";
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item =
        to_json(items[i]).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    // One level deeper: JSON strings hold no raw line break, so every one starts a line.
    *out << "    ";
    for (size_t begin = 0, end; begin < item.size(); begin = end + 1) {
      end = std::min(item.find('\n', begin), item.size());
      out->write(item.data() + begin, static_cast<std::streamsize>(end - begin));
      if (end < item.size()) *out << "\n    ";
    }
    *out << (i + 1 < items.size() ? ",\n" : "\n");
  }
  *out << "  ]";
}

// The keys in nlohmann::json's order (sorted), as the timeline has always printed them.
void PrintJson(const Timeline& t, std::ostream* out) {
  *out << "{\n";
  PrintJsonArray("change_points", t.changes, ChangeJson, out);
  *out << ",\n";
  PrintJsonArray(
      "periods", t.periods, [&](const auto& p) { return PeriodJson(t.points, p); }, out);
  *out << ",\n";
  PrintJsonArray(
      "undated", t.undated_periods, [&](const auto& p) { return PeriodJson(t.undated, p); }, out);
  *out << "\n}\n";
}

// One row per period, then one per undated period; `change` marks the change points.
void PrintCsv(const Timeline& t, std::ostream* out) {
  const std::vector<std::string> columns = {"policy",   "actor",  "period",  "polarity",
                                            "stories",  "change", "date",    "speaker",
                                            "document", "url",    "evidence"};
  std::map<std::tuple<std::string, std::string, std::string>, std::string> changes;
  for (const ChangePoint& c : t.changes) changes[{c.policy, c.actor, c.period}] = ChangeText(c);
  RowPrinter csv(OutputFormat::kCsv, out);
  for (auto [periods, points] :
       {std::pair{&t.periods, &t.points}, std::pair{&t.undated_periods, &t.undated}}) {
    for (const TimelinePeriod& p : *periods) {
      StancePoint none;
      const StancePoint& e = p.strongest ? (*points)[*p.strongest] : none;
      auto change = changes.find({p.policy, p.actor, p.period});
      csv.Add(columns, {p.policy, p.actor, p.period, p.polarity, p.stories,
                        change == changes.end() ? "" : change->second, e.date, e.speaker,
                        e.document, e.url, e.evidence});
    }
  }
  csv.Finish();
}

std::string TerminalColor(const std::string& column, std::string_view cell) {
  if (column != "polarity" && column != "to") return "";
  if (cell == "support") return "32";
  if (cell == "oppose") return "31";
  if (cell == "mixed") return "33";
  return cell == "none" ? "2" : "";
}

void PrintTable(const Timeline& t, bool color, std::ostream* out) {
  const std::vector<std::string> period_columns = {"policy",  "actor",    "period",  "polarity",
                                                   "stories", "evidence", "document"};
  RowPrinter periods(OutputFormat::kTable, out);
  if (color) periods.set_cell_color(TerminalColor);
  for (const TimelinePeriod& p : t.periods) {
    std::string evidence = "(named, no position)", document;
    if (p.strongest) {
      evidence = t.points[*p.strongest].evidence;
      document = t.points[*p.strongest].document;
    }
    periods.Add(period_columns,
                {p.policy, p.actor, p.period, p.polarity, p.stories, evidence, document});
  }
  periods.Finish();
  if (t.periods.empty()) *out << "no dated stances match\n";
  if (!t.changes.empty()) {
    *out << "\nchange points\n";
    RowPrinter changes(OutputFormat::kTable, out);
    if (color) changes.set_cell_color(TerminalColor);
    for (const ChangePoint& c : t.changes) {
      changes.Add({"policy", "actor", "period", "from", "to", "documents"},
                  {c.policy, c.actor, c.period, c.from.empty() ? "(first)" : c.from, c.to,
                   Join(c.documents)});
    }
    changes.Finish();
  }
  if (t.undated_periods.empty()) return;
  *out << "\nundated stances (no date in the text or the metadata): each actor's strongest, and"
          " how many; `stances --policy P --actor A` lists them all\n";
  const std::vector<std::string> undated_columns = {"policy",  "actor",    "polarity", "stances",
                                                    "stories", "evidence", "document"};
  RowPrinter undated(OutputFormat::kTable, out);
  if (color) undated.set_cell_color(TerminalColor);
  for (const TimelinePeriod& p : t.undated_periods) {
    const StancePoint& u = t.undated[*p.strongest];
    undated.Add(undated_columns,
                {p.policy, p.actor, p.polarity, p.stances, p.stories, u.evidence, u.document});
  }
  undated.Finish();
}

}  // namespace

Status PrintTimeline(const Store& store, TimelineOptions options, std::string_view format,
                     bool color, std::ostream* out) {
  options.every_point = format == "svg";  // the chart draws every point
  StatusOr<Timeline> timeline = BuildTimeline(store, options);
  if (!timeline.ok()) return timeline.status();
  if (format == "json") {
    PrintJson(*timeline, out);
  } else if (format == "csv") {
    PrintCsv(*timeline, out);
  } else if (format == "svg") {
    WriteTimelineSvg(*timeline, out);
  } else if (format == "table") {
    PrintTable(*timeline, color, out);
  } else {
    return Status::InvalidArgument("timeline: unknown format '" + std::string(format) + "'");
  }
  return Status::Ok();
}

}  // namespace stancetrack

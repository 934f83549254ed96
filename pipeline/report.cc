#include "pipeline/report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "pipeline/chart.h"
#include "pipeline/reader.h"
#include "pipeline/report_page.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

// Failed inputs that no later run stored, each with the reason of its latest failure.
constexpr char kFailuresSql[] =
    "SELECT e.path, e.reason, r.started_at FROM ingest_errors e JOIN runs r ON r.id = e.run_id"
    " WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.path = e.path)"
    " AND e.run_id = (SELECT MAX(l.run_id) FROM ingest_errors l WHERE l.path = e.path)"
    " ORDER BY e.path, e.id";

StatusOr<ReportData> Load(const Store& store, const ReportOptions& options) {
  TimelineOptions timeline_options = options.timeline;
  timeline_options.every_point = true;  // the page draws every point and shows its evidence
  StatusOr<Timeline> timeline = BuildTimeline(store, timeline_options);
  if (!timeline.ok()) return timeline.status();
  ReportData data;
  data.timeline = std::move(*timeline);
  ST_RETURN_IF_ERROR(
      store.Query("SELECT COUNT(*) FROM documents", {}, [&](const auto&, const auto& row) {
        data.documents = std::get<int64_t>(row[0]);
        return false;
      }));
  ST_RETURN_IF_ERROR(store.Query(kFailuresSql, {}, [&](const auto&, const auto& row) {
    data.failures.push_back({TextOf(row[0]), TextOf(row[1]), TextOf(row[2])});
    return true;
  }));
  return data;
}

// Appends JSON text for a <script> element: < > & occur only inside JSON strings, where \u
// escapes mean the same.
void AppendScriptSafe(std::string_view json, std::string* out) {
  for (char c : json) {
    if (c == '<') {
      *out += "\\u003c";
    } else if (c == '>') {
      *out += "\\u003e";
    } else if (c == '&') {
      *out += "\\u0026";
    } else {
      *out += c;
    }
  }
}

// Appends the evidence behind every point, keyed by stance id, as the page's script reads it.
// Only web urls are kept: the script checks again before it makes a link. One point at a time,
// in the order a JSON object prints its keys (sorted as text): a tree of all 263,000 points of
// the policy database, its text and an escaped copy of that made the report's peak 0.7 GB higher.
void AppendStanceData(const Timeline& timeline, std::string* out) {
  std::vector<std::pair<std::string, const StancePoint*>> keyed;
  for (const StancePoint& p : timeline.points) keyed.emplace_back(std::to_string(p.stance_id), &p);
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  *out += '{';
  bool first = true;
  for (const auto& [key, point] : keyed) {
    const StancePoint& p = *point;
    const nlohmann::json data = {{"policy", p.policy},     {"actor", p.actor},
                                 {"speaker", p.speaker},   {"polarity", p.polarity},
                                 {"date", p.date},         {"sentence", p.evidence},
                                 {"title", p.title},       {"source", p.source},
                                 {"document", p.document}, {"url", IsWebUrl(p.url) ? p.url : ""}};
    *out += first ? "\"" : ",\"";
    *out += key + "\":";
    first = false;
    AppendScriptSafe(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), out);
  }
  *out += '}';
}

// The first and last date of the points of `policy` (empty: of every policy).
std::pair<std::string, std::string> DateRange(const Timeline& timeline, std::string_view policy) {
  std::string first, last;
  for (const StancePoint& p : timeline.points) {
    if (!policy.empty() && p.policy != policy) continue;
    if (first.empty() || p.date < first) first = p.date;
    last = std::max(last, p.date);
  }
  return {first, last};
}

std::string PolicySection(const Timeline& timeline, const std::string& policy) {
  std::set<std::string> actors;
  size_t points = 0;
  for (const StancePoint& p : timeline.points) {
    if (p.policy != policy) continue;
    ++points;
    actors.insert(p.actor);
  }
  const auto [first, last] = DateRange(timeline, policy);
  const auto undated = std::count_if(timeline.undated.begin(), timeline.undated.end(),
                                     [&](const StancePoint& p) { return p.policy == policy; });
  std::string meta = std::to_string(points) + (points == 1 ? " stance" : " stances") + " by " +
                     std::to_string(actors.size()) + (actors.size() == 1 ? " actor" : " actors") +
                     ", " + first + (first == last ? "" : " to " + last) + ".";
  if (undated > 0) meta += " " + std::to_string(undated) + " undated, listed below.";
  const std::string id = EscapeHtml(policy);
  return "<section class=\"policy\" data-policy=\"" + id + "\" id=\"policy-" + id + "\">\n<h2>" +
         id + "</h2>\n<p class=\"meta\">" + EscapeHtml(meta) + "</p>\n" +
         PolicyChartSvg(timeline, policy) + "</section>\n";
}

std::string Charts(const Timeline& timeline, const std::set<std::string>& policies) {
  std::string out = "<div class=\"charts\">\n";
  for (const std::string& policy : policies) out += PolicySection(timeline, policy);
  if (policies.empty()) out += "<p class=\"none\">No dated stances to chart.</p>\n";
  return out + "</div>\n";
}

std::string Header(const ReportData& data, const ReportOptions& options,
                   const std::set<std::string>& charted) {
  const Timeline& t = data.timeline;
  std::set<std::string> policies, actors;
  for (const auto* list : {&t.points, &t.undated}) {
    for (const StancePoint& p : *list) {
      policies.insert(p.policy);
      actors.insert(p.actor);
    }
  }
  const auto [first, last] = DateRange(t, "");
  auto stat = [](const std::string& value, const std::string& label) {
    return "<div><b>" + EscapeHtml(value) + "</b><span>" + label + "</span></div>";
  };
  std::string out = "<header>\n<h1>" + EscapeHtml(options.title) + "</h1>\n<div class=\"stats\">" +
                    stat(std::to_string(data.documents), "documents") +
                    stat(std::to_string(t.points.size() + t.undated.size()), "stances") +
                    stat(std::to_string(t.undated.size()), "undated") +
                    stat(std::to_string(policies.size()), "policies") +
                    stat(std::to_string(actors.size()), "actors") +
                    stat(first.empty() ? "none" : first + " – " + last, "dates") +
                    stat(std::to_string(data.failures.size()), "failed inputs") + "</div>\n";
  out += FilterNote(options.timeline) + "<nav>";
  for (const std::string& policy : charted) {
    out += "<a href=\"#policy-" + EscapeHtml(policy) + "\">" + EscapeHtml(policy) + "</a>";
  }
  return out + "<a href=\"#changes\">Change points</a><a href=\"#actors\">Actors</a>" +
         "<a href=\"#undated\">Undated</a><a href=\"#failures\">Failed inputs</a></nav>\n" +
         "</header>\n";
}

std::string Body(const ReportData& data, const ReportOptions& options) {
  std::set<std::string> charted;
  for (const StancePoint& p : data.timeline.points) charted.insert(p.policy);
  // The stance data, the largest part, is written straight into the page.
  std::string body = Header(data, options, charted);
  body += "<main>\n<div class=\"layout\">\n";
  body += Charts(data.timeline, charted);
  body +=
      "<aside><div id=\"evidence\" aria-live=\"polite\"><p class=\"hint\">Select a point in "
      "a chart (click it, or Tab to it and press Enter) to see the sentence behind it and "
      "where it comes from.</p></div></aside>\n</div>\n";
  for (const std::string& table : {ChangesTable(data), ActorsTable(data.timeline),
                                   UndatedTable(data), FailuresTable(data.failures)}) {
    body += table;
  }
  body += "</main>\n<script type=\"application/json\" id=\"stance-data\">";
  AppendStanceData(data.timeline, &body);
  body += "</script>\n";
  return body;
}

}  // namespace

bool IsWebUrl(std::string_view url) {
  const std::string scheme = AsciiLower(url.substr(0, 8));
  return (scheme.starts_with("http://") && url.size() > 7) ||
         (scheme.starts_with("https://") && url.size() > 8);
}

Status WriteReport(const Store& store, const ReportOptions& options, std::ostream* out) {
  StatusOr<ReportData> data = Load(store, options);
  if (!data.ok()) return data.status();
  const std::string body = Body(*data, options);
  // Derived from the content, not drawn at random, so that the page is reproducible. A script
  // tag smuggled into the body would have to carry the hash of a body that contains it.
  const std::string nonce = ContentHash(body);
  *out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       << "style-src 'unsafe-inline'; img-src data:; script-src 'nonce-" << nonce << "'\">\n"
       << "<title>" << EscapeHtml(options.title) << "</title>\n<style>" << ReportCss()
       << "</style>\n</head>\n<body>\n"
       << body << "<script nonce=\"" << nonce << "\">" << kReportScript << "</script>\n"
       << "</body>\n</html>\n";
  out->flush();
  if (!*out) return Status::IoError("report: could not write the page");
  return Status::Ok();
}

}  // namespace stancetrack

// The report's tables (report_page.h).
#include <algorithm>
#include <map>
#include <set>

#include "pipeline/chart.h"
#include "pipeline/report_page.h"

namespace stancetrack {
namespace {

std::string Td(std::string_view text) { return "<td>" + EscapeHtml(text) + "</td>"; }

// A date or period, kept on one line.
std::string DateTd(std::string_view date) {
  return "<td class=\"date\">" + EscapeHtml(date) + "</td>";
}

// A polarity as the charts draw it: the shape's symbol in the polarity's colour, then the name.
std::string Badge(std::string_view polarity) {
  return "<span class=\"badge " + EscapeHtml(polarity) + "\">" + EscapeHtml(polarity) + "</span>";
}

// The document's path, a link to its article when the url is a web address.
std::string DocumentLink(std::string_view path, std::string_view url) {
  if (!IsWebUrl(url)) return "<span class=\"doc\">" + EscapeHtml(path) + "</span>";
  return "<a class=\"doc\" href=\"" + EscapeHtml(url) + "\" rel=\"noopener noreferrer\">" +
         EscapeHtml(path) + "</a>";
}

std::string Joined(const std::set<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

// A section with a heading, a note, and a table of `rows` (each a run of <td>s) under `headers`;
// one row saying `empty` when there are none.
std::string Section(std::string_view id, std::string_view heading, std::string_view note,
                    std::string_view table, const std::vector<std::string>& headers,
                    const std::vector<std::string>& rows, std::string_view empty) {
  std::string out = "<section id=\"" + std::string(id) + "\">\n<h2>" + std::string(heading) +
                    "</h2>\n<p class=\"note\">" + std::string(note) + "</p>\n<table class=\"" +
                    std::string(table) + "\">\n<thead><tr>";
  for (const std::string& h : headers) out += "<th scope=\"col\">" + h + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const std::string& row : rows) out += "<tr>" + row + "</tr>\n";
  if (rows.empty()) {
    out += "<tr><td class=\"none\" colspan=\"" + std::to_string(headers.size()) + "\">" +
           std::string(empty) + "</td></tr>\n";
  }
  return out + "</tbody>\n</table>\n</section>\n";
}

struct ActorSummary {
  std::string actor;
  std::set<std::string> policies;
  std::set<std::string> speakers;
  std::map<std::string, int> by_polarity;
  int total = 0;
  std::string first, last;  // dates of the dated stances
};

std::vector<ActorSummary> Summaries(const Timeline& timeline) {
  std::map<std::string, ActorSummary> by_actor;
  for (const auto* list : {&timeline.points, &timeline.undated}) {
    for (const StancePoint& p : *list) {
      ActorSummary& s = by_actor[p.actor];
      s.actor = p.actor;
      s.policies.insert(p.policy);
      if (!p.speaker.empty()) s.speakers.insert(p.speaker);
      ++s.by_polarity[p.polarity];
      ++s.total;
      if (p.date.empty()) continue;
      if (s.first.empty() || p.date < s.first) s.first = p.date;
      s.last = std::max(s.last, p.date);
    }
  }
  std::vector<ActorSummary> out;
  for (auto& [actor, s] : by_actor) out.push_back(std::move(s));
  std::stable_sort(out.begin(), out.end(),
                   [](const ActorSummary& a, const ActorSummary& b) { return a.total > b.total; });
  return out;
}

}  // namespace

std::string FilterNote(const TimelineOptions& o) {
  std::string note;
  auto add = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) note += (note.empty() ? "" : ", ") + std::string(label) + " " + value;
  };
  add("policy", o.policy);
  add("actor", o.actor);
  add("from", o.from);
  add("to", o.to);
  return note.empty() ? "" : "<p class=\"filters\">Showing only " + EscapeHtml(note) + ".</p>\n";
}

std::string ChangesTable(const ReportData& data) {
  std::map<std::string, std::string> urls;  // document -> article url
  for (const StancePoint& p : data.timeline.points) urls.emplace(p.document, p.url);
  std::vector<std::string> rows;
  for (const ChangePoint& c : data.timeline.changes) {
    std::string change = c.from.empty()
                             ? "<span class=\"first\">first position</span> " + Badge(c.to)
                             : Badge(c.from) + " → " + Badge(c.to);
    std::string documents;
    for (const std::string& d : c.documents) {
      documents += (documents.empty() ? "" : "<br>") + DocumentLink(d, urls[d]);
    }
    rows.push_back(Td(c.policy) + Td(c.actor) + DateTd(c.period) + "<td>" + change + "</td><td>" +
                   documents + "</td>");
  }
  return Section("changes", "Change points",
                 "Each actor's first recorded position on each policy, and every change after "
                 "it. A period in which an actor is named but takes no position keeps the last "
                 "position.",
                 "changes", {"Policy", "Actor", "Period", "Change", "Documents"}, rows,
                 "No dated positions.");
}

std::string ActorsTable(const Timeline& timeline) {
  std::vector<std::string> rows;
  for (const ActorSummary& s : Summaries(timeline)) {
    std::string counts;
    for (std::string_view polarity : {"support", "oppose", "mixed"}) {
      auto it = s.by_polarity.find(std::string(polarity));
      counts += "<td class=\"num\">" + std::to_string(it == s.by_polarity.end() ? 0 : it->second) +
                "</td>";
    }
    rows.push_back(Td(s.actor) + Td(Joined(s.policies)) + counts + DateTd(s.first) +
                   DateTd(s.last) + Td(Joined(s.speakers)));
  }
  return Section("actors", "Actors",
                 "Every actor with a recorded position, most stances first; first and last are "
                 "the dates of its dated stances.",
                 "actors",
                 {"Actor", "Policies", Badge("support"), Badge("oppose"), Badge("mixed"), "First",
                  "Last", "Speakers"},
                 rows, "No stances recorded.");
}

std::string UndatedTable(const ReportData& data) {
  std::vector<std::string> rows;
  for (const StancePoint& p : data.timeline.undated) {
    rows.push_back(Td(p.policy) + Td(p.actor) + Td(p.speaker) + "<td>" + Badge(p.polarity) +
                   "</td><td class=\"evidence\">" + EscapeHtml(p.evidence) + "</td><td>" +
                   DocumentLink(p.document, p.url) + "</td>");
  }
  return Section("undated", "Undated stances",
                 "Stances whose article gives no date: they cannot be placed on a timeline.",
                 "undated", {"Policy", "Actor", "Speaker", "Polarity", "Evidence", "Document"},
                 rows, "Every stance has a date.");
}

std::string FailuresTable(const std::vector<Failure>& failures) {
  std::vector<std::string> rows;
  for (const Failure& f : failures)
    rows.push_back(Td(f.path) + Td(f.reason) + DateTd(f.started_at));
  return Section("failures", "Inputs that failed to ingest",
                 "Files and lines that could not be read or processed and were not stored by a "
                 "later run, with the reason of their latest failure.",
                 "failures", {"File", "Reason", "Run started"}, rows,
                 "No failures: every input was stored.");
}

}  // namespace stancetrack

#include "pipeline/chart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/chart_layout.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using testing::CountOccurrences;

using ::testing::HasSubstr;
using ::testing::Not;

StancePoint Point(int64_t id, const std::string& policy, const std::string& actor,
                  const std::string& polarity, const std::string& date,
                  const std::string& evidence = "The rule is a mistake, the firm said.") {
  StancePoint p;
  p.stance_id = id;
  p.policy = policy;
  p.actor = actor;
  p.polarity = polarity;
  p.date = date;
  p.evidence = evidence;
  p.document = "doc" + std::to_string(id) + ".txt";
  p.story = p.document;
  p.title = "Title " + std::to_string(id);
  p.source = "Example Wire";
  p.url = "https://news.example/" + std::to_string(id);
  return p;
}

// The opening tag of the point whose data-stance is `id`.
std::string PointTag(const std::string& svg, int64_t id) {
  const std::string key = "data-stance=\"" + std::to_string(id) + "\"";
  const size_t at = svg.find(key);
  if (at == std::string::npos) return "";
  const size_t begin = svg.rfind('<', at);
  return svg.substr(begin, svg.find('>', at) - begin + 1);
}

// The numbers of a marker's path "M x y L x y ... Z" of the point `id`.
std::vector<double> PathNumbers(const std::string& svg, int64_t id) {
  std::smatch m;
  const std::string tag = PointTag(svg, id);
  std::regex_search(tag, m, std::regex(" d=\"([^\"]*)\""));
  std::vector<double> numbers;
  std::string d = m[1];
  for (char& c : d) {
    if (c == 'M' || c == 'L' || c == 'Z') c = ' ';
  }
  std::istringstream in(d);
  for (double v; in >> v;) numbers.push_back(v);
  return numbers;
}

// Checks that `xml` is a well-formed tree as far as this writer's output can be malformed: every
// tag closes in order, attribute values are quoted and hold no '<', and every '&' starts one of
// the entities EscapeHtml writes. Returns "" or what is wrong.
std::string StructureProblem(const std::string& xml) {
  static const std::regex kEntity("^&(amp|lt|gt|quot|#39);");
  std::vector<std::string> open;
  for (size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] == '&' && !std::regex_search(xml.begin() + i, xml.end(), kEntity)) {
      return "bare & at " + std::to_string(i);
    }
    if (xml[i] != '<') continue;
    size_t end = i + 1;
    for (char quote = 0; end < xml.size() && (quote || xml[end] != '>'); ++end) {
      if (quote == 0 && (xml[end] == '"' || xml[end] == '\'')) {
        quote = xml[end];
      } else if (quote != 0 && xml[end] == quote) {
        quote = 0;
      } else if (quote != 0 && xml[end] == '<') {
        return "< inside an attribute at " + std::to_string(end);
      }
    }
    const std::string tag = xml.substr(i + 1, end - i - 1);
    if (tag.empty()) return "empty tag at " + std::to_string(i);
    const std::string name =
        tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" /\n", 1) - (tag[0] == '/' ? 1 : 0));
    if (tag[0] == '?') {
      // the XML declaration
    } else if (tag[0] == '/') {
      if (open.empty() || open.back() != name) return "unexpected </" + name + ">";
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(name);
    }
    i = end;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

TEST(EscapeHtmlTest, EscapesMarkupCharactersAndControls) {
  const struct {
    std::string in, out;
  } kCases[] = {
      {"plain text", "plain text"},
      {"AT&T", "AT&amp;T"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
      {"it's", "it&#39;s"},
      {"tab\there\nline", "tab\there\nline"},
      {std::string("nul\0x", 5), "nul\xEF\xBF\xBDx"},
      {"bell\x07", "bell\xEF\xBF\xBD"},
      {"华为 «quotes»", "华为 «quotes»"},
  };
  for (const auto& c : kCases) EXPECT_EQ(EscapeHtml(c.in), c.out) << c.in;
}

TEST(ChartLayoutTest, DayNumberReadsWholeAndPartialDates) {
  const struct {
    std::string date;
    std::optional<int> day;
  } kCases[] = {
      {"1970-01-01", 0},
      {"1970-01-02", 1},
      {"2025-03", 20148},
      {"2025-03-01", 20148},
      {"2025", 20089},
      {"2024-02-29", 19782},
      {"2025-02-29", std::nullopt},
      {"2025-13", std::nullopt},
      {"2025/03/01", std::nullopt},
      {"25-03-01", std::nullopt},
      {"2025-3-1", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : kCases) EXPECT_EQ(chart::DayNumber(c.date), c.day) << c.date;
}

TEST(PolicyChartSvgTest, DrawsOneMarkerPerPointOfThePolicy) {
  Timeline t;
  t.points = {Point(1, "ai-diffusion-rule", "Nvidia", "oppose", "2025-01-14"),
              Point(2, "ai-diffusion-rule", "Microsoft", "oppose", "2025-01-15"),
              Point(3, "gain-ai-act", "Nvidia", "oppose", "2025-03-02"),
              Point(4, "ai-diffusion-rule", "Nvidia", "support", "2025-05-20")};
  t.undated = {Point(5, "ai-diffusion-rule", "Oracle", "oppose", "")};
  const std::string svg = PolicyChartSvg(t, "ai-diffusion-rule");
  EXPECT_EQ(CountOccurrences(svg, "class=\"point\""), 3);
  for (int64_t id : {1, 2, 4}) EXPECT_NE(PointTag(svg, id), "") << id;
  EXPECT_EQ(PointTag(svg, 3), "");
  EXPECT_EQ(PointTag(svg, 5), "");
  EXPECT_THAT(svg, HasSubstr("<svg class=\"timeline-chart\""));
  EXPECT_THAT(PointTag(svg, 4), HasSubstr("tabindex=\"0\" role=\"button\" aria-label=\"Nvidia, "
                                          "support, 2025-05-20\""));
  EXPECT_THAT(PointTag(svg, 4), HasSubstr("data-actor=\"Nvidia\" data-date=\"2025-05-20\""));
  EXPECT_EQ(StructureProblem(svg), "");
}

TEST(PolicyChartSvgTest, ShapeAndColourFollowPolarity) {
  Timeline t;
  t.points = {Point(1, "p", "A", "support", "2025-01-01"),
              Point(2, "p", "A", "oppose", "2025-06-01"),
              Point(3, "p", "A", "mixed", "2025-12-01")};
  const std::string svg = PolicyChartSvg(t, "p");
  const struct {
    int64_t id;
    std::string polarity;
    size_t vertices;
    int apex;  // -1: first vertex above the others (up), +1: below (down), 0: diamond
  } kCases[] = {{1, "support", 3, -1}, {2, "oppose", 3, +1}, {3, "mixed", 4, 0}};
  for (const auto& c : kCases) {
    const std::string tag = PointTag(svg, c.id);
    EXPECT_THAT(tag, HasSubstr("fill=\"" + std::string(PolarityColor(c.polarity)) + "\""));
    EXPECT_THAT(tag, HasSubstr("data-polarity=\"" + c.polarity + "\""));
    const std::vector<double> xy = PathNumbers(svg, c.id);
    ASSERT_EQ(xy.size(), 2 * c.vertices) << c.polarity;
    if (c.apex != 0) {
      EXPECT_EQ(xy[1] < xy[3] ? -1 : +1, c.apex) << c.polarity;
    }
  }
  EXPECT_NE(PolarityColor("support"), PolarityColor("oppose"));
  EXPECT_NE(PolarityColor("oppose"), PolarityColor("mixed"));
  EXPECT_EQ(CountOccurrences(svg, ">support</text>") + CountOccurrences(svg, ">oppose</text>") +
                CountOccurrences(svg, ">mixed</text>"),
            3);  // the legend
}

TEST(PolicyChartSvgTest, EscapesArticleTextInTextAndAttributes) {
  Timeline t;
  t.points = {Point(7, "p", "A&B <Corp> \"Q\" 'S'", "oppose", "2025-02-03",
                    "He said </title><script>alert(1)</script> & left.")};
  t.points[0].title = "\"><img src=x onerror=alert(1)>";
  t.points[0].speaker = "Jo <b>";
  const std::string svg = PolicyChartSvg(t, "p");
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("<img")));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  EXPECT_THAT(svg, HasSubstr("data-actor=\"A&amp;B &lt;Corp&gt; &quot;Q&quot; &#39;S&#39;\""));
  EXPECT_THAT(svg, HasSubstr("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; left."));
  EXPECT_THAT(svg, HasSubstr("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_EQ(StructureProblem(svg), "");
}

TEST(PolicyChartSvgTest, SingleDatePolicyGetsAMonthLongAxis) {
  Timeline t;
  t.points = {Point(1, "p", "Nvidia", "oppose", "2025-03-14")};
  const std::string svg = PolicyChartSvg(t, "p");
  EXPECT_THAT(svg, HasSubstr(">Mar 2025</text>"));
  EXPECT_THAT(svg, HasSubstr(">Apr</text>"));
  const std::vector<double> xy = PathNumbers(svg, 1);
  ASSERT_EQ(xy.size(), 6u);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("<text x=\"([0-9.]+)\"[^>]*>Mar 2025<")));
  const double march = std::stod(m[1]);
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("<text x=\"([0-9.]+)\"[^>]*>Apr<")));
  const double april = std::stod(m[1]);
  EXPECT_GT(xy[0], march + (april - march) * 0.3);  // the 14th of 31 days
  EXPECT_LT(xy[0], march + (april - march) * 0.6);
}

TEST(PolicyChartSvgTest, LongSpansTickByQuarter) {
  Timeline t;
  t.points = {Point(1, "p", "A", "oppose", "2023-01-10"), Point(2, "p", "A", "oppose", "2025-11")};
  const std::string svg = PolicyChartSvg(t, "p");
  EXPECT_THAT(svg, HasSubstr(">Jan 2024</text>"));
  EXPECT_THAT(svg, HasSubstr(">Apr</text>"));
  EXPECT_THAT(svg, Not(HasSubstr(">Feb</text>")));
}

TEST(PolicyChartSvgTest, MarkersOfOneActorAndDateDoNotOverlap) {
  Timeline t;
  t.points = {Point(1, "p", "Nvidia", "oppose", "2025-04-09"),
              Point(2, "p", "Nvidia", "oppose", "2025-04-09"),
              Point(3, "p", "Nvidia", "support", "2025-04-10"),
              Point(4, "p", "AMD", "oppose", "2025-09-01")};
  const std::string svg = PolicyChartSvg(t, "p");
  std::vector<double> y;
  for (int64_t id : {1, 2, 3}) y.push_back(PathNumbers(svg, id)[1]);
  EXPECT_NE(y[0], y[1]);
  EXPECT_NE(y[0], y[2]);
  EXPECT_NE(y[1], y[2]);
}

TEST(PolicyChartSvgTest, RowsFollowFirstAppearanceThenName) {
  Timeline t;
  t.points = {Point(1, "p", "Zeta Labs", "oppose", "2025-01-05"),
              Point(2, "p", "Beta Corp", "oppose", "2025-02-01"),
              Point(3, "p", "Alpha Inc", "oppose", "2025-02-01")};
  const std::string svg = PolicyChartSvg(t, "p");
  const size_t zeta = svg.find(">Zeta Labs<"), alpha = svg.find(">Alpha Inc<"),
               beta = svg.find(">Beta Corp<");
  ASSERT_NE(zeta, std::string::npos);
  EXPECT_LT(zeta, alpha);
  EXPECT_LT(alpha, beta);
}

TEST(PolicyChartSvgTest, CjkActorNamesAreKeptAndLongOnesCut) {
  Timeline t;
  const std::string long_name = "中华人民共和国商务部产业安全与进出口管制局新闻发言人办公室";
  t.points = {Point(1, "p", "华为", "oppose", "2025-01-05"),
              Point(2, "p", long_name, "support", "2025-02-01")};
  const std::string svg = PolicyChartSvg(t, "p");
  EXPECT_THAT(svg, HasSubstr(">华为</text>"));
  EXPECT_THAT(svg, HasSubstr("data-actor=\"" + long_name + "\""));
  EXPECT_THAT(svg, HasSubstr("…<title>" + long_name + "</title></text>"));
  EXPECT_EQ(StructureProblem(svg), "");
}

TEST(PolicyChartSvgTest, TooltipCutsLongEvidence) {
  Timeline t;
  const std::string evidence = std::string(300, 'x') + " ends here.";
  t.points = {Point(1, "p", "A", "oppose", "2025-01-05", evidence)};
  t.points[0].speaker = "Dana Reyes";
  const std::string svg = PolicyChartSvg(t, "p");
  EXPECT_THAT(svg, HasSubstr("<title>A — oppose, 2025-01-05\nSpeaker: Dana Reyes\n“" +
                             std::string(kMaxTooltipColumns - 1, 'x') +
                             "…”\nTitle 1 (Example "
                             "Wire)</title>"));
}

TEST(PolicyChartSvgTest, PolicyWithoutDatedPointsHasNoChart) {
  Timeline t;
  t.undated = {Point(1, "p", "A", "oppose", "")};
  EXPECT_EQ(PolicyChartSvg(t, "p"), "");
  EXPECT_EQ(PolicyChartSvg(t, "other"), "");
}

TEST(WriteTimelineSvgTest, StacksOneChartPerPolicyWithUndatedNotes) {
  Timeline t;
  t.points = {Point(1, "b-policy", "A", "oppose", "2025-01-05"),
              Point(2, "a-policy", "B", "support", "2025-02-01"),
              Point(3, "a-policy", "B", "support", "not a date")};
  t.undated = {Point(4, "a-policy", "C", "mixed", ""), Point(5, "c-policy", "C", "mixed", "")};
  std::ostringstream out;
  WriteTimelineSvg(t, &out);
  const std::string svg = out.str();
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=", 0), 0u);
  EXPECT_EQ(StructureProblem(svg), "");
  EXPECT_EQ(CountOccurrences(svg, "class=\"point\""),
            2);  // the point with a bad date cannot be placed
  const size_t a = svg.find(">a-policy</text>"), b = svg.find(">b-policy</text>"),
               c = svg.find(">c-policy</text>");
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_THAT(svg.substr(a, b - a), HasSubstr("Undated stances (not shown): 2"));
  EXPECT_THAT(svg.substr(b, c - b), HasSubstr("Undated stances (not shown): 0"));
  EXPECT_THAT(svg.substr(c), HasSubstr("No dated stances."));
  EXPECT_THAT(svg.substr(c), HasSubstr("Undated stances (not shown): 1"));
}

TEST(WriteTimelineSvgTest, EmptyTimelineSaysSo) {
  std::ostringstream out;
  WriteTimelineSvg(Timeline{}, &out);
  EXPECT_THAT(out.str(), HasSubstr("No stances recorded."));
  EXPECT_EQ(StructureProblem(out.str()), "");
}

TEST(WriteTimelineSvgTest, SameTimelineSameBytes) {
  Timeline t;
  t.points = {Point(1, "p", "A", "oppose", "2025-01-05"),
              Point(2, "p", "B", "mixed", "2025-01-05")};
  std::ostringstream first, second;
  WriteTimelineSvg(t, &first);
  WriteTimelineSvg(t, &second);
  EXPECT_EQ(first.str(), second.str());
}

}  // namespace
}  // namespace stancetrack

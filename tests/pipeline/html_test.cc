#include "pipeline/html.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "pipeline/limits.h"
#include "pipeline/normalize.h"

namespace stancetrack {
namespace {

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// What text a page yields: the body, with the metadata that decides the title line.
TEST(HtmlTest, BodyText) {
  struct Case {
    const char* name;
    std::string html;
    std::string body;
  } cases[] = {
      {"block elements are paragraphs", "<p>One.</p><div>Two.</div><h2>Three</h2><li>Four</li>",
       "One.\n\nTwo.\n\nThree\n\nFour"},
      {"inline elements continue the paragraph",
       "<p>Chips <b>and</b> <a href=x>tools</a>, <span>both</span>.</p>", "Chips and tools, both."},
      {"white space collapses", "<p>  Export\n\t controls   tightened. </p>",
       "Export controls tightened."},
      {"br breaks a line", "<p>First line<br>second line<br/>third</p>",
       "First line\nsecond line\nthird"},
      {"pre keeps its lines", "<pre>a  b\nc</pre>", "a  b\nc"},
      {"entities are decoded", "<p>AT&amp;T &pound;5 &#x4E2D;&nbsp;x</p>", "AT&T £5 中\u00A0x"},
      {"page blocks by tag are dropped",
       "<nav>Menu</nav><header>Site</header><script>var a = 1;</script><style>p {}</style>"
       "<p>Kept.</p><aside>Aside</aside><form><label>Email</label><input></form>"
       "<button>Share</button><iframe>frame</iframe><svg><text>icon</text></svg>"
       "<noscript>Enable JS</noscript><figure><figcaption>Photo: agency</figcaption></figure>"
       "<footer>Footer</footer><template><p>later</p></template>",
       "Kept."},
      {"page blocks by class, id and role are dropped",
       "<div class=\"cookie-banner\">We use cookies</div><p>Kept one.</p>"
       "<div id=\"share-bar\">Share</div><ul class=\"social-links\"><li>X</li></ul>"
       "<section class=\"comments\">A comment</section><div role=\"navigation\">Nav</div>"
       "<div class=\"newsletterSignup\">Sign up</div><div class=\"ad-slot\">Ad</div>"
       "<p class=\"byline\">By A. Writer</p><p>Kept two, a longer paragraph of article text "
       "that holds most of the words on this page.</p>",
       "Kept one.\n\nKept two, a longer paragraph of article text that holds most of the words "
       "on this page."},
      {"hidden elements are dropped",
       "<p hidden>Hidden</p><p aria-hidden=\"true\">Icon</p>"
       "<p style=\"color: red; display : none\">None</p><p>Shown.</p>",
       "Shown."},
      {"names do not drop a block that holds most of the text",
       "<div class=\"layout with-sidebar\"><p>The whole article is inside this wrapper, which "
       "carries a misleading name.</p></div><p>Tail.</p>",
       "The whole article is inside this wrapper, which carries a misleading name.\n\nTail."},
      {"a header inside the article is kept",
       "<header>Site masthead</header><article><header><p>Standfirst.</p></header>"
       "<p>Story text.</p></article>",
       "Standfirst.\n\nStory text."},
      {"the main article wins over cards and the rest of the page",
       "<p>Outside.</p><main><article><p>The story itself, which is long enough to hold most of "
       "the text of the main element.</p></article><article><p>Card.</p></article></main>",
       "The story itself, which is long enough to hold most of the text of the main element."},
      {"a list of short articles reads the whole container",
       "<main><article><p>First teaser.</p></article><article><p>Second teaser.</p></article>"
       "<article><p>Third teaser.</p></article></main>",
       "First teaser.\n\nSecond teaser.\n\nThird teaser."},
      {"broken markup still yields text", "<<p>Broken</span></div> markup<td>cell</b></p>>",
       "<\n\nBroken markupcell\n\n>"},
  };
  for (const Case& c : cases) {
    ParsedArticle a = ParseHtmlArticle(c.html);
    EXPECT_EQ(a.body, c.body) << c.name;
    EXPECT_TRUE(a.warnings.empty()) << c.name;
  }
}

// One-line dump of the metadata a page gives.
std::string Meta(const std::string& html) {
  Metadata m = ParseHtmlArticle(html).meta;
  return "title=" + m.title + " url=" + m.url + " published=" + m.published +
         " author=" + m.author + " language=" + m.language + " source=" + m.source;
}

TEST(HtmlTest, Metadata) {
  const std::string ld_open = "<script type=\"application/ld+json\">";
  struct Case {
    std::string html;
    std::string meta;
  } cases[] = {
      {"<title>Page | Site</title><h1>Headline</h1>",
       "title=Headline url= published= author= language= source="},
      {"<title> Page\n title </title>",
       "title=Page title url= published= author= language= source="},
      {"<meta property=og:title content=\"OG title\"><h1>Headline</h1>"
       "<meta property=og:site_name content=Site>",
       "title=OG title url= published= author= language= source=Site"},
      {ld_open + "{\"@type\": \"NewsArticle\", \"headline\": \"LD title\"}</script><h1>H</h1>",
       "title=LD title url= published= author= language= source="},
      {"<link rel=canonical href=https://a.example/x><meta property=og:url content=https://b>",
       "title= url=https://a.example/x published= author= language= source="},
      {"<meta property=og:url content=https://b.example/y>",
       "title= url=https://b.example/y published= author= language= source="},
      {"<meta property=article:published_time content=2025-01-13T10:00:00Z>"
       "<time datetime=2024-01-01>x</time>",
       "title= url= published=2025-01-13 author= language= source="},
      {"<meta name=date content=2025/04/15>",
       "title= url= published=2025-04-15 author= language= source="},
      {"<p>By <time itemprop=datePublished datetime=2025-07-14T09:00>July 14</time></p>",
       "title= url= published=2025-07-14 author= language= source="},
      {"<meta name=date content=\"last Tuesday\"><time datetime=2025-02-01>Feb 1</time>",
       "title= url= published=2025-02-01 author= language= source="},
      {ld_open + "[{\"@type\": \"Organization\", \"name\": \"Org\"}, {\"@type\": "
                 "[\"NewsArticle\"], \"datePublished\": \"2025-05-13\", \"author\": "
                 "{\"@type\": \"Person\", \"name\": \"Ann Lee\"}}]</script>",
       "title= url= published=2025-05-13 author=Ann Lee language= source="},
      {ld_open + "{\"@graph\": [{\"@type\": \"WebPage\", \"datePublished\": \"2020-01-01\"}, "
                 "{\"@type\": \"ReportageNewsArticle\", \"datePublished\": \"2025-08-11\", "
                 "\"author\": [\"Ann Lee\", {\"name\": \"Bo Chen\"}]}]}</script>",
       "title= url= published=2025-08-11 author=Ann Lee, Bo Chen language= source="},
      {ld_open + "{\"datePublished\": broken</script><time datetime=2025-03-03>x</time>",
       "title= url= published=2025-03-03 author= language= source="},
      {"<meta name=author content=\"Jane Doe\">" + ld_open +
           "{\"@type\": \"Article\", \"author\": \"Someone Else\"}</script>",
       "title= url= published= author=Jane Doe language= source="},
      {"<meta name=author content=https://social.example/jane>",
       "title= url= published= author= language= source="},
      {"<html lang=en-GB><p>x</p></html>", "title= url= published= author= language=en source="},
      {"<meta property=og:locale content=de_DE>",
       "title= url= published= author= language=de source="},
      {"<html lang=\"not a language\">", "title= url= published= author= language= source="},
  };
  for (const Case& c : cases) EXPECT_EQ(Meta(c.html), c.meta) << c.html;
}

TEST(HtmlTest, ParagraphRepeatingTheTitleIsDropped) {
  ParsedArticle a = ParseHtmlArticle(
      "<meta property=og:title content=\"Rule rescinded\"><article><h1>Rule  rescinded</h1>"
      "<p>The rule was rescinded in May.</p></article>");
  EXPECT_EQ(a.meta.title, "Rule rescinded");
  EXPECT_EQ(a.body, "The rule was rescinded in May.");
}

TEST(HtmlTest, DeclaredCharset) {
  struct Case {
    std::string html;
    const char* charset;
  } cases[] = {
      {"<meta charset=\"gbk\"><p>x</p>", "gbk"},
      {"<head><meta charset=Shift_JIS></head>", "Shift_JIS"},
      {"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">", "big5"},
      {"<meta http-equiv=content-type content=\"text/html; charset='euc-kr'\">", "euc-kr"},
      {"<meta name=description content=\"charset=koi8-r\">", ""},
      {"<p>no declaration</p>", ""},
      {"<body>" + std::string(limits::kMaxCharsetPrescanBytes, ' ') + "<meta charset=gbk>", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DeclaredHtmlCharset(c.html), c.charset) << c.html.substr(0, 80);
  }
}

// limits::kMaxHtmlDepth: how deep the markup may nest before the page is cut.
TEST(HtmlTest, NestingCutEstimatesDepthFromAbove) {
  const size_t limit = limits::kMaxHtmlDepth;
  struct Case {
    const char* name;
    std::string html;
    size_t cut;
  } cases[] = {
      {"at the limit", Repeat("<div>", limit) + "text", limit * 5 + 4},
      {"one deeper", Repeat("<div>", limit + 1), limit * 5},
      {"closed elements do not add up", Repeat("<div><b>x</b></div>", limit * 2), limit * 2 * 19},
      {"void and optional-end elements nest nothing",
       Repeat("<p>a<br><img src=x><li>b<td>c<option>d", limit * 2), limit * 2 * 38},
      {"comments and script text hold no tags",
       "<!--" + Repeat("<div>", limit + 1) + "-->" + "<script>" + Repeat("<div>", limit + 1) +
           "</script>",
       (limit + 1) * 10 + 24},
      {"an HTML element's \"/>\" does not close it", Repeat("<div/>", limit + 1), limit * 6},
      {"an end tag closes only its own element", Repeat("<div></span>", limit + 1), limit * 12},
      {"SVG elements close with \"/>\"", "<svg>" + Repeat("<path d='x'/>", limit * 2) + "</svg>",
       5 + limit * 2 * 13 + 6},
      {"a \"/\" that ends an unquoted value does not close",
       "<svg>" + Repeat("<g id=x/>", limit + 1), 5 + (limit - 1) * 9},
  };
  for (const Case& c : cases) EXPECT_EQ(HtmlNestingCut(c.html), c.cut) << c.name;
}

TEST(HtmlTest, DeepNestingIsCutQuicklyAndReported) {
  std::string html = "<p>Before the flood.</p>" + Repeat("<div>", 200'000) + "deep text";
  auto start = std::chrono::steady_clock::now();
  ParsedArticle a = ParseHtmlArticle(html);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(a.body, "Before the flood.");
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_EQ(a.warnings[0],
            "HTML nested deeper than 1024 elements (limits::kMaxHtmlDepth) at "
            "byte " +
                std::to_string(24 + limits::kMaxHtmlDepth * 5) +
                " of its UTF-8 text: the rest of the page is not read");
}

// Tables nest four elements deep (table, tbody, tr, td) for each table tag the estimate counts,
// so the tree can still be deeper than the limit: the walk stops there, without recursion.
TEST(HtmlTest, TreeDeeperThanTheLimitIsReadDownToIt) {
  std::string html = "<p>Top.</p>" + Repeat("<table><tr><td>", limits::kMaxHtmlDepth) + "Deep.";
  ParsedArticle a = ParseHtmlArticle(html);
  EXPECT_EQ(a.body, "Top.");
  EXPECT_EQ(a.warnings,
            std::vector<std::string>{
                "HTML elements nested deeper than 1024 (limits::kMaxHtmlDepth) are not read"});
}

// JSON-LD is read without recursion: a block nested a million deep is just not an article.
TEST(HtmlTest, DeeplyNestedJsonLdIsHarmless) {
  std::string deep =
      "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", "
      "\"author\": " +
      Repeat("[", 1'000'000) + Repeat("]", 1'000'000) +
      ", \"headline\": " + Repeat("{\"a\":", 1'000'000) + "1" + Repeat("}", 1'000'000) +
      "}</script><p>Text.</p>";
  ParsedArticle a = ParseHtmlArticle(deep);
  EXPECT_EQ(a.body, "Text.");
  EXPECT_EQ(a.meta.author, "");
  EXPECT_EQ(a.meta.title, "");
}

// Found by fuzz_html: gumbo 0.10.1 leaks the strings of a DOCTYPE it ignores inside a <noscript>
// of the head. The page's allocations are pooled and freed with it, so LeakSanitizer (the
// sanitizer build) finds nothing here; the page still reads.
TEST(HtmlTest, IgnoredDoctypeInNoscriptLeaksNothing) {
  EXPECT_EQ(ParseHtmlArticle("<noscript><!DOCTYPE html>").body, "");
  ParsedArticle a = ParseHtmlArticle(
      "<head><noscript><!DOCTYPE html PUBLIC \"-//W3C//DTD\" \"x.dtd\"></noscript>"
      "<title>Curbs</title></head><body><p>Chips.</p>");
  EXPECT_EQ(a.meta.title, "Curbs");
  EXPECT_EQ(a.body, "Chips.");
}

// Found by fuzz_html: gumbo 0.10.1 turns a numeric character reference beyond U+10FFFF that
// lacks its ';' into a byte that is not UTF-8. The reader hands on valid UTF-8 all the same,
// with U+FFFD where the reference was.
TEST(HtmlTest, OutOfRangeCharacterReferenceGivesValidUtf8) {
  ParsedArticle a = ParseHtmlArticle(
      "<title>Rule&#x110000000 text</title><p>Senate&#xeeeeeeeeeeespolitisch</p>"
      "<p data-x=\"&#99999999999\">Chips.</p>");
  std::string body = a.body;
  size_t first_bad = std::string::npos;
  EXPECT_EQ(RepairUtf8(&body, &first_bad), 0u) << "invalid UTF-8 at byte " << first_bad;
  std::string title = a.meta.title;
  EXPECT_EQ(RepairUtf8(&title, &first_bad), 0u) << "invalid UTF-8 at byte " << first_bad;
  EXPECT_EQ(a.body.substr(0, 6), "Senate");
  EXPECT_NE(a.body.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_NE(a.body.find("Chips."), std::string::npos);
}

// limits::kMaxHtmlBytes: a bigger page is read up to that size.
TEST(HtmlTest, OversizedPageIsReadUpToTheLimit) {
  std::string html = "<p>Start.</p><p>" + std::string(limits::kMaxHtmlBytes, 'x') + "</p>";
  ParsedArticle a = ParseHtmlArticle(html);
  EXPECT_EQ(a.body.substr(0, 8), "Start.\n\n");
  EXPECT_EQ(a.body.size(), 8 + limits::kMaxHtmlBytes - 16);
  EXPECT_EQ(a.warnings, std::vector<std::string>{"HTML larger than 16 MiB (limits::kMaxHtmlBytes): "
                                                 "the rest of the page is not read"});
}

// A page with menus, scripts, a cookie banner, share buttons, related links, comments and
// JSON-LD gives the article inside it, as its plain-text version has it.
TEST(HtmlTest, FixturePageGivesTheArticleOnly) {
  std::ifstream in(STANCETRACK_SOURCE_DIR "/tests/pipeline/testdata/html/microsoft_tiers.html");
  std::stringstream page;
  page << in.rdbuf();
  ParsedArticle a = ParseHtmlArticle(page.str());
  EXPECT_EQ(a.meta.title, "Microsoft pushes back on chip export tiers");
  EXPECT_EQ(a.meta.url, "https://daily.example.com/tech/microsoft-chip-tiers");
  EXPECT_EQ(a.meta.published, "2025-01-16");
  EXPECT_EQ(a.meta.author, "Jane Doe");
  EXPECT_EQ(a.meta.language, "en");
  EXPECT_EQ(a.meta.source, "Example Daily");
  EXPECT_EQ(a.body,
            "Microsoft President Brad Smith said on Thursday that the AI Diffusion Rule "
            "announced by the Bureau of Industry and Security would push allies towards Chinese "
            "suppliers.\n\n"
            "The rule places India and Poland in the second tier, with caps on how many advanced "
            "chips they may import.\n\n"
            "Nvidia also criticised the rule, calling it an overreach that would hurt American "
            "companies.");
  EXPECT_TRUE(a.warnings.empty());
}

}  // namespace
}  // namespace stancetrack

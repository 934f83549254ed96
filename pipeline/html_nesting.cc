// HtmlNestingCut (html.h): how far a page can be read before its markup nests too deep for
// gumbo, found with a scan of the tags that opens nothing itself.
#include <algorithm>
#include <iterator>
#include <string>
#include <unordered_map>

#include "pipeline/html.h"
#include "pipeline/limits.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

bool IsVoidOrOptionalEnd(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      // void elements: no content, no end tag
      "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
      "input", "keygen", "link", "menuitem", "meta", "param", "source", "track", "wbr",
      // end tag optional: the next sibling closes them, so they do not nest in themselves
      "body", "caption", "colgroup", "dd", "dt", "head", "html", "li", "optgroup", "option", "p",
      "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th", "thead", "tr"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool IsRawText(std::string_view name) {
  static constexpr std::string_view kNames[] = {"iframe", "noembed",  "noframes", "script",
                                                "style",  "textarea", "title",    "xmp"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// Where the text of raw-text element `name` ends, from `from`: past its end tag, or npos.
size_t EndOfRawText(std::string_view html, size_t from, std::string_view name) {
  for (size_t at = html.find("</", from); at != std::string_view::npos;
       at = html.find("</", at + 2)) {
    size_t after = at + 2 + name.size();
    if (after < html.size() && AsciiLower(html.substr(at + 2, name.size())) == name &&
        (IsHtmlSpace(html[after]) || html[after] == '/' || html[after] == '>')) {
      size_t close = html.find('>', after);
      return close == std::string_view::npos ? close : close + 1;
    }
  }
  return std::string_view::npos;
}

// Where a comment that opens at `from` ("<!--") ends, or npos. "<!-->" and "<!--->" are
// whole comments, and "--!>" closes one as "-->" does, as HTML parsers read them.
size_t EndOfComment(std::string_view html, size_t from) {
  std::string_view rest = html.substr(from + 4);
  if (rest.starts_with(">")) return from + 5;
  if (rest.starts_with("->")) return from + 6;
  size_t a = html.find("-->", from + 4), b = html.find("--!>", from + 4);
  if (a == std::string_view::npos && b == std::string_view::npos) return std::string_view::npos;
  return a < b ? a + 3 : b + 4;
}

}  // namespace

size_t HtmlNestingCut(std::string_view html) {
  constexpr size_t npos = std::string_view::npos;
  std::unordered_map<std::string, int> open;  // open elements per name
  int depth = 0;
  for (size_t at = html.find('<'); at != npos; at = html.find('<', at)) {
    const size_t tag = at;
    std::string_view rest = html.substr(at + 1);
    if (rest.starts_with("!--")) {
      if ((at = EndOfComment(html, at)) == npos) break;
      continue;
    }
    bool closing = rest.starts_with('/');
    size_t name_begin = at + 1 + closing;
    if (name_begin >= html.size() || !IsAsciiAlpha(html[name_begin])) {
      // "<!DOCTYPE", "<?xml" and "</ " run to the next '>'; a lone '<' is text.
      bool markup = closing || rest.starts_with('!') || rest.starts_with('?');
      if (markup && (at = html.find('>', at)) == npos) break;
      at += 1;
      continue;
    }
    size_t name_end = std::min(html.find_first_of(" \t\n\r\f/>", name_begin), html.size());
    std::string name = AsciiLower(html.substr(name_begin, name_end - name_begin));
    size_t close = html.find('>', name_end);
    if (close == npos) break;  // a tag cut off by the end of the page opens nothing
    at = close + 1;
    if (closing) {
      if (auto it = open.find(name); it != open.end() && it->second > 0) {
        --it->second;
        --depth;
      }
      continue;
    }
    if (name == "plaintext") break;  // the rest of the page is text
    if (IsRawText(name)) {
      if ((at = EndOfRawText(html, at, name)) == npos) break;
      continue;
    }
    bool foreign = open["svg"] > 0 || open["math"] > 0 || name == "svg" || name == "math";
    // "/>" closes an element in SVG and MathML only, and not when the '/' ends an unquoted
    // attribute value ("<g id=x/>").
    bool self_closing = foreign && html[close - 1] == '/' &&
                        (close - 1 == name_end || IsHtmlSpace(html[close - 2]) ||
                         html[close - 2] == '"' || html[close - 2] == '\'');
    if (IsVoidOrOptionalEnd(name) || self_closing) continue;
    if (++depth > limits::kMaxHtmlDepth) return tag;
    ++open[name];
  }
  return html.size();
}

}  // namespace stancetrack

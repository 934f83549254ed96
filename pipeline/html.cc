#include "pipeline/html.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "pipeline/limits.h"
#include "pipeline/normalize.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Parsing and walking the tree.

const GumboOptions& ParseOptions() {
  static const GumboOptions options = [] {
    GumboOptions o = kGumboDefaultOptions;
    o.max_errors = 0;  // parse errors are never read; recording them costs time and memory
    return o;
  }();
  return options;
}

// One parsed page; the tree points into `html`, which must outlive it. Gumbo 0.10.1 (Debian 12)
// leaks the strings of some tokens it ignores (a DOCTYPE inside <noscript> in the head: found by
// fuzz_html), so every allocation of the parse is kept on a list that the destructor frees: a
// hostile page cannot grow a worker's memory across a run.
class Page {
 public:
  explicit Page(std::string_view html) : options_(ParseOptions()) {
    options_.allocator = &Allocate;
    options_.deallocator = &Deallocate;
    options_.userdata = this;
    output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
  }
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;
  ~Page() {
    gumbo_destroy_output(&options_, output_);
    while (blocks_ != nullptr) Deallocate(this, blocks_ + 1);
  }

  const GumboOutput* operator->() const { return output_; }

 private:
  // Precedes each allocation; its size keeps malloc's alignment for what follows.
  struct Block {
    Block* prev;
    Block* next;
  };
  static_assert(sizeof(Block) % alignof(std::max_align_t) == 0);

  static void* Allocate(void* userdata, size_t size) {
    auto* page = static_cast<Page*>(userdata);
    auto* block = static_cast<Block*>(std::malloc(sizeof(Block) + size));
    if (block == nullptr) return nullptr;
    *block = {nullptr, page->blocks_};
    if (page->blocks_ != nullptr) page->blocks_->prev = block;
    page->blocks_ = block;
    return block + 1;
  }

  static void Deallocate(void* userdata, void* pointer) {
    if (pointer == nullptr) return;
    auto* page = static_cast<Page*>(userdata);
    Block* block = static_cast<Block*>(pointer) - 1;
    (block->prev != nullptr ? block->prev->next : page->blocks_) = block->next;
    if (block->next != nullptr) block->next->prev = block->prev;
    std::free(block);
  }

  GumboOptions options_;
  GumboOutput* output_ = nullptr;
  Block* blocks_ = nullptr;
};

bool HasChildren(const GumboNode* node) {
  return node->type == GUMBO_NODE_DOCUMENT || node->type == GUMBO_NODE_ELEMENT ||
         node->type == GUMBO_NODE_TEMPLATE;
}

const GumboVector& Children(const GumboNode* node) {
  return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

GumboTag Tag(const GumboNode* node) {
  return IsElement(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

std::string_view Attribute(const GumboNode* node, const char* name) {
  if (!IsElement(node)) return {};
  const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name);
  return attribute == nullptr ? std::string_view() : std::string_view(attribute->value);
}

bool IsText(const GumboNode* node) {
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
         node->type == GUMBO_NODE_CDATA;
}

// The document node, <html> and <body> come on top of the nesting HtmlNestingCut allows.
constexpr size_t kMaxWalkDepth = limits::kMaxHtmlDepth + 3;

// Visits the nodes under `root` in document order without recursion. `enter(node)` runs for
// every node and returns whether to visit the children of an element; `leave(node)` runs after
// them, for exactly the elements `enter` accepted. Elements kMaxWalkDepth deep are entered and
// left without visiting their children; returns whether that happened.
template <typename Enter, typename Leave>
bool Walk(const GumboNode* root, Enter&& enter, Leave&& leave) {
  struct Frame {
    const GumboNode* node;
    unsigned int next;
  };
  std::vector<Frame> stack;
  bool cut = false;
  auto visit = [&](const GumboNode* node) {
    if (!enter(node) || !HasChildren(node)) return;
    if (stack.size() < kMaxWalkDepth) {
      stack.push_back({node, 0});
    } else {
      cut = true;
      leave(node);
    }
  };
  visit(root);
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector& children = Children(top.node);
    if (top.next < children.length) {
      visit(static_cast<const GumboNode*>(children.data[top.next++]));
    } else {
      const GumboNode* done = top.node;
      stack.pop_back();
      leave(done);
    }
  }
  return cut;
}

// ---------------------------------------------------------------------------------------------
// Text.

// `text` with runs of HTML white space as one space, trimmed, cut to a metadata value's length
// on a character boundary.
std::string Clean(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!IsHtmlSpace(c)) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  out.resize(Utf8Prefix(out, limits::kMaxMetadataValueBytes).size());
  return out;
}

// All the text under `node`, as written.
std::string ElementText(const GumboNode* node) {
  std::string text;
  Walk(
      node,
      [&](const GumboNode* n) {
        if (IsText(n)) text += n->v.text.text;
        return HasChildren(n);
      },
      [](const GumboNode*) {});
  return text;
}

// Paragraphs from the text met in a walk; white space collapses within a paragraph as a
// browser shows it, except in preformatted text.
class TextBuilder {
 public:
  void Append(std::string_view text, bool preformatted) {
    for (char c : text) {
      if (!preformatted && IsHtmlSpace(c)) {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !current_.empty() && current_.back() != '\n') current_ += ' ';
      pending_space_ = false;
      current_ += c;
    }
  }
  void LineBreak() {
    pending_space_ = false;
    current_ += '\n';
  }
  void Block() {
    pending_space_ = false;
    if (std::string_view p = Trim(current_); !p.empty()) paragraphs_.emplace_back(p);
    current_.clear();
  }
  std::vector<std::string> Take() {
    Block();
    return std::move(paragraphs_);
  }

 private:
  std::string current_;
  std::vector<std::string> paragraphs_;
  bool pending_space_ = false;
};

// ---------------------------------------------------------------------------------------------
// What is article text.

template <typename T, size_t N>
bool Contains(const T (&table)[N], const T& value) {
  return std::find(std::begin(table), std::end(table), value) != std::end(table);
}

// Phrasing elements: their text continues the paragraph around them. Every other element
// (custom elements included) is a block and starts a paragraph of its own.
constexpr GumboTag kInlineTags[] = {
    GUMBO_TAG_A,    GUMBO_TAG_ABBR,   GUMBO_TAG_ACRONYM, GUMBO_TAG_B,     GUMBO_TAG_BDI,
    GUMBO_TAG_BDO,  GUMBO_TAG_BIG,    GUMBO_TAG_CITE,    GUMBO_TAG_CODE,  GUMBO_TAG_DATA,
    GUMBO_TAG_DEL,  GUMBO_TAG_DFN,    GUMBO_TAG_EM,      GUMBO_TAG_FONT,  GUMBO_TAG_I,
    GUMBO_TAG_IMG,  GUMBO_TAG_INS,    GUMBO_TAG_KBD,     GUMBO_TAG_LABEL, GUMBO_TAG_MARK,
    GUMBO_TAG_NOBR, GUMBO_TAG_Q,      GUMBO_TAG_RB,      GUMBO_TAG_RP,    GUMBO_TAG_RT,
    GUMBO_TAG_RTC,  GUMBO_TAG_RUBY,   GUMBO_TAG_S,       GUMBO_TAG_SAMP,  GUMBO_TAG_SMALL,
    GUMBO_TAG_SPAN, GUMBO_TAG_STRIKE, GUMBO_TAG_STRONG,  GUMBO_TAG_SUB,   GUMBO_TAG_SUP,
    GUMBO_TAG_TIME, GUMBO_TAG_TT,     GUMBO_TAG_U,       GUMBO_TAG_VAR,   GUMBO_TAG_WBR,
};

// Elements that never hold article text, whatever their names say.
constexpr GumboTag kNeverTextTags[] = {
    GUMBO_TAG_HEAD,     GUMBO_TAG_SCRIPT,   GUMBO_TAG_STYLE,      GUMBO_TAG_NOSCRIPT,
    GUMBO_TAG_TEMPLATE, GUMBO_TAG_NAV,      GUMBO_TAG_FOOTER,     GUMBO_TAG_ASIDE,
    GUMBO_TAG_FORM,     GUMBO_TAG_IFRAME,   GUMBO_TAG_SVG,        GUMBO_TAG_MATH,
    GUMBO_TAG_BUTTON,   GUMBO_TAG_SELECT,   GUMBO_TAG_TEXTAREA,   GUMBO_TAG_INPUT,
    GUMBO_TAG_OPTION,   GUMBO_TAG_DATALIST, GUMBO_TAG_OBJECT,     GUMBO_TAG_EMBED,
    GUMBO_TAG_APPLET,   GUMBO_TAG_CANVAS,   GUMBO_TAG_AUDIO,      GUMBO_TAG_VIDEO,
    GUMBO_TAG_MENU,     GUMBO_TAG_MENUITEM, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_NOFRAMES,
    GUMBO_TAG_NOEMBED,  GUMBO_TAG_FRAMESET,
};

bool IsHidden(const GumboNode* node) {
  if (gumbo_get_attribute(&node->v.element.attributes, "hidden") != nullptr) return true;
  if (AsciiLower(Attribute(node, "aria-hidden")) == "true") return true;
  std::string style = AsciiLower(Attribute(node, "style"));
  style.erase(std::remove_if(style.begin(), style.end(), IsHtmlSpace), style.end());
  return style.find("display:none") != std::string::npos;
}

// A <header> inside an article holds its headline, byline and standfirst; elsewhere it is the
// site's masthead.
bool IsNeverText(const GumboNode* node, bool in_article) {
  GumboTag tag = Tag(node);
  if (Contains(kNeverTextTags, tag) || (tag == GUMBO_TAG_HEADER && !in_article)) return true;
  return IsHidden(node);
}

// Words in class and id names that mark a block of the page rather than of the article; each
// also matches with a plural "s".
constexpr std::string_view kBoilerplateWords[] = {
    "ad",           "advert",      "advertisement", "author",  "bio",       "breadcrumb",
    "byline",       "comment",     "consent",       "cookie",  "credit",    "footer",
    "gdpr",         "masthead",    "menu",          "modal",   "nav",       "navbar",
    "navigation",   "newsletter",  "outbrain",      "paywall", "popular",   "popup",
    "promo",        "recommended", "related",       "share",   "sharing",   "sidebar",
    "signup",       "skip",        "social",        "sponsor", "sponsored", "subscribe",
    "subscription", "taboola",     "tag",           "toolbar", "trending",  "widget",
};

// ARIA roles of page blocks (role="banner" is the site's masthead).
constexpr std::string_view kBoilerplateRoles[] = {
    "alertdialog", "banner",  "complementary", "contentinfo", "dialog",
    "menu",        "menubar", "navigation",    "search",      "toolbar",
};

bool IsBoilerplateWord(std::string_view word) {
  if (word.ends_with('s')) word.remove_suffix(1);
  return Contains(kBoilerplateWords, word);
}

// Splits a class or id value into lower-case words at punctuation, spaces and camelCase humps:
// "shareBar social-links" -> share, bar, social, links.
bool HasBoilerplateWord(std::string_view names) {
  std::string word;
  for (size_t i = 0; i <= names.size(); ++i) {
    char c = i < names.size() ? names[i] : ' ';
    bool alnum = IsAsciiAlnum(c);
    bool hump = IsAsciiUpper(c) && !word.empty() && IsAsciiLower(word.back());
    if ((!alnum || hump) && !word.empty()) {
      if (IsBoilerplateWord(AsciiLower(word))) return true;
      word.clear();
    }
    if (alnum) word += c;
  }
  return false;
}

bool IsNamedBoilerplate(const GumboNode* node) {
  std::string role = AsciiLower(Trim(Attribute(node, "role")));
  if (Contains(kBoilerplateRoles, std::string_view(role))) return true;
  return HasBoilerplateWord(Attribute(node, "class")) || HasBoilerplateWord(Attribute(node, "id"));
}

// ---------------------------------------------------------------------------------------------
// First pass: metadata, candidate containers and the text size of every element.

struct PageFacts {
  std::unordered_map<const GumboNode*, size_t> text_bytes;  // text outside never-text blocks
  std::vector<const GumboNode*> articles;
  const GumboNode* main = nullptr;  // the first <main> or role="main"
  const GumboNode* body = nullptr;
  std::unordered_map<std::string, std::string> metas;  // first value per lower-case key
  std::vector<std::string> json_ld;
  std::string lang, title, first_h1, first_time, canonical;
  bool cut = false;

  size_t Bytes(const GumboNode* node) const {
    auto it = text_bytes.find(node);
    return it == text_bytes.end() ? 0 : it->second;
  }
};

// The key of a name/value pair an element carries: <meta property|name|itemprop|http-equiv
// content>, or itemprop on any element with content or datetime ("<time itemprop=...>").
void CollectMetaPair(const GumboNode* node, PageFacts* facts) {
  std::string_view key = Attribute(node, "itemprop");
  if (Tag(node) == GUMBO_TAG_META) {
    for (const char* name : {"property", "name", "itemprop", "http-equiv"}) {
      if (key = Attribute(node, name); !key.empty()) break;
    }
  }
  std::string_view value = Attribute(node, "content");
  if (value.empty()) value = Attribute(node, "datetime");
  if (!key.empty() && !value.empty()) facts->metas.emplace(AsciiLower(Trim(key)), Clean(value));
}

// Facts every element may carry, in or out of the article.
void CollectFacts(const GumboNode* node, bool in_text, PageFacts* facts) {
  CollectMetaPair(node, facts);
  switch (Tag(node)) {
    case GUMBO_TAG_HTML:
      if (facts->lang.empty()) facts->lang = Clean(Attribute(node, "lang"));
      break;
    case GUMBO_TAG_TITLE:
      if (facts->title.empty()) facts->title = Clean(ElementText(node));
      break;
    case GUMBO_TAG_LINK:
      if (facts->canonical.empty() &&
          AsciiLower(Attribute(node, "rel")).find("canonical") != std::string::npos) {
        facts->canonical = Clean(Attribute(node, "href"));
      }
      break;
    case GUMBO_TAG_SCRIPT:
      if (AsciiLower(Trim(Attribute(node, "type"))) == "application/ld+json") {
        facts->json_ld.push_back(ElementText(node));
      }
      break;
    case GUMBO_TAG_TIME:
      if (in_text && facts->first_time.empty()) {
        facts->first_time = Clean(Attribute(node, "datetime"));
      }
      break;
    case GUMBO_TAG_H1:
      if (in_text && facts->first_h1.empty()) facts->first_h1 = Clean(ElementText(node));
      break;
    default:
      break;
  }
}

PageFacts CollectPageFacts(const GumboNode* document) {
  PageFacts facts;
  struct Open {
    size_t bytes = 0;
    bool never = false;
    bool article = false;
  };
  std::vector<Open> open;
  int never_depth = 0, article_depth = 0;
  auto enter = [&](const GumboNode* node) {
    if (IsText(node)) {
      if (never_depth == 0 && !open.empty()) open.back().bytes += std::strlen(node->v.text.text);
      return false;
    }
    if (node->type == GUMBO_NODE_COMMENT) return false;
    Open o;
    if (IsElement(node)) {
      CollectFacts(node, never_depth == 0, &facts);
      o.never = IsNeverText(node, article_depth > 0);
      o.article = Tag(node) == GUMBO_TAG_ARTICLE;
      never_depth += o.never;
      article_depth += o.article;
      if (never_depth == 0) {
        if (o.article) facts.articles.push_back(node);
        bool main = Tag(node) == GUMBO_TAG_MAIN || AsciiLower(Attribute(node, "role")) == "main";
        if (main && facts.main == nullptr) facts.main = node;
        if (Tag(node) == GUMBO_TAG_BODY && facts.body == nullptr) facts.body = node;
      }
    }
    open.push_back(o);
    return true;
  };
  auto leave = [&](const GumboNode* node) {
    Open o = open.back();
    open.pop_back();
    facts.text_bytes[node] = o.bytes;
    if (!open.empty()) open.back().bytes += o.bytes;
    never_depth -= o.never;
    article_depth -= o.article;
  };
  facts.cut = Walk(document, enter, leave);
  return facts;
}

// The element whose text is the article (see html.h): the biggest <article> if it holds half
// the text of the container or more, else the container (<main> if it holds half the text of
// <body> or more, else <body>).
const GumboNode* ContentRoot(const PageFacts& facts, const GumboNode* document) {
  const GumboNode* container = facts.body != nullptr ? facts.body : document;
  if (facts.main != nullptr && 2 * facts.Bytes(facts.main) >= facts.Bytes(container)) {
    container = facts.main;
  }
  const GumboNode* best = nullptr;
  for (const GumboNode* article : facts.articles) {
    if (best == nullptr || facts.Bytes(article) > facts.Bytes(best)) best = article;
  }
  if (best != nullptr && 2 * facts.Bytes(best) >= facts.Bytes(container)) return best;
  return container;
}

// ---------------------------------------------------------------------------------------------
// Second pass: the article's paragraphs.

struct Extraction {
  std::vector<std::string> paragraphs;
  bool cut = false;
};

Extraction ExtractText(const GumboNode* root, const PageFacts& facts) {
  const size_t root_bytes = facts.Bytes(root);
  TextBuilder text;
  int pre_depth = 0, article_depth = 0;
  auto enter = [&](const GumboNode* node) {
    if (IsText(node)) text.Append(node->v.text.text, pre_depth > 0);
    if (!IsElement(node)) return node->type == GUMBO_NODE_DOCUMENT;
    GumboTag tag = Tag(node);
    if (IsNeverText(node, article_depth > 0)) return false;
    if (node != root && IsNamedBoilerplate(node) && 2 * facts.Bytes(node) < root_bytes) {
      return false;
    }
    if (tag == GUMBO_TAG_BR) {
      text.LineBreak();
      return false;
    }
    if (!Contains(kInlineTags, tag)) text.Block();
    pre_depth += tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING;
    article_depth += tag == GUMBO_TAG_ARTICLE;
    return true;
  };
  auto leave = [&](const GumboNode* node) {
    GumboTag tag = Tag(node);
    if (!Contains(kInlineTags, tag)) text.Block();
    pre_depth -= tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING;
    article_depth -= tag == GUMBO_TAG_ARTICLE;
  };
  Extraction out;
  out.cut = Walk(root, enter, leave);
  out.paragraphs = text.Take();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Metadata.

bool IsArticleType(const json& object) {
  auto matches = [](const json& type) {
    if (!type.is_string()) return false;
    std::string_view name = type.get_ref<const std::string&>();
    return name.ends_with("Article") || name.ends_with("BlogPosting") || name == "Report";
  };
  auto type = object.find("@type");
  if (type == object.end()) return false;
  if (type->is_array()) return std::any_of(type->begin(), type->end(), matches);
  return matches(*type);
}

// The objects of the page's JSON-LD blocks that may describe it (a block, the items of a
// top-level array, the items of an "@graph"), those typed as an article first. Points into
// `roots`.
std::vector<const json*> LdObjects(const std::vector<json>& roots) {
  std::vector<const json*> objects;
  auto add = [&](const json& value) {
    if (!value.is_object()) return;
    objects.push_back(&value);
    auto graph = value.find("@graph");
    if (graph == value.end() || !graph->is_array()) return;
    for (const json& item : *graph) {
      if (item.is_object()) objects.push_back(&item);
    }
  };
  for (const json& root : roots) {
    if (!root.is_array()) {
      add(root);
      continue;
    }
    for (const json& item : root) add(item);
  }
  std::stable_partition(objects.begin(), objects.end(),
                        [](const json* o) { return IsArticleType(*o); });
  return objects;
}

std::string LdString(const std::vector<const json*>& objects, const char* key) {
  for (const json* object : objects) {
    auto it = object->find(key);
    if (it != object->end() && it->is_string()) {
      if (std::string value = Clean(it->get_ref<const std::string&>()); !value.empty()) {
        return value;
      }
    }
  }
  return "";
}

// "author": a name, a Person or Organization with a "name", or a list of them.
std::string LdAuthor(const std::vector<const json*>& objects) {
  auto name_of = [](const json& author) -> std::string {
    if (author.is_string()) return Clean(author.get_ref<const std::string&>());
    auto name = author.is_object() ? author.find("name") : author.end();
    return name != author.end() && name->is_string() ? Clean(name->get_ref<const std::string&>())
                                                     : "";
  };
  for (const json* object : objects) {
    auto it = object->find("author");
    if (it == object->end()) continue;
    static const json kNone = json::array();
    std::string names = name_of(*it);
    // A reference to the list, never a copy: copying recurses, and a hostile list nests deep.
    const json& list = it->is_array() ? *it : kNone;
    for (const json& author : list) {
      std::string name = name_of(author);
      if (!name.empty()) names += (names.empty() ? "" : ", ") + name;
    }
    if (!names.empty()) return Clean(names);
  }
  return "";
}

std::string FirstMeta(const PageFacts& facts, std::initializer_list<const char*> keys,
                      bool (*accept)(const std::string&)) {
  for (const char* key : keys) {
    auto it = facts.metas.find(key);
    if (it != facts.metas.end() && accept(it->second)) return it->second;
  }
  return "";
}

bool IsDate(const std::string& value) { return !NormalizePublishedDate(value).empty(); }
bool IsName(const std::string& value) { return !value.empty() && !value.starts_with("http"); }
bool IsAny(const std::string& value) { return !value.empty(); }

std::string Published(const PageFacts& facts, const std::vector<const json*>& ld) {
  std::string date = FirstMeta(
      facts,
      {"article:published_time", "og:article:published_time", "og:published_time", "datepublished",
       "date", "pubdate", "publishdate", "publish-date", "dc.date.issued", "dcterms.issued",
       "dc.date", "sailthru.date", "parsely-pub-date"},
      IsDate);
  if (date.empty()) date = LdString(ld, "datePublished");
  if (!IsDate(date)) date = facts.first_time;
  return NormalizePublishedDate(date);
}

// "en-GB" -> "en"; "" unless the primary subtag is two or three letters.
std::string PrimaryLanguage(std::string_view tag) {
  std::string primary = AsciiLower(Trim(tag.substr(0, tag.find_first_of("-_"))));
  bool letters =
      std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  return letters && primary.size() >= 2 && primary.size() <= 3 ? primary : "";
}

Metadata PageMetadata(const PageFacts& facts) {
  std::vector<json> roots;
  for (const std::string& block : facts.json_ld) {
    json root = json::parse(block, nullptr, /*allow_exceptions=*/false);
    if (!root.is_discarded()) roots.push_back(std::move(root));
  }
  std::vector<const json*> ld = LdObjects(roots);
  Metadata meta;
  meta.title = FirstMeta(facts, {"og:title"}, IsAny);
  for (std::string candidate : {LdString(ld, "headline"), facts.first_h1, facts.title}) {
    if (meta.title.empty()) meta.title = std::move(candidate);
  }
  meta.url = facts.canonical.empty() ? FirstMeta(facts, {"og:url"}, IsAny) : facts.canonical;
  meta.published = Published(facts, ld);
  meta.author = FirstMeta(facts, {"author"}, IsName);
  if (meta.author.empty()) meta.author = LdAuthor(ld);
  if (meta.author.empty()) meta.author = FirstMeta(facts, {"dc.creator", "article:author"}, IsName);
  meta.language = PrimaryLanguage(facts.lang);
  if (meta.language.empty()) {
    meta.language = PrimaryLanguage(FirstMeta(facts, {"og:locale", "content-language"}, IsAny));
  }
  meta.source = FirstMeta(facts, {"og:site_name"}, IsAny);
  return meta;
}

// ---------------------------------------------------------------------------------------------
// Bounds.

// `html` up to limits::kMaxHtmlBytes and HtmlNestingCut, with a warning for each cut.
std::string_view Bounded(std::string_view html, std::vector<std::string>* warnings) {
  if (html.size() > limits::kMaxHtmlBytes) {
    html = html.substr(0, limits::kMaxHtmlBytes);
    warnings->push_back("HTML larger than " + std::to_string(limits::kMaxHtmlBytes >> 20) +
                        " MiB (limits::kMaxHtmlBytes): the rest of the page is not read");
  }
  if (size_t cut = HtmlNestingCut(html); cut < html.size()) {
    html = html.substr(0, cut);
    warnings->push_back("HTML nested deeper than " + std::to_string(limits::kMaxHtmlDepth) +
                        " elements (limits::kMaxHtmlDepth) at byte " + std::to_string(cut) +
                        " of its UTF-8 text: the rest of the page is not read");
  }
  return html;
}

}  // namespace

std::string DeclaredHtmlCharset(std::string_view bytes) {
  std::string_view head = bytes.substr(0, limits::kMaxCharsetPrescanBytes);
  head = head.substr(0, HtmlNestingCut(head));
  Page page(head);
  std::string charset;
  Walk(
      page->document,
      [&](const GumboNode* node) {
        if (!charset.empty() || !HasChildren(node)) return false;
        if (Tag(node) != GUMBO_TAG_META) return true;
        std::string content = AsciiLower(Attribute(node, "content"));
        size_t at = content.find("charset=");
        if (std::string_view declared = Attribute(node, "charset"); !declared.empty()) {
          charset = Clean(declared);
        } else if (at != std::string::npos &&
                   AsciiLower(Attribute(node, "http-equiv")) == "content-type") {
          std::string_view value = std::string_view(content).substr(at + 8);
          value.remove_prefix(std::min(value.find_first_not_of("\"' "), value.size()));
          charset = Clean(value.substr(0, value.find_first_of(";\"' ")));
        }
        return false;
      },
      [](const GumboNode*) {});
  return charset.substr(0, 64);
}

ParsedArticle ParseHtmlArticle(std::string_view utf8) {
  ParsedArticle out;
  std::string_view html = Bounded(utf8, &out.warnings);
  Page page(html);
  PageFacts facts = CollectPageFacts(page->document);
  out.meta = PageMetadata(facts);
  Extraction text = ExtractText(ContentRoot(facts, page->document), facts);
  if (facts.cut || text.cut) {
    out.warnings.push_back("HTML elements nested deeper than " +
                           std::to_string(limits::kMaxHtmlDepth) +
                           " (limits::kMaxHtmlDepth) are not read");
  }
  for (const std::string& paragraph : text.paragraphs) {
    if (paragraph == out.meta.title) continue;  // the title is stored first already
    if (!out.body.empty()) out.body += "\n\n";
    out.body += paragraph;
  }
  // gumbo 0.10.1 decodes a numeric character reference beyond U+10FFFF that lacks its ';'
  // ("&#xeeeeeeeeeee") to a byte that is not UTF-8, so what it returns is repaired here.
  size_t unused;
  for (std::string* text : {&out.body, &out.meta.title, &out.meta.url, &out.meta.source,
                            &out.meta.language, &out.meta.author}) {
    RepairUtf8(text, &unused);
  }
  return out;
}

}  // namespace stancetrack

#include "pipeline/boilerplate.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <optional>

#include "extractors/cue_matcher.h"
#include "extractors/tsv.h"
#include "pipeline/limits.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

constexpr std::string_view kTableName = "boilerplate.tsv";
constexpr size_t kColumns = 6;
constexpr size_t kKeyColumns = 3;  // language, where, pattern
constexpr std::string_view kVerbTableName = "reporting_verbs.tsv";
constexpr size_t kVerbColumns = 3;

// Thresholds of the shape signals. None bounds hostile input (each is applied to one
// paragraph at a time); they say what "short" means to a reader.
//
// A paragraph of at most this many words that does not end a sentence is a fragment: a label,
// a heading, a list item, a credit. Longer ones are prose whatever their punctuation.
constexpr size_t kMaxFragmentWords = 12;
// Fragments this short join neighbouring boilerplate outside the article's core ("US Federal
// News Bureau" above a byline); a longer line there is more often a repeated headline or a
// section heading.
constexpr size_t kMaxEdgeRunWords = 5;
// Inside the core only labels this short join ("Senior Editor", "Published" next to a share
// bar): a longer heading there is more likely the article's own.
constexpr size_t kMaxCoreRunWords = 3;
// A paragraph needs this many words, ending a sentence, to count as prose that delimits the
// article's core ("Decision." alone does not).
constexpr size_t kMinProseWords = 5;
// Items after a list opener ("Related:") are headlines: longer than fragments, but not prose.
constexpr size_t kMaxListItemWords = 20;
// Menu items are a few words each ("Markets", "Tech", "Podcasts").
constexpr size_t kMaxMenuItemWords = 4;
// Fewer items are as likely a title with a bar in it ("Nvidia | Earnings") as a menu.
constexpr size_t kMinMenuItems = 3;
// The first and last paragraphs of a page are where mastheads, bylines, bios and footers sit,
// even when they read as prose, so edge rows apply there as well as outside the core.
constexpr size_t kEdgeParagraphs = 2;
// Chinese and Japanese have no spaces; two characters are about one word.
constexpr size_t kCjkCharsPerWord = 2;

// What decorates words: white space, ASCII punctuation and symbols, Latin-1 punctuation
// (« » · ©), general punctuation (dashes, bullets, typographic quotes), arrows, shapes and
// dingbats (▪ ►), CJK brackets and stops (【】「」。), full-width punctuation, emoji. Listed by
// block rather than written "not a letter or digit" ([^\pL\pN]): RE2 compiles a class of all
// letters into a thousand instructions, and two per row made loading the table take a second.
// A letter of a script no row is written in may therefore pass for a word edge; no cue is.
constexpr std::string_view kDecorationRanges =
    R"(\x{01}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{BF}\x{2000}-\x{2BFF})"
    R"(\x{3000}-\x{303F}\x{FF01}-\x{FF0F}\x{1F000}-\x{1FAFF})";
// The same without quotation marks (" ' « » „ 「 『): a cue at the start of a paragraph may
// follow bullets, markdown and brackets, but a quote that begins with "Sign up" is somebody
// speaking.
constexpr std::string_view kUnquotedDecorationRanges =
    R"(\x{01}-\x{21}\x{23}-\x{26}\x{28}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{AA})"
    R"(\x{AC}-\x{BA}\x{BC}-\x{BF}\x{2000}-\x{201D}\x{201F}-\x{2BFF}\x{3000}-\x{300B})"
    R"(\x{300D}\x{300F}-\x{303F}\x{FF01}-\x{FF0F}\x{1F000}-\x{1FAFF})";
// {name} in a pattern: two to four capitalized words of the Latin script, particles allowed
// inside ("Ursula von der Leyen", "C.J. Muse"), matched case-sensitively inside the
// case-insensitive row. Latin ranges rather than \p{Lu} and \pL, for the reason above.
constexpr std::string_view kNamePlaceholder = "{name}";
constexpr std::string_view kCapital = R"([A-Z\x{C0}-\x{DE}])";
constexpr std::string_view kNameTail = R"([A-Za-z\x{C0}-\x{24F}'.-]*)";
// The first word is never "The" ("The Entity List covers ..." is not a reporter's bio). RE2
// has no look-ahead, so: a capital other than T; or T, Th, The followed by what would not
// spell "The" as a whole word.
constexpr std::string_view kFirstNameWord =
    R"((?:[A-SU-Z\x{C0}-\x{DE}][A-Za-z\x{C0}-\x{24F}'.-]*|T|T[a-gi-zA-Z\x{C0}-\x{24F}'.-])"
    R"([A-Za-z\x{C0}-\x{24F}'.-]*|Th|Th[a-df-zA-Z\x{C0}-\x{24F}'.-][A-Za-z\x{C0}-\x{24F}'.-]*)"
    R"(|The[A-Za-z\x{C0}-\x{24F}'.-]+))";
constexpr std::string_view kNameParticle = "(?:de|da|del|der|di|du|la|le|van|von|bin|al)";

enum class Where { kStart, kWhole, kEnd, kAnywhere, kLead };
enum class When { kAlways, kEdge };
enum class Opens { kNone, kList, kRest };

constexpr std::string_view kKeepReason = "keep";

struct Rule {
  std::string where_text;  // "path:line", for messages
  Where where = Where::kStart;
  When when = When::kAlways;
  Opens opens = Opens::kNone;
  std::string reason;
  std::unique_ptr<RE2> re;  // the row's pattern wrapped for its `where` and language
};

// Some rules' wrapped patterns in one RE2::Set, and the rule each of its patterns stands for.
struct RuleSet {
  std::unique_ptr<RE2::Set> set;
  std::vector<int> rules;  // set pattern index -> rule index
};

// Everything Load compiles; MarkBoilerplate only reads it.
struct Tables {
  std::vector<Rule> rules;
  // Every rule's wrapped pattern: one scan per set and paragraph finds the rows that match; a
  // row's own RE2 is run again only for its capture group (the author of a byline). The rows
  // that begin with '^' (start, lead, whole) sit in sets anchored at the start, whose scan stops
  // where no row can match any more, mostly within a few characters; in one set with the
  // others, they cost a scan of the whole paragraph and many more automaton states. Those of
  // Chinese, Japanese and Korean have a set of their own: with the others in one automaton, the
  // states multiplied past its memory (limits::kRegexSetMaxMemBytes) and it was rebuilt again
  // and again: 30% of the instructions boilerplate took.
  RuleSet anchored;
  RuleSet anchored_cjk;
  RuleSet unanchored;
  std::optional<CueMatcher> speaker_verbs;
  std::unique_ptr<RE2> dated;  // a year or a clock time: a dateline, which dates.h reads
  std::unique_ptr<RE2> bullet;
};

template <typename T>
std::optional<T> Lookup(std::string_view value,
                        std::initializer_list<std::pair<std::string_view, T>> table) {
  for (const auto& [name, v] : table) {
    if (name == value) return v;
  }
  return std::nullopt;
}

bool IsHanLanguage(std::string_view language) { return language == "zh" || language == "ja"; }

std::string NamePattern() {
  std::string next_word;
  next_word.append(R"(\s+(?:)").append(kNameParticle).append(R"(\s+)?)");
  next_word.append(kCapital).append(kNameTail);
  std::string out = "(?-i:";
  out.append(kFirstNameWord).append("(?:").append(next_word).append("){1,3})");
  return out;
}

std::string ExpandName(std::string pattern) {
  const std::string name = NamePattern();
  for (size_t at; (at = pattern.find(kNamePlaceholder)) != std::string::npos;) {
    pattern.replace(at, kNamePlaceholder.size(), name);
  }
  return pattern;
}

// The row's pattern anchored as its `where` says, with word edges where the language has them
// (as cue_matcher.h: none for Chinese and Japanese, Korean words only start at one).
std::string Wrap(const std::string& pattern, std::string_view language, Where where) {
  // Appended piece by piece: GCC 12 warns falsely about "literal" + std::string (PR 105651).
  const bool han = IsHanLanguage(language);
  std::string out;
  auto any_decoration = [&] { out.append("[").append(kDecorationRanges).append("]*"); };
  auto edge = [&] { out.append("[").append(kDecorationRanges).append("]"); };
  switch (where) {
    case Where::kStart:
    case Where::kLead:
      out.append("^[").append(kUnquotedDecorationRanges).append("]*?");
      break;
    case Where::kWhole:
      out.append("^");
      any_decoration();
      break;
    case Where::kEnd:
    case Where::kAnywhere:
      if (!han) {
        out.append("(?:^|");
        edge();
        out.append(")");
      }
      break;
  }
  out.append("(?:").append(pattern).append(")");
  if (where == Where::kWhole) {
    any_decoration();
    out.append("$");
  } else if (where == Where::kEnd) {
    out.append(R"(\s*$)");  // "(EPA)." ends a sentence, "(Reuters)" a caption
  } else if (!han && language != "ko") {
    out.append("(?:");
    edge();
    out.append("|$)");
  }
  return out;
}

Status RowError(const TsvRow& row, const std::string& what) {
  return Status::InvalidArgument(row.Where() + ": " + what);
}

StatusOr<Rule> ParseRule(const TsvRow& row) {
  const std::vector<std::string>& f = row.fields;
  Rule rule;
  rule.where_text = row.Where();
  auto where = Lookup<Where>(f[1], {{"start", Where::kStart},
                                    {"whole", Where::kWhole},
                                    {"end", Where::kEnd},
                                    {"anywhere", Where::kAnywhere},
                                    {"lead", Where::kLead}});
  if (!where) return RowError(row, "unknown where '" + f[1] + "' (start|whole|end|anywhere|lead)");
  auto when = Lookup<When>(f[4], {{"always", When::kAlways}, {"edge", When::kEdge}});
  if (!when) return RowError(row, "unknown when '" + f[4] + "' (always|edge)");
  auto opens =
      Lookup<Opens>(f[5], {{"-", Opens::kNone}, {"list", Opens::kList}, {"rest", Opens::kRest}});
  if (!opens) return RowError(row, "unknown opens '" + f[5] + "' (-|list|rest)");
  if (!RE2::FullMatch(f[3], R"([a-z][a-z-]*)")) {
    return RowError(row, "reason '" + f[3] + "' must be lower-case words joined by '-'");
  }
  rule.where = *where;
  rule.when = *when;
  rule.opens = *opens;
  rule.reason = f[3];
  const std::string expanded = ExpandName(f[2]);
  RE2 bare(expanded, FoldedMatchOptions());
  if (!bare.ok()) return RowError(row, "invalid pattern '" + f[2] + "': " + bare.error());
  if (RE2::FullMatch("", bare)) {
    return RowError(row, "pattern '" + f[2] + "' matches the empty string");
  }
  rule.re = std::make_unique<RE2>(Wrap(expanded, f[0], rule.where), FoldedMatchOptions());
  if (!rule.re->ok()) return RowError(row, "pattern '" + f[2] + "': " + rule.re->error());
  if (rule.where == Where::kLead && rule.re->NumberOfCapturingGroups() < 1) {
    return RowError(row, "a lead row must name the author with a capture group");
  }
  if (rule.reason == kKeepReason && rule.opens != Opens::kNone) {
    return RowError(row, "a keep row cannot open a list or the rest");
  }
  return rule;
}

StatusOr<CueMatcher> LoadSpeakerVerbs(const std::vector<std::string>& dirs) {
  StatusOr<std::vector<TsvRow>> rows = ReadLexiconTable(dirs, kVerbTableName, kVerbColumns, 3);
  if (!rows.ok()) return rows.status();
  std::vector<CueSource> sources;
  for (const TsvRow& row : *rows) {
    const std::string& kind = row.fields[1];
    if (kind == "verb" || kind == "speaker-verb" || kind == "verb-speaker") {
      sources.push_back({row.Where(), row.fields[0], row.fields[2]});
    }
  }
  return CueMatcher::Compile(sources);
}

// ---- Paragraph shape ---------------------------------------------------------------------

bool IsCjk(UChar32 c) {
  UErrorCode error = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(c, &error);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
}

// Words of a spaced script, plus Chinese and Japanese characters at kCjkCharsPerWord each.
size_t CountWords(std::string_view s) {
  size_t words = 0, cjk = 0;
  bool in_word = false;
  const int32_t length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s.data(), i, length, c);
    // u_isalnum is exactly [A-Za-z0-9] on ASCII, most of most text: no call for it.
    const bool letter = c >= 0 && (c < 0x80 ? IsAsciiAlnum(static_cast<char>(c)) : u_isalnum(c));
    if (letter && IsCjk(c)) {
      ++cjk;
      in_word = false;
      continue;
    }
    if (letter && !in_word) ++words;
    in_word = letter;
  }
  return words + (cjk + kCjkCharsPerWord - 1) / kCjkCharsPerWord;
}

// Whether `s` ends with sentence-final punctuation, before closing quotes and brackets.
bool EndsSentence(std::string_view s) {
  static constexpr std::string_view kClosers[] = {"\"", "'", ")", "]", "*", "_", "»", "」", "』"};
  s = Trim(s);
  for (bool trimmed = true; trimmed && !s.empty();) {
    trimmed = false;
    for (std::string_view closer : kClosers) {
      if (s.size() >= closer.size() && s.substr(s.size() - closer.size()) == closer) {
        s = Trim(s.substr(0, s.size() - closer.size()));
        trimmed = true;
      }
    }
  }
  if (s.empty()) return false;
  const char last = s.back();
  if (last == '.' || last == '!' || last == '?') return true;
  return s.size() >= 3 && s.substr(s.size() - 3) == "。";
}

// Whether the first letter of `s` is a capital, or of a script without case (首页).
bool Capitalized(std::string_view s) {
  const int32_t length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s.data(), i, length, c);
    if (c < 0 || !u_isalnum(c)) continue;
    return u_isupper(c) || (u_isalpha(c) && !u_hasBinaryProperty(c, UCHAR_CASED));
  }
  return false;
}

// Splits a paragraph at menu separators: '|' anywhere, and • · › > » between spaces (a bare
// '·' joins the parts of a transcribed name, 内德·芬克尔). Empty when the paragraph starts
// with a separator: that is a table row or a bullet, not a menu.
std::vector<std::string_view> SplitMenu(std::string_view s) {
  static constexpr std::string_view kSpaced[] = {" • ", " · ", " › ", " > ", " » "};
  std::vector<std::string_view> items;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '|' && s[i] != ' ') continue;  // most bytes start no separator
    size_t width = s[i] == '|' ? 1 : 0;
    // Every spaced separator starts with ' ' and at most one matches; most spaces are followed
    // by a letter, which starts none of them, and need no comparison.
    for (std::string_view sep : kSpaced) {
      if (s[i] == ' ' && i + 1 < s.size() && s[i + 1] == sep[1] &&
          s.compare(i, sep.size(), sep) == 0) {
        width = sep.size();
      }
    }
    if (!width) continue;
    std::string_view item = Trim(s.substr(start, i - start));
    if (item.empty() && items.empty()) return {};
    if (!item.empty()) items.push_back(item);
    start = i + width;
    i += width - 1;
  }
  if (std::string_view last = Trim(s.substr(std::min(start, s.size()))); !last.empty()) {
    items.push_back(last);
  }
  return items;
}

// Link-list shape: at least kMinMenuItems items of a few words, none a sentence, and two in
// three capitalized ("Home | Markets | Tech | Opinion", "首页 > 财经 > 产经"). Short items
// leave no room for the verbs of a sentence.
bool LooksLikeLinkList(std::string_view s) {
  std::vector<std::string_view> items = SplitMenu(s);
  if (items.size() < kMinMenuItems) return false;
  size_t capitalized = 0;
  for (std::string_view item : items) {
    size_t words = CountWords(item);
    if (words == 0 || words > kMaxMenuItemWords || EndsSentence(item)) return false;
    capitalized += Capitalized(item);
  }
  return capitalized * 3 >= items.size() * 2;
}

// UTF-8 characters: every byte that does not continue a sequence (as language.h counts).
size_t CountCharacters(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool HasQuotationMark(std::string_view s) {
  static constexpr std::string_view kMarks[] = {"\"", "«", "»", "„", "「", "」", "『", "』"};
  for (std::string_view mark : kMarks) {
    if (s.find(mark) != std::string_view::npos) return true;
  }
  return false;
}

// ---- Marking -------------------------------------------------------------------------------

struct Facts {
  std::string_view folded;  // the paragraph in Document::folded; empty without sentences
  uint32_t folded_begin = 0;
  uint32_t first_sentence = 0, end_sentence = 0;  // its sentences: [first, end)
  size_t words = 0;
  bool ends_sentence = false;
  bool bullet = false;       // "- item", "• item", "1. item"
  bool quote_block = false;  // "> text": a markdown block quote
  bool dated = false;
  bool is_protected = false;  // the title or a repetition of it, or a keep row matches
  bool link_list = false;
  std::vector<int> cues;  // rows that match, in table order (keep rows excluded)
  int marked_by = -1;     // the row that marked it, for openers and the author
  std::optional<bool> speaker_quote;
};

class Marker {
 public:
  Marker(Document* doc, const Tables& tables) : doc_(*doc), t_(tables) {}

  void Run() {
    Analyze();
    MarkCues(When::kAlways);
    MarkLinkLists();
    FindCore();
    MarkCues(When::kEdge);
    OpenListsAndTails();
    FindCore();
    JoinQuoteBlocks();
    JoinRuns();
    SetAuthor();
  }

 private:
  size_t size() const { return doc_.paragraphs.size(); }
  bool Marked(size_t i) const { return doc_.paragraphs[i].kind == BlockKind::kBoilerplate; }
  bool IsProse(size_t i) const {
    const Facts& f = facts_[i];
    return !f.is_protected && !f.link_list &&
           ((f.ends_sentence && f.words >= kMinProseWords) || f.words > kMaxFragmentWords);
  }
  bool IsFragment(size_t i, size_t max_words) const {
    const Facts& f = facts_[i];
    return !f.ends_sentence && !f.dated && f.words <= max_words;
  }

  void Analyze() {
    facts_.resize(size());
    std::vector<bool> seen(size(), false);
    for (uint32_t s = 0; s < doc_.sentences.size(); ++s) {
      const Sentence& sentence = doc_.sentences[s];
      Facts& f = facts_[sentence.paragraph];
      if (!seen[sentence.paragraph]) {
        seen[sentence.paragraph] = true;
        f.first_sentence = s;
        f.folded_begin = sentence.folded.begin;
      }
      f.end_sentence = s + 1;
      f.folded = std::string_view(doc_.folded)
                     .substr(f.folded_begin, sentence.folded.end - f.folded_begin);
    }
    for (size_t i = 0; i < size(); ++i) Describe(i);
  }

  void Describe(size_t i) {
    Facts& f = facts_[i];
    f.words = CountWords(f.folded);
    f.ends_sentence = EndsSentence(f.folded);
    f.bullet = RE2::PartialMatch(f.folded, *t_.bullet);
    f.quote_block = !f.folded.empty() && f.folded.front() == '>';
    f.dated = RE2::PartialMatch(f.folded, *t_.dated);
    f.is_protected = doc_.paragraphs[i].kind == BlockKind::kTitle || RepeatsTitle(f.folded);
    f.link_list = LooksLikeLinkList(f.folded);
    if (f.folded.empty()) return;
    for (int r : MatchingRules(f.folded)) {
      if (t_.rules[r].reason == kKeepReason) {
        f.is_protected = true;
      } else {
        f.cues.push_back(r);
      }
    }
  }

  // The rules whose wrapped pattern matches `folded`, in table order.
  std::vector<int> MatchingRules(std::string_view folded) const {
    std::vector<int> rules;
    std::vector<int> matched;
    for (const RuleSet* set : {&t_.anchored, &t_.anchored_cjk, &t_.unanchored}) {
      RE2::Set::ErrorInfo error;
      if (set->set->Match(folded, &matched, &error)) {
        for (int m : matched) rules.push_back(set->rules[m]);
      } else if (error.kind != RE2::Set::kNoError) {
        // The set's automaton found no room for a state (limits::kRegexSetMaxMemBytes) and a set
        // has no NFA to fall back on: each rule's own RE2 has.
        for (int r : set->rules) {
          if (RE2::PartialMatch(folded, *t_.rules[r].re)) rules.push_back(r);
        }
      }
    }
    std::sort(rules.begin(), rules.end());
    return rules;
  }

  // Pages often print the headline again above the article: that is the title too.
  bool RepeatsTitle(std::string_view folded) const {
    const Paragraph& first = doc_.paragraphs.front();
    if (first.kind != BlockKind::kTitle || facts_.front().folded.empty()) return false;
    return Trim(folded) == Trim(facts_.front().folded);
  }

  // A paragraph that quotes somebody with a reporting verb is article text, whatever cue it
  // holds ("'Sign up for our newsletter,' she said, is how the pitch begins").
  bool SpeakerQuote(size_t i) {
    Facts& f = facts_[i];
    if (!f.speaker_quote) {
      bool found = false;
      if (HasQuotationMark(f.folded)) {
        for (uint32_t s = f.first_sentence; s < f.end_sentence && !found; ++s) {
          found = !t_.speaker_verbs->Find(doc_, s, "").empty();
        }
      }
      f.speaker_quote = found;
    }
    return *f.speaker_quote;
  }

  bool Mark(size_t i, const std::string& reason, int rule) {
    if (Marked(i) || facts_[i].is_protected || facts_[i].folded.empty() || SpeakerQuote(i)) {
      return false;
    }
    doc_.paragraphs[i].kind = BlockKind::kBoilerplate;
    doc_.paragraphs[i].reason = reason;
    facts_[i].marked_by = rule;
    return true;
  }

  // Signal 1: cue rows. Lead rows never mark: they only name the author.
  void MarkCues(When when) {
    for (size_t i = 0; i < size(); ++i) {
      for (int r : facts_[i].cues) {
        const Rule& rule = t_.rules[r];
        if (rule.where == Where::kLead || rule.when != when) continue;
        if (when == When::kEdge && !InEdge(i)) continue;
        Mark(i, rule.reason, r);
        break;
      }
    }
  }

  // Signal 2: a link list before the first prose is the site's menu; after it, a list of
  // other stories or tags.
  void MarkLinkLists() {
    size_t first_prose = 0;
    while (first_prose < size() && (Marked(first_prose) || !IsProse(first_prose))) ++first_prose;
    for (size_t i = 0; i < size(); ++i) {
      if (facts_[i].link_list) Mark(i, i < first_prose ? "menu" : "related-links", -1);
    }
  }

  // The article's core: from its first to its last unmarked prose paragraph. Menus and
  // bylines come before it, footers after it; the middle rarely holds boilerplate.
  void FindCore() {
    core_first_ = size();
    core_last_ = 0;
    for (size_t i = 0; i < size(); ++i) {
      if (Marked(i) || !IsProse(i)) continue;
      core_first_ = std::min(core_first_, i);
      core_last_ = i;
    }
  }
  bool InCore(size_t i) const { return core_first_ <= i && i <= core_last_; }

  // Where an edge row may mark: outside the core, among the first or last kEdgeParagraphs
  // of the body, or in another language than the document (a Chinese disclaimer under an
  // English article).
  bool InEdge(size_t i) {
    const size_t first_body = doc_.paragraphs.front().kind == BlockKind::kTitle ? 1 : 0;
    if (!InCore(i) || i < first_body + kEdgeParagraphs || i + kEdgeParagraphs >= size()) {
      return true;
    }
    const std::string& own = ParagraphLanguage(i);
    return !own.empty() && own != DocumentLanguage();
  }

  // CLD2's reliable answer (DetectParagraphLanguages), "" when none.
  const std::string& ParagraphLanguage(size_t i) const { return doc_.paragraphs[i].language; }

  // The language holding the most characters among the unmarked paragraphs, as language.h
  // decides it later for the stored document.
  const std::string& DocumentLanguage() {
    if (!document_language_) {
      std::map<std::string, size_t> characters;
      for (size_t i = 0; i < size(); ++i) {
        if (Marked(i)) continue;
        const std::string& code = ParagraphLanguage(i);
        if (!code.empty()) characters[code] += CountCharacters(facts_[i].folded);
      }
      document_language_.emplace();
      size_t best = 0;
      for (const auto& [code, count] : characters) {
        if (count <= best) continue;
        best = count;
        *document_language_ = code;
      }
    }
    return *document_language_;
  }

  // Signal 3: "Related:" opens the list of headlines after it; a comment box or an "About
  // the company" heading in the second half of the page opens everything after it. Each
  // paragraph is visited once: a list ends where boilerplate already begins, and the first
  // opened rest ends the walk.
  void OpenListsAndTails() {
    for (size_t i = 0; i < size(); ++i) {
      const int r = facts_[i].marked_by;
      if (r < 0) continue;
      const Rule& rule = t_.rules[r];
      if (rule.opens == Opens::kList) i = OpenList(i, rule.reason);
      if (rule.opens == Opens::kRest && 2 * doc_.paragraphs[i].span.begin >= doc_.text.size()) {
        for (size_t j = i + 1; j < size(); ++j) Mark(j, rule.reason, -1);
        return;
      }
    }
  }

  // Marks the items after `heading`; returns the last paragraph it marked (or the heading).
  size_t OpenList(size_t heading, const std::string& reason) {
    size_t j = heading + 1;
    for (; j < size() && !Marked(j); ++j) {
      const Facts& f = facts_[j];
      bool item = f.words <= kMaxListItemWords && (f.bullet || !f.ends_sentence);
      if (!item || !Mark(j, reason, -1)) break;
    }
    return j - 1;
  }

  // Signal 5: a block quote is one unit; if any of its paragraphs is boilerplate (the
  // "— name (@handle) date" line of an embedded post), so is the rest of the block.
  void JoinQuoteBlocks() {
    for (size_t begin = 0; begin < size();) {
      size_t end = begin;
      while (end < size() && facts_[end].quote_block) ++end;
      std::string reason;
      for (size_t i = begin; i < end && reason.empty(); ++i) {
        if (Marked(i)) reason = doc_.paragraphs[i].reason;
      }
      for (size_t i = begin; i < end && !reason.empty(); ++i) Mark(i, reason, -1);
      begin = std::max(end, begin + 1);
    }
  }

  // Signal 4: fragments next to boilerplate join it, with the reason of the neighbour they
  // join. One sweep forward extends every run to the right, one backward to the left; a
  // paragraph joined on the way back cannot start a new run to its right, which is marked.
  void JoinRuns() {
    for (size_t i = 1; i < size(); ++i) Join(i, i - 1);
    for (size_t i = size(); i-- > 1;) Join(i - 1, i);
  }

  void Join(size_t candidate, size_t neighbour) {
    if (Marked(candidate) || !Marked(neighbour)) return;
    size_t limit = InCore(candidate) ? kMaxCoreRunWords : kMaxEdgeRunWords;
    if (IsFragment(candidate, limit)) Mark(candidate, doc_.paragraphs[neighbour].reason, -1);
  }

  // The author: group 1 of the first byline or lead row that names one.
  void SetAuthor() {
    if (!doc_.meta.author.empty()) return;
    for (size_t i = 0; i < size(); ++i) {
      for (int r : facts_[i].cues) {
        const Rule& rule = t_.rules[r];
        if (rule.where != Where::kLead && facts_[i].marked_by != r) continue;
        if (std::string author = Capture(i, *rule.re); !author.empty()) {
          doc_.meta.author = std::move(author);
          return;
        }
      }
    }
  }

  std::string Capture(size_t i, const RE2& re) const {
    if (re.NumberOfCapturingGroups() < 1) return "";
    const Facts& f = facts_[i];
    re2::StringPiece groups[2];
    if (!re.Match(f.folded, 0, f.folded.size(), RE2::UNANCHORED, groups, 2) || groups[1].empty()) {
      return "";
    }
    uint32_t begin = f.folded_begin + static_cast<uint32_t>(groups[1].data() - f.folded.data());
    Span span =
        doc_.folded_to_text.Map(Span{begin, begin + static_cast<uint32_t>(groups[1].size())});
    return std::string(Trim(span.Of(doc_.text)));
  }

  Document& doc_;
  const Tables& t_;
  std::vector<Facts> facts_;
  size_t core_first_ = 0, core_last_ = 0;
  std::optional<std::string> document_language_;
};

}  // namespace

struct BoilerplateRules::Impl {
  Tables tables;
};

BoilerplateRules::BoilerplateRules(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BoilerplateRules::BoilerplateRules(BoilerplateRules&&) noexcept = default;
BoilerplateRules& BoilerplateRules::operator=(BoilerplateRules&&) noexcept = default;
BoilerplateRules::~BoilerplateRules() = default;

size_t BoilerplateRules::size() const { return impl_->tables.rules.size(); }

namespace {

// The set of Tables a rule's wrapped pattern goes into.
RuleSet& SetFor(const Rule& rule, std::string_view language, Tables* t) {
  if (rule.where == Where::kEnd || rule.where == Where::kAnywhere) return t->unanchored;
  return IsHanLanguage(language) || language == "ko" ? t->anchored_cjk : t->anchored;
}

}  // namespace

StatusOr<BoilerplateRules> BoilerplateRules::Load(const std::vector<std::string>& dirs) {
  StatusOr<std::vector<TsvRow>> rows = ReadLexiconTable(dirs, kTableName, kColumns, kKeyColumns);
  if (!rows.ok()) return rows.status();
  auto impl = std::make_unique<Impl>();
  Tables& t = impl->tables;
  RE2::Options set_options = FoldedMatchOptions();
  set_options.set_max_mem(limits::kRegexSetMaxMemBytes);
  for (RuleSet* set : {&t.anchored, &t.anchored_cjk}) {
    set->set = std::make_unique<RE2::Set>(set_options, RE2::ANCHOR_START);
  }
  t.unanchored.set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  for (const TsvRow& row : *rows) {
    StatusOr<Rule> rule = ParseRule(row);
    if (!rule.ok()) return rule.status();
    RuleSet& set = SetFor(*rule, row.fields[0], &t);
    std::string error;
    if (set.set->Add(rule->re->pattern(), &error) < 0) return RowError(row, error);
    set.rules.push_back(static_cast<int>(t.rules.size()));
    t.rules.push_back(std::move(*rule));
  }
  if (!t.anchored.set->Compile() || !t.anchored_cjk.set->Compile() ||
      !t.unanchored.set->Compile()) {
    return Status::Internal(std::string(kTableName) + ": too large to compile");
  }
  StatusOr<CueMatcher> verbs = LoadSpeakerVerbs(dirs);
  if (!verbs.ok()) return verbs.status();
  t.speaker_verbs.emplace(std::move(*verbs));
  t.dated = std::make_unique<RE2>(R"((?:^|\D)(?:19|20)\d\d(?:\D|$)|\d{1,2}:\d\d)");
  t.bullet = std::make_unique<RE2>(R"(^(?:[-*•·▪►‣◦]\s|\d{1,2}[.)]\s))");
  return BoilerplateRules(std::move(impl));
}

void MarkBoilerplate(Document* doc, const BoilerplateRules& rules) {
  Marker(doc, rules.impl_->tables).Run();
}

}  // namespace stancetrack

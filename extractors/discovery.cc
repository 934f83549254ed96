#include "extractors/discovery.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "extractors/cue_matcher.h"
#include "extractors/romanize.h"
#include "extractors/tsv.h"

namespace stancetrack {
namespace {

enum class Cue : uint8_t {
  kCompanySuffix,
  kCompanyPrefix,
  kTitle,
  kStop,
  kParticle,
  kCompanyWord,
  kNotName,
  kGeneric,
  kSurname,
  kNameEnd,
  kNominal,      // reporting_verbs.tsv company-anaphor
  kVerb,         // the speaker before or after
  kSpeakerVerb,  // the speaker before only
  kVerbSpeaker,  // the speaker after only
};

constexpr std::array<std::pair<std::string_view, Cue>, 10> kOwnKinds = {{
    {"company-suffix", Cue::kCompanySuffix},
    {"company-prefix", Cue::kCompanyPrefix},
    {"title", Cue::kTitle},
    {"stop", Cue::kStop},
    {"particle", Cue::kParticle},
    {"company-word", Cue::kCompanyWord},
    {"not-name", Cue::kNotName},
    {"generic", Cue::kGeneric},
    {"surname", Cue::kSurname},
    {"name-end", Cue::kNameEnd},
}};

// The rows of reporting_verbs.tsv discovery reads; its other kinds stand for people and
// organizations, which quotes.h resolves.
constexpr std::array<std::pair<std::string_view, Cue>, 4> kVerbKinds = {{
    {"verb", Cue::kVerb},
    {"speaker-verb", Cue::kSpeakerVerb},
    {"verb-speaker", Cue::kVerbSpeaker},
    {"company-anaphor", Cue::kNominal},
}};

// Longest names read: a longer run of capitalized words leaves the start of the name unknown.
constexpr size_t kMaxCompanyWords = 5;
constexpr size_t kMaxPersonWords = 4;
// Characters of a name in a script without spaces: Chinese personal names have two or three,
// company names (without 公司 and generic words) rarely more than six.
constexpr size_t kMaxHanPersonChars = 3;
constexpr size_t kMaxHanForeignNameChars = 10;  // a transliterated name, dots left out
constexpr size_t kMaxUnspacedCompanyChars = 6;
constexpr size_t kMaxKanaCompanyChars = 12;  // Katakana spells sounds: ミナトデバイス is 7
constexpr size_t kMinUnspacedChars = 2;
// Han characters between a country and a title that make one office: 美国商务部长, 俄罗斯外交部长.
constexpr size_t kMaxOfficeChars = 4;
// Where people's names are Chinese names (the romanizer reads them in Mandarin).
constexpr std::string_view kChineseNameCountries[] = {"CN", "TW", "HK", "MO"};
// "the company DeepSeek": at most this many words between a nominal and the name it introduces.
constexpr size_t kMaxAppositionWords = 3;
// Headline test: this many words of four or more letters, all capitalized, is Title Case.
constexpr size_t kMinTitleCaseWords = 3;
constexpr size_t kTitleCaseWordLetters = 4;

struct CueRow {
  Cue kind = Cue::kStop;
  bool lower_case = false;  // a nominal written without capitals (see discovery.h)
};

bool IsLanguage(std::string_view s) {
  return s == "*" || (s.size() == 2 &&
                      std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
}

bool HasUpperAscii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

template <size_t N>
std::optional<Cue> KindOf(std::string_view name,
                          const std::array<std::pair<std::string_view, Cue>, N>& kinds) {
  for (const auto& [kind_name, kind] : kinds) {
    if (kind_name == name) return kind;
  }
  return std::nullopt;
}

Status CheckRow(const TsvRow& row) {
  if (!IsLanguage(row.fields[0])) {
    return Status::InvalidArgument(
        row.Where() + ": language must be * or an ISO 639-1 code, got '" + row.fields[0] + "'");
  }
  if (row.fields[2].empty()) return Status::InvalidArgument(row.Where() + ": empty pattern");
  return Status::Ok();
}

}  // namespace

struct DiscoveryLexicon::Impl {
  Impl(std::vector<CueRow> cue_rows, CueMatcher cue_matcher)
      : rows(std::move(cue_rows)), matcher(std::move(cue_matcher)) {}

  std::vector<CueRow> rows;  // indexed like the matcher's sources
  CueMatcher matcher;
  HanNameRomanizer romanizer;
};

DiscoveryLexicon::DiscoveryLexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DiscoveryLexicon::DiscoveryLexicon(DiscoveryLexicon&&) noexcept = default;
DiscoveryLexicon& DiscoveryLexicon::operator=(DiscoveryLexicon&&) noexcept = default;
DiscoveryLexicon::~DiscoveryLexicon() = default;

size_t DiscoveryLexicon::size() const { return impl_->rows.size(); }
std::vector<const CueMatcher*> DiscoveryLexicon::cue_matchers() const { return {&impl_->matcher}; }

StatusOr<DiscoveryLexicon> DiscoveryLexicon::Load(const std::vector<std::string>& dirs) {
  StatusOr<std::vector<TsvRow>> own = ReadLexiconTable(dirs, "discovery.tsv", 3, 3);
  if (!own.ok()) return own.status();
  StatusOr<std::vector<TsvRow>> verbs = ReadLexiconTable(dirs, "reporting_verbs.tsv", 3, 3);
  if (!verbs.ok()) return verbs.status();
  std::vector<CueRow> rows;
  std::vector<CueSource> sources;
  auto add = [&](const TsvRow& row, Cue kind) {
    rows.push_back({kind, kind == Cue::kNominal && !HasUpperAscii(row.fields[2])});
    sources.push_back({row.Where(), row.fields[0], row.fields[2]});
  };
  for (const TsvRow& row : *own) {
    std::optional<Cue> kind = KindOf(row.fields[1], kOwnKinds);
    if (!kind) {
      return Status::InvalidArgument(row.Where() + ": unknown kind '" + row.fields[1] + "'");
    }
    ST_RETURN_IF_ERROR(CheckRow(row));
    add(row, *kind);
  }
  for (const TsvRow& row : *verbs) {
    if (std::optional<Cue> kind = KindOf(row.fields[1], kVerbKinds)) add(row, *kind);
  }
  StatusOr<CueMatcher> matcher = CueMatcher::Compile(sources);
  if (!matcher.ok()) return matcher.status();
  return DiscoveryLexicon(std::make_unique<Impl>(std::move(rows), std::move(matcher).value()));
}

namespace {

// ---- Characters and words -------------------------------------------------------------------

UChar32 NextChar(std::string_view s, uint32_t* i, uint32_t end) {
  int32_t pos = static_cast<int32_t>(*i);
  UChar32 c;
  U8_NEXT(s.data(), pos, static_cast<int32_t>(end), c);
  *i = static_cast<uint32_t>(pos);
  return c;
}

UChar32 PrevChar(std::string_view s, uint32_t* i, uint32_t begin) {
  int32_t pos = static_cast<int32_t>(*i);
  UChar32 c;
  U8_PREV(s.data(), static_cast<int32_t>(begin), pos, c);
  *i = static_cast<uint32_t>(pos);
  return c;
}

// Scripts written without spaces, where a name's edge is not marked.
enum class Unspaced : uint8_t { kNo, kHan, kKana, kOther };

Unspaced UnspacedOf(UChar32 c) {
  if (c == 0x30FC || c == 0x30FB) return Unspaced::kKana;  // ー and ・ are Common but in names
  UErrorCode error = U_ZERO_ERROR;
  switch (uscript_getScript(c, &error)) {
    case USCRIPT_HAN:
      return Unspaced::kHan;
    case USCRIPT_KATAKANA:
      return Unspaced::kKana;
    case USCRIPT_HIRAGANA:
      return Unspaced::kOther;
    default:
      return Unspaced::kNo;
  }
}

bool IsWordChar(UChar32 c) {
  // ASCII, most characters of most text: its letters and digits, none of an unspaced script,
  // without three lookups in ICU's tables.
  if (c >= 0 && c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0) &&
         UnspacedOf(c) == Unspaced::kNo;
}

bool IsConnector(UChar32 c) { return c == '-' || c == '\'' || c == 0x2019 || c == '.' || c == '&'; }
bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019; }
// The middle dots that join the parts of a transliterated name: 内德·芬克尔, ジェンスン・フアン.
bool IsNameDot(UChar32 c) { return c == 0x00B7 || c == 0x30FB || c == 0x2027 || c == 0x2022; }

// A word of a script written with spaces, and what discovery needs to know of it.
struct Word {
  Span span;                  // in Document::text, without a possessive 's
  bool capitalized = false;   // starts with an upper- or title-case letter
  bool proper = false;        // capitalized, with lower-case letters and no digits: "Roe", "McKay"
  bool initial = false;       // one capital followed by '.': "F."
  bool possessive = false;    // followed by 's or '
  bool caseless = false;      // a script without case (Hangul)
  bool blocked = false;       // a stop word or part of a cue: never in a name
  bool particle = false;      // a lower-case name particle ("van")
  bool company_word = false;  // makes a name a company
  bool not_name = false;      // makes a name an organization or place
};

// Strips a possessive ending and records the letters' case.
Word Describe(std::string_view text, Span span, uint32_t sentence_end) {
  Word w{span};
  std::string_view s = span.Of(text);
  for (std::string_view ending : {"'s", "\xE2\x80\x99s"}) {
    if (s.size() > ending.size() && s.substr(s.size() - ending.size()) == ending) {
      w.span.end -= static_cast<uint32_t>(ending.size());
      w.possessive = true;
    }
  }
  uint32_t after = span.end;
  if (!w.possessive && after < sentence_end && s.back() == 's') {
    w.possessive = IsApostrophe(NextChar(text, &after, sentence_end));
  }
  uint32_t i = w.span.begin;
  UChar32 first = NextChar(text, &i, w.span.end);
  // ASCII answers without ICU's tables: its upper case is A-Z, lower case a-z, digits 0-9, and
  // it has no title case and no letter without case.
  if (first < 0x80) {
    w.capitalized = first >= 'A' && first <= 'Z';
  } else {
    w.capitalized = u_isupper(first) || u_istitle(first);
    w.caseless = u_isalpha(first) && !w.capitalized && !u_islower(first);
  }
  bool lower = false, digit = false;
  while (i < w.span.end) {
    UChar32 c = NextChar(text, &i, w.span.end);
    if (c < 0x80) {
      lower = lower || (c >= 'a' && c <= 'z');
      digit = digit || (c >= '0' && c <= '9');
    } else {
      lower = lower || u_islower(c);
      digit = digit || u_isdigit(c);
    }
  }
  w.proper = w.capitalized && lower && !digit && !u_isdigit(first);
  uint32_t next = w.span.end;
  w.initial = w.capitalized && w.span.size() == static_cast<uint32_t>(U8_LENGTH(first)) &&
              next < sentence_end && text[next] == '.';
  return w;
}

// The words of a sentence: runs of letters and digits joined by - ' . & ("O'Brien", "U.S",
// "AT&T"), leaving out characters of unspaced scripts.
// The next word of `sentence` from *i on, with *i moved past it; nullopt after the last.
std::optional<Word> NextWord(std::string_view text, Span sentence, uint32_t* i) {
  while (*i < sentence.end) {
    const uint32_t start = *i;
    if (!IsWordChar(NextChar(text, i, sentence.end))) continue;
    uint32_t end = *i;
    while (end < sentence.end) {
      uint32_t j = end;
      UChar32 c = NextChar(text, &j, sentence.end);
      if (!IsWordChar(c)) {
        if (!IsConnector(c) || j >= sentence.end) break;
        uint32_t k = j;
        if (!IsWordChar(NextChar(text, &k, sentence.end))) break;
      }
      end = j;
    }
    *i = end;
    return Describe(text, Span{start, end}, sentence.end);
  }
  return std::nullopt;
}

std::vector<Word> WordsOf(std::string_view text, Span sentence) {
  std::vector<Word> words;
  words.reserve(sentence.size() / 4);  // about one word in four bytes or more: one allocation
  uint32_t i = sentence.begin;
  while (std::optional<Word> w = NextWord(text, sentence, &i)) words.push_back(*w);
  return words;
}

bool Overlaps(const Span& a, const Span& b) { return a.begin < b.end && b.begin < a.end; }

bool IsWhiteSpace(std::string_view text, Span gap) {
  if (gap.empty()) return false;
  for (uint32_t i = gap.begin; i < gap.end;) {
    if (!u_isUWhiteSpace(NextChar(text, &i, gap.end))) return false;
  }
  return true;
}

std::string CollapseSpaces(std::string_view text, Span span) {
  std::string out;
  bool space = false;
  for (uint32_t i = span.begin; i < span.end;) {
    uint32_t start = i;
    if (u_isUWhiteSpace(NextChar(text, &i, span.end))) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out.append(text.substr(start, i - start));
  }
  return out;
}

// Whether `word`, with its first letter in lower case, stands as a word somewhere in `text`:
// then a capitalized copy at the start of a sentence is that common word.
bool WrittenInLowerCase(std::string_view text, std::string_view word) {
  uint32_t i = 0;
  UChar32 first = NextChar(word, &i, static_cast<uint32_t>(word.size()));
  if (first < 0) return false;
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, u_tolower(first));
  std::string lower =
      std::string(buffer, static_cast<size_t>(length)) + std::string(word.substr(i));
  for (size_t at = text.find(lower); at != std::string_view::npos; at = text.find(lower, at + 1)) {
    uint32_t before = static_cast<uint32_t>(at), after = static_cast<uint32_t>(at + lower.size());
    bool start = at == 0 || !IsWordChar(PrevChar(text, &before, 0));
    bool end = after >= text.size() ||
               !IsWordChar(NextChar(text, &after, static_cast<uint32_t>(text.size())));
    if (start && end) return true;
  }
  return false;
}

// ---- Candidates -----------------------------------------------------------------------------

struct Candidate {
  EntityType type = EntityType::kCompany;
  Span span;
  float confidence = 0;
  uint32_t surname_end = 0;  // a Chinese name led by a listed surname (HanName): where it ends
};

bool Blocks(Cue kind) {
  switch (kind) {
    case Cue::kParticle:
    case Cue::kCompanyWord:
    case Cue::kNotName:
    case Cue::kGeneric:
    case Cue::kSurname:
    case Cue::kNameEnd:
      return false;
    default:
      return true;
  }
}

// One content sentence: its cue hits, words and lexicon mentions.
struct SentenceView {
  uint32_t index = 0;
  Span span;
  std::vector<CueMatcher::Hit> hits;
  std::vector<Word> words;
  std::vector<const Mention*> known;
  bool title_case = false;  // of its paragraph
};

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<uint8_t>(c) & 0xC0) != 0x80; }));
}

// A paragraph whose longer words are all capitalized gives no case signal. It is read word by
// word: prose gives itself away within a few words, and most paragraphs are prose.
bool IsTitleCase(std::string_view text, Span paragraph) {
  size_t long_words = 0;
  uint32_t i = paragraph.begin;
  while (std::optional<Word> w = NextWord(text, paragraph, &i)) {
    if (w->caseless || CodePoints(w->span.Of(text)) < kTitleCaseWordLetters) continue;
    if (!w->capitalized) return false;
    ++long_words;
  }
  return long_words >= kMinTitleCaseWords;
}

// Words [first, last] of a sentence that may form a name.
struct Run {
  size_t first = 0, last = 0;
};

// A company or person named so far, which short forms may point back to.
struct Named {
  EntityType type = EntityType::kCompany;
  std::string canonical;
  bool discovered = false;
  float confidence = 1.0f;
  std::string surname;  // discovered person: the last word of the name
  std::string lead;     // company named in two or more words: the first word
  uint32_t last_seen = 0;
};

// The company or organization a sentence is about, for "the company" later.
struct Subject {
  EntityType type = EntityType::kCompany;
  std::string canonical;
  bool discovered = false;
  uint32_t begin = 0;     // where the sentence names it
  uint32_t sentence = 0;  // the sentence
};

// One document's discovery, sentence by sentence: names first, then the short forms that may
// point back to them (short forms only look back, so one pass serves both).
class Discoverer {
 public:
  Discoverer(const Document& doc, const DiscoveryLexicon::Impl& lexicon,
             const EntityLexicon& entities, const std::vector<Mention>& known, const CueScan* scan)
      : doc_(doc), text_(doc.text), lexicon_(lexicon), scan_(scan), entities_(entities) {
    known_.resize(doc.sentences.size());
    for (const Mention& m : known) {
      if (m.sentence < known_.size()) known_[m.sentence].push_back(&m);
    }
  }

  std::vector<Mention> Discover() {
    std::vector<Mention> out;
    uint32_t paragraph = UINT32_MAX;
    bool title_case = false;  // of the paragraph: a headline is often cut after "Inc."
    for (uint32_t s = 0; s < doc_.sentences.size(); ++s) {
      if (!doc_.IsContent(doc_.sentences[s].paragraph)) continue;
      uint32_t p = doc_.sentences[s].paragraph;
      if (p != paragraph) {
        paragraph = p;
        title_case = IsTitleCase(text_, doc_.paragraphs[p].span);
      }
      SentenceView v = View(s, title_case);
      std::vector<Mention> found = NamesIn(v);
      std::vector<Mention> short_forms = ShortForms(v, found);
      found.insert(found.end(), short_forms.begin(), short_forms.end());
      std::vector<Mention> nominals = Nominals(v, found);
      out.insert(out.end(), found.begin(), found.end());
      out.insert(out.end(), nominals.begin(), nominals.end());
    }
    SortByText(&out);
    return out;
  }

 private:
  static void SortByText(std::vector<Mention>* mentions) {
    std::stable_sort(mentions->begin(), mentions->end(), [](const Mention& a, const Mention& b) {
      return a.span.begin != b.span.begin ? a.span.begin < b.span.begin : a.span.end > b.span.end;
    });
  }

  Cue KindOf(const CueMatcher::Hit& hit) const { return lexicon_.rows[hit.cue].kind; }

  SentenceView View(uint32_t s, bool title_case) const {
    SentenceView v;
    v.index = s;
    v.span = doc_.sentences[s].span;
    v.hits = lexicon_.matcher.Find(doc_, s, SentenceLanguage(doc_, s), scan_);
    v.words = WordsOf(text_, v.span);
    v.known = known_[s];
    for (const CueMatcher::Hit& hit : v.hits) {
      for (Word& w : v.words) {
        if (Overlaps(w.span, hit.span)) Mark(KindOf(hit), hit.span, &w);
      }
    }
    v.title_case = title_case;
    return v;
  }

  static void Mark(Cue kind, Span hit, Word* w) {
    if (Blocks(kind)) w->blocked = true;
    if (kind == Cue::kParticle && hit.Contains(w->span) && !w->capitalized) w->particle = true;
    if (kind == Cue::kCompanyWord) w->company_word = true;
    if (kind == Cue::kNotName) w->not_name = true;
  }

  // ---- Names --------------------------------------------------------------------------------

  std::vector<Mention> NamesIn(const SentenceView& v) const {
    std::vector<Candidate> candidates;
    for (const CueMatcher::Hit& hit : v.hits) FromCue(v, hit, &candidates);
    std::stable_sort(
        candidates.begin(), candidates.end(),
        [](const Candidate& a, const Candidate& b) { return a.confidence > b.confidence; });
    std::vector<Mention> kept;
    for (const Candidate& c : candidates) {
      std::optional<Span> gloss = Gloss(v, c.span);
      if (gloss && std::any_of(v.known.begin(), v.known.end(), [&](const Mention* m) {
            return m->type == c.type && gloss->Contains(m->span);
          })) {
        continue;  // 内德·芬克尔（Ned Finkle）: the lexicon's, by the name in brackets
      }
      const bool glossed = gloss && IsLatinName(*gloss);
      std::string name = CollapseSpaces(text_, glossed ? *gloss : c.span);
      bool overlaps = std::any_of(kept.begin(), kept.end(),
                                  [&](const Mention& m) { return Overlaps(m.span, c.span); });
      if (overlaps || Claimed(v, c.span, name)) continue;
      float confidence = c.confidence;
      if (std::optional<std::string> pinyin = glossed ? std::nullopt : Pinyin(v, c)) {
        name = std::move(*pinyin);
        confidence = kRomanizedConfidence;
      }
      kept.push_back(Mention{c.type, std::move(name), c.span, v.index, true, confidence});
    }
    SortByText(&kept);
    return kept;
  }

  // A Chinese name in Chinese text as English writes it, in pinyin (王文涛 is Wang Wentao), as
  // the lexicons write the names they know; Japanese reads the same characters otherwise.
  std::optional<std::string> Pinyin(const SentenceView& v, const Candidate& c) const {
    if (c.surname_end == 0 || SentenceLanguage(doc_, v.index) != "zh") return std::nullopt;
    std::string pinyin =
        lexicon_.romanizer.Romanize(c.span.Of(text_), c.surname_end - c.span.begin);
    if (pinyin.empty()) return std::nullopt;
    return pinyin;
  }

  // What brackets right after a name in a script without case hold: 束明（Shu Ming）.
  std::optional<Span> Gloss(const SentenceView& v, Span name) const {
    uint32_t i = name.begin;
    if (u_hasBinaryProperty(NextChar(text_, &i, name.end), UCHAR_CASED)) return std::nullopt;
    i = name.end;
    UChar32 open = CharAfter(v, i);
    if (open != '(' && open != 0xFF08) return std::nullopt;
    NextChar(text_, &i, v.span.end);
    for (uint32_t at = i; at < v.span.end;) {
      uint32_t close = at;
      UChar32 c = NextChar(text_, &at, v.span.end);
      if (c == ')' || c == 0xFF09) return Span{i, close};
    }
    return std::nullopt;
  }

  // Two to four words written like a name, and nothing else.
  bool IsLatinName(Span span) const {
    std::vector<Word> words = WordsOf(text_, span);
    if (words.size() < 2 || words.size() > kMaxPersonWords ||
        words.front().span.begin != span.begin || words.back().span.end != span.end) {
      return false;
    }
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      Span gap{words[i].span.end, words[i + 1].span.begin};
      if (words[i].initial && !gap.empty() && text_[gap.begin] == '.') ++gap.begin;
      if (!IsWhiteSpace(text_, gap)) return false;
    }
    return std::all_of(words.begin(), words.end(),
                       [](const Word& w) { return w.proper || w.initial; });
  }

  void FromCue(const SentenceView& v, const CueMatcher::Hit& hit,
               std::vector<Candidate>* out) const {
    switch (KindOf(hit)) {
      case Cue::kCompanySuffix:
        return CompanyBefore(v, hit.span, out);
      case Cue::kCompanyPrefix:
        return UnspacedCompany(v, hit.span.end, /*backward=*/false, out);
      case Cue::kTitle:
        return PersonAfter(v, hit.span, out);
      case Cue::kVerb:
        SpeakerBefore(v, hit.span, out);
        return SpeakerAfter(v, hit.span, out);
      case Cue::kSpeakerVerb:
        return SpeakerBefore(v, hit.span, out);
      case Cue::kVerbSpeaker:
        return SpeakerAfter(v, hit.span, out);
      default:
        return;
    }
  }

  // A name of the lexicon's: overlapping one of its mentions, or one of its names.
  bool Claimed(const SentenceView& v, Span span, const std::string& name) const {
    for (const Mention* m : v.known) {
      if (m->type == EntityType::kCountry ? m->span.Contains(span) : Overlaps(m->span, span)) {
        return true;
      }
    }
    for (EntityType type : {EntityType::kCompany, EntityType::kOrganization, EntityType::kPerson}) {
      if (entities_.Find(type, name) != nullptr) return true;
    }
    return false;
  }

  UChar32 CharBefore(const SentenceView& v, uint32_t at) const {
    return at > v.span.begin ? PrevChar(text_, &at, v.span.begin) : -1;
  }
  UChar32 CharAfter(const SentenceView& v, uint32_t at) const {
    return at < v.span.end ? NextChar(text_, &at, v.span.end) : -1;
  }

  void CompanyBefore(const SentenceView& v, Span suffix, std::vector<Candidate>* out) const {
    UChar32 before = CharBefore(v, suffix.begin);
    if (before >= 0 && UnspacedOf(before) != Unspaced::kNo) {
      return UnspacedCompany(v, suffix.begin, /*backward=*/true, out);
    }
    std::optional<size_t> k = WordBefore(v, suffix.begin, /*comma=*/true);
    std::optional<size_t> next = WordAfter(v, suffix.end);
    if (!k || u_islower(CharAfter(v, suffix.begin)) || (next && Eligible(v.words[*next]))) return;
    if (v.words[*k].caseless) {  // Hangul: the word before 주식회사
      return out->push_back({EntityType::kCompany, v.words[*k].span, kUnspacedConfidence});
    }
    std::optional<Run> run = v.title_case ? std::nullopt : BackwardRun(v, *k, kMaxCompanyWords);
    if (run && !Any(v, *run, &Word::not_name)) {
      out->push_back({EntityType::kCompany, SpanOf(v, *run), kSuffixConfidence});
    }
  }

  void PersonAfter(const SentenceView& v, Span title, std::vector<Candidate>* out) const {
    UChar32 after = CharAfter(v, title.end);
    if (after >= 0 && UnspacedOf(after) == Unspaced::kHan) {
      uint32_t surname_end = 0;
      if (std::optional<Span> name = HanName(v, title.end, &surname_end)) {
        // 法国总统马克龙: the characters spell a French name by its sound, not a Chinese one.
        if (ForeignOffice(v, title)) surname_end = 0;
        out->push_back({EntityType::kPerson, *name, kUnspacedConfidence, surname_end});
      }
      return;
    }
    std::optional<size_t> k = WordAfter(v, title.end);
    std::optional<Run> run = k && !v.title_case ? ForwardRun(v, *k, kMaxPersonWords) : std::nullopt;
    if (run && PersonLike(v, *run) && !Any(v, *run, &Word::company_word) &&
        !Any(v, *run, &Word::not_name)) {
      out->push_back({EntityType::kPerson, SpanOf(v, *run), kTitleConfidence});
    }
  }

  void SpeakerBefore(const SentenceView& v, Span verb, std::vector<Candidate>* out) const {
    std::optional<size_t> k = WordBefore(v, verb.begin, /*comma=*/false);
    if (k && !v.title_case) Speaker(v, BackwardRun(v, *k, kMaxPersonWords), out);
  }

  void SpeakerAfter(const SentenceView& v, Span verb, std::vector<Candidate>* out) const {
    std::optional<size_t> k = WordAfter(v, verb.end);
    if (k && !v.title_case) Speaker(v, ForwardRun(v, *k, kMaxPersonWords), out);
  }

  // The subject of a reporting verb: a company by its words, else a person by their look.
  void Speaker(const SentenceView& v, std::optional<Run> run, std::vector<Candidate>* out) const {
    if (!run || Any(v, *run, &Word::not_name) || NameWords(v, *run) < 2) return;
    if (Any(v, *run, &Word::company_word)) {
      out->push_back({EntityType::kCompany, SpanOf(v, *run), kSpeakerConfidence});
    } else if (PersonLike(v, *run)) {
      out->push_back({EntityType::kPerson, SpanOf(v, *run), kSpeakerConfidence});
    }
  }

  // The word ending right before `at`, separated by white space (and a comma if allowed).
  std::optional<size_t> WordBefore(const SentenceView& v, uint32_t at, bool comma) const {
    const std::vector<Word>& w = v.words;
    auto it = std::partition_point(w.begin(), w.end(),
                                   [&](const Word& word) { return word.span.end <= at; });
    if (it == w.begin() || std::prev(it)->possessive) return std::nullopt;
    Span gap{std::prev(it)->span.end, at};
    if (comma && gap.size() > 1 && text_[gap.begin] == ',') ++gap.begin;
    if (!IsWhiteSpace(text_, gap)) return std::nullopt;
    return static_cast<size_t>(std::prev(it) - w.begin());
  }

  // The word starting right after `at`, separated by white space.
  std::optional<size_t> WordAfter(const SentenceView& v, uint32_t at) const {
    const std::vector<Word>& w = v.words;
    auto it = std::partition_point(w.begin(), w.end(),
                                   [&](const Word& word) { return word.span.begin < at; });
    if (it == w.end() || !IsWhiteSpace(text_, Span{at, it->span.begin})) return std::nullopt;
    return static_cast<size_t>(it - w.begin());
  }

  static bool Eligible(const Word& w) {
    return !w.blocked && !w.caseless && (w.capitalized || w.particle);
  }

  bool Joinable(const Word& a, const Word& b) const {
    if (a.possessive) return false;
    Span gap{a.span.end, b.span.begin};
    if (a.initial && !gap.empty() && text_[gap.begin] == '.') ++gap.begin;
    return IsWhiteSpace(text_, gap);
  }

  // The capitalized words that end at word k; nullopt when more than `max` (where the name
  // starts is then unknown).
  std::optional<Run> BackwardRun(const SentenceView& v, size_t k, size_t max) const {
    const std::vector<Word>& w = v.words;
    if (!Eligible(w[k]) || w[k].particle) return std::nullopt;
    size_t first = k;
    while (first > 0 && Eligible(w[first - 1]) && Joinable(w[first - 1], w[first])) {
      if (k - --first + 1 > max) return std::nullopt;
    }
    while (w[first].particle) ++first;
    if (first == 0 && k > 0 && WrittenInLowerCase(text_, w[0].span.Of(text_))) ++first;
    return Run{first, k};
  }

  // The capitalized words that start at word k; nullopt when more than `max`.
  std::optional<Run> ForwardRun(const SentenceView& v, size_t k, size_t max) const {
    const std::vector<Word>& w = v.words;
    if (!Eligible(w[k]) || w[k].particle) return std::nullopt;
    size_t last = k;
    while (last + 1 < w.size() && Eligible(w[last + 1]) && Joinable(w[last], w[last + 1])) {
      if (++last - k + 1 > max) return std::nullopt;
    }
    while (w[last].particle) --last;
    return Run{k, last};
  }

  static Span SpanOf(const SentenceView& v, Run run) {
    return {v.words[run.first].span.begin, v.words[run.last].span.end};
  }

  static bool Any(const SentenceView& v, Run run, bool Word::*flag) {
    for (size_t i = run.first; i <= run.last; ++i) {
      if (v.words[i].*flag) return true;
    }
    return false;
  }

  static size_t NameWords(const SentenceView& v, Run run) {
    size_t n = 0;
    for (size_t i = run.first; i <= run.last; ++i) n += v.words[i].particle ? 0 : 1;
    return n;
  }

  // Two or more words, each written like a name or an initial, the last not an initial.
  static bool PersonLike(const SentenceView& v, Run run) {
    if (NameWords(v, run) < 2 || v.words[run.last].initial) return false;
    for (size_t i = run.first; i <= run.last; ++i) {
      const Word& w = v.words[i];
      if (!w.particle && !w.proper && !w.initial) return false;
    }
    return true;
  }

  // Whether [begin, end) lies in a cue that ends names or in a lexicon mention.
  bool IsBoundary(const SentenceView& v, Span chars) const {
    for (const CueMatcher::Hit& hit : v.hits) {
      if (Blocks(KindOf(hit)) && Overlaps(hit.span, chars)) return true;
    }
    return std::any_of(v.known.begin(), v.known.end(),
                       [&](const Mention* m) { return Overlaps(m->span, chars); });
  }

  // The characters of one unspaced script (that of the first) from `at`, up to a boundary;
  // nullopt when more than `max`.
  std::optional<Span> UnspacedRun(const SentenceView& v, uint32_t at, bool backward,
                                  size_t max) const {
    Span run{at, at};
    Unspaced script = Unspaced::kNo;
    for (size_t n = 0;; ++n) {
      uint32_t next = backward ? run.begin : run.end;
      bool more = backward ? next > v.span.begin : next < v.span.end;
      UChar32 c = !more      ? -1
                  : backward ? PrevChar(text_, &next, v.span.begin)
                             : NextChar(text_, &next, v.span.end);
      Span piece = backward ? Span{next, run.begin} : Span{run.end, next};
      Unspaced s = c < 0 ? Unspaced::kNo : UnspacedOf(c);
      if (n == 0) script = s;
      if (s == Unspaced::kNo || s == Unspaced::kOther || s != script || IsBoundary(v, piece)) {
        return run;
      }
      if (n == max) return std::nullopt;
      (backward ? run.begin : run.end) = next;
    }
  }

  // Whether `title` is an office of a country whose people's names are not Chinese names: the
  // country named before it, with at most the office's own words between (美国商务部长), and
  // not after 驻 ("stationed in": 中国驻美国大使 is China's ambassador).
  bool ForeignOffice(const SentenceView& v, Span title) const {
    std::optional<Span> office = UnspacedRun(v, title.begin, /*backward=*/true, kMaxOfficeChars);
    if (!office) return false;
    for (const Mention* m : v.known) {
      if (m->type != EntityType::kCountry || m->span.end != office->begin) continue;
      const UChar32 stationed = CharBefore(v, m->span.begin);
      return stationed != 0x9A7B && stationed != 0x99D0 &&  // 驻, 駐
             !std::count(std::begin(kChineseNameCountries), std::end(kChineseNameCountries),
                         m->canonical);
    }
    return false;
  }

  // Whether a word that follows names in running text (则, 担任, 最近) starts at `at`: the
  // characters of a name run straight into it (李斌则表示, 拉里·佩奇投资).
  bool NameEndsAt(const SentenceView& v, uint32_t at) const {
    return std::any_of(v.hits.begin(), v.hits.end(), [&](const CueMatcher::Hit& h) {
      return KindOf(h) == Cue::kNameEnd && h.span.begin == at;
    });
  }

  // A Chinese name right after a title: a transliteration whose parts a middle dot joins
  // (内德·芬克尔), or two or three characters starting with a listed surname, which then ends
  // at `surname_end` (else it is left alone).
  std::optional<Span> HanName(const SentenceView& v, uint32_t at, uint32_t* surname_end) const {
    Span run{at, at};
    size_t chars = 0, part = 0;
    bool dotted = false;
    while (run.end < v.span.end) {
      uint32_t next = run.end;
      UChar32 c = NextChar(text_, &next, v.span.end);
      if (IsNameDot(c)) {
        uint32_t after = next;
        if (part == 0 || after >= v.span.end ||
            UnspacedOf(NextChar(text_, &after, v.span.end)) != Unspaced::kHan) {
          break;
        }
        // 唐纳德·特朗普: the lexicon's name follows the dot, and the whole is its person.
        if (IsBoundary(v, Span{next, after})) return std::nullopt;
        dotted = true;
        part = 0;
      } else if (UnspacedOf(c) != Unspaced::kHan || IsBoundary(v, Span{run.end, next}) ||
                 (part > 0 && NameEndsAt(v, run.end))) {
        break;
      } else if (++chars > kMaxHanForeignNameChars) {
        return std::nullopt;
      } else {
        ++part;
      }
      run.end = next;
    }
    if (dotted) return run;
    uint32_t surname = 0;  // the longest listed surname the name starts with: 欧阳, not 欧
    for (const CueMatcher::Hit& h : v.hits) {
      if (KindOf(h) == Cue::kSurname && h.span.begin == run.begin && h.span.end < run.end) {
        surname = std::max(surname, h.span.end);
      }
    }
    if (surname == 0 || chars < kMinUnspacedChars || chars > kMaxHanPersonChars) {
      return std::nullopt;
    }
    *surname_end = surname;
    return run;
  }

  // The name before 公司 or after 株式会社, without the generic words before the suffix.
  void UnspacedCompany(const SentenceView& v, uint32_t at, bool backward,
                       std::vector<Candidate>* out) const {
    std::optional<Span> run = UnspacedRun(v, at, backward, 2 * kMaxKanaCompanyChars);
    // 美国芯片公司, 英伟达中国公司: what follows a name the lexicon knows describes, not names.
    if (!run || std::any_of(v.known.begin(), v.known.end(),
                            [&](const Mention* m) { return m->span.end == run->begin; })) {
      return;
    }
    for (bool cut = true; cut;) {
      cut = false;
      for (const CueMatcher::Hit& hit : v.hits) {
        if (KindOf(hit) == Cue::kGeneric && hit.span.end == run->end &&
            hit.span.begin >= run->begin && !hit.span.empty()) {
          run->end = hit.span.begin;
          cut = true;
        }
      }
    }
    size_t chars = CodePoints(run->Of(text_));
    uint32_t first = run->begin;
    size_t max = run->empty() || UnspacedOf(NextChar(text_, &first, run->end)) == Unspaced::kHan
                     ? kMaxUnspacedCompanyChars
                     : kMaxKanaCompanyChars;
    if (chars >= kMinUnspacedChars && chars <= max) {
      out->push_back({EntityType::kCompany, *run, kUnspacedConfidence});
    }
  }

  // ---- Short forms --------------------------------------------------------------------------

  void Remember(const Mention& m, bool full_name) {
    if (m.type != EntityType::kCompany && m.type != EntityType::kPerson) return;
    for (Named& n : named_) {
      if (n.type == m.type && n.canonical == m.canonical) {
        n.last_seen = m.span.begin;
        return;
      }
    }
    if (!full_name) return;
    Named n{m.type, m.canonical, m.discovered, m.confidence, "", "", m.span.begin};
    std::vector<Word> words = WordsOf(text_, m.span);
    if (words.size() >= 2 && m.type == EntityType::kPerson && m.discovered && words.back().proper) {
      n.surname = std::string(words.back().span.Of(text_));
    }
    if (words.size() >= 2 && m.type == EntityType::kCompany && words.front().proper) {
      n.lead = std::string(words.front().span.Of(text_));
    }
    named_.push_back(std::move(n));
  }

  // Mentions of the sentence (lexicon and discovered) in text order.
  std::vector<const Mention*> Merged(const SentenceView& v, const std::vector<Mention>& found) {
    std::vector<const Mention*> all = v.known;
    for (const Mention& m : found) all.push_back(&m);
    std::stable_sort(all.begin(), all.end(), [](const Mention* a, const Mention* b) {
      return a->span.begin < b->span.begin;
    });
    return all;
  }

  std::vector<Mention> ShortForms(const SentenceView& v, const std::vector<Mention>& found) {
    std::vector<const Mention*> all = Merged(v, found);
    std::vector<Mention> out;
    size_t next = 0;
    for (size_t i = 0; i < v.words.size(); ++i) {
      const Word& w = v.words[i];
      for (; next < all.size() && all[next]->span.begin < w.span.end; ++next) {
        Remember(*all[next], true);
      }
      auto taken = [&](const Mention* m) { return Overlaps(m->span, w.span); };
      if (std::any_of(all.begin(), all.end(), taken) ||
          std::any_of(out.begin(), out.end(), [&](const Mention& m) { return taken(&m); }) ||
          (i > 0 && v.words[i - 1].capitalized && !v.words[i - 1].blocked &&
           Joinable(v.words[i - 1], w))) {
        continue;
      }
      if (std::optional<Mention> m = ShortFormAt(v, i)) {
        Remember(*m, false);
        out.push_back(std::move(*m));
      }
    }
    return out;
  }

  // A discovered name repeated, a discovered person's surname, a company's first word as a
  // possessive, at word i; the most recently named entity when several fit.
  std::optional<Mention> ShortFormAt(const SentenceView& v, size_t i) const {
    const Word& w = v.words[i];
    std::string_view word = w.span.Of(text_);
    const Named* best = nullptr;
    Span span;
    for (const Named& n : named_) {
      if (n.last_seen >= w.span.begin || (best && best->last_seen > n.last_seen)) continue;
      if (n.discovered && RepeatedAt(v, w.span.begin, n.canonical)) {
        best = &n;
        span = {w.span.begin, w.span.begin + static_cast<uint32_t>(n.canonical.size())};
      } else if ((word == n.surname && w.proper && !FollowedByName(v, i)) ||
                 (word == n.lead && w.possessive)) {
        best = &n;
        span = w.span;
      }
    }
    if (!best) return std::nullopt;
    float confidence = span.size() == best->canonical.size() && best->discovered
                           ? best->confidence
                           : kShortFormConfidence;
    return Mention{best->type, best->canonical, span, v.index, best->discovered, confidence};
  }

  bool RepeatedAt(const SentenceView& v, uint32_t at, const std::string& name) const {
    if (text_.compare(at, name.size(), name) != 0) return false;
    uint32_t end = at + static_cast<uint32_t>(name.size());
    return end > v.span.end || !IsWordChar(CharAfter(v, end));
  }

  bool FollowedByName(const SentenceView& v, size_t i) const {
    return i + 1 < v.words.size() && v.words[i + 1].capitalized && !v.words[i + 1].blocked &&
           Joinable(v.words[i], v.words[i + 1]);
  }

  // ---- Nominals -----------------------------------------------------------------------------

  // "The company" counts, "The Company" does not when the table writes it in lower case.
  bool CaseFits(const CueMatcher::Hit& hit) const {
    if (!lexicon_.rows[hit.cue].lower_case) return true;
    uint32_t i = hit.span.begin;
    NextChar(text_, &i, hit.span.end);
    while (i < hit.span.end) {
      if (u_isupper(NextChar(text_, &i, hit.span.end))) return false;
    }
    return true;
  }

  // "the company DeepSeek", "la empresa tecnológica china DeepSeek": the nominal introduces the
  // company named right after it (a few words, no punctuation, no reporting verb between).
  bool Cataphoric(const SentenceView& v, const std::vector<const Mention*>& all,
                  const CueMatcher::Hit& nominal) const {
    auto next = std::find_if(all.begin(), all.end(), [&](const Mention* m) {
      return m->span.begin >= nominal.span.end &&
             (m->type == EntityType::kCompany || m->type == EntityType::kOrganization);
    });
    if (next == all.end()) return false;
    Span gap{nominal.span.end, (*next)->span.begin};
    size_t words = 0;
    for (const Word& w : v.words) words += gap.Contains(w.span) ? 1 : 0;
    bool verb = std::any_of(v.hits.begin(), v.hits.end(), [&](const CueMatcher::Hit& h) {
      Cue kind = KindOf(h);
      return (kind == Cue::kVerb || kind == Cue::kSpeakerVerb || kind == Cue::kVerbSpeaker) &&
             Overlaps(h.span, gap);
    });
    for (uint32_t i = gap.begin; i < gap.end;) {
      UChar32 c = NextChar(text_, &i, gap.end);
      if (!u_isUWhiteSpace(c) && !IsWordChar(c)) return false;
    }
    return words <= kMaxAppositionWords && !verb;
  }

  // The first company or organization a sentence names, or the company of a lexicon person.
  std::optional<Subject> SubjectOf(const SentenceView& v,
                                   const std::vector<const Mention*>& all) const {
    for (const Mention* m : all) {
      if (m->type == EntityType::kCompany || m->type == EntityType::kOrganization) {
        return Subject{m->type, m->canonical, m->discovered, m->span.begin, v.index};
      }
      const EntityInfo* person =
          m->type == EntityType::kPerson ? entities_.Find(m->type, m->canonical) : nullptr;
      const EntityInfo* company =
          person ? entities_.Find(EntityType::kCompany, person->affiliation) : nullptr;
      if (company) return Subject{company->type, company->canonical, false, m->span.begin, v.index};
    }
    return std::nullopt;
  }

  std::vector<Mention> Nominals(const SentenceView& v, const std::vector<Mention>& found) {
    std::vector<const Mention*> all = Merged(v, found);
    std::optional<Subject> subject = SubjectOf(v, all);
    std::vector<Mention> out;
    for (const CueMatcher::Hit& hit : v.hits) {
      bool taken = std::any_of(all.begin(), all.end(),
                               [&](const Mention* m) { return Overlaps(m->span, hit.span); });
      if (KindOf(hit) != Cue::kNominal || taken || !CaseFits(hit) || Cataphoric(v, all, hit)) {
        continue;
      }
      const std::optional<Subject>& ref =
          subject && subject->begin < hit.span.begin ? subject : last_subject_;
      if (!ref || ref->type != EntityType::kCompany ||
          v.index - ref->sentence > kMaxNominalSentences) {
        continue;
      }
      out.push_back(Mention{EntityType::kCompany, ref->canonical, hit.span, v.index,
                            ref->discovered, kShortFormConfidence});
      if (!subject) subject = Subject{ref->type, ref->canonical, ref->discovered, hit.span.begin};
    }
    if (subject) {
      subject->sentence = v.index;
      last_subject_ = subject;
    }
    return out;
  }

  const Document& doc_;
  const std::string& text_;
  const DiscoveryLexicon::Impl& lexicon_;
  const CueScan* scan_;  // may be null
  const EntityLexicon& entities_;
  std::vector<std::vector<const Mention*>> known_;  // per sentence
  std::vector<Named> named_;
  std::optional<Subject> last_subject_;
};

}  // namespace

std::vector<Mention> DiscoverEntities(const Document& doc, const DiscoveryLexicon& discovery,
                                      const EntityLexicon& entities,
                                      const std::vector<Mention>& known, const CueScan* scan) {
  return Discoverer(doc, discovery.impl(), entities, known, scan).Discover();
}

}  // namespace stancetrack

#include "pipeline/segment.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/limits.h"
#include "pipeline/normalize.h"

namespace stancetrack {
namespace {

// ---------------------------------------------------------------------------------------------
// Abbreviations after which ICU's sentence rules break but news text does not end a sentence.
// The table is compiled in rather than read from a lexicon file: it is part of the segmentation
// algorithm (like ICU's own rules), one wrong entry moves sentence boundaries everywhere, and
// Segment has no error path for a bad data file. Initials ("John F. Kennedy", French "M.") and
// dotted acronyms ("U.S.", "U.K.", "U.N.", "E.U.") follow one pattern and are not listed.

enum class JoinWhen : uint8_t {
  kAlways,               // a name or phrase always follows: titles, shorthands
  kBeforeNumberOrLower,  // a sentence can end with them: dates, company suffixes, "No."
  kUnlessSentenceStart,  // join unless the next word opens a sentence ("The", "He", ...)
};

struct Abbreviation {
  std::string_view word;  // without the final '.'
  JoinWhen when;
};

// Rows of several entries keep the table readable.
// clang-format off
constexpr JoinWhen kAlways = JoinWhen::kAlways;
constexpr JoinWhen kNumberOrLower = JoinWhen::kBeforeNumberOrLower;
constexpr JoinWhen kUnlessStart = JoinWhen::kUnlessSentenceStart;
constexpr Abbreviation kAbbreviations[] = {
    // Titles before a name (English, German, French, Spanish).
    {"Mr", kAlways}, {"Mrs", kAlways}, {"Ms", kAlways}, {"Dr", kAlways}, {"Prof", kAlways},
    {"Sen", kAlways}, {"Rep", kAlways}, {"Gov", kAlways}, {"Gen", kAlways}, {"Lt", kAlways},
    {"Col", kAlways}, {"Capt", kAlways}, {"Sgt", kAlways}, {"Adm", kAlways}, {"Pres", kAlways},
    {"Rev", kAlways}, {"Hon", kAlways}, {"Hr", kAlways}, {"Mme", kAlways}, {"Mlle", kAlways},
    {"Sra", kAlways},
    // Shorthands inside a sentence.
    {"vs", kAlways}, {"e.g", kAlways}, {"i.e", kAlways}, {"z.B", kAlways}, {"bzw", kAlways},
    {"u.a", kAlways}, {"d.h", kAlways}, {"z.T", kAlways}, {"vgl", kAlways}, {"ca", kAlways},
    // Name suffixes and places: "Smith Jr. said", "Sr. García", "St. Louis".
    {"Jr", kUnlessStart}, {"Sr", kUnlessStart}, {"St", kUnlessStart}, {"Mt", kUnlessStart},
    // Company suffixes: "Nvidia Corp. said" joins, "... from Nvidia Corp. The" does not.
    {"Inc", kNumberOrLower}, {"Corp", kNumberOrLower}, {"Co", kNumberOrLower},
    {"Ltd", kNumberOrLower},
    // Numbers and dates: "No. 2", "Nr. 5", "Jan. 15", "9 a.m. local time", "etc. and".
    {"No", kNumberOrLower}, {"Nr", kNumberOrLower}, {"Jan", kNumberOrLower},
    {"Feb", kNumberOrLower}, {"Mar", kNumberOrLower}, {"Apr", kNumberOrLower},
    {"Jun", kNumberOrLower}, {"Jul", kNumberOrLower}, {"Aug", kNumberOrLower},
    {"Sep", kNumberOrLower}, {"Sept", kNumberOrLower}, {"Oct", kNumberOrLower},
    {"Okt", kNumberOrLower}, {"Nov", kNumberOrLower}, {"Dec", kNumberOrLower},
    {"Dez", kNumberOrLower}, {"a.m", kNumberOrLower}, {"p.m", kNumberOrLower},
    {"etc", kNumberOrLower}, {"usw", kNumberOrLower},
};

// Words that open a sentence: after "U.S." or an initial they mean the sentence did end.
constexpr std::string_view kSentenceOpeners[] = {
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We",
    "I", "You", "His", "Her", "Their", "Our", "But", "And", "Or", "So", "Yet", "In", "On", "At",
    "For", "If", "When", "While", "As", "After", "Before", "There", "What", "However",
    "Meanwhile", "Der", "Die", "Das", "Er", "Sie", "Es", "Le", "La", "Les", "Il", "Elle", "El",
    "Los", "Las",
};
// clang-format on

// ---------------------------------------------------------------------------------------------
// Code points. Offsets fit in int32_t: documents are bounded by limits::kMaxDocumentBytes.

UChar32 CodePointAt(std::string_view text, uint32_t i, uint32_t* next) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  int32_t offset = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT_OR_FFFD(bytes, offset, static_cast<int32_t>(text.size()), c);
  *next = static_cast<uint32_t>(offset);
  return c;
}

UChar32 CodePointBefore(std::string_view text, uint32_t i, uint32_t* prev) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  int32_t offset = static_cast<int32_t>(i);
  UChar32 c;
  U8_PREV_OR_FFFD(bytes, 0, offset, c);
  *prev = static_cast<uint32_t>(offset);
  return c;
}

// White space, and the zero-width characters that folding removes: neither starts or ends a
// paragraph or sentence.
bool IsSpace(UChar32 c) {
  return u_isUWhiteSpace(c) || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

bool IsOpening(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_START_PUNCTUATION || type == U_INITIAL_PUNCTUATION;
}

bool IsClosing(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_END_PUNCTUATION || type == U_FINAL_PUNCTUATION || c == '"' || c == '\'';
}

Span Trim(std::string_view text, Span span) {
  uint32_t next = 0;
  while (span.begin < span.end && IsSpace(CodePointAt(text, span.begin, &next))) {
    span.begin = next;
  }
  uint32_t prev = 0;
  while (span.end > span.begin && IsSpace(CodePointBefore(text, span.end, &prev))) {
    span.end = prev;
  }
  return span;
}

// ---------------------------------------------------------------------------------------------
// Paragraphs.

// Whether `line` ends a sentence: a terminal (Unicode Sentence_Terminal, or "…") possibly
// followed by closing quotes and brackets.
bool EndsSentence(std::string_view text, Span line) {
  uint32_t end = line.end;
  UChar32 c = 0;
  while (end > line.begin) {
    c = CodePointBefore(text, end, &end);
    if (!IsClosing(c)) break;
  }
  return u_hasBinaryProperty(c, UCHAR_S_TERM) || c == 0x2026;
}

bool StartsLower(std::string_view text, Span line) {
  uint32_t next = 0;
  return !line.empty() && u_islower(CodePointAt(text, line.begin, &next));
}

std::vector<Span> SplitParagraphs(std::string_view text) {
  std::vector<Span> paragraphs;
  Span open;  // the paragraph being extended; empty when none
  Span previous_line;
  size_t line_begin = 0;
  while (line_begin <= text.size()) {
    const size_t newline = std::min(text.find('\n', line_begin), text.size());
    const Span line =
        Trim(text, {static_cast<uint32_t>(line_begin), static_cast<uint32_t>(newline)});
    const bool wraps = !open.empty() && !line.empty() && !EndsSentence(text, previous_line) &&
                       StartsLower(text, line);
    if (wraps) {
      open.end = line.end;
    } else {
      if (!open.empty()) paragraphs.push_back(open);
      open = line;
    }
    previous_line = line;
    line_begin = newline + 1;
  }
  if (!open.empty()) paragraphs.push_back(open);
  return paragraphs;
}

// ---------------------------------------------------------------------------------------------
// ICU sentence break iterators.

// The language ICU is asked for: the leading letters of `code` ("pt-BR" -> "pt"), when ICU has
// a locale for that language; else "" (ICU's root rules). Keying the prototypes by the
// languages ICU knows bounds their number whatever metadata an article declares.
std::string IcuLanguage(const std::string& code) {
  static const std::set<std::string>* const known = [] {
    auto* languages = new std::set<std::string>;
    int32_t count = 0;
    const icu::Locale* locales = icu::BreakIterator::getAvailableLocales(count);
    for (int32_t i = 0; i < count; ++i) languages->insert(locales[i].getLanguage());
    return languages;
  }();
  std::string language;
  for (char ch : code) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) break;
    language.push_back(static_cast<char>(ch | 0x20));
  }
  return known->count(language) > 0 ? language : std::string();
}

// A fresh sentence iterator for `language`, cloned from a prototype built once; null when ICU
// cannot build one.
std::unique_ptr<icu::BreakIterator> SentenceIterator(const std::string& language) {
  static std::mutex mu;
  static auto* const prototypes = new std::map<std::string, std::unique_ptr<icu::BreakIterator>>;
  const std::string key = IcuLanguage(language);
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<icu::BreakIterator>& prototype = (*prototypes)[key];
  if (prototype == nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    prototype.reset(icu::BreakIterator::createSentenceInstance(icu::Locale(key.c_str()), status));
    if (U_FAILURE(status)) prototype.reset();
    if (prototype == nullptr) return nullptr;
  }
  return std::unique_ptr<icu::BreakIterator>(prototype->clone());
}

// ICU's sentences of `paragraph`, trimmed. Line breaks inside a paragraph (wrapped lines) are
// read as spaces: ICU would otherwise end a sentence at each. `scratch` holds the copy ICU
// reads; UTF-8 UText gives boundaries as byte offsets, so none need mapping back.
std::vector<Span> IcuSentences(std::string_view text, Span paragraph, icu::BreakIterator* it,
                               std::string* scratch) {
  std::vector<Span> sentences;
  scratch->assign(paragraph.Of(text));
  std::replace(scratch->begin(), scratch->end(), '\n', ' ');
  UErrorCode status = U_ZERO_ERROR;
  UText utext = UTEXT_INITIALIZER;
  utext_openUTF8(&utext, scratch->data(), static_cast<int64_t>(scratch->size()), &status);
  if (it != nullptr) it->setText(&utext, status);
  if (it == nullptr || U_FAILURE(status)) {
    utext_close(&utext);
    return {paragraph};
  }
  int32_t begin = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; end = it->next()) {
    const Span sentence = Trim(text, {paragraph.begin + begin, paragraph.begin + end});
    if (!sentence.empty()) sentences.push_back(sentence);
    begin = end;
  }
  utext_close(&utext);
  return sentences;
}

// ---------------------------------------------------------------------------------------------
// Corrections of ICU's sentences within one paragraph.

// CJK text has no space before an opening quote, so ICU ends "…吗？“" with the quote that opens
// the next sentence. Opening punctuation at the end of a sentence that is followed directly
// (no space) by the next one moves there.
void MoveOpeningPunctuation(std::string_view text, std::vector<Span>* sentences) {
  for (size_t i = 0; i + 1 < sentences->size(); ++i) {
    Span& left = (*sentences)[i];
    Span& right = (*sentences)[i + 1];
    uint32_t prev = 0;
    while (left.end == right.begin && !left.empty() &&
           IsOpening(CodePointBefore(text, left.end, &prev))) {
      left.end = right.begin = prev;
    }
  }
  std::erase_if(*sentences, [](const Span& s) { return s.empty(); });
}

// Whether `c` can be part of an abbreviation or initials: letters and dots, but not the letters
// of scripts written without spaces, which can stand right before a Latin word ("于Feb. 24").
bool InAbbreviation(UChar32 c) {
  if (c == '.') return true;
  if (!u_isalpha(c) || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) return false;
  const auto script = static_cast<UScriptCode>(u_getIntPropertyValue(c, UCHAR_SCRIPT));
  return script != USCRIPT_HIRAGANA && script != USCRIPT_KATAKANA && script != USCRIPT_HANGUL;
}

// The word before the final '.' of `sentence`: back to the first character that cannot be part
// of an abbreviation (a space, a bracket, a quote, a digit, a Han character...).
std::string_view WordBeforePeriod(std::string_view text, Span sentence) {
  if (sentence.empty() || text[sentence.end - 1] != '.') return {};
  const uint32_t word_end = sentence.end - 1;
  uint32_t begin = word_end;
  uint32_t prev = 0;
  while (begin > sentence.begin) {
    const UChar32 c = CodePointBefore(text, begin, &prev);
    if (!InAbbreviation(c)) break;
    begin = prev;
  }
  return text.substr(begin, word_end - begin);
}

// "F" or "U.S", "E.U", "U.S.A": upper-case letters, one at a time, joined by dots.
bool IsInitialOrAcronym(std::string_view word) {
  uint32_t i = 0;
  while (i < word.size()) {
    if (!u_isupper(CodePointAt(word, i, &i))) return false;
    if (i == word.size()) return true;
    if (word[i++] != '.') return false;
  }
  return false;
}

bool StartsSentence(std::string_view text, Span sentence) {
  uint32_t end = sentence.begin;
  uint32_t next = 0;
  while (end < sentence.end && u_isalpha(CodePointAt(text, end, &next))) end = next;
  if (end == sentence.begin) return true;  // a quote, bracket or symbol opens it
  const std::string_view word = text.substr(sentence.begin, end - sentence.begin);
  return std::find(std::begin(kSentenceOpeners), std::end(kSentenceOpeners), word) !=
         std::end(kSentenceOpeners);
}

// Whether ICU's break between `left` and `right` follows an abbreviation and is wrong.
bool FollowsAbbreviation(std::string_view text, Span left, Span right) {
  const std::string_view word = WordBeforePeriod(text, left);
  if (word.empty()) return false;
  JoinWhen when = JoinWhen::kUnlessSentenceStart;
  if (!IsInitialOrAcronym(word)) {
    const auto* found = std::find_if(std::begin(kAbbreviations), std::end(kAbbreviations),
                                     [&](const Abbreviation& a) { return a.word == word; });
    if (found == std::end(kAbbreviations)) return false;
    when = found->when;
  }
  uint32_t next = 0;
  const UChar32 first = CodePointAt(text, right.begin, &next);
  switch (when) {
    case JoinWhen::kAlways:
      return true;
    case JoinWhen::kBeforeNumberOrLower:
      return u_isdigit(first) || u_islower(first);
    case JoinWhen::kUnlessSentenceStart:
      return !StartsSentence(text, right);
  }
  return false;
}

// A quote ending in "?" or "!" and the words naming its speaker are one sentence, which ICU
// splits: `"Why?" he asked.`, and in Japanese 「そうだ！」と述べた, where the particle と ("thus")
// follows the quote. A lower-case word or と after closing punctuation cannot open a sentence.
bool ContinuesQuote(std::string_view text, Span left, Span right) {
  constexpr UChar32 kQuotativeTo = 0x3068;  // と
  uint32_t index = 0;
  if (!IsClosing(CodePointBefore(text, left.end, &index))) return false;
  const UChar32 next = CodePointAt(text, right.begin, &index);
  return u_islower(next) || next == kQuotativeTo;
}

// Joins the sentences ICU split wrongly: after abbreviations and before a quotative particle.
void JoinWrongBreaks(std::string_view text, std::vector<Span>* sentences) {
  std::vector<Span> joined;
  joined.reserve(sentences->size());
  for (const Span& sentence : *sentences) {
    if (!joined.empty() && (FollowsAbbreviation(text, joined.back(), sentence) ||
                            ContinuesQuote(text, joined.back(), sentence))) {
      joined.back().end = sentence.end;
    } else {
      joined.push_back(sentence);
    }
  }
  sentences->swap(joined);
}

// Cuts `sentence` into pieces of at most kMaxSentenceBytes, each at the last ASCII space before
// the limit, or at the last character boundary when the piece has no space (CJK text).
void AppendCut(std::string_view text, Span sentence, std::vector<Span>* out) {
  while (sentence.size() > limits::kMaxSentenceBytes) {
    uint32_t cut = sentence.begin + static_cast<uint32_t>(limits::kMaxSentenceBytes);
    while (cut > sentence.begin && U8_IS_TRAIL(text[cut])) --cut;
    const size_t space = text.substr(sentence.begin, cut - sentence.begin).find_last_of(" \t\n");
    if (space != std::string_view::npos && space > 0) cut = sentence.begin + space;
    const Span piece = Trim(text, {sentence.begin, cut});
    if (!piece.empty()) out->push_back(piece);
    sentence = Trim(text, {cut, sentence.end});
  }
  if (!sentence.empty()) out->push_back(sentence);
}

// The folded span of each sentence: FoldedSize over the text between and inside sentences,
// one monotone walk (folding rewrites code points independently).
void FillFoldedSpans(const Document& doc, std::vector<Sentence>* sentences) {
  const std::string_view text = doc.text;
  const auto folded_size = static_cast<uint32_t>(doc.folded.size());
  uint32_t text_pos = 0;
  uint32_t folded_pos = 0;
  for (Sentence& sentence : *sentences) {
    folded_pos += FoldedSize(text.substr(text_pos, sentence.span.begin - text_pos));
    const uint32_t begin = folded_pos;
    folded_pos += FoldedSize(sentence.span.Of(text));
    text_pos = sentence.span.end;
    sentence.folded = {std::min(begin, folded_size), std::min(folded_pos, folded_size)};
  }
}

std::string DocumentLanguage(const Document& doc) {
  if (!doc.language.empty()) return doc.language;
  if (!doc.meta.language.empty()) return doc.meta.language;
  return "en";
}

}  // namespace

void Segment(Document* doc) {
  const std::string_view text = doc->text;
  doc->paragraphs.clear();
  doc->sentences.clear();
  const std::unique_ptr<icu::BreakIterator> it = SentenceIterator(DocumentLanguage(*doc));
  std::string scratch;
  std::vector<Span> cut;
  for (const Span& span : SplitParagraphs(text)) {
    const auto index = static_cast<uint32_t>(doc->paragraphs.size());
    doc->paragraphs.emplace_back().span = span;
    std::vector<Span> sentences = IcuSentences(text, span, it.get(), &scratch);
    MoveOpeningPunctuation(text, &sentences);
    JoinWrongBreaks(text, &sentences);
    cut.clear();
    for (const Span& sentence : sentences) AppendCut(text, sentence, &cut);
    for (const Span& sentence : cut) {
      Sentence& added = doc->sentences.emplace_back();
      added.span = sentence;
      added.paragraph = index;
    }
  }
  if (!doc->meta.title.empty() && !doc->paragraphs.empty()) {
    doc->paragraphs.front().kind = BlockKind::kTitle;
  }
  FillFoldedSpans(*doc, &doc->sentences);
}

}  // namespace stancetrack

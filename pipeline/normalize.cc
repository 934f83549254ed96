#include "pipeline/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <string>

namespace stancetrack {
namespace {

constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";  // U+FFFD
constexpr UChar32 kReplacement = 0xFFFD;
// Below the first combining mark every code point is NFC-stable and starts a segment.
constexpr UChar32 kFirstCombining = 0x300;

// Decodes the code point at s[*i] and advances *i past it. An ill-formed sequence yields a
// negative value and *i moves past its maximal subpart (ICU's U8_NEXT policy).
UChar32 NextCodePoint(std::string_view s, size_t* i) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const size_t length = s.size();
  UChar32 c;
  U8_NEXT(bytes, *i, length, c);
  return c;
}

void AppendUtf8(std::string* out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out->append(buf, n);
}

const icu::Normalizer2* Nfc() {
  // ICU owns the instance; null only when ICU's data is missing, and then text stays unnormalized.
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? instance : nullptr;
  }();
  return nfc;
}

// Valid UTF-8 without "\r": the text needs no repair and no line-break rewriting.
bool IsCleanUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto byte = static_cast<uint8_t>(s[i]);
    if (byte >= 0x80) {
      if (NextCodePoint(s, &i) < 0) return false;
    } else if (byte == '\r') {
      return false;
    } else {
      ++i;
    }
  }
  return true;
}

bool IsNfc(std::string_view s) {
  const icu::Normalizer2* nfc = Nfc();
  if (nfc == nullptr) return true;
  UErrorCode status = U_ZERO_ERROR;
  const bool normalized = nfc->isNormalizedUTF8(s, status);
  return U_FAILURE(status) || normalized;
}

// Records an OffsetMap while a derived string grows left to right from a source. Invariant:
// the map sends the derived string's current end to the source position reached so far.
class MapBuilder {
 public:
  explicit MapBuilder(OffsetMap* map) : map_(map) {}

  // Derived offset `to` corresponds to source offset `from`. An anchor is added only where the
  // distance between the two strings changes, so copied runs cost nothing.
  void Anchor(size_t to, size_t from) {
    const int64_t delta = static_cast<int64_t>(from) - static_cast<int64_t>(to);
    if (map_ == nullptr || delta == delta_) return;
    map_->Add(static_cast<uint32_t>(to), static_cast<uint32_t>(from));
    delta_ = delta;
  }

  // Appends `piece`, which replaces source [begin, end). The end maps exactly; character
  // boundaries inside `piece` map to `begin`, as there is no finer correspondence to give.
  void Replace(std::string* out, std::string_view piece, size_t begin, size_t end) {
    const size_t start = out->size();
    if (piece.empty()) return Drop(start, begin, end);
    out->append(piece);
    for (size_t k = 1; k < piece.size(); ++k) {
      if (!U8_IS_TRAIL(piece[k])) Anchor(start + k, begin);
    }
    Anchor(start + piece.size(), end);
  }

 private:
  // Source [begin, end) is dropped at derived offset `to`.
  void Drop(size_t to, size_t begin, size_t end) {
    if (map_ == nullptr) return;
    map_->AddDropped(static_cast<uint32_t>(to), static_cast<uint32_t>(begin),
                     static_cast<uint32_t>(end));
    delta_ = static_cast<int64_t>(end) - static_cast<int64_t>(to);
  }

  OffsetMap* map_;
  int64_t delta_ = 0;
};

// Builds Document::text one normalization segment at a time. A segment starts at a code point
// with a normalization boundary before it (Normalizer2::hasBoundaryBefore), so segments
// normalize independently and the map is exact between them. Nearly every segment is one code
// point that NFC leaves alone, and is copied.
class TextBuilder {
 public:
  TextBuilder(std::string* out, OffsetMap* map) : nfc_(Nfc()), out_(out), map_(map) {}

  // Adds code point c, read from source bytes [begin, end). A code point whose length differs
  // from its source (U+FFFD for invalid bytes, "\n" for "\r\n") always starts a segment, so in
  // a segment only the first code point can shift offsets.
  void Add(UChar32 c, size_t begin, size_t end) {
    const bool resized = end - begin != static_cast<size_t>(U8_LENGTH(c));
    if (resized || c < kFirstCombining || nfc_ == nullptr || nfc_->hasBoundaryBefore(c)) Flush();
    if (code_points_ == 0) {
      segment_begin_ = begin;
      first_ = c;
      first_source_length_ = end - begin;
    }
    AppendUtf8(&segment_, c);
    segment_end_ = end;
    ++code_points_;
  }

  void Flush() {
    if (code_points_ == 0) return;
    if (SegmentIsNfc()) {
      const size_t start = out_->size();
      out_->append(segment_);
      map_.Anchor(start + U8_LENGTH(first_), segment_begin_ + first_source_length_);
    } else {
      normalized_.clear();
      icu::StringByteSink<std::string> sink(&normalized_);
      UErrorCode status = U_ZERO_ERROR;
      nfc_->normalizeUTF8(0, segment_, sink, nullptr, status);
      map_.Replace(out_, U_SUCCESS(status) ? normalized_ : segment_, segment_begin_, segment_end_);
    }
    segment_.clear();
    code_points_ = 0;
  }

 private:
  bool SegmentIsNfc() const {
    if (nfc_ == nullptr) return true;
    if (code_points_ == 1) {
      return first_ < kFirstCombining ||
             u_getIntPropertyValue(first_, UCHAR_NFC_QUICK_CHECK) != UNORM_NO;
    }
    return IsNfc(segment_);
  }

  const icu::Normalizer2* nfc_;
  std::string* out_;
  MapBuilder map_;
  std::string segment_;     // UTF-8 of the pending segment, already repaired
  std::string normalized_;  // scratch for the NFC of a segment
  size_t segment_begin_ = 0;
  size_t segment_end_ = 0;
  size_t first_source_length_ = 0;
  UChar32 first_ = 0;
  int code_points_ = 0;
};

struct RepairCount {
  size_t replaced = 0;
  size_t first_bad = 0;
};

// The slow path of Normalize: repair, line breaks and NFC in one pass over `source`.
RepairCount BuildText(std::string_view source, std::string* out, OffsetMap* map) {
  RepairCount count;
  out->reserve(source.size());
  TextBuilder builder(out, map);
  size_t i = 0;
  while (i < source.size()) {
    const size_t begin = i;
    UChar32 c = NextCodePoint(source, &i);
    if (c < 0) {
      if (count.replaced++ == 0) count.first_bad = begin;
      c = kReplacement;
    } else if (c == '\r') {
      c = '\n';
      if (i < source.size() && source[i] == '\n') ++i;
    }
    builder.Add(c, begin, i);
  }
  builder.Flush();
  return count;
}

// One folding rule: code points [first, last] become `replacement`, or, for full-width ASCII,
// the ASCII character at `ascii_offset` below. The table is the whole folding: the code and the
// lead-byte filter below are derived from it, so adding a rule is one line.
struct FoldRule {
  UChar32 first;
  UChar32 last;
  std::string_view replacement;
  UChar32 ascii_offset = 0;
};

constexpr FoldRule kFoldRules[] = {
    {0x00A0, 0x00A0, " "},         // no-break space
    {0x00AD, 0x00AD, ""},          // soft hyphen
    {0x02BC, 0x02BC, "'"},         // modifier letter apostrophe
    {0x2000, 0x200A, " "},         // en quad .. hair space
    {0x200B, 0x200D, ""},          // zero-width space, non-joiner, joiner
    {0x2010, 0x2015, "-"},         // hyphen .. horizontal bar
    {0x2018, 0x201B, "'"},         // single quotation marks
    {0x201C, 0x201F, "\""},        // double quotation marks
    {0x2026, 0x2026, "..."},       // horizontal ellipsis
    {0x202F, 0x202F, " "},         // narrow no-break space
    {0x2032, 0x2032, "'"},         // prime, used as an apostrophe
    {0x2033, 0x2033, "\""},        // double prime, used as a quote
    {0x205F, 0x205F, " "},         // medium mathematical space
    {0x2060, 0x2060, ""},          // word joiner
    {0x2212, 0x2212, "-"},         // minus sign
    {0x3000, 0x3000, " "},         // ideographic space
    {0xFEFF, 0xFEFF, ""},          // zero-width no-break space (byte order mark)
    {0xFF01, 0xFF5E, "", 0xFEE0},  // full-width ASCII
};

constexpr uint8_t LeadByte(UChar32 c) {
  if (c < 0x80) return static_cast<uint8_t>(c);
  if (c < 0x800) return static_cast<uint8_t>(0xC0 | (c >> 6));
  if (c < 0x10000) return static_cast<uint8_t>(0xE0 | (c >> 12));
  return static_cast<uint8_t>(0xF0 | (c >> 18));
}

// Bytes that can start a folded code point. Every other byte is copied without decoding, which
// is what keeps folding fast: ASCII and nearly all letters of all scripts never match.
constexpr std::array<bool, 256> kMayFold = [] {
  std::array<bool, 256> may_fold{};
  for (const FoldRule& rule : kFoldRules) {
    for (int lead = LeadByte(rule.first); lead <= LeadByte(rule.last); ++lead) {
      may_fold[lead] = true;
    }
  }
  return may_fold;
}();

const FoldRule* FindFoldRule(UChar32 c) {
  for (const FoldRule& rule : kFoldRules) {
    if (c >= rule.first && c <= rule.last) return &rule;
  }
  return nullptr;
}

// Folds `text` into `sink`, which receives Copy(piece) for unchanged bytes and
// Replace(piece, begin, end) for each rewritten code point at text bytes [begin, end).
template <typename Sink>
void Fold(std::string_view text, Sink* sink) {
  size_t i = 0;
  while (i < text.size()) {
    size_t run = i;
    while (run < text.size() && !kMayFold[static_cast<uint8_t>(text[run])]) ++run;
    sink->Copy(text.substr(i, run - i));
    if (run == text.size()) return;
    i = run;
    const UChar32 c = NextCodePoint(text, &i);
    const FoldRule* rule = c < 0 ? nullptr : FindFoldRule(c);
    if (rule == nullptr) {
      sink->Copy(text.substr(run, i - run));
    } else if (rule->ascii_offset != 0) {
      const char ascii = static_cast<char>(c - rule->ascii_offset);
      sink->Replace(std::string_view(&ascii, 1), run, i);
    } else {
      sink->Replace(rule->replacement, run, i);
    }
  }
}

class StringSink {
 public:
  StringSink(std::string* out, OffsetMap* map) : out_(out), map_(map) {}
  void Copy(std::string_view piece) { out_->append(piece); }
  void Replace(std::string_view piece, size_t begin, size_t end) {
    map_.Replace(out_, piece, begin, end);
  }

 private:
  std::string* out_;
  MapBuilder map_;
};

class SizeSink {
 public:
  void Copy(std::string_view piece) { size_ += piece.size(); }
  void Replace(std::string_view piece, size_t, size_t) { size_ += piece.size(); }
  size_t size() const { return size_; }

 private:
  size_t size_ = 0;
};

std::string InvalidUtf8Warning(const RepairCount& count) {
  return "invalid UTF-8 at byte " + std::to_string(count.first_bad) + ", " +
         std::to_string(count.replaced) + (count.replaced == 1 ? " sequence" : " sequences") +
         " replaced with U+FFFD";
}

}  // namespace

void Normalize(Document* doc) {
  doc->text.clear();
  doc->folded.clear();
  doc->text_to_original = OffsetMap();
  doc->folded_to_text = OffsetMap();
  if (IsCleanUtf8(doc->original) && IsNfc(doc->original)) {
    doc->text = doc->original;  // the identity map, nearly always
  } else {
    const RepairCount count = BuildText(doc->original, &doc->text, &doc->text_to_original);
    if (count.replaced > 0) doc->warnings.push_back(InvalidUtf8Warning(count));
  }
  doc->folded.reserve(doc->text.size());
  StringSink sink(&doc->folded, &doc->folded_to_text);
  Fold(doc->text, &sink);
}

std::string FoldForMatching(std::string_view utf8) {
  std::string text;
  if (!IsCleanUtf8(utf8) || !IsNfc(utf8)) {
    BuildText(utf8, &text, nullptr);
    utf8 = text;
  }
  std::string folded;
  folded.reserve(utf8.size());
  StringSink sink(&folded, nullptr);
  Fold(utf8, &sink);
  return folded;
}

size_t FoldedSize(std::string_view text) {
  SizeSink sink;
  Fold(text, &sink);
  return sink.size();
}

size_t RepairUtf8(std::string* utf8, size_t* first_bad) {
  const std::string_view s = *utf8;
  std::string repaired;
  size_t replaced = 0;
  size_t copied = 0;  // bytes of s already moved into `repaired`
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<uint8_t>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t begin = i;
    if (NextCodePoint(s, &i) >= 0) continue;
    if (replaced++ == 0 && first_bad != nullptr) *first_bad = begin;
    repaired.append(s.substr(copied, begin - copied));
    repaired.append(kReplacementUtf8);
    copied = i;
  }
  if (replaced == 0) return 0;
  repaired.append(s.substr(copied));
  *utf8 = std::move(repaired);
  return replaced;
}

}  // namespace stancetrack

#include "pipeline/language.h"

#include <cld2/public/compact_lang_det.h>

#include <algorithm>
#include <map>

#include "pipeline/strings.h"

namespace stancetrack {
namespace {

// CLD2 names a few languages by older or regional codes; the store keeps ISO 639-1.
std::string Iso6391(std::string_view cld2_code) {
  std::string_view base = cld2_code.substr(0, cld2_code.find('-'));  // "zh-Hant" -> "zh"
  if (base == "un" || base == "xx" || base.size() != 2) return "";
  // A declared language is whatever the metadata says ("\0h" from a broken front matter).
  if (!IsAsciiLower(base[0]) || !IsAsciiLower(base[1])) return "";
  if (base == "iw") return "he";
  if (base == "in") return "id";
  if (base == "jw") return "jv";
  return std::string(base);
}

// UTF-8 characters: every byte that does not continue a sequence.
size_t CountCharacters(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string DetectLanguage(std::string_view utf8, bool* reliable) {
  CLD2::Language top3[3];
  int percent3[3];
  double scores3[3];
  int text_bytes = 0;
  bool is_reliable = false;
  int valid_prefix = 0;
  CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      utf8.data(), static_cast<int>(utf8.size()), /*is_plain_text=*/true,
      /*cld_hints=*/nullptr, /*flags=*/0, top3, percent3, scores3,
      /*resultchunkvector=*/nullptr, &text_bytes, &is_reliable, &valid_prefix);
  std::string code = Iso6391(CLD2::LanguageCode(language));
  *reliable = is_reliable && !code.empty();
  return code;
}

void DetectParagraphLanguages(Document* doc) {
  for (Paragraph& p : doc->paragraphs) {
    bool reliable = false;
    std::string detected = DetectLanguage(p.span.Of(doc->text), &reliable);
    p.language = reliable ? std::move(detected) : "";
  }
}

void IdentifyLanguages(Document* doc) {
  std::map<std::string, size_t> characters;  // per reliable language, in content paragraphs
  for (size_t i = 0; i < doc->paragraphs.size(); ++i) {
    const Paragraph& p = doc->paragraphs[i];
    if (p.language.empty()) continue;
    if (doc->IsContent(static_cast<uint32_t>(i)))
      characters[p.language] += CountCharacters(p.span.Of(doc->text));
  }
  auto most = std::max_element(characters.begin(), characters.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  std::string declared = Iso6391(AsciiLower(doc->meta.language));
  if (most != characters.end()) {
    doc->language = most->first;
  } else if (!declared.empty()) {
    doc->language = declared;
  } else {
    bool reliable = false;
    doc->language = DetectLanguage(doc->text, &reliable);
  }
  for (Paragraph& p : doc->paragraphs) {
    if (p.language.empty()) p.language = doc->language;  // CLD2 could not judge it alone
  }
}

}  // namespace stancetrack

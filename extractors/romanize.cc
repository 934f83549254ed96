#include "extractors/romanize.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "pipeline/strings.h"

namespace stancetrack {

HanNameRomanizer::HanNameRomanizer() = default;
HanNameRomanizer::~HanNameRomanizer() = default;

std::string HanNameRomanizer::Part(std::string_view han) const {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(han);
  {
    std::lock_guard<std::mutex> lock(mu_);
    transliterator_->transliterate(text);
  }
  std::string latin;
  text.toUTF8String(latin);
  // One word per character ("wen tao"): a given name is written as one ("Wentao").
  latin.erase(std::remove(latin.begin(), latin.end(), ' '), latin.end());
  if (latin.empty() || !std::all_of(latin.begin(), latin.end(), IsAsciiLower)) return "";
  latin[0] = static_cast<char>(latin[0] - 'a' + 'A');
  return latin;
}

std::string HanNameRomanizer::Romanize(std::string_view name, size_t surname_bytes) const {
  std::call_once(built_, [this] {
    UErrorCode status = U_ZERO_ERROR;
    transliterator_.reset(icu::Transliterator::createInstance("Han-Latin/Names; Latin-ASCII",
                                                              UTRANS_FORWARD, status));
    if (U_FAILURE(status)) transliterator_.reset();
  });
  if (transliterator_ == nullptr || surname_bytes == 0 || surname_bytes >= name.size()) return "";
  std::string surname = Part(name.substr(0, surname_bytes));
  std::string given = Part(name.substr(surname_bytes));
  return surname.empty() || given.empty() ? "" : surname + " " + given;
}

}  // namespace stancetrack

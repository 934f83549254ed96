// Chinese personal names in pinyin, as English-language news writes them: 王文涛 is
// "Wang Wentao", 欧阳娜娜 "Ouyang Nana" (surname, then the given name as one word, no tones).
//
// Input: a name in Han characters and how many of its bytes are the surname (the caller knows:
// discovery.tsv lists surnames). Output: the romanized name, or "" when ICU cannot romanize it
// (a character without a reading, or no Han-Latin transliterator in the ICU data). Readings are
// ICU's Han-Latin/Names ones, which read surnames as surnames (曾 Zeng, 解 Xie); they are
// Mandarin readings, so a Hong Kong or Taiwanese name comes out in Mandarin pinyin.
//
// Ownership and threads: ICU parses its rules when the first name comes (about 0.1 s), not
// before, so a run without Chinese names pays nothing; one transliterator then serves every
// thread under a lock (names are few). Errors: none past the empty result.
#ifndef STANCETRACK_EXTRACTORS_ROMANIZE_H_
#define STANCETRACK_EXTRACTORS_ROMANIZE_H_

#include <unicode/uversion.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

U_NAMESPACE_BEGIN
class Transliterator;
U_NAMESPACE_END

namespace stancetrack {

class HanNameRomanizer {
 public:
  HanNameRomanizer();
  ~HanNameRomanizer();
  HanNameRomanizer(const HanNameRomanizer&) = delete;
  HanNameRomanizer& operator=(const HanNameRomanizer&) = delete;

  // `name` is UTF-8; its first `surname_bytes` bytes are the surname.
  std::string Romanize(std::string_view name, size_t surname_bytes) const;

 private:
  // One part (surname or given name) as a capitalized ASCII word, "" if it is not all letters.
  std::string Part(std::string_view han) const;

  mutable std::once_flag built_;
  mutable std::mutex mu_;
  mutable std::unique_ptr<icu::Transliterator> transliterator_;  // null if ICU lacks it
};

}  // namespace stancetrack

#endif  // STANCETRACK_EXTRACTORS_ROMANIZE_H_

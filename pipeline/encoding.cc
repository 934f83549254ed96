#include "pipeline/encoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "pipeline/limits.h"
#include "pipeline/normalize.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

constexpr char kUtf8[] = "UTF-8";
constexpr char kWindows1252[] = "windows-1252";

// Charsets browsers read as a superset (WHATWG Encoding Standard), by label or by ICU's name.
constexpr std::pair<std::string_view, std::string_view> kSupersets[] = {
    {"iso-8859-1", kWindows1252}, {"us-ascii", kWindows1252}, {"gbk", "GB18030"},
    {"gb2312", "GB18030"},        {"x-gbk", "GB18030"},       {"ksc_5601", "EUC-KR"},
    {"cp949", "EUC-KR"},
};

std::string_view Superset(std::string_view name) {
  std::string lower = AsciiLower(name);
  for (const auto& [from, to] : kSupersets) {
    if (lower == from) return to;
  }
  return {};
}

// What a pass over the bytes as UTF-8 found.
struct Utf8Scan {
  size_t invalid = 0;    // ill-formed sequences (each maximal subpart counts once)
  size_t multibyte = 0;  // well-formed sequences of two bytes or more
  size_t first_invalid = 0;
  size_t first_non_ascii = std::string_view::npos;
};

Utf8Scan ScanUtf8(std::string_view s) {
  Utf8Scan scan;
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const size_t length = s.size();
  for (size_t i = 0; i < length;) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    if (scan.first_non_ascii == std::string_view::npos) scan.first_non_ascii = i;
    const size_t begin = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0) {
      ++scan.multibyte;
    } else if (scan.invalid++ == 0) {
      scan.first_invalid = begin;
    }
  }
  return scan;
}

// The detector's matches for `sample` with at least kMinDetectorConfidence, best first, as
// ICU names them.
std::vector<std::string> ConfidentGuesses(std::string_view sample, bool markup) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                      &ucsdet_close);
  sample = sample.substr(0, limits::kMaxCharsetSampleBytes);
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  ucsdet_enableInputFilter(detector.get(), markup);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
  std::vector<std::string> names;
  for (int32_t i = 0; U_SUCCESS(status) && i < count; ++i) {
    if (ucsdet_getConfidence(matches[i], &status) < kMinDetectorConfidence) break;
    const char* name = ucsdet_getName(matches[i], &status);
    if (U_SUCCESS(status)) names.emplace_back(name);
  }
  return names;
}

// Rule 6: the best confident guess that names a charset a scraper can produce; "" if none.
// EBCDIC (ICU's IBM420/IBM424 recognizers) is not one: web pages and text files are never in it.
std::string DetectCharset(std::string_view bytes, const Utf8Scan& scan, bool markup) {
  // Up to the first non-ASCII byte every byte is a character of its own in the charsets the
  // detector reports for ASCII-compatible text, so the sample may start anywhere before it.
  size_t half = limits::kMaxCharsetSampleBytes / 2;
  size_t start = scan.first_non_ascii > half ? scan.first_non_ascii - half : 0;
  for (const std::string& guess : ConfidentGuesses(bytes.substr(start), markup)) {
    if (guess.rfind("IBM", 0) == 0) continue;
    if (std::string name = CanonicalCharset(guess); !name.empty()) return name;
  }
  return "";
}

std::string_view ByteOrderMark(std::string_view bytes, size_t* size) {
  *size = 2;
  if (bytes.starts_with("\xFF\xFE")) return "UTF-16LE";
  if (bytes.starts_with("\xFE\xFF")) return "UTF-16BE";
  *size = 3;
  if (bytes.starts_with("\xEF\xBB\xBF")) return kUtf8;
  *size = 0;
  return {};
}

// Where the converter met bytes it cannot decode; ICU calls RecordAndSubstitute for each.
struct ErrorLog {
  const char* begin;  // of the unit, so that offsets count from its first byte
  size_t count = 0;
  size_t first = 0;
};

void RecordAndSubstitute(const void* context, UConverterToUnicodeArgs* args, const char*,
                         int32_t length, UConverterCallbackReason reason, UErrorCode* status) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close or clone: nothing was lost
  auto* log = static_cast<ErrorLog*>(const_cast<void*>(context));
  if (log->count++ == 0) {
    size_t consumed = static_cast<size_t>(args->source - log->begin);
    log->first = consumed - std::min(consumed, static_cast<size_t>(length));
  }
  static const UChar kReplacement = 0xFFFD;
  *status = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, status);
}

struct Conversion {
  bool ok = false;  // false when ICU could not open the converter or failed
  std::string utf8;
  ErrorLog errors{nullptr};
};

// `bytes` from offset `skip` (past a byte order mark) decoded from `charset` (a stored name).
Conversion Convert(std::string_view bytes, size_t skip, const std::string& charset) {
  Conversion out;
  UErrorCode status = U_ZERO_ERROR;
  // The windows-949 table decodes EUC-KR and the Hangul that Windows added to it.
  const char* converter = charset == "EUC-KR" ? "windows-949" : charset.c_str();
  std::unique_ptr<UConverter, decltype(&ucnv_close)> cnv(ucnv_open(converter, &status),
                                                         &ucnv_close);
  out.errors.begin = bytes.data();
  ucnv_setToUCallBack(cnv.get(), RecordAndSubstitute, &out.errors, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return out;
  std::string_view body = bytes.substr(skip);
  icu::UnicodeString text(body.data(), static_cast<int32_t>(body.size()), cnv.get(), status);
  if (U_FAILURE(status)) return out;
  text.toUTF8String(out.utf8);
  out.ok = true;
  return out;
}

std::string InvalidMessage(std::string_view charset, size_t at, size_t count) {
  return "not valid " + std::string(charset) + " at byte " + std::to_string(at) + ": " +
         std::to_string(count) + " invalid sequence(s) replaced with U+FFFD";
}

// UTF-8 from offset `skip`, each invalid sequence replaced with U+FFFD.
DecodedText RepairedUtf8(std::string_view bytes, size_t skip, std::vector<std::string> warnings) {
  DecodedText out{std::string(bytes.substr(skip)), kUtf8, std::move(warnings)};
  size_t first_bad = 0;
  if (size_t bad = RepairUtf8(&out.utf8, &first_bad); bad > 0) {
    out.warnings.push_back(InvalidMessage(kUtf8, skip + first_bad, bad));
  }
  return out;
}

// The bytes decoded from `charset`, with `why` as the first warning; UTF-8 when ICU cannot
// convert (its data missing), so that nothing is lost.
DecodedText Decoded(std::string_view bytes, size_t skip, const std::string& charset,
                    std::vector<std::string> warnings, std::string why) {
  if (charset == kUtf8) return RepairedUtf8(bytes, skip, std::move(warnings));
  Conversion conversion = Convert(bytes, skip, charset);
  if (!conversion.ok) return RepairedUtf8(bytes, skip, std::move(warnings));
  warnings.push_back(std::move(why));
  if (conversion.errors.count > 0) {
    warnings.push_back(InvalidMessage(charset, conversion.errors.first, conversion.errors.count));
  }
  return {std::move(conversion.utf8), charset, std::move(warnings)};
}

// Rule 5: the declared charset when it fits the bytes, else "" and a warning that says why.
std::string DeclaredCharset(std::string_view bytes, CharsetDeclaration declared,
                            std::vector<std::string>* warnings) {
  std::string label = declared == nullptr ? "" : declared(bytes);
  if (label.empty()) return "";
  std::string name = CanonicalCharset(label);
  // A page that declares UTF-8 (or UTF-16, which a declaration inside ASCII-compatible bytes
  // cannot mean) while its bytes are not: the declaration is wrong, and detection decides.
  if (name == kUtf8 || name.rfind("UTF-16", 0) == 0) return "";
  std::string quoted = "declared charset '" + label.substr(0, 64) + "'";
  if (name.empty()) {
    warnings->push_back(quoted + " is unknown, ignored");
    return "";
  }
  Conversion trial = Convert(bytes, 0, name);
  if (trial.ok && trial.errors.count == 0) return name;
  warnings->push_back(quoted + " does not fit the bytes, ignored");
  return "";
}

}  // namespace

std::string CanonicalCharset(std::string_view label) {
  std::string name(Trim(label));
  if (std::string_view superset = Superset(name); !superset.empty()) return std::string(superset);
  UErrorCode status = U_ZERO_ERROR;
  if (ucnv_getAlias(name.c_str(), 0, &status) == nullptr || U_FAILURE(status)) return "";
  for (const char* standard : {"MIME", "IANA"}) {
    status = U_ZERO_ERROR;
    const char* known = ucnv_getStandardName(name.c_str(), standard, &status);
    if (known == nullptr || U_FAILURE(status)) continue;
    std::string_view superset = Superset(known);
    return std::string(superset.empty() ? std::string_view(known) : superset);
  }
  return name;
}

size_t BinaryControlCount(std::string_view utf8) {
  size_t controls = 0;
  for (unsigned char c : utf8) {
    bool text = c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1B;
    controls += (c < 0x20 && !text) || c == 0x7F;
  }
  bool binary = controls >= kMinBinaryControls && controls > utf8.size() / kBinaryControlShare;
  return binary ? controls : 0;
}

Utf16 DetectUtf16(std::string_view bytes, size_t* bom_size) {
  std::string_view bom = ByteOrderMark(bytes, bom_size);
  if (bom == "UTF-16LE") return Utf16::kLittleEndian;
  if (bom == "UTF-16BE") return Utf16::kBigEndian;
  *bom_size = 0;
  if (!bom.empty() || bytes.find('\0') == std::string_view::npos) return Utf16::kNo;
  for (const std::string& guess : ConfidentGuesses(bytes, /*markup=*/false)) {
    if (guess == "UTF-16LE") return Utf16::kLittleEndian;
    if (guess == "UTF-16BE") return Utf16::kBigEndian;
  }
  return Utf16::kNo;
}

DecodedText DecodeText(std::string_view bytes, const DecodeOptions& options) {
  size_t bom = 0;
  if (std::string_view charset = ByteOrderMark(bytes, &bom); !charset.empty()) {
    return Decoded(bytes, bom, std::string(charset), {},
                   "byte order mark, decoded as " + std::string(charset));
  }
  if (Utf16 utf16 = DetectUtf16(bytes, &bom); utf16 != Utf16::kNo) {
    std::string charset = utf16 == Utf16::kLittleEndian ? "UTF-16LE" : "UTF-16BE";
    return Decoded(bytes, 0, charset, {},
                   "NUL bytes and no byte order mark, decoded as " + charset);
  }
  Utf8Scan scan = ScanUtf8(bytes);
  if (scan.invalid == 0) return {std::string(bytes), kUtf8, {}};
  if (options.unicode_only || scan.multibyte >= kDamagedUtf8Ratio * scan.invalid) {
    return RepairedUtf8(bytes, 0, {});
  }
  std::vector<std::string> warnings;
  std::string charset = DeclaredCharset(bytes, options.declared, &warnings);
  if (charset.empty()) charset = DetectCharset(bytes, scan, options.markup);
  if (charset.empty()) charset = kWindows1252;
  std::string why =
      "not valid UTF-8 at byte " + std::to_string(scan.first_invalid) + ", decoded as " + charset;
  return Decoded(bytes, 0, charset, std::move(warnings), std::move(why));
}

}  // namespace stancetrack

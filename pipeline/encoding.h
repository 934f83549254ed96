// Charset detection and conversion: the bytes of one article -> UTF-8.
//
// Input: the raw bytes of one unit (a file, or a line of a JSONL file) and how to decide their
// charset (DecodeOptions). Output: a DecodedText holding UTF-8 (always valid: bytes the chosen
// charset cannot decode become U+FFFD), the charset's name as stored in Document::encoding
// ("UTF-8", "UTF-16LE", "windows-1252", "GB18030", "Big5", "Shift_JIS", "EUC-KR", ...) and
// warnings. The charset is decided by the first rule that applies:
//   1. A byte order mark (UTF-8, UTF-16LE, UTF-16BE) decides, and is dropped.
//   2. Bytes with NUL bytes that ICU's detector places as UTF-16 are UTF-16 (the text had no
//      byte order mark; ASCII-range characters make the pattern of zeros plain).
//   3. Valid UTF-8 is UTF-8 (ASCII included).
//   4. Mostly valid UTF-8 (kDamagedUtf8Ratio valid multi-byte sequences per invalid one or
//      more: a UTF-8 file with a few stray bytes) is UTF-8; each invalid sequence becomes U+FFFD.
//      With DecodeOptions::unicode_only (JSON lines), every remaining case ends here too.
//   5. The charset the format declares (an HTML <meta charset>, a front matter `encoding:`),
//      when it names a charset ICU knows, other than UTF-8, and decodes every byte.
//   6. ICU's detector (ucsdet) on up to limits::kMaxCharsetSampleBytes around the first
//      non-ASCII byte, when its best guess reaches kMinDetectorConfidence.
//   7. Otherwise windows-1252: the common case left is Latin text from an old scraper or
//      editor, such as a pound sign saved as the single byte 0xA3.
// As browsers do (WHATWG Encoding Standard), ISO-8859-1 and US-ASCII are read as their superset
// windows-1252, GBK and GB2312 as GB18030, and EUC-KR with the windows-949 table; the name
// stored is the one given here first.
//
// Warnings (stored with the document, never errors):
//   "not valid UTF-8 at byte 257, decoded as windows-1252"                (rules 5 to 7)
//   "not valid UTF-8 at byte 7: 2 invalid sequence(s) replaced with U+FFFD" (rules 1 and 4)
//   "NUL bytes and no byte order mark, decoded as UTF-16LE"                 (rule 2)
//   "byte order mark, decoded as UTF-16BE"                                  (rule 1)
//   "not valid GB18030 at byte 41: 1 invalid sequence(s) replaced with U+FFFD"
//   "declared charset 'x-foo' is unknown, ignored"
//   "declared charset 'big5' does not fit the bytes, ignored"   (a declaration of UTF-8 that the
//                                        bytes contradict is ignored without a word: it is common)
// Byte offsets count from the start of the unit, byte order mark included.
//
// Errors: none; decoding never fails on bytes. Thread-safety: pure functions (ICU detectors and
// converters are opened per call).
#ifndef STANCETRACK_PIPELINE_ENCODING_H_
#define STANCETRACK_PIPELINE_ENCODING_H_

#include <string>
#include <string_view>
#include <vector>

namespace stancetrack {

// Confidence (ICU's 0-100 scale) below which the detector's guess is not trusted (rule 6).
// Latin-1 English scores 60-80 and CJK text of a paragraph or more scores 100, while a guess
// from a few stray bytes stays under 50.
inline constexpr int kMinDetectorConfidence = 50;

// Valid multi-byte UTF-8 sequences per invalid one from which bytes are damaged UTF-8 rather
// than another charset (rule 4). Text in a legacy CJK charset forms valid UTF-8 sequences by
// chance, about one for every four invalid ones; Latin text almost never does; a UTF-8 file
// with stray bytes has several valid sequences for each stray byte.
inline constexpr size_t kDamagedUtf8Ratio = 2;

// Decoded text is binary data (an image or an executable named .txt), not an article, when at
// least kMinBinaryControls of its characters, and more than one in kBinaryControlShare, are
// control characters that no text uses: C0 controls other than tab, line feed, vertical tab,
// form feed, carriage return and escape, and DEL. Images run at 1 in 15 or more, executables at
// 1 in 4, articles at none; the minimum keeps a short note with a stray Ctrl-Z or NUL a text.
inline constexpr size_t kBinaryControlShare = 32;
inline constexpr size_t kMinBinaryControls = 8;

// The number of such control characters in `utf8` when they make it binary data, else 0.
size_t BinaryControlCount(std::string_view utf8);

// The charset a format declares inside the raw bytes, "" when none; see html.h and formats.h.
using CharsetDeclaration = std::string (*)(std::string_view bytes);

struct DecodeOptions {
  CharsetDeclaration declared = nullptr;  // called only when rule 5 is reached
  bool unicode_only = false;              // JSON lines: UTF-8 or UTF-16, never another charset
  bool markup = false;                    // HTML: the detector skips tags when it counts characters
};

struct DecodedText {
  std::string utf8;
  std::string encoding;
  std::vector<std::string> warnings;
};

DecodedText DecodeText(std::string_view bytes, const DecodeOptions& options = {});

enum class Utf16 { kNo, kLittleEndian, kBigEndian };

// Whether `bytes` are UTF-16 by rule 1 or 2 above, and the size of the byte order mark (0 or 2).
// Lets a caller split UTF-16 text into lines on code-unit boundaries before decoding.
Utf16 DetectUtf16(std::string_view bytes, size_t* bom_size);

// The stored name of a charset label ("latin1" -> "windows-1252", "gbk" -> "GB18030",
// "sjis" -> "Shift_JIS"), "" when ICU does not know the label.
std::string CanonicalCharset(std::string_view label);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_ENCODING_H_

#include "pipeline/encoding.h"

#include <gtest/gtest.h>
#include <iconv.h>

#include <fstream>
#include <sstream>

#include "pipeline/limits.h"

namespace stancetrack {
namespace {

// A UTF-8 fixture of tests/pipeline/testdata/encoding/, written for these tests.
std::string Fixture(const std::string& name) {
  std::ifstream in(STANCETRACK_SOURCE_DIR "/tests/pipeline/testdata/encoding/" + name,
                   std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_FALSE(bytes.str().empty()) << name;
  return bytes.str();
}

// `utf8` encoded by glibc's iconv, which shares no code with ICU's converters.
std::string Encode(const std::string& utf8, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << charset;
  std::string out(utf8.size() * 4 + 4, '\0');
  char* in = const_cast<char*>(utf8.data());
  char* to = out.data();
  size_t in_left = utf8.size(), out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &to, &out_left), static_cast<size_t>(-1)) << charset;
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

size_t FirstNonAscii(const std::string& bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (static_cast<unsigned char>(bytes[i]) >= 0x80) return i;
  }
  return bytes.size();
}

// Every charset a scraper produces decodes back to the text it was made from, and is named.
TEST(EncodingTest, EachCharsetDecodesToTheSameText) {
  struct Case {
    const char* fixture;
    const char* iconv_name;
    const char* bom;
    const char* encoding;
  } cases[] = {
      {"latin1.txt", "UTF-8", "", "UTF-8"},
      {"latin1.txt", "UTF-8", "\xEF\xBB\xBF", "UTF-8"},
      {"zh_hans.txt", "UTF-8", "\xEF\xBB\xBF", "UTF-8"},
      {"latin1.txt", "UTF-16LE", "\xFF\xFE", "UTF-16LE"},
      {"latin1.txt", "UTF-16BE", "\xFE\xFF", "UTF-16BE"},
      {"zh_hans.txt", "UTF-16LE", "\xFF\xFE", "UTF-16LE"},
      {"ja.txt", "UTF-16BE", "\xFE\xFF", "UTF-16BE"},
      {"latin1.txt", "UTF-16LE", "", "UTF-16LE"},
      {"latin1.txt", "UTF-16BE", "", "UTF-16BE"},
      {"latin1.txt", "ISO-8859-1", "", "windows-1252"},
      {"latin1.txt", "WINDOWS-1252", "", "windows-1252"},
      {"cp1252.txt", "WINDOWS-1252", "", "windows-1252"},
      {"zh_hans.txt", "GB18030", "", "GB18030"},
      {"zh_hans.txt", "GBK", "", "GB18030"},
      {"zh_hant.txt", "BIG5", "", "Big5"},
      {"ja.txt", "SHIFT_JIS", "", "Shift_JIS"},
      {"ko.txt", "EUC-KR", "", "EUC-KR"},
  };
  for (const Case& c : cases) {
    std::string text = Fixture(c.fixture);
    std::string bytes = c.bom + Encode(text, c.iconv_name);
    DecodedText d = DecodeText(bytes);
    std::string label = std::string(c.fixture) + " as " + c.iconv_name + (*c.bom ? " + BOM" : "");
    EXPECT_EQ(d.utf8, text) << label;
    EXPECT_EQ(d.encoding, c.encoding) << label;
  }
}

// The warning names the charset and why it was chosen.
TEST(EncodingTest, WarningsNameTheCharsetAndTheReason) {
  std::string latin1 = Fixture("latin1.txt");
  std::string cp1252 = Encode(latin1, "WINDOWS-1252");
  struct Case {
    std::string bytes;
    std::vector<std::string> warnings;
  } cases[] = {
      {latin1, {}},
      {"\xEF\xBB\xBF" + latin1, {}},
      {"\xFF\xFE" + Encode(latin1, "UTF-16LE"), {"byte order mark, decoded as UTF-16LE"}},
      {Encode(latin1, "UTF-16BE"), {"NUL bytes and no byte order mark, decoded as UTF-16BE"}},
      {cp1252,
       {"not valid UTF-8 at byte " + std::to_string(FirstNonAscii(cp1252)) +
        ", decoded as windows-1252"}},
      {Encode(Fixture("ko.txt"), "EUC-KR"),
       {"not valid UTF-8 at byte " +
        std::to_string(FirstNonAscii(Encode(Fixture("ko.txt"), "EUC-KR"))) +
        ", decoded as EUC-KR"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DecodeText(c.bytes).warnings, c.warnings) << c.bytes.substr(0, 40);
  }
}

// The scraper case: English text with a pound sign saved as the single byte 0xA3.
TEST(EncodingTest, LoneLatin1ByteInEnglishIsWindows1252) {
  DecodedText d = DecodeText(
      "The deal is worth \xA3"
      "40m to the chip designer.");
  EXPECT_EQ(d.utf8,
            "The deal is worth \xC2\xA3"
            "40m to the chip designer.");
  EXPECT_EQ(d.encoding, "windows-1252");
  EXPECT_EQ(d.warnings,
            std::vector<std::string>{"not valid UTF-8 at byte 18, decoded as windows-1252"});
}

// A UTF-8 file with a stray byte is damaged UTF-8, not Latin text: reading it as windows-1252
// would turn every correct character into two wrong ones.
TEST(EncodingTest, MostlyValidUtf8IsRepairedNotReinterpreted) {
  std::string text = Fixture("latin1.txt") + "A stray \xA3 sign.\n";
  DecodedText d = DecodeText(text);
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_NE(d.utf8.find("Zürich"), std::string::npos);
  EXPECT_NE(d.utf8.find("stray \xEF\xBF\xBD sign"), std::string::npos);
  EXPECT_EQ(d.warnings,
            std::vector<std::string>{"not valid UTF-8 at byte " +
                                     std::to_string(text.find('\xA3', text.size() - 20)) +
                                     ": 1 invalid sequence(s) replaced with U+FFFD"});
}

TEST(EncodingTest, UnicodeOnlyNeverGuessesAnotherCharset) {
  DecodeOptions json_line;
  json_line.unicode_only = true;
  DecodedText d = DecodeText("{\"text\": \"caf\xE9\"}", json_line);
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(d.utf8, "{\"text\": \"caf\xEF\xBF\xBD\"}");
  EXPECT_EQ(d.warnings,
            std::vector<std::string>{
                "not valid UTF-8 at byte 13: 1 invalid sequence(s) replaced with U+FFFD"});
  DecodedText utf16 = DecodeText(Encode("{\"text\": \"caf\xC3\xA9\"}", "UTF-16LE"), json_line);
  EXPECT_EQ(utf16.encoding, "UTF-16LE");
  EXPECT_EQ(utf16.utf8, "{\"text\": \"caf\xC3\xA9\"}");
}

std::string DeclaresGbk(std::string_view) { return "gbk"; }
std::string DeclaresUnknown(std::string_view) { return "x-no-such-charset"; }
std::string DeclaresBig5(std::string_view) { return "big5"; }

// Too short for the detector: only the declaration can place it.
TEST(EncodingTest, DeclaredCharsetDecidesWhatTheDetectorCannot) {
  std::string utf8 = "芯片出口管制";
  std::string gbk = Encode(utf8, "GBK");
  EXPECT_EQ(DecodeText(gbk).encoding, "windows-1252");
  DecodeOptions declared;
  declared.declared = DeclaresGbk;
  DecodedText d = DecodeText(gbk, declared);
  EXPECT_EQ(d.encoding, "GB18030");
  EXPECT_EQ(d.utf8, utf8);
}

TEST(EncodingTest, DeclarationsThatDoNotFitAreReportedAndIgnored) {
  std::string cp1252 = Encode(Fixture("latin1.txt"), "WINDOWS-1252");
  DecodeOptions unknown, wrong;
  unknown.declared = DeclaresUnknown;
  wrong.declared = DeclaresBig5;
  DecodedText a = DecodeText(cp1252, unknown);
  EXPECT_EQ(a.encoding, "windows-1252");
  EXPECT_EQ(a.warnings.at(0), "declared charset 'x-no-such-charset' is unknown, ignored");
  DecodedText b = DecodeText(cp1252, wrong);
  EXPECT_EQ(b.encoding, "windows-1252");
  EXPECT_EQ(b.warnings.at(0), "declared charset 'big5' does not fit the bytes, ignored");
}

// Bytes the chosen charset does not define become U+FFFD, counted and located.
TEST(EncodingTest, UndecodableBytesAreReplacedAndLocated) {
  std::string gb18030 = Encode(Fixture("zh_hans.txt"), "GB18030");
  size_t at = gb18030.find('\n', gb18030.size() / 2) + 1;
  gb18030.insert(at, "\xFF");  // never a byte of GB18030
  DecodedText gb = DecodeText(gb18030);
  EXPECT_EQ(gb.encoding, "GB18030");
  EXPECT_EQ(gb.warnings.at(1), "not valid GB18030 at byte " + std::to_string(at) +
                                   ": 1 invalid sequence(s) replaced with U+FFFD");
  EXPECT_NE(gb.utf8.find("\n\xEF\xBF\xBD"), std::string::npos);
  std::string lone_surrogate(
      "\xFF\xFE"
      "A\0\x00\xD8"
      "B\0",
      8);
  DecodedText utf16 = DecodeText(lone_surrogate);
  EXPECT_EQ(utf16.utf8,
            "A\xEF\xBF\xBD"
            "B");
  EXPECT_EQ(utf16.warnings.at(1),
            "not valid UTF-16LE at byte 4: 1 invalid sequence(s) replaced with U+FFFD");
}

// limits::kMaxCharsetSampleBytes: the detector reads a window around the first non-ASCII
// byte, so text far into a long file is still placed.
TEST(EncodingTest, DetectorSamplesAroundTheFirstNonAsciiByte) {
  std::string ascii(limits::kMaxCharsetSampleBytes * 2, 'x');
  for (size_t i = 79; i < ascii.size(); i += 80) ascii[i] = '\n';
  std::string text = ascii + Fixture("zh_hans.txt");
  DecodedText d = DecodeText(Encode(text, "GB18030"));
  EXPECT_EQ(d.encoding, "GB18030");
  EXPECT_EQ(d.utf8, text);
}

TEST(EncodingTest, CanonicalCharsetNames) {
  struct Case {
    const char* label;
    const char* name;
  } cases[] = {
      {"latin1", "windows-1252"}, {"ISO-8859-1", "windows-1252"}, {"us-ascii", "windows-1252"},
      {"cp1252", "windows-1252"}, {"gb2312", "GB18030"},          {"GBK", "GB18030"},
      {"x-gbk", "GB18030"},       {"gb18030", "GB18030"},         {"sjis", "Shift_JIS"},
      {"big5", "Big5"},           {"euc-kr", "EUC-KR"},           {"ks_c_5601-1987", "EUC-KR"},
      {" utf8 ", "UTF-8"},        {"koi8-r", "KOI8-R"},           {"x-no-such-charset", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(CanonicalCharset(c.label), c.name) << c.label;
}

TEST(EncodingTest, DetectUtf16ByMarkOrByZeros) {
  size_t bom = 9;
  EXPECT_EQ(DetectUtf16("\xFF\xFE{\0", &bom), Utf16::kLittleEndian);
  EXPECT_EQ(bom, 2u);
  EXPECT_EQ(DetectUtf16(Encode("{\"title\": \"Rule\"}", "UTF-16BE"), &bom), Utf16::kBigEndian);
  EXPECT_EQ(bom, 0u);
  EXPECT_EQ(DetectUtf16("{\"title\": \"Rule\"}", &bom), Utf16::kNo);
  EXPECT_EQ(DetectUtf16("\xEF\xBB\xBF{}", &bom), Utf16::kNo);
}

// Binary data named like an article: an image or executable header, then control bytes.
TEST(EncodingTest, BinaryControlCountTellsBinaryFromText) {
  const std::string elf = std::string(
                              "\x7f"
                              "ELF\x02\x01\x01",
                              7) +
                          std::string(57, '\0');
  const std::string note = "A short note typed on an old machine.\x1a";
  struct Case {
    std::string name;
    std::string utf8;
    size_t controls;
  } cases[] = {
      {"executable header", elf, 61},
      {"every byte value", std::string("\x01\x02\x03\x04\x05\x06\x07\x08") + "text", 8},
      {"prose with a stray Ctrl-Z", note, 0},
      {"white space and escape", "a\tb\nc\r\nd\fe\vf\x1b[0m", 0},
      {"control bytes under one in 32", std::string(8, '\x01') + std::string(300, 'x'), 0},
      {"fewer than the minimum", std::string(kMinBinaryControls - 1, '\0'), 0},
      {"empty", "", 0},
  };
  for (const Case& c : cases) EXPECT_EQ(BinaryControlCount(c.utf8), c.controls) << c.name;
}

}  // namespace
}  // namespace stancetrack

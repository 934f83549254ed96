// Small ASCII string helpers shared by the readers, the store and the command line.
// Pure functions; they treat bytes >= 0x80 as opaque, so they are safe on UTF-8.
#ifndef STANCETRACK_PIPELINE_STRINGS_H_
#define STANCETRACK_PIPELINE_STRINGS_H_

#include <string>
#include <string_view>

namespace stancetrack {

// Without leading and trailing ASCII white space.
inline std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n\f\v") - b + 1);
}

// HTML's white space: space, tab, line feed, carriage return, form feed.
inline bool IsHtmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
inline bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAsciiAlpha(char c) { return IsAsciiLower(c) || IsAsciiUpper(c); }
inline bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }
// An ASCII letter, digit or '_': what \w matches in ASCII.
inline bool IsAsciiWordByte(char c) { return IsAsciiAlnum(c) || c == '_'; }

inline char AsciiLower(char c) { return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// The longest prefix of `utf8` of at most `max_bytes` bytes that does not cut a character, so
// that a value truncated at a limit stays valid UTF-8.
inline std::string_view Utf8Prefix(std::string_view utf8, size_t max_bytes) {
  if (utf8.size() <= max_bytes) return utf8;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
  return utf8.substr(0, end);
}

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_STRINGS_H_

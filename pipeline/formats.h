// Article formats: the bytes of one article -> its metadata and body text.
//
// Input is the raw bytes of one unit (a file, or a line of a JSONL file), already decoded to
// UTF-8 by the caller. Output is a ParsedArticle; the caller (ParseItem in reader.h) builds the
// Document from it. Malformed input that still holds an article (a front matter block that
// never closes, an unknown date format) gives warnings, not errors; input with no article at
// all (JSON that does not parse, JSON that is not an object) is an InvalidArgument whose
// message says where ("line 1, column 17: ...").
//
// Thread-safety: pure functions.
#ifndef STANCETRACK_PIPELINE_FORMATS_H_
#define STANCETRACK_PIPELINE_FORMATS_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

struct ParsedArticle {
  Metadata meta;
  std::string body;
  std::vector<std::string> warnings;
  std::string declared_charset;  // front matter `encoding:` (or `charset:`), as written
};

// .txt/.md: optional front matter between '---' lines (key: value per line), then the text.
ParsedArticle ParseTextArticle(std::string_view utf8);

// The charset the front matter of raw (not yet decoded) bytes declares with `encoding:` or
// `charset:`, "" when none. Front matter keys are ASCII, so this reads any ASCII-compatible
// charset. A CharsetDeclaration for DecodeText (encoding.h).
std::string DeclaredFrontMatterCharset(std::string_view bytes);

// .json and each .jsonl line: an object with title, text|body|content, url, published|date,
// source, language|lang, author. Unknown fields are ignored.
StatusOr<ParsedArticle> ParseJsonArticle(std::string_view utf8);

// "2025-02-27", "2025-02-27T10:00:00Z" and "2025/02/27" -> "2025-02-27"; anything else -> "".
std::string NormalizePublishedDate(std::string_view value);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_FORMATS_H_

#include "pipeline/formats.h"

#include <nlohmann/json.hpp>

#include "pipeline/limits.h"
#include "pipeline/strings.h"

namespace stancetrack {
namespace {

// Front matter values may be quoted YAML scalars.
std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(Utf8Prefix(v, limits::kMaxMetadataValueBytes));
}

// Sets the Metadata field named `key`; returns false for keys that are not metadata.
bool SetField(Metadata* meta, std::string_view key, std::string value,
              std::vector<std::string>* warnings) {
  if (key == "title") {
    meta->title = std::move(value);
  } else if (key == "url") {
    meta->url = std::move(value);
  } else if (key == "published" || key == "date") {
    meta->published = NormalizePublishedDate(value);
    if (meta->published.empty() && !value.empty()) {
      warnings->push_back("published: '" + value + "' is not a date (YYYY-MM-DD), ignored");
    }
  } else if (key == "source") {
    meta->source = std::move(value);
  } else if (key == "language" || key == "lang") {
    meta->language = std::move(value);
  } else if (key == "author") {
    meta->author = std::move(value);
  } else {
    return false;
  }
  return true;
}

// Where arrays and objects in `json` first nest deeper than limits::kMaxJsonDepth (brackets in
// strings do not count), or npos: checked before parsing, whose memory grows with the depth.
size_t JsonTooDeepAt(std::string_view json) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      in_string = c != '"';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits::kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::string NormalizePublishedDate(std::string_view value) {
  value = Trim(value);
  if (value.size() < 10) return "";
  std::string_view y = value.substr(0, 4), m = value.substr(5, 2), d = value.substr(8, 2);
  char sep = value[4];
  if ((sep != '-' && sep != '/') || value[7] != sep || !IsDigits(y) || !IsDigits(m) ||
      !IsDigits(d)) {
    return "";
  }
  if (value.size() > 10 && value[10] != 'T' && value[10] != ' ') return "";
  int month = std::stoi(std::string(m)), day = std::stoi(std::string(d));
  if (month < 1 || month > 12 || day < 1 || day > 31) return "";
  return std::string(y) + "-" + std::string(m) + "-" + std::string(d);
}

ParsedArticle ParseTextArticle(std::string_view utf8) {
  ParsedArticle out;
  std::string_view rest = utf8;
  if (rest.substr(0, 3) != "---" || Trim(rest.substr(0, rest.find('\n'))) != "---") {
    out.body = std::string(utf8);
    return out;
  }
  rest.remove_prefix(std::min(rest.size(), rest.find('\n') + 1));
  for (size_t lines = 0; !rest.empty(); ++lines) {
    size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    if (Trim(line) == "---") {
      rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
      out.body = std::string(rest);
      return out;
    }
    size_t colon = line.find(':');
    if (lines >= limits::kMaxFrontMatterLines || colon == std::string_view::npos) break;
    std::string key(Trim(line.substr(0, colon)));
    std::string value = Unquote(Trim(line.substr(colon + 1)));
    if (key == "encoding" || key == "charset") {
      out.declared_charset = std::move(value);
    } else {
      SetField(&out.meta, key, std::move(value), &out.warnings);
    }
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
  }
  // The block never closed: it was not front matter. Keep the whole file as the text.
  out.meta = Metadata();
  out.declared_charset.clear();
  out.warnings.assign({"front matter opened with '---' but never closed; read as text"});
  out.body = std::string(utf8);
  return out;
}

std::string DeclaredFrontMatterCharset(std::string_view bytes) {
  return ParseTextArticle(bytes).declared_charset;
}

StatusOr<ParsedArticle> ParseJsonArticle(std::string_view utf8) {
  if (size_t at = JsonTooDeepAt(utf8); at != std::string_view::npos) {
    return Status::InvalidArgument(
        "JSON nested deeper than " + std::to_string(limits::kMaxJsonDepth) +
        " levels (limits::kMaxJsonDepth) at byte " + std::to_string(at) + ", not read");
  }
  nlohmann::json object;
  try {
    object = nlohmann::json::parse(utf8);
  } catch (const nlohmann::json::exception& e) {
    // parse_error, but also out_of_range for a number no double holds (1e999).
    return Status::InvalidArgument(std::string("not valid JSON: ") + e.what());
  }
  if (!object.is_object()) return Status::InvalidArgument("JSON is not an object");
  ParsedArticle out;
  for (const auto& [key, value] : object.items()) {
    if (value.is_string()) {
      SetField(&out.meta, key, Unquote(Trim(value.get_ref<const std::string&>())), &out.warnings);
    }
  }
  for (const char* key : {"text", "body", "content"}) {  // in the order DESIGN.md prefers
    auto it = object.find(key);
    if (it != object.end() && it->is_string()) {
      out.body = it->get<std::string>();
      break;
    }
  }
  return out;
}

}  // namespace stancetrack

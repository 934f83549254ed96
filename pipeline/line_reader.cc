#include "pipeline/line_reader.h"

#include <cerrno>
#include <cstring>

namespace stancetrack {
namespace {

// Bytes read from the stream at a time.
constexpr size_t kChunkBytes = 1 << 16;

}  // namespace

bool LineReader::Fill() {
  buffer_.resize(kChunkBytes);
  const size_t n = std::fread(buffer_.data(), 1, buffer_.size(), in_);
  buffer_.resize(n);
  pos_ = 0;
  if (n == 0 && std::ferror(in_)) error_ = std::strerror(errno);
  return n > 0;
}

LineReader::Result LineReader::Next(std::string_view* line) {
  line_.clear();
  bool too_long = false;
  uint64_t consumed = 0;
  for (;;) {
    if (pos_ == buffer_.size() && !Fill()) {
      if (!error_.empty()) return Result::kError;
      if (consumed == 0) return Result::kEnd;
      break;  // the last line, without a '\n'
    }
    const char* start = buffer_.data() + pos_;
    const size_t available = buffer_.size() - pos_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', available));
    const size_t take = newline ? static_cast<size_t>(newline - start) : available;
    if (newline && consumed == 0 && take <= max_bytes_) {  // whole line in the buffer: no copy
      *line = std::string_view(start, take);
      pos_ += take + 1;
      bytes_ += take + 1;
      ++line_number_;
      return Result::kLine;
    }
    too_long = too_long || line_.size() + take > max_bytes_;
    if (too_long) {
      line_.clear();
    } else {
      line_.append(start, take);
    }
    const size_t step = take + (newline ? 1 : 0);
    pos_ += step;
    bytes_ += step;
    consumed += step;
    if (newline) break;
  }
  ++line_number_;
  *line = line_;
  return too_long ? Result::kTooLong : Result::kLine;
}

}  // namespace stancetrack

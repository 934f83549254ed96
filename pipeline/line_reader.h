// LineReader: the lines of a stream, one at a time, each at most a given number of bytes.
//
// Input: a FILE* the caller opened (stdin, a file of JSON lines); the reader does not own or
// close it. Output: each line without its '\n' (a '\r' before it is kept: JSON ignores it, and a
// path may end in one), numbered from 1; the last line may lack its '\n'. A line longer than
// `max_bytes` is not kept: Next() reports it as kTooLong with its number and skips to the next
// line, so one runaway line costs no memory and the lines after it are still read. Memory is
// bounded by `max_bytes` plus one read buffer.
//
// Errors: a read error of the stream ends the lines with kError (message in error()).
// Thread-safety: one thread at a time.
#ifndef STANCETRACK_PIPELINE_LINE_READER_H_
#define STANCETRACK_PIPELINE_LINE_READER_H_

#include <cstdio>
#include <string>
#include <string_view>

namespace stancetrack {

class LineReader {
 public:
  LineReader(std::FILE* in, size_t max_bytes) : in_(in), max_bytes_(max_bytes) {}

  enum class Result { kLine, kTooLong, kEnd, kError };

  // Reads the next line into `line` (valid until the next call).
  Result Next(std::string_view* line);

  // The number of the line Next() last returned, from 1.
  size_t line_number() const { return line_number_; }
  // Bytes read so far, newlines included.
  uint64_t bytes() const { return bytes_; }
  const std::string& error() const { return error_; }

 private:
  // Refills the buffer; false at end of stream or on an error (error_ set).
  bool Fill();

  std::FILE* in_;
  size_t max_bytes_;
  std::string buffer_;  // read but not yet returned: buffer_[pos_, end)
  size_t pos_ = 0;
  std::string line_;  // the line being returned
  size_t line_number_ = 0;
  uint64_t bytes_ = 0;
  std::string error_;
};

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_LINE_READER_H_

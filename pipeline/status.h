// Status and StatusOr<T>: the one error currency of stancetrack.
//
// Every fallible call in pipeline/ and extractors/ returns a Status (or a StatusOr<T> that holds
// either a value or a non-OK Status). Errors of the libraries underneath (ICU's UErrorCode,
// SQLite's result codes, CLI11's and nlohmann::json's exceptions) are converted once, at the
// boundary where they are called. No exception leaves a stancetrack library; main() catches the
// last resort and prints "internal error".
//
// A message names where the problem is, then what it is:
//   "extractors/lexicons/companies.tsv:17: expected 4 tab-separated fields, got 3"
//
// Thread-safety: Status and StatusOr are values; distinct objects may be used from any thread.
#ifndef STANCETRACK_PIPELINE_STATUS_H_
#define STANCETRACK_PIPELINE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace stancetrack {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // the caller's input is malformed (a flag, a lexicon line, an article)
    kNotFound,         // a file, document or entity that was asked for does not exist
    kIoError,          // the operating system or SQLite failed to read or write
    kCorruption,       // stored data does not have the shape this version wrote
    kUnsupported,      // well-formed but not handled (an unknown file type, a newer schema)
    kBusy,             // another process holds the database
    kInternal,         // a bug in stancetrack
  };

  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status Unsupported(std::string msg) { return {Code::kUnsupported, std::move(msg)}; }
  static Status Busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK", or the message alone: messages already say where and what.
  std::string ToString() const { return ok() ? "OK" : message_; }

  // The same error with "context: " in front, e.g. the file that was being read.
  Status WithContext(const std::string& context) const {
    return ok() ? *this : Status(code_, context + ": " + message_);
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Holds a T or the Status that explains why there is none. value() on an error is a bug
// (asserted in debug builds).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "StatusOr needs a value or an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;  // OK when value_ is set
  std::optional<T> value_;
};

// Returns early from the enclosing function when `expr` is not OK.
#define ST_RETURN_IF_ERROR(expr)               \
  do {                                         \
    ::stancetrack::Status st_status_ = (expr); \
    if (!st_status_.ok()) return st_status_;   \
  } while (0)

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_STATUS_H_

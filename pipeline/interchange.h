// Interchange records: a processed document, or an input that yielded none, as one line of
// JSON. `stancetrack extract` writes them (no database needed, so it can run as the map step of
// Hadoop Streaming, Spark's pipe or GNU parallel); `stancetrack load` stores them.
//
// A document record carries everything Store::Write keeps, so that loading it stores the
// document exactly as ingest would have:
//   {"stancetrack_record": 1, "doc": "sub/x.txt", "source_path": "in/sub/x.txt",
//    "content_hash": "<hex>", "encoding": "UTF-8", "language": "en", "published": "2025-01-14",
//    "meta": {"title", "url", "published", "source", "language", "author"},
//    "original": "..." (null: the same as "text"), "text": "...", "warnings": ["..."],
//    "paragraphs": [{"begin", "end", "kind", "reason", "language"}],
//    "sentences": [{"begin", "end", "paragraph"}],
//    "mentions": [{"type", "canonical", "sentence", "begin", "end", "discovered", "confidence"}],
//    "quotes": [{"sentence", "begin", "end", "speaker", "speaker_org"}],
//    "tiers": [{"country", "tier", "reference_tier", "sentence", "begin", "end"}],
//    "stances": [{"actor", "speaker", "policy", "polarity", "confidence", "sentence", "date",
//                 "country"}],
//    "dates": [{"sentence", "begin", "end", "date", "relative"}],
//    "signature": [kSignatureSize unsigned 32-bit values, or none]}
// "published" is Annotations::published (metadata, else a dateline); begin/end are byte offsets
// into "text"; "sentence" and "paragraph" are indices. Confidences are written as the exact
// decimal of their float, so a record reads back bit for bit. Not carried: what the store does
// not keep (Document::folded, the offset maps, sentences' folded spans: a loaded Document has
// them empty) and duplicate_of, which `load` computes over the whole database as ingest does.
//
// A problem record: {"stancetrack_record": 1, "path": "x.jsonl#3", "error": "<reason>"}.
//
// Reading validates everything: the version (kInterchangeVersion only: another is refused with
// a message that names both), every field's presence and type, every span (begin <= end <=
// the text's size, on UTF-8 character boundaries), every index (in range), every enum name,
// tiers 1-3, confidences in [0, 1], the signature's length; a stance's "country" may be missing
// (records written before it was added: ""). A record that fails is an
// InvalidArgument whose message names the field ("mentions[2].end: 900 is past the end of the
// text (812 bytes)"); hostile input (huge numbers, deep nesting, truncated lines) gives an
// error, never a crash. Unknown fields are ignored, so a later version may add some.
//
// Thread-safety: pure functions.
#ifndef STANCETRACK_PIPELINE_INTERCHANGE_H_
#define STANCETRACK_PIPELINE_INTERCHANGE_H_

#include <string>
#include <string_view>
#include <variant>

#include "pipeline/reader.h"
#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

// The record version this build writes and reads ("stancetrack_record").
inline constexpr int kInterchangeVersion = 1;

// One line, without its '\n'. JSON carries only valid UTF-8: the text always is (normalize.h),
// but a file name, and so the id, can be any bytes. Such bytes are written as U+FFFD (as
// `export` writes them) and the record gets a warning that names the field
// ("doc: not valid UTF-8, written with U+FFFD"), so the document is stored, not lost.
std::string ToInterchangeJson(const StoredDocument& stored);

// One line, without its '\n'. Bytes of the path or reason that are not valid UTF-8 are written
// as U+FFFD.
std::string ToInterchangeJson(const Problem& problem);

using InterchangeRecord = std::variant<StoredDocument, Problem>;

// Parses and validates one line (see the file comment).
StatusOr<InterchangeRecord> FromInterchangeJson(std::string_view line);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_INTERCHANGE_H_

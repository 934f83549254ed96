// Every bound stancetrack puts on hostile or accidental input, in one place, each with the
// reason it exists. Code refers to these names, never to the numbers; tests pin each bound.
#ifndef STANCETRACK_PIPELINE_LIMITS_H_
#define STANCETRACK_PIPELINE_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace stancetrack::limits {

// A file (or JSONL line) longer than this is reported, not read. Articles run to a few hundred
// kilobytes and a whole regulation's text to a megabyte or two; anything near this is a scrape
// gone wrong (a site dumped into one file). Processing a document takes about 15 times its size
// at its peak (its forms, sentences, annotations and full-text index), on each worker.
inline constexpr size_t kMaxDocumentBytes = 16u << 20;

// A front matter block that never closes would otherwise swallow the article.
inline constexpr size_t kMaxFrontMatterLines = 64;

// Front matter values and metadata fields (title, url, source) longer than this are truncated:
// they are labels, and a runaway value is a sign the block was not front matter at all.
inline constexpr size_t kMaxMetadataValueBytes = 4096;

// One JSONL line is one article; a longer line is a dump, not an article (reported, skipped).
// A .jsonl file is read a line at a time, so the file itself may be of any size.
inline constexpr size_t kMaxJsonlLineBytes = kMaxDocumentBytes;

// One interchange record (`extract` output, `load` input) is one line: a document's original
// and normalized text, each up to about kMaxDocumentBytes, plus JSON escapes and annotations.
// A longer line is not a record extract wrote (reported, skipped), and reading stops there so
// one runaway line cannot exhaust memory.
inline constexpr size_t kMaxRecordBytes = 4 * kMaxDocumentBytes;

// Arrays and objects in one JSON article nested deeper than this are not read (the unit is an
// error). An article is a flat object, perhaps with a list of tags or an author object; the
// JSON parser builds a node of about 40 bytes per level, so 64 MB of '[' would cost gigabytes.
inline constexpr size_t kMaxJsonDepth = 64;

// Sentences longer than this are cut: no real sentence is this long, and the extractors' cost
// per sentence grows with its length.
inline constexpr size_t kMaxSentenceBytes = 4096;

// A directory walk deeper than this is almost certainly a loop the walker could not see.
inline constexpr int kMaxDirectoryDepth = 64;

// Files listed on `extract`'s stdin: that list is held and sorted in memory, so this bounds it on
// a mistaken list. (`ingest` walks its folders without holding a list.)
inline constexpr size_t kMaxFilesPerRun = 5'000'000;

// Documents written per SQLite transaction: large enough to amortize the commit, small enough
// that a crash loses little and readers see progress.
inline constexpr size_t kDocumentsPerTransaction = 64;

// Documents written between two returns of freed memory to the system (ingest.cc). The worker
// threads free what they allocated for a document in their own allocator arenas, which hold the
// pages until the same arena needs them again: over the benchmark corpus that left the peak 2 to
// 7 MB above the memory in use, and different from run to run. Returning them costs a walk over
// the free lists: every 1024 documents, too little to measure.
inline constexpr size_t kDocumentsPerTrim = 1024;

// Documents in flight between the reader/extractor threads and the writer: bounds memory
// whatever the corpus size.
inline constexpr size_t kMaxDocumentsInFlight = 256;

// Bytes of read units waiting for a worker. kMaxDocumentsInFlight alone would let the reader
// queue 256 units of up to kMaxDocumentBytes each (4 GiB) from a folder of large files; a unit
// larger than this still goes through when nothing else waits.
inline constexpr size_t kMaxBytesQueued = 64u << 20;

// Memory near-duplicate linking sorts its band keys and candidate pairs in (duplicates.cc); the
// rest waits in SQLite's temporary file. Linking then takes the same memory whatever the number
// of documents: millions of documents cost more chunk writes, not more memory.
inline constexpr size_t kLinkSortBytes = 8u << 20;

// Memory RE2 may use for one pattern: its compiled program and the cache of its automaton, which
// fills as more varied text passes. A full cache is flushed, and a search that fills it too fast
// runs RE2's slower NFA, so matches never depend on this; memory does. The caches of some 230
// patterns are what grows with the corpus (heaptrack: 38 MB at the peak over the benchmark
// corpus, 5 MB more over 10 times that). A quarter of RE2's default: at 8 MiB the cue tables'
// caches alone peaked 13 MB higher at 10 times the corpus; from 4 to 2 MiB the exports stay
// byte-identical and ingest is no slower; at 1 MiB it is 60% slower (searches fall to the NFA).
inline constexpr int64_t kRegexMaxMemBytes = 2 << 20;

// The same for each RE2::Set of the boilerplate table (boilerplate.cc puts its rows in three),
// half RE2's default: the shipped rows compile to a fraction of it, which leaves room for a
// user's rows. At 32 MiB, with all rows in one set, its cache alone grew to 20 MB over the
// benchmark corpus; at 8 MiB the three sets' caches took 6.9 MB, and 7.7 MB at 10 times the
// corpus. (A set cannot fall back to the NFA: when its automaton has no room for one state,
// boilerplate.cc tries each row alone; at 4 MiB that costs no measurable time.)
inline constexpr int64_t kRegexSetMaxMemBytes = 4 << 20;

// Rows `query` prints before it stops, so a careless SELECT does not flood a terminal.
inline constexpr size_t kMaxQueryRows = 1'000'000;

// Bytes ICU's charset detector reads from a file that is not UTF-8: a megabyte holds the
// statistics of any language many times over, and detection time stays flat on huge files.
inline constexpr size_t kMaxCharsetSampleBytes = 1u << 20;

// Bytes of a page that is not UTF-8 searched for its <meta charset>: the declaration belongs in
// the <head>, which rarely runs past a few kilobytes even with inline styles and scripts.
inline constexpr size_t kMaxCharsetPrescanBytes = 64u << 10;

// An HTML page is parsed up to this size and the rest reported as not read: article pages are
// well under a few megabytes, and the parse tree costs several times the page in memory.
inline constexpr size_t kMaxHtmlBytes = 16u << 20;

// Elements nested deeper than this in an HTML page are not read (and the page is cut where its
// markup would nest deeper). Real pages nest a few dozen deep; gumbo's parse time grows with
// the square of the depth, so a page of nothing but opening tags would stall a worker.
inline constexpr int kMaxHtmlDepth = 1024;

}  // namespace stancetrack::limits

#endif  // STANCETRACK_PIPELINE_LIMITS_H_

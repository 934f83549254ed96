// Near-duplicates: syndicated copies of one story (the same wire in another outlet with small
// edits, the same interview in traditional and simplified Chinese) are linked through
// documents.duplicate_of, so that views count the story once.
//
// Two stages:
//   ContentSignature(doc)  per document, in the ingest workers: the MinHash of the set of
//                          shingles of the document's content text (below).
//   LinkDuplicates(store)  once per ingest, after every document is written or deleted: takes
//                          the documents earliest first; each one is a duplicate of the earliest
//                          earlier original (a document that is not a duplicate itself) whose
//                          signature agrees with its own on at least `threshold` of the values
//                          (an estimate of the Jaccard similarity of the two shingle sets), else
//                          an original. So every duplicate_of names a near-duplicate of the
//                          document itself, and a chain of small edits (A~B, B~C) never makes
//                          two texts that share little (A, C) one story.
// "Earliest" orders by published date, dated documents before undated ones (an undated copy is
// far more often a later re-post than the original), then by path.
//
// Text compared: the content paragraphs (Document::IsContent: title and body, boilerplate left
// out), NFKC-casefolded, with traditional Chinese folded to simplified (ICU's
// "Traditional-Simplified" transliterator). A run of letters and digits is one token; each
// Han, hiragana or katakana character is a token of its own, since those scripts do not space
// words. A shingle is kShingleTokens consecutive tokens: four words, or four CJK characters.
// Languages are not bridged: a translation shares almost no shingles with its original.
//
// Candidates come from LSH banding (kSignatureSize / kBandRows bands of kBandRows values): only
// documents that agree on a whole band are compared, so linking time is near-linear in the
// number of documents (200,000: about 4 s). Its memory is not: band keys and bucket
// memberships are sorted in memory one part at a time while the rest waits in a temporary SQLite
// database (store.h, LinkSession), so linking takes about limits::kLinkSortBytes whatever the
// number of documents. The result depends only on the documents stored, never on --jobs or on
// the order of earlier runs: a run recomputes every link and writes the ones that changed, and a
// run after which no document was written, replaced or deleted (the store knows) does nothing.
//
// Stored signatures are only comparable with signatures made by the same rules: changing the
// tokens, kShingleTokens, kSignatureSize or the hash seeds needs a schema migration that makes
// the next ingest process every document again (store.cc, migration 2, does so).
//
// Errors: ContentSignature fails only when ICU lacks the transliterator or NFKC_Casefold (broken
// ICU data; the ingest then stores the document unsigned, with the message as a warning);
// LinkDuplicates returns the Store's errors, and Corruption for a stored signature of the wrong
// size. Thread-safety: ContentSignature is safe from many threads (each thread folds
// with its own clone of one transliterator, since one instance must not be used by two threads
// at once); LinkDuplicates uses the Store as store.h says (the writing thread only).
#ifndef STANCETRACK_PIPELINE_DUPLICATES_H_
#define STANCETRACK_PIPELINE_DUPLICATES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/limits.h"
#include "pipeline/status.h"
#include "pipeline/store.h"

namespace stancetrack {

// Values in a signature: the standard error of the similarity estimate is
// sqrt(J(1-J)/kSignatureSize), 0.04 at J = 0.3; each value costs 4 bytes in the database.
inline constexpr size_t kSignatureSize = 128;
// Tokens per shingle: four words rarely repeat by chance between two articles on one topic,
// and four CJK characters are about two words.
inline constexpr size_t kShingleTokens = 4;
// A text with fewer distinct shingles (about a dozen words) gets no signature: a headline
// alone says too little to call two documents one story.
inline constexpr size_t kMinShingles = 8;
// Values per LSH band. Two documents of similarity J become candidates with probability
// 1 - (1 - J^2)^64: 0.98 at J = 0.25, 0.998 at J = 0.3; unrelated texts (J < 0.02) rarely do.
inline constexpr size_t kBandRows = 2;
// The similarity (share of equal signature values) from which two documents are one story.
// Measured with `stancetrack eval` on the gold of corpus/ and ../shared/corpus-dev, duplicate_of
// F1 is best from 0.25 to 0.30 (a rewritten press release sits at 0.33, a commentary quoting a
// third of its source at 0.20). On 4,833 unlabelled news articles (../shared/bench), 3 of the 15
// links between 0.25 and 0.30 join one story; the rest join follow-ups on the same event that
// share background paragraphs. So: the top of the best range.
inline constexpr double kDuplicateThreshold = 0.3;
// In one LSH bucket a document is compared with at most this many originals, the latest before
// it: bounds the work when thousands of documents share a band (one template filled in again
// and again) while still reaching the near-duplicates, which sit close to each other in time.
inline constexpr size_t kMaxBucketNeighbours = 64;

// The MinHash of a document's content shingles: kSignatureSize values, or none when the text
// has fewer than kMinShingles distinct shingles.
using MinHash = std::vector<uint32_t>;

StatusOr<MinHash> ContentSignature(const Document& doc);

// The share of positions where the two signatures agree: an estimate of the Jaccard similarity
// of the two shingle sets. 0 when either is empty or their sizes differ.
double Similarity(const MinHash& a, const MinHash& b);

struct LinkStats {
  bool up_to_date = false;  // nothing changed since the last linking: nothing was read
  size_t documents = 0;     // documents with a signature, compared
  size_t duplicates = 0;    // documents that have a duplicate_of now
  size_t changed = 0;       // documents whose duplicate_of was written
};

// Unless the store says the links are up to date (computed with the same rules, and no
// document written or deleted since), assigns every document's duplicate_of as the file comment
// says and writes the ones that changed, in one transaction. Memory: about `sort_bytes` (what
// does not fit waits on disk), SQLite's page caches and one bit per document, whatever the
// number of documents and however many candidates each has. The result does not depend on
// `sort_bytes`.
StatusOr<LinkStats> LinkDuplicates(Store* store, double threshold = kDuplicateThreshold,
                                   size_t sort_bytes = limits::kLinkSortBytes);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_DUPLICATES_H_

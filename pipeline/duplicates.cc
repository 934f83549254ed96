#include "pipeline/duplicates.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <numeric>
#include <tuple>
#include <utility>

namespace stancetrack {
namespace {

// ---------------------------------------------------------------------------------------------
// Folding: the same text written in another script variant or width must give equal tokens.

// ICU's transliterator parses a large rule set when built: built once, on first use, then
// cloned per thread, because one instance must not be used by two threads at once.
const StatusOr<std::unique_ptr<icu::Transliterator>>& TraditionalToSimplified() {
  static const auto* const prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    using Result = StatusOr<std::unique_ptr<icu::Transliterator>>;
    if (U_FAILURE(status) || t == nullptr) {
      return new Result(Status::Internal(
          std::string("near-duplicate signature: ICU cannot build the Traditional-Simplified "
                      "transliterator: ") +
          u_errorName(status)));
    }
    return new Result(std::move(t));
  }();
  return *prototype;
}

// This thread's clone of the prototype, or null when there is none.
icu::Transliterator* ThreadTransliterator() {
  thread_local const std::unique_ptr<icu::Transliterator> clone =
      TraditionalToSimplified().ok()
          ? std::unique_ptr<icu::Transliterator>(TraditionalToSimplified().value()->clone())
          : nullptr;
  return clone.get();
}

UScriptCode ScriptOf(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;  // fails only on a bad argument; the code is then "common"
  return uscript_getScript(c, &status);
}

// Scripts written without spaces between words: each character is a token.
bool IsCharacterToken(UChar32 c) {
  const UScriptCode script = ScriptOf(c);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
}

bool IsWordCharacter(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
         (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

// The content text, NFKC-casefolded, traditional Han folded to simplified; paragraphs are
// separated by a line break, which only ends a token.
icu::UnicodeString FoldedContent(const Document& doc, const icu::Normalizer2& nfkc_cf,
                                 icu::Transliterator* transliterator) {
  icu::UnicodeString folded;
  for (uint32_t i = 0; i < doc.paragraphs.size(); ++i) {
    if (!doc.IsContent(i)) continue;
    const std::string_view text = doc.paragraphs[i].span.Of(doc.text);
    const icu::UnicodeString paragraph = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    UErrorCode status = U_ZERO_ERROR;  // fails only on bad arguments or no memory
    folded.append(nfkc_cf.normalize(paragraph, status)).append(u'\n');
  }
  bool has_han = false;
  for (int32_t i = 0; i < folded.length() && !has_han; i = folded.moveIndex32(i, 1)) {
    has_han = ScriptOf(folded.char32At(i)) == USCRIPT_HAN;
  }
  if (has_han) transliterator->transliterate(folded);
  return folded;
}

// ---------------------------------------------------------------------------------------------
// Shingles and MinHash. Hashes are computed from values, never from bytes in memory, so that a
// signature is the same on every machine, whatever its byte order.

// splitmix64's finalizer: a bijection that spreads every input bit over the output.
uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// FNV-1a over the UTF-16 code units of text[begin, end), then mixed.
uint64_t TokenHash(const icu::UnicodeString& text, int32_t begin, int32_t end) {
  uint64_t hash = 0xcbf29ce484222325;
  for (int32_t i = begin; i < end; ++i) hash = (hash ^ text.charAt(i)) * 0x100000001b3;
  return Mix(hash);
}

// Order matters: "export curbs on chips" and "chips on export curbs" are different shingles.
uint64_t SequenceHash(const uint64_t* values, size_t count) {
  uint64_t hash = 0;
  for (size_t i = 0; i < count; ++i) hash = Mix(hash ^ values[i]);
  return hash;
}

// Hashes of the distinct shingles of `text`, sorted.
std::vector<uint64_t> ShingleHashes(const icu::UnicodeString& text) {
  std::vector<uint64_t> tokens;
  int32_t word_begin = -1;
  auto end_word = [&](int32_t end) {
    if (word_begin >= 0) tokens.push_back(TokenHash(text, word_begin, end));
    word_begin = -1;
  };
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (IsCharacterToken(c)) {
      end_word(i);
      tokens.push_back(TokenHash(text, i, i + U16_LENGTH(c)));
    } else if (IsWordCharacter(c)) {
      if (word_begin < 0) word_begin = i;
    } else {
      end_word(i);
    }
  }
  end_word(text.length());
  std::vector<uint64_t> shingles;
  for (size_t i = 0; i + kShingleTokens <= tokens.size(); ++i) {
    shingles.push_back(SequenceHash(&tokens[i], kShingleTokens));
  }
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  return shingles;
}

// The kSignatureSize hash functions h_i(x) = high 32 bits of (a_i * x + b_i) mod 2^64, with
// a_i odd: cheap, and min-wise enough on inputs that are already well-mixed 64-bit hashes.
// The constants come from a fixed seed, so signatures are the same in every build and run.
struct Permutations {
  std::array<uint64_t, kSignatureSize> a, b;
  Permutations() {
    uint64_t state = 0x5354414e43455452;                           // "STANCETR"
    auto next = [&] { return Mix(state += 0x9e3779b97f4a7c15); };  // splitmix64
    for (size_t i = 0; i < kSignatureSize; ++i) {
      a[i] = next() | 1;
      b[i] = next();
    }
  }
};

MinHash MinHashOf(const std::vector<uint64_t>& shingles) {
  static const Permutations permutations;
  MinHash signature(kSignatureSize, UINT32_MAX);
  for (uint64_t shingle : shingles) {
    for (size_t i = 0; i < kSignatureSize; ++i) {
      const auto value =
          static_cast<uint32_t>((permutations.a[i] * shingle + permutations.b[i]) >> 32);
      signature[i] = std::min(signature[i], value);
    }
  }
  return signature;
}

// ---------------------------------------------------------------------------------------------
// Linking.

// Indexes of `documents` earliest first: dated before undated, then by date, then by path.
std::vector<size_t> EarliestFirst(const std::vector<DocumentSignature>& documents) {
  std::vector<size_t> order(documents.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const DocumentSignature& a = documents[x];
    const DocumentSignature& b = documents[y];
    return std::make_tuple(a.published.empty(), std::cref(a.published), std::cref(a.path)) <
           std::make_tuple(b.published.empty(), std::cref(b.published), std::cref(b.path));
  });
  return order;
}

// LSH buckets that hold more than one document (a document alone in its bucket has no
// candidate there): `of_document[i]` lists the buckets of document i, across all bands.
struct Buckets {
  size_t count = 0;
  std::vector<std::vector<uint32_t>> of_document;
};

// `signatures` in earliest-first order; those not kSignatureSize long are in no bucket.
Buckets BucketsOf(const std::vector<const MinHash*>& signatures) {
  Buckets buckets;
  buckets.of_document.resize(signatures.size());
  std::vector<std::pair<uint64_t, uint32_t>> keys;
  for (size_t band = 0; band + kBandRows <= kSignatureSize; band += kBandRows) {
    keys.clear();
    for (size_t i = 0; i < signatures.size(); ++i) {
      if (signatures[i]->size() != kSignatureSize) continue;
      uint64_t rows[kBandRows];
      std::copy_n(signatures[i]->begin() + band, kBandRows, rows);
      keys.emplace_back(SequenceHash(rows, kBandRows), static_cast<uint32_t>(i));
    }
    std::sort(keys.begin(), keys.end());
    for (size_t begin = 0, end = 0; begin < keys.size(); begin = end) {
      end = begin + 1;
      while (end < keys.size() && keys[end].first == keys[begin].first) ++end;
      if (end - begin < 2) continue;
      for (size_t k = begin; k < end; ++k) {
        buckets.of_document[keys[k].second].push_back(static_cast<uint32_t>(buckets.count));
      }
      ++buckets.count;
    }
  }
  return buckets;
}

// The earliest of the originals listed in `originals` (earliest first) that is similar enough
// to `signature`, if it comes before `best`; else `best`. Looks at the last
// kMaxBucketNeighbours only.
size_t EarliestSimilar(const std::vector<const MinHash*>& signatures, const MinHash& signature,
                       const std::vector<uint32_t>& originals, double threshold, size_t best) {
  const size_t first =
      originals.size() > kMaxBucketNeighbours ? originals.size() - kMaxBucketNeighbours : 0;
  for (size_t k = first; k < originals.size() && originals[k] < best; ++k) {
    if (Similarity(signature, *signatures[originals[k]]) >= threshold) return originals[k];
  }
  return best;
}

// For each document (earliest first), the index of the original it duplicates, or itself.
// A document duplicates the earliest similar document that is not itself a duplicate, so every
// link joins two texts that are similar enough, and no chain of small edits links two stories
// that share little.
std::vector<size_t> FindOriginals(const std::vector<const MinHash*>& signatures, double threshold) {
  const Buckets buckets = BucketsOf(signatures);
  std::vector<std::vector<uint32_t>> originals(buckets.count);  // per bucket, earliest first
  std::vector<size_t> original(signatures.size());
  for (size_t i = 0; i < signatures.size(); ++i) {
    original[i] = i;
    for (uint32_t bucket : buckets.of_document[i]) {
      original[i] =
          EarliestSimilar(signatures, *signatures[i], originals[bucket], threshold, original[i]);
    }
    if (original[i] != i) continue;
    for (uint32_t bucket : buckets.of_document[i]) {
      originals[bucket].push_back(static_cast<uint32_t>(i));
    }
  }
  return original;
}

}  // namespace

StatusOr<MinHash> ContentSignature(const Document& doc) {
  if (!TraditionalToSimplified().ok()) return TraditionalToSimplified().status();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("near-duplicate signature: ICU has no NFKC_Casefold: ") +
                            u_errorName(status));
  }
  const std::vector<uint64_t> shingles =
      ShingleHashes(FoldedContent(doc, *nfkc_cf, ThreadTransliterator()));
  if (shingles.size() < kMinShingles) return MinHash();
  return MinHashOf(shingles);
}

double Similarity(const MinHash& a, const MinHash& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

std::vector<std::string> AssignDuplicates(const std::vector<DocumentSignature>& documents,
                                          double threshold) {
  const std::vector<size_t> order = EarliestFirst(documents);
  std::vector<const MinHash*> signatures;
  signatures.reserve(order.size());
  for (size_t i : order) signatures.push_back(&documents[i].signature);
  const std::vector<size_t> original = FindOriginals(signatures, threshold);
  std::vector<std::string> duplicate_of(documents.size());
  for (size_t rank = 0; rank < order.size(); ++rank) {
    if (original[rank] != rank) duplicate_of[order[rank]] = documents[order[original[rank]]].path;
  }
  return duplicate_of;
}

StatusOr<LinkStats> LinkDuplicates(Store* store, double threshold) {
  StatusOr<std::vector<DocumentSignature>> documents = store->Signatures();
  if (!documents.ok()) return documents.status();
  for (const DocumentSignature& d : *documents) {
    if (!d.signature.empty() && d.signature.size() != kSignatureSize) {
      return Status::Corruption("document_signatures: the signature of " + d.path + " has " +
                                std::to_string(d.signature.size()) + " values, expected " +
                                std::to_string(kSignatureSize));
    }
  }
  const std::vector<std::string> duplicate_of = AssignDuplicates(*documents, threshold);
  LinkStats stats;
  stats.documents = documents->size();
  std::vector<DuplicateLink> changes;
  for (size_t i = 0; i < documents->size(); ++i) {
    stats.duplicates += !duplicate_of[i].empty();
    if (duplicate_of[i] != (*documents)[i].duplicate_of) {
      changes.push_back({(*documents)[i].path, duplicate_of[i]});
    }
  }
  stats.changed = changes.size();
  if (!changes.empty()) ST_RETURN_IF_ERROR(store->SetDuplicates(changes));
  return stats;
}

}  // namespace stancetrack

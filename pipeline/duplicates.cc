#include "pipeline/duplicates.h"

#include <re2/re2.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "pipeline/strings.h"

namespace stancetrack {
namespace {

// ---------------------------------------------------------------------------------------------
// Folding: the same text written in another script variant or width must give equal tokens.

// What a text must hold for a transliterator to change it: the sources of its rules whose
// targets differ ("著 > 着", "乾麵 > 干面"). ICU applies such rules in one pass over the original
// text, so a text that holds none of them comes out unchanged: most simplified Chinese does (84%
// of the benchmark's), and skipping it saves most of the transliterator's time. If a rule has
// another shape than "source > target;", every character any rule reads is a trigger instead.
// Immutable after construction: safe to read from many threads.
class Triggers {
 public:
  explicit Triggers(const icu::Transliterator& t) {
    icu::UnicodeString rules;
    t.toRules(rules, /*escapeUnprintable=*/true);
    std::string text;
    rules.toUTF8String(text);
    const RE2 rule(
        R"(((?:\\u[0-9A-F]{4}|\\U[0-9A-F]{8})+) > ((?:\\u[0-9A-F]{4}|\\U[0-9A-F]{8})*);\n?)");
    re2::StringPiece rest(text);
    std::string source, target;
    while (RE2::Consume(&rest, rule, &source, &target)) {
      const icu::UnicodeString from = icu::UnicodeString::fromUTF8(source).unescape();
      read_.addAll(from);
      if (from != icu::UnicodeString::fromUTF8(target).unescape()) Add(from);
    }
    plain_ = rest.empty();
    if (!plain_) {
      by_first_.clear();
      first_.clear();
      read_.clear();
      t.getSourceSet(read_);
      for (int32_t i = 0; i < read_.size(); ++i) Add(icu::UnicodeString(read_.charAt(i)));
    }
    first_.freeze();
    read_.freeze();
  }

  // Where the first trigger at or after `from` begins in `text`, or -1. A frozen set finds the
  // candidate positions fast; a plain UnicodeSet of the strings would compare each of them at
  // every position.
  int32_t Find(const icu::UnicodeString& text, int32_t from) const {
    for (int32_t i = first_.span(text, from, USET_SPAN_NOT_CONTAINED); i < text.length();
         i = first_.span(text, text.moveIndex32(i, 1), USET_SPAN_NOT_CONTAINED)) {
      for (const icu::UnicodeString& trigger : by_first_.at(text.char32At(i))) {
        if (text.compare(i, trigger.length(), trigger) == 0) return i;
      }
    }
    return -1;
  }

  // When every rule is "source > target;", a rule reads only characters of its source, so the
  // transliterator rewrites a run of such characters (between two others) in the whole text
  // as it would on its own, and leaves a run without a trigger as it is. Then [begin, end) is
  // the run around `at`, a trigger's start; else the whole text.
  void RunAround(const icu::UnicodeString& text, int32_t at, int32_t* begin, int32_t* end) const {
    *begin = plain_ ? read_.spanBack(text, at, USET_SPAN_CONTAINED) : 0;
    *end = plain_ ? read_.span(text, at, USET_SPAN_CONTAINED) : text.length();
  }

 private:
  void Add(const icu::UnicodeString& trigger) {
    first_.add(trigger.char32At(0));
    by_first_[trigger.char32At(0)].push_back(trigger);
  }

  icu::UnicodeSet first_;  // the first character of every trigger
  std::unordered_map<UChar32, std::vector<icu::UnicodeString>> by_first_;
  icu::UnicodeSet read_;  // every character of every rule's source
  bool plain_ = false;    // every rule is "source > target;"
};

// ICU's Traditional-Simplified transliterator, with its triggers. It parses a large rule set
// when built: built once, on first use, then cloned per thread, because one instance must not
// be used by two threads at once.
struct Simplifier {
  std::unique_ptr<icu::Transliterator> prototype;
  Triggers triggers;
};

const StatusOr<Simplifier>& TraditionalToSimplified() {
  static const auto* const simplifier = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    using Result = StatusOr<Simplifier>;
    if (U_FAILURE(status) || t == nullptr) {
      return new Result(Status::Internal(
          std::string("near-duplicate signature: ICU cannot build the Traditional-Simplified "
                      "transliterator: ") +
          u_errorName(status)));
    }
    Triggers triggers(*t);
    return new Result(Simplifier{std::move(t), std::move(triggers)});
  }();
  return *simplifier;
}

// Folds traditional Han in `text` to simplified, in place, run by run: a simplified text with
// a few traditional characters costs those characters' runs, not a pass of the rules over all
// of it. Needs TraditionalToSimplified().ok().
void Simplify(icu::UnicodeString* text) {
  const Simplifier& simplifier = TraditionalToSimplified().value();
  const int32_t first = simplifier.triggers.Find(*text, 0);
  if (first < 0) return;
  thread_local const std::unique_ptr<icu::Transliterator> clone(simplifier.prototype->clone());
  for (int32_t at = first; at >= 0; at = simplifier.triggers.Find(*text, at)) {
    int32_t begin = 0, end = 0;
    simplifier.triggers.RunAround(*text, at, &begin, &end);
    at = clone->transliterate(*text, begin, end);  // where the run ends once rewritten
  }
}

UScriptCode ScriptOf(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;  // fails only on a bad argument; the code is then "common"
  return uscript_getScript(c, &status);
}

// Scripts written without spaces between words: each character is a token.
bool IsCharacterToken(UChar32 c) {
  if (c < 0x80) return false;
  const UScriptCode script = ScriptOf(c);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
}

bool IsWordCharacter(UChar32 c) {
  // On ASCII, most of most text, the three properties below are exactly [A-Za-z0-9].
  if (c < 0x80) return IsAsciiAlnum(static_cast<char>(c));
  return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
         (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

// The content text, NFKC-casefolded, traditional Han folded to simplified; paragraphs are
// separated by a line break, which only ends a token.
icu::UnicodeString FoldedContent(const Document& doc, const icu::Normalizer2& nfkc_cf) {
  icu::UnicodeString folded;
  for (uint32_t i = 0; i < doc.paragraphs.size(); ++i) {
    if (!doc.IsContent(i)) continue;
    const std::string_view text = doc.paragraphs[i].span.Of(doc.text);
    const icu::UnicodeString paragraph = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    UErrorCode status = U_ZERO_ERROR;  // fails only on bad arguments or no memory
    folded.append(nfkc_cf.normalize(paragraph, status)).append(u'\n');
  }
  Simplify(&folded);
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

// Hashes of the shingles of `text`, in text order, a repeated shingle as often as it occurs:
// MinHash keeps minima, which repeats do not change, so they need no sort to remove them.
std::vector<uint64_t> ShingleHashes(const icu::UnicodeString& text) {
  std::vector<uint64_t> tokens;
  int32_t word_begin = -1;
  auto end_word = [&](int32_t end) {
    if (word_begin >= 0) tokens.push_back(TokenHash(text, word_begin, end));
    word_begin = -1;
  };
  const char16_t* units = text.getBuffer();  // read in place: no call per character
  for (int32_t next = 0; next < text.length();) {
    const int32_t i = next;
    UChar32 c;
    U16_NEXT(units, next, text.length(), c);
    if (IsCharacterToken(c)) {
      end_word(i);
      tokens.push_back(TokenHash(text, i, next));
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
  return shingles;
}

// Whether `shingles` holds at least `count` distinct values; reads until it has seen them.
bool HasDistinct(const std::vector<uint64_t>& shingles, size_t count) {
  std::vector<uint64_t> seen;
  for (uint64_t shingle : shingles) {
    if (std::find(seen.begin(), seen.end(), shingle) != seen.end()) continue;
    seen.push_back(shingle);
    if (seen.size() == count) return true;
  }
  return false;
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

// The inner loop is most of a signature's cost, and compilers vectorize it only as wide as
// the instruction set allows: x86-64's baseline has no 64-bit vector multiply, AVX-512 has one.
// Each clone computes the same values; the loader picks the best the processor runs.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ST_CLONED_FOR_VECTORS \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define ST_CLONED_FOR_VECTORS
#endif

ST_CLONED_FOR_VECTORS
void LowerMinima(const Permutations& permutations, const std::vector<uint64_t>& shingles,
                 uint32_t* minima) {
  for (uint64_t shingle : shingles) {
    for (size_t i = 0; i < kSignatureSize; ++i) {
      const auto value =
          static_cast<uint32_t>((permutations.a[i] * shingle + permutations.b[i]) >> 32);
      minima[i] = std::min(minima[i], value);
    }
  }
}

MinHash MinHashOf(const std::vector<uint64_t>& shingles) {
  static const Permutations permutations;
  MinHash signature(kSignatureSize, UINT32_MAX);
  LowerMinima(permutations, shingles, signature.data());
  return signature;
}

// ---------------------------------------------------------------------------------------------
// Linking, in two passes over records that wait in the store (LinkSession's streams) beyond
// `sort_bytes`, so that memory stays the same whatever the number of documents:
//   1. Buckets. Every document's band keys, partitioned by key so that a partition fits in
//      memory, then sorted: equal keys in one band make a bucket. Each member of a bucket but
//      its earliest, the head, gets one membership record: the head, its one candidate known
//      now, and the bucket's number when the bucket has other members, whose originals it asks
//      the store for in pass 2. A large bucket (more than kMaxSmallBucket documents) names no
//      head, and its members see only its last kMaxBucketNeighbours originals. So the records
//      grow with the number of documents, not with the square of a bucket's size (one record
//      per document and band, where pairing every two members made 42 times as many records
//      from a corpus of 16 close copies of every story).
//   2. Originals. The membership records, partitioned by rank into ranges read back in order,
//      as many consecutive ones at a time as fit in memory, sorted: each document, earliest
//      first, duplicates the earliest head that is an original and similar enough; a bucket
//      whose head is later than that (or is not an original, or not similar) may hold an
//      earlier one, so its originals are read from the store; else the document is an
//      original, and is recorded as one in each of its numbered buckets. A range that alone
//      does not fit is partitioned again, by rank.
// Memory: the spill buffers and sorted records of one pass, a cache of signatures (a quarter of
// `sort_bytes`), and one bit per document (is it an original?). The result is the one of comparing,
// bucket by bucket, each document with the last kMaxBucketNeighbours originals before it, as the
// file comment says: in a small bucket those are all of its earlier originals, the head (a
// candidate in the record) and the others (in the store).

constexpr size_t kBands = kSignatureSize / kBandRows;
// The most documents in a bucket whose every member sees all earlier members: up to
// kMaxBucketNeighbours earlier ones.
constexpr size_t kMaxSmallBucket = kMaxBucketNeighbours + 1;
// Rank ranges of pass 2: enough that a range is small next to the sort memory.
constexpr size_t kRankRanges = 256;

// Bumped whenever linking changes in a way the constants below do not show (the order, the
// band keys), so that links stored by an earlier build are computed again.
constexpr int kLinkRulesVersion = 1;

// What the stored links depend on besides the documents: a database whose links were computed
// with other rules is linked again even when no document changed.
std::string LinkRules(double threshold) {
  char rules[160];
  std::snprintf(rules, sizeof rules,
                "v%d signature=%zu band_rows=%zu neighbours=%zu threshold=%.17g", kLinkRulesVersion,
                kSignatureSize, kBandRows, kMaxBucketNeighbours, threshold);
  return rules;
}

// The key of a band: its kBandRows values, hashed.
uint64_t BandKey(const MinHash& signature, size_t band) {
  uint64_t rows[kBandRows];
  std::copy_n(signature.begin() + band * kBandRows, kBandRows, rows);
  return SequenceHash(rows, kBandRows);
}

struct BandRecord {  // the document of `rank` has `key` in band `band`
  uint64_t key;
  uint32_t band;
  uint32_t rank;
};

constexpr uint32_t kNone = ~uint32_t{0};  // no rank, no bucket

struct MemberRecord {  // the document of `rank` is in a bucket, not as its earliest member
  uint32_t rank;
  uint32_t head;    // the bucket's earliest member, or kNone in a large bucket
  uint32_t bucket;  // the bucket's number, or kNone when the head is its only earlier member
};

// Records appended to numbered streams of the store, in chunks: memory is one chunk buffer per
// stream, `buffer_bytes` for all of them. The spills of a session take their stream ids from
// one counter, `next_id`, so that none shares a stream.
template <typename Record>
class Spill {
 public:
  Spill(LinkSession* session, uint32_t* next_id, size_t streams, size_t buffer_bytes)
      : session_(session),
        first_(*next_id),
        chunk_records_(std::max<size_t>(1, buffer_bytes / streams / sizeof(Record))),
        buffers_(streams),
        counts_(streams) {
    *next_id += static_cast<uint32_t>(streams);
  }

  size_t streams() const { return buffers_.size(); }
  size_t count(size_t stream) const { return counts_[stream]; }

  Status Add(size_t stream, const Record& record) {
    buffers_[stream].push_back(record);
    ++counts_[stream];
    return buffers_[stream].size() >= chunk_records_ ? Flush(stream) : Status::Ok();
  }

  // Writes what the buffers hold, and frees them: the records are read back next.
  Status FlushAll() {
    for (size_t stream = 0; stream < streams(); ++stream) ST_RETURN_IF_ERROR(Flush(stream));
    std::vector<std::vector<Record>>(streams()).swap(buffers_);
    return Status::Ok();
  }

  // Appends the records of `stream` to `records`. Call after FlushAll().
  Status Read(size_t stream, std::vector<Record>* records) const {
    return session_->ForEachChunk(Id(stream), [&](std::string_view bytes) {
      const size_t old_size = records->size();
      records->resize(old_size + bytes.size() / sizeof(Record));
      std::memcpy(records->data() + old_size, bytes.data(), bytes.size());
      return Status::Ok();
    });
  }

  // Calls `each` with the records of `stream` in turn, holding one chunk. Call after FlushAll().
  template <typename Fn>
  Status ForEach(size_t stream, const Fn& each) const {
    return session_->ForEachChunk(Id(stream), [&](std::string_view bytes) {
      for (size_t at = 0; at + sizeof(Record) <= bytes.size(); at += sizeof(Record)) {
        Record record;
        std::memcpy(&record, bytes.data() + at, sizeof(Record));
        ST_RETURN_IF_ERROR(each(record));
      }
      return Status::Ok();
    });
  }

 private:
  uint32_t Id(size_t stream) const { return first_ + static_cast<uint32_t>(stream); }

  Status Flush(size_t stream) {
    std::vector<Record>& buffer = buffers_[stream];
    if (buffer.empty()) return Status::Ok();
    const Status status = session_->AppendChunk(
        Id(stream), std::string_view(reinterpret_cast<const char*>(buffer.data()),
                                     buffer.size() * sizeof(Record)));
    buffer.clear();
    return status;
  }

  LinkSession* session_;
  uint32_t first_;
  size_t chunk_records_;
  std::vector<std::vector<Record>> buffers_;
  std::vector<size_t> counts_;
};

// Membership records partitioned by rank: the ranks [first_rank, end_rank) are cut into streams()
// consecutive ranges, so that reading the streams in order reads the ranks in order.
class MemberSpill {
 public:
  MemberSpill(LinkSession* session, uint32_t* next_id, uint32_t first_rank, uint32_t end_rank,
              size_t streams, size_t buffer_bytes)
      : spill_(session, next_id, streams, buffer_bytes),
        first_rank_(first_rank),
        ranks_(end_rank - first_rank) {}

  size_t streams() const { return spill_.streams(); }
  size_t count(size_t stream) const { return spill_.count(stream); }
  // The ranks of `stream`: [FirstRank(stream), FirstRank(stream + 1)).
  uint32_t FirstRank(size_t stream) const {
    return first_rank_ +
           static_cast<uint32_t>((uint64_t{stream} * ranks_ + streams() - 1) / streams());
  }

  Status Add(const MemberRecord& record) {
    return spill_.Add(uint64_t{record.rank - first_rank_} * streams() / ranks_, record);
  }
  Status FlushAll() { return spill_.FlushAll(); }
  Status Read(size_t stream, std::vector<MemberRecord>* records) const {
    return spill_.Read(stream, records);
  }
  template <typename Fn>
  Status ForEach(size_t stream, const Fn& each) const {
    return spill_.ForEach(stream, each);
  }

 private:
  Spill<MemberRecord> spill_;
  uint32_t first_rank_;
  uint64_t ranks_;
};

// Streams of a spill that hold `bytes` in parts of at most half the sort memory.
size_t StreamsFor(size_t bytes, size_t sort_bytes) {
  const size_t part = std::max<size_t>(1, sort_bytes / 2);
  return std::max<size_t>(1, (bytes + part - 1) / part);
}

// ---- pass 1: buckets

class BucketPass {
 public:
  BucketPass(LinkSession* session, uint32_t* next_id, MemberSpill* members, size_t sort_bytes)
      : session_(session), next_id_(next_id), members_(members), sort_bytes_(sort_bytes) {}

  Status Run() {
    const size_t records = size_t{session_->documents()} * kBands;
    Spill<BandRecord> keys(session_, next_id_,
                           StreamsFor(records * sizeof(BandRecord), sort_bytes_), sort_bytes_ / 2);
    ST_RETURN_IF_ERROR(SpillKeys(&keys));
    std::vector<BandRecord> partition;
    for (size_t stream = 0; stream < keys.streams(); ++stream) {
      partition.clear();
      partition.reserve(keys.count(stream));
      ST_RETURN_IF_ERROR(keys.Read(stream, &partition));
      ST_RETURN_IF_ERROR(AddBuckets(&partition));
    }
    return members_->FlushAll();
  }

 private:
  // Every band key, to the partition of its (band, key).
  Status SpillKeys(Spill<BandRecord>* keys) {
    ST_RETURN_IF_ERROR(
        session_->ForEachSignature(kSignatureSize, [&](uint32_t rank, const MinHash& signature) {
          for (uint32_t band = 0; band < kBands; ++band) {
            const uint64_t key = BandKey(signature, band);
            ST_RETURN_IF_ERROR(keys->Add(Mix(key ^ band) % keys->streams(), {key, band, rank}));
          }
          return Status::Ok();
        }));
    return keys->FlushAll();
  }

  // Sorts one partition's records; each run of equal (band, key) is a bucket.
  Status AddBuckets(std::vector<BandRecord>* records) {
    auto bucket_of = [](const BandRecord& r) { return std::make_pair(r.key, r.band); };
    std::sort(records->begin(), records->end(), [&](const BandRecord& a, const BandRecord& b) {
      if (a.key != b.key) return a.key < b.key;  // almost always decides
      return std::make_pair(a.band, a.rank) < std::make_pair(b.band, b.rank);
    });
    for (size_t begin = 0, end = 0; begin < records->size(); begin = end) {
      end = begin + 1;
      while (end < records->size() && bucket_of((*records)[end]) == bucket_of((*records)[begin])) {
        ++end;
      }
      if (end - begin > 1) ST_RETURN_IF_ERROR(AddBucket(records->data() + begin, end - begin));
    }
    return Status::Ok();
  }

  // `members` in rank order.
  Status AddBucket(const BandRecord* members, size_t count) {
    const bool large = count > kMaxSmallBucket;
    const uint32_t head = large ? kNone : members[0].rank;
    uint32_t bucket = kNone;  // in a bucket of two, the head is all the later member sees
    if (count > 2) {
      if (buckets_ == kNone) {
        return Status::Unsupported("link duplicates: too many buckets to number (2^32 - 1)");
      }
      bucket = buckets_++;
    }
    for (size_t i = large ? 0 : 1; i < count; ++i) {
      ST_RETURN_IF_ERROR(members_->Add({members[i].rank, head, bucket}));
    }
    return Status::Ok();
  }

  LinkSession* session_;
  uint32_t* next_id_;
  MemberSpill* members_;
  size_t sort_bytes_;
  uint32_t buckets_ = 0;  // numbered so far
};

// ---- pass 2: originals

// The signatures of the documents compared last, by rank modulo the number of slots:
// near-duplicates sit close together in time, so one read from the store serves many
// comparisons.
class SignatureCache {
 public:
  SignatureCache(LinkSession* session, size_t bytes)
      : session_(session), slots_(std::max<size_t>(16, bytes / (kSignatureSize * 4))) {}

  // The signature of `rank`, valid until the next call.
  StatusOr<const MinHash*> Get(uint32_t rank) {
    Slot& slot = slots_[rank % slots_.size()];
    if (slot.signature.empty() || slot.rank != rank) {
      StatusOr<MinHash> signature = session_->Signature(rank);
      if (!signature.ok()) return signature.status();
      slot = {rank, std::move(signature).value()};
    }
    return &slot.signature;
  }

 private:
  struct Slot {
    uint32_t rank = 0;
    MinHash signature;
  };
  LinkSession* session_;
  std::vector<Slot> slots_;
};

class OriginalPass {
 public:
  OriginalPass(LinkSession* session, uint32_t* next_id, double threshold, size_t sort_bytes)
      : session_(session),
        next_id_(next_id),
        threshold_(threshold),
        capacity_(std::max<size_t>(1, sort_bytes / 2 / sizeof(MemberRecord))),
        split_buffer_bytes_(sort_bytes / 4),
        cache_(session, sort_bytes / 4),
        original_(session->documents(), true) {}

  // Reads the ranges in order, as many at a time as fit in half the sort memory; a range of
  // several ranks that alone does not fit is split first.
  Status Run(const MemberSpill& members) {
    for (size_t range = 0, end = 0; range < members.streams(); range = end) {
      size_t count = members.count(range);
      for (end = range + 1; end < members.streams() && count + members.count(end) <= capacity_;
           ++end) {
        count += members.count(end);
      }
      if (count > capacity_ && members.FirstRank(range + 1) - members.FirstRank(range) > 1) {
        ST_RETURN_IF_ERROR(Split(members, range));
        continue;
      }
      records_.clear();
      records_.reserve(count);
      for (size_t r = range; r < end; ++r) ST_RETURN_IF_ERROR(members.Read(r, &records_));
      ST_RETURN_IF_ERROR(DecideAll(&records_));
    }
    return Status::Ok();
  }

 private:
  // Copies the records of `range` into finer ranges of its ranks, about half the capacity each,
  // and runs those.
  Status Split(const MemberSpill& members, size_t range) {
    const uint32_t first = members.FirstRank(range), end = members.FirstRank(range + 1);
    const size_t parts = std::min<size_t>(end - first, 2 * (members.count(range) / capacity_ + 1));
    MemberSpill finer(session_, next_id_, first, end, parts, split_buffer_bytes_);
    ST_RETURN_IF_ERROR(
        members.ForEach(range, [&](const MemberRecord& record) { return finer.Add(record); }));
    ST_RETURN_IF_ERROR(finer.FlushAll());
    return Run(finer);
  }

  // Sorts the records by rank, then head, and decides each document's fate in that order.
  Status DecideAll(std::vector<MemberRecord>* records) {
    std::sort(records->begin(), records->end(), [](const MemberRecord& a, const MemberRecord& b) {
      return (uint64_t{a.rank} << 32 | a.head) < (uint64_t{b.rank} << 32 | b.head);
    });
    const MemberRecord* const last = records->data() + records->size();
    for (const MemberRecord *begin = records->data(), *end = begin; begin != last; begin = end) {
      end = begin + 1;
      while (end != last && end->rank == begin->rank) ++end;
      ST_RETURN_IF_ERROR(Decide(begin, end));
    }
    return Status::Ok();
  }

  // The memberships of one document, sorted: heads ascending, then large buckets. A bucket's
  // other members all come after its head: its stored originals are worth reading only while
  // the best original found so far comes after the head.
  Status Decide(const MemberRecord* begin, const MemberRecord* end) {
    const uint32_t rank = begin->rank;
    own_loaded_ = false;
    const MemberRecord* large =
        std::partition_point(begin, end, [](const MemberRecord& r) { return r.head != kNone; });
    StatusOr<uint32_t> best = EarliestSimilar(rank, begin, large);
    for (const MemberRecord* r = begin; best.ok() && r != end; ++r) {
      if (r->bucket != kNone && (r->head == kNone || r->head < *best)) {
        best = EarliestInBucket(rank, r->bucket, *best);
      }
    }
    if (!best.ok()) return best.status();
    if (*best != rank) {
      original_[rank] = false;
      return session_->SetDuplicate(rank, *best);
    }
    for (const MemberRecord* r = begin; r != end; ++r) {
      if (r->bucket != kNone) ST_RETURN_IF_ERROR(session_->AddOriginal(r->bucket, rank));
    }
    return Status::Ok();
  }

  // The earliest original among the heads of [begin, end) (ascending, repeats adjacent) that
  // is similar enough, else `rank`.
  StatusOr<uint32_t> EarliestSimilar(uint32_t rank, const MemberRecord* begin,
                                     const MemberRecord* end) {
    for (const MemberRecord* r = begin; r != end; ++r) {
      if (!original_[r->head] || (r != begin && r[-1].head == r->head)) continue;
      StatusOr<bool> similar = Similar(rank, r->head);
      if (!similar.ok()) return similar.status();
      if (*similar) return r->head;
    }
    return rank;
  }

  // The earliest of the last kMaxBucketNeighbours originals stored for a bucket that is
  // similar enough and comes before `best`, else `best`.
  StatusOr<uint32_t> EarliestInBucket(uint32_t rank, uint32_t bucket, uint32_t best) {
    ST_RETURN_IF_ERROR(session_->LatestOriginals(bucket, kMaxBucketNeighbours, &originals_));
    for (size_t k = 0; k < originals_.size() && originals_[k] < best; ++k) {
      StatusOr<bool> similar = Similar(rank, originals_[k]);
      if (!similar.ok()) return similar.status();
      if (*similar) return originals_[k];
    }
    return best;
  }

  StatusOr<bool> Similar(uint32_t rank, uint32_t other) {
    if (!own_loaded_) {
      StatusOr<const MinHash*> own = cache_.Get(rank);
      if (!own.ok()) return own.status();
      own_ = **own;
      own_loaded_ = true;
    }
    StatusOr<const MinHash*> signature = cache_.Get(other);
    if (!signature.ok()) return signature.status();
    return Similarity(own_, **signature) >= threshold_;
  }

  LinkSession* session_;
  uint32_t* next_id_;
  double threshold_;
  size_t capacity_;  // membership records sorted at a time
  size_t split_buffer_bytes_;
  std::vector<MemberRecord> records_;  // of the ranges being decided
  SignatureCache cache_;
  // By rank. A document without candidates (first in each of its buckets) is an original.
  std::vector<bool> original_;
  MinHash own_;  // the signature of the document being decided
  bool own_loaded_ = false;
  std::vector<uint32_t> originals_;  // of one bucket
};

}  // namespace

StatusOr<MinHash> ContentSignature(const Document& doc) {
  if (!TraditionalToSimplified().ok()) return TraditionalToSimplified().status();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("near-duplicate signature: ICU has no NFKC_Casefold: ") +
                            u_errorName(status));
  }
  const std::vector<uint64_t> shingles = ShingleHashes(FoldedContent(doc, *nfkc_cf));
  if (!HasDistinct(shingles, kMinShingles)) return MinHash();
  return MinHashOf(shingles);
}

double Similarity(const MinHash& a, const MinHash& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

StatusOr<LinkStats> LinkDuplicates(Store* store, double threshold, size_t sort_bytes) {
  StatusOr<std::unique_ptr<LinkSession>> opened = store->BeginLinking(LinkRules(threshold));
  if (!opened.ok()) return opened.status();
  LinkSession* session = opened->get();
  LinkStats stats;
  stats.up_to_date = session->up_to_date();
  if (stats.up_to_date) return stats;
  if (session->documents() >= kNone) {
    return Status::Unsupported("link duplicates: 2^32 - 1 documents or more with a signature");
  }
  if (session->documents() > 0) {
    uint32_t next_stream_id = 0;
    MemberSpill members(session, &next_stream_id, 0, session->documents(), kRankRanges,
                        sort_bytes / 4);
    ST_RETURN_IF_ERROR(BucketPass(session, &next_stream_id, &members, sort_bytes).Run());
    ST_RETURN_IF_ERROR(OriginalPass(session, &next_stream_id, threshold, sort_bytes).Run(members));
  }
  StatusOr<LinkSession::Counts> counts = session->Finish();
  if (!counts.ok()) return counts.status();
  stats.documents = session->documents();
  stats.duplicates = counts->duplicates;
  stats.changed = counts->changed;
  return stats;
}

}  // namespace stancetrack

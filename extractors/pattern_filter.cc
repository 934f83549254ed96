#include "extractors/pattern_filter.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

#include "pipeline/strings.h"

namespace stancetrack {
namespace {

bool HasNonAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// Which lead bytes of three-byte UTF-8 (0xE0 to 0xEF, by their low four bits) begin only
// characters that case folding leaves alone: Han, kana and Hangul among them.
const std::array<bool, 16>& CaselessLeads() {
  static const std::array<bool, 16> leads = [] {
    std::array<bool, 16> caseless{};
    for (UChar32 lead = 0; lead < 16; ++lead) {
      caseless[lead] = true;
      for (UChar32 c = lead << 12; c < (lead + 1) << 12 && caseless[lead]; ++c) {
        caseless[lead] = u_foldCase(c, U_FOLD_CASE_DEFAULT) == c;
      }
    }
    return caseless;
  }();
  return leads;
}

// The end of the run from `i` of bytes that folding copies as they are: ASCII (the automaton
// lower-cases it itself) and three-byte characters of caseless blocks. Copying such a lead and
// its two continuation bytes is right even where they are ill-formed: so are those bytes kept.
int32_t UnchangedRunEnd(std::string_view utf8, int32_t i) {
  const std::array<bool, 16>& caseless = CaselessLeads();
  const auto length = static_cast<int32_t>(utf8.size());
  auto continuation = [&](int32_t at) {
    return at < length && (static_cast<unsigned char>(utf8[at]) & 0xC0) == 0x80;
  };
  while (i < length) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0x80) {
      ++i;
    } else if ((byte & 0xF0) == 0xE0 && caseless[byte & 0x0F] && continuation(i + 1) &&
               continuation(i + 2)) {
      i += 3;
    } else {
      break;
    }
  }
  return i;
}

// `utf8` in Unicode's simple case folding, code point by code point, the equivalence RE2's
// case-insensitive matching uses (É, é; Σ, σ, ς; ẞ, ß). ASCII bytes and ill-formed ones are
// kept as they are: the automaton lower-cases ASCII itself. `aligned` tells whether every
// character kept its length, so that offsets in the folding are offsets in `utf8`.
std::string SimpleCaseFold(std::string_view utf8, bool* aligned) {
  std::string folded;
  folded.reserve(utf8.size());
  const int32_t length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    const int32_t run = i;
    i = UnchangedRunEnd(utf8, i);
    folded.append(utf8.substr(run, i - run));
    if (i == length) break;
    const int32_t begin = i;
    UChar32 c;
    U8_NEXT(utf8.data(), i, length, c);
    if (c < 0) {
      folded.append(utf8.substr(begin, i - begin));
      continue;
    }
    char bytes[U8_MAX_LENGTH];
    int32_t n = 0;
    U8_APPEND_UNSAFE(bytes, n, u_foldCase(c, U_FOLD_CASE_DEFAULT));
    folded.append(bytes, n);
    if (n != i - begin) *aligned = false;
  }
  return folded;
}

// Scans `text` with `automaton` as the atoms are looked for: in its simple case folding where
// it has bytes outside ASCII, which on_match(scanned, id, end) is given. Returns whether the
// folding kept every character's length, so that the ends reported are offsets in `text`.
template <typename OnMatch>
bool ScanFolding(const KeywordAutomaton& automaton, std::string_view text, OnMatch&& on_match) {
  bool aligned = true;
  std::string folded;
  std::string_view scanned = text;  // its folding, up to the case of ASCII letters
  if (HasNonAscii(text)) {
    folded = SimpleCaseFold(text, &aligned);
    scanned = folded;
  }
  automaton.Scan(scanned, [&](int32_t id, size_t end) { on_match(scanned, id, end); });
  return aligned;
}

// Whether an ASCII letter, digit or '_' touches text[end - length, end) on a side where `edges`
// wants a word edge. A case folding that kept every length has the text's ASCII bytes where
// the text has them, so the answer is the same for either.
bool AsciiWordAround(WordEdges edges, std::string_view text, size_t length, size_t end) {
  if (edges == WordEdges::kNone) return false;
  if (end > length && IsAsciiWordByte(text[end - length - 1])) return true;
  return edges == WordEdges::kBoth && end < text.size() && IsAsciiWordByte(text[end]);
}

}  // namespace

std::string PatternFilter::Add(std::string_view pattern, const RE2::Options& options) {
  int id = 0;
  if (filter_.Add(pattern, options, &id) == RE2::NoError) return "";
  std::string error = RE2(pattern, options).error();
  return error.empty() ? "cannot compile" : error;
}

void PatternFilter::AddKeyword(std::string_view keyword, WordEdges edges) {
  keywords_.emplace_back(keyword);
  keyword_edges_.push_back(edges);
}

void PatternFilter::Compile() {
  std::vector<std::string> atoms;
  if (size() > 0) {
    filter_.Compile(&atoms);  // RE2 logs a complaint when there is no pattern
    filter_.AllPotentials({}, &without_atoms_);
    by_one_atom_.resize(atoms.size());
    for (int atom = 0; atom < static_cast<int>(atoms.size()); ++atom) {
      filter_.AllPotentials({atom}, &by_one_atom_[atom]);
    }
  }
  bool aligned = true;  // unused: only the scanned text's offsets matter
  for (const std::string& atom : atoms) strings_.push_back(SimpleCaseFold(atom, &aligned));
  atoms_ = static_cast<int32_t>(atoms.size());
  string_edges_.assign(atoms.size(), WordEdges::kNone);
  for (const std::string& keyword : keywords_) {
    strings_.push_back(SimpleCaseFold(keyword, &aligned));
  }
  string_edges_.insert(string_edges_.end(), keyword_edges_.begin(), keyword_edges_.end());
  keywords_.clear();
  keyword_edges_.clear();
  for (const std::string& s : strings_) automaton_.Add(s);
  automaton_.Build();
}

const std::vector<int>& PatternFilter::Candidates(std::string_view text, std::vector<int>* scratch,
                                                  std::vector<KeywordHit>* keywords,
                                                  bool* aligned) const {
  std::vector<StringHit> hits;
  hits.reserve(text.size() / 4);  // room for what most texts hold: no step-by-step growth
  *aligned = ScanFolding(automaton_, text, [&](std::string_view scanned, int32_t id, size_t end) {
    const auto string = static_cast<size_t>(id);
    if (AsciiWordAround(string_edges_[string], scanned, strings_[string].size(), end)) return;
    hits.push_back({id, end});
  });
  return CandidatesOf(hits, *aligned, scratch, keywords);
}

const std::vector<int>& PatternFilter::CandidatesOf(std::span<const StringHit> hits, bool aligned,
                                                    std::vector<int>* scratch,
                                                    std::vector<KeywordHit>* keywords) const {
  if (hits.empty()) return without_atoms_;  // most texts for most tables: nothing to allocate
  std::vector<int> found;
  found.reserve(16);
  if (aligned) keywords->reserve(hits.size());
  for (const StringHit& hit : hits) {
    if (hit.id < atoms_) {
      found.push_back(hit.id);
    } else if (aligned) {
      keywords->push_back({hit.id - atoms_, hit.end});
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  // RE2 sets up its propagation afresh for each call, about 4,000 instructions; nearly half of
  // the texts hold no atom at all, and of the others, four in ten hold one.
  if (found.empty()) return without_atoms_;
  if (found.size() == 1) return by_one_atom_[found.front()];
  filter_.AllPotentials(found, scratch);
  return *scratch;
}

FilterGroup::FilterGroup(std::vector<const PatternFilter*> filters) : filters_(std::move(filters)) {
  std::unordered_map<std::string_view, uint32_t> ids;
  for (uint32_t f = 0; f < filters_.size(); ++f) {
    const std::vector<std::string>& strings = filters_[f]->strings();
    for (int32_t id = 0; id < static_cast<int32_t>(strings.size()); ++id) {
      auto [at, added] = ids.emplace(strings[id], static_cast<uint32_t>(owners_.size()));
      if (added) {
        automaton_.Add(strings[id]);
        owners_.emplace_back();
        lengths_.push_back(static_cast<uint32_t>(strings[id].size()));
      }
      owners_[at->second].push_back({f, id, filters_[f]->string_edges()[id]});
    }
  }
  automaton_.Build();
}

int FilterGroup::IndexOf(const PatternFilter* filter) const {
  auto at = std::find(filters_.begin(), filters_.end(), filter);
  return at == filters_.end() ? -1 : static_cast<int>(at - filters_.begin());
}

bool FilterGroup::Scan(std::string_view text, std::vector<Hit>* hits) const {
  return ScanFolding(automaton_, text, [&](std::string_view scanned, int32_t id, size_t end) {
    const auto string = static_cast<size_t>(id);
    for (const Owner& owner : owners_[string]) {
      if (AsciiWordAround(owner.edges, scanned, lengths_[string], end)) continue;
      hits->push_back({owner.filter, {owner.id, end}});
    }
  });
}

}  // namespace stancetrack

#include "extractors/pattern_filter.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

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

}  // namespace

std::string PatternFilter::Add(std::string_view pattern, const RE2::Options& options) {
  int id = 0;
  if (filter_.Add(pattern, options, &id) == RE2::NoError) return "";
  std::string error = RE2(pattern, options).error();
  return error.empty() ? "cannot compile" : error;
}

void PatternFilter::AddKeyword(std::string_view keyword) { keywords_.emplace_back(keyword); }

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
  for (const std::string& atom : atoms) automaton_.Add(SimpleCaseFold(atom, &aligned));
  atoms_ = static_cast<int32_t>(atoms.size());
  for (const std::string& keyword : keywords_) automaton_.Add(SimpleCaseFold(keyword, &aligned));
  keywords_.clear();
  automaton_.Build();
}

const std::vector<int>& PatternFilter::Candidates(std::string_view text, std::vector<int>* scratch,
                                                  std::vector<KeywordHit>* keywords,
                                                  bool* aligned) const {
  // Room for what most texts hold, so that the vectors do not grow step by step.
  std::vector<int> found;
  found.reserve(16);
  if (automaton_.size() > static_cast<size_t>(atoms_)) keywords->reserve(text.size() / 4);
  auto on_match = [&](int32_t id, size_t end) {
    if (id < atoms_) {
      found.push_back(id);
    } else {
      keywords->push_back({id - atoms_, end});
    }
  };
  *aligned = true;
  if (HasNonAscii(text)) {
    automaton_.Scan(SimpleCaseFold(text, aligned), on_match);
  } else {
    automaton_.Scan(text, on_match);  // its folding, up to the case of ASCII letters
  }
  if (!*aligned) keywords->clear();
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  // RE2 sets up its propagation afresh for each call, about 4,000 instructions; nearly half of
  // the texts hold no atom at all, and of the others, four in ten hold one.
  if (found.empty()) return without_atoms_;
  if (found.size() == 1) return by_one_atom_[found.front()];
  filter_.AllPotentials(found, scratch);
  return *scratch;
}

}  // namespace stancetrack

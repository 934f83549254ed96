// End-to-end quality: the built binary ingests a corpus, and its export is scored against the
// gold records with eval (the port of score.py). Thresholds are floors that catch regressions;
// the measured figures are in the README and the issue notes.
// This one runs on the project's own corpus/.
#include "tests/e2e/corpus_score.h"

namespace stancetrack::testing {
namespace {

namespace fs = std::filesystem;

TEST(CorpusTest, ExportMeetsTheGoldOfTheBundledCorpus) {
  fs::path corpus = fs::path(STANCETRACK_SOURCE_DIR) / "corpus";
  std::map<std::string, double> f1 =
      ScoreCorpus(corpus / "articles", corpus / "gold", "bundled-corpus");
  ExpectFloors(f1, {{"countries", 0.95},
                    {"companies", 0.92},
                    {"organizations", 0.78},
                    {"people", 0.92},
                    {"tiers", 0.92},
                    {"stances", 0.78},
                    {"stances_industry", 0.80},
                    {"published", 1.0},
                    {"language", 1.0},
                    {"duplicate_of", 0.95}});
}

}  // namespace
}  // namespace stancetrack::testing

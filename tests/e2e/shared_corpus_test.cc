// End-to-end quality on ../shared/corpus-dev: real articles that are not the project's, with
// gold records written by careful readers. Labelled "shared"; skips when the folder is absent.
#include "tests/e2e/corpus_score.h"

namespace stancetrack::testing {
namespace {

namespace fs = std::filesystem;

TEST(SharedCorpusDevTest, ExportMeetsTheGoldOfTheDevelopmentCorpus) {
  fs::path dev = fs::path(STANCETRACK_SOURCE_DIR) / ".." / "shared" / "corpus-dev";
  if (!fs::is_directory(dev / "articles")) {
    GTEST_SKIP() << "../shared/corpus-dev is absent: nothing to measure against";
  }
  std::map<std::string, double> f1 = ScoreCorpus(dev / "articles", dev / "gold", "corpus-dev");
  ExpectFloors(f1, {{"countries", 0.93},
                    {"companies", 0.92},
                    {"organizations", 0.88},
                    {"people", 0.90},
                    {"tiers", 0.90},
                    {"stances", 0.74},
                    {"stances_industry", 0.80},
                    {"published", 1.0},
                    {"language", 0.97},
                    {"duplicate_of", 0.6}});
}

}  // namespace
}  // namespace stancetrack::testing

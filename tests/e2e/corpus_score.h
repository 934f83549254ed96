// Scores a corpus end to end: the built binary ingests it, exports, and eval (the port of
// score.py) compares the records with the gold. For the corpus tests.
#ifndef STANCETRACK_TESTS_E2E_CORPUS_SCORE_H_
#define STANCETRACK_TESTS_E2E_CORPUS_SCORE_H_

#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "pipeline/eval.h"
#include "tests/e2e/run_binary.h"

namespace stancetrack::testing {

namespace fs = std::filesystem;

// Ingests `articles`, exports, and scores against `gold`; F1 by field.
inline std::map<std::string, double> ScoreCorpus(const fs::path& articles, const fs::path& gold,
                                                 const std::string& name) {
  ScratchDir scratch(name);
  Outcome ingest = RunStancetrack(scratch.path(), "ingest '" + articles.string() + "' --db c.db");
  EXPECT_EQ(ingest.exit_status, 0) << ingest.out << ingest.err;
  Outcome exported = RunStancetrack(scratch.path(), "export --db c.db");
  EXPECT_EQ(exported.exit_status, 0) << exported.err;
  StatusOr<EvalReport> report = Evaluate(gold.string(), exported.out);
  EXPECT_TRUE(report.ok()) << report.status().message();
  if (!report.ok()) return {};
  EXPECT_EQ(report->without_record, 0u) << "every gold document must have a record";
  std::cout << FormatReport(*report);
  std::map<std::string, double> f1;
  for (const FieldScore& field : report->fields) f1[field.field] = field.f1;
  return f1;
}

inline void ExpectFloors(const std::map<std::string, double>& f1,
                         const std::map<std::string, double>& floors) {
  for (const auto& [field, floor] : floors) {
    ASSERT_TRUE(f1.count(field)) << field;
    EXPECT_GE(f1.at(field), floor) << field;
  }
}

}  // namespace stancetrack::testing

#endif  // STANCETRACK_TESTS_E2E_CORPUS_SCORE_H_

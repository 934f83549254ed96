// The shipped lexicons and boilerplate rules (DefaultLexiconDir()) for tests that run the
// whole pipeline: loaded once per test binary, on first use, and kept for its lifetime.
// A table that does not load fails the test that asked, with the loader's message.
#ifndef STANCETRACK_TESTS_PIPELINE_SHIPPED_RESOURCES_H_
#define STANCETRACK_TESTS_PIPELINE_SHIPPED_RESOURCES_H_

#include <gtest/gtest.h>

#include <optional>

#include "extractors/tsv.h"
#include "pipeline/run_pipeline.h"

namespace stancetrack::testing {

// Null (and a test failure) when the shipped tables do not load.
inline const Resources* ShippedResources() {
  struct Loaded {
    std::optional<Lexicons> lexicons;
    std::optional<BoilerplateRules> boilerplate;
    std::optional<Resources> resources;
  };
  static const Loaded* const loaded = [] {
    auto* l = new Loaded;
    StatusOr<Lexicons> lexicons = Lexicons::Load({DefaultLexiconDir()});
    StatusOr<BoilerplateRules> boilerplate = BoilerplateRules::Load({DefaultLexiconDir()});
    if (lexicons.ok() && boilerplate.ok()) {
      l->lexicons.emplace(std::move(lexicons).value());
      l->boilerplate.emplace(std::move(boilerplate).value());
      l->resources.emplace(Resources{*l->lexicons, *l->boilerplate});
    } else {
      ADD_FAILURE() << (lexicons.ok() ? boilerplate.status() : lexicons.status()).message();
    }
    return l;
  }();
  if (!loaded->resources) ADD_FAILURE() << "the shipped lexicons did not load";
  return loaded->resources ? &*loaded->resources : nullptr;
}

}  // namespace stancetrack::testing

#endif  // STANCETRACK_TESTS_PIPELINE_SHIPPED_RESOURCES_H_

// Quotes and speakers (quotes.h: FindQuotes) after the entity and discovery passes, in an article
// run through the pipeline up to language id. Checks: each quote inside one content paragraph
// (the paragraph of the sentence where its words begin) on character boundaries, without
// surrounding spaces; quotes in text order; a speaker organization only with a speaker.
#include <algorithm>

#include "extractors/discovery.h"
#include "extractors/entities.h"
#include "extractors/quotes.h"
#include "tests/fuzz/fuzz_support.h"

namespace stancetrack::fuzz {
namespace {

std::vector<Mention> AllMentions(const Document& doc, const Lexicons& lexicons) {
  std::vector<Mention> mentions = FindEntities(doc, lexicons.entities);
  std::vector<Mention> more =
      DiscoverEntities(doc, lexicons.discovery, lexicons.entities, mentions);
  mentions.insert(mentions.end(), more.begin(), more.end());
  std::stable_sort(mentions.begin(), mentions.end(), [](const Mention& a, const Mention& b) {
    return a.span.begin != b.span.begin ? a.span.begin < b.span.begin : a.span.end > b.span.end;
  });
  return mentions;
}

}  // namespace
}  // namespace stancetrack::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kIdentified, &doc)) return 0;
  const Lexicons& lexicons = fuzz::FuzzLexicons();
  std::vector<Mention> mentions = fuzz::AllMentions(doc, lexicons);
  uint32_t previous = 0;
  for (const Quote& q : FindQuotes(doc, lexicons.quotes, lexicons.entities, mentions)) {
    fuzz::CheckSpanIn(q.span, doc.text, "quote span");
    FUZZ_CHECK(q.sentence < doc.sentences.size(), "quote's sentence exists");
    uint32_t paragraph = doc.sentences[q.sentence].paragraph;
    FUZZ_CHECK(doc.paragraphs[paragraph].span.Contains(q.span), "quote inside its paragraph");
    FUZZ_CHECK(doc.IsContent(paragraph), "quote in a content paragraph");
    std::string_view words = q.span.Of(doc.text);
    FUZZ_CHECK(words.empty() || (words.front() != ' ' && words.back() != ' '), words);
    FUZZ_CHECK(q.span.begin >= previous, "quotes in text order");
    FUZZ_CHECK(q.speaker_org.empty() || !q.speaker.empty(), "an organization needs a speaker");
    previous = q.span.begin;
  }
  return 0;
}

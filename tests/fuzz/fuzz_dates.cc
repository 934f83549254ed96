// Dates (dates.h: FindDates: absolute, partial and relative dates, datelines) in an article run
// through the pipeline up to language id; front matter can give the publication date relative
// dates resolve against. Checks: each date starts in its sentence and lies inside its content
// paragraph on character boundaries, shaped YYYY[-MM[-DD]] with a real month (1-12) and day
// (1-31); the published date YYYY-MM-DD or empty.
#include "extractors/dates.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stancetrack;
  Document doc;
  if (!fuzz::PrepareDocument(fuzz::AsView(data, size), fuzz::Stages::kIdentified, &doc)) return 0;
  DateFindings found = FindDates(doc, fuzz::FuzzLexicons().dates);
  fuzz::CheckDate(found.published, false, true, "published");
  for (const DateMention& d : found.dates) {
    // Dates are matched per paragraph: one starts in its sentence and may run past a cut the
    // segmenter made (a sentence longer than kMaxSentenceBytes), never past its paragraph.
    fuzz::CheckSpanIn(d.span, doc.text, d.date);
    FUZZ_CHECK(d.sentence < doc.sentences.size(), d.date);
    const Sentence& sentence = doc.sentences[d.sentence];
    FUZZ_CHECK(sentence.span.begin <= d.span.begin && d.span.begin < sentence.span.end, d.date);
    FUZZ_CHECK(doc.paragraphs[sentence.paragraph].span.Contains(d.span), d.date);
    FUZZ_CHECK(doc.IsContent(sentence.paragraph), d.date);
    fuzz::CheckDate(d.date, true, false, d.date);
  }
  return 0;
}

// Boilerplate marking: which paragraphs of a page are not the article (menus, share and
// newsletter prompts, paywall and cookie notices, ads, disclaimers, photo credits, embedded
// posts, author bios, bylines, related-post lists, comment boxes, copyright lines), so that
// names found only there are not counted as mentions (DESIGN.md).
//
// Input: a segmented Document (Normalize, Segment, then DetectParagraphLanguages), before
// IdentifyLanguages, so that the document's language is computed from its content only. Output:
// every paragraph judged boilerplate gets kind BlockKind::kBoilerplate and a reason ("menu",
// "share-prompt", "disclaimer", "embedded-post", "photo-credit", "author-bio", "byline",
// "related-links", "newsletter", "cookie-notice", "advertisement", "copyright", "comments",
// "paywall", "masthead", or any reason a user's table row names); other paragraphs are left as they
// are. When the metadata names no author, doc->meta.author is set from the first byline that names
// one ("By Jane Doe", "[매체=홍길동 기자]"). Precision matters more than recall: a marked
// paragraph is lost to every extractor, so each signal below errs on the side of keeping text.
//
// Signals, combined in this order (boilerplate.cc explains each):
//   1. Cue rows of boilerplate.tsv: a pattern at the start of a paragraph, making up the whole
//      of it, at its end, or anywhere in it. Rows apply to paragraphs of every language (a
//      Chinese disclaimer closes English articles), and each row says whether it is enough on
//      its own ("always") or only where boilerplate lives ("edge": the head or tail of the
//      document, or a paragraph in another language than the document).
//   2. Link-list shape: a paragraph of several short capitalized items separated by | • › » >
//      ("Home | Markets | Tech") is a menu before the article and a related-links list after.
//   3. Openers: a cue row may open a list (the short items after "Related:" or 相关阅读) or the
//      rest of the document (a comment box or an "About the company" section in its second
//      half).
//   4. Runs: very short non-sentence paragraphs next to boilerplate join it ("Senior Editor"
//      next to a share bar); outside the article's core the limit is looser.
//   5. Quote blocks: consecutive "> " paragraphs are one embedded block.
// Never marked: the title paragraph, a paragraph that holds a quotation mark and a reporting
// verb of reporting_verbs.tsv (a quote with a speaker is article text whatever its words), and
// a paragraph that a row of reason "keep" matches (how a user protects text or disables a
// shipped row: a row with the same key replaces it, see tsv.h).
//
// Ownership: BoilerplateRules is immutable after Load (every RE2 is compiled there) and shared
// read-only by all worker threads; MarkBoilerplate is safe from many threads on different
// documents. Errors: Load reports "path:line: reason" for a malformed row, an unknown column
// value or an invalid pattern, and the errors of reading either table.
#ifndef STANCETRACK_PIPELINE_BOILERPLATE_H_
#define STANCETRACK_PIPELINE_BOILERPLATE_H_

#include <memory>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace stancetrack {

class BoilerplateRules {
 public:
  // Reads boilerplate.tsv and reporting_verbs.tsv from `dirs`, layered as tsv.h describes (the
  // first directory is normally DefaultLexiconDir()).
  static StatusOr<BoilerplateRules> Load(const std::vector<std::string>& dirs);

  BoilerplateRules(BoilerplateRules&&) noexcept;
  BoilerplateRules& operator=(BoilerplateRules&&) noexcept;
  ~BoilerplateRules();

  // Number of cue rows after layering.
  size_t size() const;

 private:
  struct Impl;
  explicit BoilerplateRules(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;

  friend void MarkBoilerplate(Document* doc, const BoilerplateRules& rules);
};

// Marks the boilerplate paragraphs of `doc` as described above and fills doc->meta.author from
// a byline when it is empty. Paragraphs already marked stay marked.
void MarkBoilerplate(Document* doc, const BoilerplateRules& rules);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_BOILERPLATE_H_

// Document: one article as it flows through the pipeline.
//
//   reader      fills id, meta, encoding, original, warnings
//   normalize   fills text, folded and the two offset maps
//   segment     fills paragraphs and sentences
//   language id fills each paragraph's language, boilerplate marks paragraph kinds, then
//               language id fills the document's language (and the paragraphs CLD2 left empty)
//
// Offsets are byte offsets. Every annotation points into `text` (the NFC form that is stored);
// `folded` is the same text with typography folded for matching (see normalize.h), and
// folded_to_text maps a folded offset back into `text`; text_to_original maps a `text` offset
// back into `original`, the decoded file as read.
//
// Ownership: a Document owns all its strings; annotations refer to it by offsets only, so it
// may be moved freely. Thread-safety: a value; one thread at a time mutates it.
#ifndef STANCETRACK_PIPELINE_DOCUMENT_H_
#define STANCETRACK_PIPELINE_DOCUMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stancetrack {

// A half-open byte range [begin, end).
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  bool Contains(const Span& other) const { return begin <= other.begin && other.end <= end; }
  std::string_view Of(std::string_view s) const { return s.substr(begin, end - begin); }
  friend bool operator==(const Span&, const Span&) = default;
};

// Maps offsets of a derived string back to the string it was derived from. Stored as the
// points where the two strings stop advancing together; between two anchors an offset moves by
// the same amount in both. Identity when no anchor was added.
//
// Where the derivation dropped characters (folding drops zero-width ones), one derived offset
// stands for a run of source: a span that starts there starts after the run, and a span that
// ends there ends before it, so that a word followed by U+200B does not take the U+200B, nor
// run past a paragraph that segmentation ended before it.
class OffsetMap {
 public:
  // Records that derived offset `to` corresponds to source offset `from`. Calls must come in
  // increasing order of `to`. A second call with the same `to` records that the source between
  // the two `from`s was dropped.
  void Add(uint32_t to, uint32_t from);
  // Records that source [from, from_end) was dropped at derived offset `to`.
  void AddDropped(uint32_t to, uint32_t from, uint32_t from_end);

  // The source offset of derived offset `to`, as a span's beginning: after what was dropped.
  uint32_t Map(uint32_t to) const;
  // The same as a span's end: before what was dropped.
  uint32_t MapEnd(uint32_t to) const;
  Span Map(Span span) const;

  bool identity() const { return anchors_.empty(); }

 private:
  struct Anchor {
    uint32_t to;
    uint32_t from;
    uint32_t end_from;  // what an end at `to` maps to: `from`, or the start of a dropped run
  };
  // The last anchor at or before `to`, or null before the first, where the strings agree.
  const Anchor* AnchorAtOrBefore(uint32_t to) const;

  std::vector<Anchor> anchors_;
};

// Metadata from front matter, HTML meta tags or JSON fields. Empty string = not given.
struct Metadata {
  std::string title;
  std::string url;
  std::string published;  // YYYY-MM-DD, validated by the reader
  std::string source;
  std::string language;  // as declared (ISO 639-1); the detected one is Document::language
  std::string author;
};

// Why a paragraph is not article text. Extractors skip every kind but kBody and kTitle.
enum class BlockKind : uint8_t {
  kBody = 0,
  kTitle,        // the headline, kept as the document's first paragraph
  kBoilerplate,  // menus, prompts, disclaimers, credits, embedded posts: see Paragraph::reason
};

struct Paragraph {
  Span span;
  BlockKind kind = BlockKind::kBody;
  std::string reason;    // for boilerplate: "disclaimer", "embedded-post", "share-prompt", ...
  std::string language;  // ISO 639-1 of this paragraph, empty if unknown
};

struct Sentence {
  Span span;               // in Document::text
  Span folded;             // the same sentence in Document::folded
  uint32_t paragraph = 0;  // index into Document::paragraphs
};

struct Document {
  std::string id;           // path relative to the ingest root; "file.jsonl#LINE" for JSONL
  std::string source_path;  // the file it came from, as given to ingest
  Metadata meta;
  std::string encoding;  // charset the bytes were decoded from, e.g. "UTF-8", "windows-1252"
  // The decoded article, UTF-8 with invalid sequences as U+FFFD: the title (when there is one)
  // as the first paragraph, a blank line, then the body as read.
  std::string original;
  std::string text;    // NFC of original
  std::string folded;  // matching form of text (normalize.h)
  OffsetMap text_to_original;
  OffsetMap folded_to_text;
  std::vector<Paragraph> paragraphs;
  std::vector<Sentence> sentences;
  std::string language;  // detected ISO 639-1 code of the whole document
  // Problems that did not stop processing ("invalid UTF-8 at byte 4012, replaced"): reported
  // and stored with the document.
  std::vector<std::string> warnings;

  // Whether extractors should read this paragraph.
  bool IsContent(uint32_t paragraph) const {
    return paragraphs[paragraph].kind != BlockKind::kBoilerplate;
  }
};

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_DOCUMENT_H_

// Builders of StoredDocument values for tests that write to a Store: a document from blocks of
// sentences, segmented exactly as written, and annotations placed by the words they cover.
#ifndef STANCETRACK_TESTS_PIPELINE_STORED_DOCUMENT_BUILDER_H_
#define STANCETRACK_TESTS_PIPELINE_STORED_DOCUMENT_BUILDER_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/store.h"

namespace stancetrack::testing {

struct Block {
  BlockKind kind;
  std::vector<std::string> sentences;
  std::string reason;  // for boilerplate
};

// A document whose paragraphs are `blocks` (sentences joined by a space, paragraphs by a blank
// line), segmented exactly as written; a kTitle block also becomes the title.
inline StoredDocument MakeStoredDocument(const std::string& path,
                                         const std::vector<Block>& blocks) {
  StoredDocument stored;
  Document& doc = stored.doc;
  doc.id = path;
  doc.source_path = "articles/" + path;
  doc.encoding = "UTF-8";
  doc.language = "en";
  for (const Block& block : blocks) {
    if (!doc.paragraphs.empty()) doc.text += "\n\n";
    Paragraph paragraph{
        {static_cast<uint32_t>(doc.text.size()), 0}, block.kind, block.reason, "en"};
    for (const std::string& sentence : block.sentences) {
      if (doc.text.size() > paragraph.span.begin) doc.text += " ";
      const auto begin = static_cast<uint32_t>(doc.text.size());
      doc.text += sentence;
      const Span span{begin, static_cast<uint32_t>(doc.text.size())};
      doc.sentences.push_back({span, span, static_cast<uint32_t>(doc.paragraphs.size())});
    }
    paragraph.span.end = static_cast<uint32_t>(doc.text.size());
    if (block.kind == BlockKind::kTitle) doc.meta.title = doc.text.substr(paragraph.span.begin);
    doc.paragraphs.push_back(paragraph);
  }
  doc.original = doc.text;
  stored.content_hash = "hash:" + path;
  return stored;
}

// The `nth` occurrence (from 0) of `words` in the text.
inline Span SpanOf(const Document& doc, std::string_view words, int nth = 0) {
  size_t at = doc.text.find(words);
  for (; nth > 0 && at != std::string::npos; --nth) at = doc.text.find(words, at + 1);
  EXPECT_NE(at, std::string::npos) << words;
  return {static_cast<uint32_t>(at), static_cast<uint32_t>(at + words.size())};
}

inline uint32_t SentenceOf(const Document& doc, Span span) {
  for (uint32_t i = 0; i < doc.sentences.size(); ++i) {
    if (doc.sentences[i].span.Contains(span)) return i;
  }
  ADD_FAILURE() << "no sentence holds [" << span.begin << ", " << span.end << ")";
  return 0;
}

inline void AddMention(StoredDocument& stored, EntityType type, const std::string& canonical,
                       std::string_view words, int nth = 0, bool discovered = false,
                       float confidence = 1.0f) {
  const Span span = SpanOf(stored.doc, words, nth);
  stored.annotations.mentions.push_back(
      {type, canonical, span, SentenceOf(stored.doc, span), discovered, confidence});
}

inline void AddQuote(StoredDocument& stored, std::string_view words, const std::string& speaker,
                     const std::string& org) {
  const Span span = SpanOf(stored.doc, words);
  stored.annotations.quotes.push_back({span, SentenceOf(stored.doc, span), speaker, org});
}

inline void AddTier(StoredDocument& stored, const std::string& country, int tier, int reference,
                    std::string_view words) {
  const Span span = SpanOf(stored.doc, words);
  stored.annotations.tiers.push_back(
      {country, tier, reference, SentenceOf(stored.doc, span), span});
}

inline void AddStance(StoredDocument& stored, const std::string& actor, const std::string& speaker,
                      const std::string& policy, Polarity polarity, std::string_view evidence,
                      const std::string& date = "", const std::string& country = "") {
  const uint32_t sentence = SentenceOf(stored.doc, SpanOf(stored.doc, evidence));
  stored.annotations.stances.push_back(
      {actor, speaker, policy, polarity, 0.75f, sentence, date, country});
}

}  // namespace stancetrack::testing

#endif  // STANCETRACK_TESTS_PIPELINE_STORED_DOCUMENT_BUILDER_H_

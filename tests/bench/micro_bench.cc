// Micro-benchmarks of the per-document stages (Google Benchmark), for issue 6.
//
// Each benchmark runs one stage over one article, in English (/en) and in Chinese (/zh), with
// the shipped lexicons (DefaultLexiconDir()), and reports bytes/s of the article's text:
//   Normalize        original -> text, folded and the offset maps
//   Segment          paragraphs and sentences of the normalized text
//   FindEntities     the Aho-Corasick entity matcher over the content sentences
//   DiscoverEntities, FindDates, FindQuotes, FindTiers, FindStances: each extractor given what
//                    Annotate hands it (the annotations of the extractors before it)
//   Annotate         every extractor in order (extract.h)
//   ProcessDocument  every stage after reading (run_pipeline.h): one ingest worker's work
// The counter `found` is the number of findings, so that a faster run that finds less shows.
// The articles below were written for this benchmark: news-style text about chip export rules
// dense in names, quotes, dates and positions, so every extractor has work to do.
//
// Built only by the `bench` target; `micro_bench --benchmark_filter=Stances` runs a subset.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "extractors/extract.h"
#include "extractors/tsv.h"
#include "pipeline/boilerplate.h"
#include "pipeline/document.h"
#include "pipeline/language.h"
#include "pipeline/normalize.h"
#include "pipeline/run_pipeline.h"
#include "pipeline/segment.h"

namespace stancetrack {
namespace {

struct Article {
  const char* title;
  const char* published;
  const char* language;
  const char* body;
};

constexpr Article kEnglish = {
    "Chipmakers press Commerce to soften new export caps before deadline",
    "2025-03-18",
    "en",
    "WASHINGTON, March 18 (Wire) - Nvidia and AMD stepped up their campaign on Tuesday against "
    "the AI Diffusion Rule, the export framework the Biden administration issued in January, "
    "arguing that its caps on advanced processors would push buyers in India, Poland and Saudi "
    "Arabia toward Chinese suppliers.\n\n"
    "\"This rule would hand the market to our competitors and do nothing for national "
    "security,\" Nvidia's vice president of government affairs said in a statement. The company "
    "urged the Commerce Department to delay the compliance date of May 15 and to rethink the "
    "limits placed on tier two countries.\n\n"
    "The Semiconductor Industry Association, which represents most large US chip designers, "
    "said on March 12 that the framework was drafted without enough consultation. Its chief "
    "executive, Carol Whitfield, told reporters that the group opposed the quantitative caps but "
    "supported tighter screening of data centres in countries such as Malaysia.\n\n"
    "Officials at the Bureau of Industry and Security defended the measure. A Commerce "
    "Department spokeswoman, Irene Castillo, said the department would enforce the controls on "
    "China and would not let advanced chips reach arms-embargoed countries through third "
    "markets. Senator Mark Delaney welcomed the rule and criticised the industry's lobbying, "
    "saying the caps should be tightened rather than loosened.\n\n"
    "Microsoft, which builds data centres in the United Arab Emirates and Singapore, took a "
    "middle course. Ellen Park, the company's president, said last week that the rule "
    "protected American technology but that its tier system would frustrate allies such as "
    "Israel and Switzerland. Analysts at a Washington think tank said the administration was "
    "unlikely to rescind the framework before the deadline.\n\n"
    "In Beijing, the Ministry of Commerce condemned the US controls as an abuse of export "
    "measures and said China would take necessary steps to protect its companies. Huawei "
    "declined to comment on Tuesday.",
};

constexpr Article kChinese = {
    "美国芯片出口新规引发业界反对 多家企业呼吁推迟实施",
    "2025-03-18",
    "zh",
    "新华社华盛顿3月18日电 美国商务部今年1月发布的人工智能扩散规则继续引发争议。英伟达和AMD"
    "周二表示，该规则对印度、波兰等国设置的芯片数量上限将损害美国企业的竞争力。\n\n"
    "英伟达在声明中说：“这项规则不会增强国家安全，只会把市场让给竞争对手。”该公司呼吁商务部"
    "推迟5月15日的合规期限，并重新考虑对第二梯队国家的限制。\n\n"
    "美国半导体行业协会3月12日表示，规则在起草过程中缺乏充分沟通。协会反对数量上限，但支持加强"
    "对数据中心的审查。\n\n"
    "中国商务部发言人表示，中方坚决反对美方滥用出口管制措施，将采取必要措施维护中国企业的正当"
    "权益。分析人士认为，美国政府在期限前撤销该规则的可能性不大。\n\n"
    "与此同时，微软总裁上周表示，这一规则保护了美国技术，但三级体系会令以色列和"
    "瑞士等盟友感到不满。华为周二拒绝置评。",
};

// Everything the benchmarks read besides the article, loaded once.
struct Tables {
  Lexicons lexicons;
  BoilerplateRules boilerplate;
};

const Tables& Loaded() {
  static const Tables* tables = [] {
    StatusOr<Lexicons> lexicons = Lexicons::Load({DefaultLexiconDir()});
    StatusOr<BoilerplateRules> boilerplate = BoilerplateRules::Load({DefaultLexiconDir()});
    if (!lexicons.ok() || !boilerplate.ok()) {
      std::fprintf(stderr, "micro_bench: %s\n",
                   (lexicons.ok() ? boilerplate.status() : lexicons.status()).message().c_str());
      std::exit(1);
    }
    return new Tables{std::move(*lexicons), std::move(*boilerplate)};
  }();
  return *tables;
}

// The article as a reader hands it on: title as the first paragraph, then the body.
Document Read(const Article& article) {
  Document doc;
  doc.id = std::string("bench-") + article.language + ".txt";
  doc.meta.title = article.title;
  doc.meta.published = article.published;
  doc.meta.language = article.language;
  doc.encoding = "UTF-8";
  doc.original = std::string(article.title) + "\n\n" + article.body;
  return doc;
}

// The article after every stage that comes before the extractors (ProcessDocument's order).
Document Prepared(const Article& article) {
  Document doc = Read(article);
  Normalize(&doc);
  Segment(&doc);
  DetectParagraphLanguages(&doc);
  MarkBoilerplate(&doc, Loaded().boilerplate);
  IdentifyLanguages(&doc);
  return doc;
}

// An article ready for the extractors, and the inputs Annotate hands each of them.
struct Input {
  Document doc;
  std::vector<Mention> lexicon_mentions;  // FindEntities alone: what discovery is given
  Annotations so_far;                     // Annotate's result without its stances
};

Input Extractable(const Article& article) {
  Input input{Prepared(article), {}, {}};
  input.lexicon_mentions = FindEntities(input.doc, Loaded().lexicons.entities);
  input.so_far = Annotate(input.doc, Loaded().lexicons);
  input.so_far.stances.clear();
  return input;
}

using Extractor = size_t (*)(const Input&, const Lexicons&);

struct NamedExtractor {
  const char* name;
  Extractor run;
};

const NamedExtractor kExtractors[] = {
    {"FindEntities",
     [](const Input& in, const Lexicons& l) { return FindEntities(in.doc, l.entities).size(); }},
    {"DiscoverEntities",
     [](const Input& in, const Lexicons& l) {
       return DiscoverEntities(in.doc, l.discovery, l.entities, in.lexicon_mentions).size();
     }},
    {"FindDates",
     [](const Input& in, const Lexicons& l) { return FindDates(in.doc, l.dates).dates.size(); }},
    {"FindQuotes",
     [](const Input& in, const Lexicons& l) {
       return FindQuotes(in.doc, l.quotes, l.entities, in.so_far.mentions).size();
     }},
    {"FindTiers",
     [](const Input& in, const Lexicons& l) {
       return FindTiers(in.doc, l.tiers, l.entities, in.so_far.mentions).size();
     }},
    {"FindStances",
     [](const Input& in, const Lexicons& l) {
       return FindStances(in.doc, l.stances, l.entities, in.so_far).size();
     }},
    {"Annotate",
     [](const Input& in, const Lexicons& l) {
       Annotations a = Annotate(in.doc, l);
       return a.mentions.size() + a.dates.size() + a.quotes.size() + a.tiers.size() +
              a.stances.size();
     }},
};

void Finish(benchmark::State& state, const Document& doc, size_t found) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.original.size()));
  state.counters["found"] = static_cast<double>(found);
}

// Normalize and Segment replace their previous output, so one Document serves every iteration.
void BM_Normalize(benchmark::State& state, const Article* article) {
  Document doc = Read(*article);
  for (auto _ : state) {
    Normalize(&doc);
    benchmark::DoNotOptimize(doc.folded.data());
  }
  Finish(state, doc, doc.folded.size());
}

void BM_Segment(benchmark::State& state, const Article* article) {
  Document doc = Read(*article);
  Normalize(&doc);
  for (auto _ : state) {
    Segment(&doc);
    benchmark::DoNotOptimize(doc.sentences.data());
  }
  Finish(state, doc, doc.sentences.size());
}

void BM_Extractor(benchmark::State& state, Extractor extract, const Article* article) {
  const Input input = Extractable(*article);
  size_t found = 0;
  for (auto _ : state) {
    found = extract(input, Loaded().lexicons);
    benchmark::DoNotOptimize(found);
  }
  Finish(state, input.doc, found);
}

void BM_ProcessDocument(benchmark::State& state, const Article* article) {
  const Document read = Read(*article);
  const Resources resources{Loaded().lexicons, Loaded().boilerplate};
  size_t found = 0;
  for (auto _ : state) {
    StoredDocument stored = ProcessDocument(read, "hash", resources);
    found = stored.annotations.mentions.size();
    benchmark::DoNotOptimize(stored.annotations.mentions.data());
  }
  Finish(state, read, found);
}

// Every stage on every article, named "Stage/language", in pipeline order.
void RegisterAll() {
  for (const Article* article : {&kEnglish, &kChinese}) {
    auto name = [article](const char* stage) {
      return std::string(stage) + "/" + article->language;
    };
    benchmark::RegisterBenchmark(name("Normalize").c_str(), BM_Normalize, article);
    benchmark::RegisterBenchmark(name("Segment").c_str(), BM_Segment, article);
    for (const NamedExtractor& extractor : kExtractors) {
      benchmark::RegisterBenchmark(name(extractor.name).c_str(), BM_Extractor, extractor.run,
                                   article);
    }
    benchmark::RegisterBenchmark(name("ProcessDocument").c_str(), BM_ProcessDocument, article);
  }
}

}  // namespace
}  // namespace stancetrack

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  stancetrack::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

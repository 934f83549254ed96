#include "extractors/entities.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "extractors/tsv.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using testing::MakeDocument;
using testing::WriteTextFile;

namespace fs = std::filesystem;

// One line per mention: "type:canonical@begin-end", with "~confidence" when it is not 1.
std::string Dump(const std::vector<Mention>& mentions) {
  std::string out;
  for (const Mention& m : mentions) {
    if (!out.empty()) out += ' ';
    out += std::string(EntityTypeName(m.type)) + ":" + m.canonical + "@" +
           std::to_string(m.span.begin) + "-" + std::to_string(m.span.end);
    if (m.confidence != 1.0f) out += "~" + std::to_string(m.confidence).substr(0, 3);
  }
  return out;
}

// The shipped lexicons, loaded once for all tests of the suite.
class ShippedLexiconTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = EntityLexicon::Load({DefaultLexiconDir()});
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    lexicon_ = new EntityLexicon(std::move(*loaded));
  }
  static void TearDownTestSuite() {
    delete lexicon_;
    lexicon_ = nullptr;
  }
  static std::string Find(const std::string& text) {
    Document doc = MakeDocument(text);
    return Dump(FindEntities(doc, *lexicon_));
  }
  static EntityLexicon* lexicon_;
};
EntityLexicon* ShippedLexiconTest::lexicon_ = nullptr;

TEST_F(ShippedLexiconTest, FindsMentionsByTheMatchingRules) {
  struct Case {
    const char* text;
    const char* mentions;
  };
  const Case cases[] = {
      // Names, aliases, tickers, possessives.
      {"Nvidia said on Monday.", "company:Nvidia@0-6"},
      {"Microsoft's president spoke.", "company:Microsoft@0-9"},
      {"Nvidia\xE2\x80\x99s chips sold.", "company:Nvidia@0-6"},
      {"Shares of NVDA rose.", "company:Nvidia@10-14"},
      {"Advanced Micro Devices and Intel Corp. agreed.", "company:AMD@0-22 company:Intel@27-38"},
      // Chinese (simplified, traditional, Taiwan usage), Japanese and Korean names.
      {"英伟达和英偉達以及輝達", "company:Nvidia@0-9 company:Nvidia@12-21 company:Nvidia@27-33"},
      {"黄仁勋说，中方表示反对。", "person:Jensen Huang@0-9 country:CN@15-21"},
      {"エヌビディアが発表した。", "company:Nvidia@0-18"},
      {"엔비디아는 미국에서", "company:Nvidia@0-12 country:US@16-22"},
      // Case: capitals of the alias must be capitals in the text.
      {"Let us know what the US wants.", "country:US@21-23"},
      {"AMD and amd.", "company:AMD@0-3"},
      {"Intel gathered intel from INTEL.", "company:Intel@0-5 company:Intel@26-31"},
      {"The U.S. and U.S officials met.", "country:US@4-8 country:US@13-16"},
      {"US-made chips", "country:US@0-2"},
      // Demonyms.
      {"American and Chinese firms met Dutch officials.",
       "country:US@0-8 country:CN@13-20 country:NL@31-36"},
      // Word boundaries: not inside words, but next to CJK.
      {"Armenia is not Arm.", "country:AM@0-7 company:Arm@15-18"},
      {"H20芯片", "policy:h20-china-sales@0-3~0.5"},
      {"The H200 is not the H20.",
       "policy:h200-china-sales@4-8~0.5 policy:h20-china-sales@20-23~0.5"},
      {"タイ政府", "country:TH@0-6"},
      // Longest match wins; countries inside organization and policy names are kept too.
      {"Taiwan Semiconductor Manufacturing Company expanded in Taiwan.",
       "company:TSMC@0-42 country:TW@55-61"},
      {"The Cyberspace Administration of China spoke.",
       "organization:Cyberspace Administration of China@4-38 country:CN@33-38"},
      {"China's export controls and export controls.",
       "policy:china-countermeasures@0-23 country:CN@0-5 "
       "policy:us-chip-export-controls@28-43~0.5"},
      {"The Commerce Department's Bureau of Industry and Security acted.",
       "organization:Department of Commerce@4-23 "
       "organization:Bureau of Industry and Security@26-57"},
      {"美国商务部", "organization:Department of Commerce@0-15 country:US@0-6"},
      // Exclusions silence what they contain, not what merely overlaps them.
      {"Joe Biden administration officials", "person:Joe Biden@0-9"},
      {"He left New Mexico for Mexico.", "country:MX@23-29"},
      // Full-width letters are folded for matching; spans point into the stored text.
      {"\xEF\xBC\xAE\xEF\xBC\xB6\xEF\xBC\xA9\xEF\xBC\xA4\xEF\xBC\xA9\xEF\xBC\xA1 rose",
       "company:Nvidia@0-18"},
  };
  for (const Case& c : cases) EXPECT_EQ(Find(c.text), c.mentions) << "text: " << c.text;
}

TEST_F(ShippedLexiconTest, SurnameCountsOnlyAfterTheFullName) {
  EXPECT_EQ(Find("Jensen Huang spoke. Huang smiled."),
            "person:Jensen Huang@0-12 person:Jensen Huang@20-25");
  EXPECT_EQ(Find("Huang smiled. Then Jensen Huang spoke."), "person:Jensen Huang@19-31");
  EXPECT_EQ(Find("Huang smiled."), "");
}

TEST_F(ShippedLexiconTest, SharedSurnameGoesToTheMostRecentlyNamed) {
  EXPECT_EQ(Find("Lip-Bu Tan met Hock Tan. Tan said no."),
            "person:Lip-Bu Tan@0-10 person:Hock Tan@15-23 person:Hock Tan@25-28");
  EXPECT_EQ(Find("Hock Tan met Lip-Bu Tan. Tan said no."),
            "person:Hock Tan@0-8 person:Lip-Bu Tan@13-23 person:Lip-Bu Tan@25-28");
}

TEST_F(ShippedLexiconTest, GenericPolicyReferencesHaveLowerConfidence) {
  Document doc = MakeDocument("The AI Diffusion Rule tightened export controls.");
  std::vector<Mention> mentions = FindEntities(doc, *lexicon_);
  ASSERT_EQ(mentions.size(), 2u);
  EXPECT_EQ(mentions[0].canonical, "ai-diffusion-rule");
  EXPECT_EQ(mentions[0].confidence, 1.0f);
  EXPECT_EQ(mentions[1].canonical, "us-chip-export-controls");
  EXPECT_EQ(mentions[1].confidence, kGenericPolicyConfidence);
  EXPECT_FALSE(mentions[1].discovered);
}

TEST_F(ShippedLexiconTest, SkipsBoilerplateParagraphs) {
  Document doc = MakeDocument("Nvidia rose.\n\nFollow Reuters on X.\n\nAMD fell.");
  ASSERT_EQ(doc.paragraphs.size(), 3u);
  doc.paragraphs[1].kind = BlockKind::kBoilerplate;
  doc.paragraphs[1].reason = "share-prompt";
  std::vector<Mention> mentions = FindEntities(doc, *lexicon_);
  EXPECT_EQ(Dump(mentions), "company:Nvidia@0-6 company:AMD@36-39");
  EXPECT_EQ(mentions[1].sentence, 2u);
}

// Folding drops zero-width characters: a name before them ends before them, inside its
// paragraph, which segmentation ends before them too.
TEST_F(ShippedLexiconTest, AMentionEndsBeforeTheZeroWidthSpacesAfterIt) {
  Document doc = MakeDocument("The rule was criticised by Nvidia\u200b\u200b\n\nAMD fell.");
  std::vector<Mention> mentions = FindEntities(doc, *lexicon_);
  ASSERT_EQ(mentions.size(), 2u);
  EXPECT_EQ(mentions[0].span.Of(doc.text), "Nvidia");
  EXPECT_TRUE(doc.paragraphs[0].span.Contains(mentions[0].span));
}

TEST_F(ShippedLexiconTest, MentionsNameTheirSentence) {
  Document doc = MakeDocument("Nvidia rose. AMD fell.");
  std::vector<Mention> mentions = FindEntities(doc, *lexicon_);
  ASSERT_EQ(mentions.size(), 2u);
  EXPECT_EQ(mentions[0].sentence, 0u);
  EXPECT_EQ(mentions[1].sentence, 1u);
  EXPECT_EQ(mentions[1].span.Of(doc.text), "AMD");
}

TEST_F(ShippedLexiconTest, FalsePositiveGuards) {
  struct Case {
    const char* text;
    EntityType type;  // no mention of this type may be found
  };
  const Case cases[] = {
      {"Let us go now.", EntityType::kCountry},
      {"She gathered intel on the apple harvest.", EntityType::kCompany},
      {"Armenia and Armenians met.", EntityType::kCompany},
      {"Arms control talks resumed.", EntityType::kCompany},
      {"He flew from Atlanta, Georgia to New Mexico.", EntityType::kCountry},
      {"He toured Georgia Tech.", EntityType::kCountry},
      {"The Biden administration acted.", EntityType::kPerson},
      {"The Trump administration's officials met.", EntityType::kPerson},
      {"He said the rules would change.", EntityType::kPerson},
      {"The e-commerce market grew.", EntityType::kOrganization},
      {"Commerce Minister Wang Wentao spoke.", EntityType::kOrganization},
      {"See 15 CFR 740 for details.", EntityType::kOrganization},
      {"The Amazon rainforest burned.", EntityType::kCompany},
      {"A spokesman for the Information Commissioner's Office spoke.", EntityType::kCompany},
      {"The micron-scale features shrank.", EntityType::kCompany},
      {"其中共有五人。", EntityType::kOrganization},
      {"这是一个完美方案。", EntityType::kCountry},
      {"タイトルを変更した。", EntityType::kCountry},
      {"정책이란 무엇인가", EntityType::kCountry},
      {"He visited Xi'an.", EntityType::kPerson},
      {"The Latin American market grew.", EntityType::kCountry},
  };
  for (const Case& c : cases) {
    Document doc = MakeDocument(c.text);
    for (const Mention& m : FindEntities(doc, *lexicon_)) {
      EXPECT_NE(m.type, c.type) << "text: " << c.text << " found " << Dump({m});
    }
  }
}

TEST_F(ShippedLexiconTest, ABodyNamedAfterAnotherCountryIsThatCountrysBody) {
  // "Ministry of Commerce" and 外交部 alone are China's in this domain's press; after another
  // country's name they are that country's, which the lexicon does not know.
  EXPECT_EQ(Find("India's Ministry of Commerce objected."), "country:IN@0-5");
  EXPECT_EQ(Find("俄罗斯外交部发言人表示反对。"), "country:RU@0-9");
  EXPECT_EQ(Find("China's Ministry of Commerce objected."),
            "organization:China Ministry of Commerce@0-28 country:CN@0-5");
  EXPECT_EQ(Find("外交部发言人表示反对。"), "organization:China Ministry of Foreign Affairs@0-9");
  // A body with a name of its own keeps it, and so does a body after its own country.
  EXPECT_EQ(Find("美国商务部表示。"), "organization:Department of Commerce@0-15 country:US@0-6");
  EXPECT_EQ(Find("The U.S. Commerce Department said."),
            "country:US@4-8 organization:Department of Commerce@9-28");
}

TEST_F(ShippedLexiconTest, TablesHaveTheirSizesAndIds) {
  std::map<EntityType, int> count;
  std::set<std::string> policies;
  for (const EntityInfo& e : lexicon_->entities()) {
    ++count[e.type];
    if (e.type == EntityType::kPolicy) policies.insert(e.canonical);
  }
  EXPECT_GE(count[EntityType::kCompany], 120);
  EXPECT_GE(count[EntityType::kOrganization], 60);
  EXPECT_GE(count[EntityType::kPerson], 80);
  EXPECT_EQ(count[EntityType::kCountry], 249);
  EXPECT_EQ(policies, (std::set<std::string>{
                          "ai-diffusion-rule", "us-chip-export-controls", "h20-china-sales",
                          "h200-china-sales", "chip-security-act", "gain-ai-act",
                          "netherlands-export-controls", "china-countermeasures"}));
  EXPECT_EQ(lexicon_->size(), lexicon_->entities().size());
}

TEST_F(ShippedLexiconTest, ReferenceTiersFollowTheRule) {
  const char* tier1[] = {"US", "AU", "BE", "CA", "DK", "FI", "FR", "DE", "IE", "IT",
                         "JP", "NL", "NZ", "NO", "KR", "ES", "SE", "TW", "GB"};
  for (const char* code : tier1) {
    const EntityInfo* e = lexicon_->Find(EntityType::kCountry, code);
    ASSERT_NE(e, nullptr) << code;
    EXPECT_EQ(e->reference_tier, 1) << code;
  }
  for (const char* code : {"CN", "MO", "RU", "IR", "KP", "SY", "CU", "VE", "BY"}) {
    EXPECT_EQ(lexicon_->Find(EntityType::kCountry, code)->reference_tier, 3) << code;
  }
  for (const char* code : {"IN", "IL", "CH", "SG", "PL", "SA", "AE", "MY"}) {
    EXPECT_EQ(lexicon_->Find(EntityType::kCountry, code)->reference_tier, 2) << code;
  }
  // Sovereign states in tier 1: the US and exactly 18 allies (territories of the US aside).
  int sovereign_tier1 = 0;
  for (const EntityInfo& e : lexicon_->entities()) {
    if (e.type == EntityType::kCountry && e.reference_tier == 1) ++sovereign_tier1;
  }
  EXPECT_EQ(sovereign_tier1, 19 + 6);  // + PR, GU, VI, AS, MP, UM: part of the US under the EAR
  EXPECT_EQ(lexicon_->Find(EntityType::kCountry, "us")->name, "United States");
}

TEST_F(ShippedLexiconTest, AffiliationsAndCountriesNameKnownEntities) {
  for (const EntityInfo& e : lexicon_->entities()) {
    if (e.type == EntityType::kPerson) {
      bool known = lexicon_->Find(EntityType::kCompany, e.affiliation) ||
                   lexicon_->Find(EntityType::kOrganization, e.affiliation) ||
                   lexicon_->Find(EntityType::kCountry, e.affiliation);
      EXPECT_TRUE(known) << e.canonical << ": " << e.affiliation;
      EXPECT_FALSE(e.role.empty()) << e.canonical;
    }
    if ((e.type == EntityType::kCompany || e.type == EntityType::kOrganization) &&
        !e.country.empty()) {
      EXPECT_NE(lexicon_->Find(EntityType::kCountry, e.country), nullptr) << e.canonical;
    }
    if (e.type == EntityType::kPolicy) {
      EXPECT_FALSE(e.name.empty()) << e.canonical;
    }
  }
  const EntityInfo* smith = lexicon_->Find(EntityType::kPerson, "Brad Smith");
  ASSERT_NE(smith, nullptr);
  EXPECT_EQ(smith->affiliation, "Microsoft");
  EXPECT_EQ(lexicon_->Find(EntityType::kOrganization, "bureau of industry and security")->country,
            "US");
  EXPECT_EQ(lexicon_->Find(EntityType::kCompany, "Nobody Inc."), nullptr);
}

// ---- Loading errors and layering, on small tables written for the test --------------------

class LexiconFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) / (std::string("entities_test_") + info->name());
    fs::remove_all(root_);
    WriteTextFile("base", "countries.tsv",
                  "# code\tname\t...\n"
                  "US\tUnited States\tU.S.\tAmerican\t美国\t\t\t\t\t\t1\tsrc\t\tsrc\n"
                  "CN\tChina\t\tChinese\t中国\t\t\t\t\t\t3\tsrc\t\tsrc\n");
    WriteTextFile("base", "companies.tsv", "Nvidia\tNVDA\tUS\tchips\t\tsrc\n");
    WriteTextFile("base", "organizations.tsv", "White House\t\tUS\texecutive\t\tsrc\n");
    WriteTextFile("base", "people.tsv", "Jensen Huang\t\tHuang\tNvidia\tCEO\t\tsrc\n");
    WriteTextFile("base", "policies.tsv", "gain-ai-act\tGAIN AI Act\tname\ten\tsrc\n");
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string WriteTextFile(const std::string& dir, const std::string& file,
                            const std::string& body) {
    fs::create_directories(root_ / dir);
    std::ofstream(root_ / dir / file, std::ios::binary) << body;
    return (root_ / dir / file).string();
  }
  std::string Dir(const std::string& dir) const { return (root_ / dir).string(); }
  std::string LoadError(const std::vector<std::string>& dirs) {
    auto lexicon = EntityLexicon::Load(dirs);
    return lexicon.ok() ? "OK" : lexicon.status().message();
  }

  fs::path root_;
};

TEST_F(LexiconFilesTest, SmallTablesLoad) {
  auto lexicon = EntityLexicon::Load({Dir("base")});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  EXPECT_EQ(lexicon->size(), 6u);
  EXPECT_EQ(lexicon->Find(EntityType::kPolicy, "gain-ai-act")->name, "GAIN AI Act");
  EXPECT_EQ(lexicon->Find(EntityType::kCountry, "CN")->reference_tier, 3);
}

TEST_F(LexiconFilesTest, WrongFieldCountNamesFileAndLine) {
  std::string path = WriteTextFile("base", "companies.tsv", "# c\nNvidia\tNVDA\tUS\tchips\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}), path + ":2: expected 6 tab-separated fields, got 5");
}

TEST_F(LexiconFilesTest, AliasNamingTwoEntitiesIsAnError) {
  std::string companies =
      WriteTextFile("base", "companies.tsv", "Nvidia\tNVDA\tUS\tchips\t\tsrc\n");
  std::string orgs =
      WriteTextFile("base", "organizations.tsv", "White House\tnvda\tUS\texecutive\t\tsrc\n");
  EXPECT_EQ(
      LoadError({Dir("base")}),
      orgs + ":1: \"nvda\" is already a name or phrase of company Nvidia (" + companies + ":1)");
}

TEST_F(LexiconFilesTest, UnknownCountryCodeIsAnError) {
  std::string path = WriteTextFile("base", "companies.tsv", "Nvidia\t\tXX\tchips\t\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}), path + ":1: country \"XX\" is not a code in countries.tsv");
}

TEST_F(LexiconFilesTest, UnknownAffiliationIsAnError) {
  std::string path =
      WriteTextFile("base", "people.tsv", "Jensen Huang\t\tHuang\tNvidia Corp\tCEO\t\tsrc\n");
  EXPECT_EQ(
      LoadError({Dir("base")}),
      path + ":1: affiliation \"Nvidia Corp\" is not a company, organization or country code");
}

TEST_F(LexiconFilesTest, BadTierAndBadCodeAreErrors) {
  std::string path =
      WriteTextFile("base", "countries.tsv", "US\tUnited States\t\t\t\t\t\t\t\t\t4\tsrc\t\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}), path + ":1: tier must be 0, 1, 2 or 3, got \"4\"");
  WriteTextFile("base", "countries.tsv", "USA\tUnited States\t\t\t\t\t\t\t\t\t1\tsrc\t\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}), path + ":1: \"USA\" is not an ISO 3166-1 alpha-2 code");
}

TEST_F(LexiconFilesTest, UnknownOrganizationKindIsAnError) {
  std::string path =
      WriteTextFile("base", "organizations.tsv", "White House\t\tUS\toffice\t\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}), path + ":1: unknown organization kind \"office\"");
}

TEST_F(LexiconFilesTest, PolicyRowsAreValidated) {
  std::string path =
      WriteTextFile("base", "policies.tsv", "gain-ai-act\tGAIN Act\talias\ten\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}), path + ":1: policy \"gain-ai-act\" has no row of kind name");
  WriteTextFile("base", "policies.tsv",
                "gain-ai-act\tGAIN AI Act\tname\ten\tsrc\ngain-ai-act\tGAIN Act\tname\ten\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}), path + ":2: policy \"gain-ai-act\" has a second name");
  WriteTextFile("base", "policies.tsv", "gain-ai-act\tGAIN AI Act\tproper\ten\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}),
            path + ":1: kind must be name, alias or generic, got \"proper\"");
  WriteTextFile("base", "policies.tsv", "Gain AI\tGAIN AI Act\tname\ten\tsrc\n");
  EXPECT_EQ(LoadError({Dir("base")}),
            path + ":1: policy id \"Gain AI\" must be lower-case letters, digits and '-'");
}

TEST_F(LexiconFilesTest, MissingTableIsAnIoError) {
  fs::remove(root_ / "base" / "people.tsv");
  auto lexicon = EntityLexicon::Load({Dir("base")});
  ASSERT_FALSE(lexicon.ok());
  EXPECT_EQ(lexicon.status().code(), Status::Code::kIoError);
}

TEST_F(LexiconFilesTest, UserDirectoryAddsAndOverridesRows) {
  WriteTextFile("user", "companies.tsv", "Acme Chips\tAcme|艾克米\tCN\tchips\t\tuser\n");
  WriteTextFile("user", "countries.tsv",
                "CN\tChina\tPRC\tChinese\t中国\t\t\t\t\t\t2\tuser\t\tuser\n");
  auto lexicon = EntityLexicon::Load({Dir("base"), Dir("user")});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  EXPECT_EQ(lexicon->Find(EntityType::kCountry, "CN")->reference_tier, 2);
  Document doc = MakeDocument("Acme and the PRC met Nvidia in 艾克米.");
  EXPECT_EQ(Dump(FindEntities(doc, *lexicon)),
            "company:Acme Chips@0-4 country:CN@13-16 company:Nvidia@21-27 "
            "company:Acme Chips@31-40");
}

}  // namespace
}  // namespace stancetrack

#include "extractors/stance.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "extractors/cue_matcher.h"
#include "extractors/entities.h"
#include "extractors/extract.h"
#include "extractors/stance_lexicon.h"
#include "extractors/tsv.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "tests/test_util.h"

namespace stancetrack {
namespace {

using testing::MakeDocument;
using testing::WriteTextFile;

namespace fs = std::filesystem;

// A small world written for these tests: the rules are tested against it, not against the
// shipped tables (one test below checks those parse).
const char* const kCountries =
    "US\tUnited States\tUS|U.S.\tAmerican\t美国|美國\t\t\t\t\t\t1\ttest\t\ttest\n"
    "CN\tChina\t\tChinese\t中国|中方|对华\t\t\t\t\t\t3\ttest\t\ttest\n";
const char* const kCompanies =
    "Nvidia\tNVDA\tUS\tchips\t\ttest\n"
    "Microsoft\t\tUS\tcloud\t\ttest\n"
    "Intel\t\tUS\tchips\t\ttest\n"
    "Reuters\t\tUS\tmedia\t\ttest\n";
const char* const kOrganizations =
    "Semiconductor Industry Association\tSIA\t\ttrade-group\t\ttest\n"
    "Department of Commerce\tCommerce Department\tUS\tministry\t\ttest\n"
    "China Ministry of Commerce\tMOFCOM|商务部\tCN\tministry\t\ttest\n"
    "Senate\t\tUS\tlegislature\t\ttest\n";
const char* const kPeople =
    "Jensen Huang\t\tHuang\tNvidia\tCEO\t\ttest\n"
    "Brad Smith\t\tSmith\tMicrosoft\tPresident\t\ttest\n"
    "Elizabeth Warren\t\tWarren\tSenate\tSenator\t\ttest\n";
const char* const kPolicies =
    "ai-diffusion-rule\tAI diffusion rule\tname\ten\ttest\n"
    "us-chip-export-controls\tUS chip export controls\tname\ten\ttest\n"
    "us-chip-export-controls\texport controls\tgeneric\ten\ttest\n"
    "us-chip-export-controls\texport controls on chipmaking tools\talias\ten\ttest\n"
    "us-chip-export-controls\t出口管制\tgeneric\tzh\ttest\n"
    "h20-china-sales\tH20 licence requirement\tname\ten\ttest\n"
    "china-countermeasures\tChina's countermeasures\tname\ten\ttest\n";
const char* const kPolicyContext =
    "us-chip-export-controls\tUS\tUS Government\t2022-10-01\t\t0.5\tgeneral\n"
    "ai-diffusion-rule\tUS\tUS Government\t2024-12-01\t2025-06-30\t1\tspecific\n"
    "h20-china-sales\tUS\tUS Government\t2025-04-01\t\t1\tspecific\n"
    "china-countermeasures\tCN\tChinese government\t2023-07-01\t\t1\tgeneral\n";
const char* const kCues =
    "en\tcriticize\tcriticiz(?:e|es|ed|ing)\toppose\t0.9\t\n"
    "en\tsupport\twelcom(?:e|es|ed|ing)|(?:is|are) in favou?r of\tsupport\t0.8\t\n"
    "en\trequest\turg(?:e|es|ed|ing)|(?:is|are) pushing|wants?\tsupport\t0.85\t\n"
    "en\timpose\tban(?:s|ned)|blocked|designed the "
    "rule|impos(?:e|es|ed|ing)|enforce\tsupport\t0.8\t\n"
    "en\tlift\trescind(?:s|ed)?|loosen|scrap|eased|allow(?:ed)? (?:\\w+ "
    "){0,4}?sales\toppose\t0.8\t\n"
    "en\treverse\treconsider|revers(?:e|ed)\toppose\t0.75\t\n"
    "en\tlift\tresum(?:e|ed) (?:\\w+ ){0,3}?sales\toppose\t0.8\t\n"
    "en\tevaluate\toverreach|failure|mistake\toppose\t0.7\t\n"
    "en\tharm\tharms?|erod(?:e|es|ing)\toppose\t0.7\t\n"
    "en\treport\tsaid|says|say|called|described|argued\t\t1\t\n"
    "en\tnegation\tnot|never\t\t1\t\n"
    "en\thedge\t(?-i:may)\t\t0.5\t\n"
    "en\tmodal\tshould\t\t0.8\t\n"
    "en\tanterior\thad\t\t1\t\n"
    "en\tpossessive\tits|their\t\t1\t\n"
    "en\ttopic\tin response to\t\t1\t\n"
    "en\tpassive\t(?:is|are|was|were|been)(?: \\w+)? \\w+(?:ed|en)\t\t1\t\n"
    "en\tagent\tby(?: the)?\t\t1\t\n"
    "en\tpreposition\t(?:to|in|from|for|against|like)(?: the)?\t\t1\t\n"
    "en\trelative\twhich|who\t\t1\t\n"
    "en\tnominal\tabout|of|time to\t\t1\t\n"
    "en\tconjunction\tand|or\t\t1\t\n"
    "en\tpolicy\trules?|curbs|restrictions\t\t1\t\n"
    "en\tdecision\tdecision|move\t\t1\t\n"
    "en\tother-policy\ttariffs\t\t1\t\n"
    "en\tdomain\tchips?|semiconductors?|export controls\t\t1\t\n"
    "en\tpolicy\th20\t\t1\th20-china-sales\n"
    "zh\tcriticize\t反对\toppose\t0.9\t\n"
    "zh\tlift\t批准.{0,12}出口\toppose\t0.8\t\n"
    "zh\tpolicy\tH20(?:[^0-9]|$)\t\t1\th20-china-sales\n"
    "zh\tpolicy\t规则\t\t1\t\n"
    "zh\tdomain\t芯片|半导体\t\t1\t\n"
    "zh\tdecision\t此举\t\t1\t\n"
    "zh\tevaluate\t泛化\toppose\t0.7\t\n"
    "zh\treport\t表示\t\t1\t\n"
    "zh\tpreposition\t就|对\t\t1\t\n"
    "zh\ttopic\t就\t\t1\t\n"
    "zh\tpassive\t遭到|引发\t\t1\t\n"
    "zh\tobject-after\t的|企业\t\t1\t\n"
    "ko\timpose\t제한\tsupport\t0.8\t\n"
    "ko\tlift\t허용\toppose\t0.8\t\n"
    "ko\trequest-after\t촉구\tsupport\t0.8\t\n"
    "ko\tsubject-after\t가|는\t\t1\t\n"
    "ko\tobject-after\t에|을|를\t\t1\t\n"
    "ko\tpolicy\tH20(?:[^0-9]|$)\t\t1\th20-china-sales\n";
const char* const kActors =
    "en\tthe trump administration|trump's team\t\t\tTrump administration\t\tUS\n"
    "en\t(?:the )?biden administration|biden's administration\t\t\tBiden administration\t\tUS\n"
    "en\twashington\t\t\tUS Government\t\tUS\n"
    "en\t(?:the )?previous administration\t2025-01-20\t2029-01-19\tBiden administration\t\tUS\n"
    "en\t(?:the )?previous administration\t2021-01-20\t2025-01-19\tTrump administration\t\tUS\n"
    "en\tchina|beijing\t\t\tChinese government\t\tCN\n"
    "en\tthe company\t\t\t@company\t\t\n"
    "en\the|she\t\t\t@person\t\t\n"
    "en\tit\t\t\t@actor\t\t\n"
    "zh\t中方\t\t\tChinese government\t\tCN\n"
    "zh\t美方|美国\t\t\tUS Government\t\tUS\n"
    "en\tthe ministry\t\t\t@organization/ministry\t\t\n"
    "zh\t美国政府\t\t\tUS Government\t\tUS\n"
    "ko\t트럼프 행정부\t\t\tTrump administration\t\tUS\n"
    "ko\t중국 정부|중국\t\t\tChinese government\t\tCN\n";

// Writes the tables of this file into a fresh directory; `cues` replaces stance_cues.tsv.
fs::path WriteLexicon(const std::string& name, const std::string& cues = kCues) {
  fs::path dir = testing::FreshTestDir("stance_test_" + name);
  WriteTextFile(dir / "countries.tsv", kCountries);
  WriteTextFile(dir / "companies.tsv", kCompanies);
  WriteTextFile(dir / "organizations.tsv", kOrganizations);
  WriteTextFile(dir / "people.tsv", kPeople);
  WriteTextFile(dir / "policies.tsv", kPolicies);
  WriteTextFile(dir / "policy_context.tsv", kPolicyContext);
  WriteTextFile(dir / "stance_cues.tsv", cues);
  WriteTextFile(dir / "actors.tsv", kActors);
  return dir;
}

// "actor/speaker/policy/polarity", one per stance, joined by "; ".
std::string Dump(const std::vector<Stance>& stances) {
  std::string out;
  for (const Stance& s : stances) {
    if (!out.empty()) out += "; ";
    out += s.actor + "/" + s.speaker + "/" + s.policy + "/" + std::string(PolarityName(s.polarity));
  }
  return out;
}

// A quote of `words` (which must occur in the text) said by `speaker` for `org`.
Quote MakeQuote(const Document& doc, const std::string& words, const std::string& speaker,
                const std::string& org) {
  Quote q;
  uint32_t begin = static_cast<uint32_t>(doc.text.find(words));
  q.span = {begin, begin + static_cast<uint32_t>(words.size())};
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    if (doc.sentences[s].span.Contains(Span{begin, begin})) q.sentence = s;
  }
  q.speaker = speaker;
  q.speaker_org = org;
  return q;
}

class StanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::path dir = WriteLexicon("world");
    auto entities = EntityLexicon::Load({dir.string()});
    ASSERT_TRUE(entities.ok()) << entities.status().ToString();
    entities_ = new EntityLexicon(std::move(*entities));
    auto stance = StanceLexicon::Load({dir.string()});
    ASSERT_TRUE(stance.ok()) << stance.status().ToString();
    stance_ = new StanceLexicon(std::move(*stance));
  }
  static void TearDownTestSuite() {
    delete entities_;
    delete stance_;
  }

  // Annotations as the pipeline would pass them: mentions found with the test lexicon.
  static Annotations AnnotationsOf(const Document& doc, const std::string& published) {
    Annotations a;
    a.mentions = FindEntities(doc, *entities_);
    a.published = published;
    return a;
  }
  static std::vector<Stance> Find(const std::string& text, const std::string& published = "",
                                  const std::string& language = "en") {
    Document doc = MakeDocument(text, language);
    return FindStances(doc, *stance_, *entities_, AnnotationsOf(doc, published));
  }
  // The date of the one stance `text` holds, where `dates` are its date mentions (words ->
  // date) and the article was published on 2025-05-20.
  static std::string DateOfStance(const std::string& text,
                                  const std::vector<std::pair<std::string, std::string>>& dates) {
    Document doc = MakeDocument(text, "en");
    Annotations a = AnnotationsOf(doc, "2025-05-20");
    for (const auto& [words, date] : dates) {
      const uint32_t begin = static_cast<uint32_t>(doc.text.find(words));
      a.dates.push_back({{begin, begin + static_cast<uint32_t>(words.size())}, 0, date, false});
    }
    std::vector<Stance> stances = FindStances(doc, *stance_, *entities_, a);
    return stances.size() == 1 ? stances[0].date : std::to_string(stances.size()) + " stances";
  }

  static EntityLexicon* entities_;
  static StanceLexicon* stance_;
};
EntityLexicon* StanceTest::entities_ = nullptr;
StanceLexicon* StanceTest::stance_ = nullptr;

TEST_F(StanceTest, BindsCuesToActorsAndPolicies) {
  struct Case {
    const char* text;
    const char* published;
    const char* stances;
  };
  const Case cases[] = {
      // An opinion bound to its subject, the policy from the sentence before.
      {"The AI Diffusion Rule caps chip exports. Intel has called the proposed rules "
       "\xE2\x80\x9Csweeping overreach.\xE2\x80\x9D",
       "", "Intel//ai-diffusion-rule/oppose"},
      // Requests take the polarity of what they ask for; the asked-for action is no event.
      {"Microsoft is pushing the Trump administration to loosen the AI diffusion rule.", "",
       "Microsoft//ai-diffusion-rule/oppose"},
      {"The Semiconductor Industry Association urged Washington to scrap the AI diffusion rule.",
       "", "Semiconductor Industry Association//ai-diffusion-rule/oppose"},
      // Welcoming a rescission is opposition.
      {"Nvidia welcomed the decision to rescind the AI diffusion rule.", "",
       "Nvidia//ai-diffusion-rule/oppose"},
      // Government actions.
      {"The Trump administration rescinded the AI diffusion rule in May.", "",
       "Trump administration//ai-diffusion-rule/oppose"},
      {"The AI Diffusion Rule caps chip exports. Biden's administration designed the rule to "
       "keep chips away from rivals.",
       "", "Biden administration//ai-diffusion-rule/support"},
      {"Washington blocked sales of the H20 to China.", "",
       "US Government//h20-china-sales/support"},
      {"The ban was imposed by the Biden administration under the AI diffusion rule.", "",
       "Biden administration//ai-diffusion-rule/support"},
      // A negated action is the opposite action.
      {"The Commerce Department said it would not enforce the AI diffusion rule.", "",
       "Department of Commerce//ai-diffusion-rule/oppose"},
      // Executives speak for their company; lawmakers hold positions in person.
      {"Nvidia CEO Jensen Huang criticized the AI diffusion rule.", "",
       "Nvidia/Jensen Huang/ai-diffusion-rule/oppose"},
      {"Senator Elizabeth Warren criticized the decision to allow H20 sales to China.", "",
       "Elizabeth Warren/Elizabeth Warren/h20-china-sales/support"},
      // A pronoun carries the speaker; a judgement is bound through the reporting verb.
      {"Nvidia chief Jensen Huang spoke in Taipei on Monday. He described the AI diffusion rule "
       "as a failure.",
       "", "Nvidia/Jensen Huang/ai-diffusion-rule/oppose"},
      // "He" is the subject of the sentence before, not its object.
      {"Nvidia chief Jensen Huang met Microsoft President Brad Smith in Taipei. He described the "
       "AI diffusion rule as a failure.",
       "", "Nvidia/Jensen Huang/ai-diffusion-rule/oppose"},
      // Joined subjects share the position; a non-restrictive clause binds to its antecedent.
      {"Microsoft and Nvidia criticized the AI diffusion rule.", "",
       "Microsoft//ai-diffusion-rule/oppose; Nvidia//ai-diffusion-rule/oppose"},
      {"The fight pitted lawmakers against chipmakers like Intel and Microsoft, which argued the "
       "AI diffusion rule harms exports.",
       "", "Intel//ai-diffusion-rule/oppose; Microsoft//ai-diffusion-rule/oppose"},
      // What harms a policy is held against it by its supporters.
      {"Smuggling is eroding the US chip export controls, Senator Elizabeth Warren said.", "",
       "Elizabeth Warren/Elizabeth Warren/us-chip-export-controls/support"},
      // A government restricting trade of its own holds its own country's policy.
      {"China banned sales to American firms in response to the US chip export controls.", "",
       "Chinese government//china-countermeasures/support"},
      // An opinion about "the decision" is about the act reported before it: welcoming a
      // permission to sell is opposition to the restriction.
      {"The Trump administration allowed H20 sales to China in July. Nvidia welcomed the "
       "decision.",
       "", "Trump administration//h20-china-sales/oppose; Nvidia//h20-china-sales/oppose"},
      // Reconsidering a permission tightens; the reversal asked for is no event.
      {"The Trump administration allowed H20 sales to China. Senator Elizabeth Warren urged the "
       "White House to reconsider.",
       "",
       "Trump administration//h20-china-sales/oppose; "
       "Elizabeth Warren/Elizabeth Warren/h20-china-sales/support"},
      // A name inside an apposition or a relative clause is not the subject.
      {"Senator Elizabeth Warren, a member of the Senate, criticized the AI diffusion rule.", "",
       "Elizabeth Warren/Elizabeth Warren/ai-diffusion-rule/oppose"},
      {"Elizabeth Warren, who chairs a Senate panel, criticized the AI diffusion rule.", "",
       "Elizabeth Warren/Elizabeth Warren/ai-diffusion-rule/oppose"},
      // A verb inside such a clause is its own, and the name in it is its subject.
      {"The AI diffusion rule, which Microsoft criticized, took effect.", "",
       "Microsoft//ai-diffusion-rule/oppose"},
      // A comma before "and" continues a list, it opens no apposition.
      {"Intel, Microsoft, and Nvidia criticized the AI diffusion rule.", "",
       "Microsoft//ai-diffusion-rule/oppose; Intel//ai-diffusion-rule/oppose; "
       "Nvidia//ai-diffusion-rule/oppose"},
      // An action after "should" is wanted by the one who says so, not done by its subject.
      {"Microsoft said Washington should scrap the AI diffusion rule.", "",
       "Microsoft//ai-diffusion-rule/oppose"},
      // The agent of a passive opinion holds it.
      {"The AI diffusion rule was criticized by Nvidia.", "", "Nvidia//ai-diffusion-rule/oppose"},
      // A topic marker names what the sentence's generic phrases mean.
      {"In response to the H20 licence requirement, China criticized the export controls.", "",
       "Chinese government//h20-china-sales/oppose"},
      // A possessive qualifies the policy and is no subject; the name after a later reporting
      // verb speaks.
      {"Nvidia sells chips worldwide. Washington's curbs are a mistake, said the company.", "",
       "Nvidia//us-chip-export-controls/oppose"},
      // A request may name the policy before the action it asks for.
      {"Intel urged Washington to let the AI diffusion rule be rescinded.", "",
       "Intel//ai-diffusion-rule/oppose"},
      // "The ministry" refers back to a ministry, past other organizations.
      {"MOFCOM issued a statement on Friday. The Semiconductor Industry Association was "
       "consulted. Microsoft and Intel were briefed. The ministry criticized the US chip export "
       "controls.",
       "", "China Ministry of Commerce//us-chip-export-controls/oppose"},
      // "The previous administration" depends on when the article was written.
      {"The previous administration imposed the AI diffusion rule.", "2025-03-01",
       "Biden administration//ai-diffusion-rule/support"},
      {"The previous administration imposed the AI diffusion rule.", "2023-03-01",
       "Trump administration//ai-diffusion-rule/support"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Dump(Find(c.text, c.published)), c.stances) << c.text;
  }
}

TEST_F(StanceTest, ReadsChineseCues) {
  struct Case {
    const char* text;
    const char* stances;
  };
  const Case cases[] = {
      {"中方坚决反对美国的出口管制。", "Chinese government//us-chip-export-controls/oppose"},
      {"美国政府已批准H20芯片恢复对华出口。", "US Government//h20-china-sales/oppose"},
      // A country inside a topic phrase (就...) is not the subject of the reporting verb; the
      // one before 此举 qualifies it and says whose policy it is. (The second sentence names
      // the field, chips: without it the document names no rule of the tables.)
      {"商务部就美国公布的规则表示，美方此举泛化了安全概念。此事涉及芯片。",
       "China Ministry of Commerce//us-chip-export-controls/oppose"},
      // Opposition met (遭到) is held by the actor named after the marker, or by nobody.
      {"美国的新规则遭到中方反对。此事涉及芯片。",
       "Chinese government//us-chip-export-controls/oppose"},
      {"美方引发了对其规则的反对。", ""},
      // A country before a noun it qualifies (中国企业) is no subject.
      {"中国企业反对美国的出口管制。", ""},
      // A country named as the target (对华: toward China) does not own the rule.
      {"英伟达的H20芯片受到影响。中方坚决反对对华规则。",
       "Chinese government//h20-china-sales/oppose"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(Dump(Find(c.text, "2024-06-01", "zh")), c.stances) << c.text;
}

// Korean marks subjects with particles (가) and puts the requested action before the request.
TEST_F(StanceTest, ReadsKoreanParticlesAndVerbFinalRequests) {
  EXPECT_EQ(Dump(Find("트럼프 행정부가 중국 시장용 H20 칩 수출을 허용했다.", "", "ko")),
            "Trump administration//h20-china-sales/oppose");
  EXPECT_EQ(Dump(Find("중국 정부가 기업들에 H20 구매를 제한하라고 촉구했다.", "", "ko")),
            "Chinese government//china-countermeasures/support");
}

TEST_F(StanceTest, FindsNothingWithoutAPositionHeldByAnActor) {
  const char* const texts[] = {
      "Nvidia sells chips to customers covered by the AI diffusion rule.",
      "The AI diffusion rule has drawn criticism from industry groups.",
      "Critics say the AI diffusion rule is an overreach.",
      "Analysts say the AI diffusion rule harms Nvidia.",
      "Will the Trump administration rescind the AI diffusion rule?",
      "Nvidia did not criticize the AI diffusion rule.",
      "Nvidia resumed sales of the H20 to China.",
      "Microsoft criticized the weather in Seattle.",
      "The Trump administration faces decisions about imposing the AI diffusion rule.",
      "The AI diffusion rule is a failure, Reuters said.",
      // Only named, not done: an action after "time to", or joined to one that is.
      "The rule gives the Commerce Department time to enforce or scrap the AI diffusion rule.",
      // A passive opinion whose agent is no actor is nobody's.
      "Intel hosted a forum where the AI diffusion rule was criticized by analysts.",
      // About a rule this table does not track.
      "The AI diffusion rule took effect. The Trump administration rescinded the tariffs.",
      // What a company says a rule does is no act of the government's.
      "The AI diffusion rule blocked sales to many buyers, Nvidia said.",
  };
  for (const char* text : texts) EXPECT_EQ(Dump(Find(text)), "") << text;
}

// A government body, administration or lawmaker named as the maker of a rule holds it; a
// country's own name only says whose rule it is, and what others call the rule is no rule.
TEST_F(StanceTest, MakerOfARuleHoldsIt) {
  struct Case {
    const char* text;
    const char* stances;
  };
  const Case cases[] = {
      {"The AI diffusion rule took effect. The Biden administration's curbs cover most countries.",
       "Biden administration//ai-diffusion-rule/support"},
      {"Nvidia criticized the Biden administration's AI diffusion rule.",
       "Nvidia//ai-diffusion-rule/oppose; Biden administration//ai-diffusion-rule/support"},
      // A possessive pronoun belongs to the actor named last before it.
      {"Intel urged the Trump administration to scrap its H20 licence requirement.",
       "Intel//h20-china-sales/oppose; Trump administration//h20-china-sales/support"},
      {"The AI diffusion rule took effect. The Biden administration said its rule protects chips.",
       "Biden administration//ai-diffusion-rule/support"},
      // What the sentence says the owner does with its rule is its position.
      {"The AI diffusion rule took effect. The Trump administration would not enforce its rule.",
       "Trump administration//ai-diffusion-rule/oppose"},
      {"The AI diffusion rule took effect. Nvidia said its rules for resellers changed.", ""},
      // A product between the possessive and the noun says which policy the noun means.
      {"Senator Elizabeth Warren's restrictions on H20 sales won votes.",
       "Elizabeth Warren/Elizabeth Warren/h20-china-sales/support"},
      {"The AI diffusion rule took effect. Critics call the rule the Biden administration's "
       "overreach.",
       ""},
      {"Washington's curbs on the H20 drew criticism.", ""},
      {"China's countermeasures took effect in July.", ""},
      {"The Trump administration's H20 reversal angered lawmakers.", ""},
      {"The AI diffusion rule took effect. The Biden administration's decision surprised Nvidia.",
       ""},
  };
  for (const Case& c : cases) EXPECT_EQ(Dump(Find(c.text, "2025-05-20")), c.stances) << c.text;
}

// "The decision" is the news: the latest act in time, and of acts of one month not one the text
// tells as earlier ("had imposed") outside reported speech.
TEST_F(StanceTest, DecisionIsTheLatestActNotTheBackground) {
  EXPECT_EQ(Dump(Find("The Trump administration rescinded the AI diffusion rule. The Biden "
                      "administration had imposed the AI diffusion rule. Nvidia welcomed the "
                      "decision.",
                      "2025-05-20")),
            "Trump administration//ai-diffusion-rule/oppose; "
            "Biden administration//ai-diffusion-rule/support; Nvidia//ai-diffusion-rule/oppose");
  EXPECT_EQ(Dump(Find("The Biden administration imposed the AI diffusion rule. The Trump "
                      "administration said it had rescinded the AI diffusion rule. Nvidia "
                      "welcomed the decision.",
                      "2025-05-20")),
            "Biden administration//ai-diffusion-rule/support; "
            "Trump administration//ai-diffusion-rule/oppose; Nvidia//ai-diffusion-rule/oppose");
  // The act is on its holder's own policy.
  EXPECT_EQ(Dump(Find("China banned exports of rare metals under the export controls. Intel "
                      "criticized the decision.",
                      "2025-05-20")),
            "Chinese government//china-countermeasures/support; "
            "Intel//china-countermeasures/oppose");
  Document doc = MakeDocument(
      "The Trump administration rescinded the AI diffusion rule. The Biden administration imposed "
      "the AI diffusion rule in January. Nvidia welcomed the decision.",
      "en");
  Annotations a = AnnotationsOf(doc, "2025-05-20");
  DateMention january;
  january.sentence = 1;
  january.date = "2025-01";
  a.dates = {january};
  EXPECT_EQ(Dump(FindStances(doc, *stance_, *entities_, a)),
            "Trump administration//ai-diffusion-rule/oppose; "
            "Biden administration//ai-diffusion-rule/support; Nvidia//ai-diffusion-rule/oppose");
}

// A policy named as the object of a government's own act is that government's policy, and so
// is what the document is about: a generic reference far from any named policy means it.
TEST_F(StanceTest, OwnActOnANamedPolicyDecidesWhatTheDocumentIsAbout) {
  EXPECT_EQ(Dump(Find("China imposed its export controls on chipmaking tools on Monday, days "
                      "after Washington imposed the AI diffusion rule. Markets fell. Traders "
                      "waited. Intel criticized the restrictions.",
                      "2025-01-20")),
            "Chinese government//china-countermeasures/support; "
            "US Government//ai-diffusion-rule/support; Intel//china-countermeasures/oppose");
  EXPECT_EQ(Dump(Find("Washington imposed the AI diffusion rule on Monday. Markets fell. Traders "
                      "waited. Intel criticized the restrictions.",
                      "2025-01-20")),
            "US Government//ai-diffusion-rule/support; Intel//ai-diffusion-rule/oppose");
}

TEST_F(StanceTest, SpeakerCarriesAcrossHeSaid) {
  Document doc = MakeDocument(
      "\xE2\x80\x9C"
      "Allies will look elsewhere,\xE2\x80\x9D Microsoft President Brad Smith said "
      "of the AI diffusion rule. \xE2\x80\x9CThe rule is a mistake,\xE2\x80\x9D he said.",
      "en");
  Annotations a = AnnotationsOf(doc, "");
  a.quotes = {MakeQuote(doc, "Allies will look elsewhere", "Brad Smith", "Microsoft"),
              MakeQuote(doc, "The rule is a mistake", "Brad Smith", "Microsoft")};
  std::vector<Stance> stances = FindStances(doc, *stance_, *entities_, a);
  EXPECT_EQ(Dump(stances), "Microsoft/Brad Smith/ai-diffusion-rule/oppose");
  ASSERT_EQ(stances.size(), 1u);
  EXPECT_EQ(stances[0].sentence, 1u);
}

TEST_F(StanceTest, LawmakerQuotedForAChamberSpeaksInPerson) {
  Document doc = MakeDocument(
      "\xE2\x80\x9CThe AI diffusion rule is a mistake,\xE2\x80\x9D Elizabeth Warren said.", "en");
  Annotations a = AnnotationsOf(doc, "");
  a.quotes = {MakeQuote(doc, "The AI diffusion rule is a mistake", "Elizabeth Warren", "Senate")};
  EXPECT_EQ(Dump(FindStances(doc, *stance_, *entities_, a)),
            "Elizabeth Warren/Elizabeth Warren/ai-diffusion-rule/oppose");
}

// A quote that finishes what a reporting verb began judges the words after the verb too.
TEST_F(StanceTest, QuoteJudgesTheActionItsReportingVerbIntroduces) {
  Document doc = MakeDocument(
      "Senator Elizabeth Warren said the decision to allow H20 sales \xE2\x80\x9Cis a "
      "mistake.\xE2\x80\x9D",
      "en");
  Annotations a = AnnotationsOf(doc, "");
  a.quotes = {MakeQuote(doc, "is a mistake.", "Elizabeth Warren", "Senate")};
  EXPECT_EQ(Dump(FindStances(doc, *stance_, *entities_, a)),
            "Elizabeth Warren/Elizabeth Warren/h20-china-sales/support");
}

TEST_F(StanceTest, QuoteWithoutSpeakerYieldsNothing) {
  Document doc = MakeDocument("\xE2\x80\x9CThe AI diffusion rule is a mistake.\xE2\x80\x9D", "en");
  Annotations a = AnnotationsOf(doc, "");
  a.quotes = {MakeQuote(doc, "The AI diffusion rule is a mistake.", "", "")};
  EXPECT_EQ(Dump(FindStances(doc, *stance_, *entities_, a)), "");
}

// The shipped cues (extractors/lexicons), where the tests above use a lexicon of their own.
TEST(ShippedStanceCuesTest, WrongJudgesAPolicyNotTheHandsChipsFallInto) {
  const std::string shipped = std::string(STANCETRACK_SOURCE_DIR) + "/extractors/lexicons";
  auto entities = EntityLexicon::Load({shipped});
  ASSERT_TRUE(entities.ok()) << entities.status().ToString();
  auto stance = StanceLexicon::Load({shipped});
  ASSERT_TRUE(stance.ok()) << stance.status().ToString();
  auto find = [&](const std::string& text) {
    Document doc = MakeDocument(text, "en");
    Annotations a;
    a.mentions = FindEntities(doc, *entities);
    return Dump(FindStances(doc, *stance, *entities, a));
  };
  EXPECT_EQ(find("Nvidia chief Jensen Huang said the AI diffusion rule was exactly the wrong "
                 "approach."),
            "Nvidia/Jensen Huang/ai-diffusion-rule/oppose");
  EXPECT_EQ(find("Microsoft said it supports the AI diffusion rule's goal of keeping advanced "
                 "chips out of the wrong hands."),
            "Microsoft//ai-diffusion-rule/support");
}

// A ban and the government that imposed it are the tables' rules only in a document about
// their field: one that names a rule, a product that implies one, or the field itself.
TEST_F(StanceTest, DocumentOutsideTheFieldHasNoStances) {
  const std::string embargo =
      "The US curbs on Libya were eased in April. Officials said the sanctions had served "
      "their purpose.";
  EXPECT_EQ(Dump(Find(embargo)), "");
  EXPECT_EQ(Dump(Find(embargo + " Chip exports to Tripoli may follow.")),
            "US Government//us-chip-export-controls/oppose");
}

TEST_F(StanceTest, TwoCuesOfOnePositionInASentenceAreOneStance) {
  EXPECT_EQ(Dump(Find("Nvidia criticized the AI diffusion rule and urged Washington to let the AI "
                      "diffusion rule be rescinded.")),
            "Nvidia//ai-diffusion-rule/oppose");
}

TEST_F(StanceTest, ContrastGivesBothPolarities) {
  std::vector<Stance> stances = Find(
      "Microsoft is in favor of some aspects of the AI diffusion rule, but the company "
      "wants the caps eased.");
  EXPECT_EQ(Dump(stances),
            "Microsoft//ai-diffusion-rule/support; Microsoft//ai-diffusion-rule/oppose");
  EXPECT_EQ(Dump(AggregateStances(stances)), "Microsoft//ai-diffusion-rule/mixed");
}

TEST_F(StanceTest, HedgeLowersConfidence) {
  std::vector<Stance> firm = Find("The Trump administration rescinded the AI diffusion rule.");
  std::vector<Stance> hedged = Find("The Trump administration may rescind the AI diffusion rule.");
  ASSERT_EQ(firm.size(), 1u);
  ASSERT_EQ(hedged.size(), 1u);
  EXPECT_GT(firm[0].confidence, hedged[0].confidence);
  EXPECT_GT(hedged[0].confidence, 0.0f);
  EXPECT_LE(firm[0].confidence, 1.0f);
}

TEST_F(StanceTest, DateIsTheDateOfTheStancesClauseElseThePublicationDate) {
  EXPECT_EQ(DateOfStance("Nvidia criticized the AI diffusion rule.", {}), "2025-05-20");
  EXPECT_EQ(DateOfStance("Nvidia criticized the AI diffusion rule on May 14.",
                         {{"May 14", "2025-05-14"}}),
            "2025-05-14");
  // Of two dates, the one in the clause of the cue.
  EXPECT_EQ(DateOfStance("Nvidia, which backed the plan in January, on May 14 criticized the AI "
                         "diffusion rule.",
                         {{"January", "2025-01"}, {"May 14", "2025-05-14"}}),
            "2025-05-14");
  // A date that opens the sentence dates what follows it.
  EXPECT_EQ(
      DateOfStance("In April, Nvidia criticized the AI diffusion rule.", {{"April", "2025-04"}}),
      "2025-04");
  // A date after the cue in another clause, or past the publication, is of something else.
  EXPECT_EQ(DateOfStance("Nvidia criticized the AI diffusion rule, as it had since January.",
                         {{"January", "2025-01"}}),
            "2025-05-20");
  EXPECT_EQ(DateOfStance("Nvidia criticized the AI diffusion rule that takes effect on June 30.",
                         {{"June 30", "2025-06-30"}}),
            "2025-05-20");
}

TEST_F(StanceTest, SkipsBoilerplateParagraphs) {
  Document doc = MakeDocument("Nvidia criticized the AI diffusion rule.\n\nAbout us", "en");
  ASSERT_FALSE(doc.paragraphs.empty());
  doc.paragraphs[0].kind = BlockKind::kBoilerplate;
  EXPECT_EQ(Dump(FindStances(doc, *stance_, *entities_, AnnotationsOf(doc, ""))), "");
}

// ---------------------------------------------------------------------------------------------
// The cue matcher

// "text | language" -> the words of every hit, in order.
std::vector<std::string> Hits(const CueMatcher& matcher, const std::string& text,
                              const std::string& language) {
  Document doc = MakeDocument(text, language);
  std::vector<std::string> words;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    for (const CueMatcher::Hit& hit : matcher.Find(doc, s, language)) {
      words.emplace_back(hit.span.Of(doc.text));
    }
  }
  return words;
}

TEST(CueMatcherTest, MatchesWholeWordsWhateverScriptSurroundsThem) {
  auto matcher = CueMatcher::Compile(
      {{"t:1", "en", "bans?", false}, {"t:2", "zh", "禁止", false}, {"t:3", "*", "h20", false}});
  ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
  struct Case {
    const char* text;
    const char* language;
    std::vector<std::string> hits;
  };
  const Case cases[] = {
      {"They ban chips and more bans follow.", "en", {"ban", "bans"}},
      {"Urbane bankers.", "en", {}},
      // Non-ASCII letters are inside words, non-ASCII punctuation is not.
      {"Le mot \u00abban\u00bb revient.", "fr", {"ban"}},
      {"Un banéfice.", "fr", {}},
      {"Die H20 bleibt.", "de", {"H20"}},
      // A language the table knows reads its own rows and those for every language.
      {"新的禁止措施针对 H20 ban。", "zh", {"禁止", "H20"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Hits(*matcher, c.text, c.language), c.hits) << c.text;
  }
}

// Where a cue's edge is the sentence's first or last character, or a character outside ASCII,
// the matcher must read the edges as the rows' patterns say: `^` and `$` before an edge
// character, letters of any script inside words, and every row of a table however many.
TEST(CueMatcherTest, ReadsEdgesAtSentenceEndsAndOutsideAscii) {
  std::vector<CueSource> sources = {
      {"t:1", "en", "bans?", false},        {"t:2", "en", "-?veto", false},
      {"t:3", "en", "curbs\\.?", false},    {"t:4", "fr", "ban", false},
      {"t:5", "ko", "\uC815\uBD80", false},  // 정부
  };
  for (int i = 0; i < 12; ++i) {  // more rows than one combined set holds
    sources.push_back(
        {"t:" + std::to_string(6 + i), "en", "filler" + std::to_string(i) + "x", false});
  }
  sources.push_back({"t:18", "en", "embargo", false});
  auto matcher = CueMatcher::Compile(sources);
  ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
  struct Case {
    const char* text;
    const char* language;
    std::vector<std::string> hits;
  };
  const Case cases[] = {
      {"Bans work.", "en", {"Bans"}},
      {"\"Ban them,\" he said.", "en", {"Ban"}},
      {"They want a ban", "en", {"ban"}},
      {"They want a ban.", "en", {"ban"}},
      // A pattern that may take the edge character itself takes it where `^` or `$` allows.
      {"-veto was the answer.", "en", {"-veto"}},
      {"They cast a -veto.", "en", {"-veto"}},
      {"Three curbs.", "en", {"curbs."}},
      {"Three curbs, then more curbs", "en", {"curbs", "curbs"}},
      // A letter outside ASCII is inside the word; the cue after it still counts.
      {"Un ban\u00e9fice, puis un ban.", "fr", {"ban"}},
      {"\u00c9ban et ban\u00e9.", "fr", {}},
      // Korean cues start a word and take particles at their end.
      {"\uC815\uBD80\uAC00 \uBC1C\uD45C\uD588\uB2E4.", "ko", {"\uC815\uBD80"}},
      {"\uD589\uC815\uBD80 \uBC1C\uD45C.", "ko", {}},
      // The last row of a long table is read as the first.
      {"An embargo and filler11x.", "en", {"embargo", "filler11x"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Hits(*matcher, c.text, c.language), c.hits) << c.text;
  }
}

// Find searches only the rows whose literals a sentence holds; what it finds must not depend on
// that: upper-case spellings of a literal with a letter outside ASCII (Greek's final sigma and
// the capital sharp s among them, which fold to another letter), rows whose literals are
// too short to look up, rows of other languages for a sentence in a language without rows.
TEST(CueMatcherTest, FindsWhatEveryRowMatchesWhateverItsLiterals) {
  auto matcher = CueMatcher::Compile({{"t:1", "fr", "\u00e9conomie", false},
                                      {"t:2", "de", "stra\u00dfe|m\u00fcnchen", false},
                                      {"t:3", "en", "us|eu", false},
                                      {"t:4", "en", "(?:curb|cap)s? on \\w+", false},
                                      {"t:5", "zh", "\u7981", false},
                                      {"t:6", "el", "\u03bd\u03cc\u03bc\u03bf\u03c2", false}});
  ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
  struct Case {
    const char* text;
    const char* language;
    std::vector<std::string> hits;
  };
  const Case cases[] = {
      {"L'\u00c9CONOMIE ralentit.", "fr", {"\u00c9CONOMIE"}},
      {"In M\u00dcNCHEN und auf der Stra\u00dfe.", "de", {"M\u00dcNCHEN", "Stra\u00dfe"}},
      {"Auf der STRA\u1e9eE.", "de", {"STRA\u1e9eE"}},
      {"\u039f \u039d\u038c\u039c\u039f\u03a3 "
       "\u03c8\u03b7\u03c6\u03af\u03c3\u03c4\u03b7\u03ba\u03b5.",
       "el",
       {"\u039d\u038c\u039c\u039f\u03a3"}},
      {"The US and the EU agree.", "en", {"US", "EU"}},
      {"Caps on exports and a curb on chips.", "en", {"Caps on exports", "curb on chips"}},
      // An English sentence does not read the German rows...
      {"Strasse and M\u00fcnchen.", "en", {}},
      // ...but a sentence in a language the table has no rows for reads them all.
      {"M\u00fcnchen e l'\u00e9conomie, US.", "it", {"M\u00fcnchen", "\u00e9conomie", "US"}},
      {"\u65b0\u7981\u4ee4\u3002", "zh", {"\u7981"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Hits(*matcher, c.text, c.language), c.hits) << c.text;
  }
}

// The rows' patterns wrapped as cue_matcher.h defines them, with the exact word edges.
std::vector<std::unique_ptr<RE2>> Wrapped(const std::vector<CueSource>& rows) {
  const std::string edge = R"([^\pL\pN_])";
  std::vector<std::unique_ptr<RE2>> out;
  for (const CueSource& row : rows) {
    const bool han = row.language == "zh" || row.language == "ja";
    std::string wrapped = "(" + row.pattern + ")";
    if (!han && !(row.language == "ko" && row.attached)) wrapped = "(?:^|" + edge + ")" + wrapped;
    if (!han && row.language != "ko") wrapped += "(?:" + edge + "|$)";
    out.push_back(std::make_unique<RE2>(wrapped, FoldedMatchOptions()));
  }
  return out;
}

// What RE2 alone finds, one search per match: (cue, begin, end) in Document::text for every
// sentence of `doc` and every row that applies to `language`, sorted.
std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> ReferenceHits(
    const std::vector<CueSource>& rows, const std::vector<std::unique_ptr<RE2>>& wrapped,
    const std::set<std::string>& known, const Document& doc, const std::string& language) {
  auto han = [](const std::string& l) { return l == "zh" || l == "ja"; };
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> out;
  for (uint32_t cue = 0; cue < rows.size(); ++cue) {
    const std::string& own = rows[cue].language;
    if (known.count(language) && own != "*" && own != language && !(han(own) && han(language))) {
      continue;
    }
    for (const Sentence& s : doc.sentences) {
      const std::string_view text = s.folded.Of(doc.folded);
      re2::StringPiece groups[2];
      for (size_t pos = 0; pos < text.size() && wrapped[cue]->Match(text, pos, text.size(),
                                                                    RE2::UNANCHORED, groups, 2);) {
        const auto begin = static_cast<uint32_t>(groups[1].data() - text.data());
        const auto end = begin + static_cast<uint32_t>(groups[1].size());
        const Span span =
            doc.folded_to_text.Map(Span{s.folded.begin + begin, s.folded.begin + end});
        out.emplace_back(cue, span.begin, span.end);
        pos = std::max<size_t>(end, begin + 1);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A random sentence or two of the words the literal rows below are about (ASCII and other cases,
// Han, Hangul, letters that fold to ASCII), with spaces, punctuation or nothing between them.
std::string RandomCueText(std::mt19937* random, int round) {
  static const std::vector<std::string> words = {"a",
                                                 "an",
                                                 "A",
                                                 "An",
                                                 "the",
                                                 "The",
                                                 "them",
                                                 "THEM",
                                                 "theme",
                                                 "k",
                                                 "K",
                                                 "\u212A",
                                                 "s",
                                                 "\u017F",
                                                 "is",
                                                 "i",
                                                 "I",
                                                 "it's",
                                                 "a-b",
                                                 "as well as",
                                                 "\u00c9t\u00e9",
                                                 "\u00e9",
                                                 "_x",
                                                 "x",
                                                 "1",
                                                 "\u7684",
                                                 "\u548c",
                                                 "\u548c\u5e73",
                                                 "\u5e73",
                                                 "\uc815\ubd80",
                                                 "\uac00",
                                                 "\u00df",
                                                 "\u1e9e",
                                                 "inc",
                                                 "Inc.",
                                                 "co.",
                                                 "Co., Ltd",
                                                 "ltd."};
  static const std::vector<std::string> gaps = {" ", " ", ", ", "-", "'", "\u00ab", "\u3001", ""};
  std::string text;
  for (int w = 0; w < 12; ++w) {
    text += words[(*random)() % words.size()] + gaps[(*random)() % gaps.size()];
  }
  return text + (round % 2 ? "." : words[(*random)() % words.size()]);
}

// Rows that stand for a list of literals are matched from the literals' occurrences, not by
// RE2: they must find what RE2 finds, in RE2's order of preference between alternatives and
// between taking an optional part and skipping it, at sentence ends, beside letters and
// punctuation of any script, and where a character outside ASCII folds to an ASCII letter (the
// Kelvin sign to k, the long s to s).
TEST(CueMatcherTest, LiteralRowsFindWhatRe2Finds) {
  const std::vector<CueSource> rows = {
      {"t:1", "en", "a|an|the|them|k|s|is|i", false},
      {"t:2", "en", "s\\.|a-b|as well as|it's", false},
      {"t:3", "en", "an?|the[my]?", false},
      {"t:4", "zh", "的|和|和平|平", false},
      {"t:5", "*", "_x|k|x", false},
      {"t:6", "ko", "정부", false},
      {"t:7", "ko", "가", true},
      {"t:8", "en", "(?:a|the|as)(?: the)?|inc\\.?|co\\.|co\\., ltd\\.?", false},
      {"t:9", "zh", "[和平]的|(?:的)?和", false},
      {"t:10", "en", "th\\w+|(?:a)+|(?i)the", false},  // not literals: RE2 matches them
      {"t:11", "en", "(?-i:the|Inc\\.)|(?-i:a(?i:n))|them?", false},
  };
  auto matcher = CueMatcher::Compile(rows);
  ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
  const std::set<std::string> known = {"en", "zh", "ko"};
  const std::vector<std::unique_ptr<RE2>> wrapped = Wrapped(rows);
  std::mt19937 random(20261124);
  for (int round = 0; round < 400; ++round) {
    const std::string text = RandomCueText(&random, round);
    for (const std::string language : {"en", "zh", "ko", "fr"}) {
      const Document doc = MakeDocument(text, language);
      std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> found;
      for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
        for (const CueMatcher::Hit& hit : matcher->Find(doc, s, language)) {
          found.emplace_back(hit.cue, hit.span.begin, hit.span.end);
        }
      }
      std::sort(found.begin(), found.end());
      ASSERT_EQ(found, ReferenceHits(rows, wrapped, known, doc, language))
          << language << ": " << text;
    }
  }
}

std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> AsTuples(
    const std::vector<CueMatcher::Hit>& hits) {
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> out;
  for (const CueMatcher::Hit& hit : hits) out.emplace_back(hit.cue, hit.span.begin, hit.span.end);
  return out;
}

// Tables scanned together (CueScanner) find what each finds scanning alone, whatever strings
// they share; a table the scan does not cover, and a sentence it skipped (boilerplate), are
// scanned alone.
TEST(CueMatcherTest, SharedScanFindsWhatEachTableFindsAlone) {
  auto first = CueMatcher::Compile({{"a:1", "en", "a|an|the|them|k|s|is|i", false},
                                    {"a:2", "zh", "的|和平", false},
                                    {"a:3", "en", "th\\w+|inc\\.?", false},
                                    {"a:4", "*", "stra\u00dfe|as well", false}});
  auto second = CueMatcher::Compile({{"b:1", "*", "the|them?|k|x", false},
                                     {"b:2", "ko", "\uc815\ubd80", false},
                                     {"b:3", "en", "(?-i:The)|it's", false},
                                     {"b:4", "zh", "\u548c|\u5e73", false}});
  auto outside = CueMatcher::Compile({{"c:1", "en", "them|a-b", false}});
  ASSERT_TRUE(first.ok() && second.ok() && outside.ok());
  const CueScanner scanner({&*first, &*second});
  std::mt19937 random(20261125);
  for (int round = 0; round < 300; ++round) {
    const std::string text =
        RandomCueText(&random, round) + "\n\n" + RandomCueText(&random, round + 1);
    for (const std::string language : {"en", "zh", "ko"}) {
      Document doc = MakeDocument(text, language);
      if (round % 3 == 0) doc.paragraphs.back().kind = BlockKind::kBoilerplate;
      const CueScan scan = scanner.Scan(doc);
      for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
        for (const CueMatcher* table : {&*first, &*second, &*outside}) {
          ASSERT_EQ(AsTuples(table->Find(doc, s, language, &scan)),
                    AsTuples(table->Find(doc, s, language)))
              << language << ", sentence " << s << ": " << text;
        }
      }
    }
  }
}

TEST(CueMatcherTest, ReportsBadPatternsWithTheirSource) {
  auto invalid = CueMatcher::Compile({{"cues.tsv:4", "en", "ban(", false}});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().message(), "cues.tsv:4: invalid pattern 'ban(': missing ): ban(");
  auto empty = CueMatcher::Compile({{"cues.tsv:9", "en", "(?:ban)?", false}});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "cues.tsv:9: pattern '(?:ban)?' matches the empty string");
}

// ---------------------------------------------------------------------------------------------
// Aggregation

Stance MakeStance(const std::string& actor, Polarity polarity, const std::string& date,
                  float confidence, uint32_t sentence, const std::string& speaker = "") {
  Stance s;
  s.actor = actor;
  s.speaker = speaker;
  s.policy = "h20-china-sales";
  s.polarity = polarity;
  s.date = date;
  s.confidence = confidence;
  s.sentence = sentence;
  return s;
}

TEST(AggregateStancesTest, MergesSamePolarityKeepingTheStrongestEvidence) {
  std::vector<Stance> merged = AggregateStances(
      {MakeStance("Nvidia", Polarity::kOppose, "2025-04-15", 0.4f, 2),
       MakeStance("Nvidia", Polarity::kOppose, "2025-04-16", 0.8f, 5, "Jensen Huang")});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].sentence, 5u);
  EXPECT_EQ(merged[0].speaker, "Jensen Huang");
  EXPECT_EQ(merged[0].polarity, Polarity::kOppose);
}

TEST(AggregateStancesTest, BothPolaritiesInOneMonthAreMixed) {
  std::vector<Stance> merged =
      AggregateStances({MakeStance("Microsoft", Polarity::kSupport, "", 0.5f, 1),
                        MakeStance("Microsoft", Polarity::kOppose, "", 0.6f, 3)});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].polarity, Polarity::kMixed);
  EXPECT_EQ(merged[0].sentence, 3u);
}

TEST(AggregateStancesTest, PositionChangedBetweenMonthsStaysTwoStances) {
  std::vector<Stance> merged =
      AggregateStances({MakeStance("US Government", Polarity::kOppose, "2025-07-14", 0.7f, 4),
                        MakeStance("US Government", Polarity::kSupport, "2025-04", 0.7f, 1),
                        MakeStance("US Government", Polarity::kSupport, "2025-04-09", 0.5f, 2)});
  EXPECT_EQ(Dump(merged),
            "US Government//h20-china-sales/support; US Government//h20-china-sales/oppose");
  EXPECT_EQ(merged[0].date, "2025-04");
}

// A government's own stances, with its country.
Stance GovernmentStance(Polarity polarity, uint32_t sentence, float confidence = 0.5f) {
  Stance s = MakeStance("US Government", polarity, "", confidence, sentence);
  s.country = "US";
  return s;
}

TEST(AggregateStancesTest, GovernmentTakingEachPositionInItsOwnSentencesChangedIt) {
  // "In April the chip was banned. ... The government has approved sales again.", no months.
  std::vector<Stance> merged = AggregateStances(
      {GovernmentStance(Polarity::kOppose, 1, 0.7f), GovernmentStance(Polarity::kSupport, 3),
       GovernmentStance(Polarity::kOppose, 13), GovernmentStance(Polarity::kSupport, 21, 0.8f)});
  EXPECT_EQ(Dump(merged),
            "US Government//h20-china-sales/oppose; US Government//h20-china-sales/support");
  EXPECT_EQ(merged[0].sentence, 1u);
  EXPECT_EQ(merged[1].sentence, 21u);
}

TEST(AggregateStancesTest, GovernmentHoldingBothPositionsInOneSentenceIsMixed) {
  // "announces restrictions on the sales, authorizing some": one position with both sides.
  std::vector<Stance> merged = AggregateStances({GovernmentStance(Polarity::kSupport, 2),
                                                 GovernmentStance(Polarity::kOppose, 2),
                                                 GovernmentStance(Polarity::kSupport, 7)});
  EXPECT_EQ(Dump(merged), "US Government//h20-china-sales/mixed");
}

TEST(AggregateStancesTest, KeepsActorsAndPoliciesApartInSortedOrder) {
  Stance other = MakeStance("Intel", Polarity::kSupport, "", 0.5f, 0);
  other.policy = "ai-diffusion-rule";
  std::vector<Stance> merged =
      AggregateStances({MakeStance("Nvidia", Polarity::kOppose, "", 0.5f, 1), other,
                        MakeStance("Intel", Polarity::kOppose, "", 0.5f, 2)});
  EXPECT_EQ(Dump(merged),
            "Intel//ai-diffusion-rule/support; Intel//h20-china-sales/oppose; "
            "Nvidia//h20-china-sales/oppose");
  EXPECT_TRUE(AggregateStances({}).empty());
}

// ---------------------------------------------------------------------------------------------
// Loading

std::string LoadError(const std::string& name, const std::string& cues) {
  fs::path dir = WriteLexicon(name, cues);
  auto loaded = StanceLexicon::Load({dir.string()});
  if (loaded.ok()) return "OK";
  std::string message = loaded.status().ToString();
  return message.substr(message.find("stance_cues.tsv"));
}

TEST(StanceLexiconTest, ReportsMalformedCueRowsWithTheirLine) {
  struct Case {
    const char* row;
    const char* error;
  };
  const Case cases[] = {
      {"en\tshout\tloud\toppose\t1\t", "stance_cues.tsv:1: unknown kind 'shout'"},
      {"en\tcriticize\tslams\tagainst\t1\t",
       "stance_cues.tsv:1: polarity must be support or oppose, got 'against'"},
      {"en\tnegation\tnot\toppose\t1\t", "stance_cues.tsv:1: kind negation takes no polarity"},
      {"en\tcriticize\tslams\toppose\t1.5\t",
       "stance_cues.tsv:1: weight must be a number in (0, 1], got '1.5'"},
      {"en\tpolicy\th30\t\t1\th30-rule", "stance_cues.tsv:1: unknown policy 'h30-rule'"},
      {"en\tcriticize\tslams\toppose\t1\th20-china-sales",
       "stance_cues.tsv:1: only policy rows name a policy"},
      {"en\tcriticize\t(slams\toppose\t1\t",
       "stance_cues.tsv:1: invalid pattern '(slams': missing ): (slams"},
      {"en\tcriticize\t(?:slams)?\toppose\t1\t",
       "stance_cues.tsv:1: pattern '(?:slams)?' matches the empty string"},
      {"en\tcriticize\tslams\toppose\t1\n",
       "stance_cues.tsv:1: expected 6 tab-separated fields, got 5"},
  };
  int n = 0;
  for (const Case& c : cases) {
    EXPECT_EQ(LoadError("error" + std::to_string(n++), c.row), c.error) << c.row;
  }
}

TEST(StanceLexiconTest, ReportsMalformedActorAndPolicyRows) {
  struct Case {
    const char* file;
    const char* row;
    const char* error;
  };
  const Case cases[] = {
      {"actors.tsv", "en\tthe firm\t\t\t@firm\t\t\n", "actors.tsv:1: unknown reference '@firm'"},
      {"actors.tsv", "en\tthe firm\t\t\t@company/ministry\t\t\n",
       "actors.tsv:1: only @organization takes kinds, got '@company/ministry'"},
      {"actors.tsv", "en\tthe body\t\t\t@organization/\t\t\n",
       "actors.tsv:1: no organization kind in '@organization/'"},
      {"actors.tsv", "en\tthe era\t2025\t\tBiden administration\t\tUS\n",
       "actors.tsv:1: date must be YYYY-MM-DD or empty, got '2025'"},
      {"policy_context.tsv", "ai-diffusion-rule\tUS\tUS Government\t\t\t1\tbroad\n",
       "policy_context.tsv:1: scope must be general or specific, got 'broad'"},
  };
  int n = 0;
  for (const Case& c : cases) {
    fs::path dir = WriteLexicon("bad_row" + std::to_string(n++));
    WriteTextFile(dir / c.file, c.row);
    auto loaded = StanceLexicon::Load({dir.string()});
    ASSERT_FALSE(loaded.ok()) << c.row;
    EXPECT_NE(loaded.status().message().find(c.error), std::string::npos)
        << loaded.status().message();
  }
}

TEST(StanceLexiconTest, MissingTableIsAnIoError) {
  fs::path dir = WriteLexicon("missing");
  fs::remove(dir / "actors.tsv");
  auto loaded = StanceLexicon::Load({dir.string()});
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kIoError);
}

// The shipped cue rows of the rules above, read by every extractor as the pipeline runs them:
// a government that introduced a rule holds it in each language the tables cover, a positive
// reading of a rule is support, and describing a rule or complying with it is no position.
TEST(ShippedStanceCuesTest, FindPositionsInTheShippedTables) {
  auto lexicons = Lexicons::Load({DefaultLexiconDir()});
  ASSERT_TRUE(lexicons.ok()) << lexicons.status().ToString();
  struct Case {
    const char* language;
    const char* text;
    const char* stances;
  };
  const Case cases[] = {
      {"en",
       "The Commerce Department withdrew the AI diffusion rule, the Biden administration's "
       "framework for chip exports.",
       "Department of Commerce//ai-diffusion-rule/oppose; "
       "Biden administration//ai-diffusion-rule/support"},
      {"de",
       "Die AI Diffusion Rule tritt nicht in Kraft. Die Biden-Regierung hatte die Regel im "
       "Herbst vorgelegt.",
       "Biden administration//ai-diffusion-rule/support"},
      {"de",
       "Die AI Diffusion Rule tritt nicht in Kraft. Die Biden-Regierung legte im Herbst neue "
       "Regeln für Rechenzentren vor.",
       "Biden administration//ai-diffusion-rule/support"},
      {"fr",
       "L'AI Diffusion Rule ne s'appliquera pas. L'administration Biden avait présenté ces "
       "règles en automne.",
       "Biden administration//ai-diffusion-rule/support"},
      {"es",
       "La AI Diffusion Rule no entrará en vigor. La administración Biden presentó las reglas "
       "en otoño.",
       "Biden administration//ai-diffusion-rule/support"},
      {"de",
       "Die AI Diffusion Rule tritt in Kraft. Das Handelsministerium verteidigte seine Regeln am "
       "Montag.",
       "Department of Commerce//ai-diffusion-rule/support"},
      {"fr",
       "L'AI Diffusion Rule entre en vigueur. Le département du Commerce a défendu ses règles "
       "lundi.",
       "Department of Commerce//ai-diffusion-rule/support"},
      {"es",
       "La AI Diffusion Rule entra en vigor. El Departamento de Comercio defendió sus reglas el "
       "lunes.",
       "Department of Commerce//ai-diffusion-rule/support"},
      {"en",
       "Intel welcomed the AI diffusion rule's audits. The company said the framework would give "
       "allies a clearer path to American processors.",
       "Intel//ai-diffusion-rule/support; Intel//ai-diffusion-rule/support"},
      {"en",
       "The US chip export controls date from 2022. The Biden administration on Monday unveiled "
       "another round of restrictions on chip sales to China.",
       "Biden administration//us-chip-export-controls/support"},
      {"en",
       "The US chip export controls date from 2022. The Biden administration on Monday unveiled "
       "another round of talks with China.",
       ""},
      {"en", "Intel said it would comply with the AI diffusion rule.", ""},
      {"en", "Intel said the AI diffusion rule sets security standards for data centers.", ""},
      {"de",
       "Die AI Diffusion Rule tritt in Kraft. Nvidia hat die Regeln im Herbst veröffentlicht.", ""},
  };
  for (const Case& c : cases) {
    Document doc = testing::MakeDocument(c.text, c.language, "2025-05-20");
    EXPECT_EQ(Dump(Annotate(doc, *lexicons).stances), c.stances) << c.text;
  }
}

// The shipped tables parse, and cover every policy and the languages the corpus is in.
TEST(StanceLexiconTest, ShippedTablesParseAndCoverEveryPolicy) {
  auto loaded = StanceLexicon::Load({DefaultLexiconDir()});
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const StanceLexicon::Impl& impl = loaded->impl();
  auto policies = ReadLexiconTable({DefaultLexiconDir()}, "policies.tsv", 5, 2);
  ASSERT_TRUE(policies.ok()) << policies.status().ToString();
  for (const TsvRow& row : *policies) {
    EXPECT_NE(impl.FindPolicy(row.fields[0]), nullptr) << row.fields[0] << " has no context";
  }
  std::set<std::string> polar_languages;
  for (const CueRow& cue : impl.cues) {
    if (IsPolar(cue.kind)) polar_languages.insert(cue.language);
  }
  for (const char* language : {"en", "zh", "de", "fr", "es", "ja", "ko"}) {
    EXPECT_TRUE(polar_languages.count(language)) << language;
  }
  EXPECT_NE(impl.GeneralPolicyOf("US"), nullptr);
  EXPECT_NE(impl.GeneralPolicyOf("CN"), nullptr);
}

}  // namespace
}  // namespace stancetrack

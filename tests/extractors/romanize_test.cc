#include "extractors/romanize.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace stancetrack {
namespace {

TEST(HanNameRomanizerTest, WritesSurnameThenGivenNameAsOneWord) {
  HanNameRomanizer romanizer;
  EXPECT_EQ(romanizer.Romanize("王文涛", 3), "Wang Wentao");
  EXPECT_EQ(romanizer.Romanize("张欣", 3), "Zhang Xin");
  EXPECT_EQ(romanizer.Romanize("欧阳明", 6), "Ouyang Ming");  // a two-character surname
}

TEST(HanNameRomanizerTest, ReadsSurnamesAsSurnames) {
  HanNameRomanizer romanizer;
  EXPECT_EQ(romanizer.Romanize("曾毅", 3), "Zeng Yi");        // not ceng
  EXPECT_EQ(romanizer.Romanize("解振华", 3), "Xie Zhenhua");  // not jie
}

TEST(HanNameRomanizerTest, GivesNothingWithoutBothParts) {
  HanNameRomanizer romanizer;
  EXPECT_EQ(romanizer.Romanize("王", 3), "");
  EXPECT_EQ(romanizer.Romanize("王文涛", 0), "");
  EXPECT_EQ(romanizer.Romanize("王Bo", 3), "");  // the given name is not Han
}

TEST(HanNameRomanizerTest, ServesManyThreadsAtOnce) {
  HanNameRomanizer romanizer;
  std::vector<std::string> out(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < out.size(); ++i) {
    threads.emplace_back([&, i] { out[i] = romanizer.Romanize("李小加", 3); });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& name : out) EXPECT_EQ(name, "Li Xiaojia");
}

}  // namespace
}  // namespace stancetrack

//===- RegexTest.cpp - The RegexFullMatch engine --------------------------===//
//
// Full matches of RE2-syntax patterns, and the errors for patterns the
// engine refuses.
//
//===----------------------------------------------------------------------===//

#include "llmos/Runtime/llmos_regex.h"

#include <gtest/gtest.h>

#include <string>

namespace {

bool matches(const char *pattern, const std::string &text) {
  llmos::regex::Program program = llmos::regex::compile(pattern);
  EXPECT_EQ(program.error, "") << pattern;
  return llmos::regex::fullMatch(program, text);
}

std::string errorOf(const char *pattern) {
  return llmos::regex::compile(pattern).error;
}

} // namespace

TEST(Regex, FullMatchesOnly) {
  EXPECT_TRUE(matches("abc", "abc"));
  EXPECT_FALSE(matches("abc", "abcd"));
  EXPECT_FALSE(matches("abc", "xabc"));
  EXPECT_TRUE(matches("", ""));
  EXPECT_FALSE(matches("", "a"));
  EXPECT_TRUE(matches("^a.c$", "abc"));
}

TEST(Regex, Operators) {
  EXPECT_TRUE(matches("a*", ""));
  EXPECT_TRUE(matches("a*", "aaaa"));
  EXPECT_FALSE(matches("a+", ""));
  EXPECT_TRUE(matches("colou?r", "color"));
  EXPECT_TRUE(matches("colou?r", "colour"));
  EXPECT_TRUE(matches("(ab|cd)+e", "abcdabe"));
  EXPECT_FALSE(matches("(ab|cd)+e", "abce"));
  EXPECT_TRUE(matches("(?:x|y){2,3}", "xyx"));
  EXPECT_FALSE(matches("(?:x|y){2,3}", "x"));
  EXPECT_FALSE(matches("(?:x|y){2,3}", "xyxy"));
  EXPECT_TRUE(matches("a{3}", "aaa"));
  EXPECT_TRUE(matches("a{2,}", "aaaaa"));
  EXPECT_TRUE(matches("a.*?b", "axxb")); // lazy: the same full matches
  EXPECT_TRUE(matches("(?P<user>\\w+)@(\\w+)\\.com", "john_doe@example.com"));
  EXPECT_TRUE(matches("a{,2}", "a{,2}")); // '{' that starts no count
  // Linear time where a backtracking engine would not finish.
  EXPECT_FALSE(matches("(a*)*b", std::string(5000, 'a')));
}

TEST(Regex, Classes) {
  EXPECT_TRUE(matches("[a-c]+", "abcab"));
  EXPECT_FALSE(matches("[a-c]+", "abd"));
  EXPECT_TRUE(matches("[^0-9]+", "ab-"));
  EXPECT_FALSE(matches("[^0-9]+", "a1"));
  EXPECT_TRUE(matches("\\d{3}-\\d{4}", "555-1234"));
  EXPECT_TRUE(matches("\\s*\\S+\\s*", "  word "));
  EXPECT_TRUE(matches("[\\w.]+", "a.b_c"));
  EXPECT_TRUE(matches("[[:upper:]][[:lower:]]*", "Hello"));
  EXPECT_TRUE(matches("[]a]+", "]a]"));
  EXPECT_TRUE(matches("[a-]+", "a-a"));
  EXPECT_TRUE(matches("\\x41\\x{42}", "AB"));
  EXPECT_TRUE(matches("\\.\\*\\\\", ".*\\"));
  EXPECT_FALSE(matches(".", "\n"));
}

TEST(Regex, Utf8) {
  EXPECT_TRUE(matches("h.llo", "h\xC3\xA9llo")); // one character
  EXPECT_TRUE(matches("[\xC3\xA0-\xC3\xBF]+", "\xC3\xA9\xC3\xA8"));
  EXPECT_TRUE(matches("\xE2\x82\xAC\\d+", "\xE2\x82\xAC" "42"));
}

TEST(Regex, RefusedPatterns) {
  EXPECT_EQ(errorOf("(ab"), "missing ')' at offset 3");
  EXPECT_EQ(errorOf("ab)"), "unmatched ')' at offset 2");
  EXPECT_EQ(errorOf("[ab"), "missing ']' at offset 3");
  EXPECT_EQ(errorOf("*a"), "missing argument to repetition operator at offset 0");
  EXPECT_EQ(errorOf("a**"), "bad repetition operator at offset 3");
  EXPECT_EQ(errorOf("a{1001}"), "bad repetition count at offset 7");
  EXPECT_EQ(errorOf("[z-a]"), "bad character class range at offset 4");
  EXPECT_EQ(errorOf("(?i)abc"), "unsupported group flags at offset 1");
  EXPECT_EQ(errorOf("\\bword"), "unsupported escape \\b at offset 2");
  EXPECT_EQ(errorOf("a\\"), "trailing '\\' at offset 2");
  EXPECT_EQ(errorOf("[[:nope:]]"), "unknown POSIX class [:nope:] at offset 1");
}

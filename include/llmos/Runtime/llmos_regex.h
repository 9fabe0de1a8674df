//===- llmos_regex.h - Regular expressions for RegexFullMatch ---*- C++ -*-===//
//
// A small regular-expression engine for ONNX RegexFullMatch, header-only
// plain C++17 so that the runtime (which runs it) and the compiler (which
// checks patterns when it compiles a model) share one parser. Patterns use
// RE2 syntax, the syntax ONNX specifies; matching simulates the NFA (a
// Thompson / Pike machine), so its time is linear in the text, like RE2's.
//
// Supported: literals (UTF-8), `.` (any character but newline), `^`, `$`,
// `[...]` and `[^...]` classes with ranges, escapes and `[:alpha:]`-style
// POSIX classes, `\d \D \w \W \s \S`, escaped punctuation, `\n \t \r \f \v
// \a`, `\xHH` and `\x{H...}`, groups `(...)`, `(?:...)`, `(?P<name>...)`,
// `(?<name>...)`, alternation `|`, and the quantifiers `* + ? {n} {n,}
// {n,m}` (each also lazy with a trailing `?`, which does not change a full
// match). Refused with a message: flags such as `(?i)`, `\b`, `\p{...}`,
// back references, repetition counts over 1000.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_RUNTIME_LLMOS_REGEX_H
#define LLMOS_RUNTIME_LLMOS_REGEX_H

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmos::regex {

/// One instruction of the NFA program.
struct Inst {
  enum Kind { Char, Class, Any, Split, Jump, Begin, End, Match } kind;
  uint32_t c = 0;              // Char
  int x = 0, y = 0;            // Split (both), Jump (x)
  bool negated = false;        // Class
  std::vector<std::pair<uint32_t, uint32_t>> ranges; // Class
};

/// A compiled pattern; `error` is empty when the pattern is valid.
struct Program {
  std::vector<Inst> insts;
  std::string error;
};

namespace detail {

/// Decodes one UTF-8 code point at `i` (a malformed byte is taken as is).
inline uint32_t decode(std::string_view s, size_t &i) {
  unsigned char b = s[i++];
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (!extra || i + extra > s.size())
    return b;
  uint32_t c = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    unsigned char next = s[i];
    if ((next & 0xC0) != 0x80)
      return b;
    c = (c << 6) | (next & 0x3F);
    ++i;
  }
  return c;
}

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;

inline Inst make(Inst::Kind kind, uint32_t c = 0) {
  Inst inst{kind, c, 0, 0, false, {}};
  return inst;
}

/// A pattern as a tree: what the parser builds and the compiler lowers.
struct Node {
  enum Kind { Empty, Char, Class, Any, Begin, End, Concat, Alt, Repeat } kind;
  uint32_t c = 0;
  Ranges ranges;
  bool negated = false;
  std::vector<Node> children;
  int min = 0, max = -1; // Repeat; max -1 for unbounded
};

class Parser {
public:
  explicit Parser(std::string_view pattern) : p(pattern) {}

  bool parse(Node &out, std::string &error) {
    out = alternation();
    if (err.empty() && i < p.size())
      fail("unmatched ')'");
    error = err;
    return err.empty();
  }

private:
  std::string_view p;
  size_t i = 0;
  std::string err;
  int depth = 0;

  void fail(const std::string &message) {
    if (err.empty())
      err = message + " at offset " + std::to_string(i);
  }
  bool more() const { return err.empty() && i < p.size(); }

  Node alternation() {
    Node first = concatenation();
    if (!more() || p[i] != '|')
      return first;
    Node alt;
    alt.kind = Node::Alt;
    alt.children.push_back(std::move(first));
    while (more() && p[i] == '|') {
      ++i;
      alt.children.push_back(concatenation());
    }
    return alt;
  }

  Node concatenation() {
    Node seq;
    seq.kind = Node::Concat;
    while (more() && p[i] != '|' && p[i] != ')')
      seq.children.push_back(repetition());
    return seq;
  }

  /// Reads a decimal number of at most 4 digits; -1 when there is none.
  int number() {
    int value = -1;
    while (i < p.size() && p[i] >= '0' && p[i] <= '9') {
      value = (value < 0 ? 0 : value) * 10 + (p[i++] - '0');
      if (value > 100000)
        value = 100000;
    }
    return value;
  }

  Node repetition() {
    Node atom = this->atom();
    bool quantified = false;
    while (more()) {
      int min, max;
      char q = p[i];
      if (q == '*') {
        min = 0, max = -1, ++i;
      } else if (q == '+') {
        min = 1, max = -1, ++i;
      } else if (q == '?') {
        min = 0, max = 1, ++i;
      } else if (q == '{') {
        size_t start = i++;
        min = number();
        max = min;
        if (i < p.size() && p[i] == ',') {
          ++i;
          max = number();
        }
        if (min < 0 || i >= p.size() || p[i] != '}') {
          // RE2 reads a '{' that starts no count as a literal.
          i = start;
          return atom;
        }
        ++i;
        if (min > 1000 || max > 1000 || (max >= 0 && max < min)) {
          fail("bad repetition count");
          return atom;
        }
      } else {
        return atom;
      }
      if (i < p.size() && p[i] == '?')
        ++i; // lazy: the same set of full matches
      if (quantified) { // a** (but (a*)* is fine)
        fail("bad repetition operator");
        return atom;
      }
      quantified = true;
      Node repeat;
      repeat.kind = Node::Repeat;
      repeat.min = min;
      repeat.max = max;
      repeat.children.push_back(std::move(atom));
      atom = std::move(repeat);
    }
    return atom;
  }

  static Ranges perlClass(char c, bool &negated) {
    negated = c >= 'A' && c <= 'Z';
    switch (c | 0x20) {
    case 'd': return {{'0', '9'}};
    case 's': return {{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}};
    default: return {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; // w
    }
  }

  /// An escape after '\' outside or inside a class: a code point, or a
  /// Perl class (`isClass`).
  uint32_t escape(bool &isClass, Ranges &ranges, bool &negated) {
    isClass = false;
    if (i >= p.size()) {
      fail("trailing '\\'");
      return 0;
    }
    char c = p[i++];
    switch (c) {
    case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
      isClass = true;
      ranges = perlClass(c, negated);
      return 0;
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'a': return '\a';
    case 'x': {
      uint32_t value = 0;
      int digits = 0;
      bool braced = i < p.size() && p[i] == '{';
      if (braced)
        ++i;
      while (i < p.size() && (braced || digits < 2)) {
        char h = p[i];
        int v = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (v < 0)
          break;
        value = value * 16 + v;
        ++i, ++digits;
        if (value > 0x10FFFF) {
          fail("bad escape \\x");
          return 0;
        }
      }
      if (braced && (i >= p.size() || p[i] != '}'))
        digits = 0;
      else if (braced)
        ++i;
      if (!digits || (!braced && digits != 2))
        fail("bad escape \\x");
      return value;
    }
    default:
      // Punctuation escapes itself; letters and digits are other escapes
      // (\b, \p, back references, ...) that are not supported.
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9')) {
        fail(std::string("unsupported escape \\") + c);
        return 0;
      }
      return (unsigned char)c;
    }
  }

  static void append(Ranges &to, const Ranges &from, bool negated) {
    if (!negated) {
      to.insert(to.end(), from.begin(), from.end());
      return;
    }
    uint32_t next = 0; // the complement of sorted, disjoint ranges
    for (auto [lo, hi] : from) {
      if (lo > next)
        to.push_back({next, lo - 1});
      next = hi + 1;
    }
    to.push_back({next, 0x10FFFF});
  }

  Node characterClass() {
    Node node;
    node.kind = Node::Class;
    if (i < p.size() && p[i] == '^') {
      node.negated = true;
      ++i;
    }
    bool first = true;
    while (err.empty()) {
      if (i >= p.size()) {
        fail("missing ']'");
        break;
      }
      if (p[i] == ']' && !first) {
        ++i;
        break;
      }
      first = false;
      if (p.substr(i, 2) == "[:") {
        size_t close = p.find(":]", i + 2);
        if (close == std::string_view::npos) {
          fail("bad POSIX class");
          break;
        }
        std::string_view name = p.substr(i + 2, close - i - 2);
        bool negated = !name.empty() && name[0] == '^';
        if (negated)
          name.remove_prefix(1);
        Ranges r;
        if (name == "alpha") r = {{'A', 'Z'}, {'a', 'z'}};
        else if (name == "digit") r = {{'0', '9'}};
        else if (name == "alnum") r = {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}};
        else if (name == "upper") r = {{'A', 'Z'}};
        else if (name == "lower") r = {{'a', 'z'}};
        else if (name == "space") r = {{'\t', '\r'}, {' ', ' '}};
        else if (name == "xdigit") r = {{'0', '9'}, {'A', 'F'}, {'a', 'f'}};
        else if (name == "punct") r = {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}};
        else if (name == "word") r = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
        else {
          fail("unknown POSIX class [:" + std::string(name) + ":]");
          break;
        }
        append(node.ranges, r, negated);
        i = close + 2;
        continue;
      }
      uint32_t lo;
      if (p[i] == '\\') {
        ++i;
        bool isClass, negated;
        Ranges r;
        lo = escape(isClass, r, negated);
        if (isClass) {
          append(node.ranges, r, negated);
          continue;
        }
      } else {
        lo = decode(p, i);
      }
      uint32_t hi = lo;
      if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
        ++i;
        if (p[i] == '\\') {
          ++i;
          bool isClass, negated;
          Ranges r;
          hi = escape(isClass, r, negated);
          if (isClass)
            fail("bad character class range");
        } else {
          hi = decode(p, i);
        }
        if (hi < lo)
          fail("bad character class range");
      }
      node.ranges.push_back({lo, hi});
    }
    return node;
  }

  Node atom() {
    Node node;
    char c = p[i];
    switch (c) {
    case '(': {
      ++i;
      if (p.substr(i, 2) == "?:") {
        i += 2;
      } else if (p.substr(i, 3) == "?P<" || p.substr(i, 2) == "?<") {
        size_t close = p.find('>', i);
        if (close == std::string_view::npos) {
          fail("bad named group");
          return node;
        }
        i = close + 1;
      } else if (i < p.size() && p[i] == '?') {
        fail("unsupported group flags");
        return node;
      }
      if (++depth > 1000) {
        fail("groups nest too deeply");
        return node;
      }
      node = alternation();
      --depth;
      if (i >= p.size() || p[i] != ')')
        fail("missing ')'");
      else
        ++i;
      return node;
    }
    case '[':
      ++i;
      return characterClass();
    case '.':
      ++i;
      node.kind = Node::Any;
      return node;
    case '^':
      ++i;
      node.kind = Node::Begin;
      return node;
    case '$':
      ++i;
      node.kind = Node::End;
      return node;
    case '*': case '+': case '?':
      fail("missing argument to repetition operator");
      return node;
    case '\\': {
      ++i;
      bool isClass;
      uint32_t code = escape(isClass, node.ranges, node.negated);
      node.kind = isClass ? Node::Class : Node::Char;
      node.c = code;
      return node;
    }
    default:
      node.kind = Node::Char;
      node.c = decode(p, i);
      return node;
    }
  }
};

class Compiler {
public:
  std::vector<Inst> insts;

  bool emit(const Node &node) {
    if (insts.size() > 200000)
      return false; // the program would be too large
    switch (node.kind) {
    case Node::Empty: return true;
    case Node::Char: add(make(Inst::Char, node.c)); return true;
    case Node::Any: add(make(Inst::Any)); return true;
    case Node::Begin: add(make(Inst::Begin)); return true;
    case Node::End: add(make(Inst::End)); return true;
    case Node::Class: {
      Inst inst = make(Inst::Class);
      inst.ranges = node.ranges;
      inst.negated = node.negated;
      add(std::move(inst));
      return true;
    }
    case Node::Concat:
      for (const Node &child : node.children)
        if (!emit(child))
          return false;
      return true;
    case Node::Alt: {
      // split L1, next; L1: a; jmp end; next: split ...; last alternative
      std::vector<int> jumps;
      for (size_t k = 0; k + 1 < node.children.size(); ++k) {
        int split = add(make(Inst::Split));
        insts[split].x = size();
        if (!emit(node.children[k]))
          return false;
        jumps.push_back(add(make(Inst::Jump)));
        insts[split].y = size();
      }
      if (!emit(node.children.back()))
        return false;
      for (int j : jumps)
        insts[j].x = size();
      return true;
    }
    case Node::Repeat: {
      const Node &body = node.children[0];
      for (int k = 0; k < node.min; ++k)
        if (!emit(body))
          return false;
      if (node.max < 0) {
        // loop: split body, end; body; jmp loop
        int split = add(make(Inst::Split));
        insts[split].x = size();
        if (!emit(body))
          return false;
        int jump = add(make(Inst::Jump));
        insts[jump].x = split;
        insts[split].y = size();
        return true;
      }
      std::vector<int> splits;
      for (int k = node.min; k < node.max; ++k) {
        int split = add(make(Inst::Split));
        insts[split].x = size();
        splits.push_back(split);
        if (!emit(body))
          return false;
      }
      for (int s : splits)
        insts[s].y = size();
      return true;
    }
    }
    return true;
  }

private:
  int size() const { return (int)insts.size(); }
  int add(Inst inst) {
    insts.push_back(std::move(inst));
    return size() - 1;
  }
};

} // namespace detail

/// Compiles `pattern`; on failure `error` says why and where.
inline Program compile(std::string_view pattern) {
  Program program;
  detail::Node root;
  detail::Parser parser(pattern);
  if (!parser.parse(root, program.error))
    return program;
  detail::Compiler compiler;
  if (!compiler.emit(root)) {
    program.error = "pattern too large";
    return program;
  }
  compiler.insts.push_back(detail::make(Inst::Match));
  program.insts = std::move(compiler.insts);
  return program;
}

namespace detail {

inline bool inClass(const Inst &inst, uint32_t c) {
  bool in = false;
  for (auto [lo, hi] : inst.ranges)
    if (c >= lo && c <= hi) {
      in = true;
      break;
    }
  return in != inst.negated;
}

/// Adds `pc` and what it reaches without reading to `list` (each state
/// once per step, `mark` holding the step that added it).
inline void addState(const Program &prog, std::vector<int> &list,
                     std::vector<size_t> &mark, size_t step, int pc,
                     bool atBegin, bool atEnd, std::vector<int> &stack) {
  stack.push_back(pc);
  while (!stack.empty()) {
    int s = stack.back();
    stack.pop_back();
    if (mark[s] == step)
      continue;
    mark[s] = step;
    const Inst &inst = prog.insts[s];
    switch (inst.kind) {
    case Inst::Jump: stack.push_back(inst.x); break;
    case Inst::Split:
      stack.push_back(inst.y);
      stack.push_back(inst.x);
      break;
    case Inst::Begin:
      if (atBegin)
        stack.push_back(s + 1);
      break;
    case Inst::End:
      if (atEnd)
        stack.push_back(s + 1);
      break;
    default: list.push_back(s); break;
    }
  }
}

} // namespace detail

/// Whether `program` (valid) matches all of `text`.
inline bool fullMatch(const Program &program, std::string_view text) {
  size_t n = program.insts.size();
  std::vector<int> current, next, stack;
  std::vector<size_t> mark(n, 0);
  size_t step = 1;
  detail::addState(program, current, mark, step, 0, true, text.empty(),
                   stack);
  size_t i = 0;
  while (i < text.size() && !current.empty()) {
    uint32_t c = detail::decode(text, i);
    next.clear();
    ++step;
    for (int s : current) {
      const Inst &inst = program.insts[s];
      bool ok = inst.kind == Inst::Char    ? inst.c == c
                : inst.kind == Inst::Any   ? c != '\n'
                : inst.kind == Inst::Class ? detail::inClass(inst, c)
                                           : false;
      if (ok)
        detail::addState(program, next, mark, step, s + 1, false,
                         i == text.size(), stack);
    }
    std::swap(current, next);
  }
  if (i < text.size())
    return false;
  for (int s : current)
    if (program.insts[s].kind == Inst::Match)
      return true;
  return false;
}

} // namespace llmos::regex

#endif // LLMOS_RUNTIME_LLMOS_REGEX_H

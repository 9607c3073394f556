#include "app/config_parser.hpp"

#include <fstream>

#include <fmt/format.h>

namespace srs {

namespace {

enum class TokenKind { word, semicolon, open, close, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;
  bool quoted = false;
  int line = 1;
};

// Splits the text into words and the three punctuation marks, dropping comments.
class Lexer {
 public:
  Lexer(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  Result<Token> next() {
    skip_space_and_comments();
    Token t;
    t.line = line_;
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    if (c == ';' || c == '{' || c == '}') {
      ++pos_;
      t.kind = c == ';' ? TokenKind::semicolon : c == '{' ? TokenKind::open : TokenKind::close;
      return t;
    }
    t.kind = TokenKind::word;
    if (c == '"' || c == '\'') return quoted(std::move(t), c);
    const size_t start = pos_;
    while (pos_ < text_.size() && !is_space(text_[pos_]) && !is_punct(text_[pos_])) ++pos_;
    t.text.assign(text_.substr(start, pos_ - start));
    return t;
  }

  const std::string& file() const { return file_; }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static bool is_punct(char c) { return c == ';' || c == '{' || c == '}'; }

  void skip_space_and_comments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') ++line_;
      if (is_space(c)) {
        ++pos_;
      } else if (c == '#') {  // only reached at the start of a token
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  // No escapes inside quotes: the text runs to the next identical quote character.
  Result<Token> quoted(Token t, char quote) {
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= text_.size()) {
      return fail(config_errc::parse,
                  fmt::format("{}:{}: unterminated quoted string", file_, t.line));
    }
    t.text.assign(text_.substr(start, pos_ - start));
    t.quoted = true;
    ++pos_;
    if (pos_ < text_.size()) {
      const char after = text_[pos_];
      if (!is_space(after) && after != ';' && after != '{') {
        return fail(config_errc::parse,
                    fmt::format("{}:{}: unexpected '{}' after quoted string \"{}\"", file_, line_,
                                after, t.text));
      }
    }
    return t;
  }

  std::string_view text_;
  const std::string& file_;
  size_t pos_ = 0;
  int line_ = 1;
};

std::string dir_of(const std::string& file) {
  const auto slash = file.rfind('/');
  return slash == std::string::npos ? std::string() : file.substr(0, slash + 1);
}

// A config is a few KiB; the bound keeps `include /dev/zero;` or a log file named by
// mistake from eating memory.
constexpr size_t kMaxConfigFileBytes = 8u << 20;

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(config_errc::io, fmt::format("open config file {}", path));
  std::string text;
  char buf[64 * 1024];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxConfigFileBytes) {
      return fail(config_errc::io,
                  fmt::format("config file {} is larger than {} bytes", path, kMaxConfigFileBytes));
    }
  }
  if (in.bad()) return fail(config_errc::io, fmt::format("read config file {}", path));
  return text;
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& file, bool allow_include, int depth)
      : lexer_(text, file), allow_include_(allow_include), depth_(depth) {}

  Result<Directive> parse() {
    Directive root;
    root.file = lexer_.file();
    if (auto r = parse_block(root, true); !r) return std::unexpected(r.error());
    return root;
  }

 private:
  std::unexpected<Error> error_at(int line, std::string_view what) {
    return fail(config_errc::parse, fmt::format("{}:{}: {}", lexer_.file(), line, what));
  }
  std::unexpected<Error> error_in(const Directive& d, std::string_view what) {
    return directive_error(d, d.name, what, config_errc::parse);
  }

  // Reads directives into `parent` until its closing brace (or the end for the root).
  Result<> parse_block(Directive& parent, bool top) {
    Directive current;
    bool named = false;
    for (;;) {
      auto token = lexer_.next();
      if (!token) return std::unexpected(token.error());
      switch (token->kind) {
        case TokenKind::word:
          if (token->quoted && token->text.empty()) break;  // "" is no argument at all
          if (!named) {
            current = Directive{std::move(token->text), {}, {}, lexer_.file(), token->line};
            named = true;
          } else {
            current.args.push_back(std::move(token->text));
          }
          break;
        case TokenKind::semicolon:
          if (!named) return error_at(token->line, "';' with no directive name before it");
          if (auto r = finish(parent, std::move(current)); !r) return r;
          named = false;
          break;
        case TokenKind::open:
          if (!named) return error_at(token->line, "'{' with no directive name before it");
          if (auto r = parse_block(current, false); !r) return r;
          parent.children.push_back(std::move(current));
          named = false;
          break;
        case TokenKind::close:
          if (named) return error_in(current, "missing ';' before '}'");
          if (top) return error_at(token->line, "unexpected '}' without an open block");
          return {};
        case TokenKind::end:
          if (named) return error_in(current, "missing ';' at end of file");
          if (!top) return error_in(parent, "block not closed with '}' at end of file");
          return {};
      }
    }
  }

  Result<> finish(Directive& parent, Directive d) {
    if (d.name != "include" || !allow_include_) {
      parent.children.push_back(std::move(d));
      return {};
    }
    if (d.args.empty()) return error_in(d, "needs a file name");
    if (depth_ >= kMaxIncludeDepth) {
      return error_in(d, fmt::format("nested deeper than {} files", kMaxIncludeDepth));
    }
    for (const auto& name : d.args) {
      const std::string path = name.starts_with('/') ? name : dir_of(lexer_.file()) + name;
      auto text = read_file(path);
      if (!text) return error_in(d, text.error().context);
      auto sub = Parser(*text, path, true, depth_ + 1).parse();
      if (!sub) return std::unexpected(sub.error());
      for (auto& c : sub->children) parent.children.push_back(std::move(c));
    }
    return {};
  }

  Lexer lexer_;
  bool allow_include_;
  int depth_;
};

}  // namespace

Result<Directive> parse_config_text(std::string_view text, const std::string& file) {
  return Parser(text, file, true, 0).parse();
}

Result<Directive> parse_config_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  return parse_config_text(*text, path);
}

}  // namespace srs

// Header fields of one HTTP message, in arrival order with their original spelling.
// Lookups ignore case (RFC 7230 3.2: field names are case-insensitive); a field sent
// twice stays twice, get() returns the first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace srs::http {

// ASCII case-insensitive equality (header names, tokens, schemes).
bool iequals(std::string_view a, std::string_view b) noexcept;

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first value of `name`, if present.
  std::optional<std::string_view> get(std::string_view name) const noexcept;
  // The first value of `name`, or `fallback`.
  std::string_view get_or(std::string_view name, std::string_view fallback) const noexcept;
  bool has(std::string_view name) const noexcept { return get(name).has_value(); }
  // True if the comma-separated value list of `name` holds `token` (any case).
  bool has_token(std::string_view name, std::string_view token) const noexcept;

  // Appends a field, keeping any existing one of the same name.
  void add(std::string name, std::string value);
  // Replaces every field of `name` by one field (appended if absent).
  void set(std::string_view name, std::string value);
  // Removes every field of `name`; returns how many were removed.
  size_t remove(std::string_view name);

  const std::vector<Field>& fields() const noexcept { return fields_; }
  size_t size() const noexcept { return fields_.size(); }
  bool empty() const noexcept { return fields_.empty(); }
  void clear() noexcept { fields_.clear(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace srs::http

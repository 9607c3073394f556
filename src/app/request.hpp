// What a client asked for: the tcUrl split into schema/host/port/vhost/app, the stream name
// and its parameters, parsed by the rules of spec/README.md ("URLs, vhost, app, stream").
// Tools depend on these rules, so they are followed to the letter.
#pragma once

#include <string>
#include <string_view>

#include "app/config_types.hpp"  // kDefaultVhost

namespace srs {

struct StreamRequest {
  std::string tc_url;
  std::string page_url;
  std::string swf_url;
  double object_encoding = 0;

  std::string schema;
  std::string host;
  std::string port = "1935";
  std::string vhost;
  std::string app;
  std::string stream;
  std::string param;  // from the first '?', verbatim ("?token=abc"), or empty

  // Parses tcUrl into schema, host, port, vhost, app (and the app's parameters).
  void set_tc_url(std::string_view tc_url);
  // Applies the stream name from play/publish (its parameters win over the app's).
  void set_stream(std::string_view name);
  // Empty schema/vhost/port/app or stream refuses the client (spec rule 8).
  bool complete() const noexcept;
  // The stream key: vhost/app/stream, or /app/stream for the default vhost.
  std::string stream_url() const;

 private:
  std::string raw_app_;     // the app as sent, parameters included
  std::string raw_stream_;  // the stream name as sent
  void resolve();
};

}  // namespace srs

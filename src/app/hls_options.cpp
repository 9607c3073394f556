#include "app/hls_options.hpp"

namespace srs {

std::optional<HlsOnError> parse_hls_on_error(std::string_view v) noexcept {
  if (v == "ignore") return HlsOnError::ignore;
  if (v == "disconnect") return HlsOnError::disconnect;
  if (v == "continue") return HlsOnError::continue_;
  return std::nullopt;
}

std::optional<ts::AudioCodec> parse_hls_acodec(std::string_view v) noexcept {
  if (v == "aac") return ts::AudioCodec::aac;
  if (v == "mp3") return ts::AudioCodec::mp3;
  if (v == "an") return ts::AudioCodec::none;
  return std::nullopt;
}

std::optional<ts::VideoCodec> parse_hls_vcodec(std::string_view v) noexcept {
  if (v == "h264") return ts::VideoCodec::h264;
  if (v == "vn") return ts::VideoCodec::none;
  return std::nullopt;
}

}  // namespace srs

// The one place the server's identity and version live; the banner, `-v`, the API
// (`srs_version`), RTMP connect replies and HTTP `Server:` headers all read it from here.
#pragma once

#include <string_view>

namespace srs {

inline constexpr int kVersionMajor = 2;
inline constexpr int kVersionMinor = 0;
inline constexpr int kVersionRevision = 300;
inline constexpr std::string_view kVersion = "2.0.300";
inline constexpr std::string_view kServerName = "SRS";
inline constexpr std::string_view kServerSignature = "SRS/2.0.300";

}  // namespace srs

// Static files under a directory (spec hls-dvr §4.1): HLS playlists and segments, DVR
// files, the web console.
//
// - file = dir + (request path with the mount's path removed); a path ending in '/' gets
//   index.html; a directory without the '/' is redirected (302) to it.
// - A path with a ".." segment is 400; a file whose real path (symlinks resolved) is
//   outside dir is 403; missing is 404 "Not Found".
// - GET and HEAD (same headers, no body); other methods 405.
// - `Range: bytes=a-b | a- | -n` gives 206 + Content-Range, or 416 when nothing is
//   selected (a superset of 2.0, which ignored Range). `.mp4?range=a-b` / `?bytes=a-b`
//   give the same 206 (2.0 behaviour).
// - FLV pseudo-streaming, `.flv`/`.fhv` with `?start=N` (N > 0): the answer is a playable
//   FLV starting at byte N, as 2.0 serves seekable FLV: the file's first 13 bytes (the
//   9-byte FLV header and PreviousTagSize0), then its leading script-data and sequence-
//   header tags (so the decoder is configured), then the file from offset N, which the
//   player took from the keyframe index in the metadata. Content-Length is the sum. N at
//   or beyond the end is 416; N inside the leading tags serves the whole file.
// Files are streamed in 64 KiB blocks, never loaded whole.
#pragma once

#include <string>
#include <string_view>

#include "protocol/http/handler.hpp"

namespace srs::http {

class FileServer final : public Handler {
 public:
  // `mount` is the router pattern this handler is registered under ("/", "/hls/",
  // "v.com/live/"); its path part is removed from request paths.
  FileServer(std::string mount, std::string dir);
  awaitable<Result<>> serve(Request& req, ResponseWriter& w) override;

 private:
  std::string prefix_;  // path part of the mount
  std::string dir_;
};

// The real path of `relative` (a decoded request path) under `root`. Errors:
// http_errc::bad_request for a ".." segment, forbidden when the resolved file lies
// outside root, not_found when it does not exist.
Result<std::string> resolve_under(std::string_view root, std::string_view relative);

}  // namespace srs::http

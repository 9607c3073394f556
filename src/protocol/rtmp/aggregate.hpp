// Aggregate messages (RTMP spec 7.1.6, type 22): a run of FLV-tag-like sub-messages in one
// message. Split on receipt so the rest of the server only sees audio/video/data.
#pragma once

#include <vector>

#include "core/error.hpp"
#include "protocol/rtmp/chunk_reader.hpp"

namespace srs::rtmp {

// Splits `aggregate` into its sub-messages, in order. Each sub-message is: type (1 byte),
// size (3), timestamp (3, plus 1 high byte), stream id (3), data, previous tag size (4).
// Timestamps are rebased so the first sub-message gets the aggregate's own timestamp and the
// others keep their distance from it (spec/rtmp.md 5), never going below 0. Sub-messages take
// the aggregate's stream id and chunk stream. Every type is returned; callers keep the
// audio/video ones. Fails with bad_aggregate when a sub-message overruns the payload.
Result<std::vector<Message>> split_aggregate(const Message& aggregate);

}  // namespace srs::rtmp

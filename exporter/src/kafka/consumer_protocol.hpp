// Decoding of the "consumer" group protocol's member assignment (ConsumerProtocolAssignment):
// the bytes a group leader hands each member, which DescribeGroups returns verbatim.
//
//   int16 version | int32 n, n x { string topic | int32 m, m x int32 partition } | bytes user_data
//
// Versions 0 to 3 share this prefix (v1+ only add fields after it), so reading the prefix is
// enough for any broker. Groups of other protocol types (Connect, Streams' custom data, KIP-848
// groups) are not decoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::kafka {

using Assignment = std::vector<std::pair<std::string, int32_t>>;

// nullopt on truncated or malformed bytes; never reads past `size`.
std::optional<Assignment> decode_consumer_assignment(const void* data, size_t size);

}  // namespace lagwatch::kafka

// Whether a consumer group rebalanced between two polls, from what the describe APIs show
// (neither says "a rebalance happened" outright):
//   - a KIP-848 group's epoch is bumped for every new target assignment: a change is a rebalance;
//   - a classic group's generation is not in DescribeGroups, but its members' subscriptions
//     (ConsumerProtocol v2+, Java clients 3.0+) name the generation they last owned partitions
//     in: a newer one is a rebalance; where clients do not tell, a change of members or of
//     their assignments is.
// A classic rebalance that ends with the same members and assignment (e.g. a member restarted
// with a static group.instance.id) and whose clients name no generation is not seen.
#pragma once

#include "model/snapshot.hpp"

namespace lagwatch::model {

// `before` and `after`: the same group at two consecutive polls. False unless both were described.
bool rebalanced(const Group& before, const Group& after);

}  // namespace lagwatch::model

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

// Whether a description can be compared with another: a KIP-848 group's (it has an epoch)
// in any state; a classic group's only while Stable, since outside Stable its members carry no
// assignment, and a poll that lands mid-rebalance would otherwise count it twice (into and out
// of the rebalance).
bool comparable(const Group& g);

// `before`: the group's last comparable description; `after`: this poll's. False unless both
// are comparable and from the same protocol (a KIP-848 group that one poll could only describe
// through DescribeGroups is not a rebalance).
bool rebalanced(const Group& before, const Group& after);

}  // namespace lagwatch::model

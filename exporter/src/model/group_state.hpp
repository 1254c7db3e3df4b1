// A consumer group's state as a number, for alerting and graphing where a label is awkward
// (lagwatch_consumergroup_state). The same codes for both protocols; a state lagwatch does not
// know (a newer broker's) is 0, like "Unknown".
//
//   code  state                 protocol   meaning
//   0     Unknown               both       not described this poll (or a state unknown here)
//   1     Stable                both       members own their assignment and consume
//   2     PreparingRebalance    classic    a rebalance started: members are rejoining
//   3     CompletingRebalance   classic    rejoined; waiting for the leader's assignment
//   4     Empty                 both       no members (offsets may remain)
//   5     Dead                  both       no members and no metadata: being removed
//   6     Assigning             consumer   KIP-848: a new target assignment is being computed
//   7     Reconciling           consumer   KIP-848: members are moving to the new assignment
//   8     NotReady              consumer   KIP-848: the group is being loaded or created
#pragma once

#include <string_view>

namespace lagwatch::model {

inline int group_state_code(std::string_view state) {
  constexpr std::string_view kStates[] = {"Unknown", "Stable", "PreparingRebalance", "CompletingRebalance",
                                          "Empty",   "Dead",   "Assigning",          "Reconciling",
                                          "NotReady"};
  for (int i = 0; i < static_cast<int>(std::size(kStates)); ++i) {
    if (kStates[i] == state) return i;
  }
  return 0;
}

}  // namespace lagwatch::model

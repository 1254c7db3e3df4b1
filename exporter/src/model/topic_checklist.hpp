// The production checklist, per topic: replication factor at least 3, min.insync.replicas at
// least 2, and min.insync.replicas below the replication factor (a topic whose min ISR equals
// its RF stops accepting acks=all writes as soon as one broker is down).
//
// A rule that needs a config lagwatch does not have (DescribeConfigs unavailable) is not
// judged rather than reported as passing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace lagwatch::model {

struct ChecklistResult {
  std::string rule;  // replication_factor_below_3, min_insync_below_2, min_insync_not_below_rf
  bool violated = false;
};

// The smallest replica count over the topic's partitions (a reassignment in progress can
// leave partitions with different counts; the weakest one is what matters).
int replication_factor(const Topic& topic);

std::vector<ChecklistResult> topic_checklist(const Topic& topic, const std::optional<TopicConfig>& config);

}  // namespace lagwatch::model

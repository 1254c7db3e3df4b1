// A Kafka request failed as a whole (no broker answered Metadata, a client could not be
// created); what() names the request and each broker's reason.
#pragma once

#include <stdexcept>

namespace lagwatch::kafka {

class KafkaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace lagwatch::kafka

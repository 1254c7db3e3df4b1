// A tiny builder over prometheus-cpp's data model (MetricFamily / ClientMetric). lagwatch
// renders its metrics from immutable snapshots rather than keeping a mutable Registry: a
// series exists exactly while the snapshot has its subject, so a deleted topic or group
// disappears from /metrics on the next poll without any TTL bookkeeping.
#pragma once

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::publish {

using Labels = std::vector<prometheus::ClientMetric::Label>;

class Families {
 public:
  // Returns the index of a family, creating it on first use (families keep declaration order).
  size_t gauge(const std::string& name, const std::string& help);
  size_t counter(const std::string& name, const std::string& help);

  void add(size_t family, Labels labels, double value);

  std::vector<prometheus::MetricFamily>& families() { return families_; }
  size_t series() const;

 private:
  size_t family(const std::string& name, const std::string& help, prometheus::MetricType type);
  std::vector<prometheus::MetricFamily> families_;
};

}  // namespace lagwatch::publish

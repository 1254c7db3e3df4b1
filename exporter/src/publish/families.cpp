#include "publish/families.hpp"

namespace lagwatch::publish {

size_t Families::family(const std::string& name, const std::string& help, prometheus::MetricType type) {
  for (size_t i = 0; i < families_.size(); ++i) {
    if (families_[i].name == name) return i;
  }
  families_.push_back(prometheus::MetricFamily{name, help, type, {}});
  return families_.size() - 1;
}

size_t Families::gauge(const std::string& name, const std::string& help) {
  return family(name, help, prometheus::MetricType::Gauge);
}

size_t Families::counter(const std::string& name, const std::string& help) {
  return family(name, help, prometheus::MetricType::Counter);
}

void Families::add(size_t index, Labels labels, double value) {
  auto& fam = families_[index];
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  if (fam.type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  fam.metric.push_back(std::move(m));
}

size_t Families::series() const {
  size_t n = 0;
  for (const auto& f : families_) n += f.metric.size();
  return n;
}

}  // namespace lagwatch::publish

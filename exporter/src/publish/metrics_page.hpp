// The /metrics body. Rendered (and gzipped) once per poll, when a cluster publishes a new
// view, so a scrape costs a pointer copy and a tiny per-scrape tail (the age of each
// cluster's data), however many series there are.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/gzip.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {

class MetricsPage {
 public:
  // Replaces one cluster's view and re-renders the page. Called by pollers.
  void update(std::shared_ptr<const collect::ClusterView> view);

  struct Body {
    std::string data;
    bool gzip = false;
  };
  Body scrape(bool accept_gzip) const;

  Views views() const;
  size_t series() const;

 private:
  struct Rendered {
    std::string text;
    std::unique_ptr<http::GzipPrefix> gzipped;
    std::vector<std::pair<std::string, double>> finished_unix;  // per cluster, for the age tail
    size_t series = 0;
  };
  static std::string tail(const Rendered* page);
  static std::shared_ptr<const Rendered> render(const Views& views);

  mutable std::mutex mu_;  // guards the two pointers below, never held while rendering
  Views views_;
  std::shared_ptr<const Rendered> page_;
  std::mutex render_mu_;   // one render at a time, so the newest views always win
};

}  // namespace lagwatch::publish

// The /metrics body. Rendered (and gzipped) once per poll, when a cluster publishes a new
// view, so a scrape costs a pointer copy and a tiny per-scrape tail (the age of each
// cluster's data), however many series there are.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/gzip.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {

class MetricsPage {
 public:
  // Replaces one cluster's view and re-renders the page. Called by pollers.
  void update(std::shared_ptr<const core::ClusterView> view);
  // Drops a cluster that the configuration no longer has (reload) and re-renders the page.
  void remove(const std::string& cluster);

  // A scrape's body: `shared` (pieces rendered once per poll, shared by every scrape until
  // the next poll, never copied; `owner` keeps them alive) followed by `tail` (made for this
  // scrape: the data age and the page's own size). With gzip, they form one gzip member.
  struct Body {
    std::vector<std::string_view> shared;
    std::shared_ptr<const void> owner;
    std::string tail;
    bool gzip = false;

    size_t size() const;
    std::string data() const;  // joined: a copy, for tests
  };
  // `extra` is appended to the tail: families that change between polls (notifier counters).
  Body scrape(bool accept_gzip, const std::string& extra = {}) const;

  Views views() const;
  size_t series() const;

 private:
  struct Rendered {
    std::vector<std::string> pieces;  // the page's text, one piece per family
    size_t text_size = 0;
    std::unique_ptr<http::GzipPrefix> gzipped;
    std::vector<std::pair<std::string, double>> finished_unix;  // per cluster, for the age tail
    std::map<std::string, Labels> cluster_labels;               // static labels, for the tail too
    size_t series = 0;
    double render_seconds = 0;  // collecting, writing and compressing the page
  };
  static std::string tail(const Rendered* page);
  static std::shared_ptr<const Rendered> render(const Views& views);

  mutable std::mutex mu_;  // guards the two pointers below, never held while rendering
  Views views_;
  std::shared_ptr<const Rendered> page_;
  std::mutex render_mu_;  // one render at a time, so the newest views always win
};

}  // namespace lagwatch::publish

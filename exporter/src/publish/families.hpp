// The metric families of one /metrics page, written straight into Prometheus's text exposition
// format (version 0.0.4) as series are added.
//
// lagwatch renders its metrics from immutable per-poll snapshots rather than keeping a
// mutable registry: a series exists exactly while the snapshot has its subject, so a deleted
// topic or group disappears on the next poll without TTL bookkeeping. A page can hold
// hundreds of thousands of series, so no per-series object is kept: each add() appends one
// line to its family's text, and the page is the concatenation of the families in the order
// they were declared (the format wants a family's samples together, while collectors add to
// several families in one pass).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lagwatch::publish {

struct Label {
  std::string name;   // a valid label name; not checked (they are all literals in lagwatch)
  std::string value;  // any UTF-8; escaped on output
};
using Labels = std::vector<Label>;

class Families {
 public:
  // Returns the index of a family, creating it on first use. A family is written with its
  // HELP and TYPE lines even when it has no series, so a scraper can tell "none now" from
  // "not exported by this version".
  size_t gauge(std::string_view name, std::string_view help);
  size_t counter(std::string_view name, std::string_view help);

  // A series. Where its first label is `cluster` and that cluster has static labels
  // (set_cluster_labels), they follow it: every series of a cluster gets them, whichever
  // collector wrote it, without each collector having to remember.
  void add(size_t family, const Labels& labels, double value);

  // Static labels by cluster name (clusters[].labels), for add() above.
  void set_cluster_labels(std::map<std::string, Labels> labels) { cluster_labels_ = std::move(labels); }

  size_t series() const { return series_; }
  // The whole page in declaration order, one piece per family, moved out (the Families is
  // empty afterwards). Pieces rather than one string, so the page is never copied to join them.
  std::vector<std::string> take_pieces();
  // The same page joined (tests).
  std::string text() const;

 private:
  struct Family {
    std::string name;
    std::string text;  // HELP and TYPE lines, then one line per series
  };
  size_t family(std::string_view name, std::string_view help, std::string_view type);

  void append_label(std::string& out, const Label& label) const;

  std::vector<Family> families_;
  size_t series_ = 0;
  std::map<std::string, Labels> cluster_labels_;
};

// A sample value as the text format spells it: shortest round-trip decimal, "NaN", "+Inf", "-Inf".
void append_value(std::string& out, double value);
// A label value with \, " and newline escaped.
void append_escaped_label_value(std::string& out, std::string_view value);

}  // namespace lagwatch::publish

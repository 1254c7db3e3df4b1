// The evaluator's settings (the `evaluation:` section of the config; config/ reads and
// validates them into this struct, which evaluate/ owns so that it never includes config/).
#pragma once

#include <cstdint>

namespace lagwatch::evaluate {

struct EvaluationSettings {
  int window = 10;                // observations kept per partition (Burrow's `intervals`)
  double min_completeness = 0.5;  // share of the window needed before every rule applies
  int64_t allowed_lag = 0;        // a lag at or below this counts as no lag

  bool operator==(const EvaluationSettings&) const = default;
};

}  // namespace lagwatch::evaluate

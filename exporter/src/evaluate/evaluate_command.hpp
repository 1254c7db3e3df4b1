// `lagwatch evaluate [FILE]`: a what-if tool that runs the partition rules of
// evaluate/partition_rules.hpp on a window written by hand, and shows the outcome of each rule.
//
// Input, one JSON object (comments allowed):
//   {
//     "offsets": [                         // required: the window, oldest first
//       {"offset": 1000, "timestamp_ms": 100000, "lag": 0},   // lag: optional, null = unknown
//       ...
//     ],
//     "broker_offsets": [5200],            // optional: recent log end offsets, oldest first
//     "current_lag": 200,                  // required
//     "now_s": 600,                        // required, or "now_ms" instead (not both)
//     "allowed_lag": 0,                    // optional, default 0
//     "window_size": 10,                   // optional, default max(10, number of offsets)
//     "min_completeness": 0.5              // optional, 0..1, default kDefaultMinCompleteness
//   }
// Offsets, timestamps, lags and broker offsets are integers >= 0; timestamps must not go
// backwards; now may not be before the last observation; unknown fields are errors (with a
// suggestion), so a typo never silently changes the answer. Also errors, each naming the field:
// a key given twice, a number beyond a double's range (1e400), an integer literal beyond 64 bits
// (integers are int64 throughout, like the model), nesting deeper than 64 levels, and a
// document larger than 16 MiB. Fields are named as offsets[2].timestamp_ms; a key that is not
// a plain name is quoted, as offsets[0]["a b"]; the document itself is "input".
//
// Output, one JSON object: "status" (Burrow name), "status_code", "rule", "explanation",
// "complete", "completeness", "checks" (every rule in order: "rule", "status", "matched",
// "decided", "detail") and "settings" (the values used once defaults are applied).
#pragma once

#include <iosfwd>

namespace lagwatch::evaluate {

// Reads the document from `in`, writes the evaluation to `out`. Returns the process exit
// code: 0 when the input was evaluated (whatever the status), 2 for bad input with one line
// on `err` naming the field and what is wrong with it, 1 for an unexpected internal error.
// Never throws.
int run_evaluate(std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace lagwatch::evaluate

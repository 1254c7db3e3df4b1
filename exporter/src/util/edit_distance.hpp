#pragma once

#include <cstddef>
#include <string_view>

namespace lagwatch::util {

// Levenshtein distance, ignoring ASCII case: how far a mistyped key is from a known one, for
// "did you mean" hints. Quadratic, meant for short keys.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace lagwatch::util

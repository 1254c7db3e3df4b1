// Saturating arithmetic for int64, std::chrono durations and time points.
//
// A configured duration can be as long as 106751 days (what nanoseconds hold), so `now +
// interval` or a doubling backoff can leave the range of the clock's representation. Signed
// overflow is undefined behaviour, and in practice wraps to a time point in the past, which
// turns a wait into a busy loop. These helpers clamp to the representable limits instead: a
// deadline that cannot be represented becomes time_point::max(), i.e. "never".
//
// Only integral representations are supported (every std::chrono clock in use has one).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <ratio>
#include <type_traits>

namespace lagwatch::util {

// a + b, clamped to [INT64_MIN, INT64_MAX].
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

// a - b, clamped.
constexpr std::int64_t saturating_sub(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (!__builtin_sub_overflow(a, b, &out)) return out;
  return b < 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

// a * b, clamped.
constexpr std::int64_t saturating_mul(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (!__builtin_mul_overflow(a, b, &out)) return out;
  return (a < 0) != (b < 0) ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
}

namespace detail {

// Wide enough for any int64 count times any std::chrono ratio in use (days -> ns is 8.64e13),
// so intermediate results are exact and only the final one is clamped.
using Wide = __int128;

template <class Rep>
constexpr Rep clamp_to(Wide v) noexcept {
  static_assert(std::is_integral_v<Rep> && std::is_signed_v<Rep>, "integral signed representations only");
  if (v > static_cast<Wide>(std::numeric_limits<Rep>::max())) return std::numeric_limits<Rep>::max();
  if (v < static_cast<Wide>(std::numeric_limits<Rep>::min())) return std::numeric_limits<Rep>::min();
  return static_cast<Rep>(v);
}

// d's count in units of `ToPeriod`, exact up to truncation toward zero (as duration_cast).
template <class ToPeriod, class Rep, class Period>
constexpr Wide count_in(std::chrono::duration<Rep, Period> d) noexcept {
  static_assert(std::is_integral_v<Rep>, "integral representations only");
  using Ratio = std::ratio_divide<Period, ToPeriod>;
  return static_cast<Wide>(d.count()) * static_cast<Wide>(Ratio::num) / static_cast<Wide>(Ratio::den);
}

}  // namespace detail

// duration_cast to `To` that clamps instead of overflowing when `To` is finer (ms -> ns
// multiplies by 10^6). Coarser targets truncate toward zero, as std::chrono::duration_cast does.
template <class To, class Rep, class Period>
constexpr To saturating_duration_cast(std::chrono::duration<Rep, Period> d) noexcept {
  return To{detail::clamp_to<typename To::rep>(detail::count_in<typename To::period>(d))};
}

// a + b in the common duration type, clamped.
template <class Rep1, class Period1, class Rep2, class Period2>
constexpr auto saturating_add(std::chrono::duration<Rep1, Period1> a, std::chrono::duration<Rep2, Period2> b) noexcept {
  using Common = std::common_type_t<decltype(a), decltype(b)>;
  using P = typename Common::period;
  return Common{detail::clamp_to<typename Common::rep>(detail::count_in<P>(a) + detail::count_in<P>(b))};
}

// d * k, clamped (a doubling backoff: saturating_mul(delay, 2)).
template <class Rep, class Period>
constexpr std::chrono::duration<Rep, Period> saturating_mul(std::chrono::duration<Rep, Period> d,
                                                            std::int64_t k) noexcept {
  return std::chrono::duration<Rep, Period>{
      detail::clamp_to<Rep>(static_cast<detail::Wide>(d.count()) * static_cast<detail::Wide>(k))};
}

// t + d, clamped to [time_point::min(), time_point::max()]. The result keeps t's duration
// type; a `d` finer than it is truncated toward zero.
template <class Clock, class Dur, class Rep, class Period>
constexpr std::chrono::time_point<Clock, Dur> saturating_add(std::chrono::time_point<Clock, Dur> t,
                                                             std::chrono::duration<Rep, Period> d) noexcept {
  using P = typename Dur::period;
  return std::chrono::time_point<Clock, Dur>{
      Dur{detail::clamp_to<typename Dur::rep>(detail::count_in<P>(t.time_since_epoch()) + detail::count_in<P>(d))}};
}

// t - d, clamped.
template <class Clock, class Dur, class Rep, class Period>
constexpr std::chrono::time_point<Clock, Dur> saturating_sub(std::chrono::time_point<Clock, Dur> t,
                                                             std::chrono::duration<Rep, Period> d) noexcept {
  using P = typename Dur::period;
  return std::chrono::time_point<Clock, Dur>{
      Dur{detail::clamp_to<typename Dur::rep>(detail::count_in<P>(t.time_since_epoch()) - detail::count_in<P>(d))}};
}

}  // namespace lagwatch::util

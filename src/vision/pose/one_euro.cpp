#include "vision/pose/one_euro.hpp"

#include <cmath>
#include <numbers>

namespace ascension::vision::pose {

double LowPassFilter::Apply(double value, double alpha) {
  double result = initialized_ ? alpha * value + (1 - alpha) * stored_ : value;
  initialized_ = true;
  raw_ = value;
  stored_ = result;
  return result;
}

double OneEuroFilter::Alpha(double cutoff) const {
  const double te = 1.0 / frequency_;
  const double tau = 1.0 / (2 * std::numbers::pi * cutoff);
  return 1.0 / (1.0 + tau / te);
}

double OneEuroFilter::Apply(std::int64_t timestamp_us, double value_scale, double value) {
  if (last_time_us_ >= timestamp_us) return value;
  if (last_time_us_ != 0 && timestamp_us != 0) {
    frequency_ = 1e6 / static_cast<double>(timestamp_us - last_time_us_);
  }
  last_time_us_ = timestamp_us;
  const double dvalue = x_.has_last_raw() ? (value - x_.last_raw()) * value_scale * frequency_ : 0;
  const double edvalue = dx_.Apply(dvalue, Alpha(derivative_cutoff_));
  const double cutoff = min_cutoff_ + beta_ * std::abs(edvalue);
  return x_.Apply(value, Alpha(cutoff));
}

}  // namespace ascension::vision::pose

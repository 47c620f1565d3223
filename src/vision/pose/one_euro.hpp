// The One-Euro filter as MediaPipe's landmark smoothing applies it: an adaptive low-pass filter
// whose cutoff rises with the (scaled) speed of the signal, so slow jitter is removed and fast
// motion passes with little lag.
#pragma once

#include <cstdint>

namespace ascension::vision::pose {

class LowPassFilter {
 public:
  double Apply(double value, double alpha);
  bool has_last_raw() const { return initialized_; }
  double last_raw() const { return raw_; }

 private:
  bool initialized_ = false;
  double raw_ = 0;
  double stored_ = 0;
};

class OneEuroFilter {
 public:
  OneEuroFilter(double min_cutoff, double beta, double derivative_cutoff, double frequency = 30)
      : frequency_(frequency),
        min_cutoff_(min_cutoff),
        beta_(beta),
        derivative_cutoff_(derivative_cutoff) {}

  // Filters `value` observed at `timestamp_us`. value_scale converts the value's units into the
  // object's scale (1 / object size) for the speed estimate. A timestamp not after the previous one
  // returns the value unfiltered and leaves the state alone (as MediaPipe does, including for a
  // first timestamp of 0); the sampling frequency is taken from consecutive timestamps.
  double Apply(std::int64_t timestamp_us, double value_scale, double value);

 private:
  double Alpha(double cutoff) const;

  double frequency_;
  double min_cutoff_;
  double beta_;
  double derivative_cutoff_;
  std::int64_t last_time_us_ = 0;
  LowPassFilter x_;
  LowPassFilter dx_;
};

}  // namespace ascension::vision::pose

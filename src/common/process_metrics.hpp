// Prometheus "process_*" metrics of the calling process (CPU seconds, resident memory, open
// file descriptors), read from /proc and rendered in the text exposition format.
#pragma once

#include <string>

namespace ascension {

std::string ProcessMetricsText();

}  // namespace ascension

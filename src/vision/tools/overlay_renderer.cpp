#include "vision/tools/overlay_renderer.hpp"

namespace ascension::vision {
Status RenderOverlay(const std::string&, const domain::PoseSequence&, const std::string&, int,
                     std::string* error_code) {
  *error_code = "internal";
  return Internal("rendering is not available yet");
}
}  // namespace ascension::vision

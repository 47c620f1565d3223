// The stored form of a program: a JSON document independent of the
// language (reasons carry both), versioned by "format". Decoding treats the document as hostile
// (a row can be corrupt): every field's type and range is checked, and a problem is a kDataLoss
// Status naming the field; it never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "domain/profile.hpp"
#include "training/plan.hpp"

namespace ascension::training {

inline constexpr int kProgramFormat = 1;

std::string EncodeProgram(const Program& program);
// kDataLoss naming the field when `document` is not a program of kProgramFormat (a drill id the
// catalogue does not know included: catalogue ids are stable).
Result<Program> DecodeProgram(std::string_view document);

}  // namespace ascension::training

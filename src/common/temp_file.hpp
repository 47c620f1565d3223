// A downloaded file removed when it goes out of scope, whatever happened (also its ".part", the
// name a download writes to before it is complete).
#pragma once

#include <filesystem>
#include <system_error>
#include <utility>

namespace ascension {

class TempFile {
 public:
  explicit TempFile(std::filesystem::path p) : path_(std::move(p)) {}
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    std::filesystem::remove(path_.string() + ".part", ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace ascension

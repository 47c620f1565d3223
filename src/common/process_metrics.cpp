#include "common/process_metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace ascension {

std::string ProcessMetricsText() {
  std::ostringstream out;
  long ticks = sysconf(_SC_CLK_TCK);
  long page = sysconf(_SC_PAGESIZE);
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may contain spaces) start after the last ')'.
  size_t close = content.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(content.substr(close + 2));
    std::string f;
    std::vector<std::string> v;
    while (fields >> f) v.push_back(f);
    // v[0] is field 3 (state): utime=14, stime=15, starttime=22, rss=24 → indexes 11, 12, 19, 21.
    if (v.size() > 21) {
      double cpu = (std::stod(v[11]) + std::stod(v[12])) / static_cast<double>(ticks);
      out << "# HELP process_cpu_seconds_total User and system CPU time spent in seconds.\n"
          << "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total " << cpu << "\n";
      out << "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
          << "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes "
          << std::stoll(v[21]) * page << "\n";
    }
  }
  int fds = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d) != nullptr) ++fds;
    closedir(d);
    fds -= 3;  // ".", ".." and the directory's own descriptor
  }
  out << "# HELP process_open_fds Number of open file descriptors.\n"
      << "# TYPE process_open_fds gauge\nprocess_open_fds " << fds << "\n";
  return out.str();
}

}  // namespace ascension

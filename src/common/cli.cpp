#include "common/cli.hpp"

#include <getopt.h>

namespace ascension::cli {

std::optional<std::string> ParsedArgs::Get(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [n, v] : options) {
    if (n == name) out = v;
  }
  return out;
}

ParsedArgs Parse(int argc, char** argv, const std::vector<OptionSpec>& known,
                 std::size_t max_positionals) {
  constexpr int kHelp = 'h';
  constexpr int kKnown = 1;  // every known long option: its index comes back in `index`
  ParsedArgs out;
  std::vector<option> opts;
  opts.reserve(known.size() + 2);
  for (const auto& k : known) {
    opts.push_back(
        {k.name.c_str(), k.takes_value ? required_argument : no_argument, nullptr, kKnown});
  }
  opts.push_back({"help", no_argument, nullptr, kHelp});
  opts.push_back({nullptr, 0, nullptr, 0});
  optind = 0;  // 0, not 1: glibc then also resets its state from any earlier parse
  opterr = 0;  // errors are returned, not printed
  while (true) {
    int index = -1;
    // A leading ':' makes a missing value ':' rather than '?'.
    int c = getopt_long(argc, argv, ":h", opts.data(), &index);
    if (c == -1) break;
    if (c == kHelp) {
      out.help = true;
    } else if (c == kKnown && index >= 0) {
      out.options.emplace_back(opts[index].name, optarg != nullptr ? optarg : "");
    } else {
      std::string arg = optind - 1 < argc && optind >= 1 ? argv[optind - 1] : "?";
      if (c == ':') {
        out.error = arg + " needs a value";
      } else if (optopt != 0) {
        out.error = std::string("unknown option -") + static_cast<char>(optopt);
      } else {
        out.error = "unknown option " + arg;
      }
      return out;
    }
  }
  for (int i = optind; i < argc; ++i) out.positionals.emplace_back(argv[i]);
  if (out.positionals.size() > max_positionals) {
    out.error = "unexpected argument " + out.positionals[max_positionals];
  }
  return out;
}

}  // namespace ascension::cli

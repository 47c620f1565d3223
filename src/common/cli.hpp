// The command lines of the executables (ascension-admin, -analyze, -holds, -ghost), parsed in one
// way by glibc's getopt_long: long options only ("--out FILE" or "--out=FILE"; "-h" is "--help"),
// every option known or an error, every option's value present or an error, positional arguments
// anywhere (or after "--"), at most `max_positionals` of them. What a value means (a number, a
// choice) each tool checks itself.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ascension::cli {

struct OptionSpec {
  std::string name;  // without the leading "--"
  bool takes_value = true;
};

struct ParsedArgs {
  // In the order given; a flag's value is "".
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<std::string> positionals;
  bool help = false;                 // --help or -h was given
  std::optional<std::string> error;  // "unknown option --x", "--out needs a value", ...

  // The last value given for `name`, nullopt when the option is absent.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
};

// Parses argv[1..argc) (argv[0] is the program, or the command of a tool with commands: pass
// argc - 1, argv + 1). getopt_long permutes argv, as it does for any GNU tool.
ParsedArgs Parse(int argc, char** argv, const std::vector<OptionSpec>& known,
                 std::size_t max_positionals);

}  // namespace ascension::cli

#include "security/harness.hpp"

namespace ascension::testsuite::security {

StackEnv* SecurityTest::env_ = nullptr;
int SecurityTest::port_ = 0;
std::string SecurityTest::base_;

}  // namespace ascension::testsuite::security

# Integration tests against a real stack (PostgreSQL, RabbitMQ, Ceph RGW, and the API and worker
# when they are built), brought up once per CTest run by the `stack` fixture defined in
# testsuite/CMakeLists.txt: its own data dir (build/test-stack) and ports (default + 1000), so it
# runs beside a developer's own stack; torn down by `stack_down` even when tests fail.

set(ASCENSION_TEST_STACK_HOME "${CMAKE_BINARY_DIR}/test-stack" CACHE PATH
  "Data dir of the stack the integration tests run against")
# ASCENSION_TEST_PORT_OFFSET in the environment at configure time picks another offset, for two
# checkouts running their integration tests at the same time on one machine.
if(DEFINED ENV{ASCENSION_TEST_PORT_OFFSET})
  set(_asc_default_offset "$ENV{ASCENSION_TEST_PORT_OFFSET}")
else()
  set(_asc_default_offset "1000")
endif()
set(ASCENSION_TEST_STACK_PORT_OFFSET "${_asc_default_offset}" CACHE STRING
  "ASCENSION_PORT_OFFSET of the integration-test stack (use a multiple of 1000: different multiples share no port)")

# ascension_integration_test(name SOURCES ... DEPS ... [TIMEOUT seconds])
# A GoogleTest binary run against the test stack: label `integration`, needs the `stack` fixture,
# holds the `stack` resource lock (one integration test at a time), and runs with
#   ASCENSION_ENV_FILE  the stack's env file (load it with testsuite/stack/stack_env.hpp)
#   ASCENSION_HOME      the stack's data dir
#   ASCENSION_CLI       the ./ascension script (StackEnv::Control("stop rabbitmq") etc.)
function(ascension_integration_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  ascension_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} asc_stack_env
    GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    LABELS integration
    FIXTURES_REQUIRED stack
    RESOURCE_LOCK stack
    TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "ASCENSION_ENV_FILE=${ASCENSION_TEST_STACK_HOME}/env;ASCENSION_HOME=${ASCENSION_TEST_STACK_HOME};ASCENSION_CLI=${PROJECT_SOURCE_DIR}/ascension;ASCENSION_BUILD_DIR=${CMAKE_BINARY_DIR}")
endfunction()

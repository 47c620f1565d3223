# Shared settings for the project's own targets: warnings are errors here, and only here,
# so third-party headers pulled in as SYSTEM never break the build.
# ASCENSION_WARNINGS_AS_ERRORS=OFF (the clang fuzz build and the -O1 sanitizer build, where gcc 12
# reports false maybe-uninitialized inside <regex> and <functional>) keeps the warnings but not the
# errors: the default gcc build is the one that holds the line.
option(ASCENSION_WARNINGS_AS_ERRORS "Treat compiler warnings as errors in the project's code" ON)
function(ascension_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(ASCENSION_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()

# ascension_library(name SOURCES ... DEPS ...)
function(ascension_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  ascension_defaults(${name})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# ascension_unit_test(name SOURCES ... DEPS ...): a GoogleTest binary registered with CTest,
# labelled "unit" so `ctest -L unit` runs the fast suite without any service.
function(ascension_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  ascension_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  # Sanitize preset: the test files themselves without libFuzzer's coverage (they are never linked
  # into a fuzz target); the code under test keeps every instrumentation (docs/reliability.md).
  if(ASCENSION_FUZZ)
    target_compile_options(${name} PRIVATE -fno-sanitize=fuzzer-no-link)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit)
  set_property(GLOBAL APPEND PROPERTY ASCENSION_UNIT_TESTS ${name})
endfunction()

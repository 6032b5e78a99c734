# One ctest test per GoogleTest suite (Suite.*), where gtest_discover_tests makes one per test.
# Each ctest test is a process, and a process costs CPU before its first test and after its last
# (under the sanitizers: AddressSanitizer's start and the leak check at exit; LibTorch's load in the
# programs that link it). With a process per test that cost grew with the number of tests; with one
# per suite it grows with the number of suites, while a failure still names its suite in ctest and
# its test in the output. One test alone: bin/test_MODULE --gtest_filter=Suite.Test
#
#   evtwin_add_suite_tests(TARGET [EXCLUDE_SUITES regex] PROPERTIES name value ...)
# lists the target's suites after each link (--gtest_list_tests, run in the source folder) and adds
# the suites not matched by EXCLUDE_SUITES with the PROPERTIES given (each value a single element: no
# list-valued property), working in the source folder. A test is named MODULE.Suite (test_core's
# Simulator: core.Simulator), since two programs may have suites of one name.
set(EVTWIN_SUITE_TESTS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/list_suite_tests.cmake)

function(evtwin_add_suite_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXCLUDE_SUITES" "PROPERTIES")
  set(suites_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake)
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake)
  set(properties "")
  foreach(item IN LISTS arg_PROPERTIES)
    string(APPEND properties " [==[${item}]==]")
  endforeach()
  string(REGEX REPLACE "^test_" "" module ${target})
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -D TEST_EXECUTABLE=$<TARGET_FILE:${target}> -D SUITES_FILE=${suites_file}
      -D PREFIX=${module}.
      -D WORKING_DIRECTORY=${CMAKE_SOURCE_DIR} "-D EXCLUDE_SUITES=${arg_EXCLUDE_SUITES}"
      "-D PROPERTIES=${properties}" -P ${EVTWIN_SUITE_TESTS_SCRIPT}
    BYPRODUCTS ${suites_file}
    VERBATIM)
  file(WRITE ${include_file}
    "if(EXISTS [==[${suites_file}]==])\n"
    "  include([==[${suites_file}]==])\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()

# Run after a test program is linked (suite_tests.cmake): writes SUITES_FILE, the ctest script that
# adds one test per GoogleTest suite of TEST_EXECUTABLE, named PREFIX + the suite's name, run with
# --gtest_filter=Suite.* in WORKING_DIRECTORY, with PROPERTIES (bracketed name value pairs) and
# without the suites that match EXCLUDE_SUITES.
execute_process(COMMAND ${TEST_EXECUTABLE} --gtest_list_tests
  WORKING_DIRECTORY ${WORKING_DIRECTORY}
  TIMEOUT 60
  RESULT_VARIABLE status
  OUTPUT_VARIABLE listing
  ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests failed (${status}): ${errors}")
endif()
# A suite is a line that does not start with a space: "Suite." or "Prefix/Suite.  # TypeParam = ...".
# A test's parameter may hold ';', which would split CMake's list of lines.
string(REPLACE ";" "," listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")
set(script "")
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^([^ ]+)\\.( .*)?$")
    continue()
  endif()
  set(suite ${CMAKE_MATCH_1})
  if(EXCLUDE_SUITES AND suite MATCHES "${EXCLUDE_SUITES}")
    continue()
  endif()
  string(APPEND script
    "add_test([==[${PREFIX}${suite}]==] [==[${TEST_EXECUTABLE}]==] [==[--gtest_filter=${suite}.*]==])\n"
    "set_tests_properties([==[${PREFIX}${suite}]==] PROPERTIES WORKING_DIRECTORY [==[${WORKING_DIRECTORY}]==]${PROPERTIES})\n")
endforeach()
file(WRITE ${SUITES_FILE} "${script}")

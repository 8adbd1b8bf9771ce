# grouploop_add_test(<name> SOURCES ... LIBRARIES ... LABELS ... [TIMEOUT s])
# One Qt Test executable per class, registered with ctest.
function(grouploop_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT" ${ARGN})
    qt_add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBRARIES})
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    add_test(NAME ${name} COMMAND ${name})
    if(GROUPLOOP_SANITIZE)
        # Timing budgets get more room under sanitizers (see LatencyBudgetMs in tst_faults).
        target_compile_definitions(${name} PRIVATE GROUPLOOP_SANITIZED)
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    if(NOT ARG_LABELS)
        set(ARG_LABELS unit)
    endif()
    set_tests_properties(${name} PROPERTIES
        LABELS "${ARG_LABELS}"
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=*.debug=false\\;grouploop.*.info=false;${ARG_ENVIRONMENT}")
endfunction()

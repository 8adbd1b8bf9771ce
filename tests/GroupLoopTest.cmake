# grouploop_add_test(<name> SOURCES ... LIBRARIES ... LABELS ... [TIMEOUT s])
# One Qt Test executable per class, registered with ctest.
function(grouploop_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT" ${ARGN})
    qt_add_executable(${name} ${ARG_SOURCES})
    # Tests talk to relays as QWebSocket clients; the relay itself does not link Qt WebSockets.
    target_link_libraries(${name} PRIVATE Qt6::Test Qt6::WebSockets ${ARG_LIBRARIES})
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
    grouploop_sanitizer_environment(${name})
    if("quick" IN_LIST ARG_LABELS)
        grouploop_sanitizer_full_stacks(${name})
    endif()
endfunction()

# Sanitizer builds: the runtime options and suppression files (tests/sanitizers) for these tests
# and every relay, simulator or console they start (children inherit the environment).
set(sanitizer_supp ${CMAKE_CURRENT_LIST_DIR}/sanitizers)
if(GROUPLOOP_SANITIZE STREQUAL "thread")
    set(GROUPLOOP_SANITIZER_ENV "TSAN_OPTIONS=suppressions=${sanitizer_supp}/tsan.supp:second_deadlock_stack=1")
elseif(GROUPLOOP_SANITIZE)
    set(GROUPLOOP_ASAN_OPTIONS "detect_leaks=1:check_initialization_order=1")
    set(GROUPLOOP_SANITIZER_ENV
        "ASAN_OPTIONS=${GROUPLOOP_ASAN_OPTIONS}"
        "LSAN_OPTIONS=suppressions=${sanitizer_supp}/lsan.supp:print_suppressions=0"
        "UBSAN_OPTIONS=suppressions=${sanitizer_supp}/ubsan.supp:print_stacktrace=1:halt_on_error=1")
endif()
function(grouploop_sanitizer_environment)
    if(GROUPLOOP_SANITIZER_ENV)
        set_property(TEST ${ARGN} APPEND PROPERTY ENVIRONMENT ${GROUPLOOP_SANITIZER_ENV})
    endif()
endfunction()
# For tests that render Qt Quick (in-process or in a console they start): Qt Quick's own leaks
# are suppressed by frames deep inside Qt, which Debian builds without frame pointers, so these
# record full allocation stacks (about twice as slow).
function(grouploop_sanitizer_full_stacks)
    if(GROUPLOOP_ASAN_OPTIONS)
        set_property(TEST ${ARGN} APPEND PROPERTY ENVIRONMENT "ASAN_OPTIONS=${GROUPLOOP_ASAN_OPTIONS}:fast_unwind_on_malloc=0")
    endif()
endfunction()

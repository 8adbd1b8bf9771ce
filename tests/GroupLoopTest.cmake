# grouploop_add_test(<name> SOURCES ... LIBRARIES ... LABELS ... [TIMEOUT s])
# One Qt Test executable per class, registered with ctest.
function(grouploop_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT" ${ARGN})
    qt_add_executable(${name} ${ARG_SOURCES})
    # Tests talk to relays as QWebSocket clients; the relay itself does not link Qt WebSockets.
    target_link_libraries(${name} PRIVATE Qt6::Test Qt6::WebSockets ${ARG_LIBRARIES})
    grouploop_test_pch(${name} ${ARG_LIBRARIES})
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
    if("bench" IN_LIST ARG_LABELS)
        grouploop_bench_tool(${name})
    endif()
endfunction()

# Benchmarks and the tools only they or the docs use: left out of `all` when
# GROUPLOOP_BUILD_BENCHMARKS is OFF (the sanitizer tree of the test command, which never runs them).
function(grouploop_bench_tool)
    if(NOT GROUPLOOP_BUILD_BENCHMARKS)
        set_target_properties(${ARGN} PROPERTIES EXCLUDE_FROM_ALL ON)
    endif()
endfunction()

# The tests' precompiled Qt headers (Core, Network, Test, WebSockets, and Gui for the tests that
# link it): most test sources spend two thirds of their compile time in these headers, and the
# test command builds every test twice (plain and ASan). One per test folder and kind, because
# Qt Test defines the folder's paths (QT_TESTCASE_SOURCEDIR, QT_TESTCASE_BUILDDIR) for every test
# and includes its GUI half when QT_GUI_LIB is defined, and g++ ignores (with a warning) a header
# made with other values of the macros it uses. Built by an executable so that its code model
# (-fPIE) matches the tests'.
set(grouploop_gui_libraries grouploop_console_core grouploop_console_coreplugin grouploop_ui grouploop_uiplugin
    grouploop_browsertest Qt6::Gui Qt6::Quick Qt6::QuickTest Qt6::QuickControls2)
set(grouploop_test_pch_headers <QTest> <QSignalSpy> <QTemporaryDir> <QFile> <QDir> <QProcess> <QTimer>
    <QElapsedTimer> <QRegularExpression> <QJsonDocument> <QJsonObject> <QJsonArray> <QWebSocket>
    <QTcpSocket> <QTcpServer> <QHostAddress>)
function(grouploop_test_pch name)
    if(GROUPLOOP_FUZZ OR grouploop_outputs IN_LIST ARGN) # RtMidi's flags define _REENTRANT
        return()
    endif()
    set(kind core)
    foreach(library ${ARGN})
        if(library IN_LIST grouploop_gui_libraries)
            set(kind gui)
        endif()
    endforeach()
    file(RELATIVE_PATH folder ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    string(MAKE_C_IDENTIFIER "grouploop_pch_${folder}_${kind}" pch)
    if(NOT TARGET ${pch})
        file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${pch}.cpp CONTENT "int main() { return 0; }\n")
        add_executable(${pch} ${CMAKE_CURRENT_BINARY_DIR}/${pch}.cpp)
        target_link_libraries(${pch} PRIVATE Qt6::Test Qt6::WebSockets Qt6::Network)
        set(headers ${grouploop_test_pch_headers})
        if(kind STREQUAL gui)
            target_link_libraries(${pch} PRIVATE Qt6::Gui)
            list(APPEND headers <QGuiApplication>)
        endif()
        target_precompile_headers(${pch} PRIVATE ${headers})
        set_target_properties(${pch} PROPERTIES AUTOMOC OFF RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
        if(GROUPLOOP_SANITIZE)
            target_compile_definitions(${pch} PRIVATE GROUPLOOP_SANITIZED)
        endif()
    endif()
    target_precompile_headers(${name} REUSE_FROM ${pch})
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

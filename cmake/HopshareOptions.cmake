# One INTERFACE target carries the options every Hopshare target shares.
add_library(hopshare_options INTERFACE)
add_library(Hopshare::Options ALIAS hopshare_options)
target_compile_features(hopshare_options INTERFACE cxx_std_20)
# One include convention: <module/path.h>. The libraries put common/ on the path
# (<transfer/wire/packet.h>); everything else is included from the repository root
# (<server-console/chat/chatserver.h>, <tests/support/testclient.h>).
target_include_directories(hopshare_options INTERFACE ${PROJECT_SOURCE_DIR})
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(hopshare_options INTERFACE -Wall -Wextra -Wpedantic)
if(HOPSHARE_WERROR)
  target_compile_options(hopshare_options INTERFACE -Werror)
endif()
target_compile_definitions(hopshare_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CONTEXTLESS_CONNECT
  QT_USE_QSTRINGBUILDER
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_FOREACH
  HOPSHARE_VERSION="${PROJECT_VERSION}")

option(HOPSHARE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(HOPSHARE_SANITIZE)
  target_compile_options(hopshare_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(hopshare_options INTERFACE -fsanitize=address,undefined)
endif()

# libFuzzer build (clang): every library gets coverage instrumentation and the sanitizers; only
# the fuzz targets link the fuzzer's main (hopshare_add_fuzzer in tests/fuzz).
if(HOPSHARE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HOPSHARE_FUZZ needs clang++ (the fuzz preset sets it)")
  endif()
  target_compile_options(hopshare_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(hopshare_options INTERFACE -fsanitize=address,undefined)
endif()

# Core libraries must stay headless: fail the configure step if one links Widgets or Gui.
function(hopshare_assert_headless target)
  get_target_property(_libs ${target} LINK_LIBRARIES)
  foreach(_lib IN LISTS _libs)
    if(_lib MATCHES "Qt6::(Widgets|Gui)|QCustomPlot")
      message(FATAL_ERROR "${target} is a core library and must not link ${_lib}")
    endif()
  endforeach()
endfunction()

# Registers a Qt Test executable with CTest. Usage:
#   hopshare_add_test(tst_name SOURCES a.cpp LIBS Hopshare::Protocol [LABELS unit] [TIMEOUT 60])
function(hopshare_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  qt_add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test Hopshare::TestSupport hopshare_options ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  if(HOPSHARE_SANITIZE)
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * 3") # sanitized code runs several times slower
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ASAN_OPTIONS=detect_leaks=0;HOME=${CMAKE_BINARY_DIR}/test-home/${name}"
    # A home of its own, emptied at the start of every ctest run: nothing a test writes through
    # QStandardPaths (pinned certificates, keys) reaches the real home or outlives the run.
    FIXTURES_REQUIRED hopshare_test_home)
endfunction()

# Precompiled Qt Core and standard headers for a library with many files (cmake/pch/): about a
# third off the build, which CI pays twice (default and sanitizers). HOPSHARE_PCH=OFF builds
# without, to check that every file includes what it uses.
option(HOPSHARE_PCH "Precompile the common Qt and standard headers of the libraries" ON)
function(hopshare_precompile_headers target)
  if(HOPSHARE_PCH)
    target_precompile_headers(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:${PROJECT_SOURCE_DIR}/cmake/pch/hopshare_pch.h>)
  endif()
endfunction()

# The transport's pure algorithms (no sockets, no clock reads): RTT, SACK bookkeeping, loss
# detection (recovery/), delivery rate, congestion control and pacing (congestion/) and the
# per-peer-path scheduling (path/). Included by CMakeLists.txt here.
#
# They are compiled once, as an object library that Hopshare::Transfer absorbs through
# HOPSHARE_TRANSFER_ALGORITHM_SOURCES; their unit tests link the object library alone (with the
# wire types and the token bucket of Hopshare::TransferWire), so they build and run without the
# connections, the engine and the storage of the transport.
add_library(hopshare_transfer_algorithms OBJECT
  recovery/rttestimator.h recovery/rttestimator.cpp
  recovery/receiverrtt.h recovery/receiverrtt.cpp
  recovery/ackranges.h recovery/ackranges.cpp
  recovery/sentpackets.h recovery/sentpackets.cpp
  recovery/lossdetector.h recovery/lossdetector.cpp
  congestion/deliveryrate.h congestion/deliveryrate.cpp
  congestion/congestioncontroller.h congestion/congestioncontroller.cpp
  congestion/bbrcontroller.h congestion/bbrcontroller.cpp congestion/bbrackclock.cpp
  congestion/newrenocontroller.h congestion/newrenocontroller.cpp
  congestion/fixedwindowcontroller.h congestion/fixedwindowcontroller.cpp
  congestion/pacer.h congestion/pacer.cpp
  path/drrscheduler.h path/drrscheduler.cpp
  path/peerpath.h path/peerpath.cpp
)
hopshare_precompile_headers(hopshare_transfer_algorithms)
add_library(Hopshare::TransferAlgorithms ALIAS hopshare_transfer_algorithms)
target_include_directories(hopshare_transfer_algorithms PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/..)
target_link_libraries(hopshare_transfer_algorithms PUBLIC Qt6::Core Hopshare::TransferWire hopshare_options)
hopshare_assert_headless(hopshare_transfer_algorithms)

set(HOPSHARE_TRANSFER_ALGORITHM_SOURCES $<TARGET_OBJECTS:hopshare_transfer_algorithms>)

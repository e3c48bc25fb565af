# The transport's pure algorithms (no sockets, no clock reads): RTT, SACK bookkeeping, loss
# detection, delivery rate, congestion control, pacing and the per-peer-path scheduling. Included by CMakeLists.txt here.
#
# They are compiled once, as an object library that Hopshare::Transfer absorbs through
# HOPSHARE_TRANSFER_ALGORITHM_SOURCES; their unit tests link the object library alone, so they
# build and run without the socket-facing parts of the transport.
add_library(hopshare_transfer_algorithms OBJECT
  transferclock.h
  packetnumber.h
  rttestimator.h rttestimator.cpp
  ackranges.h ackranges.cpp
  deliveryrate.h deliveryrate.cpp
  sentpackets.h sentpackets.cpp
  lossdetector.h lossdetector.cpp
  congestioncontroller.h congestioncontroller.cpp
  bbrcontroller.h bbrcontroller.cpp bbrackclock.cpp
  newrenocontroller.h newrenocontroller.cpp
  fixedwindowcontroller.h fixedwindowcontroller.cpp
  tokenbucket.h tokenbucket.cpp
  pacer.h pacer.cpp
  drrscheduler.h drrscheduler.cpp
  peerpath.h peerpath.cpp
)
add_library(Hopshare::TransferAlgorithms ALIAS hopshare_transfer_algorithms)
target_include_directories(hopshare_transfer_algorithms PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/..)
target_link_libraries(hopshare_transfer_algorithms PUBLIC Qt6::Core hopshare_options)
hopshare_assert_headless(hopshare_transfer_algorithms)

set(HOPSHARE_TRANSFER_ALGORITHM_SOURCES $<TARGET_OBJECTS:hopshare_transfer_algorithms>)

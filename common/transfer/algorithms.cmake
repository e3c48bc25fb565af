# The transport's pure algorithms (no sockets, no clock reads): RTT, SACK bookkeeping, loss
# detection, delivery rate, congestion control and pacing. Included by CMakeLists.txt here.
set(HOPSHARE_TRANSFER_ALGORITHM_SOURCES
  transferclock.h
  packetnumber.h
  rttestimator.h rttestimator.cpp
  ackranges.h ackranges.cpp
  deliveryrate.h deliveryrate.cpp
  sentpackets.h sentpackets.cpp
  lossdetector.h lossdetector.cpp
  congestioncontroller.h congestioncontroller.cpp
  bbrcontroller.h bbrcontroller.cpp
  newrenocontroller.h newrenocontroller.cpp
  fixedwindowcontroller.h fixedwindowcontroller.cpp
  tokenbucket.h tokenbucket.cpp
  pacer.h pacer.cpp
)

# Every dependency is a Debian 12 package (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)

pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(RABBITMQ REQUIRED IMPORTED_TARGET librabbitmq)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# libxcrypt (libcrypt-dev): bcrypt hashes of accounts imported from the original system.
pkg_check_modules(XCRYPT REQUIRED IMPORTED_TARGET libxcrypt)

# Vision pipeline (src/vision): FFmpeg for decoding/encoding, OpenCV imgproc for crops and drawing,
# XNNPACK + pthreadpool for inference (Debian ships no .pc or CMake files for the last two).
pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil libswscale)
# libopencv-imgproc-dev ships neither OpenCVConfig.cmake nor opencv4.pc.
find_path(OPENCV_INCLUDE_DIR opencv2/imgproc.hpp PATH_SUFFIXES opencv4 REQUIRED)
find_library(OPENCV_CORE_LIBRARY opencv_core REQUIRED)
find_library(OPENCV_IMGPROC_LIBRARY opencv_imgproc REQUIRED)
if(NOT TARGET OpenCV::imgproc)
  add_library(OpenCV::imgproc INTERFACE IMPORTED)
  set_target_properties(OpenCV::imgproc PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${OPENCV_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${OPENCV_IMGPROC_LIBRARY};${OPENCV_CORE_LIBRARY}")
endif()
# Hold detection (src/vision/holds) also decodes photos: JPEG, PNG, WebP (libopencv-imgcodecs-dev).
find_library(OPENCV_IMGCODECS_LIBRARY opencv_imgcodecs REQUIRED)
if(NOT TARGET OpenCV::imgcodecs)
  add_library(OpenCV::imgcodecs INTERFACE IMPORTED)
  set_target_properties(OpenCV::imgcodecs PROPERTIES
    INTERFACE_LINK_LIBRARIES "${OPENCV_IMGCODECS_LIBRARY};OpenCV::imgproc")
endif()
# The wall image of a hand-held climb video: a homography per frame from ORB features matched by
# RANSAC (libopencv-calib3d-dev, which brings libopencv-features2d-dev).
find_library(OPENCV_FEATURES2D_LIBRARY opencv_features2d REQUIRED)
find_library(OPENCV_CALIB3D_LIBRARY opencv_calib3d REQUIRED)
if(NOT TARGET OpenCV::calib3d)
  add_library(OpenCV::calib3d INTERFACE IMPORTED)
  set_target_properties(OpenCV::calib3d PROPERTIES
    INTERFACE_LINK_LIBRARIES
      "${OPENCV_CALIB3D_LIBRARY};${OPENCV_FEATURES2D_LIBRARY};OpenCV::imgproc")
endif()
find_path(XNNPACK_INCLUDE_DIR xnnpack.h REQUIRED)
find_library(XNNPACK_LIBRARY XNNPACK REQUIRED)
find_library(PTHREADPOOL_LIBRARY pthreadpool REQUIRED)
if(NOT TARGET XNNPACK::XNNPACK)
  add_library(XNNPACK::XNNPACK UNKNOWN IMPORTED)
  set_target_properties(XNNPACK::XNNPACK PROPERTIES
    IMPORTED_LOCATION "${XNNPACK_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${XNNPACK_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${PTHREADPOOL_LIBRARY}")
endif()

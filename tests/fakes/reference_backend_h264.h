// A one-frame H.264 stream (16x16 pixels, uniform grey), built bit by bit so
// the reference test backend can return a real, decodable video. The frame
// is a single I_PCM macroblock, which needs no entropy-coded residuals.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_H264_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_H264_H_

#include <string>

namespace tao::fakes {

inline constexpr int kH264FrameSize = 16;   // pixels, width and height
inline constexpr int kH264ProfileIdc = 66;  // Baseline
inline constexpr int kH264LevelIdc = 10;

// NAL units without start codes or length prefixes (header byte included).
struct H264Frame {
  std::string sps;
  std::string pps;
  std::string idr_slice;
};

H264Frame BuildGreyH264Frame();

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_H264_H_

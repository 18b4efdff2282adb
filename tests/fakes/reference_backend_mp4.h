// A tiny but complete MP4 file (ISO/IEC 14496-12 and -15): one 16x16 grey
// H.264 frame, built in code. The reference test backend returns it as the
// "generated video" of cosmos-predict2.5.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_MP4_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_MP4_H_

#include <string>

namespace tao::fakes {

// Boxes in file order: ftyp, mdat (the frame), moov (with one video trak
// whose stco points into mdat).
std::string BuildTinyMp4();

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_MP4_H_

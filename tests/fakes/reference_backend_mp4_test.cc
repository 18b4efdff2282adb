// Checks that the reference backend's MP4 is a well-formed ISO BMFF file
// with a decodable H.264 frame, by reading it back independently.
#include "tests/fakes/reference_backend_mp4.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/reference_backend_base64.h"

namespace tao::fakes {
namespace {

using ::testing::ElementsAre;

uint32_t U32At(const std::string& data, size_t at) {
  return (uint8_t(data[at]) << 24) | (uint8_t(data[at + 1]) << 16) |
         (uint8_t(data[at + 2]) << 8) | uint8_t(data[at + 3]);
}

struct Box {
  std::string type;
  size_t start;    // of the header
  size_t payload;  // first byte after the header
  size_t end;
};

// Splits data[begin, end) into boxes; fails the test if sizes do not add up.
std::vector<Box> Boxes(const std::string& data, size_t begin, size_t end) {
  std::vector<Box> boxes;
  size_t at = begin;
  while (at < end) {
    EXPECT_LE(at + 8, end) << "truncated box header at " << at;
    if (at + 8 > end) break;
    const uint32_t size = U32At(data, at);
    EXPECT_GE(size, 8u);
    EXPECT_LE(at + size, end) << "box overruns its parent at " << at;
    if (size < 8 || at + size > end) break;
    boxes.push_back({data.substr(at + 4, 4), at, at + 8, at + size});
    at += size;
  }
  return boxes;
}

std::vector<std::string> Types(const std::vector<Box>& boxes) {
  std::vector<std::string> types;
  for (const Box& box : boxes) types.push_back(box.type);
  return types;
}

const Box& Only(const std::vector<Box>& boxes, const std::string& type) {
  for (const Box& box : boxes) {
    if (box.type == type) return box;
  }
  ADD_FAILURE() << "no " << type;
  return boxes.front();
}

// Reads H.264 RBSP bits (emulation-prevention bytes removed).
class BitReader {
 public:
  explicit BitReader(const std::string& nal) {
    int zeros = 0;
    for (size_t i = 1; i < nal.size(); ++i) {  // skip the NAL header
      const uint8_t byte = nal[i];
      if (zeros >= 2 && byte == 3) {
        zeros = 0;
        continue;
      }
      bytes_.push_back(byte);
      zeros = byte == 0 ? zeros + 1 : 0;
    }
  }
  uint32_t Bits(int n) {
    uint32_t value = 0;
    for (int i = 0; i < n; ++i) {
      value = (value << 1) | ((bytes_.at(pos_ / 8) >> (7 - pos_ % 8)) & 1);
      ++pos_;
    }
    return value;
  }
  uint32_t Ue() {
    int zeros = 0;
    while (Bits(1) == 0) ++zeros;
    return (1u << zeros) - 1 + Bits(zeros);
  }
  bool Aligned() const { return pos_ % 8 == 0; }
  size_t BitsLeft() const { return bytes_.size() * 8 - pos_; }

 private:
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
};

TEST(TinyMp4Test, BoxTreeIsConsistent) {
  const std::string mp4 = BuildTinyMp4();
  std::vector<Box> top = Boxes(mp4, 0, mp4.size());
  ASSERT_THAT(Types(top), ElementsAre("ftyp", "mdat", "moov"));
  EXPECT_EQ(mp4.substr(top[0].payload, 4), "isom");

  std::vector<Box> moov = Boxes(mp4, top[2].payload, top[2].end);
  ASSERT_THAT(Types(moov), ElementsAre("mvhd", "trak"));
  std::vector<Box> trak = Boxes(mp4, moov[1].payload, moov[1].end);
  ASSERT_THAT(Types(trak), ElementsAre("tkhd", "mdia"));
  std::vector<Box> mdia = Boxes(mp4, trak[1].payload, trak[1].end);
  ASSERT_THAT(Types(mdia), ElementsAre("mdhd", "hdlr", "minf"));
  EXPECT_EQ(mp4.substr(mdia[1].payload + 8, 4), "vide");
  std::vector<Box> minf = Boxes(mp4, mdia[2].payload, mdia[2].end);
  ASSERT_THAT(Types(minf), ElementsAre("vmhd", "dinf", "stbl"));
  std::vector<Box> stbl = Boxes(mp4, minf[2].payload, minf[2].end);
  ASSERT_THAT(Types(stbl), ElementsAre("stsd", "stts", "stsc", "stsz", "stco"));

  // The one chunk offset and sample size point exactly at mdat's payload.
  const Box& stco = Only(stbl, "stco");
  const Box& stsz = Only(stbl, "stsz");
  EXPECT_EQ(U32At(mp4, stco.payload + 4), 1u);
  EXPECT_EQ(U32At(mp4, stco.payload + 8), top[1].payload);
  EXPECT_EQ(U32At(mp4, stsz.payload + 8), 1u);
  EXPECT_EQ(U32At(mp4, stsz.payload + 12), top[1].end - top[1].payload);

  // The sample is one length-prefixed IDR NAL unit.
  const size_t sample = top[1].payload;
  EXPECT_EQ(U32At(mp4, sample) + 4, top[1].end - top[1].payload);
  EXPECT_EQ(mp4[sample + 4] & 0x1F, 5);
}

TEST(TinyMp4Test, H264ParametersDescribeOne16x16Frame) {
  const std::string mp4 = BuildTinyMp4();
  std::vector<Box> top = Boxes(mp4, 0, mp4.size());
  // stsd: version/flags, entry count, then avc1 (78 bytes before avcC).
  size_t at = mp4.find("avcC");
  ASSERT_NE(at, std::string::npos);
  const size_t avcc = at + 4;
  EXPECT_EQ(uint8_t(mp4[avcc]), 1);  // configurationVersion
  EXPECT_EQ(uint8_t(mp4[avcc + 1]), 66);
  EXPECT_EQ(uint8_t(mp4[avcc + 4]) & 3, 3);  // 4-byte NAL lengths
  EXPECT_EQ(uint8_t(mp4[avcc + 5]) & 31, 1);
  const size_t sps_size =
      (uint8_t(mp4[avcc + 6]) << 8) | uint8_t(mp4[avcc + 7]);
  const std::string sps = mp4.substr(avcc + 8, sps_size);
  ASSERT_EQ(sps[0] & 0x1F, 7);

  BitReader r(sps);
  EXPECT_EQ(r.Bits(8), 66u);  // profile_idc
  r.Bits(8);
  EXPECT_EQ(r.Bits(8), 10u);  // level_idc
  EXPECT_EQ(r.Ue(), 0u);      // sps id
  EXPECT_EQ(r.Ue(), 0u);      // log2_max_frame_num_minus4
  EXPECT_EQ(r.Ue(), 2u);      // pic_order_cnt_type
  r.Ue();                     // max_num_ref_frames
  r.Bits(1);
  EXPECT_EQ(r.Ue(), 0u);     // width: 1 macroblock
  EXPECT_EQ(r.Ue(), 0u);     // height: 1 macroblock
  EXPECT_EQ(r.Bits(1), 1u);  // frame_mbs_only_flag

  const size_t pps_count_at = avcc + 8 + sps_size;
  EXPECT_EQ(uint8_t(mp4[pps_count_at]), 1);
  const std::string pps =
      mp4.substr(pps_count_at + 3, (uint8_t(mp4[pps_count_at + 1]) << 8) |
                                       uint8_t(mp4[pps_count_at + 2]));
  EXPECT_EQ(pps[0] & 0x1F, 8);

  // The slice: I slice, one I_PCM macroblock of grey samples.
  BitReader slice(
      mp4.substr(top[1].payload + 4, top[1].end - top[1].payload - 4));
  EXPECT_EQ(slice.Ue(), 0u);   // first_mb_in_slice
  EXPECT_EQ(slice.Ue(), 7u);   // slice_type I
  EXPECT_EQ(slice.Ue(), 0u);   // pps id
  slice.Bits(4);               // frame_num
  EXPECT_EQ(slice.Ue(), 0u);   // idr_pic_id
  slice.Bits(2);               // dec_ref_pic_marking
  EXPECT_EQ(slice.Ue(), 0u);   // slice_qp_delta (se 0)
  EXPECT_EQ(slice.Ue(), 25u);  // mb_type I_PCM
  while (!slice.Aligned()) EXPECT_EQ(slice.Bits(1), 0u);
  for (int i = 0; i < 256 + 128; ++i) ASSERT_EQ(slice.Bits(8), 0x80u) << i;
  EXPECT_EQ(slice.Bits(8), 0x80u);  // rbsp trailing bits
  EXPECT_EQ(slice.BitsLeft(), 0u);
}

TEST(Base64Test, EncodesAndSizes) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\x00\x10", 3)), "/wAQ");
  for (const char* text : {"", "f", "fo", "foo", "foob", "fooba"}) {
    EXPECT_EQ(Base64DecodedSize(Base64Encode(text)), std::string(text).size());
  }
}

}  // namespace
}  // namespace tao::fakes

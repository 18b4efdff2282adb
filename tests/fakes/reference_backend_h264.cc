#include "tests/fakes/reference_backend_h264.h"

#include <cstdint>
#include <vector>

namespace tao::fakes {
namespace {

// Writes H.264 syntax elements (ITU-T H.264 §7.2: u(n), ue(v), se(v)).
class BitWriter {
 public:
  void Bits(uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) Bit((value >> i) & 1);
  }
  void Bit(int bit) {
    current_ = static_cast<uint8_t>((current_ << 1) | (bit & 1));
    if (++used_ == 8) Flush();
  }
  // Exp-Golomb: (leading zeros) 1 (info bits) for value + 1.
  void Ue(uint32_t value) {
    const uint32_t code = value + 1;
    int length = 0;
    while ((code >> length) > 1) ++length;
    Bits(0, length);
    Bits(code, length + 1);
  }
  void Se(int32_t value) {
    Ue(value > 0 ? 2 * value - 1 : static_cast<uint32_t>(-2 * value));
  }
  void AlignWithZeros() {
    while (used_ != 0) Bit(0);
  }
  // rbsp_trailing_bits(): a one, then zeros to the byte boundary.
  void TrailingBits() {
    Bit(1);
    AlignWithZeros();
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  void Flush() {
    bytes_.push_back(current_);
    current_ = 0;
    used_ = 0;
  }
  std::vector<uint8_t> bytes_;
  uint8_t current_ = 0;
  int used_ = 0;
};

// NAL header byte plus the payload with emulation-prevention bytes (§7.4.1).
std::string MakeNal(int ref_idc, int type, const std::vector<uint8_t>& rbsp) {
  std::string nal(1, static_cast<char>((ref_idc << 5) | type));
  int zeros = 0;
  for (uint8_t byte : rbsp) {
    if (zeros >= 2 && byte <= 3) {
      nal += static_cast<char>(3);
      zeros = 0;
    }
    nal += static_cast<char>(byte);
    zeros = byte == 0 ? zeros + 1 : 0;
  }
  return nal;
}

std::string SequenceParameterSet() {
  BitWriter w;
  w.Bits(kH264ProfileIdc, 8);
  w.Bits(0xC0, 8);  // constraint_set0/1: constrained baseline
  w.Bits(kH264LevelIdc, 8);
  w.Ue(0);   // seq_parameter_set_id
  w.Ue(0);   // log2_max_frame_num_minus4
  w.Ue(2);   // pic_order_cnt_type 2: order follows decoding order
  w.Ue(0);   // max_num_ref_frames
  w.Bit(0);  // gaps_in_frame_num_value_allowed_flag
  w.Ue(kH264FrameSize / 16 - 1);  // pic_width_in_mbs_minus1
  w.Ue(kH264FrameSize / 16 - 1);  // pic_height_in_map_units_minus1
  w.Bit(1);                       // frame_mbs_only_flag
  w.Bit(1);                       // direct_8x8_inference_flag
  w.Bit(0);                       // frame_cropping_flag
  w.Bit(0);                       // vui_parameters_present_flag
  w.TrailingBits();
  return MakeNal(3, 7, w.bytes());
}

std::string PictureParameterSet() {
  BitWriter w;
  w.Ue(0);       // pic_parameter_set_id
  w.Ue(0);       // seq_parameter_set_id
  w.Bit(0);      // entropy_coding_mode_flag: CAVLC
  w.Bit(0);      // bottom_field_pic_order_in_frame_present_flag
  w.Ue(0);       // num_slice_groups_minus1
  w.Ue(0);       // num_ref_idx_l0_default_active_minus1
  w.Ue(0);       // num_ref_idx_l1_default_active_minus1
  w.Bit(0);      // weighted_pred_flag
  w.Bits(0, 2);  // weighted_bipred_idc
  w.Se(0);       // pic_init_qp_minus26
  w.Se(0);       // pic_init_qs_minus26
  w.Se(0);       // chroma_qp_index_offset
  w.Bit(0);      // deblocking_filter_control_present_flag
  w.Bit(0);      // constrained_intra_pred_flag
  w.Bit(0);      // redundant_pic_cnt_present_flag
  w.TrailingBits();
  return MakeNal(3, 8, w.bytes());
}

std::string GreyIdrSlice() {
  constexpr int kGrey = 0x80;
  BitWriter w;
  // slice_header()
  w.Ue(0);       // first_mb_in_slice
  w.Ue(7);       // slice_type: I (all slices of the picture)
  w.Ue(0);       // pic_parameter_set_id
  w.Bits(0, 4);  // frame_num, log2_max_frame_num = 4 bits
  w.Ue(0);       // idr_pic_id
  w.Bit(0);      // dec_ref_pic_marking: no_output_of_prior_pics_flag
  w.Bit(0);      // long_term_reference_flag
  w.Se(0);       // slice_qp_delta
  // slice_data(): one macroblock_layer() of type I_PCM.
  w.Ue(25);            // mb_type I_PCM
  w.AlignWithZeros();  // pcm_alignment_zero_bit
  const int luma = kH264FrameSize * kH264FrameSize;
  const int chroma = 2 * (kH264FrameSize / 2) * (kH264FrameSize / 2);
  for (int i = 0; i < luma + chroma; ++i) w.Bits(kGrey, 8);
  w.TrailingBits();  // rbsp_slice_trailing_bits
  return MakeNal(3, 5, w.bytes());
}

}  // namespace

H264Frame BuildGreyH264Frame() {
  return {SequenceParameterSet(), PictureParameterSet(), GreyIdrSlice()};
}

}  // namespace tao::fakes

#include "tests/fakes/reference_backend_mp4.h"

#include <cstdint>
#include <initializer_list>

#include "tests/fakes/reference_backend_h264.h"

namespace tao::fakes {
namespace {

constexpr uint32_t kMovieTimescale = 1000;
constexpr uint32_t kMediaTimescale = 25;  // one frame of 1/25 s
constexpr uint32_t kMovieDuration = kMovieTimescale / kMediaTimescale;

void U8(std::string& out, uint32_t v) { out += static_cast<char>(v & 0xFF); }
void U16(std::string& out, uint32_t v) {
  U8(out, v >> 8);
  U8(out, v);
}
void U32(std::string& out, uint32_t v) {
  U16(out, v >> 16);
  U16(out, v);
}
void Zeros(std::string& out, int count) { out.append(count, '\0'); }

std::string Box(const char type[5], const std::string& payload) {
  std::string box;
  U32(box, static_cast<uint32_t>(8 + payload.size()));
  box.append(type, 4);
  return box + payload;
}

std::string FullBox(const char type[5], uint32_t version_and_flags,
                    const std::string& payload) {
  std::string body;
  U32(body, version_and_flags);
  return Box(type, body + payload);
}

std::string Concat(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

void UnityMatrix(std::string& out) {
  for (uint32_t v :
       {0x00010000u, 0u, 0u, 0u, 0x00010000u, 0u, 0u, 0u, 0x40000000u}) {
    U32(out, v);
  }
}

std::string Ftyp() {
  std::string p = "isom";
  U32(p, 0x200);
  p += "isomiso2avc1mp41";
  return Box("ftyp", p);
}

std::string Mvhd() {
  std::string p;
  U32(p, 0);  // creation_time
  U32(p, 0);  // modification_time
  U32(p, kMovieTimescale);
  U32(p, kMovieDuration);
  U32(p, 0x00010000);  // rate 1.0
  U16(p, 0x0100);      // volume 1.0
  Zeros(p, 10);
  UnityMatrix(p);
  Zeros(p, 24);  // pre_defined
  U32(p, 2);     // next_track_ID
  return FullBox("mvhd", 0, p);
}

std::string Tkhd() {
  std::string p;
  U32(p, 0);  // creation_time
  U32(p, 0);  // modification_time
  U32(p, 1);  // track_ID
  U32(p, 0);  // reserved
  U32(p, kMovieDuration);
  Zeros(p, 8);
  U16(p, 0);  // layer
  U16(p, 0);  // alternate_group
  U16(p, 0);  // volume (video)
  U16(p, 0);
  UnityMatrix(p);
  U32(p, kH264FrameSize << 16);
  U32(p, kH264FrameSize << 16);
  return FullBox("tkhd", 0x000003, p);  // enabled, in movie
}

std::string Mdhd() {
  std::string p;
  U32(p, 0);
  U32(p, 0);
  U32(p, kMediaTimescale);
  U32(p, 1);       // duration: one frame
  U16(p, 0x55C4);  // language "und"
  U16(p, 0);
  return FullBox("mdhd", 0, p);
}

std::string Hdlr() {
  std::string p;
  U32(p, 0);
  p += "vide";
  Zeros(p, 12);
  p += std::string("VideoHandler", 13);  // with its NUL
  return FullBox("hdlr", 0, p);
}

std::string AvcC(const H264Frame& frame) {
  std::string p;
  U8(p, 1);  // configurationVersion
  U8(p, kH264ProfileIdc);
  U8(p, 0xC0);  // profile_compatibility (constraint flags)
  U8(p, kH264LevelIdc);
  U8(p, 0xFF);  // lengthSizeMinusOne = 3
  U8(p, 0xE1);  // one SPS
  U16(p, static_cast<uint32_t>(frame.sps.size()));
  p += frame.sps;
  U8(p, 1);  // one PPS
  U16(p, static_cast<uint32_t>(frame.pps.size()));
  p += frame.pps;
  return Box("avcC", p);
}

std::string Avc1(const H264Frame& frame) {
  std::string p;
  Zeros(p, 6);
  U16(p, 1);  // data_reference_index
  Zeros(p, 16);
  U16(p, kH264FrameSize);
  U16(p, kH264FrameSize);
  U32(p, 0x00480000);  // 72 dpi
  U32(p, 0x00480000);
  U32(p, 0);
  U16(p, 1);       // frame_count
  Zeros(p, 32);    // compressorname (empty)
  U16(p, 0x0018);  // depth
  U16(p, 0xFFFF);  // pre_defined = -1
  return Box("avc1", p + AvcC(frame));
}

std::string SampleTable(const H264Frame& frame, uint32_t sample_size,
                        uint32_t chunk_offset) {
  std::string stsd;
  U32(stsd, 1);
  stsd += Avc1(frame);
  std::string stts;
  U32(stts, 1);
  U32(stts, 1);  // sample_count
  U32(stts, 1);  // sample_delta
  std::string stsc;
  U32(stsc, 1);
  U32(stsc, 1);  // first_chunk
  U32(stsc, 1);  // samples_per_chunk
  U32(stsc, 1);  // sample_description_index
  std::string stsz;
  U32(stsz, 0);  // sizes listed per sample
  U32(stsz, 1);
  U32(stsz, sample_size);
  std::string stco;
  U32(stco, 1);
  U32(stco, chunk_offset);
  return Box("stbl", Concat({FullBox("stsd", 0, stsd), FullBox("stts", 0, stts),
                             FullBox("stsc", 0, stsc), FullBox("stsz", 0, stsz),
                             FullBox("stco", 0, stco)}));
}

std::string Minf(const H264Frame& frame, uint32_t sample_size,
                 uint32_t chunk_offset) {
  std::string vmhd;
  Zeros(vmhd, 8);  // graphicsmode, opcolor
  std::string dref;
  U32(dref, 1);
  dref += FullBox("url ", 0x000001, "");  // data in this file
  return Box("minf", Concat({FullBox("vmhd", 0x000001, vmhd),
                             Box("dinf", FullBox("dref", 0, dref)),
                             SampleTable(frame, sample_size, chunk_offset)}));
}

}  // namespace

std::string BuildTinyMp4() {
  const H264Frame frame = BuildGreyH264Frame();
  std::string sample;  // one length-prefixed NAL unit
  U32(sample, static_cast<uint32_t>(frame.idr_slice.size()));
  sample += frame.idr_slice;

  const std::string ftyp = Ftyp();
  const std::string mdat = Box("mdat", sample);
  const uint32_t chunk_offset = static_cast<uint32_t>(ftyp.size() + 8);
  const std::string trak = Box(
      "trak",
      Concat(
          {Tkhd(),
           Box("mdia", Concat({Mdhd(), Hdlr(),
                               Minf(frame, static_cast<uint32_t>(sample.size()),
                                    chunk_offset)}))}));
  return ftyp + mdat + Box("moov", Mvhd() + trak);
}

}  // namespace tao::fakes

// Media inputs, answer files and the human formatting helpers.
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "client/cli/human_output.h"
#include "client/cli/infer_output.h"
#include "client/cli/json_output.h"
#include "client/cli/media_input.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::cli {
namespace {

using ::testing::HasSubstr;

std::string MakeTempDir() {
  std::string pattern = ::testing::TempDir() + "/tao-cli-XXXXXX";
  char* made = mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  return pattern;
}

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
}

TEST(MimeTypeTest, FromExtensionCaseInsensitive) {
  EXPECT_EQ(MimeTypeForFileName("a.png"), "image/png");
  EXPECT_EQ(MimeTypeForFileName("dir.x/A.JPG"), "image/jpeg");
  EXPECT_EQ(MimeTypeForFileName("clip.mp4"), "video/mp4");
  EXPECT_EQ(MimeTypeForFileName("clip.mkv"), "video/x-matroska");
  // The containers' spelling, as the server checks it (spec §8).
  EXPECT_EQ(MimeTypeForFileName("clip.avi"), "video/avi");
  EXPECT_EQ(MimeTypeForFileName("clip.MOV"), "video/mov");
  EXPECT_EQ(MimeTypeForFileName("notes.txt"), "");
  EXPECT_EQ(MimeTypeForFileName("dir.png/noext"), "");
  EXPECT_EQ(ExtensionForMimeType("video/mp4"), ".mp4");
  EXPECT_EQ(ExtensionForMimeType("application/x-unknown"), ".bin");
}

TEST(MediaFromArgumentTest, FileBecomesBytesWithMimeAndName) {
  const std::string dir = MakeTempDir();
  const std::string path = dir + "/cat.png";
  std::ofstream(path, std::ios::binary) << std::string("\x89PNG\0\1", 6);
  auto media = MediaFromArgument("--image", path);
  ASSERT_TRUE(media.ok()) << media.status();
  EXPECT_EQ(media->data(), std::string("\x89PNG\0\1", 6));
  EXPECT_EQ(media->mime_type(), "image/png");
  EXPECT_EQ(media->filename(), "cat.png");
  EXPECT_FALSE(media->has_url());
}

TEST(MediaFromArgumentTest, UrlsArePassedOn) {
  for (const std::string url :
       {"https://example.com/a.mp4", "HTTP://example.com/b.png",
        "data:image/png;base64,AAAA"}) {
    auto media = MediaFromArgument("--video", url);
    ASSERT_TRUE(media.ok()) << url;
    EXPECT_EQ(media->url(), url);
    EXPECT_FALSE(media->has_data());
  }
}

TEST(MediaFromArgumentTest, AnythingElseIsAUsageErrorNamingIt) {
  auto missing = MediaFromArgument("--image", "/no/such/file.png");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(),
              HasSubstr("--image '/no/such/file.png': no such file"));
  auto cloud = MediaFromArgument("--video", "s3://bucket/v.mp4");
  EXPECT_THAT(cloud.status().message(), HasSubstr("s3://bucket/v.mp4"));
  auto directory = MediaFromArgument("--image", MakeTempDir());
  EXPECT_THAT(directory.status().message(), HasSubstr("not a regular file"));
}

TEST(AnswerPathTest, NamedOrDefault) {
  EXPECT_EQ(AnswerPath("out.mp4", "job", "id", 0, ".mp4", false), "out.mp4");
  EXPECT_EQ(AnswerPath("dir.v/out.mp4", "job", "id", 1, ".mp4", true),
            "dir.v/out-1.mp4");
  EXPECT_EQ(AnswerPath("dir.v/out", "job", "id", 1, ".mp4", true),
            "dir.v/out-1");
  EXPECT_EQ(AnswerPath("", "job-1", "chatcmpl-7", 0, ".mp4", false),
            "./tao-infer-job-1-chatcmpl-7.mp4");
  EXPECT_EQ(AnswerPath("", "job/1", "", 2, ".mp4", true),
            "./tao-infer-job_1-2.mp4");
}

TEST(SaveAnswersTest, WritesMediaAndTextOnlyWhenAsked) {
  tao::inference::v1::InferResponse response;
  response.set_job_id("j");
  response.set_id("c1");
  auto* video = response.add_choices();
  video->set_index(0);
  video->set_media(
      std::string("\0\0\0\x18"
                  "ftypmp42",
                  12));
  video->set_media_mime_type("video/mp4");
  const std::string dir = MakeTempDir();
  auto saved = SaveAnswers(response, dir + "/v.mp4");
  ASSERT_TRUE(saved.ok()) << saved.status();
  ASSERT_EQ(saved->size(), 1u);
  EXPECT_EQ((*saved)[0].path, dir + "/v.mp4");
  EXPECT_EQ((*saved)[0].bytes, 12u);
  EXPECT_EQ(ReadAll(dir + "/v.mp4"), video->media());

  tao::inference::v1::InferResponse text;
  text.add_choices()->set_text("a cat");
  EXPECT_TRUE(SaveAnswers(text, "")->empty());
  auto text_saved = SaveAnswers(text, dir + "/answer.txt");
  ASSERT_TRUE(text_saved.ok());
  EXPECT_EQ(ReadAll(dir + "/answer.txt"), "a cat");

  auto unwritable = SaveAnswers(response, dir + "/no/such/dir/v.mp4");
  EXPECT_EQ(unwritable.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unwritable.status().message(), HasSubstr("--output"));
}

TEST(HumanOutputTest, NamesAndProgressLines) {
  EXPECT_EQ(StateName(tao::inference::v1::SERVICE_STATE_LOADING), "LOADING");
  EXPECT_EQ(PhaseName(tao::inference::v1::PHASE_PULLING), "pulling");
  tao::inference::v1::WaitReadyEvent event;
  event.set_state(tao::inference::v1::SERVICE_STATE_LOADING);
  event.set_phase(tao::inference::v1::PHASE_LOADING);
  event.set_reason("model_loading");
  event.set_message("shard 2/4");
  event.mutable_elapsed()->set_seconds(12);
  event.mutable_elapsed()->set_nanos(340000000);
  EXPECT_EQ(FormatWaitEvent(event),
            "[  12.3s] LOADING  loading   model_loading: shard 2/4");
}

TEST(HumanOutputTest, ServiceTableMarksLatest) {
  tao::inference::v1::ListResponse list;
  auto* a = list.add_services();
  a->set_job_id("job-aaa");
  a->set_network_arch("cosmos-rl");
  a->set_platform("local-docker");
  a->set_state(tao::inference::v1::SERVICE_STATE_READY);
  a->set_host_url("http://localhost:8080");
  auto* b = list.add_services();
  b->set_job_id("job-bbb");
  const std::string table = FormatServiceTable(list.services(), "job-bbb");
  EXPECT_THAT(table, HasSubstr("JOB ID"));
  EXPECT_THAT(table, HasSubstr("STARTED"));
  EXPECT_THAT(table, HasSubstr("   job-aaa  cosmos-rl  local-docker  READY"));
  EXPECT_THAT(table, HasSubstr("*  job-bbb  -"));
}

TEST(JsonOutputTest, ProtoFieldNamesAndZeroValuesAreKept) {
  tao::inference::v1::Service service;
  service.set_job_id("j");
  service.set_host_port(8080);
  nlohmann::json json = ProtoToJson(service);
  EXPECT_EQ(json["job_id"], "j");
  EXPECT_EQ(json["host_port"], 8080);
  EXPECT_EQ(json["latest"], false);
  EXPECT_EQ(json["network_arch"], "");
}

}  // namespace
}  // namespace tao::cli

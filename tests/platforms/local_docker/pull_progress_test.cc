#include "platforms/local_docker/pull_progress.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::local_docker {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Feed(PullProgress& progress,
                              const std::vector<std::string>& lines) {
  std::vector<std::string> shown;
  for (const std::string& line : lines) {
    if (auto message = progress.Consume(line)) shown.push_back(*message);
  }
  return shown;
}

TEST(DockerPullProgressTest, ShowsStatusDownloadStepsAndFinishedLayers) {
  PullProgress progress("nvcr.io/x:1");
  const auto shown = Feed(
      progress,
      {R"({"status":"Pulling from x","id":"1"})",
       R"({"status":"Pulling fs layer","id":"a"})",
       R"({"status":"Pulling fs layer","id":"b"})",
       R"({"status":"Downloading","progressDetail":{"current":10,"total":100},"id":"a"})",
       R"({"status":"Downloading","progressDetail":{"current":12,"total":100},"id":"a"})",
       R"({"status":"Downloading","progressDetail":{"current":100,"total":100},"id":"a"})",
       R"({"status":"Download complete","id":"a"})",
       R"({"status":"Pull complete","id":"a"})",
       R"({"status":"Already exists","id":"b"})",
       R"({"status":"Digest: sha256:abc"})",
       R"({"status":"Status: Downloaded newer image for nvcr.io/x:1"})"});
  EXPECT_THAT(
      shown,
      ElementsAre(
          "pulling nvcr.io/x:1: Pulling from x",
          "pulling nvcr.io/x:1: downloaded 0.0 MiB of 0.0 MiB so far (10%)",
          "pulling nvcr.io/x:1: downloaded 0.0 MiB of 0.0 MiB so far (100%)",
          "pulling nvcr.io/x:1: layer a done (1 of 2 layers)",
          "pulling nvcr.io/x:1: Digest: sha256:abc",
          "pulling nvcr.io/x:1: Status: Downloaded newer image for "
          "nvcr.io/x:1"));
  EXPECT_EQ(progress.error(), "");
}

TEST(DockerPullProgressTest, ReportsSizesInMiBAndGiB) {
  PullProgress progress("img");
  const auto shown = Feed(
      progress,
      {R"({"status":"Downloading","progressDetail":{"current":3221225472,"total":10737418240},"id":"a"})"});
  EXPECT_THAT(shown, ElementsAre("pulling img: downloaded 3.0 GiB of 10.0 GiB "
                                 "so far (30%)"));
}

TEST(DockerPullProgressTest, CatchesTheStreamsError) {
  PullProgress progress("nvcr.io/x:1");
  Feed(
      progress,
      {R"({"status":"Pulling from x","id":"1"})",
       R"({"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized"})"});
  EXPECT_EQ(progress.error(), "unauthorized: authentication required");
}

TEST(DockerPullProgressTest, IgnoresLinesThatAreNotJsonObjects) {
  PullProgress progress("img");
  EXPECT_TRUE(Feed(progress, {"", "not json", "[1,2]", "{}"}).empty());
  EXPECT_EQ(progress.error(), "");
}

}  // namespace
}  // namespace tao::platforms::local_docker

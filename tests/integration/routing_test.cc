// Inference routing end to end: by job id, by architecture, implicit, and
// the refusals with their candidates; per-arch validation before sending.
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/http_probe.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

v1::InferRequest TextRequest(const std::string& text) {
  v1::InferRequest request;
  v1::ChatMessage* message = request.add_messages();
  message->set_role(v1::ROLE_USER);
  message->add_parts()->set_text(text);
  return request;
}

void AddImage(v1::InferRequest& request) {
  v1::Media* image = request.mutable_messages(0)->add_parts()->mutable_image();
  image->set_data(TinyPng());
  image->set_mime_type("image/png");
}

class RoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok()) << server_.Log();
    stub_ = server_.NewStub();
  }

  std::string StartReady(const std::string& arch, const std::string& path,
                         const std::string& key = "") {
    auto started = StartService(*stub_, arch, path, key);
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return "";
    EXPECT_EQ(WaitReady(*stub_, started->service().job_id()).final_state(),
              v1::SERVICE_STATE_READY);
    return started->service().job_id();
  }

  grpc::Status Infer(const v1::InferRequest& request,
                     v1::InferResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    return stub_->Infer(&context, request, response);
  }

  ServerHarness server_;
  std::unique_ptr<v1::InferenceService::Stub> stub_;
};

TEST_F(RoutingTest, NoServiceIsNotFound) {
  v1::InferRequest request = TextRequest("hello");
  AddImage(request);
  v1::InferResponse response;
  grpc::Status status = Infer(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("start"));
  auto details = DetailsOf(status);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_NO_SERVICE);
}

TEST_F(RoutingTest, ByJobIdByArchitectureAndImplicit) {
  const std::string rl = StartReady("cosmos-rl", "/models/rl");
  const std::string predict = StartReady(
      "cosmos-predict2.5", "hf_model://nvidia/Cosmos-Predict2.5-2B", "base-2b");

  // Implicit with two services: refused, never `latest`.
  v1::InferRequest implicit = TextRequest("a robot");
  v1::InferResponse response;
  grpc::Status status = Infer(implicit, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  auto details = DetailsOf(status);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_AMBIGUOUS_TARGET);
  std::vector<std::string> candidates;
  for (const auto& c : details->candidates()) {
    candidates.push_back(c.job_id());
    EXPECT_FALSE(c.host_url().empty());
    EXPECT_FALSE(c.started_at().empty());
  }
  EXPECT_THAT(candidates, UnorderedElementsAre(rl, predict));

  // By architecture: cosmos-predict2.5 answers with a video.
  v1::InferRequest by_arch = TextRequest("a robot arm stacking cubes");
  by_arch.set_network_arch("cosmos-predict2.5");
  status = Infer(by_arch, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.job_id(), predict);
  ASSERT_THAT(response.choices(), SizeIs(1));
  EXPECT_EQ(response.choices(0).media_mime_type(), "video/mp4");
  const std::string& video = response.choices(0).media();
  ASSERT_GT(video.size(), 16u);
  EXPECT_EQ(video.substr(4, 4), "ftyp") << "not an MP4 (ISO BMFF) file";
  EXPECT_EQ(response.applied().max_tokens(), 77);
  EXPECT_EQ(response.applied().guidance(), 7);
  EXPECT_EQ(response.applied().num_steps(), 35);
  EXPECT_EQ(response.applied().seed(), 0);
  EXPECT_FALSE(response.applied().has_temperature());
  EXPECT_FALSE(absl::StrContains(response.raw_json(), video));

  // By job id.
  v1::InferRequest by_id = TextRequest("describe");
  AddImage(by_id);
  by_id.set_job_id(rl);
  status = Infer(by_id, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.job_id(), rl);
  EXPECT_EQ(response.network_arch(), "cosmos-rl");

  // Unknown job id.
  by_id.set_job_id("00000000-0000-0000-0000-000000000000");
  status = Infer(by_id, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(DetailsOf(status).has_value());
  EXPECT_THAT(DetailsOf(status)->candidates(), SizeIs(2));
}

TEST_F(RoutingTest, SeveralOfOneArchitectureAreAmbiguous) {
  const std::string a = StartReady("cosmos-rl", "/models/a");
  const std::string b = StartReady("cosmos-rl", "/models/b");
  v1::InferRequest request = TextRequest("hello");
  AddImage(request);
  request.set_network_arch("cosmos-rl");
  v1::InferResponse response;
  grpc::Status status = Infer(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  auto details = DetailsOf(status);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_AMBIGUOUS_TARGET);
  ASSERT_THAT(details->candidates(), SizeIs(2));
  // Oldest first.
  EXPECT_EQ(details->candidates(0).job_id(), a);
  EXPECT_EQ(details->candidates(1).job_id(), b);
  EXPECT_THAT(status.error_message(), HasSubstr("job_id"));
}

TEST_F(RoutingTest, ArchitectureMismatchedFieldsAreRefusedBeforeSending) {
  const std::string rl = StartReady("cosmos-rl", "/models/rl");
  v1::InferRequest request = TextRequest("hello");
  AddImage(request);
  request.set_job_id(rl);
  request.mutable_sampling()->set_guidance(3);
  v1::InferResponse response;
  grpc::Status status = Infer(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto details = DetailsOf(status);
  ASSERT_TRUE(details.has_value());
  ASSERT_THAT(details->field_violations(), SizeIs(1));
  EXPECT_EQ(details->field_violations(0).field(), "sampling.guidance");

  // Media is required for cosmos-rl; cloud URIs are refused.
  v1::InferRequest no_media = TextRequest("hello");
  no_media.set_job_id(rl);
  EXPECT_EQ(Infer(no_media, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::InferRequest cloud = TextRequest("hello");
  cloud.set_job_id(rl);
  cloud.mutable_messages(0)->add_parts()->mutable_image()->set_url(
      "s3://bucket/cat.png");
  status = Infer(cloud, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("s3"));

  // None of these reached the backend.
  auto host_url = server_.ReadState()[rl]["host_url"].get<std::string>();
  auto requests = GetJson(host_url + "/_reference/requests");
  ASSERT_TRUE(requests.ok()) << requests.status();
  EXPECT_EQ(requests->size(), 0u) << requests->dump();
}

TEST_F(RoutingTest, DescribedBoundsAreTheOnesInferEnforces) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::DescribeArchitecturesResponse described;
  grpc::Status status = stub_->DescribeArchitectures(
      &context, v1::DescribeArchitecturesRequest(), &described);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(described.architectures(), SizeIs(2));
  const v1::ArchitectureDescription& predict = described.architectures(0);
  const v1::ArchitectureDescription& rl = described.architectures(1);
  ASSERT_EQ(predict.network_arch(), "cosmos-predict2.5");
  ASSERT_EQ(rl.network_arch(), "cosmos-rl");
  EXPECT_TRUE(rl.media_required());
  EXPECT_TRUE(predict.media_response());
  const v1::SamplingFieldDescription* top_p = nullptr;
  for (const auto& field : rl.sampling_fields()) {
    if (field.name() == "top_p") top_p = &field;
  }
  ASSERT_NE(top_p, nullptr);
  ASSERT_TRUE(top_p->has_min());
  EXPECT_TRUE(top_p->min().exclusive());

  // The exclusive minimum itself is refused, just above it is sent.
  const std::string job_id = StartReady("cosmos-rl", "/models/rl");
  v1::InferRequest request = TextRequest("hello");
  AddImage(request);
  request.set_job_id(job_id);
  request.mutable_sampling()->set_top_p(top_p->min().value());
  v1::InferResponse response;
  status = Infer(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(DetailsOf(status).has_value());
  EXPECT_EQ(DetailsOf(status)->reason_code(), v1::ERROR_REASON_INVALID_FIELD);
  EXPECT_EQ(DetailsOf(status)->field_violations(0).field(), "sampling.top_p");
  request.mutable_sampling()->set_top_p(top_p->min().value() + 0.01);
  EXPECT_TRUE(Infer(request, &response).ok());
}

TEST_F(RoutingTest, CallerValuesAreSentAndEchoed) {
  const std::string rl = StartReady("cosmos-rl", "/models/rl");
  v1::InferRequest request = TextRequest("hello");
  AddImage(request);
  request.set_job_id(rl);
  request.mutable_sampling()->set_max_tokens(64);
  request.mutable_sampling()->set_temperature(0.2);
  v1::InferResponse response;
  ASSERT_TRUE(Infer(request, &response).ok());
  EXPECT_EQ(response.applied().max_tokens(), 64);
  EXPECT_DOUBLE_EQ(response.applied().temperature(), 0.2);
  EXPECT_DOUBLE_EQ(response.applied().top_p(), 0.8);  // default filled
  auto host_url = server_.ReadState()[rl]["host_url"].get<std::string>();
  auto requests = GetJson(host_url + "/_reference/requests");
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ((*requests)[0]["max_tokens"], 64);
  EXPECT_DOUBLE_EQ((*requests)[0]["temperature"].get<double>(), 0.2);
}

}  // namespace
}  // namespace tao::integration

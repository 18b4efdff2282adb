// BuildChatRequest: per-architecture validation (spec §8.1, §8.2, seed §6.0
// cross-check) and the exact chat-completions body.
#include "server/core/routing/chat_request.h"

#include <cmath>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/common/errors.h"
#include "server/core/routing/data_uri.h"
#include "tests/server/core/routing/test_rules.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;
using testing::CosmosPredictRules;
using testing::CosmosRlRules;
using ::testing::HasSubstr;

// ---- Request builders -------------------------------------------------

v1::ContentPart Text(const std::string& text) {
  v1::ContentPart part;
  part.set_text(text);
  return part;
}

v1::ContentPart ImageUrl(const std::string& url) {
  v1::ContentPart part;
  part.mutable_image()->set_url(url);
  return part;
}

v1::ContentPart VideoUrl(const std::string& url) {
  v1::ContentPart part;
  part.mutable_video()->set_url(url);
  return part;
}

v1::ContentPart ImageBytes(const std::string& bytes, const std::string& mime,
                           const std::string& filename = "") {
  v1::ContentPart part;
  part.mutable_image()->set_data(bytes);
  part.mutable_image()->set_mime_type(mime);
  part.mutable_image()->set_filename(filename);
  return part;
}

v1::ContentPart VideoBytes(const std::string& bytes, const std::string& mime,
                           const std::string& filename = "") {
  v1::ContentPart part;
  part.mutable_video()->set_data(bytes);
  part.mutable_video()->set_mime_type(mime);
  part.mutable_video()->set_filename(filename);
  return part;
}

v1::ChatMessage Message(v1::Role role, std::vector<v1::ContentPart> parts) {
  v1::ChatMessage message;
  message.set_role(role);
  for (auto& part : parts) *message.add_parts() = std::move(part);
  return message;
}

v1::ChatMessage User(std::vector<v1::ContentPart> parts) {
  return Message(v1::ROLE_USER, std::move(parts));
}

v1::ChatMessage System(const std::string& text) {
  return Message(v1::ROLE_SYSTEM, {Text(text)});
}

v1::InferRequest Request(std::vector<v1::ChatMessage> messages) {
  v1::InferRequest request;
  for (auto& message : messages) *request.add_messages() = std::move(message);
  return request;
}

// A valid request for each architecture, for tests that vary one thing.
v1::InferRequest ValidRlRequest() {
  return Request(
      {User({VideoUrl("https://m.example/clip.mp4"), Text("What happens?")})});
}

v1::InferRequest ValidPredictRequest() {
  return Request({User({Text("A robot arm stacks cubes")})});
}

// The field named by the error's details.
std::string ViolatedField(const absl::Status& status) {
  auto details = core::GetDetails(status);
  if (!details.has_value() || details->field_violations_size() != 1) return "";
  return details->field_violations(0).field();
}

// Every set field of `params` as JSON, read by reflection (independently of
// the code under test).
nlohmann::json SetFieldsAsJson(const v1::SamplingParams& params) {
  namespace pb = ::google::protobuf;
  nlohmann::json out = nlohmann::json::object();
  std::vector<const pb::FieldDescriptor*> fields;
  params.GetReflection()->ListFields(params, &fields);
  const pb::Reflection* r = params.GetReflection();
  for (const pb::FieldDescriptor* f : fields) {
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32:
        out[f->name()] = r->GetInt32(params, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_INT64:
        out[f->name()] = r->GetInt64(params, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
        out[f->name()] = r->GetDouble(params, f);
        break;
      default:
        out[f->name()] = r->GetString(params, f);
    }
  }
  return out;
}

// ---- Exact bodies -----------------------------------------------------

TEST(BuildChatRequestTest, CosmosRlBodyIsExact) {
  v1::InferRequest request =
      Request({System("You are a helpful vision assistant."),
               User({VideoUrl("https://media.example/clip.mp4"),
                     Text("Describe what is happening in this video.")})});
  request.mutable_sampling()->set_temperature(0.2);
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(request, CosmosRlRules());
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_EQ(
      chat->json_body,
      R"({"messages":[{"role":"system","content":"You are a helpful vision assistant."},)"
      R"({"role":"user","content":[{"type":"video_url","video_url":{"url":"https://media.example/clip.mp4"}},)"
      R"({"type":"text","text":"Describe what is happening in this video."}]}],)"
      R"("max_tokens":1024,"temperature":0.2,"top_p":0.8})");
  v1::SamplingParams expected;
  expected.set_max_tokens(1024);
  expected.set_temperature(0.2);
  expected.set_top_p(0.8);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(chat->applied,
                                                                 expected))
      << chat->applied.DebugString();
}

TEST(BuildChatRequestTest, CosmosPredictBodyIsExact) {
  v1::InferRequest request =
      Request({User({Text("A robot arm stacks \"red\" cubes"),
                     ImageBytes("PNG", "image/png", "first_frame.png")})});
  request.mutable_sampling()->set_guidance(3);
  request.mutable_sampling()->set_negative_prompt("blurry");
  absl::StatusOr<ChatRequest> chat =
      BuildChatRequest(request, CosmosPredictRules());
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_EQ(
      chat->json_body,
      R"({"messages":[{"role":"user","content":[)"
      R"({"type":"text","text":"A robot arm stacks \"red\" cubes"},)"
      R"({"type":"image_url","image_url":{"url":"data:image/png;base64,UE5H"}}]}],)"
      R"("max_tokens":77,"guidance":3,"num_steps":35,"seed":0,"negative_prompt":"blurry"})");
  v1::SamplingParams expected;
  expected.set_max_tokens(77);
  expected.set_guidance(3);
  expected.set_num_steps(35);
  expected.set_seed(0);
  expected.set_negative_prompt("blurry");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(chat->applied,
                                                                 expected))
      << chat->applied.DebugString();
}

TEST(BuildChatRequestTest, UnspecifiedRoleIsUserAndOrderIsKept) {
  v1::InferRequest request =
      Request({Message(v1::ROLE_UNSPECIFIED, {ImageUrl("http://h/a.png")}),
               Message(v1::ROLE_SYSTEM, {Text("line 1"), Text("line 2")})});
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(request, CosmosRlRules());
  ASSERT_TRUE(chat.ok()) << chat.status();
  nlohmann::json body = nlohmann::json::parse(chat->json_body);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "user");
  EXPECT_EQ(body["messages"][1]["role"], "system");
  EXPECT_EQ(body["messages"][1]["content"], "line 1\nline 2");
  EXPECT_FALSE(body.contains("model"));
}

// ---- Sampling: applied echoes the body; defaults only when unset -------

struct SamplingCase {
  std::string name;
  bool predict;  // else cosmos-rl
  v1::SamplingParams requested;
  v1::SamplingParams applied;
  friend void PrintTo(const SamplingCase& c, std::ostream* os) {
    *os << c.name;
  }
};

v1::SamplingParams Params(std::function<void(v1::SamplingParams&)> fill) {
  v1::SamplingParams params;
  fill(params);
  return params;
}

class SamplingTest : public ::testing::TestWithParam<SamplingCase> {};

TEST_P(SamplingTest, AppliedIsWhatIsSent) {
  const SamplingCase& c = GetParam();
  v1::InferRequest request =
      c.predict ? ValidPredictRequest() : ValidRlRequest();
  *request.mutable_sampling() = c.requested;
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(
      request, c.predict ? CosmosPredictRules() : CosmosRlRules());
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(chat->applied,
                                                                 c.applied))
      << chat->applied.DebugString();
  nlohmann::json body = nlohmann::json::parse(chat->json_body);
  body.erase("messages");
  EXPECT_EQ(body, SetFieldsAsJson(c.applied));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SamplingTest,
    ::testing::Values(
        SamplingCase{"RlAllDefaults", false, {}, Params([](auto& p) {
                       p.set_max_tokens(1024);
                       p.set_top_p(0.8);
                       p.set_temperature(0.7);
                     })},
        // Explicit zeros are values, not "unset": they must not take the
        // defaults (proto3 optional presence).
        SamplingCase{"RlExplicitZerosKept", false, Params([](auto& p) {
                       p.set_temperature(0);
                       p.set_max_tokens(1);
                     }),
                     Params([](auto& p) {
                       p.set_max_tokens(1);
                       p.set_top_p(0.8);
                       p.set_temperature(0);
                     })},
        SamplingCase{"RlEdgesAccepted", false, Params([](auto& p) {
                       p.set_temperature(2);
                       p.set_top_p(1);
                     }),
                     Params([](auto& p) {
                       p.set_max_tokens(1024);
                       p.set_top_p(1);
                       p.set_temperature(2);
                     })},
        SamplingCase{"PredictAllDefaults", true, {}, Params([](auto& p) {
                       p.set_max_tokens(77);
                       p.set_guidance(7);
                       p.set_num_steps(35);
                       p.set_seed(0);
                     })},
        SamplingCase{"PredictExplicitValues", true, Params([](auto& p) {
                       p.set_guidance(0);
                       p.set_seed(int64_t{1} << 40);
                       p.set_num_steps(1);
                       p.set_max_tokens(121);
                       p.set_negative_prompt("");
                     }),
                     Params([](auto& p) {
                       p.set_max_tokens(121);
                       p.set_guidance(0);
                       p.set_num_steps(1);
                       p.set_seed(int64_t{1} << 40);
                       p.set_negative_prompt("");
                     })}),
    [](const auto& info) { return info.param.name; });

TEST(SamplingTest, FloatsAreRenderedShortest) {
  v1::InferRequest request = ValidRlRequest();
  request.mutable_sampling()->set_temperature(0.7);
  request.mutable_sampling()->set_top_p(0.95);
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(request, CosmosRlRules());
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_THAT(chat->json_body, HasSubstr(R"("temperature":0.7,"top_p":0.95})"));
}

struct RefusedSamplingCase {
  std::string name;
  bool predict;
  v1::SamplingParams requested;
  std::string field;
  std::string message;  // the whole status message
  friend void PrintTo(const RefusedSamplingCase& c, std::ostream* os) {
    *os << c.name;
  }
};

class RefusedSamplingTest
    : public ::testing::TestWithParam<RefusedSamplingCase> {};

TEST_P(RefusedSamplingTest, NamesTheField) {
  const RefusedSamplingCase& c = GetParam();
  v1::InferRequest request =
      c.predict ? ValidPredictRequest() : ValidRlRequest();
  *request.mutable_sampling() = c.requested;
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(
      request, c.predict ? CosmosPredictRules() : CosmosRlRules());
  ASSERT_EQ(chat.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(chat.status().message(), c.message);
  EXPECT_EQ(ViolatedField(chat.status()), c.field);
}

INSTANTIATE_TEST_SUITE_P(
    CrossCheck, RefusedSamplingTest,
    ::testing::Values(
        RefusedSamplingCase{
            "GuidanceToRl", false, Params([](auto& p) { p.set_guidance(3); }),
            "sampling.guidance",
            "sampling.guidance: cosmos-rl does not accept guidance; it "
            "applies to cosmos-predict2.5 only"},
        RefusedSamplingCase{
            "NumStepsToRl", false, Params([](auto& p) { p.set_num_steps(3); }),
            "sampling.num_steps",
            "sampling.num_steps: cosmos-rl does not accept num_steps; it "
            "applies to cosmos-predict2.5 only"},
        RefusedSamplingCase{
            "SeedZeroToRl", false, Params([](auto& p) { p.set_seed(0); }),
            "sampling.seed",
            "sampling.seed: cosmos-rl does not accept seed; it applies to "
            "cosmos-predict2.5 only"},
        RefusedSamplingCase{
            "NegativePromptToRl", false,
            Params([](auto& p) { p.set_negative_prompt("x"); }),
            "sampling.negative_prompt",
            "sampling.negative_prompt: cosmos-rl does not accept "
            "negative_prompt; it applies to cosmos-predict2.5 only"},
        RefusedSamplingCase{
            "TemperatureToPredict", true,
            Params([](auto& p) { p.set_temperature(0.7); }),
            "sampling.temperature",
            "sampling.temperature: cosmos-predict2.5 does not accept "
            "temperature; it applies to cosmos-rl only"},
        RefusedSamplingCase{
            "TopPToPredict", true, Params([](auto& p) { p.set_top_p(0.5); }),
            "sampling.top_p",
            "sampling.top_p: cosmos-predict2.5 does not accept top_p; it "
            "applies to cosmos-rl only"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Ranges, RefusedSamplingTest,
    ::testing::Values(
        RefusedSamplingCase{
            "TemperatureBelowMin", false,
            Params([](auto& p) { p.set_temperature(-0.1); }),
            "sampling.temperature",
            "sampling.temperature: -0.1 is out of range for cosmos-rl; "
            "accepted: [0, 2]"},
        RefusedSamplingCase{
            "TemperatureAboveMax", false,
            Params([](auto& p) { p.set_temperature(2.5); }),
            "sampling.temperature",
            "sampling.temperature: 2.5 is out of range for cosmos-rl; "
            "accepted: [0, 2]"},
        RefusedSamplingCase{"TemperatureNaN", false, Params([](auto& p) {
                              p.set_temperature(
                                  std::numeric_limits<double>::quiet_NaN());
                            }),
                            "sampling.temperature",
                            "sampling.temperature: must be a finite number"},
        RefusedSamplingCase{
            "TopPAboveMax", false, Params([](auto& p) { p.set_top_p(1.01); }),
            "sampling.top_p",
            "sampling.top_p: 1.01 is out of range for cosmos-rl; accepted: "
            "(0, 1]"},
        RefusedSamplingCase{
            "TopPExclusiveMin", false, Params([](auto& p) { p.set_top_p(0); }),
            "sampling.top_p",
            "sampling.top_p: 0.0 is out of range for cosmos-rl; accepted: "
            "(0, 1]"},
        RefusedSamplingCase{
            "MaxTokensBelowMin", false,
            Params([](auto& p) { p.set_max_tokens(0); }), "sampling.max_tokens",
            "sampling.max_tokens: 0 is out of range for cosmos-rl; accepted: "
            "at least 1"},
        RefusedSamplingCase{
            "GuidanceBelowMin", true,
            Params([](auto& p) { p.set_guidance(-1); }), "sampling.guidance",
            "sampling.guidance: -1 is out of range for cosmos-predict2.5; "
            "accepted: [0, 7]"},
        RefusedSamplingCase{
            "GuidanceAboveMax", true,
            Params([](auto& p) { p.set_guidance(8); }), "sampling.guidance",
            "sampling.guidance: 8 is out of range for cosmos-predict2.5; "
            "accepted: [0, 7]"}),
    [](const auto& info) { return info.param.name; });

TEST(SamplingTest, FieldMissingFromTheRulesIsRefused) {
  catalog::ArchRules rules = CosmosRlRules();
  rules.network_arch = "custom";
  rules.sampling.clear();
  v1::InferRequest request = ValidRlRequest();
  request.mutable_sampling()->set_max_tokens(5);
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(request, rules);
  ASSERT_EQ(chat.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(chat.status().message(),
            "sampling.max_tokens: custom does not accept max_tokens; leave it "
            "unset");
}

TEST(SamplingTest, BrokenCatalogDefaultIsInternal) {
  catalog::ArchRules rules = CosmosRlRules();
  rules.sampling[0].default_value = "lots";
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(ValidRlRequest(), rules);
  ASSERT_EQ(chat.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(chat.status().message(), HasSubstr("max_tokens"));
  EXPECT_THAT(chat.status().message(), HasSubstr("\"lots\""));
}

// Every SamplingParams field must be handled: a new proto field without a
// rule would otherwise be silently dropped.
TEST(SamplingTest, EveryProtoFieldIsSentWhenSupported) {
  catalog::ArchRules rules = CosmosPredictRules();
  for (auto& field : rules.sampling) {
    field.supported = true;
    field.min.reset();
    field.min_exclusive = false;
    field.max.reset();
  }
  v1::InferRequest request = ValidPredictRequest();
  v1::SamplingParams& all = *request.mutable_sampling();
  const auto* descriptor = v1::SamplingParams::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* f = descriptor->field(i);
    const auto* r = all.GetReflection();
    switch (f->cpp_type()) {
      case google::protobuf::FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(&all, f, 1);
        break;
      case google::protobuf::FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(&all, f, 1);
        break;
      case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE:
        r->SetDouble(&all, f, 0.5);
        break;
      default:
        r->SetString(&all, f, "x");
    }
  }
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(request, rules);
  ASSERT_TRUE(chat.ok()) << chat.status();
  nlohmann::json body = nlohmann::json::parse(chat->json_body);
  body.erase("messages");
  EXPECT_EQ(body.size(), static_cast<size_t>(descriptor->field_count()));
  EXPECT_EQ(body, SetFieldsAsJson(all));
}

// ---- Media and messages -------------------------------------------------

struct RefusedCase {
  std::string name;
  bool predict;
  v1::InferRequest request;
  std::string field;
  std::vector<std::string> message_has;
  friend void PrintTo(const RefusedCase& c, std::ostream* os) { *os << c.name; }
};

class RefusedRequestTest : public ::testing::TestWithParam<RefusedCase> {};

TEST_P(RefusedRequestTest, NamesTheFieldAndWhatIsAccepted) {
  const RefusedCase& c = GetParam();
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(
      c.request, c.predict ? CosmosPredictRules() : CosmosRlRules());
  ASSERT_EQ(chat.status().code(), absl::StatusCode::kInvalidArgument)
      << chat.status();
  EXPECT_EQ(ViolatedField(chat.status()), c.field);
  EXPECT_THAT(chat.status().message(), HasSubstr(c.field + ": "));
  for (const std::string& text : c.message_has) {
    EXPECT_THAT(chat.status().message(), HasSubstr(text));
  }
  auto details = core::GetDetails(chat.status());
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_INVALID_FIELD);
}

RefusedCase ImageUrlRefused(const std::string& name, const std::string& url,
                            std::vector<std::string> message_has) {
  return {name, false, Request({User({Text("t"), ImageUrl(url)})}),
          "messages[0].parts[1].image.url", std::move(message_has)};
}

constexpr char kAccepted[] = "accepted: http:// or https:// URLs";

INSTANTIATE_TEST_SUITE_P(
    Schemes, RefusedRequestTest,
    ::testing::Values(
        ImageUrlRefused("S3", "s3://bucket/a.png",
                        {"cloud storage URIs (s3://)", kAccepted}),
        ImageUrlRefused("Gs", "gs://bucket/a.png",
                        {"cloud storage URIs (gs://)", kAccepted}),
        ImageUrlRefused("Az", "az://c/a.png", {"(az://)", kAccepted}),
        ImageUrlRefused("Cs", "cs://c/a.png", {"(cs://)", kAccepted}),
        ImageUrlRefused("Aws", "AWS://c/a.png", {"(aws://)", kAccepted}),
        ImageUrlRefused("File", "file:///tmp/a.png",
                        {"file:// URLs are not supported", kAccepted}),
        ImageUrlRefused("BarePath", "/tmp/a.png",
                        {"\"/tmp/a.png\" is not a URL", kAccepted}),
        ImageUrlRefused("WindowsPath", "C:\\img\\a.png",
                        {"is not a URL", kAccepted}),
        ImageUrlRefused("Ftp", "ftp://h/a.png",
                        {"URL scheme \"ftp\" is not supported", kAccepted}),
        ImageUrlRefused("Empty", "", {"is empty", kAccepted}),
        ImageUrlRefused("NoHost", "https:///a.png", {"has no host"}),
        ImageUrlRefused("NoSlashes", "http:a.png", {"has no host"})),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Extensions, RefusedRequestTest,
    ::testing::Values(
        ImageUrlRefused("GifToRl", "https://h/a.GIF?x=1",
                        {"extension \".gif\"", "cosmos-rl",
                         "accepted: .jpg, .jpeg, .png, .bmp, .tiff"}),
        ImageUrlRefused("VideoInImagePart", "https://h/clip.mp4",
                        {"send it as a video part"}),
        RefusedCase{"MkvToPredict",
                    true,
                    Request({User({VideoUrl("https://h/clip.mkv")})}),
                    "messages[0].parts[0].video.url",
                    {"extension \".mkv\"", "accepted: .mp4"}},
        RefusedCase{"FilenameExtension",
                    false,
                    Request({User({ImageBytes("x", "image/png", "a.gif")})}),
                    "messages[0].parts[0].image.filename",
                    {"extension \".gif\""}},
        RefusedCase{"FilenameOfUrlMedia",
                    true,
                    [] {
                      v1::InferRequest r =
                          Request({User({VideoUrl("https://h/v")})});
                      r.mutable_messages(0)
                          ->mutable_parts(0)
                          ->mutable_video()
                          ->set_filename("v.avi");
                      return r;
                    }(),
                    "messages[0].parts[0].video.filename",
                    {"\".avi\""}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    DataUris, RefusedRequestTest,
    ::testing::Values(
        RefusedCase{"GifToPredict",
                    true,
                    Request({User({ImageUrl("data:image/gif;base64,R0lG")})}),
                    "messages[0].parts[0].image.url",
                    {"\"image/gif\" is not accepted by cosmos-predict2.5",
                     "accepted: image/jpeg, image/jpg, image/png, image/webp"}},
        RefusedCase{"VideoTypeInImagePart",
                    false,
                    Request({User({ImageUrl("data:video/mp4;base64,AAAA")})}),
                    "messages[0].parts[0].image.url",
                    {"\"video/mp4\" is not accepted"}},
        RefusedCase{"NotBase64",
                    false,
                    Request({User({ImageUrl("data:image/png,rawbytes")})}),
                    "messages[0].parts[0].image.url",
                    {"must be base64-encoded"}},
        RefusedCase{"NoPayload",
                    false,
                    Request({User({ImageUrl("data:image/png;base64,")})}),
                    "messages[0].parts[0].image.url",
                    {"has no data"}},
        RefusedCase{"NoComma",
                    false,
                    Request({User({ImageUrl("data:image/png;base64")})}),
                    "messages[0].parts[0].image.url",
                    {"no comma"}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Bytes, RefusedRequestTest,
    ::testing::Values(
        RefusedCase{"NoMimeNoFilename",
                    false,
                    Request({User({ImageBytes("x", "")})}),
                    "messages[0].parts[0].image.mime_type",
                    {"is required with data", "image/jpeg"}},
        RefusedCase{"FilenameWithoutExtension",
                    false,
                    Request({User({VideoBytes("x", "", "clip")})}),
                    "messages[0].parts[0].video.mime_type",
                    {"is required with data", "video/mp4"}},
        RefusedCase{"MimeNotAccepted",
                    true,
                    Request({User({VideoBytes("x", "video/webm")})}),
                    "messages[0].parts[0].video.mime_type",
                    {"\"video/webm\" is not accepted by cosmos-predict2.5",
                     "accepted: video/mp4"}},
        RefusedCase{"MalformedMime",
                    false,
                    Request({User({ImageBytes("x", "image/png\"")})}),
                    "messages[0].parts[0].image.mime_type",
                    {"is not accepted"}},
        RefusedCase{"EmptyBytes",
                    false,
                    Request({User({ImageBytes("", "image/png")})}),
                    "messages[0].parts[0].image.data",
                    {"is empty"}},
        RefusedCase{"EmptyMedia",
                    false,
                    [] {
                      v1::ContentPart part;
                      part.mutable_video();
                      return Request({User({Text("t"), part})});
                    }(),
                    "messages[0].parts[1].video",
                    {"has neither url nor data", kAccepted}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Messages, RefusedRequestTest,
    ::testing::Values(
        RefusedCase{"RlTextOnly",
                    false,
                    Request({System("s"), User({Text("describe")})}),
                    "messages[1].parts",
                    {"cosmos-rl requires at least one image or video part"}},
        RefusedCase{
            "NoMessages", true, Request({}), "messages", {"no user message"}},
        RefusedCase{"SystemOnly",
                    true,
                    Request({System("s")}),
                    "messages",
                    {"no user message"}},
        RefusedCase{"EmptyUserMessage",
                    true,
                    Request({User({})}),
                    "messages[0].parts",
                    {"the user message is empty"}},
        RefusedCase{"EmptyText",
                    true,
                    Request({User({Text("")})}),
                    "messages[0].parts[0].text",
                    {"is empty"}},
        RefusedCase{"EmptyPart",
                    true,
                    Request({User({v1::ContentPart()})}),
                    "messages[0].parts[0]",
                    {"set text, image or video"}},
        RefusedCase{"TwoTextParts",
                    true,
                    Request({User({Text("a"), Text("b")})}),
                    "messages[0].parts[1]",
                    {"the first is parts[0]", "join the texts"}},
        RefusedCase{
            "SecondUserMessage",
            true,
            Request({User({Text("a")}), System("s"), User({Text("b")})}),
            "messages[2].role",
            {"the first is messages[0]", "only the first user message"}},
        RefusedCase{"SecondSystemMessage",
                    true,
                    Request({System("a"), System("b"), User({Text("c")})}),
                    "messages[1].role",
                    {"a second system message"}},
        RefusedCase{"UnknownRole",
                    true,
                    Request({Message(static_cast<v1::Role>(7), {Text("x")}),
                             User({Text("c")})}),
                    "messages[0].role",
                    {"unknown role 7"}},
        RefusedCase{"MediaInSystemMessage",
                    true,
                    Request({Message(v1::ROLE_SYSTEM,
                                     {Text("s"), ImageUrl("https://h/a.png")}),
                             User({Text("c")})}),
                    "messages[0].parts[1]",
                    {"a system message holds text only"}},
        RefusedCase{"EmptySystemMessage",
                    true,
                    Request({Message(v1::ROLE_SYSTEM, {}), User({Text("c")})}),
                    "messages[0].parts",
                    {"the system message is empty"}}),
    [](const auto& info) { return info.param.name; });

struct AcceptedCase {
  std::string name;
  bool predict;
  v1::ContentPart part;
  std::string sent_url;  // the URL in the body
  friend void PrintTo(const AcceptedCase& c, std::ostream* os) {
    *os << c.name;
  }
};

class AcceptedMediaTest : public ::testing::TestWithParam<AcceptedCase> {};

TEST_P(AcceptedMediaTest, IsSentAsExpected) {
  const AcceptedCase& c = GetParam();
  v1::InferRequest request = Request({User({Text("t"), c.part})});
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(
      request, c.predict ? CosmosPredictRules() : CosmosRlRules());
  ASSERT_TRUE(chat.ok()) << chat.status();
  nlohmann::json item =
      nlohmann::json::parse(chat->json_body)["messages"][0]["content"][1];
  const std::string type = item["type"];
  EXPECT_EQ(type, c.part.has_image() ? "image_url" : "video_url");
  EXPECT_EQ(item[type]["url"], c.sent_url);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AcceptedMediaTest,
    ::testing::Values(
        AcceptedCase{"HttpImage", false, ImageUrl("http://h/a.png"),
                     "http://h/a.png"},
        AcceptedCase{"UpperCaseScheme", false, ImageUrl("HTTPS://H/A.JPEG"),
                     "HTTPS://H/A.JPEG"},
        // Without an extension only the server pointed at knows the type.
        AcceptedCase{"NoExtension", false, VideoUrl("https://h/render?id=3"),
                     "https://h/render?id=3"},
        AcceptedCase{"ExtensionOnlyInQuery", false,
                     ImageUrl("https://h/img?f=a.gif"),
                     "https://h/img?f=a.gif"},
        AcceptedCase{"WebpToPredict", true, ImageUrl("https://h/a.webp"),
                     "https://h/a.webp"},
        AcceptedCase{"DataUri", false, VideoUrl("data:video/webm;base64,AAAA"),
                     "data:video/webm;base64,AAAA"},
        AcceptedCase{"DataUriWithParameter", true,
                     ImageUrl("data:image/JPG;name=a.jpg;base64,AAAA"),
                     "data:image/JPG;name=a.jpg;base64,AAAA"},
        AcceptedCase{"BytesWithMime", false, ImageBytes("hi", "IMAGE/PNG"),
                     "data:image/png;base64,aGk="},
        AcceptedCase{"BytesMimeFromFilename", false,
                     VideoBytes("hi", "", "Clip.MKV"),
                     "data:video/x-matroska;base64,aGk="},
        AcceptedCase{"BytesMimeWinsOverFilename", true,
                     ImageBytes("hi", "image/jpg", "a.jpeg"),
                     "data:image/jpg;base64,aGk="}),
    [](const auto& info) { return info.param.name; });

TEST(BuildChatRequestTest, LargeMediaBytesSurviveExactly) {
  std::string bytes(8 << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>((i * 131) ^ (i >> 9));
  }
  v1::InferRequest request =
      Request({User({VideoBytes(bytes, "video/mp4"), Text("describe")})});
  absl::StatusOr<ChatRequest> chat = BuildChatRequest(request, CosmosRlRules());
  ASSERT_TRUE(chat.ok()) << chat.status();
  nlohmann::json body = nlohmann::json::parse(chat->json_body);
  absl::StatusOr<DataUri> sent = ParseDataUri(
      body["messages"][0]["content"][0]["video_url"]["url"].get<std::string>());
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->mime_type, "video/mp4");
  EXPECT_TRUE(sent->bytes == bytes);
}

TEST(BuildChatRequestTest, ErrorsQuoteLongUrlsShortly) {
  const std::string path = "/" + std::string(100000, 'p') + ".png";
  absl::StatusOr<ChatRequest> chat =
      BuildChatRequest(Request({User({ImageUrl(path)})}), CosmosRlRules());
  ASSERT_EQ(chat.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(chat.status().message().size(), 600u);
}

}  // namespace
}  // namespace tao::routing

#include "tests/fakes/reference_backend_chat.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tests/fakes/reference_backend_base64.h"
#include "tests/fakes/reference_backend_media.h"
#include "tests/fakes/reference_backend_mp4.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;

// Request fields the container forwards to the model besides max_tokens
// and temperature (spec §8), in echo order.
constexpr const char* kForwardedFields[] = {"top_p",
                                            "top_k",
                                            "min_p",
                                            "repetition_penalty",
                                            "frequency_penalty",
                                            "presence_penalty",
                                            "seed",
                                            "stop",
                                            "n",
                                            "best_of",
                                            "length_penalty",
                                            "ignore_eos",
                                            "min_tokens"};

struct ParsedChat {
  std::string system;
  std::string prompt;
  std::vector<std::string> media;  // URLs, in order
};

std::string TextOf(const Json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {
    for (const Json& item : content) {
      if (item.is_object() && item.value("type", "") == "text" &&
          item.contains("text") && item["text"].is_string()) {
        text = item["text"].get<std::string>();
      }
    }
  }
  return text;
}

// The first system message's text; from the first user message only: the
// prompt (last text item wins) and media URLs.
absl::StatusOr<ParsedChat> ParseMessages(const Json& data) {
  ParsedChat chat;
  if (!data.contains("messages")) return chat;
  const Json& messages = data["messages"];
  if (!messages.is_array()) {
    return absl::InvalidArgumentError("'messages' must be a list");
  }
  bool have_system = false;
  for (const Json& message : messages) {
    if (!message.is_object()) continue;
    const std::string role = message.value("role", "");
    const Json content = message.value("content", Json());
    if (role == "system" && !have_system) {
      have_system = true;
      chat.system = TextOf(content);
    } else if (role == "user") {
      chat.prompt = TextOf(content);
      if (!content.is_array()) break;
      for (const Json& item : content) {
        if (!item.is_object()) continue;
        const std::string type = item.value("type", "");
        if (type != "image_url" && type != "video_url") continue;
        const Json& holder = item.value(type, Json::object());
        if (!holder.is_object() || !holder.contains("url") ||
            !holder["url"].is_string()) {
          return absl::InvalidArgumentError(
              absl::StrCat("'", type, "' needs a 'url' string"));
        }
        chat.media.push_back(holder["url"].get<std::string>());
      }
      break;
    }
  }
  return chat;
}

absl::Status CheckInteger(const Json& data, const char* field, int64_t low,
                          int64_t high, const char* meaning) {
  if (!data.contains(field)) return absl::OkStatus();
  const Json& value = data[field];
  if (!value.is_number_integer() || value.get<int64_t>() < low ||
      value.get<int64_t>() > high) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be ", meaning));
  }
  return absl::OkStatus();
}

absl::Status CheckCommonFields(const Json& data) {
  if (absl::Status s =
          CheckInteger(data, "max_tokens", 1, INT32_MAX, "a positive integer");
      !s.ok()) {
    return s;
  }
  if (data.contains("temperature") && !data["temperature"].is_number()) {
    return absl::InvalidArgumentError("temperature must be a number");
  }
  return absl::OkStatus();
}

absl::Status CheckPredictFields(const Json& data) {
  if (absl::Status s =
          CheckInteger(data, "guidance", 0, 7, "an integer from 0 to 7");
      !s.ok()) {
    return s;
  }
  return CheckInteger(data, "num_steps", 1, INT32_MAX, "a positive integer");
}

std::string CosmosRlContent(const ParsedChat& chat, const Json& data) {
  std::string text = absl::StrCat(
      "reference backend (a test backend, not a model) for cosmos-rl: prompt=",
      Json(chat.prompt).dump(), " system=", Json(chat.system).dump(),
      " media=", chat.media.size(),
      " max_new_tokens=", data.value("max_tokens", Json(1024)).dump(),
      " temperature=", data.value("temperature", Json(0.7)).dump());
  for (const char* field : kForwardedFields) {
    if (data.contains(field)) {
      absl::StrAppend(&text, " ", field, "=", data[field].dump());
    }
  }
  return text;
}

std::string PredictContent() {
  static const std::string* video = new std::string(
      absl::StrCat("data:video/mp4;base64,", Base64Encode(BuildTinyMp4())));
  return *video;
}

HttpAnswer Invalid(const absl::Status& status) {
  return ErrorAnswer(400, "invalid_request", std::string(status.message()));
}

}  // namespace

HttpAnswer AnswerChat(const LaunchConfig& config, absl::string_view body,
                      absl::Time now) {
  Json data = Json::parse(body.begin(), body.end(), nullptr,
                          /*allow_exceptions=*/false);
  if (!data.is_object() || data.empty()) {
    return ErrorAnswer(400, "invalid_request", "Request body is required");
  }
  absl::StatusOr<ParsedChat> chat = ParseMessages(data);
  if (!chat.ok()) return Invalid(chat.status());
  for (const std::string& url : chat->media) {
    if (absl::Status s = CheckMediaUrl(config.arch, url); !s.ok()) {
      return Invalid(s);
    }
  }
  if (absl::Status s = CheckCommonFields(data); !s.ok()) return Invalid(s);
  std::string content;
  if (config.arch == Arch::kCosmosRl) {
    if (chat->media.empty()) {
      return ErrorAnswer(400, "invalid_request",
                         "Cosmos requires 'media' parameter");
    }
    content = CosmosRlContent(*chat, data);
  } else {
    if (absl::Status s = CheckPredictFields(data); !s.ok()) return Invalid(s);
    content = PredictContent();
  }
  Json choice = {{"index", 0},
                 {"message", {{"role", "assistant"}, {"content", content}}},
                 {"finish_reason", "stop"}};
  Json answer = {
      {"id", absl::StrCat("chatcmpl-", absl::FormatTime("%Y%m%d%H%M%S%E6f", now,
                                                        absl::UTCTimeZone()))},
      {"object", "chat.completion"},
      {"created", absl::ToUnixSeconds(now)},
      {"model", config.model_path}};
  answer["choices"] = Json::array({std::move(choice)});
  return {200, std::move(answer)};
}

}  // namespace tao::fakes

// ParseChatReply (declared in chat_request.h): the 200 answer of
// /v1/chat/completions (spec §9).
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "server/core/routing/chat_request.h"
#include "server/core/routing/data_uri.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;
using nlohmann::json;

// Answers are quoted in errors only this far: a video answer is megabytes.
constexpr size_t kMaxExcerpt = 200;

// A data: URI header longer than this is not "data:video/mp4;base64": such
// content is text that happens to start with "data:".
constexpr size_t kMaxMediaHeader = 128;

std::string Excerpt(absl::string_view body) {
  if (body.size() <= kMaxExcerpt) return std::string(body);
  size_t end = kMaxExcerpt;
  // Do not cut a UTF-8 sequence in half.
  while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) {
    --end;
  }
  return absl::StrCat(body.substr(0, end), "... (", body.size(), " bytes)");
}

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("the backend's chat-completions answer is malformed: ", what,
                   "; check the service's logs"));
}

// `json[key]` when it is a string; "" when absent or null.
absl::StatusOr<std::string> OptionalString(const json& object,
                                           absl::string_view path,
                                           const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Malformed(absl::StrCat(path, key, " is not a string"));
  }
  return it->get<std::string>();
}

// True when `content` is a media answer rather than text that happens to
// begin with "data:".
bool IsMediaAnswer(absl::string_view content) {
  if (!absl::StartsWithIgnoreCase(content, "data:")) return false;
  absl::StatusOr<DataUriHeader> header = ParseDataUriHeader(content);
  return header.ok() && header->header.size() <= kMaxMediaHeader &&
         header->is_base64 && absl::StrContains(header->mime_type, '/');
}

// Fills `choice` from choices[index]; a media answer's content is replaced
// in `element` by a short placeholder. Returns whether it was.
absl::StatusOr<bool> ParseChoice(json& element, size_t index,
                                 v1::Choice* choice) {
  const std::string path = absl::StrCat("choices[", index, "].");
  if (!element.is_object()) {
    return Malformed(absl::StrCat("choices[", index, "] is not an object"));
  }
  choice->set_index(static_cast<int32_t>(index));
  if (auto it = element.find("index"); it != element.end()) {
    if (!it->is_number_integer()) {
      return Malformed(absl::StrCat(path, "index is not an integer"));
    }
    choice->set_index(it->get<int32_t>());
  }
  absl::StatusOr<std::string> finish =
      OptionalString(element, path, "finish_reason");
  if (!finish.ok()) return finish.status();
  choice->set_finish_reason(*std::move(finish));

  auto message = element.find("message");
  if (message == element.end() || !message->is_object()) {
    return Malformed(absl::StrCat(path, "message is missing or not an object"));
  }
  auto content = message->find("content");
  if (content == message->end() || content->is_null()) return false;
  if (!content->is_string()) {
    return Malformed(absl::StrCat(path, "message.content is not a string"));
  }
  std::string& text = content->get_ref<std::string&>();
  if (!IsMediaAnswer(text)) {
    choice->set_text(text);
    return false;
  }
  absl::StatusOr<DataUri> media = ParseDataUri(text);
  if (!media.ok()) {
    return Malformed(
        absl::StrCat(path, "message.content: ", media.status().message()));
  }
  *content = absl::StrCat("data:", media->mime_type, ";base64,<",
                          media->bytes.size(), " bytes elided>");
  choice->set_media_mime_type(media->mime_type);
  choice->set_media(std::move(media->bytes));
  return true;
}

}  // namespace

absl::StatusOr<v1::InferResponse> ParseChatReply(absl::string_view body) {
  json reply;
  try {
    reply = json::parse(body.begin(), body.end());
  } catch (const json::parse_error& error) {
    return Malformed(absl::StrCat("not JSON (error at byte ", error.byte,
                                  "): ", Excerpt(body)));
  }
  if (!reply.is_object()) {
    return Malformed(absl::StrCat("not a JSON object: ", Excerpt(body)));
  }
  v1::InferResponse response;
  absl::StatusOr<std::string> id = OptionalString(reply, "", "id");
  if (!id.ok()) return id.status();
  response.set_id(*std::move(id));
  absl::StatusOr<std::string> model = OptionalString(reply, "", "model");
  if (!model.ok()) return model.status();
  response.set_model(*std::move(model));
  if (auto it = reply.find("created"); it != reply.end() && !it->is_null()) {
    if (!it->is_number()) return Malformed("created is not a number");
    response.set_created(it->get<int64_t>());
  }

  auto choices = reply.find("choices");
  if (choices == reply.end() || !choices->is_array()) {
    return Malformed(
        absl::StrCat("choices is missing or not an array: ", Excerpt(body)));
  }
  if (choices->empty()) return Malformed("choices is empty");
  bool elided = false;
  for (size_t i = 0; i < choices->size(); ++i) {
    absl::StatusOr<bool> media =
        ParseChoice((*choices)[i], i, response.add_choices());
    if (!media.ok()) return media.status();
    elided |= *media;
  }
  // Text answers keep the backend's exact bytes.
  response.set_raw_json(elided ? reply.dump() : std::string(body));
  return response;
}

}  // namespace tao::routing

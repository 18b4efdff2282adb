#include "server/core/routing/chat_request.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/common/errors.h"
#include "server/core/routing/json_text.h"
#include "server/core/routing/media.h"
#include "server/core/routing/sampling.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;

// One content item of the user message, checked.
struct UserItem {
  absl::string_view text;  // a text item when media is unset
  std::optional<MediaKind> kind;
  CheckedMedia media;
};

// The two messages the containers read (spec §8): the system prompt and
// the first user message.
struct CheckedMessage {
  v1::Role role = v1::ROLE_USER;
  std::string system_text;
  std::vector<UserItem> items;
};

std::string MessagePath(int index) {
  return absl::StrCat("messages[", index, "]");
}

std::string PartPath(int message, int part) {
  return absl::StrCat(MessagePath(message), ".parts[", part, "]");
}

// A system message holds text only: the containers read it as a string.
// Several text parts are joined with newlines.
absl::StatusOr<std::string> CheckSystemMessage(const v1::ChatMessage& message,
                                               int index) {
  if (message.parts().empty()) {
    return core::InvalidField(
        absl::StrCat(MessagePath(index), ".parts"),
        "the system message is empty; add a text part or drop the message");
  }
  std::vector<absl::string_view> texts;
  for (int j = 0; j < message.parts_size(); ++j) {
    const v1::ContentPart& part = message.parts(j);
    if (part.kind_case() != v1::ContentPart::kText) {
      return core::InvalidField(
          PartPath(index, j),
          "a system message holds text only; put images and videos in the "
          "user message");
    }
    if (part.text().empty()) {
      return core::InvalidField(absl::StrCat(PartPath(index, j), ".text"),
                                "is empty; drop the part or give it text");
    }
    texts.push_back(part.text());
  }
  return absl::StrJoin(texts, "\n");
}

absl::StatusOr<std::vector<UserItem>> CheckUserMessage(
    const v1::ChatMessage& message, int index,
    const catalog::ArchRules& rules) {
  std::vector<UserItem> items;
  int text_part = -1;
  for (int j = 0; j < message.parts_size(); ++j) {
    const v1::ContentPart& part = message.parts(j);
    const std::string path = PartPath(index, j);
    UserItem item;
    switch (part.kind_case()) {
      case v1::ContentPart::kText:
        if (part.text().empty()) {
          return core::InvalidField(absl::StrCat(path, ".text"),
                                    "is empty; drop the part or give it text");
        }
        // The containers keep only the last text item as the prompt.
        if (text_part >= 0) {
          return core::InvalidField(
              path,
              absl::StrCat("a second text part (the first is parts[", text_part,
                           "]); the container keeps only one, so join "
                           "the texts into one part"));
        }
        text_part = j;
        item.text = part.text();
        break;
      case v1::ContentPart::kImage:
      case v1::ContentPart::kVideo: {
        const bool image = part.kind_case() == v1::ContentPart::kImage;
        item.kind = image ? MediaKind::kImage : MediaKind::kVideo;
        absl::StatusOr<CheckedMedia> media =
            CheckMedia(image ? part.image() : part.video(), *item.kind, rules,
                       absl::StrCat(path, image ? ".image" : ".video"));
        if (!media.ok()) return media.status();
        item.media = *std::move(media);
        break;
      }
      default:
        return core::InvalidField(
            path, "the part is empty; set text, image or video");
    }
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    return core::InvalidField(
        absl::StrCat(MessagePath(index), ".parts"),
        "the user message is empty; add a text, image or video part");
  }
  return items;
}

absl::StatusOr<std::vector<CheckedMessage>> CheckMessages(
    const v1::InferRequest& request, const catalog::ArchRules& rules) {
  std::vector<CheckedMessage> checked;
  int system_index = -1;
  int user_index = -1;
  for (int i = 0; i < request.messages_size(); ++i) {
    const v1::ChatMessage& message = request.messages(i);
    CheckedMessage out;
    switch (message.role()) {
      case v1::ROLE_SYSTEM: {
        if (system_index >= 0) {
          return core::InvalidField(
              absl::StrCat(MessagePath(i), ".role"),
              absl::StrCat("a second system message (the first is messages[",
                           system_index,
                           "]); the container reads only the first, so join "
                           "them"));
        }
        system_index = i;
        absl::StatusOr<std::string> text = CheckSystemMessage(message, i);
        if (!text.ok()) return text.status();
        out.role = v1::ROLE_SYSTEM;
        out.system_text = *std::move(text);
        break;
      }
      case v1::ROLE_UNSPECIFIED:
      case v1::ROLE_USER: {
        if (user_index >= 0) {
          return core::InvalidField(
              absl::StrCat(MessagePath(i), ".role"),
              absl::StrCat("a second user message (the first is messages[",
                           user_index,
                           "]); the container processes only the first user "
                           "message, so put every part in it"));
        }
        user_index = i;
        absl::StatusOr<std::vector<UserItem>> items =
            CheckUserMessage(message, i, rules);
        if (!items.ok()) return items.status();
        out.items = *std::move(items);
        break;
      }
      default:
        return core::InvalidField(
            absl::StrCat(MessagePath(i), ".role"),
            absl::StrCat("unknown role ", message.role(),
                         "; use ROLE_SYSTEM or ROLE_USER"));
    }
    checked.push_back(std::move(out));
  }
  if (user_index < 0) {
    return core::InvalidField(
        "messages",
        "no user message; add one with a text, image or video part");
  }
  if (rules.media_required) {
    bool has_media = false;
    for (const CheckedMessage& message : checked) {
      for (const UserItem& item : message.items)
        has_media |= item.kind.has_value();
    }
    if (!has_media) {
      return core::InvalidField(
          absl::StrCat(MessagePath(user_index), ".parts"),
          absl::StrCat(rules.network_arch,
                       " requires at least one image or video part in the "
                       "user message"));
    }
  }
  return checked;
}

void AppendUserContent(const std::vector<UserItem>& items, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    const UserItem& item = items[i];
    if (!item.kind.has_value()) {
      out->append(R"({"type":"text","text":)");
      AppendJsonString(item.text, out);
      out->push_back('}');
      continue;
    }
    const absl::string_view type =
        *item.kind == MediaKind::kImage ? "image_url" : "video_url";
    absl::StrAppend(out, R"({"type":")", type, R"(",")", type, R"(":{"url":)");
    AppendMediaUrlJson(item.media, out);
    out->append("}}");
  }
  out->push_back(']');
}

}  // namespace

absl::StatusOr<ChatRequest> BuildChatRequest(const v1::InferRequest& request,
                                             const catalog::ArchRules& rules) {
  absl::StatusOr<std::vector<CheckedMessage>> messages =
      CheckMessages(request, rules);
  if (!messages.ok()) return messages.status();
  absl::StatusOr<v1::SamplingParams> applied =
      ResolveSampling(request.sampling(), rules);
  if (!applied.ok()) return applied.status();

  ChatRequest chat;
  // Base64 grows media by a third; reserving avoids copying a large body
  // again while it grows.
  chat.json_body.reserve(request.ByteSizeLong() / 3 * 4 + 1024);
  std::string& out = chat.json_body;
  // "model" is omitted: the containers ignore it (spec §8).
  out.append(R"({"messages":[)");
  for (size_t i = 0; i < messages->size(); ++i) {
    if (i > 0) out.push_back(',');
    const CheckedMessage& message = (*messages)[i];
    if (message.role == v1::ROLE_SYSTEM) {
      out.append(R"({"role":"system","content":)");
      AppendJsonString(message.system_text, &out);
    } else {
      out.append(R"({"role":"user","content":)");
      AppendUserContent(message.items, &out);
    }
    out.push_back('}');
  }
  out.push_back(']');
  AppendSamplingJson(*applied, &out);
  out.push_back('}');
  chat.applied = *std::move(applied);
  return chat;
}

}  // namespace tao::routing

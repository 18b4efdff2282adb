#include "client/cli/infer_output.h"

#include <cctype>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "client/cli/media_input.h"

namespace tao::cli {
namespace {

// Keeps ids usable as file names whatever the backend sends.
std::string SafeForFileName(const std::string& text) {
  std::string safe;
  for (char c : text) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                      c == '_' || c == '.';
    safe.push_back(keep ? c : '_');
  }
  return safe;
}

bool ShouldSave(const tao::inference::v1::Choice& choice,
                const std::string& output) {
  return !choice.media().empty() || !output.empty();
}

}  // namespace

std::string AnswerPath(const std::string& output, const std::string& job_id,
                       const std::string& completion_id, int choice_index,
                       const std::string& extension, bool several) {
  const std::string suffix =
      several ? absl::StrCat("-", choice_index) : std::string();
  if (!output.empty()) {
    if (!several) return output;
    const size_t slash = output.rfind('/');
    const size_t dot = output.rfind('.');
    if (dot == std::string::npos ||
        (slash != std::string::npos && dot < slash)) {
      return absl::StrCat(output, suffix);
    }
    return absl::StrCat(output.substr(0, dot), suffix, output.substr(dot));
  }
  return absl::StrCat("./tao-infer-", SafeForFileName(job_id),
                      completion_id.empty()
                          ? ""
                          : absl::StrCat("-", SafeForFileName(completion_id)),
                      suffix, extension);
}

absl::StatusOr<std::vector<SavedAnswer>> SaveAnswers(
    const tao::inference::v1::InferResponse& response,
    const std::string& output) {
  int to_save = 0;
  for (const auto& choice : response.choices()) {
    if (ShouldSave(choice, output)) ++to_save;
  }
  std::vector<SavedAnswer> saved;
  for (const auto& choice : response.choices()) {
    if (!ShouldSave(choice, output)) continue;
    const bool media = !choice.media().empty();
    SavedAnswer answer;
    answer.choice_index = choice.index();
    answer.mime_type = media ? choice.media_mime_type() : "text/plain";
    answer.path = AnswerPath(
        output, response.job_id(), response.id(), choice.index(),
        media ? ExtensionForMimeType(choice.media_mime_type()) : ".txt",
        to_save > 1);
    const std::string& bytes = media ? choice.media() : choice.text();
    std::ofstream file(answer.path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file) {
      return absl::InvalidArgumentError(
          absl::StrCat("could not write the answer to ", answer.path,
                       "; name a writable file with --output"));
    }
    answer.bytes = bytes.size();
    saved.push_back(answer);
  }
  return saved;
}

}  // namespace tao::cli

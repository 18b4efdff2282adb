// Where `infer` puts media answers: the file the user named with --output,
// or ./tao-infer-<job_id>-<id><ext>.
#ifndef TAO_CLIENT_CLI_INFER_OUTPUT_H_
#define TAO_CLIENT_CLI_INFER_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

struct SavedAnswer {
  int choice_index = 0;
  std::string path;
  std::string mime_type;
  size_t bytes = 0;
};

// The file a choice is written to. `output` is --output (may be empty);
// `extension` (".mp4") is used for the default path; with several choices
// to save, "-<index>" goes before the extension.
std::string AnswerPath(const std::string& output, const std::string& job_id,
                       const std::string& completion_id, int choice_index,
                       const std::string& extension, bool several);

// Writes every media choice, and text choices when --output was given.
// Errors: INVALID_ARGUMENT naming the path when a file cannot be written.
absl::StatusOr<std::vector<SavedAnswer>> SaveAnswers(
    const tao::inference::v1::InferResponse& response,
    const std::string& output);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_INFER_OUTPUT_H_

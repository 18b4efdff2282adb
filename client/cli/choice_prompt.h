// Questions asked on a terminal: yes/no, and which of several services.
#ifndef TAO_CLIENT_CLI_CHOICE_PROMPT_H_
#define TAO_CLIENT_CLI_CHOICE_PROMPT_H_

#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

// Writes "<question> [y/N] " to `out` and reads a line of `in`: true for
// y/yes (any case), false for anything else; nullopt when `in` ended.
std::optional<bool> AskYesNo(const std::string& question, std::istream& in,
                             std::ostream& out);

// Lists `candidates` numbered from 1 and asks "Which one? [1-N]: " until a
// valid number is typed. Returns the chosen index (0-based), nullopt when
// `in` ended.
std::optional<int> AskWhichService(const google::protobuf::RepeatedPtrField<
                                       tao::inference::v1::Service>& candidates,
                                   std::istream& in, std::ostream& out);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_CHOICE_PROMPT_H_

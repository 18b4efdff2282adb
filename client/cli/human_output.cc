#include "client/cli/human_output.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "client/cli/sampling_fields.h"

namespace tao::cli {
namespace {

using tao::inference::v1::Service;

std::string OrDash(const std::string& text) {
  return text.empty() ? std::string("-") : text;
}

std::vector<std::string> CandidateColumns(const Service& service) {
  return {service.job_id(),           OrDash(service.network_arch()),
          OrDash(service.platform()), StateName(service.state()),
          OrDash(service.host_url()), OrDash(service.started_at())};
}

}  // namespace

std::string StateName(tao::inference::v1::ServiceState state) {
  const std::string& name = tao::inference::v1::ServiceState_Name(state);
  if (name.empty()) return absl::StrCat("STATE_", static_cast<int>(state));
  return std::string(absl::StripPrefix(name, "SERVICE_STATE_"));
}

std::string PhaseName(tao::inference::v1::Phase phase) {
  const std::string& name = tao::inference::v1::Phase_Name(phase);
  if (name.empty()) return absl::StrCat("phase_", static_cast<int>(phase));
  return absl::AsciiStrToLower(absl::StripPrefix(name, "PHASE_"));
}

std::string ReasonName(tao::inference::v1::ErrorReason reason) {
  const std::string& name = tao::inference::v1::ErrorReason_Name(reason);
  if (name.empty()) return absl::StrCat("REASON_", static_cast<int>(reason));
  return std::string(absl::StripPrefix(name, "ERROR_REASON_"));
}

std::string FormatSeconds(const google::protobuf::Duration& duration) {
  const double seconds = duration.seconds() + duration.nanos() / 1e9;
  return absl::StrFormat("%.1fs", seconds);
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&line, row[i]);
      if (i + 1 < row.size()) {
        line.append(widths[i] - row[i].size() + 2, ' ');
      }
    }
    absl::StrAppend(&text, line, "\n");
  }
  return text;
}

std::string FormatServiceTable(
    const google::protobuf::RepeatedPtrField<Service>& services,
    const std::string& latest_job_id) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"", "JOB ID", "ARCH", "PLATFORM", "STATE", "URL", "STARTED"});
  for (const Service& service : services) {
    std::vector<std::string> row = CandidateColumns(service);
    const bool latest = service.latest() || (!latest_job_id.empty() &&
                                             service.job_id() == latest_job_id);
    row.insert(row.begin(), latest ? "*" : "");
    rows.push_back(std::move(row));
  }
  return absl::StrCat(FormatTable(rows), "(* = latest)\n");
}

std::string FormatCandidates(
    const google::protobuf::RepeatedPtrField<Service>& candidates,
    const std::string& indent) {
  std::vector<std::vector<std::string>> rows;
  int number = 0;
  for (const Service& service : candidates) {
    std::vector<std::string> row = CandidateColumns(service);
    row.insert(row.begin(), absl::StrCat(indent, ++number, "."));
    rows.push_back(std::move(row));
  }
  return FormatTable(rows);
}

std::string FormatServiceDetails(const Service& service) {
  std::vector<std::vector<std::string>> rows;
  auto add = [&rows](const char* name, const std::string& value) {
    if (!value.empty()) rows.push_back({absl::StrCat(name, ":"), value});
  };
  add("job_id", service.job_id());
  add("state", StateName(service.state()));
  add("reason", service.reason());
  add("network_arch", service.network_arch());
  add("platform", service.platform());
  add("platform_job_id", service.platform_job_id());
  add("image", service.image());
  add("model_path", service.model_path());
  add("num_gpus", service.num_gpus() ? absl::StrCat(service.num_gpus()) : "");
  add("host_url", service.host_url());
  add("docker_url", service.docker_url());
  add("host_port",
      service.host_port() ? absl::StrCat(service.host_port()) : "");
  add("slurm_node", service.slurm_node());
  add("instance_id", service.instance_id());
  add("namespace", service.namespace_());
  add("started_at", service.started_at());
  add("latest", service.latest() ? "yes" : "");
  return FormatTable(rows);
}

std::string FormatWaitEvent(const tao::inference::v1::WaitReadyEvent& event) {
  std::string line =
      absl::StrFormat("[%7s] %-8s %-9s", FormatSeconds(event.elapsed()),
                      StateName(event.state()), PhaseName(event.phase()));
  if (!event.reason().empty()) absl::StrAppend(&line, " ", event.reason());
  if (!event.message().empty()) {
    absl::StrAppend(&line, event.reason().empty() ? " " : ": ",
                    event.message());
  }
  return std::string(absl::StripTrailingAsciiWhitespace(line));
}

std::string FormatSampling(const tao::inference::v1::SamplingParams& params) {
  std::vector<std::string> parts;
  for (const std::string& name : SetSamplingFieldNames(params)) {
    std::string value = SamplingFieldText(params, name);
    if (params.GetDescriptor()->FindFieldByName(name)->cpp_type() ==
        google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      value = absl::StrCat("\"", value, "\"");
    }
    parts.push_back(absl::StrCat(name, "=", value));
  }
  return parts.empty() ? std::string("(server defaults)")
                       : absl::StrJoin(parts, " ");
}

std::string FormatError(const CliError& error) {
  std::string text = absl::StrCat("tao-infer: error: ", error.message, "\n");
  if (!error.details) return text;
  const auto& details = *error.details;
  if (details.reason_code() != tao::inference::v1::ERROR_REASON_UNSPECIFIED) {
    absl::StrAppend(&text, "  reason: ", ReasonName(details.reason_code()),
                    "\n");
  }
  if (details.candidates_size() > 0) {
    absl::StrAppend(&text, "  candidates:\n",
                    FormatCandidates(details.candidates(), "    "));
  }
  for (const auto& violation : details.field_violations()) {
    absl::StrAppend(&text, "  field ", violation.field(), ": ",
                    violation.description(), "\n");
  }
  if (!details.backend_error_type().empty() ||
      details.backend_http_status() != 0) {
    absl::StrAppend(&text, "  backend: ", OrDash(details.backend_error_type()),
                    " (HTTP ", details.backend_http_status(), ")\n");
  }
  return text;
}

}  // namespace tao::cli

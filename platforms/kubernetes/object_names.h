// Names and label values of the Kubernetes objects a service runs as. One
// name serves its Job, Service and Secret: "tao-" + the job id (a UUID),
// which is a DNS-1035 label (Service names must start with a letter) of 40
// characters, below the 63 a Job name may have before its pods' job-name
// label overflows (k8s-fake-fidelity.md §4, "Name rules").
#ifndef TAO_PLATFORMS_KUBERNETES_OBJECT_NAMES_H_
#define TAO_PLATFORMS_KUBERNETES_OBJECT_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::platforms::kubernetes {

// Labels every object of a service carries (the server instance also as
// an annotation, in full, since a label value is cut to 63 characters).
inline constexpr char kLabelManagedBy[] = "app.kubernetes.io/managed-by";
inline constexpr char kManagedByValue[] = "tao-inference";
inline constexpr char kLabelJobId[] = "inference.tao.nvidia.com/job-id";
inline constexpr char kLabelNetworkArch[] =
    "inference.tao.nvidia.com/network-arch";
inline constexpr char kLabelServerInstance[] =
    "inference.tao.nvidia.com/server-instance";
inline constexpr char kAnnotationServerInstance[] =
    "inference.tao.nvidia.com/server-instance";

// "tao-<job id>". INVALID_ARGUMENT when the result is not a DNS-1035 label
// of at most 63 characters (the job id is not a lower-case UUID-like id).
absl::StatusOr<std::string> ObjectName(absl::string_view job_id);

// True for a DNS-1035 label: [a-z]([-a-z0-9]*[a-z0-9])?, at most 63.
bool IsDns1035Label(absl::string_view name);

// `text` as a valid label value (at most 63 characters of [A-Za-z0-9-_.],
// starting and ending with an alphanumeric): other characters become '-',
// the rest is cut. Distinct inputs may map to one value: compare the
// annotation when it matters.
std::string LabelValue(absl::string_view text);

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_OBJECT_NAMES_H_

// Which containers an exec command starts on the instance: the fake notes
// every `--name X` / `--name=X` it sees, so that stopping or deleting the
// instance removes exactly those containers (by name, through the Engine
// API), as the machine going away would.
#ifndef TAO_TESTS_FAKES_BREV_CONTAINER_NAMES_H_
#define TAO_TESTS_FAKES_BREV_CONTAINER_NAMES_H_

#include <string>
#include <vector>

namespace tao::fakes::brev {

// The valid Docker names after `--name` in `command`, quotes removed, in
// order, without repeats.
std::vector<std::string> ContainerNamesIn(const std::string& command);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_CONTAINER_NAMES_H_

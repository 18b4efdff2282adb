// A fresh directory for one test (or suite), removed with everything in it
// afterwards. Under $TEST_TMPDIR when set, else /tmp.
#ifndef TAO_TESTS_SUPPORT_TEMP_DIR_H_
#define TAO_TESTS_SUPPORT_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "gtest/gtest.h"

namespace tao::tests {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "tao-test") {
    const char* base = getenv("TEST_TMPDIR");
    std::string pattern =
        std::string(base != nullptr ? base : "/tmp") + "/" + prefix + ".XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (mkdtemp(name.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp(" << pattern << ") failed";
    }
    path_ = name.data();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace tao::tests

#endif  // TAO_TESTS_SUPPORT_TEMP_DIR_H_

#include "tests/fakes/brev/container_names.h"

#include <algorithm>
#include <cctype>

namespace tao::fakes::brev {
namespace {

// Shell-ish words: split at blanks and ;&|(), with '...' and "..." kept
// together and their quotes dropped. Enough for `docker run` lines.
std::vector<std::string> Words(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';' || c == '&' ||
        c == '|' || c == '(' || c == ')') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
      continue;
    }
    word += c;
    in_word = true;
  }
  if (in_word) words.push_back(word);
  return words;
}

// Docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]*.
bool IsContainerName(const std::string& name) {
  if (name.empty() || !std::isalnum(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '.' || c == '-';
  });
}

}  // namespace

std::vector<std::string> ContainerNamesIn(const std::string& command) {
  const std::vector<std::string> words = Words(command);
  std::vector<std::string> names;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string name;
    if (words[i] == "--name" && i + 1 < words.size()) {
      name = words[i + 1];
    } else if (words[i].rfind("--name=", 0) == 0) {
      name = words[i].substr(7);
    }
    if (IsContainerName(name) &&
        std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

}  // namespace tao::fakes::brev

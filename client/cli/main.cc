// tao-infer: command-line client of tao-inferd. See docs/cli.md.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "client/cli/args.h"
#include "client/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  tao::cli::CommandIo io{std::cin, std::cout, std::cerr,
                         /*is_tty=*/isatty(STDIN_FILENO) != 0,
                         /*err_is_tty=*/isatty(STDERR_FILENO) != 0};
  return tao::cli::RunCli(
      args, tao::cli::DefaultServer(std::getenv("TAO_INFER_SERVER")), io);
}

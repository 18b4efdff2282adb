// fake-brev: a faithful fake of the NVIDIA `brev` CLI for tests, put first
// on PATH as `brev` (see README.md and fake_brev_home.h).
#include "tests/fakes/brev/brev_cli.h"

int main(int argc, char** argv) {
  return tao::fakes::brev::RunBrev(argc, argv);
}

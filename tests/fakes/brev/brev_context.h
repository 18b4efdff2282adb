// What every fake brev command works with: the knobs, this process's
// stdio, the output rules, the state and the logs.
#ifndef TAO_TESTS_FAKES_BREV_BREV_CONTEXT_H_
#define TAO_TESTS_FAKES_BREV_BREV_CONTEXT_H_

#include "tests/fakes/brev/brev_output.h"
#include "tests/fakes/brev/call_log.h"
#include "tests/fakes/brev/knobs.h"
#include "tests/fakes/brev/state_store.h"
#include "tests/fakes/brev/stdio_kind.h"

namespace tao::fakes::brev {

struct Context {
  explicit Context(Knobs k)
      : knobs(std::move(k)),
        stdio(ThisProcessStdio()),
        out(knobs.errors_to_stdout),
        store(knobs.fake_dir),
        log(knobs.fake_dir) {}

  Knobs knobs;
  StdioKinds stdio;
  Output out;
  StateStore store;
  CallLog log;
};

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_BREV_CONTEXT_H_

// tao-inferd: the tao.inference.v1 control-plane server, with the built-in
// platforms (platforms/builtin.cc).
#include "server/server_main.h"

int main(int argc, char** argv) {
  return tao::server::RunServer(argc, argv, nullptr);
}

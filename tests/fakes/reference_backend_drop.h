// Drops the TCP connection a request came on, without an answer, so tests
// can reproduce "the request was sent, then the connection was lost".
// cpp-httplib does not expose the socket, so it is found by its addresses.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_DROP_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_DROP_H_

namespace tao::fakes {

// Shuts down (both directions) this process's TCP socket whose local port
// is `local_port` and peer port is `remote_port`. cpp-httplib's own write
// of the answer then fails and it closes the socket. Returns false when no
// such socket was found.
bool DropConnection(int local_port, int remote_port);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_DROP_H_

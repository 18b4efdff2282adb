// Host port checks shared by drivers and the core's port pool.
#ifndef TAO_PLATFORMS_COMMON_PORTS_H_
#define TAO_PLATFORMS_COMMON_PORTS_H_

#include <string>

namespace tao::platforms {

// True when a TCP listener could bind `address`:`port` right now (the probe
// socket is closed again at once, with SO_REUSEADDR so TIME_WAIT does not
// count as busy).
bool IsPortBindable(int port, const std::string& address = "127.0.0.1");

// A port the kernel would hand out to a listener on `address` now (from
// its ephemeral range, apart from the pool's ports), or 0 when none. Free
// when asked, not reserved: bind it soon.
int EphemeralPort(const std::string& address = "127.0.0.1");

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_PORTS_H_

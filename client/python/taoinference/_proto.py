"""Imports the generated stubs (see ../generate).

protoc writes imports such as ``from tao.inference.v1 import ...``, so the
folder holding the generated tree has to be importable by that name; it is
appended (not prepended) to sys.path so it can never shadow other packages.
"""

import os
import sys

_GEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_gen")
if not os.path.isdir(os.path.join(_GEN, "tao")):
    raise ImportError(
        f"taoinference: generated stubs missing in {_GEN}; "
        "run client/python/generate (or client/build-all python) first")
if _GEN not in sys.path:
    sys.path.append(_GEN)

# pylint: disable=wrong-import-position
import health_pb2  # noqa: E402
import health_pb2_grpc  # noqa: E402
import reflection_pb2  # noqa: E402
import reflection_pb2_grpc  # noqa: E402
from tao.inference.v1 import inference_service_pb2 as pb  # noqa: E402
from tao.inference.v1 import inference_service_pb2_grpc as pb_grpc  # noqa: E402

__all__ = ["health_pb2", "health_pb2_grpc", "reflection_pb2",
           "reflection_pb2_grpc", "pb", "pb_grpc"]

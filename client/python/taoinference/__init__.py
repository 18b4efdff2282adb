"""Python client for tao-inferd, the tao.inference.v1 control plane.

    from taoinference import Client, TaoError, pb
    with Client("127.0.0.1:50051") as client:
        service = client.start("cosmos-rl", "hf_model://org/name")
        client.wait(service.job_id, on_progress=print)
        print(client.infer("Describe it", job_id=service.job_id,
                           images=["photo.png"]).choices[0].text)
        client.stop(service.job_id)

``pb`` is the generated message module (pb.Service, pb.SERVICE_STATE_READY,
...); the generated stub is ``Client.stub``.
"""

from taoinference._proto import pb, pb_grpc
from taoinference.client import Client
from taoinference.errors import ServiceFailedError, TaoError, decode_details
from taoinference.media import media_from

__all__ = ["Client", "TaoError", "ServiceFailedError", "decode_details",
           "media_from", "pb", "pb_grpc"]

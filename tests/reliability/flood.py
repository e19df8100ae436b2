"""A publisher in its own process that floods one vehicle's state topics.

    python -m tests.reliability.flood URL VEHICLE FACTOR SECONDS

Every frame goes out at FACTOR times its catalogue rate for SECONDS, with varying values and a
rising seq, then once more with the values of `sample_vehicle.typical()`: the values a correct
receiver shows at the end. Prints the number of messages published.
"""

from __future__ import annotations

import random
import sys
import time

from protocols import Codec, VehicleTopics
from protocols.auth import load_command_key
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from protocols.freshness import session_epoch
from tests.support.sample_vehicle import typical

DRAIN_TIMEOUT_S = 30.0


def main(url: str, vehicle: str, factor: float, seconds: float) -> int:
    codec = Codec()
    topics = VehicleTopics(vehicle)
    sealer, epoch = load_command_key().sealer(vehicle), session_epoch()
    transport = MqttTransport(parse_broker_url(url), client_id=f"flood-{vehicle}")
    transport.start()
    if not transport.wait_connected(5):
        raise SystemExit("flood: no broker")
    transport.publish(topics.status, codec.encode_status(True, 1, epoch=epoch, sealer=sealer),
                      qos=1, retain=True)
    final = typical()
    rng = random.Random(7)
    frames = codec.catalogue.frames
    sent = {name: 0 for name in frames}
    start = time.monotonic()
    seq = 1
    while (elapsed := time.monotonic() - start) < seconds:
        for name, spec in frames.items():
            due = int(elapsed * spec.rate_hz * factor) + 1
            while sent[name] < due:
                values = dict(final[name])
                if name == "drive":
                    values["Vehicle.Speed"] = rng.uniform(0.0, 70.0)  # 253 texts in km/h
                seq += 1
                transport.publish(topics.state(name),
                                  codec.encode_state(name, values, seq, epoch=epoch, sealer=sealer),
                                  retain=True)
                sent[name] += 1
        time.sleep(0.005)
    for name in frames:
        seq += 1
        transport.publish(topics.state(name),
                          codec.encode_state(name, final[name], seq, epoch=epoch, sealer=sealer),
                          qos=1, retain=True)
        sent[name] += 1
    # The final frames are QoS 1 and follow everything else on one connection: once the broker
    # has acknowledged them, it has every frame of the flood.
    if not transport.drain(DRAIN_TIMEOUT_S):
        raise SystemExit("flood: the broker did not acknowledge the final frames")
    transport.close()
    print(sum(sent.values()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])))

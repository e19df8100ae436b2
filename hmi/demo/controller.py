"""The designer's side of the simulator: sends sim/ commands and hears their results.

Its own MQTT client (the cabin HMI never sends simulator commands). Results arrive on the
network thread and wait in a queue until the Kivy main thread drains them. Its commands are
signed and the vehicle's results verified (their MAC, protocols.seal) with the same key.

It also hears the simulator's configuration frame for its scenario notices (what the scenario
set, and whether that overrode the driver: vehicle_sim.notices): each new one, told by
Notice.Count rising, waits in `notices` like a result.
"""

from __future__ import annotations

import logging
import queue
import uuid
from typing import Any

from protocols import Codec, Command, CommandResult, DecodeError, Invalid, VehicleTopics
from protocols.auth import CommandSigner, load_command_key
from protocols.bus import Message, Transport
from protocols.catalogue import Value
from protocols.errors import AuthenticationError

LOG = logging.getLogger(__name__)
NOTICE = "Vehicle.Ema.Simulation.Notice."
NOTICE_COUNT = NOTICE + "Count"


class SimController:
    """Publishes simulator-control commands for one vehicle; collects our results."""

    def __init__(self, transport: Transport, vehicle: str, codec: Codec | None = None,
                 signer: CommandSigner | None = None) -> None:
        self.transport = transport
        self.topics = VehicleTopics(vehicle)
        self.codec = codec or Codec()
        self.signer = signer or CommandSigner(load_command_key(), vehicle)
        self.sealer = self.signer.key.sealer(vehicle)  # the vehicle's results, verified
        self.results: queue.SimpleQueue[CommandResult] = queue.SimpleQueue()
        self.notices: queue.SimpleQueue[dict[str, Value | None]] = queue.SimpleQueue()
        self._sent: set[str] = set()
        self._notice_count: int | None = None   # the count in the first frame: already old news
        transport.add_listener(self._on_message, self.topics.result)
        transport.add_listener(self._on_configuration, self.topics.state("configuration"))
        transport.subscribe(self.topics.result, qos=1)
        transport.subscribe(self.topics.state("configuration"), qos=0)

    def start(self) -> None:
        self.transport.start()

    def close(self) -> None:
        self.transport.close()

    def send(self, name: str, **args: Any) -> str:
        command = self.signer.sign(Command(name, uuid.uuid4().hex[:16], args))
        payload = self.codec.encode_command(command)
        self._sent.add(command.rid)
        self.transport.publish(self.topics.sim(name), payload, qos=1)
        return command.rid

    def set_scenario(self, scenario: str) -> str:
        return self.send("sim_set_scenario", scenario=scenario)

    def set_configuration(self, configuration: str) -> str:
        return self.send("sim_set_configuration", configuration=configuration)

    def set_speed(self, factor: float) -> str:
        return self.send("sim_set_speed", factor=float(factor))

    def pause(self, paused: bool) -> str:
        return self.send("sim_pause", paused=paused)

    def drive(self, accelerator: float, brake: float, grade_pct: float,
              side_slope_pct: float) -> str:
        return self.send("sim_drive", accelerator=accelerator, brake=brake,
                         grade_pct=grade_pct, side_slope_pct=side_slope_pct)

    def release(self) -> str:
        return self.send("sim_release")

    def fault(self, fault: str, active: bool) -> str:
        return self.send("sim_fault", fault=fault, active=active)

    def _on_message(self, message: Message) -> None:
        try:
            result = self.codec.decode_result(message.payload, self.sealer)
        except AuthenticationError as error:
            LOG.warning("ignored a result that is not authentic: %s", error.reason)
            return
        except DecodeError as error:
            LOG.debug("ignored result: %s", error.reason)
            return
        if result.rid in self._sent:
            self.results.put(result)

    def _on_configuration(self, message: Message) -> None:
        try:
            frame = self.codec.decode_state("configuration", message.payload, self.sealer)
        except DecodeError as error:   # AuthenticationError included: not the vehicle's
            LOG.debug("ignored configuration frame: %s", error.reason)
            return
        values = {path: None if isinstance(value, Invalid) else value   # invalid: not known
                  for path, value in frame.values.items() if path.startswith(NOTICE)}
        count = values.get(NOTICE_COUNT)
        if not isinstance(count, int):
            return
        known, self._notice_count = self._notice_count, count
        if known is not None and count != known:   # risen, or a new simulator session
            self.notices.put(values)

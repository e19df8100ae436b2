"""The designer's side of the simulator: sends sim/ commands and hears their results.

Its own MQTT client (the cabin HMI never sends simulator commands). Results arrive on the
network thread and wait in a queue until the Kivy main thread drains them. Its commands are
signed and the vehicle's results verified (their MAC, protocols.seal) with the same key.
"""

from __future__ import annotations

import logging
import queue
import uuid
from typing import Any

from protocols import Codec, Command, CommandResult, DecodeError, VehicleTopics
from protocols.auth import CommandSigner, load_command_key
from protocols.bus import Message, Transport
from protocols.errors import AuthenticationError

LOG = logging.getLogger(__name__)


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
        self._sent: set[str] = set()
        transport.add_listener(self._on_message)
        transport.subscribe(self.topics.result, qos=1)

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

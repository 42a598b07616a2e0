"""What every code path that stores, reads or sends over a channel needs from the settings: the key that seals
its secrets and where it may connect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from luoshi.secretbox import SecretBox
from luoshi_notify.channels.egress import EgressPolicy


@dataclass(frozen=True)
class ChannelKit:
    box: SecretBox
    egress: EgressPolicy

    @classmethod
    def from_settings(cls, settings: Any) -> ChannelKit:
        return cls(
            SecretBox(settings.channel_secret_keys.get_secret_value()),
            EgressPolicy(settings.outbound_allow.split(",")),
        )

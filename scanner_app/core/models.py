"""Plain values that travel along the pipeline (DESIGN.md: every arrow is a dataclass).

FrameSource ─frames─▶ Decoder ─Symbol─▶ payload.parse ─ScanTarget─▶ Workflow ─DeviceChange─▶ Graph

Nothing here does I/O; everything is immutable and cheap to copy between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from scanner_app.core.device_fields import GRAPH_NAMES

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]

#: Symbologies the app reads, named as zxing-cpp names them.
SYMBOLOGIES: tuple[str, ...] = ("QRCode", "MicroQRCode", "DataMatrix", "Code128", "Code39")


@dataclass(frozen=True)
class Symbol:
    """One barcode read in one image."""

    text: str
    format: str  # one of SYMBOLOGIES
    position: Quad  # four corners in frame pixel coordinates (tl, tr, br, bl)
    engine: str = "zxing-cpp"  # "zxing-cpp" | "pyzbar"
    raw: bytes = b""

    @property
    def centre(self) -> Point:
        xs = [p[0] for p in self.position]
        ys = [p[1] for p in self.position]
        return (sum(xs) / 4.0, sum(ys) / 4.0)


TargetKind = Literal["serial", "ztd_id", "hardware_hash", "rejected"]
ReadingKind = Literal["serial", "ztd_id"]


@dataclass(frozen=True)
class Reading:
    """One way to read a code: a value to look up, and how the code gives it.

    ``value`` is a normalised serial or a lower-case ZtdId. ``name`` is what the value is called
    on the label ("serial", "service tag", "Autopilot device id"); ``source`` says where it came
    from when that is not simply the code ("Express Service Code 16301356391", "Lenovo 1S code
    1S20S0CTO1WWPF1ABCDE"). ``spaced`` is the value as the label printed it, inner spaces kept
    (upper-cased), when it had any: Intune keeps some serials so (virtual machines).
    """

    kind: ReadingKind
    value: str
    name: str = "serial"
    source: str = ""
    spaced: str = ""

    def describe(self) -> str:
        """ "service tag 7XK2LM3 from Express Service Code 16301356391", "serial PF1ABCDE"."""
        if self.kind == "ztd_id":
            text = f"Autopilot device {self.value}"
        else:
            text = f"{self.name} {self.spaced or self.value}"
        return f"{text} from {self.source}" if self.source else text


@dataclass(frozen=True)
class ScanTarget:
    """What a symbol's text asks the app to look up, or why it cannot be used.

    ``value`` is the normalised serial, the ZtdId (device identity id) or the hardware hash.
    ``reason`` is a human sentence for a rejection; ``serial`` carries a serial number that came
    along with a ZtdId or hardware hash. ``progress`` is ``(blocks_seen, total_blocks)`` while a
    multi-block Autopilot sequence is being collected. ``readings`` are the ways the code can be
    read, most likely first (the first is ``kind``/``value``), when there is more than the plain
    one: an Apple ``S`` code is a serial with or without its ``S``, a number may be a Dell
    Express Service Code; empty means ``lookups`` derives the one reading from kind and value.
    """

    kind: TargetKind
    value: str = ""
    reason: str = ""
    serial: str = ""
    progress: tuple[int, int] | None = None
    readings: tuple[Reading, ...] = ()

    @property
    def usable(self) -> bool:
        return self.kind != "rejected" and bool(self.value)

    @property
    def lookups(self) -> tuple[Reading, ...]:
        """Every reading to look up, most likely first (none for a rejection)."""
        if not self.usable:
            return ()
        if self.readings:
            return self.readings
        if self.kind == "serial":
            return (Reading("serial", self.value),)
        ztd = (Reading("ztd_id", self.value),) if self.kind == "ztd_id" else ()
        return ztd + ((Reading("serial", self.serial),) if self.serial else ())

    @property
    def primary(self) -> Reading | None:
        """The reading the code most likely means (the one shown first)."""
        return self.lookups[0] if self.lookups else None

    def describe(self) -> str:
        if self.kind == "serial":
            text = f"serial {self.value}"
        elif self.kind == "ztd_id":
            text = f"Autopilot device {self.value}"
        elif self.kind == "hardware_hash":
            return f"hardware hash ({len(self.value)} characters)"
        else:
            return self.reason or "unreadable code"
        if self.readings:
            first, *others = self.readings
            text = first.describe()
            if others:
                text += " (or " + "; or ".join(r.describe() for r in others) + ")"
        return text


@dataclass(frozen=True)
class AutopilotDevice:
    """A windowsAutopilotDeviceIdentity, with only the fields the app shows or changes.

    Only v1.0 properties: the profile assignment exists on beta alone (``ProfileState``). The
    attributes are those of ``device_fields.DEVICE_FIELDS``, where each has its Graph name,
    its card row and its CLI line: a new field is declared here and there."""

    id: str
    serial_number: str
    manufacturer: str = ""
    model: str = ""
    group_tag: str = ""
    user_principal_name: str = ""
    addressable_user_name: str = ""
    display_name: str = ""
    enrollment_state: str = ""
    last_contacted: str = ""

    @classmethod
    def from_graph(cls, obj: dict[str, Any]) -> AutopilotDevice:
        """The device from a Graph object, each attribute from its property in
        ``device_fields.DEVICE_FIELDS`` (a missing or null property reads as "")."""
        values = {}
        for attr, graph_name in GRAPH_NAMES.items():
            v = obj.get(graph_name)
            values[attr] = "" if v is None else str(v)
        return cls(**values)


#: deploymentProfileAssignmentStatus (beta) -> the operator's word for it. The enum's
#: "assignedUnkownSyncState" is spelt as Graph spells it.
ASSIGNMENT_WORDS = {
    "assignedInSync": "assigned",
    "assignedOutOfSync": "assigned, not synced",
    "assignedUnkownSyncState": "assigned",
    "notAssigned": "not assigned",
    "pending": "pending",
    "failed": "assignment failed",
    "unknown": "status unknown",
}
#: remediationState (beta) values that mean the hardware hash no longer matches the device.
HASH_WORDS = {
    "automaticRemediationRequired": "hash needs remediation (automatic)",
    "manualRemediationRequired": "hash needs remediation (manual)",
}
_ASSIGNED = {"assignedInSync", "assignedOutOfSync", "assignedUnkownSyncState"}


@dataclass(frozen=True)
class ProfileState:
    """Whether Intune assigned the device an Autopilot profile, as beta reports it.

    ``status`` is ``deploymentProfileAssignmentStatus``, ``remediation`` ``remediationState``
    (both as Graph sent them); ``profile`` is the assigned profile's name (``deploymentProfile``),
    ``intended`` the one Intune is assigning (``intendedDeploymentProfile``).
    ``error`` says why beta could not be read: the state is then *unavailable*.
    """

    device_id: str
    status: str = ""
    profile: str = ""
    intended: str = ""
    remediation: str = ""
    error: str = ""

    @classmethod
    def from_graph(cls, obj: dict[str, Any]) -> ProfileState:
        def name(relationship: str) -> str:
            related = obj.get(relationship)
            return str(related.get("displayName") or "") if isinstance(related, dict) else ""

        return cls(
            device_id=str(obj.get("id") or ""),
            status=str(obj.get("deploymentProfileAssignmentStatus") or ""),
            profile=name("deploymentProfile"),
            intended=name("intendedDeploymentProfile"),
            remediation=str(obj.get("remediationState") or ""),
        )

    @classmethod
    def unavailable(cls, device_id: str, reason: str) -> ProfileState:
        return cls(device_id, error=reason or "beta refused")

    @property
    def available(self) -> bool:
        return not self.error

    @property
    def pending(self) -> bool:
        """Intune is still assigning: worth reading again."""
        return self.available and self.status == "pending"

    @property
    def words(self) -> str:
        """The assignment in the operator's words (English; the GUI has its own translations)."""
        if not self.available:
            return "unavailable"
        return ASSIGNMENT_WORDS.get(self.status, "status unknown")

    @property
    def name(self) -> str:
        """The profile to name beside the words: the assigned one; the intended one while
        pending or failed; none when not assigned."""
        if self.status in _ASSIGNED or self.status == "unknown":
            return self.profile
        if self.status in {"pending", "failed"}:
            return self.intended or self.profile
        return ""

    @property
    def hash_words(self) -> str:
        return HASH_WORDS.get(self.remediation, "") if self.available else ""

    def describe(self) -> str:
        """One line: "Kiosk — assigned", "pending", "not assigned · hash needs remediation
        (manual)", "unavailable"."""
        text = f"{self.name} — {self.words}" if self.name and self.available else self.words
        return f"{text} · {self.hash_words}" if self.hash_words else text


@dataclass(frozen=True)
class User:
    """An Entra ID user as the user picker shows it."""

    id: str
    display_name: str
    user_principal_name: str
    mail: str = ""
    department: str = ""

    @classmethod
    def from_graph(cls, obj: dict[str, Any]) -> User:
        return cls(
            id=str(obj.get("id") or ""),
            display_name=str(obj.get("displayName") or ""),
            user_principal_name=str(obj.get("userPrincipalName") or ""),
            mail=str(obj.get("mail") or ""),
            department=str(obj.get("department") or ""),
        )


@dataclass(frozen=True)
class DeviceChange:
    """The values an operator wants on a device. ``None`` means "leave as it is".

    An empty string for ``user_principal_name`` means "remove the assigned user".
    """

    group_tag: str | None = None
    user_principal_name: str | None = None
    addressable_user_name: str | None = None
    display_name: str | None = None

    def changed_fields(self) -> dict[str, str]:
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    def is_empty(self) -> bool:
        return not self.changed_fields()

    def against(self, device: AutopilotDevice) -> DeviceChange:
        """Only the fields that would really change on ``device``."""
        kept = {
            name: value
            for name, value in self.changed_fields().items()
            if _norm(getattr(device, name)) != _norm(value)
        }
        # addressableUserName follows the user: never send it alone.
        if "addressable_user_name" in kept and "user_principal_name" not in kept:
            del kept["addressable_user_name"]
        return DeviceChange(**kept)

    def shown_in(self, device: AutopilotDevice) -> bool:
        """True when a (re-)read of the device shows every value of this change."""
        return all(
            _norm(getattr(device, name)) == _norm(value)
            for name, value in self.changed_fields().items()
            if name != "addressable_user_name"
        )

    def before(self, device: AutopilotDevice) -> DeviceChange:
        """The device's current values for the fields this change touches (for undo/audit)."""
        return DeviceChange(**{name: getattr(device, name) for name in self.changed_fields()})

    def to_graph(self) -> dict[str, str]:
        """The body of ``updateDeviceProperties``: only the fields that change."""
        return {GRAPH_NAMES[name]: value for name, value in self.changed_fields().items()}

    def with_values(self, **kwargs: str | None) -> DeviceChange:
        return replace(self, **kwargs)


def _norm(value: str | None) -> str:
    return (value or "").strip().casefold()


@dataclass(frozen=True)
class Resolution:
    """The outcome of looking up a ScanTarget in the tenant.

    ``reading`` is the reading of the code that found ``devices`` (None when nothing was found).
    When it is not the code's first reading, ``found_as`` says so in words, and the operator
    must see it before anything is applied ("found as service tag 7XK2LM3 from Express Service
    Code 16301356391")."""

    target: ScanTarget
    devices: tuple[AutopilotDevice, ...] = field(default_factory=tuple)
    error: str = ""
    reading: Reading | None = None

    @property
    def kind(self) -> Literal["found", "not_found", "several", "rejected", "error"]:
        if self.target.kind == "rejected":
            return "rejected"
        if self.error:
            return "error"
        if not self.devices:
            return "not_found"
        return "found" if len(self.devices) == 1 else "several"

    @property
    def found_as(self) -> str:
        """ "" when found by the code's first reading; else how: "service tag 7XK2LM3 from
        Express Service Code 16301356391"."""
        if not self.devices or self.reading is None or self.reading == self.target.primary:
            return ""
        return self.reading.describe()

    def describe(self) -> str:
        """One line for the banner: what was looked up, and how it was found."""
        what = self.target.describe()
        if self.kind in ("found", "several"):
            return f"Found as {self.found_as}." if self.found_as else f"Found: {what}."
        if self.kind == "not_found":
            return f"No Autopilot device found for {what}."
        return self.error or what

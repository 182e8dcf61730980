"""Photon-HDF5 (``.h5``, ``.hdf5``): reading and writing with h5py, following the published spec.

Photon-HDF5 [1]_ stores each photon's ``/photon_data/timestamps`` (int64, in units of
``timestamps_specs/timestamps_unit`` s), ``detectors`` (pixel ids) and, for TCSPC data,
``nanotimes`` (units ``nanotimes_specs/tcspc_unit`` s). Multi-spot files have groups
``photon_data0``, ``photon_data1``, ...; :func:`read_photon_hdf5` merges them in time order.

Mapping to :class:`~qdlab.io.timetags.PhotonStream`: a file with ``nanotimes`` is T3
(``macrotime`` = timestamps; if ``measurement_specs/laser_repetition_rate`` is given and the
timestamp unit is finer than the sync period, the stream still keeps timestamps in their own
unit as the macrotime), one without is T2.

The writer (:func:`write_photon_hdf5`) writes a ``generic`` measurement of format version
0.5 with the mandatory ``/setup`` and ``/identity`` fields, each field carrying the spec's
description as its ``TITLE`` attribute (as phconvert does), and the ground truth as a JSON
string ``/user/qdlab/ground_truth``. h5py is used directly: phconvert needs PyTables,
a heavier dependency, for the same job.

References
----------
.. [1] A. Ingargiola, T. Laurence, R. Boutelle, S. Weiss, X. Michalet, "Photon-HDF5: an open
   file format for timestamp-based single-molecule fluorescence experiments", Biophys. J.
   110, 26-33 (2016); specification at https://photon-hdf5.github.io/photon-hdf5/.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.io.timetags import PhotonStream
from qdlab.io.timetags._common import (
    GROUND_TRUTH_KEY,
    MAX_FILE_BYTES,
    atomic_write,
    build_stream,
    ground_truth_json,
    input_error,
    parse_ground_truth,
)

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
FORMAT_VERSION = "0.5"

_TITLES = {
    "/": "A file format for photon-counting detector based single-molecule spectroscopy experiments.",
    "detectors_specs": "Mapping between the pixel IDs and the detection channels.",
    "acquisition_duration": "Measurement duration in seconds.",
    "description": "A user-defined comment describing the data file.",
    "photon_data": "Group containing arrays of photon-data.",
    "timestamps": "Array of photon timestamps. Units specified in timestamps_units "
                  "(defined in timestamps_specs/).",
    "detectors": "Array of pixel IDs for each timestamp.",
    "nanotimes": "TCSPC photon arrival time (nanotimes). Units and other specifications are "
                 "in nanotimes_specs group.",
    "timestamps_specs": "Specifications for timestamps.",
    "timestamps_unit": "Value of 1-unit timestamp-increment in seconds.",
    "nanotimes_specs": "Group for nanotime-specific data.",
    "tcspc_unit": "Value of 1-unit nanotime-increment in seconds (TCSPC bin size).",
    "tcspc_num_bins": "Number of TCSPC bins.",
    "tcspc_range": "TCSPC full-scale range in seconds.",
    "measurement_specs": "Metadata necessary for interpretation of the particular type of measurement.",
    "measurement_type": "Name of the measurement the data represents.",
    "laser_repetition_rate": "Repetition rate of the pulsed excitation laser (in Hertz).",
    "setup": "Information about the experimental setup.",
    "identity": "Information about the Photon-HDF5 data file.",
    "user": "A custom group for user-defined data.",
}


def _h5py():
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise QdlabInputError("Photon-HDF5 files need the h5py package (pip install h5py)") from None
    return h5py


def _scalar(path: str | Path, group: Any, name: str, required: bool = True) -> Any:
    if name not in group:
        if required:
            raise input_error(path, f"Photon-HDF5 field {group.name.rstrip('/')}/{name} is missing")
        return None
    v = group[name][()]
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.reshape(()).item()
    if isinstance(v, np.generic):
        v = v.item()
    return v


def _time(path: str | Path, value: Any, name: str) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        f = float("nan")
    if not (np.isfinite(f) and f > 0):
        raise input_error(path, f"Photon-HDF5 field {name} must be a time > 0 s, got {value!r}")
    return f


def _photon_groups(h5: Any) -> list[Any]:
    if "photon_data" in h5:
        return [h5["photon_data"]]
    names = [k for k in h5.keys() if k.startswith("photon_data") and k[11:].isdigit()]
    return [h5[k] for k in sorted(names, key=lambda k: int(k[11:]))]


def read_photon_hdf5(path: str | Path, max_bytes: int | None = None) -> PhotonStream:
    """Read a Photon-HDF5 file into a :class:`PhotonStream`.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.h5``/``.hdf5`` file.
    max_bytes : int, optional
        Size limit, bytes (default 1 GiB).

    Returns
    -------
    PhotonStream
        ``macrotime`` = ``timestamps`` (ticks of ``timestamps_unit`` s), ``channel`` =
        ``detectors``, and for TCSPC files ``nanotime`` (bins of ``tcspc_unit`` s, mode T3).
        ``metadata``: ``format``, ``format_version``, ``measurement_type``, ``description``,
        ``n_spots`` and the stored ``ground_truth``.

    Raises
    ------
    QdlabInputError
        Not an HDF5 file, not Photon-HDF5, missing or inconsistent fields, negative
        detectors, timestamps that go backwards, or too large.
    """
    p = Path(path)
    limit = MAX_FILE_BYTES if max_bytes is None else int(max_bytes)
    size = p.stat().st_size
    if size > limit:
        raise input_error(p, f"size {size} bytes exceeds the limit of {limit} bytes "
                             f"(pass max_bytes to read larger files)")
    with open(p, "rb") as fh:
        if fh.read(8) != HDF5_MAGIC:
            raise input_error(p, "not an HDF5 file (wrong magic number)")
    h5py = _h5py()
    try:
        with h5py.File(p, "r") as h5:
            return _read_open(p, h5)
    except QdlabInputError:
        raise
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as exc:
        raise input_error(p, f"cannot be read as Photon-HDF5 (corrupt or truncated: {exc})") from None


def _read_open(p: Path, h5: Any) -> PhotonStream:
    fmt = h5.attrs.get("format_name")
    if isinstance(fmt, bytes):
        fmt = fmt.decode("utf-8", "replace")
    if fmt is None and "identity" in h5 and "format_name" in h5["identity"]:
        fmt = _scalar(p, h5["identity"], "format_name")
    groups = _photon_groups(h5)
    if fmt != "Photon-HDF5" and not groups:
        raise input_error(p, "HDF5 file is not Photon-HDF5 (no format_name 'Photon-HDF5', no /photon_data)")
    if not groups:
        raise input_error(p, "Photon-HDF5 file has no /photon_data group")
    version = h5.attrs.get("format_version")
    if isinstance(version, bytes):
        version = version.decode("utf-8", "replace")
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
    unit = tcspc = rep = None
    mtype = None
    for g in groups:
        if "timestamps" not in g:
            raise input_error(p, f"Photon-HDF5 group {g.name} has no timestamps")
        if "timestamps_specs" not in g:
            raise input_error(p, f"Photon-HDF5 group {g.name} has no timestamps_specs")
        u = _time(p, _scalar(p, g["timestamps_specs"], "timestamps_unit"), "timestamps_unit")
        if unit is not None and not np.isclose(u, unit, rtol=1e-9, atol=0):
            raise input_error(p, f"spots have different timestamps_unit ({unit} and {u} s)")
        unit = u
        ts = np.asarray(g["timestamps"][()])
        if ts.ndim != 1 or (ts.size and not np.issubdtype(ts.dtype, np.integer)):
            raise input_error(p, f"{g.name}/timestamps must be a 1-D integer array")
        ts = ts.astype(np.int64)
        if "detectors" in g:
            det = np.asarray(g["detectors"][()])
            if det.shape != ts.shape or (det.size and not np.issubdtype(det.dtype, np.integer)):
                raise input_error(p, f"{g.name}/detectors must be integers, one per timestamp")
        else:
            det = np.zeros(ts.size, dtype=np.uint8)
        if det.size and det.min() < 0:
            raise input_error(p, f"{g.name}/detectors holds negative ids")
        nt = None
        if "nanotimes" in g:
            nt = np.asarray(g["nanotimes"][()])
            if nt.shape != ts.shape or (nt.size and not np.issubdtype(nt.dtype, np.integer)):
                raise input_error(p, f"{g.name}/nanotimes must be integers, one per timestamp")
            if "nanotimes_specs" not in g:
                raise input_error(p, f"{g.name} has nanotimes but no nanotimes_specs")
            tcspc = _time(p, _scalar(p, g["nanotimes_specs"], "tcspc_unit"), "tcspc_unit")
        if "measurement_specs" in g:
            ms = g["measurement_specs"]
            mtype = _scalar(p, ms, "measurement_type", required=False) or mtype
            r = _scalar(p, ms, "laser_repetition_rate", required=False)
            if r is not None and float(r) > 0:
                rep = float(r)
        parts.append((ts, det, nt))
    has_nt = [nt is not None for _, _, nt in parts]
    if any(has_nt) and not all(has_nt):
        raise input_error(p, "some spots have nanotimes and others do not")
    ts = np.concatenate([a for a, _, _ in parts])
    det = np.concatenate([b for _, b, _ in parts])
    nt = np.concatenate([c for _, _, c in parts]) if all(has_nt) else None
    if len(parts) > 1:
        order = np.argsort(ts, kind="stable")
        ts, det = ts[order], det[order]
        nt = nt[order] if nt is not None else None
    if ts.size > 1 and np.any(np.diff(ts) < 0):
        raise input_error(p, "timestamps decrease (photons are not in time order)")
    if nt is not None and nt.size and nt.min() < 0:
        raise input_error(p, "nanotimes holds negative values")
    meta: dict[str, Any] = {"format": "Photon-HDF5", "format_version": version,
                            "measurement_type": mtype, "n_spots": len(parts)}
    if "description" in h5:
        meta["description"] = _scalar(p, h5, "description")
    if "user" in h5 and "qdlab" in h5["user"] and "ground_truth" in h5["user"]["qdlab"]:
        meta[GROUND_TRUTH_KEY] = parse_ground_truth(p, _scalar(p, h5["user"]["qdlab"], "ground_truth"))
    sync = 1.0 / rep if rep else None
    if nt is not None:
        return build_stream(p, macrotime=ts, channel=det, macrotime_resolution_s=unit,
                            nanotime=nt, nanotime_resolution_s=tcspc, sync_period_s=sync,
                            mode="T3", metadata=meta)
    return build_stream(p, macrotime=ts, channel=det, macrotime_resolution_s=unit,
                        sync_period_s=sync, mode="T2", metadata=meta)


def _put(group: Any, name: str, value: Any, title: str | None = None) -> None:
    if isinstance(value, str):
        value = np.bytes_(value.encode("utf-8"))
    elif isinstance(value, bool):
        value = np.int64(value)  # HDF5 has no bool type; h5py would write an enum
    elif isinstance(value, np.ndarray) and value.dtype == bool:
        value = value.astype(np.uint8)
    ds = group.create_dataset(name, data=value)
    ds.attrs["TITLE"] = np.bytes_((title or _TITLES.get(name, " ")).encode("utf-8"))
    # PyTables attributes, so that PyTables-based readers (phconvert) give scalars back as scalars
    ds.attrs["CLASS"] = np.bytes_(b"ARRAY")
    ds.attrs["VERSION"] = np.bytes_(b"2.4")
    if np.ndim(value) == 0:
        ds.attrs["FLAVOR"] = np.bytes_(b"python")


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _ordinal(i: int) -> str:
    return _ORDINALS[i - 1] if 1 <= i <= len(_ORDINALS) else f"{i}th"


def _group(parent: Any, name: str) -> Any:
    g = parent.create_group(name)
    g.attrs["TITLE"] = np.bytes_(_TITLES.get(name, " ").encode("utf-8"))
    return g


def write_photon_hdf5(stream: PhotonStream, path: str | Path, description: str | None = None) -> Path:
    """Write a :class:`PhotonStream` as a Photon-HDF5 file (format 0.5), atomically.

    Parameters
    ----------
    stream : PhotonStream
        The photons; T3 streams write ``nanotimes`` with ``tcspc_unit`` =
        ``nanotime_resolution_s`` and ``laser_repetition_rate`` = 1 / ``sync_period_s``.
    path : str or pathlib.Path
        Output ``.h5`` file (temporary file + rename: no partial file on error).
    description : str, optional
        The ``/description`` text (default: a line naming qdlab and the mode).

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    A ``generic`` measurement: one spot, one spectral and polarisation channel, the
    detectors as split channels (an HBT set-up has two). The ground truth
    (``metadata["ground_truth"]``) goes to ``/user/qdlab/ground_truth`` as JSON.
    """
    h5py = _h5py()
    truth = ground_truth_json(stream.metadata)
    mt = np.asarray(stream.macrotime, dtype=np.int64)
    det = np.asarray(stream.channel)
    det = det.astype(np.uint8 if (det.size == 0 or det.max() < 256) else np.uint16)
    t3 = stream.mode == "T3"
    unit = float(stream.macrotime_resolution_s)
    duration = float((mt[-1] - mt[0]) * unit) if mt.size > 1 else 0.0
    channels = list(stream.channels) or [0]
    sync = stream.sync_period_s if stream.sync_period_s else (unit if t3 else None)
    desc = description or f"Single-emitter photon stream ({stream.mode}) written by qdlab"

    def _write(tmp: Path) -> None:
        with h5py.File(tmp, "w") as h5:
            h5.attrs["TITLE"] = np.bytes_(_TITLES["/"].encode())
            h5.attrs["format_name"] = np.bytes_(b"Photon-HDF5")
            h5.attrs["format_version"] = np.bytes_(FORMAT_VERSION.encode())
            h5.attrs["format_url"] = np.bytes_(b"http://photon-hdf5.org/")
            _put(h5, "description", desc)
            _put(h5, "acquisition_duration", duration)
            pd = _group(h5, "photon_data")
            _put(pd, "timestamps", mt)
            _put(pd, "detectors", det)
            ts = _group(pd, "timestamps_specs")
            _put(ts, "timestamps_unit", unit)
            ms = _group(pd, "measurement_specs")
            _put(ms, "measurement_type", "generic")
            if sync:
                _put(ms, "laser_repetition_rate", 1.0 / float(sync))
            ds = _group(ms, "detectors_specs")
            if len(channels) > 1:
                for i, c in enumerate(channels, start=1):
                    _put(ds, f"split_ch{i}", np.array([c], dtype=det.dtype),
                         f"Pixel IDs for the {_ordinal(i)} channel split through a non-polarizing "
                         f"beam splitter.")
            if t3:
                nt = np.asarray(stream.nanotime)
                nt = nt.astype(np.uint16 if (nt.size == 0 or nt.max() < 65536) else np.uint32)
                _put(pd, "nanotimes", nt)
                ns = _group(pd, "nanotimes_specs")
                tcspc = float(stream.nanotime_resolution_s)
                nbins = int(round(float(sync) / tcspc)) if sync else int(nt.max(initial=0)) + 1
                nbins = max(nbins, int(nt.max(initial=0)) + 1)
                _put(ns, "tcspc_unit", tcspc)
                _put(ns, "tcspc_num_bins", nbins)
                _put(ns, "tcspc_range", nbins * tcspc)
            st = _group(h5, "setup")
            _put(st, "num_pixels", len(channels), "Total number of detector pixels.")
            _put(st, "num_spots", 1, 'Number of excitation (or detection) "spots" in the sample.')
            _put(st, "num_spectral_ch", 1, "Number of distinct spectral bands which are acquired.")
            _put(st, "num_polarization_ch", 1, "Number of distinct polarization states which are acquired.")
            _put(st, "num_split_ch", len(channels), "Number of distinct detection channels "
                 "detecting the same spectral band and polarization. This value is > 1 when "
                 "using a non-polarizing beam splitter.")
            _put(st, "modulated_excitation", False, "True (i.e. 1) if there is any form of "
                 "excitation modulation of excitation wavelength (as in us-ALEX or PAX) or "
                 "polarization. This field is also True for pulse-interleaved excitation (PIE) "
                 "or ns-ALEX measurements.")
            _put(st, "excitation_alternated", np.array([False]), "New in version 0.5. Indicates "
                 "whether each excitation source is alternated (True, or 1) or not alternated "
                 "(False, or 0).")
            _put(st, "lifetime", bool(t3), "True (i.e. 1) if the measurement includes a nanotimes "
                 "array of photon arrival times with respect to a laser pulse (as in TCSPC "
                 "measurements).")
            _put(st, "excitation_cw", np.array([not sync]), "For each excitation source, this field "
                 "indicates whether excitation is continuous wave (CW), True (i.e. 1), or pulsed, "
                 "False (i.e. 0).")
            if sync:
                _put(st, "laser_repetition_rates", np.array([1.0 / float(sync)]),
                     "Repetition rates in Hz for each laser. CW lasers have a value of 0.")
            idn = _group(h5, "identity")
            _put(idn, "format_name", "Photon-HDF5", "Name of the file format.")
            _put(idn, "format_version", FORMAT_VERSION, "Version for the Photon-HDF5 format.")
            _put(idn, "format_url", "http://photon-hdf5.org/", "Official URL for the Photon-HDF5 format.")
            _put(idn, "software", "qdlab",
                 "Name of the software used to create the current Photon-HDF5 file.")
            _put(idn, "software_version", _qdlab_version(),
                 "Version of the software used to create current the Photon-HDF5 file.")
            _put(idn, "creation_time", time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                 "Creation time of the current Photon-HDF5 file.")
            _put(idn, "filename", Path(path).name, "Original file name of the current Photon-HDF5 file "
                 "(i.e. file name at creation time).")
            user = _group(h5, "user")
            q = user.create_group("qdlab")
            _put(q, "mode", stream.mode, "qdlab PhotonStream mode (T2 or T3)")
            if truth is not None:
                _put(q, "ground_truth", truth, "qdlab ground truth of a simulated stream (JSON)")

    try:
        return atomic_write(path, _write)
    except (OSError, TypeError) as exc:
        raise QdlabInputError(f"cannot write Photon-HDF5 file {Path(path).name!r}: {exc}") from None


def _qdlab_version() -> str:
    try:
        from importlib.metadata import version
        return version("qdlab")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        return "unknown"


__all__ = ["read_photon_hdf5", "write_photon_hdf5"]

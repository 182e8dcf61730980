"""Independent reference values for the real time-tag files in tests/data/timetags/.

Writes tests/data/timetags/reference_values.json: per file the photon count, the sums of
macro times and nanotimes, the photons per channel and the first/last macro times, computed
WITHOUT qdlab:

- ``phconvert``: phconvert 0.10.2 (``phconvert.pqreader.load_ptu``, PyTables for .h5) on the
  PTU files it reads correctly (HydraHarp V1/V2 T2/T3; markers dropped, detectors < 64).
- ``loop``: a record-by-record loop written here after PicoQuant's demo code (Read_PTU.py,
  ht3demo, t3rdemo) for the files phconvert cannot read or misreads: PicoHarp T2 PTU
  (phconvert 0.10.2 fails with numpy 2), HT3 format 2.0 (refused by phconvert), TimeHarp
  200 T3R (phconvert takes bit 30 as a channel bit and keeps overflow records as photons).
- ``tttrlib``: the reference arrays tttrlib publishes for its test files
  (test/data/reference/bh_spc132.npz and bh_spc630_256.npz, Fluorescence-Tools/tttrlib @
  03fd81d07f198696344f957fba7562d2afad9366). For the SPC-630 file (kept: first 100000
  records) only the photons of those records are used (count from the INVALID bit), and macro
  times only up to the first overflow: tttrlib scales SPC-600 256-channel overflows by 4096,
  which makes its macro times go backwards after each overflow.

Usage (needs numpy, phconvert, tables; the tttrlib .npz files are not in this repository)::

    python scripts/timetag_reference_values.py --tttrlib-ref DIR
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "timetags"


def summary(macro, channel, nanotime, source):
    macro = np.asarray(macro, dtype=np.int64)
    channel = np.asarray(channel, dtype=np.int64)
    out = {"source": source, "n_photons": int(macro.size), "sum_macrotime": str(int(macro.sum())),
           "first_macrotime": macro[:5].tolist(), "last_macrotime": int(macro[-1]) if macro.size else None,
           "channel_counts": {str(int(c)): int(n) for c, n in zip(*np.unique(channel, return_counts=True),
                                                                  strict=True)}}
    if nanotime is not None:
        out["sum_nanotime"] = str(int(np.asarray(nanotime, dtype=np.int64).sum()))
    return out


def ptu_records(path):
    data = path.read_bytes()
    off, n = 16, None
    while True:
        ident, _idx, typ, val = struct.unpack_from("<32siIq", data, off)
        name = ident.split(b"\0")[0].decode()
        off += 48
        if typ in (0x2001FFFF, 0x4001FFFF, 0x4002FFFF, 0xFFFFFFFF):
            off += val
        if name == "TTResult_NumberOfRecords":
            n = val
        if name == "Header_End":
            return struct.unpack_from(f"<{n}I", data, off)


def loop_picoharp_t2(records):
    macro, chan, ofl = [], [], 0
    for r in records:
        ch, t = r >> 28, r & 0x0FFFFFFF
        if ch == 0xF:
            if (t & 0xF) == 0:
                ofl += 210698240
            continue
        macro.append(ofl + t)
        chan.append(ch)
    return macro, chan


def loop_hydraharp_t3(records, version):
    macro, chan, dt, ofl = [], [], [], 0
    for r in records:
        special, ch, dtime, nsync = r >> 31, (r >> 25) & 0x3F, (r >> 10) & 0x7FFF, r & 0x3FF
        if special:
            if ch == 0x3F:
                ofl += 1024 if (version == 1 or nsync == 0) else 1024 * nsync
            continue
        macro.append(ofl + nsync)
        chan.append(ch)
        dt.append(dtime)
    return macro, chan, dt


def loop_t3r(records):
    macro, chan, dt, ofl = [], [], [], 0
    for r in records:
        tag, data, route, valid = r & 0xFFFF, (r >> 16) & 0xFFF, (r >> 28) & 3, (r >> 30) & 1
        if valid:
            macro.append(ofl + tag)
            chan.append(route)
            dt.append(data)
        elif data & 0x800:
            ofl += 65536
    return macro, chan, dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tttrlib-ref", type=Path, required=True,
                    help="folder with tttrlib's bh_spc132.npz and bh_spc630_256.npz")
    args = ap.parse_args()
    import phconvert as phc
    import tables

    ref = {}
    for name in ("hydraharp_v10_t3.ptu", "hydraharp_v20_t2_first100k.ptu", "hydraharp_v20_t3.ptu",
                 "microtime200_hh400_beads.ptu"):
        ts, det, nt, meta, _ = phc.pqreader.load_ptu(str(DATA / name))
        keep = det < 64  # phconvert returns markers with detector ids >= 64
        t3 = meta["record_type"].endswith("T3")
        ref[name] = summary(ts[keep], det[keep], nt[keep] if t3 else None, "phconvert 0.10.2 load_ptu")
    with tables.open_file(str(DATA / "phconvert_hydraharp_v20_t3.h5")) as h:
        pd = h.root.photon_data
        ref["phconvert_hydraharp_v20_t3.h5"] = summary(pd.timestamps.read(), pd.detectors.read(),
                                                       pd.nanotimes.read(), "PyTables read of the datasets")
    m, c = loop_picoharp_t2(ptu_records(DATA / "picoharp_v30_t2_first100k.ptu"))
    ref["picoharp_v30_t2_first100k.ptu"] = summary(m, c, None, "record loop after PicoQuant Read_PTU.py")
    data = (DATA / "hydraharp_v20.ht3").read_bytes()
    # HT3 header (PicoQuant ht3demo): text block 328 bytes; 6 ints, 1 double, 10 ints; display
    # curves 16 ints, 9 float params, 4 ints + 20-byte script name; hardware ident 16 + part 8,
    # serial, modules, 20 module ints, base resolution (double), inputs enabled (uint64), then
    # InpChansPresent and 7 more ints; 5 ints per input channel; TTTR block 4 ints + int64.
    inp_at = 328 + 24 + 8 + 40 + 64 + 36 + 16 + 20 + 16 + 8 + 4 + 4 + 80 + 8 + 8
    n_in = struct.unpack_from("<i", data, inp_at)[0]
    tt = inp_at + 4 + 7 * 4 + 20 * n_in
    n_rec = struct.unpack_from("<q", data, tt + 16)[0]
    img = struct.unpack_from("<i", data, tt + 12)[0]
    recs = struct.unpack_from(f"<{n_rec}I", data, tt + 24 + 4 * img)
    m, c, d = loop_hydraharp_t3(recs, version=2)
    ref["hydraharp_v20.ht3"] = summary(m, c, d,
                                       "record loop after PicoQuant ht3demo (format 2.0 = V2 records)")
    data = (DATA / "timeharp200_v50.t3r").read_bytes()
    hdr = 16 + 6 + 6 + 18 + 2 + 256 + 19 * 4 + 16 * 4 + 9 * 4 + 4 * 4 + 20 + 6 * 4
    n_rec, img = struct.unpack_from("<ii", data, hdr + 11 * 4)
    recs = struct.unpack_from(f"<{n_rec}I", data, hdr + 13 * 4 + 4 * img)
    m, c, d = loop_t3r(recs)
    ref["timeharp200_v50.t3r"] = summary(m, c, d, "record loop after PicoQuant t3rdemo")
    r132 = np.load(args.tttrlib_ref / "bh_spc132.npz")
    ref["bh_spc132.spc"] = summary(r132["arr_2"], r132["arr_0"], r132["arr_1"],
                                   "tttrlib reference bh_spc132.npz")
    r630 = np.load(args.tttrlib_ref / "bh_spc630_256.npz")
    raw = np.fromfile(DATA / "bh_spc630_256_first100k.spc", dtype="<u4")
    k = int(np.count_nonzero((raw >> 31) == 0))
    first_ovf = int(np.flatnonzero((raw >> 30) & 1)[0])
    k_before = int(np.count_nonzero((raw[:first_ovf] >> 31) == 0))
    s = summary(r630["arr_2"][:k_before], r630["arr_0"][:k], r630["arr_1"][:k],
                "tttrlib reference bh_spc630_256.npz (first photons; macro times before the first overflow)")
    s["n_photons"] = k
    s["n_photons_before_first_overflow"] = k_before
    ref["bh_spc630_256_first100k.spc"] = s
    out = DATA / "reference_values.json"
    out.write_text(json.dumps(ref, indent=1, sort_keys=True) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()

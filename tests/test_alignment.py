import pytest

from qdlab.electronic.sphere.alignment import band_offsets, classify_offsets


@pytest.mark.parametrize(("core", "shell", "expected"), [
    ("CdSe", "ZnS", "type I"),
    ("InP", "ZnS", "type I"),
    ("ZnSe", "CdS", "type II"),
    ("CdTe", "CdSe", "type II"),
])
def test_known_alignments_from_database(core, shell, expected):
    from qdlab.materials import get_material

    assert band_offsets(get_material(core), get_material(shell)).alignment == expected


def test_cdse_cds_conduction_offset_small():
    from qdlab.materials import get_material

    off = band_offsets(get_material("CdSe"), get_material("CdS"))
    # The CdSe/CdS conduction offset is small (~0-0.3 eV) and the valence offset large.
    assert abs(off.conduction_eV) < 0.35
    assert off.valence_eV > 0.4


def test_classify_threshold():
    assert classify_offsets(0.2, 0.2) == "type I"
    assert classify_offsets(0.2, 0.05) == "quasi-type II"

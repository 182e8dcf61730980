"""Recipe validation and bad input (issue 5, sections 1 and 8)."""

import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.synthesis import (
    Recipe,
    SynthesisError,
    example_recipe,
    list_examples,
    load_recipe,
    run_recipe,
)


def _base():
    return example_recipe("cdse").model_dump()


@pytest.mark.parametrize("name", ["cdse", "pbs", "inp"])
def test_examples_load(name):
    r = example_recipe(name)
    assert r.duration_s > 0
    assert name in list_examples()


def test_every_field_documents_unit_and_range():
    for model in (Recipe, *[f.annotation for f in Recipe.model_fields.values()
                            if isinstance(f.annotation, type)
                            and hasattr(f.annotation, "model_fields")]):
        for name, info in model.model_fields.items():
            assert info.description and "allowed" in info.description, (model, name)


def test_unknown_key_names_it_and_suggests():
    d = _base()
    d["growth"]["surface_energy_eV_nm2"] = d["growth"].pop("surface_energy_J_m2")
    with pytest.raises(QdlabInputError, match="surface_energy_eV_nm2.*did you mean "
                                              "surface_energy_J_m2"):
        Recipe.from_dict(d)


def test_wrong_unit_key_is_rejected():
    d = _base()
    d["temperature_program"][0]["temperature_C"] = 300.0
    with pytest.raises(QdlabInputError, match="temperature_C"):
        Recipe.from_dict(d)


def test_missing_field():
    d = _base()
    del d["growth"]["diffusion_m2_s"]
    with pytest.raises(QdlabInputError, match=r"growth.diffusion_m2_s' is missing.*m\^2/s"):
        Recipe.from_dict(d)


@pytest.mark.parametrize("section,key,value,pattern", [
    (None, "solvent_volume_mL", -5.0, r"solvent_volume_mL.*greater than 0.*-5.0.*\(0, 1e5\]"),
    ("growth", "transfer_coefficient", 1.5, r"transfer_coefficient.*less than or equal to 1"),
    ("growth", "surface_energy_J_m2", 0.0, r"surface_energy_J_m2.*greater than 0"),
    ("conversion", "activation_energy_eV", -0.1, r"activation_energy_eV"),
    (None, "precursor_mol", float("nan"), r"precursor_mol"),
])
def test_out_of_range_values(section, key, value, pattern):
    d = _base()
    (d[section] if section else d)[key] = value
    with pytest.raises(QdlabInputError, match=pattern):
        Recipe.from_dict(d)


def test_temperature_out_of_range_and_unordered_program():
    d = _base()
    d["temperature_program"][0]["temperature_K"] = 2000.0
    with pytest.raises(QdlabInputError, match=r"temperature_program\[0\].temperature_K.*800"):
        Recipe.from_dict(d)
    d = _base()
    d["temperature_program"][1]["time_s"] = 0.0
    with pytest.raises(QdlabInputError, match=r"temperature_program\[1\].time_s must be > 0"):
        Recipe.from_dict(d)


def test_injection_after_end_and_no_material():
    d = _base()
    d["injections"] = [{"time_s": 700.0, "precursor_mol": 1e-4}]
    with pytest.raises(QdlabInputError, match=r"injections\[0\].time_s"):
        Recipe.from_dict(d)
    d = _base()
    d["precursor_mol"] = 0.0
    with pytest.raises(QdlabInputError, match="must be > 0"):
        Recipe.from_dict(d)


def test_bad_files(tmp_path):
    with pytest.raises(QdlabInputError, match="cannot be read"):
        load_recipe(tmp_path / "missing.toml")
    p = tmp_path / "bad.toml"
    p.write_text("name = \n")
    with pytest.raises(QdlabInputError, match="not valid TOML"):
        load_recipe(p)
    with pytest.raises(QdlabInputError, match="did you mean cdse"):
        example_recipe("cdsee")


def test_unknown_nucleation_model():
    r = example_recipe("cdse").with_updates(nucleation__model="classical")
    with pytest.raises(QdlabInputError, match="unknown nucleation model 'classical'"):
        run_recipe(r)


def test_step_budget_error_says_where():
    r = example_recipe("cdse").with_updates(numerics__max_steps=20)
    with pytest.raises(SynthesisError, match=r"step budget of 20 steps exhausted at t = "):
        run_recipe(r)


def test_bad_nucleation_model_output_is_an_error_not_nan():
    r = example_recipe("cdse").with_updates(duration_s=5.0)
    with pytest.raises(SynthesisError, match="nucleation model returned nan"):
        run_recipe(r, nucleation=lambda s, **kw: np.nan)


def test_progress_callback_and_cancel():
    calls = []
    r = example_recipe("cdse").with_updates(duration_s=20.0)
    run_recipe(r, progress=lambda t, T: calls.append((t, T)))
    assert calls[-1] == (20.0, 20.0) and len(calls) > 10
    assert all(b[0] >= a[0] for a, b in zip(calls, calls[1:], strict=False))

    def cancel(t, total):
        if t > 5:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run_recipe(r, progress=cancel)


def test_no_negative_concentrations_for_extreme_parameters():
    # reaction-limited growth (S stays huge, burst of tiny nuclei) and a strong quench
    r = example_recipe("cdse").with_updates(
        duration_s=60.0, growth__surface_rate_m_s=1e-6,
        temperature_program=[{"time_s": 0.0, "temperature_K": 573.15},
                             {"time_s": 30.0, "temperature_K": 300.0}])
    tr = run_recipe(r)
    for col in (tr.monomer_mol_L, tr.precursor_mol_L, tr.supersaturation,
                tr.particle_conc_mol_L, tr.histograms_mol_L):
        assert np.all(np.isfinite(col)) and np.all(col >= 0)
    assert tr.mass_balance_error.max() < 1e-12

"""``python -m qdlab.electronic.multiexcitons``: the validation table of the multiexciton model."""

from qdlab.electronic.multiexcitons.validation import format_multiexciton_validation

if __name__ == "__main__":  # pragma: no cover
    print(format_multiexciton_validation())

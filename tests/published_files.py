"""Where the tests find the vendors' published files (Yuki's WSDLs, Nmbrs' OpenAPI description).

They are the vendors' own documents, not ours, so the repository holds no copy: the tests read them from
the vendor reference folder, `$VENDOR_REFERENCE_DIR`, or else the `shared/reference` folder beside the
checkout (where CI puts it; README, "Test it"). Without it the tests that compare with those files fail
with this explanation rather than skip, so that a check against the vendor can never silently not run.
"""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
BESIDE_THE_CHECKOUT = REPOSITORY.parent / "shared" / "reference"


def reference_dir() -> Path:
    return Path(os.environ.get("VENDOR_REFERENCE_DIR") or BESIDE_THE_CHECKOUT)


def published(*parts: str) -> Path:
    """The published file at `parts` under the reference folder; fails the test when it is absent."""
    import pytest

    path = reference_dir().joinpath(*parts)
    if not path.is_file():
        pytest.fail(f"{path} is missing: the vendors' published files are read from $VENDOR_REFERENCE_DIR or "
                    f"the shared/reference folder beside the checkout (README, 'Test it').", pytrace=False)
    return path

"""Types of the compiled MES steps (``_steps.c``, decision 0108)."""

import numpy as np
import numpy.typing as npt

def price(
    value: npt.NDArray[np.float64],
    groups: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    sats: npt.NDArray[np.float64],
    w_sat: npt.NDArray[np.float64],
    total: float,
    common: float,
    cost: float,
    start: float,
    /,
) -> float | None: ...
def pay(
    value: npt.NDArray[np.float64],
    fuzzy: npt.NDArray[np.bool_],
    groups: npt.NDArray[np.int64],
    sats: npt.NDArray[np.float64],
    common: float,
    rho: float,
    split: bool,
    /,
) -> bytes | None: ...

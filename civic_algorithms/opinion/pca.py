"""PCA of the vote matrix with the Polis treatment of missing votes, and the Polis projection.

Polis fills each missing vote with its statement's mean vote, centres the columns and takes the top
two principal components by power iteration. Filling with the mean and then centring puts a zero in
every missing cell, so the centred matrix C keeps the sparsity of the votes: we never build the
dense matrix. The components are the top eigenvectors of C^T C, computed exactly (dense eigh for
small matrices, Lanczos on the sparse operator for large ones); this is the fixed point Polis'
power iteration converges to. Moderated-out statements are zeroed for everyone, as Polis does: they
count as columns and as votes in the projection scaling, but carry no variance.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from civic_algorithms.opinion.model import FloatArray
from civic_algorithms.opinion.store import MatrixView


def centered_matrix(
    view: MatrixView, zeroed: npt.NDArray[np.bool_]
) -> tuple[sparse.csr_matrix, FloatArray]:
    """The mean-filled, centred vote matrix as sparse CSR, and the column means."""
    n, m = view.n_participants, view.n_statements
    values = view.values.astype(np.float64)
    sums = np.bincount(view.cols, weights=values, minlength=m)
    counts = np.bincount(view.cols, minlength=m)
    center = np.divide(sums, counts, out=np.zeros(m), where=counts > 0)
    center[zeroed] = 0.0
    data = values - center[view.cols]
    data[zeroed[view.cols]] = 0.0
    matrix = sparse.csr_matrix((data, view.cols, view.indptr), shape=(n, m))
    return matrix, center


def principal_components(
    centered: sparse.csr_matrix, *, dense_limit: int = 32
) -> tuple[FloatArray, FloatArray]:
    """Top two eigenvectors (rows) and eigenvalues of C^T C, with a deterministic sign.

    Small problems use a dense eigendecomposition; larger ones use Lanczos (ARPACK) on the sparse
    operator x -> C^T (C x), started from the all-ones vector like Polis' power iteration. Lanczos
    only needs matrix-vector products, which stay fast when other processes share the CPU
    (multi-threaded dense LAPACK calls do not).
    """
    n, m = centered.shape
    n_comp = 2
    components = np.zeros((n_comp, m))
    eigenvalues = np.zeros(n_comp)
    if n == 0 or m == 0 or not np.any(centered.data):
        return components, eigenvalues
    if m <= max(dense_limit, n_comp + 2):
        values, vectors = _dense_eigen(centered)
    else:
        operator = sparse_linalg.LinearOperator(
            (m, m), matvec=lambda x: centered.T @ (centered @ x), dtype=np.float64
        )
        try:
            values, vectors = sparse_linalg.eigsh(
                operator, k=n_comp, which="LA", v0=np.ones(m), tol=0.0
            )
        except sparse_linalg.ArpackNoConvergence:
            values, vectors = _dense_eigen(centered)
    top = np.argsort(values)[::-1][:n_comp]
    eigenvalues[: len(top)] = values[top]
    components[: len(top)] = vectors[:, top].T
    eigenvalues = np.maximum(eigenvalues, 0.0)
    # Components with (numerically) no variance carry no direction: zero them so that they
    # cannot inject floating-point noise into the coordinates.
    scale = max(float(eigenvalues[0]), 1.0)
    components[eigenvalues <= 1e-12 * scale] = 0.0
    # Likewise statements without variance (e.g. moderated out) get exactly zero weight.
    spread = np.bincount(centered.indices, weights=centered.data**2, minlength=m)
    components[:, spread == 0.0] = 0.0
    for row in components:
        _fix_sign(row)
    return components, eigenvalues


def _dense_eigen(centered: sparse.csr_matrix) -> tuple[FloatArray, FloatArray]:
    gram = np.asarray((centered.T @ centered).toarray(), dtype=np.float64)
    values, vectors = np.linalg.eigh(gram)
    return values, vectors


def _fix_sign(component: FloatArray) -> None:
    """Make the component's entries sum to a positive number (largest entry positive on a tie)."""
    total = float(component.sum())
    if abs(total) > 1e-9:
        if total < 0:
            component *= -1.0
        return
    if component.size and component[np.argmax(np.abs(component))] < 0:
        component *= -1.0


def project(
    centered: sparse.csr_matrix, components: FloatArray, votes_per_row: npt.NDArray[np.int64]
) -> FloatArray:
    """Polis' sparsity-aware projection: C @ components, scaled by sqrt(n statements / n votes).

    ``votes_per_row`` counts every cell Polis treats as voted, including the zeroed columns of
    moderated-out statements. The scaling pushes people with few votes away from the centre.
    """
    _, m = centered.shape
    raw = np.asarray(centered @ components.T, dtype=np.float64)
    scale = np.sqrt(m / np.maximum(votes_per_row, 1))
    coordinates: FloatArray = raw * scale[:, None]
    return coordinates


def statement_extremity(center: FloatArray, components: FloatArray) -> FloatArray:
    """Distance from the centre of a virtual participant who agreed with that one statement only."""
    m = len(center)
    if m == 0:
        return np.zeros(0)
    offset = np.abs(1.0 - center) * np.sqrt(m)
    extremity: FloatArray = offset * np.sqrt((components**2).sum(axis=0))
    return extremity

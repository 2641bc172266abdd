/**
 * The Moore-Penrose pseudo-inverse of a small symmetric matrix, and its rank, with numpy's
 * cut-offs (the Epps-Singleton test needs both for a 4x4 covariance matrix).
 *
 * For a symmetric matrix the singular values are the absolute eigenvalues, so a cyclic Jacobi
 * eigen-decomposition, which is accurate to a few roundings, gives everything an SVD would.
 */

export interface PseudoInverse {
  /** Row-major n x n. */
  inverse: Float64Array;
  /** numpy.linalg.matrix_rank of the pseudo-inverse. */
  rank: number;
}

/**
 * pinv as SciPy calls it through its array API layer: singular values at or below
 * rtol * max(s), with rtol = n * machine epsilon, count as zero.
 */
export function symmetricPseudoInverse(matrix: Float64Array, n: number): PseudoInverse {
  const { values, vectors } = jacobiEigen(matrix, n);
  const singular = values.map(Math.abs);
  const largest = Math.max(...singular);
  const cutoff = n * Number.EPSILON * largest;

  const inverse = new Float64Array(n * n);
  const kept: number[] = [];
  for (let e = 0; e < n; e++) {
    if (!(singular[e] > cutoff)) continue;
    kept.push(1 / singular[e]);
    const reciprocal = 1 / values[e];
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        inverse[r * n + c] += vectors[r * n + e] * reciprocal * vectors[c * n + e];
      }
    }
  }
  return { inverse, rank: rankOfInverse(kept, n) };
}

/**
 * numpy.linalg.matrix_rank(pinv): the pseudo-inverse's singular values are the reciprocals of
 * the kept ones (and zeros), and count when above max * n * epsilon.
 */
function rankOfInverse(reciprocals: number[], n: number): number {
  if (reciprocals.length === 0) return 0;
  const tolerance = Math.max(...reciprocals) * n * Number.EPSILON;
  return reciprocals.filter((value) => value > tolerance).length;
}

/** Cyclic Jacobi rotations until the off-diagonal part is negligible. Columns are eigenvectors. */
export function jacobiEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;

  for (let sweep = 0; sweep < 100; sweep++) {
    if (offDiagonalNorm(a, n) === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, vectors, n, p, q);
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors };
}

function offDiagonalNorm(a: Float64Array, n: number): number {
  let sum = 0;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) if (p !== q) sum += a[p * n + q] * a[p * n + q];
  }
  return sum;
}

/** One Jacobi rotation annihilating a[p][q] (the stable tangent formula of Rutishauser). */
function rotate(a: Float64Array, vectors: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q];
  if (apq === 0) return;
  const app = a[p * n + p];
  const aqq = a[q * n + q];

  // Once a[p][q] is below half an ulp of both diagonal entries it changes nothing: drop it.
  if (Math.abs(apq) * 2 ** 53 < Math.abs(app) && Math.abs(apq) * 2 ** 53 < Math.abs(aqq)) {
    a[p * n + q] = 0;
    a[q * n + p] = 0;
    return;
  }

  const theta = (aqq - app) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;

  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p];
    const akq = a[k * n + q];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k];
    const aqk = a[q * n + k];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  a[p * n + q] = 0;
  a[q * n + p] = 0;

  for (let k = 0; k < n; k++) {
    const vkp = vectors[k * n + p];
    const vkq = vectors[k * n + q];
    vectors[k * n + p] = c * vkp - s * vkq;
    vectors[k * n + q] = s * vkp + c * vkq;
  }
}

//! Wynn's epsilon algorithm: extrapolating the limit of a sequence of
//! partial results (QUADPACK's QELG), used by adaptive quadrature to
//! accelerate convergence towards an endpoint singularity.

/// Largest number of elements kept in the table (older ones are dropped).
const LIMIT: usize = 50;

/// The epsilon table and the last three extrapolated results.
pub(crate) struct EpsilonTable {
    /// Row of the table, 1-based as in QUADPACK (`table[1..=len]`), with
    /// two slots of headroom for the new diagonal.
    table: [f64; LIMIT + 3],
    /// Number of elements in the current row.
    len: usize,
    /// The last three results, for the error estimate.
    last_results: [f64; 3],
    /// Number of extrapolations done.
    calls: usize,
}

impl EpsilonTable {
    /// An empty table.
    pub(crate) fn new() -> Self {
        EpsilonTable {
            table: [0.0; LIMIT + 3],
            len: 0,
            last_results: [0.0; 3],
            calls: 0,
        }
    }

    /// Appends the next element of the sequence.
    pub(crate) fn push(&mut self, value: f64) {
        self.len += 1;
        self.table[self.len] = value;
    }

    /// Number of elements in the current row.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The extrapolated limit and an estimate of its error; rebuilds the
    /// table's row for the next call.
    pub(crate) fn extrapolate(&mut self) -> (f64, f64) {
        let epmach = f64::EPSILON;
        let e = &mut self.table;
        self.calls += 1;
        let mut abserr = f64::MAX;
        let mut result = e[self.len];
        if self.len < 3 {
            return (result, abserr.max(5.0 * epmach * result.abs()));
        }
        let n = self.len;
        e[n + 2] = e[n];
        let new_elements = (n - 1) / 2;
        e[n] = f64::MAX;
        let mut kept = n;
        let mut k1 = n;
        for i in 1..=new_elements {
            let (k2, k3) = (k1 - 1, k1 - 2);
            let res = e[k1 + 2];
            let (e0, e1, e2) = (e[k3], e[k2], res);
            let delta2 = e2 - e1;
            let err2 = delta2.abs();
            let tol2 = e2.abs().max(e1.abs()) * epmach;
            let delta3 = e1 - e0;
            let err3 = delta3.abs();
            let tol3 = e1.abs().max(e0.abs()) * epmach;
            if err2 <= tol2 && err3 <= tol3 {
                // e0, e1 and e2 agree to machine accuracy: converged.
                result = res;
                abserr = err2 + err3;
                return (result, abserr.max(5.0 * epmach * result.abs()));
            }
            let e3 = e[k1];
            e[k1] = e1;
            let delta1 = e1 - e3;
            let err1 = delta1.abs();
            let tol1 = e1.abs().max(e3.abs()) * epmach;
            // Two elements agreeing to machine accuracy: the table stops
            // here (its further columns would divide by rounding noise).
            if err1 <= tol1 || err2 <= tol2 || err3 <= tol3 {
                kept = i + i - 1;
                break;
            }
            let ss = 1.0 / delta1 + 1.0 / delta2 - 1.0 / delta3;
            if (ss * e1).abs() <= 1e-4 {
                kept = i + i - 1;
                break;
            }
            let res = e1 + 1.0 / ss;
            e[k1] = res;
            k1 -= 2;
            let error = err2 + (res - e2).abs() + err3;
            if error <= abserr {
                abserr = error;
                result = res;
            }
        }
        if kept == LIMIT {
            kept = 2 * (LIMIT / 2) - 1;
        }
        // Shift the table: the new row keeps the last diagonal.
        let mut ib = if n.is_multiple_of(2) { 2 } else { 1 };
        for _ in 0..=new_elements {
            e[ib] = e[ib + 2];
            ib += 2;
        }
        if n != kept {
            e.copy_within(n - kept + 1..=n, 1);
        }
        self.len = kept;
        if self.calls < 4 {
            self.last_results[self.calls - 1] = result;
            abserr = f64::MAX;
        } else {
            let r = &mut self.last_results;
            abserr = (result - r[2]).abs() + (result - r[1]).abs() + (result - r[0]).abs();
            *r = [r[1], r[2], result];
        }
        (result, abserr.max(5.0 * epmach * result.abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Partial sums of the alternating series for ln 2 converge like 1/n;
    /// the epsilon algorithm finds the limit from a dozen of them.
    #[test]
    fn accelerates_the_alternating_harmonic_series() {
        let mut table = EpsilonTable::new();
        let mut sum = 0.0;
        let mut best = (0.0, f64::MAX);
        for k in 1..=12 {
            sum += if k % 2 == 1 { 1.0 } else { -1.0 } / f64::from(k);
            table.push(sum);
            if table.len() >= 3 {
                best = table.extrapolate();
            }
        }
        let exact = std::f64::consts::LN_2;
        assert!((best.0 - exact).abs() < 1e-8, "{best:?}");
        assert!((best.0 - exact).abs() <= best.1, "{best:?}");
        assert!((sum - exact).abs() > 1e-2);
    }
}

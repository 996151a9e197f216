//! The limited-memory BFGS matrix in compact form (Byrd, Nocedal and
//! Schnabel 1994): `B = θ I − W M Wᵀ` with `W = [Y  θS]` and
//! `M = [[−D, Lᵀ], [L, θ SᵀS]]⁻¹`, where `D = diag(sᵢᵀyᵢ)` and L is the
//! strictly lower triangle of `SᵀY`.
//!
//! The inner products SᵀS, SᵀY, YᵀY are kept and extended by one row and
//! column per new pair (O(m n)), so nothing per iteration costs O(m² n).

use crate::error::Result;
use crate::linalg::dense::{axpy, dot, Lu};
use std::collections::VecDeque;

pub(super) struct Memory {
    capacity: usize,
    pub s: VecDeque<Vec<f64>>,
    pub y: VecDeque<Vec<f64>>,
    pub theta: f64,
    /// `sᵢᵀsⱼ`, `sᵢᵀyⱼ`, `yᵢᵀyⱼ`, `capacity × capacity`, oldest pair first.
    ss: Vec<f64>,
    sy: Vec<f64>,
    yy: Vec<f64>,
    /// `M⁻¹` (2·len × 2·len, row-major) and its factorization.
    middle_inverse: Vec<f64>,
    middle: Option<Lu>,
    /// The factorization of the subspace step's matrix, storage reused.
    reduced: Option<Lu>,
}

impl Memory {
    pub fn new(capacity: usize) -> Memory {
        Memory {
            capacity,
            s: VecDeque::with_capacity(capacity),
            y: VecDeque::with_capacity(capacity),
            theta: 1.0,
            ss: vec![0.0; capacity * capacity],
            sy: vec![0.0; capacity * capacity],
            yy: vec![0.0; capacity * capacity],
            middle_inverse: Vec::new(),
            middle: None,
            reduced: None,
        }
    }

    /// The number of correction pairs held.
    pub fn len(&self) -> usize {
        self.s.len()
    }

    /// Forgets every pair (B = I), as L-BFGS-B does after a failed search.
    pub fn clear(&mut self) {
        self.s.clear();
        self.y.clear();
        self.theta = 1.0;
        self.middle = None;
    }

    /// Adds the pair (s, y), dropping the oldest when full, and refactors M⁻¹.
    /// The caller has checked the curvature sᵀy > 0.
    pub fn push(&mut self, s: &[f64], y: &[f64]) -> Result<()> {
        let m = self.capacity;
        if self.len() == m {
            let mut s_old = self.s.pop_front().unwrap_or_default();
            let mut y_old = self.y.pop_front().unwrap_or_default();
            for table in [&mut self.ss, &mut self.sy, &mut self.yy] {
                for i in 1..m {
                    for j in 1..m {
                        table[(i - 1) * m + j - 1] = table[i * m + j];
                    }
                }
            }
            s_old.copy_from_slice(s);
            y_old.copy_from_slice(y);
            self.s.push_back(s_old);
            self.y.push_back(y_old);
        } else {
            self.s.push_back(s.to_vec());
            self.y.push_back(y.to_vec());
        }
        let last = self.len() - 1;
        for i in 0..=last {
            let (si, yi) = (&self.s[i], &self.y[i]);
            let ss = dot(si, s);
            self.ss[i * m + last] = ss;
            self.ss[last * m + i] = ss;
            let yy = dot(yi, y);
            self.yy[i * m + last] = yy;
            self.yy[last * m + i] = yy;
            self.sy[i * m + last] = dot(si, y);
            self.sy[last * m + i] = dot(s, yi);
        }
        self.theta = self.yy[last * m + last] / self.sy[last * m + last];
        self.factor_middle()
    }

    fn factor_middle(&mut self) -> Result<()> {
        let (c, m) = (self.len(), self.capacity);
        let size = 2 * c;
        let mut k = vec![0.0; size * size];
        for i in 0..c {
            k[i * size + i] = -self.sy[i * m + i];
            for j in 0..i {
                // L[i][j] = sᵢᵀyⱼ below the diagonal, Lᵀ in the upper right.
                let l = self.sy[i * m + j];
                k[(c + i) * size + j] = l;
                k[j * size + c + i] = l;
            }
            for j in 0..c {
                k[(c + i) * size + c + j] = self.theta * self.ss[i * m + j];
            }
        }
        match &mut self.middle {
            Some(lu) => lu.refactor(&k, size)?,
            None => self.middle = Some(Lu::factor(&k, size)?),
        }
        self.middle_inverse = k;
        Ok(())
    }

    /// `v ← (M⁻¹ − G/θ)⁻¹ v` for the Gram matrix `G = W_FᵀW_F` of the
    /// free variables' rows: the core of the subspace step.
    pub fn solve_reduced(&mut self, gram: &[f64], v: &mut [f64]) -> Result<()> {
        let size = 2 * self.len();
        let mut matrix = std::mem::take(&mut self.middle_inverse);
        for (m, g) in matrix.iter_mut().zip(gram) {
            *m -= g / self.theta;
        }
        let factored = match &mut self.reduced {
            Some(lu) => lu.refactor(&matrix, size),
            None => Lu::factor(&matrix, size).map(|lu| self.reduced = Some(lu)),
        };
        // Restore M⁻¹ for the next call.
        for (m, g) in matrix.iter_mut().zip(gram) {
            *m += g / self.theta;
        }
        self.middle_inverse = matrix;
        factored?;
        match &self.reduced {
            Some(lu) => lu.solve_in_place(v),
            None => Ok(()),
        }
    }

    /// `v ← M v` (length 2·len).
    pub fn apply_middle(&self, v: &mut [f64]) -> Result<()> {
        match &self.middle {
            Some(lu) => lu.solve_in_place(v),
            None => Ok(()),
        }
    }

    /// `out = Wᵀ v` (length 2·len).
    pub fn w_transpose(&self, v: &[f64], out: &mut [f64]) {
        let c = self.len();
        for i in 0..c {
            out[i] = dot(&self.y[i], v);
            out[c + i] = self.theta * dot(&self.s[i], v);
        }
    }

    /// `out += alpha W u`.
    pub fn add_w(&self, alpha: f64, u: &[f64], out: &mut [f64]) {
        let c = self.len();
        for i in 0..c {
            axpy(alpha * u[i], &self.y[i], out);
            axpy(alpha * self.theta * u[c + i], &self.s[i], out);
        }
    }

    /// Row `b` of W (length 2·len).
    pub fn w_row(&self, b: usize, out: &mut [f64]) {
        let c = self.len();
        for i in 0..c {
            out[i] = self.y[i][b];
            out[c + i] = self.theta * self.s[i][b];
        }
    }

    /// `WᵀW` (2·len × 2·len), from the kept inner products.
    pub fn w_gram(&self) -> Vec<f64> {
        let (c, m, t) = (self.len(), self.capacity, self.theta);
        let size = 2 * c;
        let mut gram = vec![0.0; size * size];
        for i in 0..c {
            for j in 0..c {
                gram[i * size + j] = self.yy[i * m + j];
                // yᵢᵀ(θ sⱼ) = θ sⱼᵀyᵢ.
                gram[i * size + c + j] = t * self.sy[j * m + i];
                gram[(c + i) * size + j] = t * self.sy[i * m + j];
                gram[(c + i) * size + c + j] = t * t * self.ss[i * m + j];
            }
        }
        gram
    }
}

//! What to generate for a kernel, decided before any Cranelift IR is built:
//! the vector width, which body values are computed by chunk routines, the
//! passes over a chunk, and which values live in scratch memory between
//! passes.
//!
//! The innermost axis is walked in chunks of [`Plan::chunk`] elements. Within a
//! chunk, inline ops run in register loops ("passes"); an op computed by a
//! routine ([`super::routines`]) is one call over the whole chunk between
//! two passes. A value's *level* is the pass that computes it: loads,
//! scalars and inline ops of level-0 operands are level 0; a routine's
//! result is one more than its operands' highest level; an inline op takes
//! its operands' highest level. Values crossing passes go through scratch.

use super::routines::{routine, Routine};
use ndjit_ir::schedule::{Expr, Kernel};
use ndjit_ir::{BinaryOp, DType, Elementwise};

/// Elements of the innermost axis per chunk: the length of every routine
/// call and of every scratch region. A multiple of every unrolled vector
/// step. Also bounds how many elements one vector lane of a sum adds
/// before the partial is folded (see [`super::reduce`]).
const CHUNK: usize = 512;

/// The most scratch (stack) memory a kernel uses: kernels with many values
/// crossing routine calls take shorter chunks rather than a larger frame,
/// so that they run on small thread stacks.
const MAX_SCRATCH_BYTES: usize = 64 << 10;

/// The shortest chunk (a multiple of every unrolled vector step).
const MIN_CHUNK: usize = 64;

/// Vector registers per unrolled step of the vector loop.
pub(super) const UNROLL: usize = 4;

/// The element layout of the main loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// One element at a time (kernels on integers, mixed widths, bool
    /// memory): bools are `i8` 0/1.
    Scalar,
    /// `lanes` elements of `float` per register (F64X2 or F32X4, the
    /// widest the x86-64 backend lowers), then a scalar tail. Every value
    /// is `float` or a bool, and bools are lane masks (all ones = true) of
    /// the same width; none is loaded or stored.
    Vector {
        /// The one float dtype of the kernel.
        float: DType,
        /// Elements per register.
        lanes: usize,
    },
}

/// Where a pass reads a body value from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// Computed in this pass (loads and scalars are computed in every pass
    /// that reads them).
    Compute,
    /// Read from its scratch region.
    Scratch,
}

/// The decisions for one kernel.
#[derive(Debug)]
pub(super) struct Plan {
    /// The element layout.
    pub mode: Mode,
    /// The pass computing each body value.
    pub level: Vec<usize>,
    /// The routine computing each body value, if not inline.
    pub routine: Vec<Option<Routine>>,
    /// Byte offset of each value's scratch region, if it has one.
    pub scratch: Vec<Option<u32>>,
    /// Total scratch bytes.
    pub scratch_bytes: u32,
    /// Elements per chunk: [`CHUNK`], or less when scratch would exceed
    /// [`MAX_SCRATCH_BYTES`].
    pub chunk: usize,
    /// For each pass, which body values it computes (in body order).
    pub computes: Vec<Vec<bool>>,
    /// For each pass, whether it runs at all (it computes or stores something).
    pub has_work: Vec<bool>,
    /// Number of passes (the highest level plus one).
    pub passes: usize,
}

impl Plan {
    /// Decides how to generate `kernel` for an ISA that has fused
    /// multiply-add or not.
    pub(super) fn new(kernel: &Kernel, has_fma: bool) -> Plan {
        let n = kernel.body.len();
        let mode = vector_mode(kernel, has_fma);
        let routine: Vec<Option<Routine>> = kernel
            .body
            .iter()
            .map(|instr| match &instr.expr {
                Expr::Apply(function, operands) => {
                    routine(*function, kernel.body[operands[0].0 as usize].dtype)
                }
                Expr::Load(_) | Expr::Scalar(_) => None,
            })
            .collect();

        let mut level = vec![0; n];
        for (i, instr) in kernel.body.iter().enumerate() {
            let highest = operands(&instr.expr).map(|a| level[a]).max().unwrap_or(0);
            level[i] = highest + routine[i].is_some() as usize;
        }
        let passes = level.iter().copied().max().unwrap_or(0) + 1;

        // Scratch: routine results and operands (unless read in place: a
        // contiguous load), and inline values read by a later pass.
        let mut needs_scratch = vec![false; n];
        for (i, instr) in kernel.body.iter().enumerate() {
            if routine[i].is_some() {
                needs_scratch[i] = true;
                for a in operands(&instr.expr) {
                    if direct_load(kernel, a).is_none() {
                        needs_scratch[a] = true;
                    }
                }
            } else if !matches!(instr.expr, Expr::Load(_) | Expr::Scalar(_)) {
                for a in operands(&instr.expr) {
                    if level[a] < level[i] && !rematerialized(&kernel.body[a].expr) {
                        needs_scratch[a] = true;
                    }
                }
            }
        }
        let element_bytes: usize = (0..n)
            .filter(|&i| needs_scratch[i])
            .map(|i| scratch_element_bytes(mode, kernel.body[i].dtype))
            .sum();
        let mut chunk = CHUNK;
        while chunk > MIN_CHUNK && chunk * element_bytes > MAX_SCRATCH_BYTES {
            chunk /= 2;
        }
        let mut scratch = vec![None; n];
        let mut scratch_bytes = 0u32;
        for (i, instr) in kernel.body.iter().enumerate() {
            if needs_scratch[i] {
                scratch[i] = Some(scratch_bytes);
                scratch_bytes += (chunk * scratch_element_bytes(mode, instr.dtype)) as u32;
            }
        }

        // What each pass computes: its roots (stores of its level, scratch
        // values it writes) and, backwards, their operands of the same pass.
        let mut computes = vec![vec![false; n]; passes];
        for store in &kernel.stores {
            let v = store.value.0 as usize;
            if routine[v].is_none() {
                computes[level[v]][v] = true;
            }
        }
        for i in 0..n {
            if scratch[i].is_some() && routine[i].is_none() {
                computes[level[i]][i] = true;
            }
        }
        for (pass, computed) in computes.iter_mut().enumerate() {
            for i in (0..n).rev() {
                if !computed[i] {
                    continue;
                }
                for a in operands(&kernel.body[i].expr) {
                    let same_pass = routine[a].is_none()
                        && (level[a] == pass || rematerialized(&kernel.body[a].expr));
                    if same_pass {
                        computed[a] = true;
                    }
                }
            }
        }

        let mut has_work: Vec<bool> = computes.iter().map(|c| c.iter().any(|&c| c)).collect();
        for store in &kernel.stores {
            has_work[level[store.value.0 as usize]] = true;
        }

        Plan {
            mode,
            has_work,
            level,
            routine,
            scratch,
            scratch_bytes,
            chunk,
            computes,
            passes,
        }
    }

    /// Where pass `pass` reads value `v` from.
    pub(super) fn source(&self, pass: usize, v: usize) -> Source {
        if self.computes[pass][v] {
            Source::Compute
        } else {
            Source::Scratch
        }
    }
}

/// The operands of an expression, as body indices.
pub(super) fn operands(expr: &Expr) -> impl Iterator<Item = usize> + '_ {
    expr.operands().iter().map(|id| id.0 as usize)
}

/// Loads and scalars are recomputed by every pass that reads them rather
/// than kept in scratch: a load is as cheap as a scratch read.
fn rematerialized(expr: &Expr) -> bool {
    matches!(expr, Expr::Load(_) | Expr::Scalar(_))
}

/// If body value `v` is a load that walks the innermost axis contiguously,
/// the index of that load: a routine can read it in place.
pub(super) fn direct_load(kernel: &Kernel, v: usize) -> Option<usize> {
    match kernel.body[v].expr {
        Expr::Load(k) if inner_stride(&kernel.loads[k].map.strides) == 1 => Some(k),
        _ => None,
    }
}

/// The stride of the innermost axis (0 for a 0-d kernel: its one point is
/// a row of length 1).
pub(super) fn inner_stride(strides: &[isize]) -> isize {
    strides.last().copied().unwrap_or(0)
}

/// Bytes per element of a scratch region: bools in vector mode are kept as
/// lane masks, so that vector passes read and write them directly.
pub(super) fn scratch_element_bytes(mode: Mode, dtype: DType) -> usize {
    match (mode, dtype) {
        (Mode::Vector { float, .. }, DType::Bool) => float.size_bytes(),
        _ => dtype.size_bytes(),
    }
}

/// The vector mode of a kernel, if every value fits it (see [`Mode`]).
fn vector_mode(kernel: &Kernel, has_fma: bool) -> Mode {
    let float = kernel
        .body
        .iter()
        .map(|instr| instr.dtype)
        .find(|dtype| dtype.is_float());
    let Some(float) = float else {
        return Mode::Scalar;
    };
    // Without an FMA instruction, Cranelift lowers `fma` to a libm call,
    // which it can only do one element at a time.
    let fused = kernel
        .body
        .iter()
        .any(|instr| matches!(instr.expr, Expr::Apply(Elementwise::MulAdd, _)));
    if fused && !has_fma {
        return Mode::Scalar;
    }
    let memory_fits = kernel.loads.iter().all(|load| load.dtype == float)
        && kernel.stores.iter().all(|store| store.dtype == float);
    let values_fit = kernel.body.iter().all(|instr| {
        let operand_is_bool =
            |id: ndjit_ir::schedule::ValueId| kernel.body[id.0 as usize].dtype == DType::Bool;
        let expr_fits = match &instr.expr {
            // Lane masks have no cheap unsigned order.
            Expr::Apply(Elementwise::Binary(op), operands) => {
                !(operand_is_bool(operands[0])
                    && matches!(
                        op,
                        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
                    ))
            }
            Expr::Apply(Elementwise::Cast(_), operands) => {
                let from = kernel.body[operands[0].0 as usize].dtype;
                from == DType::Bool || from == float
            }
            Expr::Apply(..) | Expr::Load(_) | Expr::Scalar(_) => true,
        };
        (instr.dtype == float || instr.dtype == DType::Bool) && expr_fits
    });
    if memory_fits && values_fit {
        Mode::Vector {
            float,
            lanes: 16 / float.size_bytes(),
        }
    } else {
        Mode::Scalar
    }
}

//! Reductions along the innermost axis (a `combine` store whose innermost
//! stride is 0: a whole row meets in one element).
//!
//! Within a chunk, each reduction keeps [`UNROLL`] vector accumulators
//! (independent, to hide the add latency), so one lane adds at most
//! `chunk / (UNROLL * lanes)` elements (at most 32 for f32, 64 for f64), plus a
//! scalar accumulator for the tail. At the end of the chunk they are folded
//! pairwise into one partial, which joins the row's total; for float sums
//! with compensated (Kahan) summation, so the row's error does not grow
//! with its number of chunks. The error of a sum is then a few ulps of the
//! partials' magnitudes, at least as good as NumPy's pairwise summation
//! (blocks of 128 per accumulator, then a binary tree). At the end of the
//! row the total is combined into memory once.
//!
//! Reductions along outer axes need none of this: each point combines its
//! value into its own element in place (see [`super::element`]), vectorized
//! along the innermost axis, as NumPy does. (For float sums over axis 0 the
//! runtime runs blocks of rows into separate partials and adds those
//! pairwise, so their error does not grow with the number of rows: see
//! `runtime/parallel.rs`.)

use super::kernel_function::Emitter;
use super::plan::{inner_stride, UNROLL};
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value};
use cranelift_frontend::Variable;
use ndjit_ir::schedule::reduce_init;
use ndjit_ir::{DType, ReduceOp};

/// `op(a, b)`, elementwise on scalars or vectors of `dtype`.
pub(super) fn combine(e: &mut Emitter, op: ReduceOp, dtype: DType, a: Value, b: Value) -> Value {
    let float = dtype.is_float();
    let ins = e.ins();
    match op {
        ReduceOp::Sum if float => ins.fadd(a, b),
        ReduceOp::Sum => ins.iadd(a, b),
        ReduceOp::Prod if float => ins.fmul(a, b),
        ReduceOp::Prod => ins.imul(a, b),
        ReduceOp::Max | ReduceOp::Min if float => {
            let lanes = e.builder.func.dfg.value_type(a).lane_count() as usize;
            super::ops::extreme(e, op == ReduceOp::Max, lanes, a, b)
        }
        ReduceOp::Max if dtype == DType::Bool => ins.bor(a, b),
        ReduceOp::Min if dtype == DType::Bool => ins.band(a, b),
        ReduceOp::Max => ins.smax(a, b),
        ReduceOp::Min => ins.smin(a, b),
        ReduceOp::Any => ins.bor(a, b),
        ReduceOp::All => ins.band(a, b),
    }
}

/// The stores that reduce along the innermost axis, with their op.
fn inner_reductions(e: &Emitter) -> Vec<(usize, ReduceOp, DType)> {
    e.kernel
        .stores
        .iter()
        .enumerate()
        .filter_map(|(s, store)| match store.combine {
            Some(op) if inner_stride(&store.map.strides) == 0 => Some((s, op, store.dtype)),
            _ => None,
        })
        .collect()
}

/// Whether the row total of a reduction is compensated.
fn compensated(op: ReduceOp, dtype: DType) -> bool {
    op == ReduceOp::Sum && dtype.is_float()
}

/// A row's running totals, one per inner reduction.
pub(super) struct RowAccumulators {
    rows: Vec<Option<(Variable, Option<Variable>)>>,
}

impl RowAccumulators {
    /// Starts every total at the reduction's identity.
    pub(super) fn start(e: &mut Emitter) -> RowAccumulators {
        let mut rows = vec![None; e.kernel.stores.len()];
        for (s, op, dtype) in inner_reductions(e) {
            let ty = e.value_type(dtype, 1);
            let identity = e.scalar_constant(reduce_init(op, dtype), 1);
            let total = e.builder.declare_var(ty);
            e.builder.def_var(total, identity);
            let compensation = compensated(op, dtype).then(|| {
                let zero = e.number(dtype, 1, 0.0);
                let compensation = e.builder.declare_var(ty);
                e.builder.def_var(compensation, zero);
                compensation
            });
            rows[s] = Some((total, compensation));
        }
        RowAccumulators { rows }
    }

    /// Adds a chunk's partial to store `s`'s total.
    fn add(&self, e: &mut Emitter, s: usize, op: ReduceOp, dtype: DType, partial: Value) {
        let Some((total, compensation)) = self.rows[s] else {
            return;
        };
        let sum = e.builder.use_var(total);
        let Some(compensation) = compensation else {
            let new = combine(e, op, dtype, sum, partial);
            e.builder.def_var(total, new);
            return;
        };
        // Kahan: carry the rounding error of each addition into the next.
        // An infinite total makes the error NaN; it is dropped then, so
        // that sums with infinities stay exact IEEE results.
        let c = e.builder.use_var(compensation);
        let y = e.ins().fsub(partial, c);
        let t = e.ins().fadd(sum, y);
        let rounded = e.ins().fsub(t, sum);
        let error = e.ins().fsub(rounded, y);
        let infinity = e.number(dtype, 1, f64::INFINITY);
        let zero = e.number(dtype, 1, 0.0);
        let magnitude = e.ins().fabs(t);
        let finite = e.ins().fcmp(FloatCC::LessThan, magnitude, infinity);
        let error = e.ins().select(finite, error, zero);
        e.builder.def_var(compensation, error);
        e.builder.def_var(total, t);
    }

    /// Combines each total into its element: `row_pointers` are the row's
    /// pointers into each load's, then each store's, buffer.
    pub(super) fn finish(&self, e: &mut Emitter, row_pointers: &[Value]) {
        let flags = MemFlagsData::new().with_notrap();
        for (s, op, dtype) in inner_reductions(e) {
            let Some((total, _)) = self.rows[s] else {
                continue;
            };
            let ty = e.value_type(dtype, 1);
            let pointer = row_pointers[e.kernel.loads.len() + s];
            let old = e.builder.ins().load(ty, flags, pointer, 0);
            let total = e.builder.use_var(total);
            let new = combine(e, op, dtype, old, total);
            e.builder.ins().store(flags, new, pointer, 0);
        }
    }
}

/// One pass's accumulators over a chunk: per inner reduction whose value
/// the pass computes, [`UNROLL`] vector registers (vector mode) and one
/// scalar for the tail.
pub(super) struct PassAccumulators {
    stores: Vec<Option<(Vec<Variable>, Variable)>>,
    lanes: usize,
}

impl PassAccumulators {
    /// Starts the accumulators of pass `pass`, vectors of `lanes` elements
    /// (1: no vector accumulators).
    pub(super) fn start(e: &mut Emitter, pass: usize, lanes: usize) -> PassAccumulators {
        let mut stores = vec![None; e.kernel.stores.len()];
        for (s, op, dtype) in inner_reductions(e) {
            if e.plan.level[e.kernel.stores[s].value.0 as usize] != pass {
                continue;
            }
            let declare = |e: &mut Emitter, lanes: usize| {
                let identity = e.scalar_constant(reduce_init(op, dtype), lanes);
                let variable = e.builder.declare_var(e.value_type(dtype, lanes));
                e.builder.def_var(variable, identity);
                variable
            };
            let vector = if lanes > 1 {
                (0..UNROLL).map(|_| declare(e, lanes)).collect()
            } else {
                Vec::new()
            };
            let tail = declare(e, 1);
            stores[s] = Some((vector, tail));
        }
        PassAccumulators { stores, lanes }
    }

    /// Adds `value` (of `lanes` elements) to store `s`'s accumulator
    /// `slot` (or its tail accumulator, for one element).
    pub(super) fn accumulate(
        &mut self,
        e: &mut Emitter,
        s: usize,
        slot: usize,
        lanes: usize,
        value: Value,
    ) {
        let Some((vector, tail)) = &self.stores[s] else {
            return;
        };
        let store = &e.kernel.stores[s];
        let (op, dtype) = (store.combine.unwrap_or(ReduceOp::Sum), store.dtype);
        let variable = if lanes == 1 { *tail } else { vector[slot] };
        let old = e.builder.use_var(variable);
        let new = combine(e, op, dtype, old, value);
        e.builder.def_var(variable, new);
    }

    /// Folds the chunk's accumulators pairwise into one partial per
    /// reduction and adds it to the row's total.
    pub(super) fn finish(self, e: &mut Emitter, row: &RowAccumulators) {
        for (s, accumulators) in self.stores.into_iter().enumerate() {
            let Some((vector, tail)) = accumulators else {
                continue;
            };
            let store = &e.kernel.stores[s];
            let (op, dtype) = (store.combine.unwrap_or(ReduceOp::Sum), store.dtype);
            let mut partial = e.builder.use_var(tail);
            if !vector.is_empty() {
                let registers: Vec<Value> = vector.iter().map(|&v| e.builder.use_var(v)).collect();
                let register = pairwise(e, op, dtype, registers);
                let lanes: Vec<Value> = (0..self.lanes)
                    .map(|lane| e.builder.ins().extractlane(register, lane as u8))
                    .collect();
                let folded = pairwise(e, op, dtype, lanes);
                partial = combine(e, op, dtype, folded, partial);
            }
            row.add(e, s, op, dtype, partial);
        }
    }
}

/// Combines values as a balanced binary tree.
fn pairwise(e: &mut Emitter, op: ReduceOp, dtype: DType, mut values: Vec<Value>) -> Value {
    while values.len() > 1 {
        values = values
            .chunks(2)
            .map(|pair| match pair.len() {
                2 => combine(e, op, dtype, pair[0], pair[1]),
                _ => pair[0],
            })
            .collect();
    }
    values[0]
}

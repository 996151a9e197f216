//! One step of a pass: the body evaluated for a group of elements (one
//! vector register or one scalar) at an index of the chunk, with its loads,
//! scratch traffic and stores.

use super::kernel_function::Emitter;
use super::ops;
use super::plan::{inner_stride, scratch_element_bytes, Mode, Source};
use super::reduce::{self, PassAccumulators};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value};
use ndjit_ir::schedule::Expr;
use ndjit_ir::{DType, Elementwise};

/// Where a group of elements is.
#[derive(Clone, Copy)]
pub(super) struct Group<'p> {
    /// The pass evaluating.
    pub pass: usize,
    /// The chunk's pointer into each load's, then each store's, buffer.
    pub pointers: &'p [Value],
    /// Index (`i64`, in elements) within the chunk of the unrolled step.
    pub index: Value,
    /// This group's first element, past `index`.
    pub offset: usize,
    /// Elements in the group.
    pub lanes: usize,
    /// Which accumulator of an inner reduction this group adds to.
    pub slot: usize,
    /// For each load, its splat when it is a broadcast (stride 0) read by
    /// a vector group (loaded once per chunk).
    pub broadcasts: &'p [Option<Value>],
}

/// Flags of accesses to kernel buffers: the caller guarantees they are
/// valid; their alignment is only that of the element type.
fn buffer_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// Evaluates the body values pass `group.pass` computes, writes those that
/// later passes read to scratch, and performs the pass's stores.
pub(super) fn evaluate(
    e: &mut Emitter,
    group: Group,
    accumulators: &mut PassAccumulators,
) -> Result<(), String> {
    let (kernel, plan) = (e.kernel, e.plan);
    let mut values: Vec<Option<Value>> = vec![None; kernel.body.len()];
    for (i, instr) in kernel.body.iter().enumerate() {
        if !plan.computes[group.pass][i] {
            continue;
        }
        let operand = |e: &mut Emitter, id: ndjit_ir::schedule::ValueId| {
            operand_value(e, group, &values, id.0 as usize)
        };
        let value = match &instr.expr {
            Expr::Load(k) => load(e, group, *k, instr.dtype),
            Expr::Scalar(k) => {
                let argument = e.scalars[*k];
                match (group.lanes, argument.splat) {
                    (1, _) => argument.scalar,
                    (_, Some(splat)) => splat,
                    (_, None) => return Err(format!("scalar {k} has no vector splat")),
                }
            }
            Expr::Apply(function, operands) => {
                let mut x = Vec::with_capacity(operands.len());
                for &a in operands {
                    x.push(operand(e, a)?);
                }
                // The first operand's dtype (a select's condition is a bool).
                let from = kernel.body[operands[0].0 as usize].dtype;
                match *function {
                    Elementwise::Unary(op) => ops::unary(e, op, from, group.lanes, x[0])?,
                    Elementwise::Binary(op) => ops::binary(e, op, from, group.lanes, x[0], x[1])?,
                    Elementwise::Select => ops::select(e, group.lanes, x[0], x[1], x[2]),
                    // One rounding: the host's FMA instruction (kernels with a
                    // `mul_add` run scalar, through libm's `fma`, on hosts without).
                    Elementwise::MulAdd => e.builder.ins().fma(x[0], x[1], x[2]),
                    Elementwise::Cast(to) => ops::cast(e, from, to, group.lanes, x[0])?,
                }
            }
        };
        values[i] = Some(value);
        if plan.level[i] == group.pass && plan.scratch[i].is_some() {
            scratch_store(e, group, i, value);
        }
    }

    for (s, store) in kernel.stores.iter().enumerate() {
        let v = store.value.0 as usize;
        if plan.level[v] != group.pass {
            continue;
        }
        let value = operand_value(e, group, &values, v)?;
        let m = kernel.loads.len() + s;
        match store.combine {
            None => store_value(e, group, m, store.dtype, value),
            Some(_) if inner_stride(&store.map.strides) == 0 => {
                accumulators.accumulate(e, s, group.slot, group.lanes, value)
            }
            Some(op) => {
                // Reduction over an outer axis: read-modify-write in place.
                if group.lanes > 1
                    && stride_bytes(e, m, store.dtype) != store.dtype.size_bytes() as i64
                {
                    for lane in 0..group.lanes {
                        let x = e.builder.ins().extractlane(value, lane as u8);
                        let one = Group {
                            offset: group.offset + lane,
                            lanes: 1,
                            ..group
                        };
                        let old = memory_load(e, one, m, store.dtype);
                        let new = reduce::combine(e, op, store.dtype, old, x);
                        store_value(e, one, m, store.dtype, new);
                    }
                } else {
                    let old = memory_load(e, group, m, store.dtype);
                    // The running value first, as the interpreter folds
                    // (for max/min, ties keep the newer element).
                    let new = reduce::combine(e, op, store.dtype, old, value);
                    store_value(e, group, m, store.dtype, new);
                }
            }
        }
    }
    Ok(())
}

/// An operand: computed earlier in this group, or read from scratch.
fn operand_value(
    e: &mut Emitter,
    group: Group,
    values: &[Option<Value>],
    v: usize,
) -> Result<Value, String> {
    match e.plan.source(group.pass, v) {
        Source::Compute => values[v].ok_or_else(|| format!("v{v} used before it is computed")),
        Source::Scratch => scratch_load(e, group, v),
    }
}

/// Bytes between neighbouring elements of the innermost axis in map `m`
/// (loads, then stores).
fn stride_bytes(e: &Emitter, m: usize, dtype: DType) -> i64 {
    let kernel = e.kernel;
    let strides = match kernel.loads.get(m) {
        Some(load) => &load.map.strides,
        None => &kernel.stores[m - kernel.loads.len()].map.strides,
    };
    inner_stride(strides) as i64 * dtype.size_bytes() as i64
}

/// The address of element `group.offset + lane` of map `m`, as a base and
/// an immediate offset.
fn address(e: &mut Emitter, group: Group, m: usize, dtype: DType, lane: usize) -> (Value, i32) {
    let stride = stride_bytes(e, m, dtype);
    let pointer = group.pointers[m];
    if stride == 0 {
        return (pointer, 0);
    }
    let scaled = e.builder.ins().imul_imm_s(group.index, stride);
    let base = e.builder.ins().iadd(pointer, scaled);
    let delta = (group.offset + lane) as i64 * stride;
    match i32::try_from(delta) {
        Ok(delta) => (base, delta),
        Err(_) => (e.builder.ins().iadd_imm_s(base, delta), 0),
    }
}

/// The group's elements of load `k`.
fn load(e: &mut Emitter, group: Group, k: usize, dtype: DType) -> Value {
    match group.broadcasts[k] {
        Some(splat) if group.lanes > 1 => splat,
        _ => memory_load(e, group, k, dtype),
    }
}

/// Reads the group's elements of map `m`: one vector load when they are
/// contiguous, else one load per lane gathered into a register.
fn memory_load(e: &mut Emitter, group: Group, m: usize, dtype: DType) -> Value {
    let lane_type = e.value_type(dtype, 1);
    let contiguous = stride_bytes(e, m, dtype) == dtype.size_bytes() as i64;
    if group.lanes == 1 || contiguous {
        let ty = e.value_type(dtype, group.lanes);
        let (base, offset) = address(e, group, m, dtype, 0);
        return e.builder.ins().load(ty, buffer_flags(), base, offset);
    }
    let ty = e.value_type(dtype, group.lanes);
    let mut vector = None;
    for lane in 0..group.lanes {
        let (base, offset) = address(e, group, m, dtype, lane);
        let x = e
            .builder
            .ins()
            .load(lane_type, buffer_flags(), base, offset);
        vector = Some(match vector {
            None => e.builder.ins().scalar_to_vector(ty, x),
            Some(v) => e.builder.ins().insertlane(v, x, lane as u8),
        });
    }
    vector.expect("vector groups have lanes")
}

/// Writes the group's elements to map `m`: one vector store when they are
/// contiguous, else one store per lane in order (so that with stride 0 the
/// last element wins, as in a sequential loop).
fn store_value(e: &mut Emitter, group: Group, m: usize, dtype: DType, value: Value) {
    let contiguous = stride_bytes(e, m, dtype) == dtype.size_bytes() as i64;
    if group.lanes == 1 || contiguous {
        let (base, offset) = address(e, group, m, dtype, 0);
        e.builder.ins().store(buffer_flags(), value, base, offset);
        return;
    }
    for lane in 0..group.lanes {
        let x = e.builder.ins().extractlane(value, lane as u8);
        let (base, offset) = address(e, group, m, dtype, lane);
        e.builder.ins().store(buffer_flags(), x, base, offset);
    }
}

/// The address of the group in value `v`'s scratch region.
fn scratch_address(e: &mut Emitter, group: Group, v: usize) -> (Value, i32, usize) {
    let dtype = e.kernel.body[v].dtype;
    let size = scratch_element_bytes(e.plan.mode, dtype);
    let region = e.plan.scratch[v].unwrap_or(0) as usize;
    let scaled = e.builder.ins().imul_imm_s(group.index, size as i64);
    let base = e.builder.ins().iadd(e.scratch, scaled);
    (base, (region + group.offset * size) as i32, size)
}

/// Reads value `v` for the group from its scratch region.
pub(super) fn scratch_load(e: &mut Emitter, group: Group, v: usize) -> Result<Value, String> {
    if e.plan.scratch[v].is_none() {
        return Err(format!("v{v} is read from scratch but has none"));
    }
    let dtype = e.kernel.body[v].dtype;
    let (base, offset, _) = scratch_address(e, group, v);
    let flags = MemFlagsData::trusted();
    Ok(match (e.plan.mode, dtype, group.lanes) {
        // A bool one at a time, from a region of lane masks.
        (Mode::Vector { .. }, DType::Bool, 1) => {
            let lane = e.mask_lane();
            let mask = e.builder.ins().load(lane, flags, base, offset);
            e.builder.ins().icmp_imm_s(IntCC::NotEqual, mask, 0)
        }
        _ => {
            let ty = e.value_type(dtype, group.lanes);
            e.builder.ins().load(ty, flags, base, offset)
        }
    })
}

/// Writes value `v` of the group to its scratch region.
fn scratch_store(e: &mut Emitter, group: Group, v: usize, value: Value) {
    let dtype = e.kernel.body[v].dtype;
    let (base, offset, _) = scratch_address(e, group, v);
    let value = match (e.plan.mode, dtype, group.lanes) {
        (Mode::Vector { .. }, DType::Bool, 1) => {
            let lane = e.mask_lane();
            let wide = e.builder.ins().uextend(lane, value);
            e.builder.ins().ineg(wide)
        }
        _ => value,
    };
    e.builder
        .ins()
        .store(MemFlagsData::trusted(), value, base, offset);
}

/// The scratch pointer of value `v`'s region, for routine calls.
pub(super) fn scratch_region(e: &mut Emitter, v: usize) -> Result<Value, String> {
    let region = e.plan.scratch[v].ok_or_else(|| format!("v{v} has no scratch region"))?;
    Ok(e.builder.ins().iadd_imm_s(e.scratch, region as i64))
}

//! The loop nest: axis 0 over `[begin, end)`, the other outer axes in
//! full, each walking one pointer per buffer by its stride; the innermost
//! axis in chunks of [`Plan::chunk`](super::plan::Plan::chunk) elements; in each chunk, the passes (an
//! unrolled vector loop and a scalar tail) and the routine calls between
//! them.

use super::element::{self, Group};
use super::kernel_function::Emitter;
use super::plan::{direct_load, inner_stride, operands, Mode, UNROLL};
use super::reduce::{PassAccumulators, RowAccumulators};
use super::routines::Routine;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Signature, Value};
use ndjit_ir::schedule::Expr;

/// Emits the whole iteration: `bases` are the base pointers of each load,
/// then each store; `begin` and `end` bound axis 0.
pub(super) fn emit(
    e: &mut Emitter,
    bases: &[Value],
    begin: Value,
    end: Value,
) -> Result<(), String> {
    let strides = axis_strides(e, 0);
    if e.kernel.shape.len() == 1 {
        // Axis 0 is the innermost: [begin, end) is one row.
        let row_block = e.builder.create_block();
        let done = e.builder.create_block();
        let nonempty = e.builder.ins().icmp(IntCC::SignedLessThan, begin, end);
        e.builder.ins().brif(nonempty, row_block, &[], done, &[]);
        e.builder.switch_to_block(row_block);
        let pointers: Vec<Value> = bases
            .iter()
            .zip(&strides)
            .map(|(&base, &stride)| {
                let offset = e.builder.ins().imul_imm_s(begin, stride);
                e.builder.ins().iadd(base, offset)
            })
            .collect();
        let length = e.builder.ins().isub(end, begin);
        row(e, &pointers, length)?;
        e.builder.ins().jump(done, &[]);
        e.builder.switch_to_block(done);
        return Ok(());
    }
    let starts: Vec<Value> = bases
        .iter()
        .zip(&strides)
        .map(|(&base, &stride)| {
            let offset = e.builder.ins().imul_imm_s(begin, stride);
            e.builder.ins().iadd(base, offset)
        })
        .collect();
    counted_loop(
        e,
        begin,
        end,
        1,
        &starts,
        &strides,
        &mut |e, pointers, _| outer_axis(e, 1, pointers),
    )
}

/// The loop over outer axis `axis` (>= 1) and everything inside it.
fn outer_axis(e: &mut Emitter, axis: usize, pointers: &[Value]) -> Result<(), String> {
    let extent = e.kernel.shape[axis] as i64;
    let extent = e.builder.ins().iconst(types::I64, extent);
    if axis + 1 == e.kernel.shape.len() {
        return row(e, pointers, extent);
    }
    let strides = axis_strides(e, axis);
    let zero = e.builder.ins().iconst(types::I64, 0);
    counted_loop(
        e,
        zero,
        extent,
        1,
        pointers,
        &strides,
        &mut |e, pointers, _| outer_axis(e, axis + 1, pointers),
    )
}

/// The byte stride along `axis` of each load's, then each store's, map.
fn axis_strides(e: &Emitter, axis: usize) -> Vec<i64> {
    let kernel = e.kernel;
    let loads = kernel.loads.iter().map(|l| (&l.map.strides, l.dtype));
    let stores = kernel.stores.iter().map(|s| (&s.map.strides, s.dtype));
    loads
        .chain(stores)
        .map(|(strides, dtype)| strides[axis] as i64 * dtype.size_bytes() as i64)
        .collect()
}

/// The body of a [`counted_loop`]: given the pointers and the index.
type LoopBody<'b> = dyn FnMut(&mut Emitter, &[Value], Value) -> Result<(), String> + 'b;

/// `for (i = start; i < stop; i += step)`, with `pointers` advancing by
/// `increments` (bytes per unit of `i`) and handed to `body` with `i`.
fn counted_loop(
    e: &mut Emitter,
    start: Value,
    stop: Value,
    step: i64,
    pointers: &[Value],
    increments: &[i64],
    body: &mut LoopBody,
) -> Result<(), String> {
    let index = e.builder.declare_var(types::I64);
    e.builder.def_var(index, start);
    let variables: Vec<_> = pointers
        .iter()
        .map(|&pointer| {
            let variable = e.builder.declare_var(e.pointer);
            e.builder.def_var(variable, pointer);
            variable
        })
        .collect();
    let header = e.builder.create_block();
    let body_block = e.builder.create_block();
    let exit = e.builder.create_block();
    e.builder.ins().jump(header, &[]);

    e.builder.switch_to_block(header);
    let i = e.builder.use_var(index);
    let more = e.builder.ins().icmp(IntCC::SignedLessThan, i, stop);
    e.builder.ins().brif(more, body_block, &[], exit, &[]);

    e.builder.switch_to_block(body_block);
    let current: Vec<Value> = variables.iter().map(|&v| e.builder.use_var(v)).collect();
    let i = e.builder.use_var(index);
    body(e, &current, i)?;
    let i = e.builder.use_var(index);
    let next = e.builder.ins().iadd_imm_s(i, step);
    e.builder.def_var(index, next);
    for (&variable, &increment) in variables.iter().zip(increments) {
        if increment != 0 {
            let pointer = e.builder.use_var(variable);
            let next = e.builder.ins().iadd_imm_s(pointer, increment * step);
            e.builder.def_var(variable, next);
        }
    }
    e.builder.ins().jump(header, &[]);
    e.builder.switch_to_block(exit);
    Ok(())
}

/// The innermost axis of one row (`length` elements from `pointers`), in
/// chunks; inner reductions are combined into memory at its end.
fn row(e: &mut Emitter, pointers: &[Value], length: Value) -> Result<(), String> {
    let totals = RowAccumulators::start(e);
    let increments: Vec<i64> = axis_strides(e, e.kernel.shape.len() - 1);
    let zero = e.builder.ins().iconst(types::I64, 0);
    counted_loop(
        e,
        zero,
        length,
        e.plan.chunk as i64,
        pointers,
        &increments,
        &mut |e, chunk, start| {
            let remaining = e.builder.ins().isub(length, start);
            let full = e.builder.ins().iconst(types::I64, e.plan.chunk as i64);
            let chunk_length = e.builder.ins().smin(remaining, full);
            for pass in 0..e.plan.passes {
                call_routines(e, pass, chunk, chunk_length)?;
                if e.plan.has_work[pass] {
                    run_pass(e, pass, chunk, chunk_length, &totals)?;
                }
            }
            Ok(())
        },
    )?;
    totals.finish(e, pointers);
    Ok(())
}

/// Calls the routine of every value of level `pass` over the chunk: its
/// operands are read in place (contiguous loads) or from scratch, its
/// result goes to scratch.
fn call_routines(
    e: &mut Emitter,
    pass: usize,
    chunk: &[Value],
    length: Value,
) -> Result<(), String> {
    let (kernel, plan) = (e.kernel, e.plan);
    for (v, instr) in kernel.body.iter().enumerate() {
        let Some(routine) = plan.routine[v].filter(|_| plan.level[v] == pass) else {
            continue;
        };
        let mut arguments = Vec::new();
        for a in operands(&instr.expr) {
            arguments.push(match direct_load(kernel, a) {
                Some(k) => chunk[k],
                None => element::scratch_region(e, a)?,
            });
        }
        arguments.push(element::scratch_region(e, v)?);
        arguments.push(length);
        let address = match routine {
            Routine::Unary(f) => f as usize,
            Routine::Binary(f) => f as usize,
        };
        let mut signature = Signature::new(e.builder.func.signature.call_conv);
        for _ in 0..arguments.len() - 1 {
            signature.params.push(AbiParam::new(e.pointer));
        }
        signature.params.push(AbiParam::new(types::I64));
        let signature = e.builder.import_signature(signature);
        let callee = e.constant(e.pointer, address as u64);
        e.builder.ins().call_indirect(signature, callee, &arguments);
    }
    Ok(())
}

/// One pass over a chunk of `length` elements: the unrolled vector loop
/// (vector mode), then the scalar tail.
fn run_pass(
    e: &mut Emitter,
    pass: usize,
    chunk: &[Value],
    length: Value,
    totals: &RowAccumulators,
) -> Result<(), String> {
    let (kernel, plan) = (e.kernel, e.plan);
    let lanes = match plan.mode {
        Mode::Vector { lanes, .. } => lanes,
        Mode::Scalar => 1,
    };
    // Broadcast loads: one load and splat per chunk.
    let mut broadcasts = vec![None; kernel.loads.len()];
    if lanes > 1 {
        for (i, instr) in kernel.body.iter().enumerate() {
            if let Expr::Load(k) = instr.expr {
                let load = &kernel.loads[k];
                if plan.computes[pass][i] && inner_stride(&load.map.strides) == 0 {
                    let lane = e.value_type(load.dtype, 1);
                    let flags = MemFlagsData::new().with_notrap();
                    let x = e.builder.ins().load(lane, flags, chunk[k], 0);
                    let ty = e.value_type(load.dtype, lanes);
                    broadcasts[k] = Some(e.builder.ins().splat(ty, x));
                }
            }
        }
    }
    let mut accumulators = PassAccumulators::start(e, pass, lanes);
    let index = e.builder.declare_var(types::I64);
    let zero = e.builder.ins().iconst(types::I64, 0);
    e.builder.def_var(index, zero);
    let group = |j: Value, offset: usize, lanes: usize, slot: usize| Group {
        pass,
        pointers: chunk,
        index: j,
        offset,
        lanes,
        slot,
        broadcasts: &broadcasts,
    };

    let tail_header = e.builder.create_block();
    if lanes > 1 {
        let step = (UNROLL * lanes) as i64;
        let header = e.builder.create_block();
        let body = e.builder.create_block();
        e.builder.ins().jump(header, &[]);
        e.builder.switch_to_block(header);
        let j = e.builder.use_var(index);
        let next = e.builder.ins().iadd_imm_s(j, step);
        let fits = e
            .builder
            .ins()
            .icmp(IntCC::SignedLessThanOrEqual, next, length);
        e.builder.ins().brif(fits, body, &[], tail_header, &[]);
        e.builder.switch_to_block(body);
        let j = e.builder.use_var(index);
        for slot in 0..UNROLL {
            element::evaluate(e, group(j, slot * lanes, lanes, slot), &mut accumulators)?;
        }
        let next = e.builder.ins().iadd_imm_s(j, step);
        e.builder.def_var(index, next);
        e.builder.ins().jump(header, &[]);
    } else {
        e.builder.ins().jump(tail_header, &[]);
    }

    let tail_body = e.builder.create_block();
    let done = e.builder.create_block();
    e.builder.switch_to_block(tail_header);
    let j = e.builder.use_var(index);
    let more = e.builder.ins().icmp(IntCC::SignedLessThan, j, length);
    e.builder.ins().brif(more, tail_body, &[], done, &[]);
    e.builder.switch_to_block(tail_body);
    let j = e.builder.use_var(index);
    element::evaluate(e, group(j, 0, 1, 0), &mut accumulators)?;
    let next = e.builder.ins().iadd_imm_s(j, 1);
    e.builder.def_var(index, next);
    e.builder.ins().jump(tail_header, &[]);
    e.builder.switch_to_block(done);
    accumulators.finish(e, totals);
    Ok(())
}

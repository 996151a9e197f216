//! The generated function: its signature, its entry block (arguments,
//! hoisted constants and scalar splats, scratch memory), and the state
//! shared by the code that emits its loops.
//!
//! ```text
//! extern "C" fn(pointers: *const *mut u8, scalars: *const u64, begin: u64, end: u64)
//! ```

use super::loops;
use super::plan::{Mode, Plan};
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, Function, Inst, InstBuilder, MemFlagsData, Signature, StackSlotData,
    StackSlotKind, Type, UserFuncName, Value,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FuncInstBuilder, FunctionBuilder, FunctionBuilderContext};
use ndjit_ir::schedule::Kernel;
use ndjit_ir::{DType, Scalar};
use std::collections::HashMap;

/// Builds the Cranelift function of a kernel (of rank >= 1; see
/// [`super::normalized`]).
pub(super) fn build(kernel: &Kernel, isa: &dyn TargetIsa) -> Result<Function, String> {
    kernel.verify()?;
    let plan = Plan::new(kernel, super::jit::has_fma(isa));
    let pointer = isa.pointer_type();
    let mut signature = Signature::new(isa.default_call_conv());
    for ty in [pointer, pointer, types::I64, types::I64] {
        signature.params.push(AbiParam::new(ty));
    }
    let mut function = Function::with_name_signature(UserFuncName::user(0, 0), signature);
    let mut context = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut function, &mut context);

    let entry = builder.create_block();
    builder.append_block_params_for_function_params(entry);
    builder.switch_to_block(entry);
    let params = builder.block_params(entry).to_vec();
    let (pointers, scalar_bits, begin, end) = (params[0], params[1], params[2], params[3]);

    let flags = MemFlagsData::trusted();
    let memory_count = kernel.loads.len() + kernel.stores.len();
    let bases: Vec<Value> = (0..memory_count)
        .map(|m| {
            let offset = (m * pointer.bytes() as usize) as i32;
            builder.ins().load(pointer, flags, pointers, offset)
        })
        .collect();
    let bits: Vec<Value> = (0..kernel.scalars.len())
        .map(|k| {
            builder
                .ins()
                .load(types::I64, flags, scalar_bits, (8 * k) as i32)
        })
        .collect();
    let scratch = if plan.scratch_bytes > 0 {
        let slot = builder.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            plan.scratch_bytes,
            4,
        ));
        builder.ins().stack_addr(pointer, slot, 0)
    } else {
        builder.ins().iconst(pointer, 0)
    };
    let body = builder.create_block();
    let jump = builder.ins().jump(body, &[]);

    let mut emitter = Emitter {
        builder,
        kernel,
        plan: &plan,
        pointer,
        constants: Constants {
            jump,
            cache: HashMap::new(),
        },
        scalars: Vec::new(),
        scratch,
    };
    emitter.scalars = kernel
        .scalars
        .iter()
        .zip(bits)
        .map(|(scalar, bits)| emitter.scalar_argument(scalar.dtype(), bits))
        .collect();

    emitter.builder.switch_to_block(body);
    loops::emit(&mut emitter, &bases, begin, end)?;
    let mut builder = emitter.builder;
    builder.ins().return_(&[]);
    builder.seal_all_blocks();
    builder.finalize(isa.frontend_config());
    Ok(function)
}

/// A run-time scalar argument: its value for the scalar tail, and its
/// splat (hoisted to the entry block) for vector passes.
#[derive(Clone, Copy)]
pub(super) struct ScalarArgument {
    /// One lane.
    pub scalar: Value,
    /// All lanes, in vector mode.
    pub splat: Option<Value>,
}

/// The state shared by everything that emits code for one kernel.
pub(super) struct Emitter<'a> {
    /// Where instructions go.
    pub builder: FunctionBuilder<'a>,
    /// The kernel compiled.
    pub kernel: &'a Kernel,
    /// The decisions made for it.
    pub plan: &'a Plan,
    /// The host's pointer type.
    pub pointer: Type,
    /// Loop-invariant constants, hoisted to the entry block.
    pub constants: Constants,
    /// The run-time scalars, in `kernel.scalars` order.
    pub scalars: Vec<ScalarArgument>,
    /// Base address of the chunk scratch memory.
    pub scratch: Value,
}

/// Constants materialized once in the entry block, before its final jump,
/// whatever loop asks for them (Cranelift does not hoist them itself).
pub(super) struct Constants {
    jump: Inst,
    cache: HashMap<(Type, u64), Value>,
}

impl<'a> Emitter<'a> {
    /// Inserts an instruction at the current position.
    pub(super) fn ins(&mut self) -> FuncInstBuilder<'_, 'a> {
        self.builder.ins()
    }

    /// The Cranelift type holding `lanes` elements of `dtype`. Bools are
    /// `i8` 0/1 one at a time and lane masks in vector registers.
    pub(super) fn value_type(&self, dtype: DType, lanes: usize) -> Type {
        let lane = match (dtype, lanes) {
            (DType::Bool, 1) => types::I8,
            (DType::Bool, _) => self.mask_lane(),
            _ => scalar_type(dtype),
        };
        if lanes == 1 {
            lane
        } else {
            lane.by(lanes as u32).expect("vector widths are 2 or 4")
        }
    }

    /// The integer lane type of a bool mask in vector mode.
    pub(super) fn mask_lane(&self) -> Type {
        match self.plan.mode {
            Mode::Vector { float, .. } => Type::int_with_byte_size(float.size_bytes() as u16)
                .expect("float lanes are 4 or 8 bytes"),
            Mode::Scalar => types::I8,
        }
    }

    /// A constant of type `ty` (a splat if `ty` is a vector) whose lanes
    /// have the bits `bits`, hoisted to the entry block.
    pub(super) fn constant(&mut self, ty: Type, bits: u64) -> Value {
        if let Some(&value) = self.constants.cache.get(&(ty, bits)) {
            return value;
        }
        let mut cursor = FuncCursor::new(self.builder.func).at_inst(self.constants.jump);
        let lane = ty.lane_type();
        // Immediates of narrow types hold only their own bits.
        let bits = match lane.bits() {
            64 => bits,
            width => bits & ((1 << width) - 1),
        };
        let scalar = match lane {
            types::F64 => cursor.ins().f64const(f64::from_bits(bits)),
            types::F32 => cursor.ins().f32const(f32::from_bits(bits as u32)),
            _ => cursor.ins().iconst(lane, bits as i64),
        };
        let value = if ty.is_vector() {
            cursor.ins().splat(ty, scalar)
        } else {
            scalar
        };
        self.constants.cache.insert((ty, bits), value);
        value
    }

    /// `value` as a constant of `lanes` elements of `dtype`.
    pub(super) fn number(&mut self, dtype: DType, lanes: usize, value: f64) -> Value {
        let bits = match Scalar::from_f64(value, dtype) {
            Scalar::Bool(b) => self.bool_bits(b, lanes),
            scalar => scalar.bits(),
        };
        self.constant(self.value_type(dtype, lanes), bits)
    }

    /// A scalar (reduction identities) as a constant of `lanes` elements.
    pub(super) fn scalar_constant(&mut self, scalar: Scalar, lanes: usize) -> Value {
        let bits = match scalar {
            Scalar::Bool(b) => self.bool_bits(b, lanes),
            scalar => scalar.bits(),
        };
        self.constant(self.value_type(scalar.dtype(), lanes), bits)
    }

    /// A bool constant of `lanes` elements.
    pub(super) fn boolean(&mut self, lanes: usize, value: bool) -> Value {
        let bits = self.bool_bits(value, lanes);
        self.constant(self.value_type(DType::Bool, lanes), bits)
    }

    fn bool_bits(&self, value: bool, lanes: usize) -> u64 {
        match (value, lanes) {
            (false, _) => 0,
            (true, 1) => 1,
            (true, _) => u64::MAX,
        }
    }

    /// Decodes a scalar argument from its `u64` bits in the entry block and
    /// splats it for vector passes.
    fn scalar_argument(&mut self, dtype: DType, bits: Value) -> ScalarArgument {
        let mask_lane = self.mask_lane();
        let vector_type = match self.plan.mode {
            Mode::Vector { lanes, .. } if dtype.is_float() || dtype == DType::Bool => {
                Some(self.value_type(dtype, lanes))
            }
            _ => None,
        };
        let mut cursor = FuncCursor::new(self.builder.func).at_inst(self.constants.jump);
        let scalar = match dtype {
            DType::F64 => cursor.ins().bitcast(types::F64, MemFlagsData::new(), bits),
            DType::F32 => {
                let low = cursor.ins().ireduce(types::I32, bits);
                cursor.ins().bitcast(types::F32, MemFlagsData::new(), low)
            }
            DType::I64 => bits,
            DType::I32 => cursor.ins().ireduce(types::I32, bits),
            DType::Bool => cursor.ins().icmp_imm_s(IntCC::NotEqual, bits, 0),
        };
        let splat = vector_type.map(|ty| {
            let lane = if dtype == DType::Bool {
                // 0/1 to 0/all-ones.
                let wide = cursor.ins().uextend(mask_lane, scalar);
                cursor.ins().ineg(wide)
            } else {
                scalar
            };
            cursor.ins().splat(ty, lane)
        });
        ScalarArgument { scalar, splat }
    }
}

/// The Cranelift type of one element of `dtype` (bools as `i8`).
pub(super) fn scalar_type(dtype: DType) -> Type {
    match dtype {
        DType::Bool => types::I8,
        DType::I32 => types::I32,
        DType::I64 => types::I64,
        DType::F32 => types::F32,
        DType::F64 => types::F64,
    }
}

//! Tests of code generation against plain Rust loops (the reference
//! interpreter is not merged on this branch): hand-built kernels, run on
//! hand-made buffers, compared with hand-computed or reference values.

mod elementwise;
mod layout;
mod memory;
mod ops;
mod reduce;

use super::compile;
use ndjit_ir::schedule::{BufferId, Expr, IndexMap, Instr, Kernel, Load, Store, ValueId};
use ndjit_ir::{BinaryOp, DType, Elementwise, ReduceOp, Scalar, UnaryOp};

/// Builds a kernel instruction by instruction.
pub(super) struct Builder {
    pub kernel: Kernel,
}

impl Builder {
    pub fn new(shape: &[usize]) -> Builder {
        Builder {
            kernel: Kernel {
                shape: shape.to_vec(),
                loads: vec![],
                scalars: vec![],
                body: vec![],
                stores: vec![],
            },
        }
    }

    fn push(&mut self, expr: Expr, dtype: DType) -> ValueId {
        self.kernel.body.push(Instr { expr, dtype });
        ValueId(self.kernel.body.len() as u32 - 1)
    }

    fn dtype(&self, v: ValueId) -> DType {
        self.kernel.body[v.0 as usize].dtype
    }

    /// A load with the given strides (offset 0; the runner applies offsets).
    pub fn load(&mut self, dtype: DType, strides: &[isize]) -> ValueId {
        let k = self.kernel.loads.len();
        self.kernel.loads.push(Load {
            buffer: BufferId(k as u32),
            dtype,
            map: IndexMap {
                offset: 0,
                strides: strides.to_vec(),
            },
        });
        self.push(Expr::Load(k), dtype)
    }

    /// A contiguous load of the kernel's shape.
    pub fn input(&mut self, dtype: DType) -> ValueId {
        let strides = IndexMap::contiguous(&self.kernel.shape).strides;
        self.load(dtype, &strides)
    }

    pub fn scalar(&mut self, value: Scalar) -> ValueId {
        self.kernel.scalars.push(value);
        self.push(Expr::Scalar(self.kernel.scalars.len() - 1), value.dtype())
    }

    pub fn unary(&mut self, op: UnaryOp, a: ValueId) -> ValueId {
        let dtype = op.result_dtype(self.dtype(a));
        self.push(Expr::Apply(Elementwise::Unary(op), vec![a]), dtype)
    }

    pub fn binary(&mut self, op: BinaryOp, a: ValueId, b: ValueId) -> ValueId {
        let dtype = op.result_dtype(self.dtype(a));
        self.push(Expr::Apply(Elementwise::Binary(op), vec![a, b]), dtype)
    }

    pub fn select(&mut self, c: ValueId, a: ValueId, b: ValueId) -> ValueId {
        let dtype = self.dtype(a);
        self.push(Expr::Apply(Elementwise::Select, vec![c, a, b]), dtype)
    }

    pub fn mul_add(&mut self, a: ValueId, b: ValueId, c: ValueId) -> ValueId {
        let dtype = self.dtype(a);
        self.push(Expr::Apply(Elementwise::MulAdd, vec![a, b, c]), dtype)
    }

    pub fn cast(&mut self, a: ValueId, dtype: DType) -> ValueId {
        self.push(Expr::Apply(Elementwise::Cast(dtype), vec![a]), dtype)
    }

    pub fn store_map(&mut self, value: ValueId, strides: &[isize], combine: Option<ReduceOp>) {
        let buffer = BufferId(100 + self.kernel.stores.len() as u32);
        self.kernel.stores.push(Store {
            value,
            buffer,
            dtype: self.dtype(value),
            map: IndexMap {
                offset: 0,
                strides: strides.to_vec(),
            },
            combine,
        });
    }

    /// A contiguous store of the kernel's shape.
    pub fn output(&mut self, value: ValueId) {
        let strides = IndexMap::contiguous(&self.kernel.shape).strides;
        self.store_map(value, &strides, None);
    }
}

/// A typed buffer.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Data {
    Bool(Vec<bool>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl Data {
    pub fn zeros(dtype: DType, len: usize) -> Data {
        Data::from_scalars(dtype, &vec![Scalar::zero(dtype); len])
    }

    pub fn filled(value: Scalar, len: usize) -> Data {
        Data::from_scalars(value.dtype(), &vec![value; len])
    }

    pub fn from_scalars(dtype: DType, values: &[Scalar]) -> Data {
        let values = values.iter().map(|v| v.cast(dtype));
        match dtype {
            DType::Bool => Data::Bool(values.map(|v| v.bits() != 0).collect()),
            DType::I32 => Data::I32(values.map(|v| v.bits() as u32 as i32).collect()),
            DType::I64 => Data::I64(values.map(|v| v.bits() as i64).collect()),
            DType::F32 => Data::F32(values.map(|v| f32::from_bits(v.bits() as u32)).collect()),
            DType::F64 => Data::F64(values.map(|v| f64::from_bits(v.bits())).collect()),
        }
    }

    pub fn scalars(&self) -> Vec<Scalar> {
        match self {
            Data::Bool(v) => v.iter().map(|&x| Scalar::Bool(x)).collect(),
            Data::I32(v) => v.iter().map(|&x| Scalar::I32(x)).collect(),
            Data::I64(v) => v.iter().map(|&x| Scalar::I64(x)).collect(),
            Data::F32(v) => v.iter().map(|&x| Scalar::F32(x)).collect(),
            Data::F64(v) => v.iter().map(|&x| Scalar::F64(x)).collect(),
        }
    }

    pub fn f64s(&self) -> Vec<f64> {
        self.scalars().iter().map(|s| s.to_f64()).collect()
    }

    fn dtype(&self) -> DType {
        match self {
            Data::Bool(_) => DType::Bool,
            Data::I32(_) => DType::I32,
            Data::I64(_) => DType::I64,
            Data::F32(_) => DType::F32,
            Data::F64(_) => DType::F64,
        }
    }

    fn len(&self) -> usize {
        match self {
            Data::Bool(v) => v.len(),
            Data::I32(v) => v.len(),
            Data::I64(v) => v.len(),
            Data::F32(v) => v.len(),
            Data::F64(v) => v.len(),
        }
    }

    fn pointer(&mut self) -> *mut u8 {
        match self {
            Data::Bool(v) => v.as_mut_ptr().cast(),
            Data::I32(v) => v.as_mut_ptr().cast(),
            Data::I64(v) => v.as_mut_ptr().cast(),
            Data::F32(v) => v.as_mut_ptr().cast(),
            Data::F64(v) => v.as_mut_ptr().cast(),
        }
    }
}

/// Runs `kernel` over `[begin, end)` of axis 0 on buffers (one per load,
/// then one per store; each long enough for its map). Each map's offset
/// (in elements) is applied here, as the runtime does.
pub(super) fn run_range(kernel: &Kernel, buffers: &mut [Data], begin: usize, end: usize) {
    let compiled = compile(kernel).unwrap_or_else(|e| panic!("{e}"));
    let offsets = kernel
        .loads
        .iter()
        .map(|l| (l.map.offset, l.dtype))
        .chain(kernel.stores.iter().map(|s| (s.map.offset, s.dtype)));
    assert_eq!(buffers.len(), kernel.loads.len() + kernel.stores.len());
    let pointers: Vec<*mut u8> = buffers
        .iter_mut()
        .zip(offsets)
        .map(|(buffer, (offset, dtype))| {
            assert_eq!(buffer.dtype(), dtype);
            assert!(offset >= 0 && (offset as usize) <= buffer.len());
            buffer
                .pointer()
                .wrapping_add(offset as usize * dtype.size_bytes())
        })
        .collect();
    let scalars: Vec<u64> = kernel.scalars.iter().map(|s| s.bits()).collect();
    // SAFETY: each buffer holds every element its map reaches (the tests
    // size them so), and [begin, end) lies within axis 0.
    unsafe { compiled.run(&pointers, &scalars, begin, end) };
}

/// Runs `kernel` over its whole iteration space.
pub(super) fn run(kernel: &Kernel, buffers: &mut [Data]) {
    let end = kernel.shape.first().copied().unwrap_or(1);
    run_range(kernel, buffers, 0, end);
}

/// Bit-exact equality, treating any two NaNs as equal.
pub(super) fn same(a: Scalar, b: Scalar) -> bool {
    let nan = |s: Scalar| s.dtype().is_float() && s.to_f64().is_nan();
    a == b || (nan(a) && nan(b))
}

/// Asserts that two buffers agree bit for bit (any NaN equals any NaN).
#[track_caller]
pub(super) fn assert_same(got: &Data, expected: &[Scalar], context: &str) {
    let got = got.scalars();
    assert_eq!(got.len(), expected.len(), "{context}: length");
    for (i, (&g, &e)) in got.iter().zip(expected).enumerate() {
        assert!(
            same(g, e),
            "{context}: element {i}: got {g:?}, expected {e:?}"
        );
    }
}

/// `op(a, b)` of a reduction, as the reference ops compute it.
pub(super) fn reference_combine(op: ReduceOp, a: Scalar, b: Scalar) -> Scalar {
    let binary = match op {
        ReduceOp::Sum => BinaryOp::Add,
        ReduceOp::Prod => BinaryOp::Mul,
        ReduceOp::Max => BinaryOp::Maximum,
        ReduceOp::Min => BinaryOp::Minimum,
        ReduceOp::Any => BinaryOp::Or,
        ReduceOp::All => BinaryOp::And,
    };
    ops::reference_binary(binary, a, b)
}

/// Runs `kernel` point by point in row-major order, as a plain loop nest
/// would: the oracle for layouts and reductions (sums here are sequential).
pub(super) fn interpret(kernel: &Kernel, buffers: &mut [Data]) {
    let mut memory: Vec<Vec<Scalar>> = buffers.iter().map(Data::scalars).collect();
    let rank = kernel.shape.len();
    let mut index = vec![0usize; rank];
    let maps: Vec<&IndexMap> = kernel
        .loads
        .iter()
        .map(|l| &l.map)
        .chain(kernel.stores.iter().map(|s| &s.map))
        .collect();
    let element = |map: &IndexMap, index: &[usize]| {
        let position = map.offset
            + index
                .iter()
                .zip(&map.strides)
                .map(|(&i, &s)| i as isize * s)
                .sum::<isize>();
        position as usize
    };
    for _ in 0..kernel.len() {
        let mut values: Vec<Scalar> = Vec::new();
        for instr in &kernel.body {
            let value = |id: ValueId| values[id.0 as usize];
            let v = match &instr.expr {
                Expr::Load(k) => memory[*k][element(maps[*k], &index)],
                Expr::Scalar(k) => kernel.scalars[*k],
                Expr::Apply(function, operands) => {
                    let x: Vec<Scalar> = operands.iter().map(|&a| value(a)).collect();
                    match *function {
                        Elementwise::Unary(op) => ops::reference_unary(op, x[0]),
                        Elementwise::Binary(op) => ops::reference_binary(op, x[0], x[1]),
                        Elementwise::Select if x[0] == Scalar::Bool(true) => x[1],
                        Elementwise::Select => x[2],
                        Elementwise::MulAdd => match (x[0], x[1], x[2]) {
                            (Scalar::F64(a), Scalar::F64(b), Scalar::F64(c)) => {
                                Scalar::F64(a.mul_add(b, c))
                            }
                            (Scalar::F32(a), Scalar::F32(b), Scalar::F32(c)) => {
                                Scalar::F32(a.mul_add(b, c))
                            }
                            other => panic!("mul_add of {other:?}"),
                        },
                        Elementwise::Cast(dtype) => x[0].cast(dtype),
                    }
                }
            };
            values.push(v);
        }
        for (s, store) in kernel.stores.iter().enumerate() {
            let m = kernel.loads.len() + s;
            let at = element(maps[m], &index);
            let v = values[store.value.0 as usize];
            memory[m][at] = match store.combine {
                None => v,
                Some(op) => reference_combine(op, memory[m][at], v),
            };
        }
        for axis in (0..rank).rev() {
            index[axis] += 1;
            if index[axis] < kernel.shape[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
    for (buffer, values) in buffers.iter_mut().zip(memory) {
        *buffer = Data::from_scalars(buffer.dtype(), &values);
    }
}

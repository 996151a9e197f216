//! The scheduled program: buffers, and the kernels and library calls that
//! fill them. Plain data, printed by [`Schedule::dump`]; code generation
//! compiles each [`Kernel`], the runtime executes the [`Step`]s in order.

use crate::dtype::DType;
use crate::op::{Elementwise, Op, ReduceOp, TensorType};
use crate::scalar::Scalar;
use std::fmt::{self, Write};

/// Index of a buffer in [`Schedule::buffers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BufferId(pub u32);

impl fmt::Display for BufferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b{}", self.0)
    }
}

/// Where a buffer's storage comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BufferRole {
    /// The graph's `k`-th input, supplied by the caller.
    Input(usize),
    /// Allocated by the runtime and returned as a graph output (it may be
    /// returned for several output positions).
    Output,
    /// Allocated by the runtime, freed after its last reader ran.
    Temporary,
}

/// One buffer: a contiguous run of `len` elements.
///
/// A buffer the runtime allocates is written by one kernel, or, for a
/// concat, by one kernel per window; it is allocated when the first of
/// them runs, and every element is written before anything reads it,
/// except where it is `zeroed` or accumulated into ([`Store::combine`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BufferDecl {
    /// Element type.
    pub dtype: DType,
    /// Number of elements.
    pub len: usize,
    /// Who provides it.
    pub role: BufferRole,
    /// Whether the runtime fills it with zeros before its kernel runs: a
    /// pad's kernel writes only the window of its operand.
    pub zeroed: bool,
}

/// Where element `(i0, i1, ...)` of a kernel's iteration space lives in a
/// buffer: at `offset + Σ i_k * strides[k]` elements from its start. Views
/// (broadcast: stride 0; slice: offset and scaled strides; permute:
/// reordered strides) fold into this map, so they cost nothing at run time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IndexMap {
    /// Offset of element `(0, 0, ...)`, in elements. Applied by the runtime
    /// to the base pointer, so it is not part of a kernel's compiled code.
    pub offset: isize,
    /// Step per iteration axis, in elements; one per axis of the kernel's shape.
    pub strides: Vec<isize>,
}

impl IndexMap {
    /// The row-major map of a contiguous buffer of `shape`.
    pub fn contiguous(shape: &[usize]) -> IndexMap {
        IndexMap {
            offset: 0,
            strides: crate::shape::Shape(shape.to_vec()).contiguous_strides(),
        }
    }
}

/// An input of a kernel: elements read from a buffer through an index map.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Load {
    /// The buffer read.
    pub buffer: BufferId,
    /// Its element type.
    pub dtype: DType,
    /// Where each iteration point reads.
    pub map: IndexMap,
}

/// An output of a kernel: a body value written (or accumulated) into a buffer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Store {
    /// The body value written.
    pub value: ValueId,
    /// The buffer written.
    pub buffer: BufferId,
    /// Its element type (the value's dtype).
    pub dtype: DType,
    /// Where each iteration point writes. For a reduction the strides of
    /// the reduced axes are 0: many iteration points meet in one element.
    pub map: IndexMap,
    /// `None`: plain store (every element written once). `Some(op)`: the
    /// value is combined into the element with `op`; the runtime fills the
    /// buffer with `op`'s starting value ([`reduce_init`]) before the kernel runs.
    pub combine: Option<ReduceOp>,
}

/// Index of a value in [`Kernel::body`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValueId(pub u32);

impl fmt::Display for ValueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// How a body value is computed at one iteration point.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// The element of [`Kernel::loads`]`[k]` at this point.
    Load(usize),
    /// The run-time scalar [`Kernel::scalars`]`[k]`.
    Scalar(usize),
    /// An elementwise function of earlier values (as many as its arity),
    /// the same vocabulary graph nodes use. A cast converts to the
    /// instruction's dtype.
    Apply(Elementwise, Vec<ValueId>),
}

impl Expr {
    /// The body values this expression reads.
    pub fn operands(&self) -> &[ValueId] {
        match self {
            Expr::Load(_) | Expr::Scalar(_) => &[],
            Expr::Apply(_, operands) => operands,
        }
    }
}

/// One body instruction: an expression and the dtype it produces.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Instr {
    /// What is computed.
    pub expr: Expr,
    /// The result's dtype.
    pub dtype: DType,
}

/// A fused loop nest: for every point of `shape` (row-major), evaluate the
/// body in order and perform the stores.
#[derive(Clone, Debug, PartialEq)]
pub struct Kernel {
    /// The iteration space. Adjacent axes that every map walks contiguously
    /// are merged by the scheduler, so most elementwise kernels are 1-d.
    pub shape: Vec<usize>,
    /// Buffers read.
    pub loads: Vec<Load>,
    /// Run-time scalar arguments (the graph's constants). Their values are
    /// not part of the compiled code: a new constant does not recompile.
    pub scalars: Vec<Scalar>,
    /// The computation, in SSA order.
    pub body: Vec<Instr>,
    /// Buffers written.
    pub stores: Vec<Store>,
}

/// The structure of a kernel that its compiled code depends on: everything
/// but buffer identities, map offsets and scalar values. Kernels with equal
/// keys share one compiled function.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KernelKey {
    shape: Vec<usize>,
    loads: Vec<(DType, Vec<isize>)>,
    scalars: Vec<DType>,
    body: Vec<Instr>,
    stores: Vec<(ValueId, DType, Vec<isize>, Option<ReduceOp>)>,
}

impl Kernel {
    /// The compiled-code cache key of this kernel.
    pub fn key(&self) -> KernelKey {
        KernelKey {
            shape: self.shape.clone(),
            loads: self
                .loads
                .iter()
                .map(|l| (l.dtype, l.map.strides.clone()))
                .collect(),
            scalars: self.scalars.iter().map(|s| s.dtype()).collect(),
            body: self.body.clone(),
            stores: self
                .stores
                .iter()
                .map(|s| (s.value, s.dtype, s.map.strides.clone(), s.combine))
                .collect(),
        }
    }

    /// The index maps of every load, then every store: for rewriting the
    /// iteration space (reordering, merging or splitting axes), which must
    /// move all of them alike.
    pub fn maps_mut(&mut self) -> impl Iterator<Item = &mut IndexMap> {
        self.loads
            .iter_mut()
            .map(|l| &mut l.map)
            .chain(self.stores.iter_mut().map(|s| &mut s.map))
    }

    /// Number of iteration points.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether the iteration space is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends this kernel's text form to `out`.
    pub fn write_text(&self, out: &mut String) {
        let dims: Vec<String> = self.shape.iter().map(|d| d.to_string()).collect();
        let _ = writeln!(out, "kernel [{}] {{", dims.join(", "));
        for (i, instr) in self.body.iter().enumerate() {
            let text = match &instr.expr {
                Expr::Load(k) => {
                    let load = &self.loads[*k];
                    format!("load {}{}", load.buffer, map_text(&load.map))
                }
                Expr::Scalar(k) => format!("scalar {}", self.scalars[*k]),
                Expr::Apply(function, operands) => {
                    let operands: Vec<String> = operands.iter().map(|v| v.to_string()).collect();
                    format!("{} {}", function.name(), operands.join(", "))
                }
            };
            let _ = writeln!(out, "  v{i} = {text} : {}", instr.dtype);
        }
        for store in &self.stores {
            let verb = match store.combine {
                None => "store".to_string(),
                Some(op) => format!("accumulate.{}", op.name()),
            };
            let _ = writeln!(
                out,
                "  {verb} {} -> {}{}",
                store.value,
                store.buffer,
                map_text(&store.map)
            );
        }
        out.push_str("}\n");
    }
}

fn map_text(map: &IndexMap) -> String {
    let strides: Vec<String> = map.strides.iter().map(|s| s.to_string()).collect();
    if map.offset == 0 {
        format!(" strides [{}]", strides.join(", "))
    } else {
        format!(" offset {} strides [{}]", map.offset, strides.join(", "))
    }
}

/// A step of a schedule.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A fused, compiled loop nest.
    Kernel(Kernel),
    /// An op run by a library routine rather than generated code (argmax,
    /// and later matmul, sort, linalg...). Its operands are whole
    /// contiguous buffers.
    Library {
        /// The op.
        op: Op,
        /// Operand buffers, with their types.
        args: Vec<(BufferId, TensorType)>,
        /// The result buffer and its type.
        output: (BufferId, TensorType),
    },
    /// Consecutive kernels run one block of rows at a time (fusion rule 5).
    RowBlocks(RowBlocks),
}

/// Kernels that only ever combine values within a row (a reduction along
/// the row, then a use of its result along the same row: softmax, a
/// normalization), run together one block of rows at a time: kernel 1
/// over the block, kernel 2 over the block, ..., then the next block. A
/// block's rows of every buffer the kernels touch stay in cache between
/// the kernels, instead of each kernel streaming the whole arrays through
/// memory. Row `r`'s result is computed by the same code in the same order
/// as when each kernel runs over all rows, so the results are the same bit
/// for bit, whatever the block size and thread count.
///
/// Axis 0 of every kernel has `m * rows` points for some `m >= 1` (its own:
/// 1 for a reduction along the rows, the row length for an elementwise
/// kernel whose axes were merged into one), and row `r` is its points
/// `[r * m, (r + 1) * m)`. Every store writes, for row `r`, exactly the
/// elements `[r * s, (r + 1) * s)` of its buffer (`s` elements per row; no
/// store combines over rows). A buffer a kernel writes and a later kernel
/// of the step reads is read row-locally: row `r` reads only row `r`'s
/// elements.
#[derive(Clone, Debug, PartialEq)]
pub struct RowBlocks {
    /// The number of rows.
    pub rows: usize,
    /// The kernels, in the order they run on each block.
    pub kernels: Vec<Kernel>,
    /// Buffers written and read only inside this step (temporaries no later
    /// step reads). They are never allocated whole: each block of rows
    /// computes them into a scratch buffer holding just its rows, which
    /// serves block after block.
    pub scratch: Vec<BufferId>,
    /// Bytes of every buffer the kernels touch, per row (a buffer read the
    /// same for every row counts nothing): the runtime sizes its blocks by it.
    pub bytes_per_row: usize,
}

impl Step {
    /// The kernels this step runs: one, several (row blocks), or none (a
    /// library call).
    pub fn kernels(&self) -> &[Kernel] {
        match self {
            Step::Kernel(kernel) => std::slice::from_ref(kernel),
            Step::RowBlocks(blocks) => &blocks.kernels,
            Step::Library { .. } => &[],
        }
    }

    /// The buffers this step reads (with repeats).
    pub fn reads(&self) -> Vec<BufferId> {
        match self {
            Step::Library { args, .. } => args.iter().map(|(b, _)| *b).collect(),
            _ => self
                .kernels()
                .iter()
                .flat_map(|k| k.loads.iter().map(|l| l.buffer))
                .collect(),
        }
    }
}

/// A whole scheduled program.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// Every buffer the program touches.
    pub buffers: Vec<BufferDecl>,
    /// What to run, in order.
    pub steps: Vec<Step>,
    /// The graph's outputs: for each, the buffer holding it (contiguous,
    /// row-major) and its type.
    pub outputs: Vec<(BufferId, TensorType)>,
}

impl Schedule {
    /// The text form: buffers, then each step.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for (i, b) in self.buffers.iter().enumerate() {
            let role = match b.role {
                BufferRole::Input(k) => format!("input {k}"),
                BufferRole::Output => "output".to_string(),
                BufferRole::Temporary => "temporary".to_string(),
            };
            let zeroed = if b.zeroed { " zeroed" } else { "" };
            let _ = writeln!(out, "b{i} = {role} {}[{}]{zeroed}", b.dtype, b.len);
        }
        for step in &self.steps {
            match step {
                Step::Kernel(kernel) => kernel.write_text(&mut out),
                Step::Library { op, args, output } => {
                    let args: Vec<String> = args.iter().map(|(b, t)| format!("{b}: {t}")).collect();
                    let _ = writeln!(
                        out,
                        "library {:?}({}) -> {}: {}",
                        op,
                        args.join(", "),
                        output.0,
                        output.1
                    );
                }
                Step::RowBlocks(blocks) => {
                    let scratch: Vec<String> =
                        blocks.scratch.iter().map(|b| b.to_string()).collect();
                    let scratch = if scratch.is_empty() {
                        String::new()
                    } else {
                        format!(", scratch {}", scratch.join(", "))
                    };
                    let _ = writeln!(
                        out,
                        "row blocks over {} rows of {} bytes{scratch} {{",
                        blocks.rows, blocks.bytes_per_row
                    );
                    let mut kernels = String::new();
                    for kernel in &blocks.kernels {
                        kernel.write_text(&mut kernels);
                    }
                    for line in kernels.lines() {
                        let _ = writeln!(out, "  {line}");
                    }
                    out.push_str("}\n");
                }
            }
        }
        let outputs: Vec<String> = self.outputs.iter().map(|(b, _)| b.to_string()).collect();
        let _ = writeln!(out, "return {}", outputs.join(", "));
        out
    }
}

/// The value a `combine` store's buffer starts from: the identity of the
/// reduction (`-inf`/`+inf` or the integer extremes for max/min, so that
/// NaN-propagating `maximum`/`minimum` give the right result).
pub fn reduce_init(op: ReduceOp, dtype: DType) -> Scalar {
    match (op, dtype) {
        (ReduceOp::Max, DType::F32) => Scalar::F32(f32::NEG_INFINITY),
        (ReduceOp::Max, DType::F64) => Scalar::F64(f64::NEG_INFINITY),
        (ReduceOp::Max, DType::I32) => Scalar::I32(i32::MIN),
        (ReduceOp::Max, DType::I64) => Scalar::I64(i64::MIN),
        (ReduceOp::Max, DType::Bool) => Scalar::Bool(false),
        (ReduceOp::Min, DType::F32) => Scalar::F32(f32::INFINITY),
        (ReduceOp::Min, DType::F64) => Scalar::F64(f64::INFINITY),
        (ReduceOp::Min, DType::I32) => Scalar::I32(i32::MAX),
        (ReduceOp::Min, DType::I64) => Scalar::I64(i64::MAX),
        (ReduceOp::Min, DType::Bool) => Scalar::Bool(true),
        (op, dtype) => op
            .identity(dtype)
            .expect("sum, prod, any and all have identities"),
    }
}

//! Lowering materialized nodes to kernels: each kernel body is built by
//! walking its outputs' expressions back to materialized nodes, views
//! folding into the loads' index maps, constants becoming run-time scalar
//! arguments.

use super::axes::{merge_contiguous_axes, order_axes_by_loads};
use super::index_map::AxisMap;
use super::kernel::{
    BufferDecl, BufferId, Expr, IndexMap, Instr, Kernel, Load, Step, Store, ValueId,
};
use super::partition::{is_library, iteration_shape, writes_through_map};
use crate::graph::{Graph, NodeId};
use crate::op::Op;
use crate::shape::Shape;
use std::collections::HashMap;

/// Builds buffers and steps.
pub(super) struct Builder<'g> {
    graph: &'g Graph,
    /// Every buffer declared so far.
    pub(super) buffers: Vec<BufferDecl>,
    /// The buffer of each materialized node (inputs included).
    pub(super) buffer_of: HashMap<NodeId, BufferId>,
    /// The steps emitted so far, in order.
    pub(super) steps: Vec<Step>,
}

/// One kernel under construction.
struct KernelBuilder {
    shape: Vec<usize>,
    kernel: Kernel,
    memo: HashMap<(NodeId, AxisMap), ValueId>,
    /// Plain (non-reduction) roots this kernel has already computed.
    stored: HashMap<NodeId, ValueId>,
    /// Each load already emitted, with the body value that reads it.
    load_index: HashMap<(BufferId, IndexMap), (usize, ValueId)>,
}

impl<'g> Builder<'g> {
    pub(super) fn new(graph: &'g Graph) -> Builder<'g> {
        Builder {
            graph,
            buffers: Vec::new(),
            buffer_of: HashMap::new(),
            steps: Vec::new(),
        }
    }

    /// The materialized nodes a root's kernel reads (walking through
    /// everything fused into it), each with whether it is read exactly at
    /// the kernel's iteration point (identity map, same shape).
    pub(super) fn reads(&self, root: NodeId) -> Vec<(NodeId, bool)> {
        let shape = iteration_shape(self.graph, root);
        let identity = AxisMap::identity(shape.rank());
        let node = self.graph.node(root);
        let mut stack = match node.op {
            Op::Concat { .. } => self
                .concat_parts(root)
                .into_iter()
                .map(|(part, _)| (part, Some(identity.clone())))
                .collect(),
            ref op if writes_through_map(op) => vec![(node.args[0], Some(identity.clone()))],
            // A library op reads whole materialized operands, never through
            // an index map.
            _ if is_library(&node.op) => return node.args.iter().map(|&a| (a, false)).collect(),
            _ => self.operand_maps(root, &identity),
        };
        let mut reads = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some((id, map)) = stack.pop() {
            if !seen.insert((id, map.clone())) {
                continue;
            }
            match (self.buffer_of.contains_key(&id), map) {
                (true, map) => {
                    let same_point =
                        map.as_ref() == Some(&identity) && self.graph.ty(id).shape == shape;
                    reads.push((id, same_point));
                }
                (false, Some(map)) => stack.extend(self.operand_maps(id, &map)),
                (false, None) => unreachable!("only buffers are read through a reshaped layout"),
            }
        }
        reads
    }

    /// The operands of a fused node with the maps they are read through;
    /// `None` for a buffer read through a reshaped layout.
    fn operand_maps(&self, id: NodeId, map: &AxisMap) -> Vec<(NodeId, Option<AxisMap>)> {
        let node = self.graph.node(id);
        if !node.op.is_view() {
            return node.args.iter().map(|&a| (a, Some(map.clone()))).collect();
        }
        let operand = node.args[0];
        if matches!(node.op, Op::Reshape(_)) && self.buffer_of.contains_key(&operand) {
            return vec![(operand, None)];
        }
        let inner = map.through_view(&node.op, &self.graph.ty(operand).shape, &node.ty.shape);
        vec![(
            operand,
            Some(inner.expect("non-affine views have materialized operands")),
        )]
    }

    /// Emits the step computing a group of roots: one kernel (rule 4), a
    /// concat's kernels, or a library call.
    pub(super) fn emit_group(&mut self, group: &[NodeId]) {
        let first = self.graph.node(group[0]);
        if is_library(&first.op) {
            let args = first
                .args
                .iter()
                .map(|&a| (self.buffer_of[&a], self.graph.ty(a).clone()))
                .collect();
            let output = (self.buffer_of[&group[0]], first.ty.clone());
            self.steps.push(Step::Library {
                op: first.op.clone(),
                args,
                output,
            });
            return;
        }
        if let Op::Concat { .. } = first.op {
            return self.emit_concat(group[0]);
        }
        let mut k = KernelBuilder::new(iteration_shape(self.graph, group[0]).0);
        let rank = k.shape.len();
        for &root in group {
            let node = self.graph.node(root);
            let buffer = self.buffer_of[&root];
            let identity = AxisMap::identity(rank);
            let (value, combine, map) = match &node.op {
                // The reduced axes have extent 1 in the result: stride 0.
                Op::Reduce { op, .. } => (
                    self.emit(&mut k, node.args[0], identity, false),
                    Some(*op),
                    IndexMap {
                        offset: 0,
                        strides: reduced_strides(&node.ty.shape, &k.shape),
                    },
                ),
                // The operand, computed here, lands in its window of the
                // (zeroed) padded buffer.
                Op::Pad(axes) => (
                    self.emit(&mut k, node.args[0], identity, false),
                    None,
                    pad_window(&node.ty.shape, axes),
                ),
                _ => {
                    let value = self.emit(&mut k, root, identity.clone(), true);
                    k.stored.insert(root, value);
                    (value, None, identity.to_buffer(&node.ty.shape, rank))
                }
            };
            k.kernel.stores.push(Store {
                value,
                buffer,
                dtype: node.ty.dtype,
                map,
                combine,
            });
        }
        let kernel = merge_contiguous_axes(order_axes_by_loads(k.kernel));
        self.steps.push(Step::Kernel(kernel));
    }

    /// The kernels of a concat: one per operand, iterating over its shape,
    /// computing it (fused, like any root) and storing it into its window
    /// of the concat's buffer.
    fn emit_concat(&mut self, root: NodeId) {
        let buffer = self.buffer_of[&root];
        let dtype = self.graph.ty(root).dtype;
        for (part, window) in self.concat_parts(root) {
            let mut k = KernelBuilder::new(self.graph.ty(part).shape.0.clone());
            let identity = AxisMap::identity(k.shape.len());
            let value = self.emit(&mut k, part, identity, false);
            k.kernel.stores.push(Store {
                value,
                buffer,
                dtype,
                map: window,
                combine: None,
            });
            self.steps
                .push(Step::Kernel(merge_contiguous_axes(k.kernel)));
        }
    }

    /// The operands a materialized concat's kernels compute, in order, each
    /// with its window of the concat's buffer. An operand that is itself a
    /// concat without a buffer of its own (its only use is here) is looked
    /// through: its operands land in windows inside its window.
    fn concat_parts(&self, root: NodeId) -> Vec<(NodeId, IndexMap)> {
        let strides = self.graph.ty(root).shape.contiguous_strides();
        let mut parts = Vec::new();
        let mut stack = vec![(root, 0isize)];
        while let Some((id, offset)) = stack.pop() {
            let node = self.graph.node(id);
            match node.op {
                Op::Concat { axis } if id == root || !self.buffer_of.contains_key(&id) => {
                    let mut start = offset;
                    let mut operands = Vec::with_capacity(node.args.len());
                    for &a in &node.args {
                        operands.push((a, start));
                        start += self.graph.ty(a).shape.0[axis] as isize * strides[axis];
                    }
                    stack.extend(operands.into_iter().rev());
                }
                _ => parts.push((
                    id,
                    IndexMap {
                        offset,
                        strides: strides.clone(),
                    },
                )),
            }
        }
        parts
    }

    /// The value of node `id` at the iteration point `map`: read from its
    /// buffer if it is materialized (unless `compute`, for the root a kernel
    /// computes), else computed from its operands. Iterative, with an
    /// explicit stack: fused chains can be thousands of nodes deep.
    ///
    /// A constant (or a view of one) gets a scalar argument of its own at
    /// every use, never shared by value or by node: the graph merges equal
    /// constants into one node, so sharing would give `x * c + 2.5` another
    /// kernel, compiled anew, in the one iteration of a loop where `c` is
    /// 2.5 (DESIGN.md: a changing scalar never recompiles).
    fn emit(&self, k: &mut KernelBuilder, id: NodeId, map: AxisMap, compute: bool) -> ValueId {
        enum Task {
            /// Produce the value of a node at a map (`compute`: even if
            /// materialized).
            Visit(NodeId, AxisMap, bool),
            /// Its operands' values are the last `usize` on the value stack.
            Finish(NodeId, AxisMap, usize),
        }
        let mut tasks = vec![Task::Visit(id, map, compute)];
        let mut values: Vec<ValueId> = Vec::new();
        while let Some(task) = tasks.pop() {
            match task {
                Task::Visit(id, map, compute) => {
                    let per_use = self.is_constant(id);
                    let known = (!per_use)
                        .then(|| k.memo.get(&(id, map.clone())).copied())
                        .flatten()
                        .or_else(|| (!compute).then(|| self.emit_leaf(k, id, &map)).flatten());
                    if let Some(value) = known {
                        values.push(value);
                        continue;
                    }
                    let operands = self.fused_operands(id, &map);
                    tasks.push(Task::Finish(id, map, operands.len()));
                    for (operand, operand_map) in operands.into_iter().rev() {
                        tasks.push(Task::Visit(operand, operand_map, false));
                    }
                }
                Task::Finish(id, map, count) => {
                    let operands = values.split_off(values.len() - count);
                    let value = self.emit_operation(k, id, &map, &operands);
                    if !self.is_constant(id) {
                        k.memo.insert((id, map), value);
                    }
                    values.push(value);
                }
            }
        }
        values.pop().expect("the requested node's value")
    }

    /// Whether a fused node is a constant or a view of one (a filled array
    /// is `broadcast(const)`): its value is a scalar argument.
    fn is_constant(&self, mut id: NodeId) -> bool {
        loop {
            if self.buffer_of.contains_key(&id) {
                return false;
            }
            let node = self.graph.node(id);
            match &node.op {
                Op::Const(_) => return true,
                op if op.is_view() => id = node.args[0],
                _ => return false,
            }
        }
    }

    /// The value of `id` if it needs no computation here: stored earlier
    /// in this kernel (grouping guarantees the same iteration point), or
    /// read from its buffer.
    fn emit_leaf(&self, k: &mut KernelBuilder, id: NodeId, map: &AxisMap) -> Option<ValueId> {
        let value = if let Some(&value) = k.stored.get(&id) {
            value
        } else if let Some(&buffer) = self.buffer_of.get(&id) {
            let ty = self.graph.ty(id);
            let index_map = map.to_buffer(&ty.shape, k.shape.len());
            k.load(buffer, ty.dtype, index_map)
        } else {
            return None;
        };
        k.memo.insert((id, map.clone()), value);
        Some(value)
    }

    /// The operands a fused node's value is computed from, with the maps
    /// they are read through (none for a constant, or for a reshape of a
    /// buffer, which is a load of its own).
    fn fused_operands(&self, id: NodeId, map: &AxisMap) -> Vec<(NodeId, AxisMap)> {
        let node = self.graph.node(id);
        match &node.op {
            Op::Const(_) => Vec::new(),
            op if op.is_view() => {
                let operand = node.args[0];
                if matches!(op, Op::Reshape(_)) && self.buffer_of.contains_key(&operand) {
                    return Vec::new();
                }
                let inner = map
                    .through_view(op, &self.graph.ty(operand).shape, &node.ty.shape)
                    .expect("non-affine views have materialized operands");
                vec![(operand, inner)]
            }
            op if op.is_elementwise() => node.args.iter().map(|&a| (a, map.clone())).collect(),
            other => unreachable!("{} nodes are materialized, never fused", other.name()),
        }
    }

    /// The instruction computing fused node `id` from its operands' values
    /// (in [`Builder::fused_operands`] order).
    fn emit_operation(
        &self,
        k: &mut KernelBuilder,
        id: NodeId,
        map: &AxisMap,
        operands: &[ValueId],
    ) -> ValueId {
        let node = self.graph.node(id);
        let dtype = node.ty.dtype;
        if let Some(function) = node.op.elementwise() {
            return k.push(Expr::Apply(function, operands.to_vec()), dtype);
        }
        match &node.op {
            Op::Const(value) => {
                k.kernel.scalars.push(*value);
                k.push(Expr::Scalar(k.kernel.scalars.len() - 1), dtype)
            }
            // A reshape of a buffer is the same buffer read with the
            // reshaped row-major layout.
            Op::Reshape(_) if operands.is_empty() => {
                let buffer = self.buffer_of[&node.args[0]];
                k.load(buffer, dtype, map.to_buffer(&node.ty.shape, k.shape.len()))
            }
            // Any other view only moved the map: its value is its operand's.
            op if op.is_view() => operands[0],
            other => unreachable!("{} nodes are materialized, never fused", other.name()),
        }
    }
}

impl KernelBuilder {
    /// An empty kernel over `shape`.
    fn new(shape: Vec<usize>) -> KernelBuilder {
        KernelBuilder {
            shape: shape.clone(),
            kernel: Kernel {
                shape,
                loads: Vec::new(),
                scalars: Vec::new(),
                body: Vec::new(),
                stores: Vec::new(),
            },
            memo: HashMap::new(),
            stored: HashMap::new(),
            load_index: HashMap::new(),
        }
    }

    /// The value of a buffer element at the iteration point: one load per
    /// buffer and map, and one body instruction reading it, however many
    /// nodes read it (two loads of one address would both be executed).
    fn load(&mut self, buffer: BufferId, dtype: crate::dtype::DType, map: IndexMap) -> ValueId {
        let key = (buffer, map);
        if let Some(&(_, value)) = self.load_index.get(&key) {
            return value;
        }
        let load = self.kernel.loads.len();
        self.kernel.loads.push(Load {
            buffer,
            dtype,
            map: key.1.clone(),
        });
        let value = self.push(Expr::Load(load), dtype);
        self.load_index.insert(key, (load, value));
        value
    }

    fn push(&mut self, expr: Expr, dtype: crate::dtype::DType) -> ValueId {
        self.kernel.body.push(Instr { expr, dtype });
        ValueId(self.kernel.body.len() as u32 - 1)
    }
}

/// Where element `i` of a pad's operand goes in the padded buffer: past
/// `low` zeros on each axis, `interior + 1` elements apart.
fn pad_window(padded: &Shape, axes: &[crate::op::PadAxis]) -> IndexMap {
    let strides = padded.contiguous_strides();
    IndexMap {
        offset: axes
            .iter()
            .zip(&strides)
            .map(|(p, &s)| p.low as isize * s)
            .sum(),
        strides: axes
            .iter()
            .zip(&strides)
            .map(|(p, &s)| s * (p.interior as isize + 1))
            .collect(),
    }
}

/// Store strides of a reduction result (reduced axes have extent 1) over
/// the iteration space of its operand: row-major strides, 0 on reduced axes.
fn reduced_strides(result: &Shape, iteration: &[usize]) -> Vec<isize> {
    let strides = result.contiguous_strides();
    iteration
        .iter()
        .zip(&result.0)
        .zip(strides)
        .map(|((&n, &r), s)| if r == 1 && n != 1 { 0 } else { s })
        .collect()
}

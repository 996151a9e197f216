//! Cutting an optimized graph into kernels (DESIGN.md, "Fusion rules").
//!
//! 1. Choose the *materialized* nodes: graph outputs, reductions, pads,
//!    concats, library ops and their operands, expensive nodes with several
//!    users, and the operands of reshapes that cannot fold into an index
//!    map. Everything else (elementwise ops, casts, views, constants) is
//!    fused into the kernels that read it, recomputed if several kernels do
//!    (rules 1, 3).
//! 2. Each materialized node is a kernel output; a reduction's kernel
//!    iterates over its operand's shape and absorbs its producers (rule 2).
//!    A concat has one kernel per operand, each computing its operand
//!    straight into the operand's window of the concat's buffer (the
//!    windows tile it: nothing is copied, nothing zero-filled).
//! 3. Outputs over the same iteration shape share one kernel when their
//!    inputs are ready by then (rule 4: e.g. a value and its gradient).
//! 4. Kernel bodies are built by walking each output's expression back to
//!    materialized nodes, views folding into the loads' index maps; then
//!    iteration axes that every map walks contiguously are merged.
//! 5. Runs of kernels that only combine values within rows become row
//!    blocks (rule 5, see `row_blocks.rs`).

use super::index_map::{reshape_is_affine, AxisMap};
use super::kernel::{
    BufferDecl, BufferId, BufferRole, Expr, IndexMap, Instr, Kernel, Load, Schedule, Step, Store,
    ValueId,
};
use crate::graph::{Graph, NodeId};
use crate::op::{Elementwise, Op, ROUTINE_COST};
use crate::shape::Shape;
use std::collections::HashMap;

/// Schedules a graph (ideally optimized first) into kernels and library calls.
pub fn schedule(graph: &Graph) -> Schedule {
    let (materialized, cost) = choose_materialized(graph);
    let mut builder = Builder::new(graph);
    for id in graph.inputs() {
        builder
            .buffer_of
            .insert(*id, BufferId(builder.buffers.len() as u32));
        let index = match graph.node(*id).op {
            Op::Input(k) => k,
            _ => unreachable!("graph inputs are Input nodes"),
        };
        builder.buffers.push(BufferDecl {
            dtype: graph.ty(*id).dtype,
            len: graph.ty(*id).shape.numel(),
            role: BufferRole::Input(index),
            zeroed: false,
        });
    }
    let outputs: Vec<NodeId> = graph.outputs().to_vec();
    let mut roots = Vec::new();
    for id in graph.ids().filter(|id| materialized[id.index()]) {
        let node = graph.node(id);
        let is_output = outputs.contains(&id);
        // A reshape of a buffer is that buffer, relabelled: no copy.
        if let (Op::Reshape(_), Some(&buffer)) = (
            &node.op,
            node.args.first().and_then(|a| builder.buffer_of.get(a)),
        ) {
            builder.buffer_of.insert(id, buffer);
            let decl = &mut builder.buffers[buffer.0 as usize];
            if is_output && decl.role == BufferRole::Temporary {
                decl.role = BufferRole::Output;
            }
            continue;
        }
        let role = if is_output {
            BufferRole::Output
        } else {
            BufferRole::Temporary
        };
        builder
            .buffer_of
            .insert(id, BufferId(builder.buffers.len() as u32));
        builder.buffers.push(BufferDecl {
            dtype: node.ty.dtype,
            len: node.ty.shape.numel(),
            role,
            zeroed: matches!(node.op, Op::Pad(_)),
        });
        roots.push(id);
    }
    for group in group_roots(graph, &roots, &cost, &builder) {
        builder.emit_group(&group);
    }
    let outputs = outputs
        .iter()
        .map(|&o| (builder.buffer_of[&o], graph.ty(o).clone()))
        .collect();
    let mut schedule = Schedule {
        buffers: builder.buffers,
        steps: builder.steps,
        outputs,
    };
    super::row_blocks::form_row_blocks(&mut schedule);
    #[cfg(debug_assertions)]
    if let Err(error) = schedule.verify() {
        panic!(
            "the scheduler built an invalid schedule: {error}\n{}",
            schedule.dump()
        );
    }
    schedule
}

/// Ops computed by a library routine rather than generated code.
fn is_library(op: &Op) -> bool {
    matches!(op, Op::ArgReduce { .. })
}

/// Ops whose kernel iterates over their operand's shape and writes their
/// result through a non-identity map: reductions (accumulating), pads
/// (storing the operand into a window of a zeroed buffer) and concats (one
/// kernel per operand, each storing into its window). Their result is
/// complete only after their whole kernel (or kernels) has run.
fn writes_through_map(op: &Op) -> bool {
    matches!(op, Op::Reduce { .. } | Op::Pad(_) | Op::Concat { .. })
}

/// A node's own fused cost: its elementwise function's
/// ([`Elementwise::cost`]: 1 inline, [`ROUTINE_COST`] for a routine call),
/// nothing for views and concats (index maps), 1 for anything else.
fn own_cost(graph: &Graph, id: NodeId) -> usize {
    let node = graph.node(id);
    match node.op.elementwise() {
        Some(function) => {
            // A select's condition is a bool: its branches say the dtype.
            let typed = node.args[usize::from(function == Elementwise::Select)];
            function.cost(graph.ty(typed).dtype)
        }
        None if node.op.is_view() || matches!(node.op, Op::Concat { .. }) => 0,
        None => 1,
    }
}

/// Nodes worth storing rather than recomputing in each user (rule 3):
/// routine calls.
fn is_expensive(graph: &Graph, id: NodeId) -> bool {
    graph.node(id).op.is_elementwise() && own_cost(graph, id) > 1
}

/// Which nodes get a buffer, and each node's fused cost (see
/// [`limit_kernel_size`]).
fn choose_materialized(graph: &Graph) -> (Vec<bool>, Vec<usize>) {
    let live = graph.live();
    let uses = graph.use_counts();
    let mut materialized = vec![false; graph.len()];
    for &o in graph.outputs() {
        materialized[o.index()] = true;
    }
    // A concat whose one use is as an operand of another concat is written
    // by that concat's kernels, into a window of its buffer.
    let mut inside_concat = vec![false; graph.len()];
    for id in graph.ids().filter(|id| live[id.index()]) {
        if let Op::Concat { .. } = graph.node(id).op {
            for a in &graph.node(id).args {
                inside_concat[a.index()] = uses[a.index()] == 1;
            }
        }
    }
    // Users come after operands, so one backward sweep sees every reason a
    // node must be stored before reaching the node itself.
    for id in graph.ids().rev() {
        let node = graph.node(id);
        if !live[id.index()] {
            continue;
        }
        if node.op.is_reduction()
            || is_library(&node.op)
            || matches!(node.op, Op::Pad(_))
            || (matches!(node.op, Op::Concat { .. }) && !inside_concat[id.index()])
            || (uses[id.index()] > 1 && is_expensive(graph, id))
        {
            materialized[id.index()] = true;
        }
        if is_library(&node.op) {
            for a in &node.args {
                materialized[a.index()] = true;
            }
        }
        if let Op::Reshape(shape) = &node.op {
            let operand = node.args[0];
            if !reshape_is_affine(&graph.ty(operand).shape, shape) {
                materialized[operand.index()] = true;
            }
        }
    }
    // Inputs are buffers already; constants never need one unless returned.
    for id in graph.ids() {
        if matches!(graph.node(id).op, Op::Input(_)) {
            materialized[id.index()] = false;
        }
    }
    let cost = limit_kernel_size(graph, &live, &mut materialized);
    (materialized, cost)
}

/// The most work one fused expression may carry (an op costs 1, a
/// routine call [`ROUTINE_COST`]). Cranelift's compile time grows
/// faster than linearly with function size, and very long chains (built
/// by loops, or by differentiating them) would make one huge kernel.
const MAX_FUSED_COST: usize = 512;

/// Materializes nodes along chains whose fused cost since the last
/// materialized node would pass [`MAX_FUSED_COST`]. The cost of a node is
/// its own plus the largest of its operands' (the longest chain, a cheap
/// stand-in for the size of its expression tree). Returns each node's cost
/// (for a materialized node, the cost of computing it in its kernel).
fn limit_kernel_size(graph: &Graph, live: &[bool], materialized: &mut [bool]) -> Vec<usize> {
    let mut cost = vec![0usize; graph.len()];
    for id in graph.ids() {
        let node = graph.node(id);
        if !live[id.index()] || matches!(node.op, Op::Input(_) | Op::Const(_)) {
            continue;
        }
        let own = own_cost(graph, id);
        // A broadcast that repeats a fused vector-math call would redo the
        // call for every copy: store the operand once instead (rule 3).
        if let Op::Broadcast(shape) = &node.op {
            let operand = node.args[0];
            let repeats = shape.numel() > graph.ty(operand).shape.numel();
            if repeats && !materialized[operand.index()] && cost[operand.index()] >= ROUTINE_COST {
                materialized[operand.index()] = true;
            }
        }
        let operand_cost = |a: &NodeId| {
            if materialized[a.index()] {
                0
            } else {
                cost[a.index()]
            }
        };
        let mut chain = own + node.args.iter().map(operand_cost).max().unwrap_or(0);
        if chain > MAX_FUSED_COST && !is_library(&node.op) {
            // Store the operands: this node starts a new chain.
            for a in &node.args {
                if !matches!(graph.node(*a).op, Op::Input(_) | Op::Const(_)) {
                    materialized[a.index()] = true;
                }
            }
            chain = own;
        }
        cost[id.index()] = chain;
    }
    cost
}

/// The iteration shape of a root's kernel: its operand's shape for a
/// reduction or a pad, its own otherwise (a concat, whose kernels iterate
/// over each operand's shape, never shares them with other roots).
fn iteration_shape(graph: &Graph, root: NodeId) -> Shape {
    let node = graph.node(root);
    match node.op {
        Op::Reduce { .. } | Op::Pad(_) => graph.ty(node.args[0]).shape.clone(),
        _ => node.ty.shape.clone(),
    }
}

/// Roots grouped into steps, in execution order (rule 4). A root joins the
/// first group of its iteration shape that comes after everything it reads,
/// or the very group that computes what it reads, when it reads that value
/// at the same iteration point (so `sum(e)` shares the loop that computes
/// and stores `e`). A reduction's result is complete only after its whole
/// kernel, so its readers always come later.
///
/// A group's total fused cost stays within [`MAX_FUSED_COST`], so sharing
/// loops never rebuilds the huge kernels [`limit_kernel_size`] split.
fn group_roots(
    graph: &Graph,
    roots: &[NodeId],
    cost: &[usize],
    builder: &Builder,
) -> Vec<Vec<NodeId>> {
    struct Group {
        shape: Option<Shape>,
        roots: Vec<NodeId>,
        cost: usize,
    }
    let mut groups: Vec<Group> = Vec::new();
    // Keyed by buffer: a read may name a reshape aliasing a root's buffer.
    let mut group_of: HashMap<BufferId, (usize, NodeId)> = HashMap::new();
    for &root in roots {
        let earliest = builder
            .reads(root)
            .into_iter()
            .filter_map(|(read, same_point)| {
                let &(group, producer) = group_of.get(&builder.buffer_of[&read])?;
                let shares_loop = same_point
                    && read == producer
                    && !writes_through_map(&graph.node(read).op)
                    && !is_library(&graph.node(read).op);
                Some(if shares_loop { group } else { group + 1 })
            })
            .max()
            .unwrap_or(0);
        // Library ops and concats run as steps of their own.
        let op = &graph.node(root).op;
        let fusible = !is_library(op) && !matches!(op, Op::Concat { .. });
        let shape = fusible.then(|| iteration_shape(graph, root));
        let root_cost = cost[root.index()];
        let target = (earliest..groups.len()).find(|&g| {
            shape.is_some()
                && groups[g].shape == shape
                && groups[g].cost + root_cost <= MAX_FUSED_COST
        });
        let index = target.unwrap_or_else(|| {
            groups.push(Group {
                shape,
                roots: Vec::new(),
                cost: 0,
            });
            groups.len() - 1
        });
        groups[index].roots.push(root);
        groups[index].cost += root_cost;
        group_of.insert(builder.buffer_of[&root], (index, root));
    }
    groups.into_iter().map(|g| g.roots).collect()
}

/// Builds buffers and steps.
struct Builder<'g> {
    graph: &'g Graph,
    buffers: Vec<BufferDecl>,
    buffer_of: HashMap<NodeId, BufferId>,
    steps: Vec<Step>,
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
    fn new(graph: &'g Graph) -> Builder<'g> {
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
    fn reads(&self, root: NodeId) -> Vec<(NodeId, bool)> {
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

    fn emit_group(&mut self, group: &[NodeId]) {
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

/// Reorders the iteration axes of a kernel whose stores all accumulate
/// (nothing it writes fixes an order) so that its loads walk memory
/// outermost-first, as NumPy's iterator orders axes: `x.t().sum(..)` then
/// reads `x` contiguously (one pairwise-summed row) instead of jumping a
/// row per element, and `x.t().sum(0)` becomes a reduction along the
/// innermost axis. An insertion sort moves axis `b` outside its neighbour
/// `a` when every load that moves along both walks `b` with the larger
/// stride; loads that do not move along both, or disagree, keep the order.
fn order_axes_by_loads(mut kernel: Kernel) -> Kernel {
    let rank = kernel.shape.len();
    if rank < 2 || kernel.stores.iter().any(|s| s.combine.is_none()) {
        return kernel;
    }
    let outside = |a: usize, b: usize| {
        let mut any = false;
        for load in &kernel.loads {
            let (a, b) = (
                load.map.strides[a].unsigned_abs(),
                load.map.strides[b].unsigned_abs(),
            );
            if a == 0 || b == 0 || a == b {
                continue;
            }
            if a > b {
                return false;
            }
            any = true;
        }
        any
    };
    let mut order: Vec<usize> = (0..rank).collect();
    for i in 1..rank {
        let mut j = i;
        while j > 0 && outside(order[j - 1], order[j]) {
            order.swap(j - 1, j);
            j -= 1;
        }
    }
    if order.iter().enumerate().all(|(i, &a)| i == a) {
        return kernel;
    }
    kernel.shape = order.iter().map(|&a| kernel.shape[a]).collect();
    for map in kernel.maps_mut() {
        map.strides = order.iter().map(|&a| map.strides[a]).collect();
    }
    kernel
}

/// Merges adjacent iteration axes that every load and store walks as one
/// (`stride[j] == stride[j+1] * extent[j+1]`), and drops extent-1 axes, so
/// contiguous kernels of any rank become 1-d loops with equal cache keys.
fn merge_contiguous_axes(mut kernel: Kernel) -> Kernel {
    // (The maps are borrowed field by field: the shape is read meanwhile.)
    let mut maps: Vec<&mut IndexMap> = kernel.loads.iter_mut().map(|l| &mut l.map).collect();
    maps.extend(kernel.stores.iter_mut().map(|s| &mut s.map));
    // Drop extent-1 axes (their stride never matters), unless that empties
    // a non-empty space... a 0-d space is fine: codegen runs its one point.
    let keep: Vec<bool> = kernel.shape.iter().map(|&d| d != 1).collect();
    let mut shape: Vec<usize> = kernel.shape.iter().copied().filter(|&d| d != 1).collect();
    for map in maps.iter_mut() {
        map.strides = map
            .strides
            .iter()
            .zip(&keep)
            .filter(|(_, &k)| k)
            .map(|(&s, _)| s)
            .collect();
    }
    let mut j = shape.len();
    while j > 1 {
        j -= 1;
        let mergeable = maps
            .iter()
            .all(|m| m.strides[j - 1] == m.strides[j] * shape[j] as isize);
        if mergeable {
            shape[j - 1] *= shape[j];
            shape.remove(j);
            for map in maps.iter_mut() {
                map.strides.remove(j - 1);
            }
        }
    }
    kernel.shape = shape;
    kernel
}

//! The hash-consed expression graph.

use crate::buffer::Tensor;
use crate::error::{IrError, Result};
use crate::op::{Op, TensorType};
use crate::scalar::Scalar;
use hashbrown::HashTable;
use std::fmt;
use std::hash::BuildHasher;

/// Index of a node in its [`Graph`]'s arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The arena index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for NodeId {
    /// `%7`, as in the text form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "%{}", self.0)
    }
}

/// One node: an op, its operands and its static type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    /// What the node computes.
    pub op: Op,
    /// Operands, all earlier in the arena.
    pub args: Vec<NodeId>,
    /// Shape and dtype.
    pub ty: TensorType,
}

/// An expression DAG in an arena.
///
/// Nodes are appended only after their operands, so arena order is a
/// topological order and every pass can walk the graph with a plain loop
/// (never recursion, which long user chains would overflow). Building a node
/// that already exists returns the existing id (hash-consing), which makes
/// common-subexpression elimination a by-product of construction.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    /// Every node, found by the hash of its op and operands.
    dedup: HashTable<NodeId>,
    inputs: Vec<NodeId>,
    outputs: Vec<NodeId>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Adds the next input (`Input(k)` with `k` = number of inputs so far).
    pub fn input(&mut self, ty: TensorType) -> NodeId {
        let index = self.inputs.len();
        let id = self.push(Node {
            op: Op::Input(index),
            args: Vec::new(),
            ty,
        });
        self.inputs.push(id);
        id
    }

    /// A 0-d constant.
    pub fn constant(&mut self, value: Scalar) -> NodeId {
        self.add(Op::Const(value), &[])
            .expect("a constant always type-checks")
    }

    /// Adds `op` applied to `args`, checking the op's shape and dtype rule;
    /// returns the existing node if an identical one is already present.
    pub fn add(&mut self, op: Op, args: &[NodeId]) -> Result<NodeId> {
        if let Some(id) = self.existing(&op, args) {
            return Ok(id);
        }
        if let Some(bad) = args.iter().find(|a| a.index() >= self.nodes.len()) {
            return Err(IrError::Type {
                op: op.name(),
                message: format!("operand {bad} does not exist"),
            });
        }
        let arg_types: Vec<&TensorType> = args.iter().map(|&a| &self.nodes[a.index()].ty).collect();
        let ty = op.infer(&arg_types)?;
        Ok(self.push(Node {
            op,
            args: args.to_vec(),
            ty,
        }))
    }

    /// [`Graph::add`] for a caller that already knows the node's type (it
    /// applied the op's rule itself, as the lazy array layer does when an
    /// array is built): skips re-deriving it. Debug builds check it.
    pub fn add_with_type(&mut self, op: Op, args: &[NodeId], ty: TensorType) -> NodeId {
        if let Some(id) = self.existing(&op, args) {
            return id;
        }
        debug_assert_eq!(
            op.infer(
                &args
                    .iter()
                    .map(|&a| &self.nodes[a.index()].ty)
                    .collect::<Vec<_>>()
            )
            .as_ref(),
            Ok(&ty),
            "add_with_type: the stated type is not the op's"
        );
        self.push(Node {
            op,
            args: args.to_vec(),
            ty,
        })
    }

    /// The node computing `op` of `args`, if there is one.
    fn existing(&self, op: &Op, args: &[NodeId]) -> Option<NodeId> {
        let nodes = &self.nodes;
        self.dedup
            .find(dedup_hash(op, args), |&id| {
                let node = &nodes[id.index()];
                node.op == *op && node.args == args
            })
            .copied()
    }

    /// Appends a node known not to exist yet.
    fn push(&mut self, node: Node) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        let nodes = &self.nodes;
        self.dedup
            .insert_unique(dedup_hash(&node.op, &node.args), id, |&other| {
                let other = &nodes[other.index()];
                dedup_hash(&other.op, &other.args)
            });
        self.nodes.push(node);
        id
    }

    /// The node behind an id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The type of a node.
    pub fn ty(&self, id: NodeId) -> &TensorType {
        &self.nodes[id.index()].ty
    }

    /// All nodes, in topological (arena) order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Ids of all nodes, in topological order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = NodeId> + ExactSizeIterator + '_ {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The input nodes, by input index.
    pub fn inputs(&self) -> &[NodeId] {
        &self.inputs
    }

    /// The nodes whose values the graph returns.
    pub fn outputs(&self) -> &[NodeId] {
        &self.outputs
    }

    /// Sets the returned nodes.
    pub fn set_outputs(&mut self, outputs: Vec<NodeId>) {
        self.outputs = outputs;
    }

    /// How many nodes use each node as an operand (outputs count once each).
    pub fn use_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.nodes.len()];
        for node in &self.nodes {
            for a in &node.args {
                counts[a.index()] += 1;
            }
        }
        for o in &self.outputs {
            counts[o.index()] += 1;
        }
        counts
    }

    /// Which nodes the outputs depend on (the others are dead).
    pub fn live(&self) -> Vec<bool> {
        let mut live = vec![false; self.nodes.len()];
        for o in &self.outputs {
            live[o.index()] = true;
        }
        for i in (0..self.nodes.len()).rev() {
            if live[i] {
                for a in &self.nodes[i].args {
                    live[a.index()] = true;
                }
            }
        }
        live
    }
}

/// The hash-consing hash of a node: its op and operands (its type follows
/// from them).
fn dedup_hash(op: &Op, args: &[NodeId]) -> u64 {
    rustc_hash::FxBuildHasher.hash_one((op, args))
}

impl Graph {
    /// Checks that `inputs` has one tensor per graph input, each of the stated
    /// type (a [`Tensor`] is consistent by construction): what every evaluator (the interpreter,
    /// the runtime) checks before reading them.
    pub fn check_inputs(&self, inputs: &[Tensor]) -> Result<()> {
        let expected = self.inputs();
        if inputs.len() != expected.len() {
            return Err(IrError::Input {
                index: inputs.len().min(expected.len()),
                message: format!(
                    "the graph takes {} inputs, {} were given",
                    expected.len(),
                    inputs.len()
                ),
            });
        }
        for (index, (tensor, &id)) in inputs.iter().zip(expected).enumerate() {
            let ty = self.ty(id);
            let fail = |message: String| Err(IrError::Input { index, message });
            if tensor.dtype() != ty.dtype || *tensor.shape() != ty.shape {
                return fail(format!(
                    "expected {ty}, got {}{}",
                    tensor.dtype(),
                    tensor.shape()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::DType;
    use crate::op::{BinaryOp, UnaryOp};

    #[test]
    fn identical_nodes_are_shared() {
        let mut g = Graph::new();
        let x = g.input(TensorType::new([4], DType::F64));
        let a = g.add(Op::Unary(UnaryOp::Sin), &[x]).unwrap();
        let b = g.add(Op::Unary(UnaryOp::Sin), &[x]).unwrap();
        assert_eq!(a, b);
        let c = g.add(Op::Binary(BinaryOp::Add), &[a, b]).unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g.ty(c), &TensorType::new([4], DType::F64));
    }

    #[test]
    fn type_errors_name_the_op() {
        let mut g = Graph::new();
        let x = g.input(TensorType::new([4], DType::F64));
        let y = g.input(TensorType::new([3], DType::F64));
        let err = g.add(Op::Binary(BinaryOp::Mul), &[x, y]).unwrap_err();
        assert_eq!(err.to_string(), "mul: operand shapes differ: [4] and [3]");
    }
}

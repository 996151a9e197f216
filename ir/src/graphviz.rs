//! Export of a graph to Graphviz's DOT language, for looking at it. (The
//! module is not called `dot`: in a NumPy library that is the product.)

use crate::graph::Graph;
use crate::op::Op;
use crate::text::write_attributes;
use petgraph::dot::{Config, Dot};
use petgraph::graph::{DiGraph, EdgeReference, NodeIndex};

impl Graph {
    /// The graph in Graphviz's DOT language: one box per node labelled with its id, op,
    /// attributes and type; an edge from each operand to its user, labelled
    /// with the operand's position when the user has several; inputs drawn
    /// as ellipses and outputs filled, with their output index in the
    /// label. Render with `dot -Tsvg`.
    ///
    /// ```
    /// use ndjit_ir::{DType, Graph, Op, TensorType, UnaryOp};
    ///
    /// let mut g = Graph::new();
    /// let x = g.input(TensorType::new([3], DType::F64));
    /// let y = g.add(Op::Unary(UnaryOp::Exp), &[x]).unwrap();
    /// g.set_outputs(vec![y]);
    /// assert!(g.to_graphviz().contains("0 -> 1"));
    /// ```
    pub fn to_graphviz(&self) -> String {
        // Each edge carries its DOT attributes: the operand position, where
        // the order of operands matters.
        let mut dag = DiGraph::<String, String>::new();
        for id in self.ids() {
            let node = self.node(id);
            let mut label = format!("{id} = {}", node.op.name());
            write_attributes(&mut label, &node.op).expect("writing to a String cannot fail");
            label += &format!("\n{}", node.ty);
            for (k, _) in self.outputs().iter().enumerate().filter(|&(_, &o)| o == id) {
                label += &format!("\noutput {k}");
            }
            dag.add_node(label);
        }
        for id in self.ids() {
            let args = &self.node(id).args;
            for (position, arg) in args.iter().enumerate() {
                let label = if args.len() > 1 {
                    format!("label = \"{position}\"")
                } else {
                    String::new()
                };
                dag.add_edge(
                    NodeIndex::new(arg.index()),
                    NodeIndex::new(id.index()),
                    label,
                );
            }
        }
        let edge_attributes = |_, edge: EdgeReference<'_, String>| edge.weight().clone();
        let node_attributes = |_, (index, _): (NodeIndex, &String)| {
            let id = crate::graph::NodeId(index.index() as u32);
            let mut attributes = String::from("shape = box");
            if let Op::Input(_) = self.node(id).op {
                attributes = String::from("shape = ellipse");
            }
            if self.outputs().contains(&id) {
                attributes += ", style = filled, fillcolor = lightblue";
            }
            attributes
        };
        Dot::with_attr_getters(
            &dag,
            &[Config::EdgeNoLabel],
            &edge_attributes,
            &node_attributes,
        )
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::{BinaryOp, DType, Graph, Op, Scalar, TensorType};

    #[test]
    fn labels_edges_and_outputs() {
        let mut g = Graph::new();
        let x = g.input(TensorType::new([2], DType::F32));
        let one = g.constant(Scalar::F32(1.0));
        let ones = g.add(Op::Broadcast([2].into()), &[one]).unwrap();
        let y = g.add(Op::Binary(BinaryOp::Sub), &[ones, x]).unwrap();
        g.set_outputs(vec![y]);
        let dot = g.to_graphviz();
        let expected = [
            "digraph {",
            r#"0 [ label = "%0 = input 0\lf32[2]" shape = ellipse]"#,
            r#"2 [ label = "%2 = broadcast to [2]\lf32[2]" shape = box]"#,
            r#"3 [ label = "%3 = sub\lf32[2]\loutput 0" shape = box, style = filled, fillcolor = lightblue]"#,
            "1 -> 2 [ ]",
            r#"2 -> 3 [ label = "0"]"#,
            r#"0 -> 3 [ label = "1"]"#,
        ];
        for line in expected {
            assert!(dot.contains(line), "{line:?} missing from\n{dot}");
        }
    }
}

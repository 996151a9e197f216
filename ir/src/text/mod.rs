//! The stable text form of a graph: [`Graph::dump`] prints it,
//! [`parse`] (also [`Graph::parse`]) reads it back, and
//! `parse(&g.dump())?.dump() == g.dump()` for every graph.
//!
//! ```text
//! graph(%0: f64[8], %1: f64[8]) {
//!   %2 = const 2.0 : f64[]
//!   %3 = broadcast %2 to [8] : f64[8]
//!   %4 = mul %0, %3 : f64[8]
//!   %5 = sum %4 axes [0] : f64[1]
//!   return %5
//! }
//! ```
//!
//! Inputs are declared in the header with their types; every other node is
//! one line, `%id = op operands attributes : type`, in arena order, where
//! `%id` is the node's arena index. The type annotation is checked: the
//! parser infers each node's type with [`Op::infer`](crate::Op::infer) and
//! rejects a line whose annotation differs. For `const` the annotation is
//! also where the value's dtype comes from.
//!
//! Grammar (EBNF; `;` or `//` starts a comment to the end of the line, and
//! line breaks are whitespace):
//!
//! ```text
//! graph      = "graph" "(" [ input { "," input } ] ")" "{"
//!              { node } "return" [ value { "," value } ] "}" ;
//! input      = value ":" type ;
//! node       = value "=" op [ value { "," value } ] attributes ":" type ;
//! value      = "%" digits ;
//! type       = dtype shape ;
//! dtype      = "bool" | "i32" | "i64" | "f32" | "f64" ;
//! shape      = list ;
//! list       = "[" [ int { "," int } ] "]" ;
//! attributes = (* none: unary and binary ops, select *)
//!            | constant               (* const *)
//!            | "to" dtype             (* cast *)
//!            | "to" shape             (* reshape, broadcast *)
//!            | "perm" list            (* permute: output axis i is input axis perm[i] *)
//!            | "axes" list            (* sum, prod, max, min, any, all *)
//!            | "axis" int             (* argmax, argmin, concat *)
//!            | "[" [ slice_axis { "," slice_axis } ] "]"   (* slice *)
//!            | "[" [ pad_axis { "," pad_axis } ] "]" ;     (* pad *)
//! slice_axis = "start" "=" int "step" "=" int "len" "=" int ;
//! pad_axis   = "low" "=" int "high" "=" int "interior" "=" int ;
//! constant   = "true" | "false" | int | float | "0x" hex_digits ;
//! ```
//!
//! Op names are those of [`Op::name`](crate::Op::name). A slice axis takes
//! `len` elements starting at index `start`, `step` apart (a NumPy slice
//! already resolved against the extent: `x[7:2:-2]` on extent 8 is
//! `start=7 step=-2 len=3`). A float constant is printed in Rust's shortest
//! form that reads back exactly (`0.1`, `-0.0`, `1e-300`, `inf`, `-inf`,
//! `nan`); a NaN other than the canonical one prints as its IEEE bits in
//! hex (`0x7ff8000000000001`), which the parser accepts for any float.
//!
//! Value ids in hand-written text are names only: the parser numbers nodes
//! afresh in order of definition (see [`parse`]).

mod parse;
mod print;

pub use parse::parse;
pub(crate) use print::write_attributes;

use crate::error::Result;
use crate::graph::Graph;

impl Graph {
    /// Reads a graph in the text form; the same as [`parse`].
    pub fn parse(text: &str) -> Result<Graph> {
        parse(text)
    }
}

#[cfg(test)]
mod tests;

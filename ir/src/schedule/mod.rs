//! Scheduling: cutting an optimized graph into fused kernels and library
//! calls (DESIGN.md, "Fusion rules").

mod axes;
mod index_map;
mod kernel;
mod lower;
mod materialize;
mod partition;
mod row_blocks;
mod verify;

pub use kernel::{
    reduce_init, BufferDecl, BufferId, BufferRole, Expr, IndexMap, Instr, Kernel, KernelKey, Load,
    RowBlocks, Schedule, Step, Store, ValueId,
};
pub use partition::schedule;

//! Code generation: one scheduled [`Kernel`] becomes one native function,
//! through Cranelift.
//!
//! The generated function walks the kernel's iteration space as a loop nest
//! (one pointer per buffer per axis, advanced by its stride). The innermost
//! axis runs in chunks of up to 512 elements; each chunk runs an
//! unrolled vector loop (F64X2 / F32X4, the widest the x86-64 backend
//! lowers) and a scalar tail over the inline ops, and calls a vector math
//! routine once per chunk for each transcendental. See `plan.rs` for how a
//! body is split into passes around those calls, and `reduce.rs` for
//! reductions.
//!
//! Rounding: every op rounds exactly as the reference interpreter's op by
//! op evaluation does. In particular `a * b + c` is never fused into an
//! FMA, even on hosts that have one (`host_has_fma`): the interpreter
//! rounds twice, and plain IEEE ops must agree bit for bit. An explicit
//! `mul_add` (rounded once everywhere) is the host's `fma`. Reductions are
//! the exception: they are reassociated (lanes, chunks), which changes the
//! rounding of sums and products, but not their accuracy (see `reduce.rs`).
//!
//! Aliasing: a kernel's stores must not overlap its loads, except a store
//! with exactly the map of a load in a kernel without routine calls
//! (in-place elementwise update), which each point reads before it writes.

mod element;
mod jit;
mod kernel_function;
mod loops;
mod ops;
mod plan;
mod reduce;
mod routines;
#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) use jit::host_has_fma;

use crate::error::{Error, Result};
use ndjit_ir::schedule::Kernel;
use std::borrow::Cow;
use std::sync::Arc;

/// The native signature of a compiled kernel.
type KernelFn =
    unsafe extern "C" fn(pointers: *const *mut u8, scalars: *const u64, begin: u64, end: u64);

/// A compiled kernel: native code and what keeps it alive. Cloning shares
/// the code; the code is freed when the last clone is dropped.
#[derive(Clone)]
pub(crate) struct CompiledKernel {
    entry: KernelFn,
    /// Keeps the code mapped while this handle exists.
    _code: Arc<jit::Code>,
    loads: usize,
    stores: usize,
    scalars: usize,
}

impl std::fmt::Debug for CompiledKernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledKernel")
            .field("entry", &(self.entry as *const u8))
            .finish_non_exhaustive()
    }
}

impl CompiledKernel {
    /// Runs the kernel over the indices `[begin, end)` of axis 0 of its
    /// shape, every other axis in full. A 0-d kernel has one point, run by
    /// `begin = 0, end = 1`. An empty range does nothing.
    ///
    /// Pieces of axis 0 may run on different threads at the same time,
    /// unless a store combines (reduces) over axis 0: those pieces write
    /// the same elements and must run one after the other. Running a range
    /// in pieces gives the same result as running it whole, except that
    /// sums and products are then grouped differently (rounding).
    ///
    /// # Safety
    ///
    /// `pointers` holds the base pointer of each load (in `kernel.loads`
    /// order) then of each store (in `kernel.stores` order), each already
    /// advanced by its map's `offset`; every element the kernel's maps
    /// reach from them for the points run must be valid to read (loads) or
    /// write (stores), with combine stores' elements initialized. `scalars`
    /// holds the bits of each `kernel.scalars` value (`f32` bits in the low
    /// 32, bools 0 or 1, integers sign- or zero-extended). `begin <= end <=
    /// shape[0]` (1 for a 0-d kernel).
    pub unsafe fn run(&self, pointers: &[*mut u8], scalars: &[u64], begin: usize, end: usize) {
        assert_eq!(
            pointers.len(),
            self.loads + self.stores,
            "one pointer per load and store"
        );
        assert_eq!(scalars.len(), self.scalars, "one value per scalar");
        // SAFETY: the code is alive (`_code`), has this signature, reads
        // `pointers` and `scalars` only within their lengths checked above,
        // and the caller vouches for the memory and the range.
        unsafe {
            (self.entry)(
                pointers.as_ptr(),
                scalars.as_ptr(),
                begin as u64,
                end as u64,
            )
        }
    }
}

/// Compiles a kernel to native code.
///
/// A failure here is a bug of ndjit (the kernel is malformed, or Cranelift
/// rejected what codegen produced): it is reported as [`Error::Codegen`]
/// with the kernel's text.
pub(crate) fn compile(kernel: &Kernel) -> Result<CompiledKernel> {
    let normalized = normalized(kernel);
    let result = (|| {
        let isa = jit::host_isa()?;
        let function = kernel_function::build(&normalized, &*isa)?;
        jit::define(function, isa)
    })();
    let (code, entry) = result.map_err(|message| codegen_error(kernel, message))?;
    // SAFETY: `entry` is the finalized address of a function built with
    // the `KernelFn` signature (see `kernel_function::build`), kept alive by `code`.
    let entry = unsafe { std::mem::transmute::<*const u8, KernelFn>(entry) };
    Ok(CompiledKernel {
        entry,
        _code: code,
        loads: kernel.loads.len(),
        stores: kernel.stores.len(),
        scalars: kernel.scalars.len(),
    })
}

/// The Cranelift IR of the function ndjit compiles for `kernel`,
/// as text (for `ndjit ir` and `NDJIT_DUMP`).
pub fn cranelift_ir(kernel: &Kernel) -> Result<String> {
    cranelift_ir_with(kernel, jit::host_isa())
}

/// The Cranelift IR of the function [`compile`] would generate for
/// `kernel` on `target`, not the host: an architecture and ISA flags in
/// the form of Cranelift's filetests' `target` lines (`"x86_64
/// has_fma=true"`; flags not named are Cranelift's baseline). The text is
/// the same on every machine, so golden tests of codegen use this.
pub fn cranelift_ir_for_target(kernel: &Kernel, target: &str) -> Result<String> {
    cranelift_ir_with(kernel, jit::target_isa(target))
}

fn cranelift_ir_with(
    kernel: &Kernel,
    isa: std::result::Result<cranelift_codegen::isa::OwnedTargetIsa, String>,
) -> Result<String> {
    let normalized = normalized(kernel);
    let isa = isa.map_err(|message| codegen_error(kernel, message))?;
    let function = kernel_function::build(&normalized, &*isa)
        .map_err(|message| codegen_error(kernel, message))?;
    Ok(function.display().to_string())
}

/// A 0-d kernel as a 1-d kernel of one point whose maps have stride 0, so
/// that every kernel has an innermost axis.
fn normalized(kernel: &Kernel) -> Cow<'_, Kernel> {
    if !kernel.shape.is_empty() {
        return Cow::Borrowed(kernel);
    }
    let mut kernel = kernel.clone();
    kernel.shape = vec![1];
    for load in &mut kernel.loads {
        load.map.strides = vec![0];
    }
    for store in &mut kernel.stores {
        store.map.strides = vec![0];
    }
    Cow::Owned(kernel)
}

fn codegen_error(kernel: &Kernel, message: String) -> Error {
    let mut text = String::new();
    kernel.write_text(&mut text);
    Error::Codegen {
        message,
        kernel: text,
    }
}

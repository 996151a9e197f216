//! The ISAs (the host's, or one a golden test names), and ownership of the
//! executable memory of compiled code.

use cranelift_codegen::ir::Function;
use cranelift_codegen::isa::{self, OwnedTargetIsa, TargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};
use std::sync::{Arc, Mutex, OnceLock};

/// The host's Cranelift ISA (built once): the flags of `cranelift_native`
/// (SSE4.1 for `nearest`/`floor`/`ceil`, AVX, FMA, ... as detected) and
/// [`finish`]'s.
pub(super) fn host_isa() -> Result<OwnedTargetIsa, String> {
    static ISA: OnceLock<Result<OwnedTargetIsa, String>> = OnceLock::new();
    ISA.get_or_init(|| finish(cranelift_native::builder().map_err(|e| e.to_string())?))
        .clone()
}

/// The ISA a target description names, in the form of Cranelift's
/// filetests' `target` lines: an architecture (a target triple, e.g.
/// `x86_64`), then ISA flags, each `name=value` or a bare `name` (true):
/// `"x86_64 has_sse41 has_avx has_fma=false"`. Flags not named keep
/// Cranelift's baseline, not the host's, so the generated code is the same
/// on every machine (golden tests of codegen use this).
pub(super) fn target_isa(description: &str) -> Result<OwnedTargetIsa, String> {
    let mut words = description.split_whitespace();
    let triple = words
        .next()
        .ok_or("an empty target (expected e.g. `x86_64 has_fma`)")?;
    let mut builder = isa::lookup_by_name(triple).map_err(|e| format!("target `{triple}`: {e}"))?;
    for flag in words {
        match flag.split_once('=') {
            Some((name, value)) => builder.set(name, value),
            None => builder.enable(flag),
        }
        .map_err(|e| format!("target flag `{flag}`: {e}"))?;
    }
    finish(builder)
}

/// Whether `isa` has fused multiply-add (then codegen vectorizes kernels
/// with `mul_add`; without it Cranelift calls libm's `fma`, one element at
/// a time).
pub(super) fn has_fma(isa: &dyn TargetIsa) -> bool {
    isa.isa_flags()
        .iter()
        .any(|flag| flag.name == "has_fma" && flag.as_bool() == Some(true))
}

/// Finishes an ISA with ndjit's shared flags: optimized for speed, with
/// inline stack probes because chunk scratch makes kernel frames larger
/// than a page; the IR verifier in debug builds.
fn finish(isa: isa::Builder) -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let settings = [
        ("opt_level", "speed"),
        ("enable_probestack", "true"),
        ("probestack_strategy", "inline"),
        // Required by cranelift-jit: calls and libcalls may be far away.
        ("use_colocated_libcalls", "false"),
        ("is_pic", "false"),
        // The IR verifier costs ~5% of compile time: it checks the code
        // generator itself, so debug builds (the dev tests) run it and
        // release builds, where compile latency matters, do not.
        (
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        ),
    ];
    for (name, value) in settings {
        flags
            .set(name, value)
            .map_err(|e| format!("{name}={value}: {e}"))?;
    }
    isa.finish(settings::Flags::new(flags))
        .map_err(|e| e.to_string())
}

/// Whether the host ISA has fused multiply-add. Compiled kernels never
/// fuse a separate `mul` and `add` (the reference interpreter rounds
/// twice, and kernels must match it exactly), so this is information for
/// tests that pick the vector or scalar path.
#[cfg(test)]
pub fn host_has_fma() -> bool {
    host_isa().is_ok_and(|isa| has_fma(&*isa))
}

/// The JIT module holding one kernel's code. Dropping it frees the code
/// (a `JITModule` dropped without `free_memory` leaks its pages).
pub(super) struct Code {
    /// `JITModule` is `Send` but not `Sync`; the mutex makes the owner
    /// shareable without `unsafe`. It is only touched again on drop.
    module: Mutex<Option<JITModule>>,
}

impl Drop for Code {
    fn drop(&mut self) {
        let module = self
            .module
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(module) = module {
            // SAFETY: the only pointers into this module's code are held by
            // `CompiledKernel`s, each holding an `Arc` to this owner; it is
            // being dropped, so none is left to call the code.
            unsafe { module.free_memory() };
        }
    }
}

/// Compiles `function` into a new module: the owner of its code and the
/// address of its entry.
pub(super) fn define(
    function: Function,
    isa: OwnedTargetIsa,
) -> Result<(Arc<Code>, *const u8), String> {
    let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
    let result = (|| {
        let id = module
            .declare_function("kernel", Linkage::Export, &function.signature)
            .map_err(|e| e.to_string())?;
        let mut context = module.make_context();
        context.func = function;
        module
            .define_function(id, &mut context)
            .map_err(|e| format!("{e:?}"))?;
        module.finalize_definitions().map_err(|e| e.to_string())?;
        Ok(module.get_finalized_function(id))
    })();
    let code = Arc::new(Code {
        module: Mutex::new(Some(module)),
    });
    result.map(|entry| (code, entry))
}
